// cloudflare-cpp transports over Boost.Beast: asynchronous with C++20 coroutines
// (`beast_async_transport`, used through the sans-IO layer) and synchronous (`beast_transport`, a
// Transport, which runs the asynchronous one on a private io_context).
// Part of the examples: the library itself does no I/O.
#pragma once

#include <cloudflare/asio.hpp>
#include <cloudflare/endpoint.hpp>
#include <cloudflare/error.hpp>
#include <cloudflare/http.hpp>
#include <cloudflare/transport.hpp>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <cctype>
#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace examples {

namespace beast_detail {
namespace net = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

inline bhttp::verb verb(cloudflare::http::method m) {
    switch (m) {
    case cloudflare::http::method::get: return bhttp::verb::get;
    case cloudflare::http::method::post: return bhttp::verb::post;
    case cloudflare::http::method::put: return bhttp::verb::put;
    case cloudflare::http::method::patch: return bhttp::verb::patch;
    case cloudflare::http::method::delete_: return bhttp::verb::delete_;
    }
    return bhttp::verb::get;
}

inline bhttp::request<bhttp::string_body> to_beast(const cloudflare::http::request& req, const cloudflare::http::url_parts& p) {
    bhttp::request<bhttp::string_body> r{verb(req.method), std::string(p.target), 11};
    r.set(bhttp::field::host, std::string(p.host));
    for (const auto& h : req.headers) r.insert(h.name, h.value);
    r.body() = req.body;
    if (!req.body.empty() || req.method != cloudflare::http::method::get) r.prepare_payload();
    return r;
}

inline cloudflare::http::response from_beast(bhttp::response<bhttp::string_body>&& res) {
    cloudflare::http::response out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& f : res) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    out.body = std::move(res.body());
    return out;
}

// TLS that verifies the peer's chain against the system store and its name against `host`.
inline void configure_tls(net::ssl::context& ctx) {
    ctx.set_default_verify_paths();
    ctx.set_verify_mode(net::ssl::verify_peer);
}

inline cloudflare::transport_failure classify(const boost::system::error_code& ec, bool sent) {
    if (ec == boost::beast::error::timeout) return sent ? cloudflare::transport_failure::timed_out : cloudflare::transport_failure::not_sent;
    return sent ? cloudflare::transport_failure::maybe_sent : cloudflare::transport_failure::not_sent;
}

// `url` with its scheme in lower case (URL schemes are case-insensitive: "HTTPS" means TLS).
inline std::string lowercase_scheme(std::string url) {
    const auto end = url.find("://");
    for (std::size_t i = 0; end != std::string::npos && i < end; ++i)
        url[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(url[i])));
    return url;
}

constexpr std::size_t body_limit = 64u * 1024 * 1024;

// One send's progress, shared with the cancellation slot's handler: a cancellation stops the
// resolve or the stream in use, and is checked between steps (the resolver cannot always stop:
// a lookup already running finishes first). How far the send got says what may have left.
struct send_progress {
    bool cancelled = false;
    bool writing = false; ///< the request may have started to leave
    tcp::resolver* resolver = nullptr;
    boost::beast::tcp_stream* stream = nullptr;
    std::optional<cloudflare::transport_result> result; ///< what the send came to

    void cancel() {
        cancelled = true;
        if (resolver) resolver->cancel();
        if (stream) stream->cancel();
    }
    cloudflare::transport_error_info cancelled_while(std::string_view step) const {
        return {writing ? cloudflare::transport_failure::maybe_sent : cloudflare::transport_failure::not_sent,
                std::string("cancelled while ").append(step)};
    }
};

// Forgets the resolver and stream when the coroutine that owns them ends.
struct progress_scope {
    send_progress& p;
    ~progress_scope() {
        p.resolver = nullptr;
        p.stream = nullptr;
    }
};
} // namespace beast_detail

/// Asynchronous Boost.Beast transport. It models `cloudflare::asio::AsyncTransport`
/// (`async_send(request, token)`, any completion token), so `cloudflare::asio::async_call` runs
/// whole calls over it, retries included; `co_await t.async_send(request)` sends one request.
/// Never blocks its thread. Concurrent sends are fine (one connection each).
class beast_async_transport {
public:
    using executor_type = beast_detail::net::any_io_executor;

    explicit beast_async_transport(beast_detail::net::any_io_executor ex)
        : beast_async_transport(std::move(ex), make_tls_context()) {}
    /// Shares a TLS context (loading the system's CA store once, not per transport).
    beast_async_transport(beast_detail::net::any_io_executor ex, std::shared_ptr<beast_detail::net::ssl::context> tls)
        : ex_(std::move(ex)), tls_(std::move(tls)) {}

