// cloudflare-cpp: the client: a blocking driver of each call's state machine (call_machine.hpp).
#pragma once

#include <cloudflare/api_path.hpp>
#include <cloudflare/call_machine.hpp>
#include <cloudflare/client_options.hpp>
#include <cloudflare/detail/envelope.hpp>
#include <cloudflare/detail/redact.hpp>
#include <cloudflare/detail/request_builder.hpp>
#include <cloudflare/endpoint.hpp>
#include <cloudflare/error.hpp>
#include <cloudflare/retry.hpp>
#include <cloudflare/resources.hpp>
#include <cloudflare/transport.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace cloudflare {

namespace detail {

// The client's state, behind a stable address so resources can point at it and the client
// stays movable. Shared by concurrent calls: only the jitter state changes, atomically.
template <class T>
class client_core {
public:
    client_core(T transport, client_options options)
        : transport_(std::forward<T>(transport)), options_(std::move(options)),
          jitter_(jitter_source::seed_for(options_, this)) {}

    const client_options& options() const noexcept { return options_; }
    auto& transport() noexcept { return unwrap(transport_); }

    /// Calls `E` through `core`, which is null on a moved-from client: the one place every
    /// resource, pager and `client::call` goes through, so a moved-from client fails cleanly.
    template <Endpoint E, class... Args>
    static result<typename E::response_type> invoke(client_core* core, const request_options& o, const Args&... args) {
        if (!core)
            return error_info(error_kind::invalid_argument,
                              std::string(E::name).append(": this client was moved from; use the client it was moved to"));
        return core->template call<E>(o, args...);
    }

    /// Drives the call's state machine (`call_machine`) with the transport and a blocking wait.
    template <Endpoint E, class... Args>
    result<typename E::response_type> call(const request_options& call_opts, const Args&... args) {
        call_machine<E> m(shared_jitter{&jitter_}, options_, call_opts, args...);
        for (;;) {
            switch (m.next()) {
            case call_step::send: {
                transport_result sent = send_through(transport_, m.request());
                if (sent) {
                    m.on_response(*sent);
                    secure_wipe(sent->body); // the body may hold a new secret
                } else {
                    m.on_transport_failure(sent.error());
                }
                break;
            }
            case call_step::wait:
                sleep_for(m.delay());
                m.on_waited();
                break;
            case call_step::done:
                return m.take_result();
            }
        }
    }

private:
    void sleep_for(std::chrono::milliseconds d) const {
        if (options_.sleep) options_.sleep(d);
        else std::this_thread::sleep_for(d);
    }

    T transport_;
    client_options options_;
    jitter_source jitter_;
};

// Owns the core; a base class so it is built before the resources that point into it.
template <class Core>
struct core_holder {
    std::unique_ptr<Core> core_;
};

} // namespace detail

/// A Cloudflare API client over a caller-supplied transport.
///
/// `client<T>` owns its transport (moved in); `client<T&>` (from an lvalue) or
/// `client<std::reference_wrapper<T>>` shares one the caller keeps alive. Calls may run
/// concurrently from many threads whenever the transport allows it. Movable, not copyable.
///
/// Every API resource is a member (`client.dns.records`, `client.zones`, ...), declared in
/// `<cloudflare/resources.hpp>`; include a resource's own header (`<cloudflare/dns/records.hpp>`)
/// to call it, so a translation unit compiles only the resources it uses.
///
/// @par Example
/// @code
/// cloudflare::client client{my_transport, cloudflare::client_options::from_env()};
/// auto token = client.zero_trust.access.service_tokens.rotate(id, {.account_id = account});
/// @endcode
template <class T>
    requires Transport<T>
