// Retries: the table in the README, cell by cell, through the client; delays; the observer.
#include "retry_table.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <sstream>
#include <mutex>
#include <thread>

using namespace cloudflare;
using namespace fixtures;
using namespace retry_table;
using namespace std::chrono_literals;
namespace cfa = cloudflare::zero_trust::access;

namespace {

const std::string token_body = envelope(R"({"id":"t1","client_id":"c","client_secret":"cfast_s"})");

struct cell_result {
    std::size_t requests;
    bool succeeded;
    bool outcome_unknown;
};

// Runs one call whose first attempt ends with `first` and whose second would succeed.
cell_result run_cell(const outcome& first, bool idempotent, bool opt_in) {
    testing::fake_transport fake;
    if (first.response) fake.push(*first.response);
    else fake.push(*first.failure);
    fake.push(ok(token_body));
    client c{fake, token_options()};
    request_options ro;
    ro.retry_non_idempotent = opt_in;
    auto& st = c.zero_trust.access.service_tokens;
    if (idempotent) {
        auto r = st.try_get("t1", {.account_id = "acc"}, ro);
        return {fake.request_count(), r.has_value(), r ? false : r.error().outcome_unknown()};
    }
    auto r = st.try_rotate("t1", {.account_id = "acc"}, ro);
    return {fake.request_count(), r.has_value(), r ? false : r.error().outcome_unknown()};
}

} // namespace

TEST_CASE("retry table: every cell, through the client") {
    const auto& table = retry_table::rows();
    for (const auto& rw : table) {
        std::string cell = rw.first.name;
        for (const auto& h : rw.first.response ? rw.first.response->headers : http::headers{})
            if (h.name == "x-should-retry") cell += " + x-should-retry: " + h.value;
        CAPTURE(cell);
        auto idem = run_cell(rw.first, true, false);
        CHECK(idem.requests == (rw.idempotent_retries ? 2u : 1u));
        CHECK(idem.succeeded == rw.idempotent_retries);
        CHECK_FALSE(idem.outcome_unknown); // an idempotent call's outcome never matters

        auto rot = run_cell(rw.first, false, false);
        CHECK(rot.requests == (rw.rotate_retries ? 2u : 1u));
        CHECK(rot.succeeded == rw.rotate_retries);
        if (!rot.succeeded) CHECK(rot.outcome_unknown == rw.rotate_unknown);

        auto opt = run_cell(rw.first, false, true);
        CHECK(opt.requests == (rw.opt_in_retries ? 2u : 1u));
    }
}

TEST_CASE("an invalid 2xx is never retried; for rotate its outcome is unknown") {
    auto first = outcome{"HTML 200", http::response{200, {{"content-type", "text/html"}}, "<html/>"}, {}};
    auto idem = run_cell(first, true, false);
    CHECK(idem.requests == 1);
    CHECK_FALSE(idem.succeeded);
    auto rot = run_cell(first, false, true);
    CHECK(rot.requests == 1);
    CHECK(rot.outcome_unknown);
}

TEST_CASE("decide_retry is the same table as a pure function") {
    CHECK(decide_retry(true, false, 503, std::nullopt, std::nullopt).retry);
    CHECK_FALSE(decide_retry(false, false, 503, std::nullopt, std::nullopt).retry);
    CHECK(decide_retry(false, false, 503, std::nullopt, std::nullopt).outcome_unknown);
    CHECK(decide_retry(false, false, 0, transport_failure::not_sent, std::nullopt).retry);
    CHECK_FALSE(decide_retry(false, false, 0, transport_failure::not_sent, std::nullopt).outcome_unknown);
    CHECK(decide_retry(false, false, 400, std::nullopt, "TRUE").retry);
    CHECK_FALSE(decide_retry(true, false, 500, std::nullopt, "false").retry);
}

TEST_CASE("retries stop at max_retries; attempts are recorded in the error") {
    testing::fake_transport fake;
    fake.set_handler([](const http::request&) { return transport_result(status(503, {{"cf-ray", "r"}}).response.value()); });
    auto o = token_options();
    o.max_retries = 3;
    client c{fake, o};
    auto r = c.zero_trust.access.service_tokens.try_get("t1", {.account_id = "acc"});
    REQUIRE_FALSE(r);
    CHECK(fake.request_count() == 4);
    REQUIRE(r.error().attempt_count() == 4);
    for (int i = 0; i < 4; ++i) {
        CHECK(r.error().attempts()[static_cast<std::size_t>(i)].number == i + 1);
        CHECK(r.error().attempts()[static_cast<std::size_t>(i)].status == 503);
    }
    CHECK(contains(r.error().message(), "after 4 attempts"));

    request_options once;
    once.max_retries = 0;
    auto r0 = c.zero_trust.access.service_tokens.try_get("t1", {.account_id = "acc"}, once);
    CHECK(r0.error().attempt_count() == 1);
    CHECK(fake.request_count() == 5);
}

