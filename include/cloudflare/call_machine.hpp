// cloudflare-cpp: the call pipeline as a sans-IO state machine. Build, send, classify, retry or
// not, wait, parse: with attempt records, observer events, outcome-unknown bookkeeping and
// credential scrubbing. It never sends and never sleeps; it says what to do next. The client is
// one driver of it, <cloudflare/asio.hpp> another, and an event loop of yours can be a third.
#pragma once

#include <cloudflare/client_options.hpp>
#include <cloudflare/detail/redact.hpp>
#include <cloudflare/endpoint.hpp>
#include <cloudflare/error.hpp>
#include <cloudflare/retry.hpp>
#include <cloudflare/transport.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace cloudflare {

/// What a `call_machine` asks of its driver next.
enum class call_step {
    send, ///< send `request()`; feed the answer to `on_response` or the failure to `on_transport_failure`
    wait, ///< wait `delay()` (a timer, not a blocking sleep, on an event loop), then call `on_waited()`
    done, ///< the call is over: `take_result()`
};

namespace detail {

/// Backoff jitter: splitmix64 over an atomic counter (lock-free, thread-safe, seedable). A client
/// shares one among its calls, so concurrent retries spread out.
class jitter_source {
public:
    explicit jitter_source(std::uint64_t seed) noexcept : state_(seed) {}
    /// Seeded by `o.jitter_seed`, else by the clock and `salt`.
    static std::uint64_t seed_for(const client_options& o, const void* salt) noexcept {
        return o.jitter_seed ? *o.jitter_seed
                             : static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
                                   reinterpret_cast<std::uintptr_t>(salt);
    }
    double next() noexcept {
        std::uint64_t z = state_.fetch_add(0x9E3779B97F4A7C15ull, std::memory_order_relaxed) + 0x9E3779B97F4A7C15ull;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        return static_cast<double>(z >> 11) * 0x1.0p-53;
    }

private:
    std::atomic<std::uint64_t> state_;
};

/// A call's pipeline minus what depends on the endpoint's types (building and parsing): one
/// copy of the retry rules for every endpoint and every driver.
class call_pipeline {
public:
    /// `build()` makes the request (in place: no copy of it).
    template <class Build>
    call_pipeline(const client_options& o, const request_options& call, answerer who, bool idempotent,
                  jitter_source* shared_jitter, Build&& build)
        : o_(&o), name_(who.name), secret_paths_(who.secret_paths), idempotent_(idempotent), retry_non_idempotent_(call.retry_non_idempotent),
          max_retries_(std::max(0, call.max_retries.value_or(o.max_retries))), shared_jitter_(shared_jitter),
          request_(std::forward<Build>(build)()) {
        if (request_) {
            step_ = call_step::send;
            attempt_ = 1;
        }
    }
    call_pipeline(const call_pipeline&) = delete;
    call_pipeline& operator=(const call_pipeline&) = delete;
    call_pipeline(call_pipeline&& other) noexcept
        : o_(other.o_), name_(other.name_), secret_paths_(other.secret_paths_), idempotent_(other.idempotent_),
          retry_non_idempotent_(other.retry_non_idempotent_), max_retries_(other.max_retries_),
          shared_jitter_(other.shared_jitter_), step_(other.step_), attempt_(other.attempt_), in_flight_(other.in_flight_), unknown_(other.unknown_),
          start_(other.start_), delay_(other.delay_), request_(std::move(other.request_)),
          attempts_(std::move(other.attempts_)), redacted_request_(std::move(other.redacted_request_)),
          error_(std::move(other.error_)), own_jitter_(std::move(other.own_jitter_)) {
        other.step_ = call_step::done;
    }
    call_pipeline& operator=(call_pipeline&&) = delete;
    // Every header value and the body: the Authorization header is a credential.
    ~call_pipeline() {
        if (!request_) return;
        for (auto& f : request_->headers) secure_wipe(f.value);
        secure_wipe(request_->body);
    }

    call_step step() const noexcept { return step_; }
    const http::request& request() const noexcept { return *request_; }
    std::chrono::milliseconds delay() const noexcept { return delay_; }
    int attempt() const noexcept { return attempt_; }

    /// The driver is about to send: the attempt's clock starts.
    void sending() {
        start_ = now();
        in_flight_ = true;
    }
    /// An attempt is under way: `sending()` was called and its outcome not fed yet.
    bool in_flight() const noexcept { return in_flight_; }
    std::chrono::milliseconds elapsed() const {
        if (!in_flight_) return std::chrono::milliseconds(0);
        return std::chrono::duration_cast<std::chrono::milliseconds>(now() - start_);
    }

