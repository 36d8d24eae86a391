// cloudflare-cpp: when a failed attempt may be repeated, and how long to wait.
#pragma once

#include <cloudflare/http.hpp>
#include <cloudflare/transport.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace cloudflare {

/// The verdict on one failed attempt.
struct retry_decision {
    bool retry = false;           ///< may be repeated (if attempts remain)
    bool outcome_unknown = false; ///< a non-idempotent call may have taken effect
    std::string_view reason;      ///< a few words, for observers and messages
};

/// Decides whether an attempt that ended with `status` (0 when the transport failed with
/// `failure`) may be retried.
///
/// - `x-should-retry: true|false` from the server decides first. `true` also says the attempt
///   was not applied (or is safe to repeat), so it never makes the outcome unknown.
/// - Idempotent calls (GET, PUT, DELETE), and any call with `retry_non_idempotent`: transport
///   failures, 408, 409, 429 and >= 500 are retried, as in Cloudflare's SDKs.
/// - Non-idempotent calls (rotate, refresh, create): only a 429 or a transport failure that
///   provably never reached the server (`not_sent`). A 5xx, a timeout or a `maybe_sent` failure
///   leaves the outcome unknown: repeating a rotation would revoke the secret the first one made.
constexpr retry_decision decide_retry(bool idempotent, bool retry_non_idempotent, int status,
                                      std::optional<transport_failure> failure,
                                      std::optional<std::string_view> should_retry_header) noexcept {
    retry_decision d;
    if (!idempotent)
        d.outcome_unknown = failure ? *failure != transport_failure::not_sent : status >= 500;
    if (should_retry_header) {
        // The server vouches that repeating is safe, so this attempt is not counted as applied.
        if (http::iequals(*should_retry_header, "true")) {
            d.retry = true;
            d.outcome_unknown = false;
            d.reason = "server sent x-should-retry: true";
            return d;
        }
        if (http::iequals(*should_retry_header, "false")) { d.reason = "server sent x-should-retry: false"; return d; }
    }
    if (idempotent || retry_non_idempotent) {
        if (failure) { d.retry = true; d.reason = "transport failure"; }
        else if (status == 408 || status == 409 || status == 429 || status >= 500) { d.retry = true; d.reason = "retryable status"; }
        else d.reason = "status is final";
        return d;
    }
    if (status == 429) { d.retry = true; d.reason = "rate limited: the request was not processed"; }
    else if (failure && *failure == transport_failure::not_sent) { d.retry = true; d.reason = "never reached the server"; }
    else if (d.outcome_unknown) d.reason = "not idempotent and may have been applied";
    else d.reason = "status is final";
    return d;
}

/// Backoff before retry number `n` (0 for the first retry) when the server named no delay:
/// `min(0.5 s * 2^n, 8 s)`, minus up to 25% jitter (`jitter` in [0, 1)).
constexpr std::chrono::milliseconds backoff_delay(int n, double jitter) noexcept {
    double base = 500.0;
    for (int i = 0; i < n && base < 8000.0; ++i) base *= 2;
    base = std::min(base, 8000.0);
    jitter = std::clamp(jitter, 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<std::int64_t>(base * (1.0 - 0.25 * jitter)));
}

} // namespace cloudflare
