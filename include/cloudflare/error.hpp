// cloudflare-cpp: every failure as a value (`error_info`) and as an exception type.
#pragma once

#include <cloudflare/http.hpp>
#include <cloudflare/result.hpp>
#include <cloudflare/transport.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cloudflare {

/// One value per exception type, so non-throwing callers can branch the same way.
enum class error_kind {
    bad_request,             ///< 400, `bad_request_error`
    authentication,          ///< 401, `authentication_error`
    permission_denied,       ///< 403, `permission_denied_error`
    not_found,               ///< 404, `not_found_error`
    conflict,                ///< 409, `conflict_error`
    unprocessable_entity,    ///< 422, `unprocessable_entity_error`
    rate_limit,              ///< 429, `rate_limit_error`
    internal_server,         ///< >= 500, `internal_server_error`
    api_status,              ///< any other non-2xx, `api_status_error`
    api_connection,          ///< transport failure, `api_connection_error`
    api_timeout,             ///< transport timeout, `api_timeout_error`
    api_response_validation, ///< a 2xx that is not a valid envelope, `api_response_validation_error`
    invalid_argument,        ///< rejected before sending, `invalid_argument`
};

/// The enumerator's name, e.g. "not_found".
constexpr std::string_view to_string(error_kind k) noexcept {
    constexpr std::string_view names[] = {
        "bad_request", "authentication", "permission_denied", "not_found", "conflict",
        "unprocessable_entity", "rate_limit", "internal_server", "api_status", "api_connection",
        "api_timeout", "api_response_validation", "invalid_argument"};
    auto i = static_cast<std::size_t>(k);
    return i < std::size(names) ? names[i] : std::string_view("unknown");
}

/// The error kind Cloudflare's SDKs give an HTTP status (meaningful for non-2xx statuses).
constexpr error_kind kind_for_status(int status) noexcept {
    switch (status) {
    case 400: return error_kind::bad_request;
    case 401: return error_kind::authentication;
    case 403: return error_kind::permission_denied;
    case 404: return error_kind::not_found;
    case 409: return error_kind::conflict;
    case 422: return error_kind::unprocessable_entity;
    case 429: return error_kind::rate_limit;
    default: return status >= 500 ? error_kind::internal_server : error_kind::api_status;
    }
}

/// One entry of an envelope's `errors` or `messages` array.
struct api_message {
    std::int64_t code = 0;
    std::string message;
    std::optional<std::string> documentation_url;
    std::optional<std::string> source_pointer; ///< `source.pointer`
    friend bool operator==(const api_message&, const api_message&) = default;
};

/// What one attempt of a call ended with (kept in errors, so retries are visible).
struct attempt_record {
    int number = 0;                                ///< 1 for the first attempt
    int status = 0;                                ///< HTTP status, 0 when the transport failed
    std::optional<transport_failure> failure;      ///< set when the transport failed
    std::chrono::milliseconds elapsed{0};
};

/// Everything known about a failed call. Exceptions wrap one; `result<T>::error()` is one.
/// Never holds a credential or a `client_secret`: bodies are excerpted and redacted, and
/// messages name fields, never their values.
class error_info {
public:
    error_info() = default;
    error_info(error_kind kind, std::string message) : kind_(kind), message_(std::move(message)) {}

    /// Which failure this is; one value per exception type.
    error_kind kind() const noexcept { return kind_; }
    /// A readable summary (status, Cloudflare's messages, method and URL; no secrets).
    const std::string& message() const noexcept { return message_; }
    /// HTTP status, 0 when no response was received.
    int status() const noexcept { return status_; }
    /// The envelope's `errors` (empty when there was no parsable envelope).
    const std::vector<api_message>& errors() const noexcept { return errors_; }
    /// The envelope's `messages`.
    const std::vector<api_message>& messages() const noexcept { return messages_; }
    /// Response headers (cookies removed).
    const http::headers& headers() const noexcept { return headers_; }
    /// The `cf-ray` id of the response, to quote to Cloudflare support.
    std::optional<std::string_view> ray_id() const noexcept { return headers_.get("cf-ray"); }
    /// The first bytes of the response body, with any `client_secret` value redacted.
    const std::string& body_excerpt() const noexcept { return body_excerpt_; }
    /// For transport failures: what the server may have seen.
    std::optional<transport_failure> transport() const noexcept { return transport_; }
    /// True when a non-idempotent call (rotate, refresh, create) may or may not have taken
    /// effect: read the resource back before trying again.
    bool outcome_unknown() const noexcept { return outcome_unknown_; }
    /// The delay the server asked for (`retry-after-ms` / `retry-after`), if any.
    std::optional<std::chrono::milliseconds> retry_after() const noexcept { return retry_after_; }
    /// Every attempt made, in order (empty for errors raised before sending).
    const std::vector<attempt_record>& attempts() const noexcept { return attempts_; }
    /// Number of attempts made.
    int attempt_count() const noexcept { return static_cast<int>(attempts_.size()); }