    /// The answer parsed: the call is over.
    void succeeded(const http::response& r, std::chrono::milliseconds elapsed, std::span<const std::string> warnings) {
        in_flight_ = false;
        observe(&r, std::nullopt, elapsed, false, {}, "success", warnings);
        step_ = call_step::done;
    }

    /// The answer did not parse (`err`), or the transport failed (`f`, with `err` made from it).
    void failed(error_info err, const http::response* resp, std::optional<transport_failure> f,
                std::chrono::milliseconds elapsed) {
        in_flight_ = false;
        retry_decision d;
        std::optional<std::chrono::milliseconds> server_delay;
        if (resp) {
            err.set_body_excerpt(excerpt(resp->body, 512, credentials_array(), secret_paths_)); // redacted before it is cut
            if (err.kind() == error_kind::api_response_validation) {
                // Applied, but unreadable: for a rotation the new secret is lost, so say so.
                d.outcome_unknown = !idempotent_;
                d.reason = "invalid response is final";
            } else {
                server_delay = server_retry_delay(resp->headers, wall_now());
                err.set_retry_after(server_delay);
                d = decide_retry(idempotent_, retry_non_idempotent_, resp->status, std::nullopt,
                                 resp->headers.get("x-should-retry"));
            }
        } else {
            d = decide_retry(idempotent_, retry_non_idempotent_, 0, f, std::nullopt);
        }
        unknown_ = unknown_ || d.outcome_unknown;
        attempts_.push_back({attempt_, resp ? resp->status : 0, f, elapsed});

        std::chrono::milliseconds delay{0};
        bool retry = d.retry && attempt_ <= max_retries_;
        if (retry) {
            delay = server_delay ? *server_delay : backoff_delay(attempt_ - 1, next_jitter());
            if (server_delay && *server_delay > o_->max_retry_delay) {
                // Not waited: the caller learns how long the server wants and decides. The
                // error keeps the kind its status gives (a 503 stays internal_server).
                retry = false;
                d.reason = "server asked for a delay over max_retry_delay";
                err.set_message(err.message() + " (server asked to wait " + std::to_string(server_delay->count()) +
                                " ms, over client_options::max_retry_delay)");
            }
        }
        observe(resp, f, elapsed, retry, retry ? delay : std::chrono::milliseconds(0), d.reason, {});
        if (retry) {
            delay_ = delay;
            step_ = call_step::wait;
            return;
        }
        if (attempt_ > 1) err.set_message(err.message() + " (after " + std::to_string(attempt_) + " attempts)");
        finish(std::move(err));
    }

    void waited() {
        if (step_ != call_step::wait) return;
        ++attempt_;
        step_ = call_step::send;
    }

    /// Ends the call early (a cancelled send or wait): what may have been sent decides
    /// `outcome_unknown`, as for a transport failure of that kind.
    void abandon(error_info err, bool maybe_sent) {
        if (step_ == call_step::done) return;
        unknown_ = unknown_ || (maybe_sent && !idempotent_);
        if (maybe_sent) attempts_.push_back({attempt_, 0, transport_failure::maybe_sent, elapsed()});
        in_flight_ = false;
        finish(std::move(err));
    }

    /// The error the call ended with (a bad argument, or what its attempts came to).
    error_info take_error() {
        if (error_) return std::move(*error_);
        if (!request_) return std::move(request_).error();
        return error_info(error_kind::invalid_argument, std::string(name_).append(": the call is not over"));
    }

private:
    void finish(error_info err) {
        err.set_outcome_unknown(unknown_); // over all attempts: any may have been applied
        if (unknown_) {
            err.set_message(err.message() +
                            ". The request may have been applied: read the resource back (e.g. get the token) "
                            "before trying again");
        }
        err.set_attempts(std::move(attempts_));
        scrub_error(err);
        error_.emplace(std::move(err));
        step_ = call_step::done;
    }

    std::array<std::string_view, 4> credentials_array() const noexcept {
        return {o_->api_token.reveal(), o_->api_key.reveal(), o_->api_email.reveal(), o_->user_service_key.reveal()};
    }

    // A hostile server (or a proxy) may echo a credential or a secret anywhere: a message, an
    // error entry's documentation URL, an unrelated JSON field, a header. The pipeline knows the
    // credentials, so it removes them, and anything shaped like a secret, from every string it
    // reports.
    void scrub_text(std::string& text) const {
        for (auto c : credentials_array()) scrub(text, c);
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
        return o_->clock ? o_->clock() : std::chrono::steady_clock::now();
    }
    std::chrono::system_clock::time_point wall_now() const {
        return o_->wall_clock ? o_->wall_clock() : std::chrono::system_clock::now();
    }
    double next_jitter() {
        if (shared_jitter_) return shared_jitter_->next();
        if (!own_jitter_) own_jitter_ = std::make_unique<jitter_source>(jitter_source::seed_for(*o_, this));
        return own_jitter_->next();
    }