TEST_CASE("delays: retry-after-ms, retry-after seconds, HTTP date, and backoff with jitter") {
    std::vector<std::chrono::milliseconds> slept;
    auto o = token_options();
    o.sleep = [&](std::chrono::milliseconds d) { slept.push_back(d); };
    o.jitter_seed = 42;
    o.max_retries = 5;
    testing::fake_transport fake;
    client c{fake, o};
    auto get = [&] { return c.zero_trust.access.service_tokens.try_get("t1", {.account_id = "acc"}); };

    fake.push(status(429, {{"retry-after-ms", "1500"}, {"retry-after", "9"}}).response.value());
    fake.push(status(429, {{"retry-after", "2"}}).response.value());
    fake.push(status(503, {{"retry-after", "Fri, 27 Nov 2026 19:00:30 GMT"}, {"date", "Fri, 27 Nov 2026 19:00:00 GMT"}}).response.value());
    fake.push(ok(envelope(R"({"id":"t1"})")));
    REQUIRE(get());
    CHECK(slept == std::vector<std::chrono::milliseconds>{1500ms, 2000ms, 30000ms});

    slept.clear();
    for (int i = 0; i < 5; ++i) fake.push(status(500).response.value());
    fake.push(ok(envelope(R"({"id":"t1"})")));
    REQUIRE(get());
    REQUIRE(slept.size() == 5);
    const long long base[] = {500, 1000, 2000, 4000, 8000};
    for (std::size_t i = 0; i < 5; ++i) {
        CAPTURE(i);
        CHECK(slept[i].count() <= base[i]);
        CHECK(slept[i].count() >= base[i] * 3 / 4); // at most 25% jitter
    }
    CHECK(backoff_delay(10, 0.0) == 8000ms); // capped at 8 s

    // The same seed gives the same delays.
    std::vector<std::chrono::milliseconds> again;
    auto o2 = o;
    o2.sleep = [&](std::chrono::milliseconds d) { again.push_back(d); };
    testing::fake_transport fake2;
    client c2{fake2, o2};
    for (int i = 0; i < 5; ++i) fake2.push(status(500).response.value());
    fake2.push(ok(envelope(R"({"id":"t1"})")));
    REQUIRE(c2.zero_trust.access.service_tokens.try_get("t1", {.account_id = "acc"}));
    CHECK(again == slept);
}

TEST_CASE("a server-requested delay over max_retry_delay is not slept; the error keeps its status type") {
    std::vector<std::chrono::milliseconds> slept;
    auto o = token_options();
    o.sleep = [&](std::chrono::milliseconds d) { slept.push_back(d); };
    o.max_retry_delay = 30s;
    testing::fake_transport fake;
    fake.push(status(429, {{"retry-after", "3600"}}).response.value());
    fake.push(status(503, {{"retry-after", "120"}}).response.value());
    client c{fake, o};
    auto r = c.zero_trust.access.service_tokens.try_get("t1", {.account_id = "acc"});
    REQUIRE_FALSE(r);
    CHECK(r.error().kind() == error_kind::rate_limit);
    CHECK(r.error().retry_after() == std::chrono::milliseconds(3600s));
    CHECK(slept.empty());
    CHECK(fake.request_count() == 1);
    try {
        c.zero_trust.access.service_tokens.get("t1", {.account_id = "acc"});
        FAIL("expected internal_server_error");
    } catch (const internal_server_error& e) { // a 503 stays a 503, whatever the retry budget
        CHECK(e.retry_after() == std::chrono::milliseconds(120s));
        CHECK(e.status() == 503);
        CHECK(contains(e.what(), "server asked to wait 120000 ms"));
    }
    fake.push(status(409, {{"retry-after", "90"}}).response.value());
    auto conflict = c.zero_trust.access.service_tokens.try_get("t1", {.account_id = "acc"});
    REQUIRE_FALSE(conflict);
    CHECK(conflict.error().kind() == error_kind::conflict);
    CHECK(conflict.error().retry_after() == std::chrono::milliseconds(90s));
    CHECK(slept.empty());
}

