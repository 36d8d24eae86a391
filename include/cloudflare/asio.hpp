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

#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
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

// The composed operation: one call, step by step. At its first step the machine moves into
// memory from the completion handler's associated allocator, where it stays: async_send holds a
// reference to its request while the operation object itself moves from handler to handler.
template <Endpoint E, class Transport>
struct call_op {
    Transport& transport;
    std::optional<call_machine<E>> initial; // until the first step
    std::shared_ptr<call_machine<E>> machine;
    std::shared_ptr<net::steady_timer> timer;

    template <class Self>
    void operator()(Self& self) {
        // Every cancellation type reaches the pending send or wait (the default is terminal only).
        self.reset_cancellation_state(net::enable_total_cancellation());
        auto alloc = net::get_associated_allocator(self);
        machine = std::allocate_shared<call_machine<E>>(alloc, std::move(*initial));
        initial.reset();
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
    void step(Self& self) {
        auto next = machine->next();
        if (next == call_step::wait && self.cancelled() != net::cancellation_type::none) {
            abandon_wait(); // cancelled while an answer came in: do not start the wait
            next = machine->next();
        }
        switch (next) {
        case call_step::send:
            transport.async_send(machine->request(), std::move(self));
            return;
        case call_step::wait:
            if (!timer) timer = std::allocate_shared<net::steady_timer>(net::get_associated_allocator(self), transport.get_executor());
            timer->expires_after(machine->delay());
            timer->async_wait(std::move(self));
            return;
        case call_step::done:
            break;
        }
        auto r = machine->take_result();
        machine.reset(); // wipes the request now, before the handler runs
        timer.reset();
        self.complete(std::move(r));
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
/// for both). `options` must outlive the operation (a temporary does not compile). Cancelling through the handler's
/// cancellation slot cancels the pending send or wait; the call then completes with an
/// `api_connection` error whose `outcome_unknown()` says whether a non-idempotent request may
/// have been applied.
///
/// @par Example
/// @code
/// auto token = co_await cloudflare::asio::async_call<access::endpoints::service_token_rotate>(
///     transport, options, token_id, access::service_token_rotate_params{.account_id = acc}, asio::use_awaitable);
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
