// cloudflare-cpp: asynchronous calls for Boost.Asio users (opt-in: the core headers never
// include Asio). `cloudflare::asio::async_call<E>` drives a call's state machine
// (call_machine.hpp) over an asynchronous transport, with the client's retry rules, observer and
// errors, waits on an `asio::steady_timer`, and Asio's completion tokens (callbacks,
// `use_future`, `use_awaitable`, `deferred`, `as_tuple`) and per-operation cancellation.
#pragma once

#include <cloudflare/call_machine.hpp>
#include <cloudflare/client_options.hpp>
#include <cloudflare/endpoint.hpp>
#include <cloudflare/error.hpp>
#include <cloudflare/transport.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/associator.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/steady_timer.hpp>

#include <concepts>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

namespace cloudflare::asio {

namespace net = boost::asio;

namespace detail {
/// The handler type `AsyncTransport` is checked with: anything callable with a transport_result.
using send_probe = void (*)(transport_result);
} // namespace detail

/// An asynchronous transport: an executor, and `async_send(request, token)` that completes with
/// `void(cloudflare::transport_result)`: the response (any HTTP status) or a transport failure
/// saying whether the request may have left. The request stays valid until completion. It
/// should honour the handler's cancellation slot (complete with `maybe_sent`, or `not_sent` if
/// nothing left) and use the handler's associated executor, as Asio's own operations do.
template <class T>
concept AsyncTransport = requires(T& t, const http::request& r, detail::send_probe h) {
    typename T::executor_type;
    { t.get_executor() } -> std::convertible_to<typename T::executor_type>;
    t.async_send(r, h);
};

/// For `AsyncTransport` authors: how one `async_send` completes. Made when the send starts, from
/// the handler and the transport's executor; called once, on the transport's executor, with the
/// result. The handler then runs through its own associated executor, whose work is tracked
/// until then, as Asio's own I/O objects do (`use_future`'s executor runs inline: posting the
/// handler to it would leave the io_context with no work, and `run` could return early).
template <class Handler, class Executor>
class send_completion {
public:
    send_completion(Handler handler, const Executor& io_executor)
        : ex_(net::prefer(net::get_associated_executor(handler, io_executor), net::execution::outstanding_work.tracked)),
          handler_(std::move(handler)) {}
    /// Delivers `result` to the handler through the handler's executor.
    void operator()(transport_result result) && {
        net::dispatch(ex_, [h = std::move(handler_), r = std::move(result)]() mutable { std::move(h)(std::move(r)); });
    }

private:
    std::decay_t<decltype(net::prefer(std::declval<net::associated_executor_t<Handler, Executor>>(),
                                      net::execution::outstanding_work.tracked))>
        ex_;
    Handler handler_;
};

namespace detail {

// A send handler that came back to its call inside the transport's async_send, on the thread
// that called it: invoked there (with its result), or destroyed there (the transport threw, or
// dropped it). The call goes on once async_send has returned, posted: never inside it.
template <class Self>
struct returned_send {
    std::optional<Self> self;
    std::optional<transport_result> result; // when it was invoked
};

// The sends being initiated on this thread, innermost first (a transport's async_send may start
// another call's send).
struct send_initiation {
    const void* call; // the call's machine
    void* returned;   // its returned_send<Self>
    send_initiation* outer;
};
inline thread_local send_initiation* initiating_sends = nullptr;

inline void* returned_slot(const void* call) noexcept {
    for (auto* i = initiating_sends; i; i = i->outer)
        if (i->call == call) return i->returned;
    return nullptr;
}

inline transport_error_info dropped_send() {
    return {transport_failure::maybe_sent, "the transport dropped the send without completing it"};
}

// The handler a transport gets for one send: the composed operation, which goes on exactly once
// whatever the transport does with it. Invoked, the call goes on (handed back instead, inside
// async_send). Destroyed uncalled (a transport whose completion threw), the call goes on, posted
// through the handler's executor, as after a `maybe_sent` failure: as the synchronous client
// treats a throwing transport. Asio's associators (executor, allocator, cancellation slot) see
// through it to the operation's.
template <class Self>
class send_handler {
public:
    send_handler(Self&& self, const void* call) : self_(std::move(self)), call_(call) {}
    // noexcept: Asio moves handlers as if their moves cannot throw; one that did would end the
    // program here rather than lose the call. The moved-from handler is no longer live.
    send_handler(send_handler&&) noexcept = default;
    send_handler& operator=(send_handler&&) = delete;
    ~send_handler() {
        if (!live_.live) return;
#if CLOUDFLARE_HAS_EXCEPTIONS
        try {
#endif
            if (auto* back = returned()) back->self.emplace(take());
            else net::post(net::append(take(), transport_result(dropped_send())));
#if CLOUDFLARE_HAS_EXCEPTIONS
        } catch (...) {
            // Out of memory while posting: the operation is destroyed, as Asio destroys handlers.
        }
#endif
    }

