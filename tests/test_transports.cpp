// Every shipped transport (examples/) against a local server that misbehaves the way real
// networks do. None may re-send a request on its own, and none may send anything to a scheme
// other than http or https.
#include "../examples/beast_transport.hpp"
#include "../examples/curl_transport.hpp"
#include "../examples/httplib_transport.hpp"
#include "support.hpp"

#include <cloudflare/cloudflare.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace cfa = cloudflare::zero_trust::access;
using cloudflare::transport_failure;
using namespace std::chrono_literals;
using fixtures::account;
using fixtures::token_id;

const std::string token_body = fixtures::envelope(
    R"({"id":"f174e90a-fafe-4643-bbbc-4a0ed4fc8415","client_id":"88bf3b6d86161464f6509f7219099e57.access.example.com",)"
    R"("name":"CI/CD token","duration":"60m"})");

// A socket listening on 127.0.0.1, on an ephemeral port (written to `addr`).
int listen_on_loopback(int backlog, sockaddr_in& addr) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    addr = {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), len) == 0);
    REQUIRE(::listen(fd, backlog) == 0);
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    return fd;
}

// An HTTP/1.1 server on 127.0.0.1 (ephemeral port) in a thread of its own. It keeps connections
// alive and answers every request with 200, except the first POST to a path ending in
// "/rotate": that one it counts as applied, then closes the connection without a byte of answer,
// as a client sees a server whose answer was lost (a load balancer reset, an idle-close race).
// Later rotations are applied and answered, so a transport that re-sends looks successful.
// Told `answers::none`, it reads and counts every request and answers none, keeping the
// connection open (a server that hangs). A connection that opens with a TLS record is counted
// and closed. Stops when destroyed, or by itself after 30 s.
class dropping_server {
public:
    /// One request as the server read it.
    struct seen {
        std::string method, target;
        int nth_on_connection; ///< 1 for the first request on its connection
    };
    enum class answers { all_but_the_first_rotation, none };

    explicit dropping_server(answers mode = answers::all_but_the_first_rotation) : answers_(mode) {
        sockaddr_in a{};
        listener_ = listen_on_loopback(16, a);
        port_ = ntohs(a.sin_port);
        thread_ = std::thread([this] { run(); });
    }
    ~dropping_server() {
        stop_ = true;
        thread_.join();
        ::close(listener_);
    }
    dropping_server(const dropping_server&) = delete;
    dropping_server& operator=(const dropping_server&) = delete;

    /// "http://127.0.0.1:<port>" followed by `path`.
    std::string url(std::string_view path = "/client/v4") const {
        return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
    }
    std::uint16_t port() const { return port_; }
    int connections() const { return connections_; }
    int tls_hellos() const { return tls_hellos_; }
    int rotations() const {
        std::lock_guard lock(mutex_);
        int n = 0;
        for (const auto& s : log_) n += is_rotation(s) ? 1 : 0;
        return n;
    }
    std::vector<seen> log() const {
        std::lock_guard lock(mutex_);
        return log_;
    }

private:
    struct conn {
        int fd;
        std::string in;
        int served = 0;
    };

    static bool is_rotation(const seen& s) { return s.method == "POST" && s.target.ends_with("/rotate"); }

    void run() {
        std::vector<conn> conns;
        const auto deadline = std::chrono::steady_clock::now() + 30s;
        while (!stop_ && std::chrono::steady_clock::now() < deadline) {
            std::vector<pollfd> fds{{listener_, POLLIN, 0}};
            for (const auto& c : conns) fds.push_back({c.fd, POLLIN, 0});
            if (::poll(fds.data(), fds.size(), 50) <= 0) continue;
            for (std::size_t i = 1; i < fds.size(); ++i) {
                if (fds[i].revents == 0) continue;
                conn& c = conns[i - 1];
                char buf[4096];
                const ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
                if (n > 0) c.in.append(buf, static_cast<std::size_t>(n));
                if (n <= 0 || !serve(c)) {
                    ::close(c.fd);
                    c.fd = -1;
                }
            }
            std::erase_if(conns, [](const conn& c) { return c.fd < 0; });
            if (fds[0].revents & POLLIN) {
                const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
                if (fd >= 0) {
                    conns.push_back({fd, {}});
                    ++connections_;
                }
            }
        }
        for (const auto& c : conns) ::close(c.fd);
    }