TEST_CASE("retry-after parsing") {
    auto now = std::chrono::sys_days{std::chrono::year{2026} / 11 / 27} + 19h;
    CHECK(detail::server_retry_delay({{"retry-after", "1.5"}}, now) == 1500ms);
    CHECK(detail::server_retry_delay({{"Retry-After-Ms", "250"}}, now) == 250ms);
    CHECK(detail::server_retry_delay({{"retry-after", "Fri, 27 Nov 2026 19:00:10 GMT"}}, now) == 10s);
    CHECK(detail::server_retry_delay({{"retry-after", "Fri, 27 Nov 2026 18:00:00 GMT"}}, now) == 0ms);
    CHECK_FALSE(detail::server_retry_delay({{"retry-after", "-5"}}, now));
    CHECK_FALSE(detail::server_retry_delay({{"retry-after", "soon"}}, now));
    CHECK_FALSE(detail::server_retry_delay({{"retry-after", "99999999999999999999"}}, now));
    CHECK_FALSE(detail::server_retry_delay({}, now));
}

TEST_CASE("the observer sees every attempt, redacted") {
    std::vector<std::string> lines;
    std::vector<http::headers> request_headers;
    std::vector<std::string> bodies;
    auto o = token_options();
    o.api_token = "obs-token-SECRET";
    o.observer = [&](const attempt_event& e) {
        lines.push_back(std::string(e.endpoint) + " " + std::to_string(e.attempt) + " " + std::to_string(e.status) + " " +
                        (e.will_retry ? "retry" : "final") + " " + std::string(e.ray_id.value_or("-")));
        request_headers.push_back(*e.request_headers);
        bodies.emplace_back(e.response_body_excerpt);
    };
    testing::fake_transport fake;
    fake.push(status(429, {{"cf-ray", "ray-1"}, {"retry-after", "0"}}).response.value());
    fake.push(ok(envelope(R"({"id":"t1","client_id":"c","client_secret":"cfast_OBSERVED_SECRET"})")));
    client c{fake, o};
    auto r = c.zero_trust.access.service_tokens.rotate("t1", {.account_id = "acc"});
    CHECK(lines == std::vector<std::string>{"zero_trust.access.service_tokens.rotate 1 429 retry ray-1",
                                            "zero_trust.access.service_tokens.rotate 2 200 final -"});
    for (const auto& h : request_headers) {
        CHECK(h.get("authorization") == "[REDACTED]");
        for (const auto& f : h) CHECK_FALSE(contains(f.value, "obs-token-SECRET"));
    }
    CHECK_FALSE(contains(bodies[1], "cfast_OBSERVED_SECRET"));
    CHECK(contains(bodies[1], "[REDACTED]"));

    o.api_token = secret();
    o.api_key = "key-SECRET";
    o.api_email = "who@example.com";
    request_headers.clear();
    testing::fake_transport fake2;
    fake2.push(failure(transport_failure::timed_out).failure.value());
    client c2{fake2, o};
    (void)c2.zero_trust.access.service_tokens.try_rotate("t1", {.account_id = "acc"});
    REQUIRE(request_headers.size() == 1);
    CHECK(request_headers[0].get("x-auth-key") == "[REDACTED]");
    CHECK(request_headers[0].get("x-auth-email") == "[REDACTED]");
}

TEST_CASE("one client, many threads (run under ThreadSanitizer in CI)") {
    std::atomic<int> n{0};
    testing::fake_transport fake([&](const http::request&) {
        // Every third attempt of each thread is rate-limited, so retries and jitter run
        // concurrently too. Counted per thread: with a global count, threads queued on the
        // fake's mutex in round-robin order could each see only 429s and exhaust max_retries.
        thread_local int mine = 0;
        n.fetch_add(1);
        if (mine++ % 3 == 0) return transport_result(status(429).response.value());
        return transport_result(ok(token_body));
    });
    auto o = token_options();
    o.max_retries = 5;
    std::atomic<int> observed{0};
    o.observer = [&](const attempt_event&) { observed.fetch_add(1); };
    client c{fake, o};
    std::atomic<int> good{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i)
                if (c.zero_trust.access.service_tokens.try_get("t1", {.account_id = "acc"})) good.fetch_add(1);
        });
    for (auto& th : threads) th.join();
    CHECK(good == 300);
    CHECK(observed == n.load());
    CHECK(fake.request_count() == static_cast<std::size_t>(n.load()));
}