    /// A client TLS context that verifies peers against the system store.
    static std::shared_ptr<beast_detail::net::ssl::context> make_tls_context() {
        auto ctx = std::make_shared<beast_detail::net::ssl::context>(beast_detail::net::ssl::context::tls_client);
        beast_detail::configure_tls(*ctx);
        return ctx;
    }

    executor_type get_executor() const noexcept { return ex_; }

    /// The `AsyncTransport` call: sends one request (as below) and completes with
    /// `void(cloudflare::transport_result)` through `token`, exactly once, on the handler's
    /// executor. A cancellation through the handler's slot stops the pending resolve, connect,
    /// handshake, write or read, or the next of them to start; the send then completes with a
    /// failure saying what may have left: `not_sent` before the write, `maybe_sent` from it on.
    /// (A name lookup already running is not interrupted: the send completes when it returns.)
    /// An exception in the coroutine is a failure too, `maybe_sent` once the write has started.
    template <class Token>
    auto async_send(const cloudflare::http::request& req, Token&& token) {
        namespace net = beast_detail::net;
        return net::async_initiate<Token, void(cloudflare::transport_result)>(
            [this](auto handler, const cloudflare::http::request* r) {
                // The slot's handler is installed now, so a cancellation before the coroutine
                // starts is not lost; it is removed before the handler runs.
                auto progress = std::make_shared<beast_detail::send_progress>();
                auto slot = net::get_associated_cancellation_slot(handler);
                if (slot.is_connected()) slot.assign([progress](net::cancellation_type) { progress->cancel(); });
                net::co_spawn(ex_, send_into(*r, progress),
                              [slot, progress, done = cloudflare::asio::send_completion(std::move(handler), ex_)](
                                  std::exception_ptr e) mutable {
                                  if (slot.is_connected()) slot.clear();
                                  std::move(done)(e ? thrown(e, *progress) : std::move(*progress->result));
                              });
            },
            token, &req);
    }

    /// Sends one request, once: one connection, one write, one read; never throws for I/O
    /// failures (they come back as the error, and the client's retry rules decide). Only http and
    /// https (any case); anything else is `not_sent`, refused before connecting. Cancelled as any
    /// awaitable, through the awaiting coroutine.
    beast_detail::net::awaitable<cloudflare::transport_result> async_send(const cloudflare::http::request& req) {
        beast_detail::send_progress progress;
        auto result = co_await send(req, progress);
        co_return result;
    }

private:
    // What an exception from the coroutine stands for: as the synchronous client reads a throwing
    // transport, except that nothing can have left before the write started.
    static cloudflare::transport_error_info thrown(const std::exception_ptr& e, const beast_detail::send_progress& p) {
        cloudflare::transport_error_info f;
        try {
            std::rethrow_exception(e);
        } catch (...) {
            f = cloudflare::detail::current_transport_failure();
        }
        if (!p.writing) f.failure = cloudflare::transport_failure::not_sent;
        return f;
    }

    // Sends, and keeps the result in `progress` (co_spawn's completion would need a default
    // constructible result).
    beast_detail::net::awaitable<void> send_into(const cloudflare::http::request& req,
                                                 std::shared_ptr<beast_detail::send_progress> progress) {
        auto result = co_await send(req, *progress);
        progress->result.emplace(std::move(result));
    }

    beast_detail::net::awaitable<cloudflare::transport_result> send(const cloudflare::http::request& req,
                                                                    beast_detail::send_progress& stop) {
        namespace net = beast_detail::net;
        namespace bhttp = beast_detail::bhttp;
        using cloudflare::transport_error_info;
        using cloudflare::transport_failure;
        const beast_detail::progress_scope scope{stop};
        const std::string url = beast_detail::lowercase_scheme(req.url);
        auto p = cloudflare::http::split_url(url);
        if (!p || (p->scheme != "http" && p->scheme != "https"))
            co_return transport_error_info{transport_failure::not_sent, "only absolute http and https URLs are sent"};
        if (stop.cancelled) co_return stop.cancelled_while("starting");
        // No temporaries inside co_await expressions: GCC 12 may destroy them twice.
        boost::system::error_code ec_;
        auto tok = net::redirect_error(net::use_awaitable, ec_);
        beast_detail::tcp::resolver resolver(ex_);
        const std::string host_name(p->host), port(std::to_string(p->port));
        stop.resolver = &resolver;
        auto endpoints = co_await resolver.async_resolve(host_name, port, tok);
        stop.resolver = nullptr;
        if (stop.cancelled) co_return stop.cancelled_while("resolving");
        if (ec_) co_return transport_error_info{transport_failure::not_sent, "resolve: " + ec_.message()};
        boost::beast::tcp_stream tcp(ex_);
        stop.stream = &tcp;
        tcp.expires_after(req.timeout);
        co_await tcp.async_connect(endpoints, tok);
        if (stop.cancelled) co_return stop.cancelled_while("connecting");
        if (ec_) co_return transport_error_info{beast_detail::classify(ec_, false), "connect: " + ec_.message()};
        if (p->scheme == "https") {
            boost::beast::ssl_stream<boost::beast::tcp_stream> tls(std::move(tcp), *tls_);
            stop.stream = &tls.next_layer();
            std::string host(p->host);
            SSL_set_tlsext_host_name(tls.native_handle(), host.c_str());
            tls.set_verify_callback(net::ssl::host_name_verification(host));
            const auto role = net::ssl::stream_base::client;
            co_await tls.async_handshake(role, tok);
            if (stop.cancelled) co_return stop.cancelled_while("in the TLS handshake");
            if (ec_) co_return transport_error_info{transport_failure::not_sent, "TLS handshake: " + ec_.message()};
            auto result = co_await exchange(tls, req, *p, stop);
            co_return result;
        }
        auto result = co_await exchange(tcp, req, *p, stop);
        co_return result;
    }