    // Answers every complete request buffered on `c`; false: close the connection now.
    bool serve(conn& c) {
        if (c.served == 0 && !c.in.empty() && c.in[0] == '\x16') { // a TLS handshake record
            ++tls_hellos_;
            return false;
        }
        for (;;) {
            const auto head_end = c.in.find("\r\n\r\n");
            if (head_end == std::string::npos) return true;
            std::size_t length = 0;
            const auto cl = lowercase(c.in.substr(0, head_end)).find("\r\ncontent-length:");
            if (cl != std::string::npos) length = std::stoul(c.in.substr(cl + 17, 20));
            if (c.in.size() < head_end + 4 + length) return true;
            const auto sp1 = c.in.find(' '), sp2 = c.in.find(' ', sp1 + 1);
            seen s{c.in.substr(0, sp1), c.in.substr(sp1 + 1, sp2 - sp1 - 1), ++c.served};
            c.in.erase(0, head_end + 4 + length);
            const bool drop = is_rotation(s) && rotations() == 0;
            {
                std::lock_guard lock(mutex_);
                log_.push_back(s);
            }
            if (answers_ == answers::none) continue; // read, never answered
            if (drop) return false; // applied; the answer is lost
            const std::string& body = is_rotation(s) ? fixtures::documented_rotate_body : token_body;
            const std::string out = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: keep-alive\r\n"
                                    "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
            if (::send(c.fd, out.data(), out.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(out.size())) return false;
        }
    }

    static std::string lowercase(std::string s) {
        for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        return s;
    }

    answers answers_;
    int listener_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> connections_{0}, tls_hellos_{0};
    mutable std::mutex mutex_;
    std::vector<seen> log_;
    std::thread thread_;
};

// A listener on 127.0.0.1 whose accept queue is full (backlog 0, one connection waiting, never
// accepted): the kernel drops further SYNs, so a new connection to it stays pending.
class stalled_listener {
public:
    stalled_listener() {
        listener_ = listen_on_loopback(0, addr_);
        filler_ = connect_within(1000ms);
        REQUIRE(filler_ >= 0); // the one connection the queue holds
    }
    ~stalled_listener() {
        ::close(filler_);
        ::close(listener_);
    }
    stalled_listener(const stalled_listener&) = delete;
    stalled_listener& operator=(const stalled_listener&) = delete;

    std::string url(std::string_view path = "/client/v4") const {
        return "http://127.0.0.1:" + std::to_string(ntohs(addr_.sin_port)) + std::string(path);
    }
    /// Whether a new connection is still pending after `d`.
    bool connects_stall(std::chrono::milliseconds d) const {
        const int fd = connect_within(d);
        if (fd >= 0) ::close(fd);
        return fd < 0;
    }

private:
    // A connected socket, or -1 if the connection is still pending after `d`.
    int connect_within(std::chrono::milliseconds d) const {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) return -1;
        if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr_), sizeof addr_) == 0) return fd;
        pollfd p{fd, POLLOUT, 0};
        int err = 0;
        socklen_t len = sizeof err;
        if (::poll(&p, 1, static_cast<int>(d.count())) == 1 && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 &&
            err == 0)
            return fd;
        ::close(fd);
        return -1;
    }

    int listener_ = -1, filler_ = -1;
    sockaddr_in addr_{};
};

cloudflare::client_options options(const dropping_server& server) {
    auto o = fixtures::token_options();
    o.base_url = server.url();
    o.timeout = 5s;
    return o;
}

// Each rotation the server saw came first on a fresh connection: nothing could have re-sent it
// over a connection that had carried an earlier request.
bool rotations_on_fresh_connections(const dropping_server& server) {
    for (const auto& s : server.log())
        if (s.method == "POST" && s.nth_on_connection != 1) return false;
    return true;
}

// beast_async_transport driven in an io_context, one request at a time, behind a synchronous
// `send` (a ResultTransport), for the tests that hand requests straight to a transport.
struct beast_async_driver {
    boost::asio::io_context ioc;
    examples::beast_async_transport transport{ioc.get_executor()};

    cloudflare::transport_result send(const cloudflare::http::request& req) {
        std::optional<cloudflare::transport_result> out;
        boost::asio::co_spawn(ioc, [&]() -> boost::asio::awaitable<void> {
            auto r = co_await transport.async_send(req);
            out.emplace(std::move(r));
        }, boost::asio::detached);
        ioc.restart();
        ioc.run();
        return std::move(*out);
    }
};