    void operator()(transport_result result) {
        Self self = take();
        if (auto* back = returned()) {
            back->self.emplace(std::move(self));
            back->result.emplace(std::move(result));
            return;
        }
        self(std::move(result));
    }

    const Self& operation() const noexcept { return self_; }

private:
    // True until moved from or taken: only the live handler goes on with the call.
    struct live_flag {
        bool live = true;
        live_flag() = default;
        live_flag(live_flag&& other) noexcept : live(std::exchange(other.live, false)) {}
        live_flag& operator=(live_flag&&) = delete;
        ~live_flag() = default;
    };

    Self take() {
        live_.live = false;
        return std::move(self_);
    }
    returned_send<Self>* returned() const noexcept { return static_cast<returned_send<Self>*>(returned_slot(call_)); }

    Self self_;
    live_flag live_;
    const void* call_;
};

// The composed operation: one call, step by step. At its first step the machine moves into
// memory from the completion handler's associated allocator, where it stays: async_send holds a
// reference to its request while the operation object itself moves from handler to handler.
template <Endpoint E, class Transport>
struct call_op {
    Transport& transport;
    std::optional<call_machine<E>> initial; // until the first step
    std::shared_ptr<call_machine<E>> machine;
    std::shared_ptr<net::steady_timer> timer;

    struct resume {}; // posted to itself: go on from the machine's next step

    // The first step, inside the initiating function.
    template <class Self>
    void operator()(Self& self) {
        // Every cancellation type reaches the pending send or wait (the default is terminal only).
        self.reset_cancellation_state(net::enable_total_cancellation());
        auto alloc = net::get_associated_allocator(self);
        machine = std::allocate_shared<call_machine<E>>(alloc, std::move(*initial));
        initial.reset();
        step(self, true);
    }

    template <class Self>
    void operator()(Self& self, resume) {
        step(self);
    }

    template <class Self>
    void operator()(Self& self, transport_result sent) {
        if (!sent && self.cancelled() != net::cancellation_type::none) {
            // Cancelled under way: whether the request may have left is the transport's word.
            const bool maybe_sent = sent.error().failure != transport_failure::not_sent;
            error_info e(error_kind::api_connection, std::string(E::name).append(": cancelled while sending"));
            e.set_transport(maybe_sent ? transport_failure::maybe_sent : transport_failure::not_sent);
            machine->abandon(std::move(e), maybe_sent);
            return step(self);
        }
        // An answer that came back is used, even if a cancellation raced it: it happened.
        if (sent) {
            machine->on_response(*sent);
            cloudflare::detail::secure_wipe(sent->body); // the body may hold a new secret
        } else {
            machine->on_transport_failure(sent.error());
        }
        step(self);
    }

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec) {
        if (ec || self.cancelled() != net::cancellation_type::none) abandon_wait();
        else machine->on_waited();
        step(self);
    }

    void abandon_wait() {
        error_info e(error_kind::api_connection, std::string(E::name).append(": cancelled while waiting to retry"));
        e.set_transport(transport_failure::not_sent);
        machine->abandon(std::move(e), false);
    }

    template <class Self>
    void step(Self& self, bool initiating = false) {
        auto next = machine->next();
        if (next == call_step::wait && self.cancelled() != net::cancellation_type::none) {
            abandon_wait(); // cancelled while an answer came in: do not start the wait
            next = machine->next();
        }
        switch (next) {
        case call_step::send:
            send(self);
            return;
        case call_step::wait:
            if (!timer) timer = std::allocate_shared<net::steady_timer>(net::get_associated_allocator(self), transport.get_executor());
            timer->expires_after(machine->delay());
            timer->async_wait(std::move(self));
            return;
        case call_step::done:
            break;
        }
        if (initiating) {
            // The request could not be built: the handler still runs after the initiating
            // function has returned, through its executor, as Asio requires.
            net::post(net::append(std::move(self), resume{}));
            return;
        }
        auto r = machine->take_result();
        machine.reset(); // wipes the request now, before the handler runs
        timer.reset();
        self.complete(std::move(r));
    }

