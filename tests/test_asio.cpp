// Asynchronous calls (<cloudflare/asio.hpp>) in an io_context over the scripted asynchronous
// transport: the retry table cell by cell, waits on the timer, cancellation during the send and
// during the wait, completion tokens, the handler's executor and allocator, many calls on two
// threads (the suite also runs under TSan); the completion guarantees (exactly once, never
// inside the initiating call, through the handler's executor) against transports that throw,
// drop their handler or complete inline; the coroutine example of asio.hpp.
#include "retry_table.hpp"
#include "support.hpp"

#include <cloudflare/asio.hpp>
#include <cloudflare/testing/fake_async_transport.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <doctest/doctest.h>

#include <unistd.h> // POSIX access(), in scope as in most programs: examples must not collide with it

#include <atomic>
#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace cloudflare;
using namespace fixtures;
using namespace std::chrono_literals;
namespace cfa = cloudflare::zero_trust::access;
namespace net = boost::asio;
using rotate_ep = cfa::endpoints::service_token_rotate;
using get_ep = cfa::endpoints::service_token_get;
using token_result = result<cfa::service_token_rotate_response>;
using get_result = result<cfa::service_token>;

static_assert(cloudflare::asio::AsyncTransport<testing::fake_async_transport>);

namespace {
const std::string token_body = envelope(R"({"id":"t1","client_id":"c","client_secret":"cfast_s"})");
const cfa::service_token_rotate_params rotate_params{.account_id = "acc"};
const cfa::service_token_get_params get_params{.account_id = "acc"};
// Asynchronous calls refer to their options until they complete (a temporary does not compile).
const client_options options_ = token_options();

http::response status_with(int s, http::headers extra) { return retry_table::status(s, std::move(extra)).response.value(); }
} // namespace

TEST_CASE("async: every cell of the retry table ends as the synchronous client's does") {
    struct cell {
        const retry_table::row* row;
        bool idempotent, opt_in;
        std::unique_ptr<testing::fake_async_transport> fake;
        request_options ro;
        std::optional<bool> succeeded, unknown;
    };
    net::io_context io;
    auto o = token_options();
    std::vector<cell> cells;
    for (const auto& rw : retry_table::rows())
        for (auto [idem, opt] : {std::pair{true, false}, std::pair{false, false}, std::pair{false, true}}) {
            cell c{&rw, idem, opt, std::make_unique<testing::fake_async_transport>(io.get_executor()), {}, {}, {}};
            if (rw.first.response) c.fake->script().push(*rw.first.response);
            else c.fake->script().push(*rw.first.failure);
            c.fake->script().push(ok(token_body));
            c.ro.retry_non_idempotent = opt;
            cells.push_back(std::move(c));
        }
    // All at once on one thread: the backoff waits overlap on the timer.
    for (auto& c : cells) {
        auto done = [&c](const auto& r) {
            c.succeeded = r.has_value();
            c.unknown = r ? false : r.error().outcome_unknown();
        };
        if (c.idempotent) cloudflare::asio::async_call<get_ep>(*c.fake, o, c.ro, std::string_view("t1"), get_params, done);
        else cloudflare::asio::async_call<rotate_ep>(*c.fake, o, c.ro, std::string_view("t1"), rotate_params, done);
    }
    const auto start = std::chrono::steady_clock::now();
    io.run();
    CHECK(std::chrono::steady_clock::now() - start < 5s);
    for (auto& c : cells) {
        std::string name = c.row->first.name;
        for (const auto& h : c.row->first.response ? c.row->first.response->headers : http::headers{})
            if (h.name == "x-should-retry") name += " + x-should-retry: " + h.value;
        CAPTURE(name);
        CAPTURE(c.idempotent);
        CAPTURE(c.opt_in);
        REQUIRE(c.succeeded.has_value());
        const bool retries = c.idempotent ? c.row->idempotent_retries : c.opt_in ? c.row->opt_in_retries : c.row->rotate_retries;
        CHECK(c.fake->script().request_count() == (retries ? 2u : 1u));
        CHECK(*c.succeeded == retries);
        if (c.idempotent) CHECK_FALSE(*c.unknown);
        else if (!c.opt_in && !*c.succeeded) CHECK(*c.unknown == c.row->rotate_unknown);
    }
}

