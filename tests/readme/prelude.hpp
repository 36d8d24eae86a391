// The names README.md's C++ snippets assume the reader already has: their HTTP stack, their
// vault, the variables a fragment uses. Declarations only: the snippets are compiled, never
// linked or run, so none of this needs a body (tests/readme/extract.py, meson.build).
#pragma once

#include <cloudflare/cloudflare.hpp>
#include <cloudflare/testing/emulator.hpp>
#include <cloudflare/testing/fake_async_transport.hpp>
#include <cloudflare/testing/fake_transport.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>

#include <doctest/doctest.h> // the fake_transport snippet is a unit test: CHECK

#include <chrono>
#include <coroutine>
#include <functional>
#include <iostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

/// The reader's own synchronous HTTP stack, modelling cloudflare::Transport.
struct my_http_stack {
    cloudflare::http::response send(const cloudflare::http::request&);
};

/// The in-house HTTP client that "Your own transport in under 30 lines" adapts.
namespace my_http {
struct request {
    request(std::string method, std::string url, std::string body);
    void add_header(std::string_view name, std::string_view value);
    void set_timeout(std::chrono::milliseconds timeout);
};
struct result {
    bool failed_before_sending() const;
    bool timed_out() const;
    bool failed() const;
    std::string error_text() const;
    int status() const;
    std::vector<std::pair<std::string, std::string>> headers() const;
    std::string take_body();
};
struct client {
    result perform(const request&);
};
} // namespace my_http

/// Where the reader keeps a new secret.
void store_in_vault(std::string_view client_id, std::string_view client_secret);
/// The reader's error reporting.
void report(const cloudflare::error_info&);

/// The reader's asynchronous send, for the sans-IO snippet: `co_await` gives the response.
struct response_awaitable {
    bool await_ready() const noexcept;
    void await_suspend(std::coroutine_handle<>);
    cloudflare::http::response await_resume();
};
response_awaitable my_async_send(const cloudflare::http::request&);

/// The reader's own event loop, for the call_machine snippet.
namespace my_loop {
void send(const cloudflare::http::request&, std::function<void(cloudflare::transport_result)>);
void after(std::chrono::milliseconds, std::function<void()>);
} // namespace my_loop

/// Any asynchronous transport (cloudflare::asio::AsyncTransport), for the Asio snippets.
using my_async_transport = cloudflare::testing::fake_async_transport;
extern my_async_transport transport;

namespace readme_prelude {
/// The return type extract.py gives a statements snippet that co_awaits.
struct coroutine {
    struct promise_type {
        coroutine get_return_object() noexcept { return {}; }
        std::suspend_never initial_suspend() noexcept { return {}; }
        std::suspend_never final_suspend() noexcept { return {}; }
        void return_void() noexcept {}
        void unhandled_exception() noexcept {}
    };
};
} // namespace readme_prelude

// Variables the fragments use without declaring them.
extern cloudflare::client<my_http_stack> client;
extern cloudflare::client_options options;
extern const std::string acc, zone, id, account, token_id;
extern const std::chrono::system_clock::time_point in_24h;
