// Rotate a Cloudflare Access service token and print the new credentials as JSON.
//
//   rotate_service_token --account-id ID --token-id ID [--grace 24h] [--base-url URL] [--verbose]
//   rotate_service_token --demo
//
// Credentials come from the environment (CLOUDFLARE_API_TOKEN, or CLOUDFLARE_API_KEY with
// CLOUDFLARE_EMAIL). With --demo, or when no credentials are set, the same code runs offline
// against cloudflare::testing::emulator, an in-memory Cloudflare.
#include "curl_transport.hpp"

#include <cloudflare/cloudflare.hpp>
#include <cloudflare/testing/emulator.hpp>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

// Not `access`: that name is POSIX's access(2), which <curl/curl.h> brings in.
namespace cfa = cloudflare::zero_trust::access;
using namespace std::chrono_literals;

namespace {

struct args {
    std::string account_id, token_id, base_url;
    std::optional<std::chrono::microseconds> grace; // microseconds: now + 292 years still fits
    bool demo = false, verbose = false;
};

int usage(std::string_view problem) {
    std::cerr << "rotate_service_token: " << problem << "\n"
              << "usage: rotate_service_token --account-id ID --token-id ID [--grace 24h] [--base-url URL] [--verbose]\n"
              << "       rotate_service_token --demo [--grace 24h] [--verbose]\n"
              << "Credentials: CLOUDFLARE_API_TOKEN, or CLOUDFLARE_API_KEY + CLOUDFLARE_EMAIL.\n";
    return 2;
}

void print_token(const cfa::service_token_rotate_response& t) {
    boost::json::object o;
    o["id"] = t.id;
    o["client_id"] = t.client_id;
    o["client_secret"] = t.client_secret.reveal(); // printing the secret is this tool's purpose
    if (t.name) o["name"] = *t.name;
    if (t.duration) o["duration"] = *t.duration;
    if (t.expires_at) o["expires_at"] = t.expires_at->text;
    if (t.client_secret_version) o["client_secret_version"] = *t.client_secret_version;
    if (t.previous_client_secret_expires_at) o["previous_client_secret_expires_at"] = t.previous_client_secret_expires_at->text;
    std::cout << boost::json::serialize(o) << "\n";
}

void log_attempt(const cloudflare::attempt_event& e) {
    std::cerr << "[cloudflare] " << cloudflare::http::to_string(e.method) << " " << e.url << " attempt " << e.attempt << ": ";
    if (e.failure) std::cerr << "transport " << cloudflare::to_string(*e.failure);
    else std::cerr << "HTTP " << e.status;
    std::cerr << " in " << e.elapsed.count() << " ms";
    if (e.ray_id) std::cerr << " cf-ray " << *e.ray_id;
    std::cerr << "; " << e.decision;
    if (e.will_retry) std::cerr << ", retrying in " << e.retry_delay.count() << " ms";
    std::cerr << "\n";
    // Headers arrive redacted (credentials, secret-like names, secret-shaped values).
    if (e.request_headers)
        for (const auto& h : *e.request_headers) std::cerr << "[cloudflare]   > " << h.name << ": " << h.value << "\n";
    if (e.response_headers)
        for (const auto& h : *e.response_headers) std::cerr << "[cloudflare]   < " << h.name << ": " << h.value << "\n";
    for (const auto& w : e.warnings) std::cerr << "[cloudflare]   warning: " << w << "\n";
}

// The same code for the real API and the emulator: only the transport differs.
template <class Transport>
int rotate(cloudflare::client<Transport>& client, const args& a) {
    cfa::service_token_rotate_params params{.account_id = a.account_id};
    if (a.grace) params.previous_client_secret_expires_at = std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now()) + *a.grace;
    auto r = client.zero_trust.access.service_tokens.try_rotate(a.token_id, params);
    if (!r) {
        const auto& e = r.error();
        std::cerr << "rotate_service_token: " << e << "\n";
        if (e.outcome_unknown()) return 3;
        return 1;
    }
    print_token(*r);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    args a;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        auto value = [&]() -> std::optional<std::string> {
            if (i + 1 >= argc) return std::nullopt;
            return std::string(argv[++i]);
        };
        if (arg == "--demo") a.demo = true;
        else if (arg == "--verbose") a.verbose = true;
        else if (arg == "--account-id" || arg == "--token-id" || arg == "--base-url" || arg == "--grace") {
            auto v = value();
            if (!v) return usage(std::string(arg) + " needs a value");
            if (arg == "--account-id") a.account_id = *v;
            else if (arg == "--token-id") a.token_id = *v;
            else if (arg == "--base-url") a.base_url = *v;
            else {
                auto d = cloudflare::parse_duration(*v);
                if (!d) return usage("--grace: " + d.error().message());
                if (d->forever()) return usage("--grace takes a length of time like 24h, 90m or 2h45m, not forever");
                a.grace = std::chrono::floor<std::chrono::microseconds>(*d->length());
            }
        } else if (arg == "--help" || arg == "-h") {
            usage("rotates a service token's client secret");
            return 0;
        } else {
            return usage("unknown argument " + std::string(arg));
        }
    }

    auto options = cloudflare::client_options::from_env();
    if (!a.base_url.empty()) options.base_url = a.base_url;
    if (a.verbose) options.observer = log_attempt;

    if (a.demo || !options.has_credentials()) {
        std::cerr << "rotate_service_token: " << (a.demo ? "--demo" : "no credentials in the environment")
                  << ": running offline against the built-in emulator (cloudflare::testing::emulator)\n";
        const std::string account = a.account_id.empty() ? "023e105f4ecef8ad9ca31a8372d0c353" : a.account_id;
        cloudflare::testing::emulator cf({.api_token = "demo-token", .account_ids = {account}});
        auto seeded = cf.seed_token("accounts/" + account, "CI/CD token");
        options = cloudflare::client_options{};
        options.api_token = "demo-token";
        options.base_url = "https://emulator.invalid/client/v4";
        if (a.verbose) options.observer = log_attempt;
        a.account_id = account;
        if (a.token_id.empty()) a.token_id = seeded.id;
        cloudflare::client client{cf, options};
        int rc = rotate(client, a);
        if (rc == 0) {
            std::cerr << "rotate_service_token: old secret still accepted: "
                      << (cf.authenticate(seeded.client_id, seeded.client_secret) ? "yes (grace period)" : "no (revoked)") << "\n";
        }
        return rc;
    }

    if (a.account_id.empty() || a.token_id.empty()) return usage("--account-id and --token-id are required");
    try {
        cloudflare::client client{examples::curl_transport{}, options};
        return rotate(client, a);
    } catch (const cloudflare::transport_error& e) {
        std::cerr << "rotate_service_token: " << e.what() << "\n";
        return 1;
    }
}