    template <class Stream>
    beast_detail::net::awaitable<cloudflare::transport_result> exchange(Stream& s, const cloudflare::http::request& req,
                                                                        const cloudflare::http::url_parts& p,
                                                                        beast_detail::send_progress& stop) {
        namespace net = beast_detail::net;
        namespace bhttp = beast_detail::bhttp;
        boost::system::error_code ec_;
        auto tok = net::redirect_error(net::use_awaitable, ec_);
        auto breq = beast_detail::to_beast(req, p);
        // No loop: whatever fails after this write ends the call. (async_connect above may try
        // several resolved addresses, but only before a byte of the request is written.)
        stop.writing = true;
        std::size_t written = co_await bhttp::async_write(s, breq, tok);
        if (ec_) {
            auto failure = beast_detail::classify(ec_, written > 0);
            if (stop.cancelled) co_return cloudflare::transport_error_info{failure, "cancelled while writing"};
            co_return cloudflare::transport_error_info{failure, "write: " + ec_.message()};
        }
        if (stop.cancelled) co_return stop.cancelled_while("waiting for the answer");
        boost::beast::flat_buffer buf;
        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(beast_detail::body_limit);
        co_await bhttp::async_read(s, buf, parser, tok);
        // An answer that came in is used, even if a cancellation raced it.
        if (ec_ && stop.cancelled) co_return stop.cancelled_while("reading the answer");
        if (ec_) co_return cloudflare::transport_error_info{beast_detail::classify(ec_, true), "read: " + ec_.message()};
        co_return beast_detail::from_beast(parser.release());
    }

    beast_detail::net::any_io_executor ex_;
    std::shared_ptr<beast_detail::net::ssl::context> tls_;
};

/// Synchronous Boost.Beast transport (HTTP/1.1, TLS with OpenSSL for https): runs
/// `beast_async_transport` to completion on a private io_context, because Beast's stream
/// timeouts apply only to asynchronous operations. The request's timeout bounds each step.
/// One connection per call: safe to share between threads.
class beast_transport {
public:
    /// The Transport call. @throws cloudflare::transport_error when no response was received.
    cloudflare::http::response send(const cloudflare::http::request& req) {
        namespace net = beast_detail::net;
        net::io_context ioc;
        beast_async_transport t(ioc.get_executor(), tls_);
        std::optional<cloudflare::transport_result> out;
        auto run = [&]() -> net::awaitable<void> {
            auto r = co_await t.async_send(req);
            out.emplace(std::move(r));
        };
        net::co_spawn(ioc, run, [&](std::exception_ptr e) {
            if (e && !out) out.emplace(cloudflare::transport_error_info{cloudflare::transport_failure::maybe_sent, "unexpected exception"});
        });
        ioc.run();
        if (!out->has_value()) throw cloudflare::transport_error(out->error().failure, out->error().message);
        return std::move(**out);
    }

private:
    std::shared_ptr<beast_detail::net::ssl::context> tls_ = beast_async_transport::make_tls_context();
};

static_assert(cloudflare::Transport<beast_transport>);
static_assert(cloudflare::asio::AsyncTransport<beast_async_transport>);

/// Calls endpoint `E` asynchronously, one attempt: build (sans-IO), `co_await` the I/O, parse
/// (sans-IO). For whole calls with retries, use `cloudflare::asio::async_call` (<cloudflare/asio.hpp>).
template <class E, class... Args>
beast_detail::net::awaitable<cloudflare::result<typename E::response_type>>
async_call(beast_async_transport& t, const cloudflare::client_options& o, const Args&... args) {
    auto req = cloudflare::build_request<E>(o, args...);
    if (!req) co_return std::move(req).error();
    auto sent = co_await t.async_send(*req);
    if (!sent) co_return cloudflare::transport_failure_error<E>(sent.error());
    co_return cloudflare::parse_response<E>(*sent, o.limits);
}

} // namespace examples