TEST_CASE("async: a rotation is never re-sent after an attempt that may have been applied") {
    net::io_context io;
    testing::fake_async_transport fake(io.get_executor());
    fake.script().push(status_with(503, {}));
    fake.script().push(ok(token_body));
    std::optional<token_result> got;
    cloudflare::asio::async_call<rotate_ep>(fake, options_, std::string_view(token_id), rotate_params,
                                            [&](token_result r) { got = std::move(r); });
    io.run();
    REQUIRE(got.has_value());
    REQUIRE_FALSE(got->has_value());
    CHECK(got->error().outcome_unknown());
    CHECK(fake.script().request_count() == 1);
}

TEST_CASE("async: the backoff wait is a timer: another call on the same thread completes meanwhile") {
    net::io_context io; // run by this thread alone
    testing::fake_async_transport slow(io.get_executor()), quick(io.get_executor());
    slow.script().push(status_with(429, {{"Retry-After", "1"}}));
    slow.script().push(ok(token_body));
    quick.script().push(ok(token_body));
    const auto start = std::chrono::steady_clock::now();
    std::chrono::steady_clock::duration slow_done{}, quick_done{};
    cloudflare::asio::async_call<get_ep>(slow, options_, std::string_view("t1"), get_params, [&](get_result r) {
        CHECK(r.has_value());
        slow_done = std::chrono::steady_clock::now() - start;
    });
    // Started after the first one is waiting for its retry.
    net::steady_timer later(io, 100ms);
    later.async_wait([&](boost::system::error_code) {
        cloudflare::asio::async_call<get_ep>(quick, options_, std::string_view("t1"), get_params, [&](get_result r) {
            CHECK(r.has_value());
            quick_done = std::chrono::steady_clock::now() - start;
        });
    });
    io.run();
    CHECK(slow_done >= 1s);                // waited what the server asked
    CHECK(quick_done < 500ms);             // during that wait
    CHECK(slow.script().request_count() == 2);
}

TEST_CASE("async: cancellation during the send; the outcome of a rotation that may have left is unknown") {
    for (bool rotate : {true, false}) {
        CAPTURE(rotate);
        net::io_context io;
        testing::fake_async_transport fake(io.get_executor(), 2s); // the answer would take 2 s
        fake.script().push(ok(token_body));
        net::cancellation_signal cancel;
        std::optional<error_info> err;
        auto done = net::bind_cancellation_slot(cancel.slot(), [&](const auto& r) {
            REQUIRE_FALSE(r.has_value());
            err = r.error();
        });
        if (rotate) cloudflare::asio::async_call<rotate_ep>(fake, options_, std::string_view("t1"), rotate_params, done);
        else cloudflare::asio::async_call<get_ep>(fake, options_, std::string_view("t1"), get_params, done);
        net::steady_timer t(io, 50ms);
        t.async_wait([&](boost::system::error_code) { cancel.emit(net::cancellation_type::terminal); });
        const auto start = std::chrono::steady_clock::now();
        io.run();
        CHECK(std::chrono::steady_clock::now() - start < 1s);
        REQUIRE(err.has_value());
        CHECK(err->kind() == error_kind::api_connection);
        CHECK(contains(err->message(), "cancelled while sending"));
        CHECK(err->outcome_unknown() == rotate);
        CHECK(err->transport() == transport_failure::maybe_sent);
    }
}