    // Hands the operation to the transport. Whatever comes back inside async_send (the handler
    // invoked, or destroyed by a throw) goes on once async_send has returned, posted.
    template <class Self>
    void send(Self& self) {
        Transport& t = transport; // `*this` is moved into the handler below
        const http::request& request = machine->request();
        returned_send<Self> back;
        send_initiation here{machine.get(), &back, initiating_sends};
        initiating_sends = &here;
        std::optional<transport_error_info> thrown;
#if CLOUDFLARE_HAS_EXCEPTIONS
        try {
#endif
            t.async_send(request, send_handler<Self>(std::move(self), here.call));
#if CLOUDFLARE_HAS_EXCEPTIONS
        } catch (...) {
            thrown = cloudflare::detail::current_transport_failure(); // as the synchronous client reads it
        }
#endif
        initiating_sends = here.outer;
        if (!back.self) return; // the transport holds the handler, or another thread ran it
        transport_result r = back.result ? std::move(*back.result) : transport_result(thrown ? std::move(*thrown) : dropped_send());
        net::post(net::append(std::move(*back.self), std::move(r)));
    }
};

template <Endpoint E, class Transport, class Tuple, std::size_t... I>
auto start(Transport& t, const client_options& o, const request_options& ro, Tuple&& rest, std::index_sequence<I...>) {
    auto&& token = std::get<sizeof...(I)>(std::forward<Tuple>(rest));
    using R = result<typename E::response_type>;
    call_op<E, Transport> op{t, std::nullopt, nullptr, nullptr};
    op.initial.emplace(o, ro, std::get<I>(std::forward<Tuple>(rest))...);
    // As a forwarding reference would have deduced it: T for an rvalue token, T& for an lvalue.
    using Token = std::conditional_t<std::is_rvalue_reference_v<decltype(token)>, std::remove_reference_t<decltype(token)>,
                                     decltype(token)>;
    return net::async_compose<Token, void(R)>(std::move(op), token, t);
}

} // namespace detail

/// Calls endpoint `E` asynchronously over `transport`: optionally a `request_options`, then the
/// endpoint's arguments (positional ids, then params), then a completion token, which gets
/// `cloudflare::result<E::response_type>`.
/// Retries, backoff (an `asio::steady_timer` on the transport's executor, never a blocking
/// sleep), observer events, outcome-unknown and scrubbing are the client's (one state machine
/// for both). `options` must outlive the operation (a temporary does not compile).
///
/// The handler runs exactly once, never inside this call (even when the request cannot be
/// built, or the transport completes inside its `async_send`), through its associated
/// executor. A transport that throws, from `async_send` or on its way to completing, or that
/// destroys the handler uncalled, failed as the synchronous client reads a throwing transport
/// (`maybe_sent` unless it threw a `transport_error` saying otherwise): the retry rules decide.
///
/// Cancelling through the handler's cancellation slot cancels the pending send or wait; the call
/// then completes with an `api_connection` error whose `outcome_unknown()` says whether a
/// non-idempotent request may have been applied (the transport says whether it may have left).
///
/// @par Example (a coroutine)
/// @code
/// namespace cfa = cloudflare::zero_trust::access;
/// // Arguments named, not temporaries, in a co_await expression: GCC 12 destroys those twice.
/// const cfa::service_token_rotate_params params{.account_id = account};
/// auto token = co_await cloudflare::asio::async_call<cfa::endpoints::service_token_rotate>(
///     transport, options, token_id, params, boost::asio::use_awaitable);
/// @endcode
template <Endpoint E, AsyncTransport Transport, class First, class... Rest>
    requires(sizeof...(Rest) >= 1)
auto async_call(Transport& transport, const client_options& options, First&& first, Rest&&... rest) {
    if constexpr (std::is_same_v<std::remove_cvref_t<First>, request_options>) {
        // Per-call options (timeout, retries, headers) first, as in the synchronous calls' last argument.
        static_assert(sizeof...(Rest) >= 2, "async_call<E>(transport, options, request_options, arguments..., token)");
        return detail::start<E>(transport, options, first, std::forward_as_tuple(std::forward<Rest>(rest)...),
                                std::make_index_sequence<sizeof...(Rest) - 1>{});
    } else {
        return detail::start<E>(transport, options, request_options{},
                                std::forward_as_tuple(std::forward<First>(first), std::forward<Rest>(rest)...),
                                std::make_index_sequence<sizeof...(Rest)>{});
    }
}

/// Not from a temporary `client_options`: the operation refers to them until it completes.
template <Endpoint E, AsyncTransport Transport, class... Rest>
auto async_call(Transport& transport, const client_options&& options, Rest&&... rest) = delete;

} // namespace cloudflare::asio

/// Asio's associators (executor, allocator, cancellation slot) see through a call's send handler
/// to the composed operation's, so a transport uses the caller's.
template <template <class, class> class Associator, class Self, class Default>
struct boost::asio::associator<Associator, cloudflare::asio::detail::send_handler<Self>, Default>
    : Associator<Self, Default> {
    static typename Associator<Self, Default>::type get(const cloudflare::asio::detail::send_handler<Self>& h) noexcept {
        return Associator<Self, Default>::get(h.operation());
    }
    static auto get(const cloudflare::asio::detail::send_handler<Self>& h, const Default& d) noexcept
        -> decltype(Associator<Self, Default>::get(h.operation(), d)) {
        return Associator<Self, Default>::get(h.operation(), d);
    }
};
