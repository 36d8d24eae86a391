// cloudflare-cpp: the contract between the client and whatever HTTP stack the caller brings.
#pragma once

#include <cloudflare/http.hpp>
#include <cloudflare/result.hpp>

#include <concepts>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace cloudflare {

/// What the server may have seen when a transport failed. The client's retry rules depend on it,
/// so report the most cautious truth: when unsure, `maybe_sent`.
enum class transport_failure {
    not_sent,   ///< provably never reached the server: DNS failure, connection refused, TLS handshake failed
    timed_out,  ///< the time budget ran out after the request may have been sent
    maybe_sent, ///< I/O error after (part of) the request was written; the server may have acted on it
};

/// "not_sent", "timed_out" or "maybe_sent".
constexpr std::string_view to_string(transport_failure f) noexcept {
    switch (f) {
    case transport_failure::not_sent: return "not_sent";
    case transport_failure::timed_out: return "timed_out";
    case transport_failure::maybe_sent: return "maybe_sent";
    }
    return "maybe_sent";
}

/// A transport failure as a value, for transports that do not throw.
struct transport_error_info {
    transport_failure failure = transport_failure::maybe_sent;
    std::string message; ///< for humans; must not contain credentials
};

/// Thrown by throwing transports when no HTTP response was obtained.
/// HTTP error statuses are *not* transport errors: return them as responses.
class transport_error : public std::runtime_error {
public:
    transport_error(transport_failure failure, std::string message)
        : std::runtime_error(message), failure_(failure) {}
    /// What the server may have seen.
    transport_failure failure() const noexcept { return failure_; }

private:
    transport_failure failure_;
};

#if CLOUDFLARE_HAS_EXCEPTIONS
/// Makes `transport_result::value()` throw `transport_error`.
[[noreturn]] inline void throw_as_exception(const transport_error_info& e) {
    throw transport_error(e.failure, e.message);
}
#endif

/// The return type of a non-throwing transport: a response (any status) or a transport failure.
using transport_result = basic_result<http::response, transport_error_info>;

namespace detail {
template <class T> struct unwrap_transport { using type = std::remove_cvref_t<T>; };
template <class T> struct unwrap_transport<std::reference_wrapper<T>> { using type = T; };
} // namespace detail

/// The transport type behind `T`: `T` itself, or what a `T&` / `std::reference_wrapper` refers to.
template <class T>
using transport_type_t = typename detail::unwrap_transport<std::remove_cvref_t<T>>::type;

/// A transport whose `send(const http::request&)` returns `http::response` and throws
/// `transport_error` when no response was obtained.
template <class T>
concept ThrowingTransport = requires(T& t, const http::request& r) {
    { t.send(r) } -> std::convertible_to<http::response>;
};

/// A transport whose `send(const http::request&)` returns `transport_result` (usable with
/// `-fno-exceptions`).
template <class T>
concept ResultTransport = requires(T& t, const http::request& r) {
    { t.send(r) } -> std::same_as<transport_result>;
};

/// Anything the client can send requests through: one synchronous call, request in, response
/// out, in either form above. `T&` and `std::reference_wrapper<T>` share a transport the caller
/// keeps. The transport never interprets HTTP statuses; the client does.
template <class T>
concept Transport = ResultTransport<transport_type_t<T>> || ThrowingTransport<transport_type_t<T>>;

namespace detail {
template <class T>
decltype(auto) unwrap(T& t) noexcept {
    if constexpr (requires { t.get(); } && !std::is_same_v<transport_type_t<T>, std::remove_cvref_t<T>>)
        return (t.get());
    else
        return (t);
}

#if CLOUDFLARE_HAS_EXCEPTIONS
/// The failure an exception from a transport stands for; call it inside a catch block. Shared by
/// the synchronous client and <cloudflare/asio.hpp>, so a throwing transport means the same in both.
inline transport_error_info current_transport_failure() {
    try {
        throw;
    } catch (const transport_error& e) {
        return transport_error_info{e.failure(), e.what()};
    } catch (const std::exception& e) {
        // A transport that throws something else broke its contract: we cannot know how far
        // the request got, so assume the worst.
        return transport_error_info{transport_failure::maybe_sent, std::string("transport threw: ") + e.what()};
    } catch (...) {
        // Not even a std::exception: still a failure whose outcome is unknown, never an
        // exception escaping a `try_` call.
        return transport_error_info{transport_failure::maybe_sent,
                                    "transport threw an exception not derived from std::exception"};
    }
}
#endif

/// Sends through either transport form and always answers with a value.
template <class T>
transport_result send_through(T& transport, const http::request& req) {
    auto& t = unwrap(transport);
    using U = std::remove_cvref_t<decltype(t)>;
    if constexpr (ResultTransport<U>) {
        return t.send(req);
    } else {
#if CLOUDFLARE_HAS_EXCEPTIONS
        try {
            return http::response(t.send(req));
        } catch (...) {
            return current_transport_failure();
        }
#else
        static_assert(ResultTransport<U>,
                      "without exceptions a transport must return cloudflare::transport_result");
#endif
    }
}
} // namespace detail

} // namespace cloudflare