class client : private detail::core_holder<detail::client_core<T>>,
               public detail::resource_root<detail::client_core<T>> {
    using core_type = detail::client_core<T>;
    using holder = detail::core_holder<core_type>;
    using holder::core_;

public:
    /// Takes the transport (by value, or by reference for `T&`) and the options.
    // type_identity_t: the deduction guides below, not this constructor, decide T, so an
    // lvalue transport is shared (not copied) with every compiler.
    client(std::type_identity_t<T> transport, client_options options = client_options::from_env())
        : holder{std::make_unique<core_type>(std::forward<T>(transport), std::move(options))} {
        bind();
    }

    /// Takes over `other`'s core; `other` is left moved-from: its calls fail with
    /// `invalid_argument` (never reaching this client), `options()` and `transport()` throw it.
    client(client&& other) noexcept
        : holder{std::move(other.core_)} {
        bind();
        other.bind();
    }
    /// As the move constructor; this client's previous core is destroyed.
    client& operator=(client&& other) noexcept {
        if (this != &other) {
            core_ = std::move(other.core_);
            bind();
            other.bind();
        }
        return *this;
    }
    client(const client&) = delete;
    client& operator=(const client&) = delete;

    /// The options the client was built with. @throws invalid_argument on a moved-from client.
    const client_options& options() const { return live().options(); }
    /// The transport (unwrapped when shared by reference). @throws invalid_argument on a
    /// moved-from client.
    auto& transport() { return live().transport(); }

    /// Calls any declared endpoint `E` (see `cloudflare::Endpoint`); what the resources use.
    template <Endpoint E, class... Args>
    result<typename E::response_type> call(const request_options& o, const Args&... args) {
        return core_type::template invoke<E>(core_.get(), o, args...);
    }

    /// @name Any endpoint, by method and path
    /// What the SDK does not name, as the official SDKs' `client.get(path, ...)`: `path` is
    /// relative to `base_url` (an `api_path`), query parameters go in `o.extra_query`, and the
    /// answer's `result` is read as `R` (`raw_json` by default). The whole pipeline applies:
    /// credentials, retries by method (`any_endpoint`), observer, limits, redaction, typed errors.
    /// @par Example
    /// @code
    /// cloudflare::request_options o;
    /// o.extra_query = {{"type", "A"}};
    /// auto records = client.get(cloudflare::api_path("/zones/{}/dns_records", zone_id), o);
    /// @endcode
    /// @{
    template <class R = raw_json>
    result<R> try_get(const api_path& path, const request_options& o = {}) {
        return call<any_endpoint<R, http::method::get>>(o, path);
    }
    template <class R = raw_json>
    result<R> try_post(const api_path& path, const boost::json::value& body, const request_options& o = {}) {
        return call<any_endpoint<R, http::method::post>>(o, path, body);
    }
    template <class R = raw_json>
    result<R> try_put(const api_path& path, const boost::json::value& body, const request_options& o = {}) {
        return call<any_endpoint<R, http::method::put>>(o, path, body);
    }
    template <class R = raw_json>
    result<R> try_patch(const api_path& path, const boost::json::value& body, const request_options& o = {}) {
        return call<any_endpoint<R, http::method::patch>>(o, path, body);
    }
    template <class R = raw_json>
    result<R> try_delete_(const api_path& path, const request_options& o = {}) {
        return call<any_endpoint<R, http::method::delete_>>(o, path);
    }
#if CLOUDFLARE_HAS_EXCEPTIONS
    template <class R = raw_json>
    R get(const api_path& path, const request_options& o = {}) { return try_get<R>(path, o).value(); }
    template <class R = raw_json>
    R post(const api_path& path, const boost::json::value& body, const request_options& o = {}) {
        return try_post<R>(path, body, o).value();
    }
    template <class R = raw_json>
    R put(const api_path& path, const boost::json::value& body, const request_options& o = {}) {
        return try_put<R>(path, body, o).value();
    }
    template <class R = raw_json>
    R patch(const api_path& path, const boost::json::value& body, const request_options& o = {}) {
        return try_patch<R>(path, body, o).value();
    }
    template <class R = raw_json>
    R delete_(const api_path& path, const request_options& o = {}) { return try_delete_<R>(path, o).value(); }
#endif
    /// @}

private:
    // Points every resource at the current core (null when moved from).
    void bind() noexcept {
        this->bind_resources(core_.get());
    }
    core_type& live() const {
        if (!core_) {
#if CLOUDFLARE_HAS_EXCEPTIONS
            throw invalid_argument(error_info(error_kind::invalid_argument, "this client was moved from"));
#else
            std::abort(); // the documented precondition; calls themselves fail as values
#endif
        }
        return *core_;
    }
};

// An lvalue transport is shared by reference (T deduces as U&), an rvalue is owned.
template <class T>
client(T&&, client_options) -> client<T>;
template <class T>
client(T&&) -> client<T>;

} // namespace cloudflare

// Service tokens were the whole API before 0.3, reachable from this header: they stay so.
#include <cloudflare/zero_trust/access/service_tokens.hpp>