TEST_CASE("async: cancellation during the backoff wait ends the call at once, nothing re-sent") {
    net::io_context io;
    testing::fake_async_transport fake(io.get_executor());
    fake.script().push(status_with(429, {{"Retry-After", "5"}}));
    fake.script().push(ok(token_body));
    net::cancellation_signal cancel;
    std::optional<get_result> got;
    cloudflare::asio::async_call<get_ep>(fake, options_, std::string_view("t1"), get_params,
                                         net::bind_cancellation_slot(cancel.slot(), [&](get_result r) { got = std::move(r); }));
    net::steady_timer t(io, 100ms);
    t.async_wait([&](boost::system::error_code) { cancel.emit(net::cancellation_type::terminal); });
    const auto start = std::chrono::steady_clock::now();
    io.run();
    CHECK(std::chrono::steady_clock::now() - start < 2s);
    REQUIRE(got.has_value());
    REQUIRE_FALSE(got->has_value());
    CHECK(contains(got->error().message(), "cancelled while waiting to retry"));
    CHECK_FALSE(got->error().outcome_unknown());
    CHECK(got->error().attempts().size() == 1);
    CHECK(fake.script().request_count() == 1);
}

TEST_CASE("async: completion tokens: use_future, deferred, as_tuple") {
    net::io_context io;
    testing::fake_async_transport fake(io.get_executor());
    for (int i = 0; i < 3; ++i) fake.script().push(ok(token_body));
    auto o = token_options();
    std::future<get_result> f = cloudflare::asio::async_call<get_ep>(fake, o, std::string_view("t1"), get_params, net::use_future);
    auto op = cloudflare::asio::async_call<get_ep>(fake, o, std::string_view("t1"), get_params, net::deferred);
    CHECK(fake.script().request_count() == 1); // the future's call has sent; the deferred one has not started
    std::optional<get_result> deferred_result;
    std::move(op)([&](get_result r) { deferred_result = std::move(r); });
    std::optional<std::tuple<get_result>> tuple_result;
    cloudflare::asio::async_call<get_ep>(fake, o, std::string_view("t1"), get_params,
                                         net::as_tuple([&](std::tuple<get_result> t) { tuple_result = std::move(t); }));
    io.run();
    CHECK(f.get().has_value());
    REQUIRE(deferred_result.has_value());
    CHECK(deferred_result->has_value());
    REQUIRE(tuple_result.has_value());
    CHECK(std::get<0>(*tuple_result).has_value());
    CHECK(fake.script().request_count() == 3);
}

namespace {
// Counts what is allocated through it: the operation must use the handler's allocator.
template <class T>
struct counting_allocator {
    using value_type = T;
    std::atomic<int>* count;
    explicit counting_allocator(std::atomic<int>* c) noexcept : count(c) {}
    template <class U>
    counting_allocator(const counting_allocator<U>& o) noexcept : count(o.count) {}
    T* allocate(std::size_t n) {
        ++*count;
        return std::allocator<T>().allocate(n);
    }
    void deallocate(T* p, std::size_t n) noexcept { std::allocator<T>().deallocate(p, n); }
    template <class U>
    bool operator==(const counting_allocator<U>& o) const noexcept { return count == o.count; }
};
} // namespace

TEST_CASE("async: the completion handler's associated executor and allocator are respected") {
    net::io_context io;
    testing::fake_async_transport fake(io.get_executor());
    fake.script().push(status_with(429, {{"Retry-After", "0"}}));
    fake.script().push(ok(token_body));
    auto strand = net::make_strand(io);
    std::atomic<int> allocations{0};
    bool in_strand = false, called = false;
    cloudflare::asio::async_call<get_ep>(
        fake, options_, std::string_view("t1"), get_params,
        net::bind_allocator(counting_allocator<void>(&allocations), net::bind_executor(strand, [&](get_result r) {
                                called = true;
                                in_strand = strand.running_in_this_thread();
                                CHECK(r.has_value());
                            })));
    io.run();
    CHECK(called);
    CHECK(in_strand);
    CHECK(allocations.load() >= 2); // the machine and the retry timer
}

TEST_CASE("async: many concurrent calls on one io_context with two threads") {
    net::io_context io;
    testing::fake_async_transport fake(io.get_executor());
    constexpr int calls = 200;
    // Every other call is answered 429 first (retried after Retry-After: 0), so waits interleave.
    std::atomic<int> n{0};
    fake.script().set_handler([&n](const http::request&) {
        return transport_result(n.fetch_add(1) % 2 == 0 ? status_with(429, {{"Retry-After", "0"}}) : ok(token_body));
    });
    std::atomic<int> ok_count{0}, done{0};
    auto o = token_options();
    o.max_retries = 10;
    for (int i = 0; i < calls; ++i)
        cloudflare::asio::async_call<get_ep>(fake, o, std::string_view("t1"), get_params, [&](get_result r) {
            ok_count += r.has_value();
            ++done;
        });
    std::thread second([&] { io.run(); });
    io.run();
    second.join();
    CHECK(done.load() == calls);
    CHECK(ok_count.load() == calls);
}