    void observe(const http::response* resp, std::optional<transport_failure> failure, std::chrono::milliseconds elapsed,
                 bool will_retry, std::chrono::milliseconds delay, std::string_view decision,
                 std::span<const std::string> warnings) {
        if (!o_->observer) return;
        if (!redacted_request_) redacted_request_ = redact_headers(request_->headers);
        attempt_event ev;
        ev.endpoint = name_;
        ev.method = request_->method;
        ev.url = request_->url;
        ev.attempt = attempt_;
        ev.status = resp ? resp->status : 0;
        ev.failure = failure;
        ev.elapsed = elapsed;
        ev.will_retry = will_retry;
        ev.retry_delay = delay;
        ev.decision = decision;
        ev.request_headers = &*redacted_request_;
        ev.warnings = warnings;
        http::headers response_headers;
        std::string body;
        if (resp) {
            response_headers = redact_headers(resp->headers);
            for (auto& f : response_headers) scrub_text(f.value);
            ev.ray_id = resp->headers.get("cf-ray");
            ev.response_headers = &response_headers;
            body = excerpt(resp->body, 512, credentials_array(), secret_paths_);
            ev.response_body_excerpt = body;
        }
#if CLOUDFLARE_HAS_EXCEPTIONS
        // A throwing observer must not cost the caller the call's result (a rotation that was
        // applied) nor escape a `try_` form: its exception is dropped.
        try {
            o_->observer(ev);
        } catch (...) {
        }
#else
        o_->observer(ev);
#endif
    }

    const client_options* o_;
    std::string_view name_;
    std::span<const std::string_view> secret_paths_; // the endpoint's: hidden in every excerpt
    bool idempotent_;
    bool retry_non_idempotent_;
    int max_retries_;
    jitter_source* shared_jitter_;
    call_step step_ = call_step::done;
    int attempt_ = 0;
    bool in_flight_ = false; // sending() was called for this attempt, its outcome not fed yet
    bool unknown_ = false;
    std::chrono::steady_clock::time_point start_{};
    std::chrono::milliseconds delay_{0};
    result<http::request> request_;                   // or why it could not be built
    std::vector<attempt_record> attempts_;            // filled only when something fails
    std::optional<http::headers> redacted_request_;   // built only for an observer
    std::optional<error_info> error_;                 // how the attempts ended
    std::unique_ptr<jitter_source> own_jitter_;       // when no client shares one
};

struct shared_jitter {
    jitter_source* source;
};

// Initialises an object in place from what `f` returns (a prvalue: no move), e.g. in emplace.
template <class F>
struct in_place_from {
    F f;
    operator std::invoke_result_t<F&>() { return f(); }
};
template <class F>
in_place_from(F) -> in_place_from<F>;

} // namespace detail

/// One call of endpoint `E` as a state machine: ask `next()` what to do, do it, feed the outcome
/// back, until `call_step::done`; then `take_result()`. It holds the request (wiped when it is
/// destroyed) and refers to the options, which must outlive it. Movable, not copyable; one
/// thread at a time. Same rules, attempts, observer events and errors as `client` calls, which
/// drive it.
///
/// @par Example: any loop
/// @code
/// cloudflare::call_machine<access::endpoints::service_token_rotate> m(options, {}, token_id, params);
/// for (;;) {
///     switch (m.next()) {
///     case cloudflare::call_step::send: my_send(m.request(), [&](auto r) { m.on_response(r); }); break;
///     case cloudflare::call_step::wait: my_timer(m.delay(), [&] { m.on_waited(); }); break;
///     case cloudflare::call_step::done: return m.take_result();
///     }
/// }
/// @endcode
template <Endpoint E>
class call_machine {
public:
    using response_type = typename E::response_type;

