// cloudflare-cpp: the client. Composes build_request -> transport -> parse_response, with retries.
#pragma once

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
          jitter_(options_.jitter_seed ? *options_.jitter_seed
                                       : static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
                                             reinterpret_cast<std::uintptr_t>(this)) {}

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

    template <Endpoint E, class... Args>
    result<typename E::response_type> call(const request_options& call_opts, const Args&... args) {
        auto req = build_request<E>(options_, call_opts, args...);
        if (!req) return std::move(req).error();
        wipe_on_exit<http::request> req_guard{&*req}; // the Authorization header is a credential
        const int max_retries = std::max(0, call_opts.max_retries.value_or(options_.max_retries));
        std::vector<attempt_record> attempts; // filled only when something fails
        std::optional<http::headers> redacted_request; // built only for an observer
        bool unknown = false;
        for (int attempt = 1;; ++attempt) {
            const auto start = now();
            transport_result sent = send_through(transport_, *req);
            wipe_on_exit<transport_result> sent_guard{&sent}; // the body may hold a new secret
            const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now() - start);

            error_info err;
            retry_decision d;
            std::optional<std::chrono::milliseconds> server_delay;
            if (sent) {
                std::vector<std::string> warnings;
                auto parsed = parse_response<E>(*sent, options_.limits, &warnings);
                if (parsed) {
                    observe<E>(*req, redacted_request, attempt, &*sent, std::nullopt, elapsed, false, {}, "success", warnings);
                    return parsed;
                }
                err = std::move(parsed).error();
                err.set_body_excerpt(excerpt(sent->body, 512, credentials())); // redacted before it is cut
                if (err.kind() == error_kind::api_response_validation) {
                    // Applied, but unreadable: for a rotation the new secret is lost, so say so.
                    d.outcome_unknown = !E::idempotent;
                    d.reason = "invalid response is final";
                } else {
                    server_delay = server_retry_delay(sent->headers, wall_now());
                    err.set_retry_after(server_delay);
                    d = decide_retry(E::idempotent, call_opts.retry_non_idempotent, sent->status, std::nullopt,
                                     sent->headers.get("x-should-retry"));
                }
            } else {
                const auto& f = sent.error();
                err = transport_failure_error<E>(f);
                d = decide_retry(E::idempotent, call_opts.retry_non_idempotent, 0, f.failure, std::nullopt);
            }
            unknown = unknown || d.outcome_unknown;
            const auto failure = sent ? std::nullopt : std::optional<transport_failure>(sent.error().failure);
            attempts.push_back({attempt, sent ? sent->status : 0, failure, elapsed});

            std::chrono::milliseconds delay{0};
            bool retry = d.retry && attempt <= max_retries;
            if (retry) {
                delay = server_delay ? *server_delay : backoff_delay(attempt - 1, next_jitter());
                if (server_delay && *server_delay > options_.max_retry_delay) {
                    // Not slept: the caller learns how long the server wants and decides. The
                    // error keeps the kind its status gives (a 503 stays internal_server).
                    retry = false;
                    d.reason = "server asked for a delay over max_retry_delay";
                    err.set_message(err.message() + " (server asked to wait " + std::to_string(server_delay->count()) +
                                    " ms, over client_options::max_retry_delay)");
                }
            }
            observe<E>(*req, redacted_request, attempt, sent ? &*sent : nullptr, failure, elapsed, retry,
                       retry ? delay : std::chrono::milliseconds(0), d.reason, {});
            if (retry) {
                sleep_for(delay);
                continue;
            }
            if (attempt > 1) err.set_message(err.message() + " (after " + std::to_string(attempt) + " attempts)");
            err.set_outcome_unknown(unknown); // over all attempts: any may have been applied
            if (unknown) {
                err.set_message(err.message() +
                                ". The request may have been applied: read the resource back (e.g. get the token) "
                                "before trying again");
            }
            err.set_attempts(std::move(attempts));
            scrub_error(err);
            return err;
        }
    }