// What a cancelled asynchronous rotation came to.
struct cancelled_rotation {
    int calls = 0; ///< how many times its handler ran
    std::optional<cloudflare::result<cfa::service_token_rotate_response>> result;
    std::chrono::steady_clock::duration took{};
};

// Rotates with cloudflare::asio::async_call over beast_async_transport, and cancels the call
// through its handler's slot as soon as `due()` says so (asked after the send has started, then
// every 5 ms, on the io_context's thread). Runs the io_context until nothing is left (20 s at most).
template <class Due>
cancelled_rotation rotate_and_cancel(const cloudflare::client_options& o, Due due) {
    namespace net = boost::asio;
    net::io_context ioc;
    examples::beast_async_transport t(ioc.get_executor());
    net::cancellation_signal cancel;
    cancelled_rotation out;
    const cfa::service_token_rotate_params params{.account_id = std::string(account)};
    const auto start = std::chrono::steady_clock::now();
    cloudflare::asio::async_call<cfa::endpoints::service_token_rotate>(
        t, o, std::string_view(token_id), params, net::bind_cancellation_slot(cancel.slot(), [&](auto r) {
            ++out.calls;
            out.result.emplace(std::move(r));
            out.took = std::chrono::steady_clock::now() - start;
        }));
    net::steady_timer poll(ioc);
    std::function<void()> check = [&] {
        if (out.calls > 0) return;
        if (due()) {
            cancel.emit(net::cancellation_type::terminal);
            return;
        }
        poll.expires_after(5ms);
        poll.async_wait([&](boost::system::error_code) { check(); });
    };
    // Queued behind the send's coroutine, which runs up to its first wait (the name lookup).
    net::post(ioc, check);
    ioc.run_for(20s);
    return out;
}

// The error a cancelled rotation ended with, checked for what any cancellation gives: the
// handler ran exactly once, with a failure saying the call was cancelled.
const cloudflare::error_info& cancelled_error(const cancelled_rotation& r) {
    CHECK(r.calls == 1);
    REQUIRE(r.result.has_value());
    REQUIRE_FALSE(r.result->has_value());
    CHECK(r.result->error().kind() == cloudflare::error_kind::api_connection);
    CHECK(fixtures::contains(r.result->error().message(), "cancelled while sending"));
    return r.result->error();
}

// Sends through a transport of either form and returns what it reported.
template <class T>
cloudflare::transport_result send_raw(T& t, const cloudflare::http::request& req) {
    if constexpr (cloudflare::ResultTransport<T>) {
        return t.send(req);
    } else {
        try {
            return t.send(req);
        } catch (const cloudflare::transport_error& e) {
            return cloudflare::transport_error_info{e.failure(), e.what()};
        }
    }
}

cloudflare::http::request get_request(std::string url) {
    cloudflare::http::request req;
    req.url = std::move(url);
    req.headers.set("Authorization", "Bearer " + std::string(fixtures::api_token));
    req.timeout = 5s;
    return req;
}

} // namespace

TEST_CASE_TEMPLATE("a rotation whose connection dies unanswered is sent once and reported as outcome unknown", T,
                   examples::curl_transport, examples::httplib_transport, examples::beast_transport) {
    dropping_server server;
    cloudflare::client c{T{}, options(server)};
    auto& st = c.zero_trust.access.service_tokens;
    // A first request answered with keep-alive: a transport that keeps connections holds one now.
    auto got = st.try_get(token_id, {.account_id = std::string(account)});
    REQUIRE(got.has_value());

    auto r = st.try_rotate(token_id, {.account_id = std::string(account)});
    CHECK(server.rotations() == 1);
    CHECK(rotations_on_fresh_connections(server));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().outcome_unknown());
    CHECK(r.error().transport() == transport_failure::maybe_sent);
    CHECK(r.error().attempts().size() == 1);
}