TEST_CASE("async: the observer sees the same attempts as for a synchronous call") {
    net::io_context io;
    testing::fake_async_transport fake(io.get_executor());
    fake.script().push(status_with(429, {{"Retry-After", "0"}}));
    fake.script().push(ok(token_body));
    std::vector<std::pair<int, bool>> events; // attempt, will_retry
    auto o = token_options();
    o.observer = [&](const attempt_event& e) { events.emplace_back(e.attempt, e.will_retry); };
    std::optional<get_result> got;
    cloudflare::asio::async_call<get_ep>(fake, o, std::string_view("t1"), get_params, [&](get_result r) { got = std::move(r); });
    io.run();
    REQUIRE(got.has_value());
    CHECK(got->has_value());
    REQUIRE(events.size() == 2);
    CHECK(events[0] == std::pair{1, true});
    CHECK(events[1] == std::pair{2, false});
}

// An rvalue client_options cannot be passed: the operation would outlive it.
template <class O>
concept accepts_options = requires(testing::fake_async_transport& t, O&& o) {
    cloudflare::asio::async_call<get_ep>(t, std::forward<O>(o), std::string_view("t1"), get_params, [](const get_result&) {});
};
static_assert(accepts_options<const client_options&>);
static_assert(!accepts_options<client_options>);
static_assert(std::is_constructible_v<call_machine<get_ep>, const client_options&, const request_options&, std::string_view,
                                      cfa::service_token_get_params>);
static_assert(!std::is_constructible_v<call_machine<get_ep>, client_options, const request_options&, std::string_view,
                                       cfa::service_token_get_params>);

// ---- Completion guarantees: exactly once, never inside the initiating call, through the
// handler's executor, whatever the transport does -------------------------------------------------

namespace {

// How a call's completion handler ran.
template <class R>
struct completion_probe {
    int calls = 0;
    bool inside_initiation = false; ///< ran inside the async_call that started it
    bool on_strand = true;          ///< always on the strand it was bound to
    int escaped = 0;                ///< exceptions that came out of io_context::run
    std::optional<R> result;
};

// Starts a call (`start(handler)`) with a handler bound to a strand, runs the io_context to the
// end (again after an exception comes out of it), and says how the handler ran.
template <class R, class Start>
completion_probe<R> probe(net::io_context& io, Start start) {
    completion_probe<R> p;
    bool initiating = true;
    auto strand = net::make_strand(io);
    start(net::bind_executor(strand, [&p, &initiating, strand](R r) {
        ++p.calls;
        p.inside_initiation = p.inside_initiation || initiating;
        p.on_strand = p.on_strand && strand.running_in_this_thread();
        p.result = std::move(r);
    }));
    initiating = false;
    io.restart();
    for (;;) {
        try {
            io.run();
            return p;
        } catch (const std::runtime_error&) {
            ++p.escaped;
            io.restart();
        }
    }
}

// What an asynchronous transport may do wrong.
enum class misbehaviour {
    complete_inline,     ///< calls the handler inside async_send
    throw_before_taking, ///< throws from async_send before taking the handler
    throw_after_taking,  ///< takes the handler, then throws
    drop,                ///< keeps the handler a while, then destroys it uncalled
    throw_in_completion, ///< throws out of io_context::run on its way to calling the handler
    refuse_once,         ///< throws transport_error(not_sent) once, then answers
};

// An AsyncTransport that misbehaves as told; otherwise answers 200 with a token, as transports
// should (posted, then through the handler's executor).
class misbehaving_transport {
public:
    using executor_type = net::any_io_executor;
    misbehaving_transport(executor_type ex, misbehaviour m) : ex_(std::move(ex)), m_(m) {}
    executor_type get_executor() const noexcept { return ex_; }
    int sends() const noexcept { return sends_; }