    /// Builds the request from the call's arguments (as `build_request`): a bad argument ends the
    /// machine at once (`next()` says done; `take_result()` holds the `invalid_argument` error).
    template <class... Args>
    call_machine(const client_options& o, const request_options& call, const Args&... args)
        : p_(o, call, {E::name, detail::secret_paths<E>()}, E::idempotent, nullptr, [&] { return build_request<E>(o, call, args...); }),
          limits_(&o.limits),
          validation_(o.strict_response_validation ? response_validation::strict : response_validation::tolerant) {}
    /// As above, with the client's shared jitter (concurrent retries spread out).
    template <class... Args>
    call_machine(detail::shared_jitter j, const client_options& o, const request_options& call, const Args&... args)
        : p_(o, call, {E::name, detail::secret_paths<E>()}, E::idempotent, j.source, [&] { return build_request<E>(o, call, args...); }),
          limits_(&o.limits),
          validation_(o.strict_response_validation ? response_validation::strict : response_validation::tolerant) {}

    /// Not from temporary options: the machine refers to them.
    template <class... Args>
    call_machine(const client_options&&, const request_options&, const Args&...) = delete;

    /// What to do next. Saying `send` starts the attempt's clock.
    call_step next() {
        if (p_.step() == call_step::send) p_.sending();
        return p_.step();
    }
    /// The request to send (valid while the machine lives; the same object on every attempt).
    const http::request& request() const noexcept { return p_.request(); }
    /// How long to wait before the next attempt.
    std::chrono::milliseconds delay() const noexcept { return p_.delay(); }
    /// The attempt now running (1 for the first).
    int attempt() const noexcept { return p_.attempt(); }

    /// Feeds the transport's answer (any HTTP status), after `next()` said send. Fed at any
    /// other time (before `next()`, twice for one attempt) it ends the call with an
    /// `invalid_argument` error: the request may have been sent, so a non-idempotent call's
    /// outcome is then unknown.
    void on_response(const http::response& r) {
        if (!p_.in_flight()) return misuse("on_response");
        const auto elapsed = p_.elapsed();
        std::vector<std::string> warnings;
#if CLOUDFLARE_HAS_EXCEPTIONS
        try {
#endif
            // Parsed straight into place: the result is not moved on its way to the caller.
            result_.emplace(detail::in_place_from{[&] { return parse_response<E>(r, *limits_, &warnings, validation_); }});
#if CLOUDFLARE_HAS_EXCEPTIONS
        } catch (const std::bad_alloc&) {
            // Out of memory while reading: the answer is lost like an unreadable one (for a
            // non-idempotent call, its outcome is unknown); no exception leaves a `try_` form.
            warnings.clear();
            result_.emplace(error_info(error_kind::api_response_validation,
                                       std::string(E::name).append(": not enough memory to read the answer (")
                                           .append(std::to_string(r.body.size())).append(" bytes)")));
        }
#endif
        if (*result_) {
            p_.succeeded(r, elapsed, warnings);
            return;
        }
        auto err = std::move(*result_).error();
        result_.reset();
        p_.failed(std::move(err), &r, std::nullopt, elapsed);
    }
    /// Feeds a transport failure (no HTTP response).
    void on_transport_failure(const transport_error_info& f) {
        if (!p_.in_flight()) return misuse("on_transport_failure");
        p_.failed(transport_failure_error<E>(f), nullptr, f.failure, p_.elapsed());
    }
    /// The wait is over.
    void on_waited() { p_.waited(); }
    /// Ends the call now (e.g. cancelled): with `maybe_sent`, while a send was under way (its
    /// outcome is then unknown for a non-idempotent call); otherwise during a wait.
    void abandon(error_info why, bool maybe_sent) { p_.abandon(std::move(why), maybe_sent); }

    /// The outcome, once `next()` says done; once. Before done, or a second time, an
    /// `invalid_argument` error says so (never an empty "success").
    result<response_type> take_result() {
        if (taken_)
            return error_info(error_kind::invalid_argument,
                              std::string(E::name).append(": take_result() was called before; the outcome was taken then"));
        if (p_.step() != call_step::done)
            return error_info(error_kind::invalid_argument,
                              std::string(E::name).append(": take_result() before next() said done; the call is not over"));
        taken_ = true;
        if (result_) return std::move(*result_);
        return p_.take_error();
    }

private:
    // Fed outside an attempt: ends the call (the driver is broken; going on would record a
    // wrong time, or take a second answer for one attempt).
    void misuse(std::string_view what) {
        if (p_.step() == call_step::done) return; // over: nothing more to record
        p_.abandon(error_info(error_kind::invalid_argument,
                              std::string(E::name).append(": ").append(what).append(
                                  "() fed while no attempt was under way (call next() and send when it says send)")),
                   true);
    }
    detail::call_pipeline p_;
    const response_limits* limits_;
    response_validation validation_;
    std::optional<result<response_type>> result_;
    bool taken_ = false; // take_result() handed the outcome out
};

} // namespace cloudflare
