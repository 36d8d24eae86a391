// cloudflare-cpp: how a client authenticates, where it sends, and the limits it enforces.
#pragma once

#include <cloudflare/http.hpp>
#include <cloudflare/secret.hpp>
#include <cloudflare/transport.hpp>
#include <cloudflare/version.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace cloudflare {

/// Cloudflare's API root; `client_options::base_url` defaults to it.
inline constexpr std::string_view default_base_url = "https://api.cloudflare.com/client/v4";

/// Bounds on what a response may make the client do. Anything over a limit is an
/// `api_response_validation_error`, decided before allocating in proportion to the input.
struct response_limits {
    std::size_t max_body_bytes = std::size_t{16} * 1024 * 1024; ///< larger bodies are rejected unparsed
    std::size_t max_json_depth = 64;                ///< nesting of arrays/objects
    std::size_t max_headers = 256;                  ///< response header fields
    /// The typed result may take this many bytes of memory per byte of body (at least 1 MiB):
    /// lists and maps are charged before they are made, so a list of tiny items that would
    /// become large structs is refused instead of allocated. The parsed JSON itself takes at
    /// most about 16 bytes per byte of body on top.
    std::size_t max_memory_factor = 32;
};

/// One attempt of a call, as the observer hook sees it. Already redacted: the values of
/// credential and secret-bearing headers (`Authorization`, `X-Auth-Key`, `X-Auth-Email`,
/// `CF-Access-Client-Secret`, cookies, any name with token/secret/key/auth), secret-shaped text
/// in other header values, and every secret-bearing field and credential in the body excerpt.
struct attempt_event {
    std::string_view endpoint;                     ///< e.g. "zero_trust.access.service_tokens.rotate"
    http::method method = http::method::get;
    std::string_view url;
    int attempt = 1;                               ///< 1 for the first attempt
    int status = 0;                                ///< 0 when the transport failed
    std::optional<transport_failure> failure;
    std::chrono::milliseconds elapsed{0};
    std::optional<std::string_view> ray_id;        ///< `cf-ray` of the response
    bool will_retry = false;
    std::chrono::milliseconds retry_delay{0};      ///< the delay before the next attempt
    std::string_view decision;                     ///< why it is (not) retried, in a few words
    const http::headers* request_headers = nullptr;  ///< redacted
    const http::headers* response_headers = nullptr; ///< redacted (null when the transport failed)
    std::string_view response_body_excerpt;        ///< first bytes, secrets redacted
    /// Optional result fields a successful non-idempotent call could not read and left unset
    /// (see `parse_response`); empty otherwise.
    std::span<const std::string> warnings;
};

/// Settings of a client. Credential members are `secret`s and accept plain strings.
///
/// Authentication, first match wins: `api_token` (`Authorization: Bearer`), then `api_key` with
/// `api_email` (`X-Auth-Key` + `X-Auth-Email`), then `user_service_key`
/// (`X-Auth-User-Service-Key`; Cloudflare accepts it for Origin CA calls only, so Access calls
/// reject it before sending).
struct client_options {
    secret api_token;        ///< `CLOUDFLARE_API_TOKEN`
    secret api_key;          ///< `CLOUDFLARE_API_KEY` (legacy Global API key; needs `api_email`)
    secret api_email;        ///< `CLOUDFLARE_EMAIL`
    secret user_service_key; ///< `CLOUDFLARE_API_USER_SERVICE_KEY`

    std::string base_url{default_base_url};     ///< `CLOUDFLARE_BASE_URL`; a trailing '/' is ignored
    std::chrono::milliseconds timeout{60'000};  ///< per attempt, handed to the transport
    int max_retries = 2;                        ///< retries after the first attempt (see README)
    std::chrono::milliseconds max_retry_delay{60'000}; ///< a longer server-requested wait fails the call instead
    http::headers default_headers;              ///< sent with every request (validated like all headers)
    std::string user_agent = "cloudflare-cpp/" CLOUDFLARE_CPP_VERSION_STRING;
    response_limits limits;
    /// Read every answer strictly: a member whose JSON does not fit its declared type fails the
    /// call. Off by default, as in the official SDKs: such a member is left empty and named in
    /// the result's `warnings` and the observer's (see `cloudflare::response_validation`).
    bool strict_response_validation = false;

    /// Called once per attempt with a redacted view (see `attempt_event`). Must be thread-safe
    /// when the client is shared between threads. An exception it throws is swallowed: it must
    /// not turn an applied rotation into a lost one, nor escape a `try_` call.
    std::function<void(const attempt_event&)> observer;
    /// Waits between attempts; defaults to `std::this_thread::sleep_for`. Tests inject a recorder.
    std::function<void(std::chrono::milliseconds)> sleep;
    /// Measures attempt durations; defaults to `std::chrono::steady_clock::now`.
    std::function<std::chrono::steady_clock::time_point()> clock;
    /// Wall clock for `retry-after` HTTP dates when the response has no `Date`; defaults to
    /// `std::chrono::system_clock::now`.
    std::function<std::chrono::system_clock::time_point()> wall_clock;
    /// Seeds the backoff jitter (deterministic tests); random when unset.
    std::optional<std::uint64_t> jitter_seed;

    /// Options filled from the environment variables named on each member; unset or empty
    /// variables leave the defaults.
    static client_options from_env() {
        client_options o;
        auto env = [](const char* name) -> std::string_view {
            const char* v = std::getenv(name);
            return v ? std::string_view(v) : std::string_view();
        };
        if (auto v = env("CLOUDFLARE_API_TOKEN"); !v.empty()) o.api_token = v;
        if (auto v = env("CLOUDFLARE_API_KEY"); !v.empty()) o.api_key = v;
        if (auto v = env("CLOUDFLARE_EMAIL"); !v.empty()) o.api_email = v;
        if (auto v = env("CLOUDFLARE_API_USER_SERVICE_KEY"); !v.empty()) o.user_service_key = v;
        if (auto v = env("CLOUDFLARE_BASE_URL"); !v.empty()) o.base_url = std::string(v);
        return o;
    }

    /// True when some credential is set.
    bool has_credentials() const noexcept {
        return !api_token.empty() || (!api_key.empty() && !api_email.empty()) || !user_service_key.empty();
    }
};

/// Query parameters as name and value, in order (a name may repeat).
using query_params = std::vector<std::pair<std::string, std::string>>;

/// Per-call settings; every member left unset falls back to the client's options.
struct request_options {
    http::headers headers;                          ///< added after the defaults; same name replaces
    std::optional<std::chrono::milliseconds> timeout;
    std::optional<int> max_retries;
    /// Retry a non-idempotent call (rotate, refresh, create) even when the first attempt may have
    /// taken effect. Off by default: a repeated rotation revokes the secret the first one made.
    bool retry_non_idempotent = false;
    /// Query parameters the schema of 2024 lacks (the official SDKs' `extra_query`):
    /// `o.extra_query = {{"per_page", "50"}, {"paused", "true"}};`. Sent after the call's own; a
    /// name the call also sends replaces all its values there. Names and values must be UTF-8.
    query_params extra_query;
    /// Properties merged into the JSON body object (the official SDKs' `extra_body`), e.g. a
    /// field the schema of 2024 lacks; one the call also sends is replaced. A call without a
    /// body gets an object body. Refused for a body that is not a JSON object; strings must be
    /// UTF-8 and numbers finite.
    boost::json::object extra_body;
};

} // namespace cloudflare
