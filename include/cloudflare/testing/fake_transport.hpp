// cloudflare-cpp testing kit: a scripted transport for unit tests of code that uses the client.
#pragma once

#include <cloudflare/http.hpp>
#include <cloudflare/transport.hpp>

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace cloudflare::testing {

/// A `Transport` that answers from a queue of scripted outcomes (responses or transport
/// failures), falling back to a handler, and records every request it was given.
/// Thread-safe. Works in builds without exceptions (it returns `transport_result`).
///
/// @par Example
/// @code
/// cloudflare::testing::fake_transport fake;
/// fake.push(cloudflare::testing::json_response(200, R"({"success":true,"errors":[],"messages":[],"result":{...}})"));
/// cloudflare::client client{fake, options};           // shared by reference
/// client.zero_trust.access.service_tokens.rotate(id, {.account_id = account});
/// CHECK(fake.requests().at(0).url.ends_with("/rotate"));
/// @endcode
class fake_transport {
public:
    using handler_type = std::function<transport_result(const http::request&)>;

    fake_transport() = default;
    /// A fake that answers every request (not served from the queue) with `handler`.
    explicit fake_transport(handler_type handler) : handler_(std::move(handler)) {}
    fake_transport(fake_transport&& o) noexcept {
        std::lock_guard lock(o.mutex_);
        queue_ = std::move(o.queue_);
        handler_ = std::move(o.handler_);
        requests_ = std::move(o.requests_);
    }

    /// Queues a response (any status) for a future request.
    void push(http::response r) { std::lock_guard lock(mutex_); queue_.emplace_back(std::move(r)); }
    /// Queues a transport failure for a future request.
    void push(transport_failure f, std::string message = "scripted transport failure") {
        std::lock_guard lock(mutex_);
        queue_.emplace_back(transport_error_info{f, std::move(message)});
    }
    /// Replaces the fallback handler.
    void set_handler(handler_type h) { std::lock_guard lock(mutex_); handler_ = std::move(h); }

    /// Every request received, in order (a copy, safe while other threads send).
    std::vector<http::request> requests() const { std::lock_guard lock(mutex_); return requests_; }
    /// Number of requests received.
    std::size_t request_count() const { std::lock_guard lock(mutex_); return requests_.size(); }
    /// Scripted outcomes not used yet.
    std::size_t pending() const { std::lock_guard lock(mutex_); return queue_.size(); }

    /// The `Transport` call: the next queued outcome, else the handler's answer, else a
    /// `not_sent` failure saying the script ran out (so a test fails loudly, never hangs).
    transport_result send(const http::request& req) {
        handler_type handler;
        {
            std::lock_guard lock(mutex_);
            requests_.push_back(req);
            if (!queue_.empty()) {
                auto next = std::move(queue_.front());
                queue_.pop_front();
                if (auto* r = std::get_if<http::response>(&next)) return std::move(*r);
                return std::get<transport_error_info>(std::move(next));
            }
            handler = handler_;
        }
        if (handler) return handler(req);
        return transport_error_info{transport_failure::not_sent, "fake_transport: no scripted response left"};
    }

private:
    mutable std::mutex mutex_;
    std::deque<std::variant<http::response, transport_error_info>> queue_;
    handler_type handler_;
    std::vector<http::request> requests_;
};

static_assert(Transport<fake_transport>);
static_assert(Transport<fake_transport&>);

/// A response with `Content-Type: application/json` and the given body.
inline http::response json_response(int status, std::string body, http::headers extra = {}) {
    http::response r;
    r.status = status;
    r.headers.emplace_back("Content-Type", "application/json");
    for (auto& h : extra) r.headers.push_back(std::move(h));
    r.body = std::move(body);
    return r;
}

} // namespace cloudflare::testing