private:
    // Wipes what `p` points to when a scope ends, however it ends.
    template <class U>
    struct wipe_on_exit {
        U* p;
        explicit wipe_on_exit(U* q) noexcept : p(q) {}
        wipe_on_exit(const wipe_on_exit&) = delete;
        wipe_on_exit& operator=(const wipe_on_exit&) = delete;
        ~wipe_on_exit() {
            if constexpr (std::is_same_v<U, http::request>) {
                // Every value, not just the known credential names: zeroing a few short
                // strings costs less than deciding which of them are sensitive.
                for (auto& f : p->headers) secure_wipe(f.value);
                secure_wipe(p->body);
            } else if (*p) {
                secure_wipe((*p)->body);
            }
        }
    };

    std::span<const std::string_view> credentials() const noexcept { return creds_; }

    // A hostile server (or a proxy) may echo a credential or a secret anywhere: a message, an
    // error entry's documentation URL, an unrelated JSON field, a header. The client knows its
    // credentials, so it removes them, and anything shaped like a secret, from every string it
    // reports.
    void scrub_text(std::string& text) const {
        for (auto c : creds_) scrub(text, c);
        scrub_secret_shapes(text);
    }
    void scrub_text(std::optional<std::string>& text) const {
        if (text) scrub_text(*text);
    }
    void scrub_error(error_info& e) const {
        std::string m = e.message(), b = e.body_excerpt();
        scrub_text(m);
        scrub_text(b);
        http::headers h = redact_headers(e.headers());
        for (auto& f : h) scrub_text(f.value);
        std::vector<api_message> errors = e.errors(), messages = e.messages();
        for (auto* list : {&errors, &messages})
            for (auto& msg : *list) {
                scrub_text(msg.message);
                scrub_text(msg.documentation_url);
                scrub_text(msg.source_pointer);
            }
        e.set_message(std::move(m)).set_body_excerpt(std::move(b)).set_headers(std::move(h));
        e.set_errors(std::move(errors)).set_messages(std::move(messages));
    }

    std::chrono::steady_clock::time_point now() const {
        return options_.clock ? options_.clock() : std::chrono::steady_clock::now();
    }
    std::chrono::system_clock::time_point wall_now() const {
        return options_.wall_clock ? options_.wall_clock() : std::chrono::system_clock::now();
    }
    void sleep_for(std::chrono::milliseconds d) const {
        if (options_.sleep) options_.sleep(d);
        else std::this_thread::sleep_for(d);
    }
    // splitmix64 over an atomic counter: lock-free, thread-safe, seedable.
    double next_jitter() noexcept {
        std::uint64_t z = jitter_.fetch_add(0x9E3779B97F4A7C15ull, std::memory_order_relaxed) + 0x9E3779B97F4A7C15ull;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        return static_cast<double>(z >> 11) * 0x1.0p-53;
    }

    template <class E>
    void observe(const http::request& req, std::optional<http::headers>& redacted_request, int attempt,
                 const http::response* resp, std::optional<transport_failure> failure, std::chrono::milliseconds elapsed,
                 bool will_retry, std::chrono::milliseconds delay, std::string_view decision,
                 std::span<const std::string> warnings) const {
        if (!options_.observer) return;
        if (!redacted_request) redacted_request = redact_headers(req.headers);
        attempt_event ev;
        ev.endpoint = E::name;
        ev.method = req.method;
        ev.url = req.url;
        ev.attempt = attempt;
        ev.status = resp ? resp->status : 0;
        ev.failure = failure;
        ev.elapsed = elapsed;
        ev.will_retry = will_retry;
        ev.retry_delay = delay;
        ev.decision = decision;
        ev.request_headers = &*redacted_request;
        ev.warnings = warnings;
        http::headers response_headers;
        std::string body;
        if (resp) {
            response_headers = redact_headers(resp->headers);
            for (auto& f : response_headers) scrub_text(f.value);
            ev.ray_id = resp->headers.get("cf-ray");
            ev.response_headers = &response_headers;
            body = excerpt(resp->body, 512, credentials());
            ev.response_body_excerpt = body;
        }
#if CLOUDFLARE_HAS_EXCEPTIONS
        // A throwing observer must not cost the caller the call's result (a rotation that was
        // applied) nor escape a `try_` form: its exception is dropped.
        try {
            options_.observer(ev);
        } catch (...) {
        }
#else
        options_.observer(ev);
#endif
    }

    T transport_;
    client_options options_;
    std::array<std::string_view, 4> creds_{options_.api_token.reveal(), options_.api_key.reveal(),
                                           options_.api_email.reveal(), options_.user_service_key.reveal()};
    std::atomic<std::uint64_t> jitter_;
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
        : holder{std::make_unique<core_type>(std::forward<T>(transport), std::move(options))},
          detail::resource_root<core_type>(holder::core_.get()) {}

    /// Takes over `other`'s core; `other` is left moved-from: its calls fail with
    /// `invalid_argument` (never reaching this client), `options()` and `transport()` throw it.
    client(client&& other) noexcept
        : holder{std::move(other.core_)}, detail::resource_root<core_type>(holder::core_.get()) {
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

private:
    // Points every resource at the current core (null when moved from).
    void bind() noexcept {
        static_cast<detail::resource_root<core_type>&>(*this) = detail::resource_root<core_type>(core_.get());
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