TEST_CASE("too many response headers is refused for any status") {
    http::response resp = status(404).response.value();
    for (int i = 0; i < 300; ++i) resp.headers.emplace_back("x-h", "v");
    testing::fake_transport fake;
    fake.push(resp);
    client c{fake, token_options()};
    auto r = c.zero_trust.access.service_tokens.try_get("t1", {.account_id = "acc"});
    REQUIRE_FALSE(r);
    CHECK(r.error().kind() == error_kind::api_response_validation);
    CHECK(r.error().headers().empty());
}

TEST_CASE("secrets under failure: no error path shows the token or a client_secret anywhere") {
    const std::string token = "TOKEN-abc123-SECRET";
    const std::string client_secret = "cfast_CLIENTSECRETabcdefghijklmnopqrstuvwxyz0123456789";
    std::string logged; // everything the observer was shown
    auto o = token_options();
    o.strict_response_validation = true; // every malformed answer below is an error path
    o.api_token = token;
    o.observer = [&](const attempt_event& e) {
        logged += std::string(e.url) + std::string(e.decision) + std::string(e.response_body_excerpt);
        for (const auto* hs : {e.request_headers, e.response_headers})
            if (hs) for (const auto& h : *hs) logged += h.name + ":" + h.value + "\n";
    };
    const std::string leaky = R"({"success":false,"errors":[{"code":1,"message":"m"}],"result":{"client_secret":")" + client_secret +
                              R"("},"echo":")" + token + R"(","api_token":")" + token + R"("})";
    std::vector<outcome> paths;
    for (int s : {400, 401, 403, 404, 408, 409, 422, 429, 500, 503, 418})
        paths.push_back({"status", testing::json_response(s, leaky, {{"set-cookie", "session=" + token}}), {}});
    paths.push_back({"200 success:false", ok(leaky), {}});
    paths.push_back({"200 html", http::response{200, {{"content-type", "text/html"}}, "<p>" + client_secret + "</p>"}, {}});
    paths.push_back({"200 missing id", ok(envelope(R"({"client_id":"c","client_secret":")" + client_secret + R"("})")), {}});
    paths.push_back({"200 truncated", ok(envelope(R"({"id":"i","client_secret":")" + client_secret).substr(0, 60)), {}});
    for (auto f : {transport_failure::not_sent, transport_failure::timed_out, transport_failure::maybe_sent})
        paths.push_back(failure(f));
    for (const auto& p : paths) {
        CAPTURE(p.name);
        testing::fake_transport fake;
        fake.set_handler([&](const http::request&) { return p.response ? transport_result(*p.response) : transport_result(transport_error_info{*p.failure, "io"}); });
        client c{fake, o};
        for (bool idempotent : {false, true}) {
            auto check = [&](const error_info& e) {
                std::ostringstream os;
                os << e;
                std::string everything = e.message() + e.body_excerpt() + os.str() + logged;
                for (const auto& h : e.headers()) everything += h.value;
                CHECK_FALSE(contains(everything, token));
                CHECK_FALSE(contains(everything, client_secret));
#if CLOUDFLARE_HAS_EXCEPTIONS
                try { throw_as_exception(e); } catch (const cloudflare::error& ex) { CHECK_FALSE(contains(ex.what(), token)); CHECK_FALSE(contains(ex.what(), client_secret)); }
#endif
            };
            if (idempotent) {
                auto r = c.zero_trust.access.service_tokens.try_get("t1", {.account_id = "acc"});
                REQUIRE_FALSE(r);
                check(r.error());
            } else {
                auto r = c.zero_trust.access.service_tokens.try_rotate("t1", {.account_id = "acc"});
                REQUIRE_FALSE(r);
                check(r.error());
            }
        }
    }
    // Rejected before sending: a token with CR/LF is named, never shown.
    auto bad = o;
    bad.api_token = token + "\r\n";
    testing::fake_transport fake;
    client c{fake, bad};
    auto r = c.zero_trust.access.service_tokens.try_rotate("t1", {.account_id = "acc"});
    REQUIRE_FALSE(r);
    CHECK_FALSE(contains(r.error().message(), token));
    CHECK_FALSE(logged.empty()); // the observer did see the failures (redacted)
}