    template <class Token>
    auto async_send(const http::request&, Token&& token) {
        const int n = ++sends_;
        if (m_ == misbehaviour::throw_before_taking) throw std::runtime_error("boom");
        if (m_ == misbehaviour::refuse_once && n == 1) throw transport_error(transport_failure::not_sent, "refused");
        return net::async_initiate<Token, void(transport_result)>(
            [this](auto handler) {
                switch (m_) {
                case misbehaviour::complete_inline: handler(transport_result(ok(token_body))); return;
                case misbehaviour::throw_after_taking: throw std::runtime_error("boom");
                case misbehaviour::drop: net::post(ex_, [h = std::move(handler)] { (void)h; }); return;
                case misbehaviour::throw_in_completion:
                    net::post(ex_, [h = std::move(handler)] {
                        (void)h;
                        throw std::runtime_error("boom in completion");
                    });
                    return;
                default:
                    net::post(ex_, [done = cloudflare::asio::send_completion(std::move(handler), ex_)]() mutable {
                        std::move(done)(transport_result(ok(token_body)));
                    });
                    return;
                }
            },
            token);
    }

private:
    executor_type ex_;
    misbehaviour m_;
    std::atomic<int> sends_{0};
};
static_assert(cloudflare::asio::AsyncTransport<misbehaving_transport>);

// A synchronous transport that throws what a broken one throws.
struct throwing_transport {
    http::response send(const http::request&) { throw std::runtime_error("boom"); }
};

// A rotation over a transport misbehaving as `m`, checked for what every call must do whatever its
// transport does: complete exactly once, after the initiating call, on the handler's strand.
struct misbehaving_run {
    completion_probe<token_result> p;
    int sends;
};
misbehaving_run rotate_over(misbehaviour m) {
    net::io_context io;
    misbehaving_transport t(io.get_executor(), m);
    auto p = probe<token_result>(io, [&](auto h) {
        cloudflare::asio::async_call<rotate_ep>(t, options_, std::string_view("t1"), rotate_params, std::move(h));
    });
    CHECK(p.calls == 1);
    CHECK_FALSE(p.inside_initiation);
    CHECK(p.on_strand);
    REQUIRE(p.result.has_value());
    return {std::move(p), t.sends()};
}
} // namespace

TEST_CASE("async: a call whose request cannot be built completes once, after the initiating call, on its executor") {
    using namespace std::chrono;
    net::io_context io;
    testing::fake_async_transport fake(io.get_executor());
    const client_options no_credentials;
    const cfa::service_token_rotate_params year_10000{.account_id = "acc",
                                                      .previous_client_secret_expires_at = date_time(sys_days{year{10000} / 1 / 1})};
    struct bad_call {
        const char* name;
        completion_probe<token_result> p;
        const char* says;
    };
    bad_call calls[] = {
        {"empty id", probe<token_result>(io, [&](auto h) {
             cloudflare::asio::async_call<rotate_ep>(fake, options_, std::string_view(""), rotate_params, std::move(h));
         }), "service_token_id"},
        {"no credentials", probe<token_result>(io, [&](auto h) {
             cloudflare::asio::async_call<rotate_ep>(fake, no_credentials, std::string_view("t1"), rotate_params, std::move(h));
         }), "no credentials"},
        {"a date past year 9999", probe<token_result>(io, [&](auto h) {
             cloudflare::asio::async_call<rotate_ep>(fake, options_, std::string_view("t1"), year_10000, std::move(h));
         }), "previous_client_secret_expires_at"},
    };
    for (const auto& c : calls) {
        CAPTURE(c.name);
        CHECK(c.p.calls == 1);
        CHECK_FALSE(c.p.inside_initiation);
        CHECK(c.p.on_strand);
        REQUIRE(c.p.result.has_value());
        REQUIRE_FALSE(c.p.result->has_value());
        CHECK(c.p.result->error().kind() == error_kind::invalid_argument);
        CHECK(contains(c.p.result->error().message(), c.says));
    }
    CHECK(fake.script().request_count() == 0);
}

