// Memory the library owned that held a credential or a secret is zeroed before it is freed
// (issue 9, item 11). This program replaces the global operator delete, so it is its own test
// executable: every block freed while the scan is armed is searched for the API token and the
// rotated secret.
#include "support.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <malloc.h>
#include <new>

namespace {

struct scan_state {
    bool armed = false;
    const char* needles[2] = {nullptr, nullptr};
    std::size_t lengths[2] = {0, 0};
    int hits[2] = {0, 0};
    int freed_blocks = 0;
};
scan_state scan;

void inspect(void* p) noexcept {
    if (!p || !scan.armed) return;
    scan.armed = false; // nothing below allocates, but never recurse
    ++scan.freed_blocks;
    const std::size_t n = malloc_usable_size(p);
    for (int i = 0; i < 2; ++i)
        if (scan.needles[i] && memmem(p, n, scan.needles[i], scan.lengths[i])) ++scan.hits[i];
    scan.armed = true;
}

} // namespace

// The replacements below pair malloc with free on purpose; GCC cannot see that they are the
// replaceable global functions themselves.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(std::size_t n) {
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, std::align_val_t a) {
    std::size_t al = static_cast<std::size_t>(a);
    if (void* p = std::aligned_alloc(al, (n + al - 1) / al * al)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { inspect(p); std::free(p); }
void operator delete[](void* p) noexcept { inspect(p); std::free(p); }
void operator delete(void* p, std::size_t) noexcept { inspect(p); std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { inspect(p); std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { inspect(p); std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { inspect(p); std::free(p); }

namespace {

// Answers every request with a freshly built body: nothing of it stays in the transport.
struct answering_transport {
    const std::string* body; // outlives the scan; each answer is a fresh copy the client owns
    cloudflare::http::response send(const cloudflare::http::request&) {
        cloudflare::http::response r;
        r.status = 200;
        r.headers.emplace_back("Content-Type", "application/json");
        r.body = *body;
        return r;
    }
};

int check(bool ok, const char* what) {
    std::printf("%s: %s\n", ok ? "ok" : "FAILED", what);
    return ok ? 0 : 1;
}

} // namespace

int main() {
    namespace cfa = cloudflare::zero_trust::access;
    using fixtures::account;
    using fixtures::token_id;
    int failures = 0;
    // Long enough to live on the heap, not in a small-string buffer.
    const std::string token = "tok-WIPE-TEST-3f9a1c2b7d6e5f4a";
    scan.needles[0] = token.c_str();
    scan.lengths[0] = token.size();
    scan.needles[1] = fixtures::doc_secret.data();
    scan.lengths[1] = fixtures::doc_secret.size();
    // The second body is larger than the parser's first arena block, so overflow blocks are
    // allocated and freed too.
    std::string big = fixtures::documented_rotate_body;
    big.insert(big.find("\"id\""), "\"padding\": \"" + std::string(8192, 'p') + "\",\n");
    for (const std::string* body : std::initializer_list<const std::string*>{&fixtures::documented_rotate_body, &big}) {
        answering_transport transport{body};
        cloudflare::client_options o;
        o.api_token = token;
        {
            cloudflare::client c{transport, o};
            scan.armed = true;
            {
                auto r = c.zero_trust.access.service_tokens.try_rotate(
                    token_id, cfa::service_token_rotate_params{.account_id = std::string(account)});
                failures += check(r.has_value() && r->client_secret.reveal() == fixtures::doc_secret, "the rotation succeeded");
            } // the result (secret, raw JSON) is destroyed here
            scan.armed = false;
        }
        failures += check(scan.freed_blocks > 0, "blocks were freed during the call");
        failures += check(scan.hits[0] == 0, "no freed block held the API token");
        failures += check(scan.hits[1] == 0, "no freed block held the client secret");
        scan.hits[0] = scan.hits[1] = scan.freed_blocks = 0;
    }
    std::printf("%d failed\n", failures);
    return failures ? 1 : 0;
}
