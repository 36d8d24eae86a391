// Memory for any answer stays within a fixed multiple of its size, and running out of memory
// while reading one is an error a `try_` form returns, never an exception it lets out (issue
// 20, major 2). This program replaces the global operator new and delete to count live bytes,
// so it is its own test executable (and not built under sanitizers, whose runtimes own them).
#include "support.hpp"

#include <cstdio>
#include <cstdlib>
#include <malloc.h>
#include <new>
#include <string>

namespace {

struct counter {
    std::size_t live = 0;
    std::size_t peak = 0;
    std::size_t cap = 0; // 0: none; else operator new throws past it
};
counter mem;

void* counted(std::size_t n, std::size_t align) {
    if (mem.cap && mem.live + n > mem.cap) throw std::bad_alloc();
    void* p = align ? std::aligned_alloc(align, (n + align - 1) / align * align) : std::malloc(n ? n : 1);
    if (!p) throw std::bad_alloc();
    mem.live += malloc_usable_size(p);
    if (mem.live > mem.peak) mem.peak = mem.live;
    return p;
}
void release(void* p) noexcept {
    if (!p) return;
    mem.live -= malloc_usable_size(p);
    std::free(p);
}

} // namespace

// The replacements pair malloc with free on purpose; GCC cannot see that they are the
// replaceable global functions themselves.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(std::size_t n) { return counted(n, 0); }
void* operator new[](std::size_t n) { return counted(n, 0); }
void* operator new(std::size_t n, std::align_val_t a) { return counted(n, static_cast<std::size_t>(a)); }
void* operator new[](std::size_t n, std::align_val_t a) { return counted(n, static_cast<std::size_t>(a)); }
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
void operator delete(void* p, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { release(p); }

namespace {

namespace cfa = cloudflare::zero_trust::access;

// Answers every request with a copy of one answer (made before the count starts).
struct answering_transport {
    int status;
    const std::string* body;
    cloudflare::http::response send(const cloudflare::http::request&) const {
        cloudflare::http::response r;
        r.status = status;
        r.headers.emplace_back("Content-Type", "application/json");
        r.body = *body;
        return r;
    }
};

int failures = 0;
void check(bool ok, const std::string& what) {
    std::printf("%s: %s\n", ok ? "ok" : "FAILED", what.c_str());
    if (!ok) ++failures;
}

std::string repeated(std::string_view head, std::string_view item, std::size_t bytes, std::string_view tail) {
    std::string s(head);
    s.reserve(bytes + tail.size() + item.size() + 1);
    while (s.size() < bytes) { s += item; s += ','; }
    s.pop_back();
    s += tail;
    return s;
}

// The most an answer of `n` bytes may cost while it is read: the typed result's share
// (response_limits::max_memory_factor, 32 bytes per byte) and the parsed JSON's (16), plus 2 MiB.
std::size_t bound(std::size_t n) { return 48 * n + (std::size_t{2} << 20); }

// One call of `service_tokens.try_list` answered with `body`: the error it must end in, and the
// memory it took above what was live before (the answer's copy included).
void hostile_list(const char* what, int status, const std::string& body) {
    answering_transport t{status, &body};
    cloudflare::client_options o = fixtures::token_options();
    cloudflare::client c{t, o};
    const std::size_t before = mem.live;
    mem.peak = before;
    bool threw = false;
    bool refused = false;
    try {
        auto r = c.zero_trust.access.service_tokens.try_list({.account_id = std::string(fixtures::account)});
        refused = !r.has_value();
    } catch (...) {
        threw = true;
    }
    const std::size_t used = mem.peak - before;
    check(!threw, std::string(what) + ": no exception left try_list");
    check(refused, std::string(what) + ": the answer is an error");
    check(used <= bound(body.size()), std::string(what) + ": " + std::to_string(used >> 20) + " MiB for a " +
                                          std::to_string(body.size() >> 20) + " MiB answer (at most " +
                                          std::to_string(bound(body.size()) >> 20) + " MiB)");
}

} // namespace

int main() {
    const std::size_t four_mib = std::size_t{4} << 20;
    const std::string head = R"({"success":true,"errors":[],"messages":[],"result":[)";
    const std::string tail = R"(]})";
    // Scalars where items belong: each would be a default item (hundreds of bytes) if sized first.
    hostile_list("a list of 0s", 200, repeated(head, "0", four_mib, tail));
    // Empty objects: each a whole item with every member missing.
    hostile_list("a list of {}", 200, repeated(head, "{}", four_mib, tail));
    // An error answer whose `errors` is a long list of non-objects (was reserved in full).
    hostile_list("a 400 whose errors are 1s", 400,
                 repeated(R"({"success":false,"messages":[],"result":null,"errors":[)", "1", four_mib, tail));

    // Out of memory while reading: the try_ form returns the error; nothing is thrown.
    {
        const std::string body = repeated(head, R"({"id":"t","name":"n"})", four_mib, tail);
        answering_transport t{200, &body};
        cloudflare::client_options o = fixtures::token_options();
        cloudflare::client c{t, o};
        mem.cap = mem.live + (std::size_t{12} << 20); // room for the answer's copy, not its parse
        bool threw = false;
        cloudflare::result<cloudflare::page<cfa::service_token>> r =
            cloudflare::error_info(cloudflare::error_kind::invalid_argument, "not called");
        try {
            r = c.zero_trust.access.service_tokens.try_list({.account_id = std::string(fixtures::account)});
        } catch (...) {
            threw = true;
        }
        mem.cap = 0;
        check(!threw, "out of memory while reading: no exception left try_list");
        check(!r.has_value() && r.error().kind() == cloudflare::error_kind::api_response_validation &&
                  fixtures::contains(r.error().message(), "not enough memory"),
              "out of memory while reading: an api_response_validation error that says so");
    }
    std::printf("%d failed\n", failures);
    return failures ? 1 : 0;
}