TEST_CASE("beast_async_transport: a rotation whose connection dies unanswered is sent once, outcome unknown") {
    dropping_server server;
    const auto o = options(server);
    boost::asio::io_context ioc;
    examples::beast_async_transport t(ioc.get_executor());
    bool got = false;
    std::optional<cloudflare::result<cfa::service_token_rotate_response>> rotated;
    boost::asio::co_spawn(ioc, [&]() -> boost::asio::awaitable<void> {
        // Named arguments, not temporaries, in co_await expressions (GCC 12 coroutine bug).
        const std::string_view id(token_id);
        const cfa::service_token_get_params get_params{.account_id = std::string(account)};
        const cfa::service_token_rotate_params rotate_params{.account_id = std::string(account)};
        auto g = co_await examples::async_call<cfa::endpoints::service_token_get>(t, o, id, get_params);
        got = g.has_value();
        auto r = co_await examples::async_call<cfa::endpoints::service_token_rotate>(t, o, id, rotate_params);
        rotated.emplace(std::move(r));
    }, boost::asio::detached);
    ioc.run_for(20s); // bounded: the calls' own timeouts are 5 s
    REQUIRE(got);
    REQUIRE(rotated.has_value());
    CHECK(server.rotations() == 1);
    CHECK(rotations_on_fresh_connections(server));
    REQUIRE_FALSE(rotated->has_value());
    CHECK(rotated->error().outcome_unknown());
    CHECK(rotated->error().transport() == transport_failure::maybe_sent);
}

TEST_CASE_TEMPLATE("only http and https, in any case, are sent", T, examples::curl_transport,
                   examples::httplib_transport, examples::beast_transport, beast_async_driver) {
    dropping_server server;
    T t;
    const std::string authority = "127.0.0.1:" + std::to_string(server.port());

    SUBCASE("another scheme is refused before connecting") {
        for (const std::string scheme : {"ftp", "file", "htps", "ws", "gopher"}) {
            CAPTURE(scheme);
            auto r = send_raw(t, get_request(scheme + "://" + authority + "/x"));
            REQUIRE_FALSE(r.has_value());
            CHECK(r.error().failure == transport_failure::not_sent);
        }
        CHECK(server.connections() == 0);
    }
    SUBCASE("HTTP in upper case is plain HTTP") {
        auto r = send_raw(t, get_request("HTTP://" + authority + "/client/v4/x"));
        REQUIRE(r.has_value());
        CHECK(r->status == 200);
        REQUIRE(server.log().size() == 1);
        CHECK(server.log()[0].target == "/client/v4/x");
    }
    SUBCASE("HTTPS in upper case is TLS: no plain-text request carries the token") {
        auto r = send_raw(t, get_request("HTTPS://" + authority + "/client/v4/x"));
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().failure == transport_failure::not_sent);
        CHECK(server.tls_hellos() == 1);
        CHECK(server.log().empty());
    }
}

// Cancellation of asynchronous calls over Beast at each step of the send: the call completes
// exactly once, and says whether the request may have left (loopback only).

TEST_CASE("beast_async_transport: a call cancelled during the name lookup completes once; nothing was sent") {
    dropping_server server;
    const auto o = options(server);
    const auto r = rotate_and_cancel(o, [] { return true; });
    const auto& e = cancelled_error(r);
    CHECK(e.transport() == transport_failure::not_sent);
    CHECK_FALSE(e.outcome_unknown());
    CHECK(server.connections() == 0);
}

TEST_CASE("beast_async_transport: a call cancelled while connecting completes once, at once; nothing was sent") {
    stalled_listener listener;
    REQUIRE(listener.connects_stall(200ms)); // the kernel drops SYNs to a full accept queue
    auto o = fixtures::token_options();
    o.base_url = listener.url();
    o.timeout = 5s;
    const auto start = std::chrono::steady_clock::now();
    const auto r = rotate_and_cancel(o, [start] { return std::chrono::steady_clock::now() - start > 100ms; });
    const auto& e = cancelled_error(r);
    CHECK(r.took < 2s); // the cancellation, not the 5 s timeout, ended it
    CHECK(e.transport() == transport_failure::not_sent);
    CHECK_FALSE(e.outcome_unknown());
}

TEST_CASE("beast_async_transport: a rotation cancelled after its request was written completes once, outcome unknown") {
    dropping_server server(dropping_server::answers::none);
    const auto o = options(server);
    const auto r = rotate_and_cancel(o, [&server] { return server.rotations() == 1; });
    const auto& e = cancelled_error(r);
    CHECK(r.took < 2s);
    CHECK(server.rotations() == 1);
    CHECK(e.transport() == transport_failure::maybe_sent);
    CHECK(e.outcome_unknown());
}
