// cloudflare-cpp: a scripted asynchronous transport for unit tests of code that calls through
// <cloudflare/asio.hpp>. Needs Boost.Asio (like asio.hpp; the core headers never include it).
#pragma once

#include <cloudflare/asio.hpp>
#include <cloudflare/testing/fake_transport.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <utility>

namespace cloudflare::testing {

/// Answers from a `fake_transport` script (`script().push(...)`), asynchronously: each answer is
/// delivered through the handler's associated executor, after `latency` on a timer when it is
/// non-zero. Cancelling the handler's slot during that latency completes the send with a
/// `maybe_sent` failure (the request may have arrived), as a real transport would. Sends may run
/// concurrently from several threads; cancel from the thread that runs the operation.
///
/// @par Example
/// @code
/// asio::io_context io;
/// cloudflare::testing::fake_async_transport fake(io.get_executor());
/// fake.script().push(cloudflare::testing::json_response(200, envelope));
/// cloudflare::asio::async_call<E>(fake, options, params, [](auto result) { /* ... */ });
/// io.run();
/// @endcode
class fake_async_transport {
public:
    using executor_type = boost::asio::any_io_executor;

    explicit fake_async_transport(executor_type ex, std::chrono::milliseconds latency = std::chrono::milliseconds(0))
        : ex_(std::move(ex)), latency_(latency) {}

    executor_type get_executor() const noexcept { return ex_; }
    /// The scripted answers, and every request received.
    fake_transport& script() noexcept { return script_; }
    /// How long each answer takes (a timer: other operations run meanwhile).
    void set_latency(std::chrono::milliseconds d) noexcept { latency_ = d; }

    /// The `AsyncTransport` call: completes with `void(transport_result)`.
    template <class Token>
    auto async_send(const http::request& req, Token&& token) {
        namespace net = boost::asio;
        return net::async_initiate<Token, void(transport_result)>(
            [this](auto handler, const http::request* r) {
                auto answer = script_.send(*r);
                auto slot = net::get_associated_cancellation_slot(handler);
                asio::send_completion done(std::move(handler), ex_);
                if (latency_.count() == 0) {
                    net::post(ex_, [d = std::move(done), a = std::move(answer)]() mutable { std::move(d)(std::move(a)); });
                    return;
                }
                auto timer = std::make_shared<net::steady_timer>(ex_, latency_);
                if (slot.is_connected()) slot.assign([timer](net::cancellation_type) { timer->cancel(); });
                timer->async_wait([timer, slot, d = std::move(done), a = std::move(answer)](boost::system::error_code ec) mutable {
                    if (slot.is_connected()) slot.clear();
                    if (ec) std::move(d)(transport_result(transport_error_info{transport_failure::maybe_sent, "cancelled"}));
                    else std::move(d)(std::move(a));
                });
            },
            token, &req);
    }

private:
    executor_type ex_;
    std::chrono::milliseconds latency_;
    fake_transport script_;
};

static_assert(asio::AsyncTransport<fake_async_transport>, "the fake models the asynchronous transport concept");

} // namespace cloudflare::testing