TEST_CASE("async: a transport that throws or drops its handler fails the call once, as the synchronous client reads it") {
    // What the synchronous client makes of a transport that throws.
    client sync{throwing_transport{}, token_options()};
    const auto expected = sync.zero_trust.access.service_tokens.try_rotate("t1", rotate_params);
    REQUIRE_FALSE(expected.has_value());
    REQUIRE(expected.error().outcome_unknown());

    for (auto m : {misbehaviour::throw_before_taking, misbehaviour::throw_after_taking, misbehaviour::drop,
                   misbehaviour::throw_in_completion}) {
        CAPTURE(static_cast<int>(m));
        const auto [p, sends] = rotate_over(m);
        CHECK(p.escaped == (m == misbehaviour::throw_in_completion ? 1 : 0));
        CHECK(sends == 1); // a rotation that may have been applied is not re-sent
        REQUIRE_FALSE(p.result->has_value());
        const auto& e = p.result->error();
        CHECK(e.kind() == expected.error().kind());
        CHECK(e.transport() == transport_failure::maybe_sent);
        CHECK(e.outcome_unknown());
        REQUIRE(e.attempts().size() == 1);
        CHECK(e.attempts()[0].failure == transport_failure::maybe_sent);
        if (m == misbehaviour::throw_before_taking || m == misbehaviour::throw_after_taking)
            CHECK(e.message() == expected.error().message()); // "transport threw: boom", outcome unknown
        else
            CHECK(contains(e.message(), "the transport dropped the send without completing it"));
    }
}

TEST_CASE("async: a transport that completes inside async_send, or refuses by a transport_error: the call goes on after") {
    // Completed inline: the handler still runs after the initiating call. Refused (not_sent):
    // nothing left, so the call is retried and answered.
    for (const auto& expect : {std::pair{misbehaviour::complete_inline, 1}, std::pair{misbehaviour::refuse_once, 2}}) {
        CAPTURE(static_cast<int>(expect.first));
        const auto run = rotate_over(expect.first);
        CHECK(run.p.result->has_value());
        CHECK(run.sends == expect.second);
    }
}

TEST_CASE("async: cancelled at any stage, a call completes exactly once") {
    struct stage {
        const char* name;
        std::chrono::milliseconds latency;  // of the transport's answer
        int first_status;                   // 429 (retried after 1 s) or 200
        std::optional<std::chrono::milliseconds> emit_at; // none: at once, inside no handler
        const char* says;
    };
    const stage stages[] = {
        {"before the send has started to run", 500ms, 200, std::nullopt, "cancelled while sending"},
        {"during the send", 500ms, 200, 100ms, "cancelled while sending"},
        {"while the answer is on its way", 0ms, 429, std::nullopt, "cancelled while waiting to retry"},
        {"during the wait", 0ms, 429, 100ms, "cancelled while waiting to retry"},
        {"after the call completed", 0ms, 200, 100ms, nullptr},
    };
    for (const auto& s : stages) {
        CAPTURE(s.name);
        net::io_context io;
        testing::fake_async_transport fake(io.get_executor(), s.latency);
        fake.script().push(s.first_status == 429 ? status_with(429, {{"Retry-After", "1"}}) : ok(token_body));
        fake.script().push(ok(token_body));
        net::cancellation_signal cancel;
        int calls = 0;
        std::optional<token_result> got;
        cloudflare::asio::async_call<rotate_ep>(fake, options_, std::string_view("t1"), rotate_params,
                                                net::bind_cancellation_slot(cancel.slot(), [&](token_result r) {
                                                    ++calls;
                                                    got = std::move(r);
                                                }));
        net::steady_timer t(io);
        if (s.emit_at) {
            t.expires_after(*s.emit_at);
            t.async_wait([&](boost::system::error_code) { cancel.emit(net::cancellation_type::terminal); });
        } else {
            cancel.emit(net::cancellation_type::terminal);
        }
        const auto start = std::chrono::steady_clock::now();
        io.run();
        CHECK(std::chrono::steady_clock::now() - start < 900ms); // no stage waited out its latency or backoff
        CHECK(calls == 1);
        REQUIRE(got.has_value());
        if (!s.says) {
            CHECK(got->has_value());
            continue;
        }
        REQUIRE_FALSE(got->has_value());
        CHECK(got->error().kind() == error_kind::api_connection);
        CHECK(contains(got->error().message(), s.says));
        // A rotation whose request was handed to the transport may have been applied.
        CHECK(got->error().outcome_unknown() == (s.first_status == 200 || s.latency.count() > 0));
        CHECK(fake.script().request_count() == 1);
    }
}