    // Setters, for the library and for users writing their own transports or fakes.
    error_info& set_kind(error_kind k) { kind_ = k; return *this; }
    error_info& set_message(std::string m) { message_ = std::move(m); return *this; }
    error_info& set_status(int s) { status_ = s; return *this; }
    error_info& set_errors(std::vector<api_message> e) { errors_ = std::move(e); return *this; }
    error_info& set_messages(std::vector<api_message> m) { messages_ = std::move(m); return *this; }
    error_info& set_headers(http::headers h) {
        h.erase("set-cookie");
        h.erase("cookie");
        headers_ = std::move(h);
        return *this;
    }
    error_info& set_body_excerpt(std::string b) { body_excerpt_ = std::move(b); return *this; }
    error_info& set_transport(transport_failure f) { transport_ = f; return *this; }
    error_info& set_outcome_unknown(bool v) { outcome_unknown_ = v; return *this; }
    error_info& set_retry_after(std::optional<std::chrono::milliseconds> d) { retry_after_ = d; return *this; }
    error_info& set_attempts(std::vector<attempt_record> a) { attempts_ = std::move(a); return *this; }

    /// Prints kind and message (both free of secrets).
    friend std::ostream& operator<<(std::ostream& os, const error_info& e) {
        return os << to_string(e.kind_) << ": " << e.message_;
    }

private:
    error_kind kind_ = error_kind::api_status;
    std::string message_;
    int status_ = 0;
    std::vector<api_message> errors_;
    std::vector<api_message> messages_;
    http::headers headers_;
    std::string body_excerpt_;
    std::optional<transport_failure> transport_;
    bool outcome_unknown_ = false;
    std::optional<std::chrono::milliseconds> retry_after_;
    std::vector<attempt_record> attempts_;
};

/// A call's outcome: the typed response or an `error_info`. `value()` throws the matching
/// exception (`not_found_error`, ...).
template <class T>
using result = basic_result<T, error_info>;

/// Base of every exception the library throws. Carries the full `error_info`.
class error : public std::runtime_error {
public:
    explicit error(error_info info)
        : std::runtime_error(info.message()), info_(std::make_shared<const error_info>(std::move(info))) {}

    /// Everything known about the failure.
    const error_info& info() const noexcept { return *info_; }
    error_kind kind() const noexcept { return info_->kind(); }
    int status() const noexcept { return info_->status(); }
    const std::vector<api_message>& errors() const noexcept { return info_->errors(); }
    const std::vector<api_message>& messages() const noexcept { return info_->messages(); }
    const http::headers& headers() const noexcept { return info_->headers(); }
    std::optional<std::string_view> ray_id() const noexcept { return info_->ray_id(); }
    const std::string& body_excerpt() const noexcept { return info_->body_excerpt(); }
    bool outcome_unknown() const noexcept { return info_->outcome_unknown(); }
    std::optional<std::chrono::milliseconds> retry_after() const noexcept { return info_->retry_after(); }
    const std::vector<attempt_record>& attempts() const noexcept { return info_->attempts(); }

private:
    std::shared_ptr<const error_info> info_; // shared: exceptions must copy cheaply and nothrow
};

/// Rejected before anything was sent: empty or unsafe path parameter, CR/LF in a header, no
/// credentials, malformed date, a call on a moved-from client. Derives from `cloudflare::error`
/// only, so `catch (const std::exception&)` catches it like every other library exception.
class invalid_argument : public error { public: using error::error; };

/// The server answered with a non-2xx status. Base of the per-status types below.
class api_status_error : public error { public: using error::error; };
/// 400
class bad_request_error : public api_status_error { public: using api_status_error::api_status_error; };
/// 401
class authentication_error : public api_status_error { public: using api_status_error::api_status_error; };
/// 403
class permission_denied_error : public api_status_error { public: using api_status_error::api_status_error; };
/// 404
class not_found_error : public api_status_error { public: using api_status_error::api_status_error; };
/// 409
class conflict_error : public api_status_error { public: using api_status_error::api_status_error; };
/// 422
class unprocessable_entity_error : public api_status_error { public: using api_status_error::api_status_error; };
/// 429 (also when the server asked for a wait over `client_options::max_retry_delay`).
class rate_limit_error : public api_status_error { public: using api_status_error::api_status_error; };
/// >= 500
class internal_server_error : public api_status_error { public: using api_status_error::api_status_error; };
/// The transport obtained no response (see `info().transport()`).
class api_connection_error : public error { public: using error::error; };
/// The transport timed out; the request may have reached the server.
class api_timeout_error : public api_connection_error { public: using api_connection_error::api_connection_error; };
/// A 2xx response that is not a valid envelope for the call: not JSON, `success:false`, no
/// `result`, a field of the wrong type, over a size or depth limit.
class api_response_validation_error : public error { public: using error::error; };

#if CLOUDFLARE_HAS_EXCEPTIONS
/// Throws the exception type matching `e.kind()`; what `result<T>::value()` calls.
[[noreturn]] inline void throw_as_exception(const error_info& e) {
    switch (e.kind()) {
    case error_kind::bad_request: throw bad_request_error(e);
    case error_kind::authentication: throw authentication_error(e);
    case error_kind::permission_denied: throw permission_denied_error(e);
    case error_kind::not_found: throw not_found_error(e);
    case error_kind::conflict: throw conflict_error(e);
    case error_kind::unprocessable_entity: throw unprocessable_entity_error(e);
    case error_kind::rate_limit: throw rate_limit_error(e);
    case error_kind::internal_server: throw internal_server_error(e);
    case error_kind::api_status: throw api_status_error(e);
    case error_kind::api_connection: throw api_connection_error(e);
    case error_kind::api_timeout: throw api_timeout_error(e);
    case error_kind::api_response_validation: throw api_response_validation_error(e);
    case error_kind::invalid_argument: throw invalid_argument(e);
    }
    throw error(e);
}
#endif

} // namespace cloudflare