TEST_CASE("async: on two threads, transports that complete inline, throw or drop: every call completes exactly once") {
    net::io_context io;
    constexpr int per_mode = 50;
    const misbehaviour modes[] = {misbehaviour::complete_inline, misbehaviour::throw_before_taking,
                                  misbehaviour::throw_after_taking, misbehaviour::drop};
    std::vector<std::unique_ptr<misbehaving_transport>> transports;
    for (auto m : modes) transports.push_back(std::make_unique<misbehaving_transport>(io.get_executor(), m));
    std::vector<std::atomic<int>> calls(std::size(modes) * per_mode);
    std::atomic<int> succeeded{0};
    // Started from handlers on both threads, so initiations and completions interleave.
    for (std::size_t i = 0; i < calls.size(); ++i)
        net::post(io, [&, i] {
            cloudflare::asio::async_call<rotate_ep>(*transports[i % std::size(modes)], options_, std::string_view("t1"),
                                                    rotate_params, [&, i](const token_result& r) {
                                                        ++calls[i];
                                                        succeeded += r.has_value();
                                                    });
        });
    std::thread second([&] { io.run(); });
    io.run();
    second.join();
    for (std::size_t i = 0; i < calls.size(); ++i) {
        CAPTURE(i);
        CHECK(calls[i].load() == 1);
    }
    CHECK(succeeded.load() == per_mode); // the inline ones
}

TEST_CASE("async: destroying the io_context with a call pending destroys its handler uncalled, as Asio does") {
    auto token = std::make_shared<int>(0); // held by the handler
    int calls = 0;
    {
        net::io_context io;
        testing::fake_async_transport fake(io.get_executor(), 10s);
        fake.script().push(ok(token_body));
        cloudflare::asio::async_call<rotate_ep>(fake, options_, std::string_view("t1"), rotate_params,
                                                [&calls, token](const token_result&) { ++calls; });
        io.run_for(20ms); // the send is pending
        CHECK(token.use_count() == 2);
    }
    CHECK(calls == 0);
    CHECK(token.use_count() == 1); // nothing leaked
}

// ---- The coroutine example of asio.hpp, as its doc comment writes it ---------------------------

namespace {
// GCC 12 destroyed a temporary written inside the co_await expression twice (a double free), and
// an `access` namespace alias collided with POSIX access() (<unistd.h> is included above).
net::awaitable<void> rotate_as_documented(testing::fake_async_transport& transport, const client_options& options,
                                          std::string_view token_id, std::string account, std::optional<token_result>& out) {
    namespace cfa = cloudflare::zero_trust::access;
    // Arguments named, not temporaries, in a co_await expression: GCC 12 destroys those twice.
    const cfa::service_token_rotate_params params{.account_id = account};
    auto token = co_await cloudflare::asio::async_call<cfa::endpoints::service_token_rotate>(
        transport, options, token_id, params, boost::asio::use_awaitable);
    out.emplace(std::move(token));
}
} // namespace

TEST_CASE("async: the coroutine example of asio.hpp runs") {
    net::io_context io;
    testing::fake_async_transport fake(io.get_executor());
    fake.script().push(ok(token_body));
    std::optional<token_result> got;
    bool threw = false;
    net::co_spawn(io, rotate_as_documented(fake, options_, token_id, std::string(account), got),
                  [&](std::exception_ptr e) { threw = e != nullptr; });
    io.run();
    CHECK_FALSE(threw);
    REQUIRE(got.has_value());
    CHECK(got->has_value());
    REQUIRE(fake.script().request_count() == 1);
    CHECK(fake.script().requests()[0].url == rotate_url);
}
