// The call pipeline as a state machine (call_machine.hpp), driven by hand as an event loop of
// one's own would: every step, the request it asks to send, the waits, cancellation.
#include "retry_table.hpp"
#include "support.hpp"

#include <cloudflare/call_machine.hpp>

#include <doctest/doctest.h>

#include <vector>

using namespace cloudflare;
using namespace fixtures;
using namespace std::chrono_literals;
namespace cfa = cloudflare::zero_trust::access;
using rotate_machine = call_machine<cfa::endpoints::service_token_rotate>;
using get_machine = call_machine<cfa::endpoints::service_token_get>;

namespace {
const std::string token_body = envelope(R"({"id":"t1","client_id":"c","client_secret":"cfast_s"})");
http::response status(int s, http::headers extra = {}) { return retry_table::status(s, std::move(extra)).response.value(); }
} // namespace

TEST_CASE("call_machine: one attempt that succeeds is send, then done with the typed result") {
    auto o = token_options();
    rotate_machine m(o, {}, token_id, cfa::service_token_rotate_params{.account_id = std::string(account)});
    REQUIRE(m.next() == call_step::send);
    CHECK(m.attempt() == 1);
    CHECK(m.request().method == http::method::post);
    CHECK(m.request().url == rotate_url);
    CHECK(m.request().headers.get("Authorization") == "Bearer " + std::string(api_token));
    m.on_response(ok(token_body));
    REQUIRE(m.next() == call_step::done);
    auto r = m.take_result();
    REQUIRE(r.has_value());
    CHECK(r->client_secret.reveal() == "cfast_s");
}

TEST_CASE("call_machine: a retryable answer asks for a wait of the server's Retry-After, then sends the same request") {
    auto o = token_options();
    get_machine m(o, {}, token_id, cfa::service_token_get_params{.account_id = std::string(account)});
    REQUIRE(m.next() == call_step::send);
    const std::string url = m.request().url;
    m.on_response(status(429, {{"Retry-After", "3"}}));
    REQUIRE(m.next() == call_step::wait);
    CHECK(m.delay() == 3000ms);
    REQUIRE(m.next() == call_step::wait); // asked again: still waiting (feeding now would end the call)
    m.on_waited();
    REQUIRE(m.next() == call_step::send);
    CHECK(m.attempt() == 2);
    CHECK(m.request().url == url);
    m.on_response(ok(token_body));
    REQUIRE(m.next() == call_step::done);
    CHECK(m.take_result().has_value());
}

TEST_CASE("call_machine: backoff without Retry-After, a transport failure before sending retried, max_retries honoured") {
    auto o = token_options();
    o.jitter_seed = 7;
    o.max_retries = 3;
    get_machine m(o, {}, token_id, cfa::service_token_get_params{.account_id = std::string(account)});
    std::vector<std::chrono::milliseconds> waits;
    for (int i = 0; i < 3; ++i) {
        REQUIRE(m.next() == call_step::send);
        if (i == 0) m.on_transport_failure({transport_failure::not_sent, "connection refused"});
        else m.on_response(status(503));
        REQUIRE(m.next() == call_step::wait);
        waits.push_back(m.delay());
        m.on_waited();
    }
    REQUIRE(m.next() == call_step::send);
    CHECK(m.attempt() == 4);
    m.on_response(status(503)); // the fourth attempt, after three retries: the last word
    REQUIRE(m.next() == call_step::done);
    auto r = m.take_result();
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind() == error_kind::internal_server);
    CHECK(r.error().attempts().size() == 4);
    CHECK(r.error().attempts().front().failure == transport_failure::not_sent);
    CHECK_FALSE(r.error().outcome_unknown()); // a GET: repeating it was safe
    // backoff_delay: 500 ms doubling, less up to a quarter of jitter.
    CHECK((waits[0] >= 375ms && waits[0] <= 500ms));
    CHECK((waits[1] >= 750ms && waits[1] <= 1000ms));
    CHECK((waits[2] >= 1500ms && waits[2] <= 2000ms));
}

TEST_CASE("call_machine: a rotation is never re-sent after an attempt that may have been applied") {
    auto o = token_options();
    rotate_machine m(o, {}, token_id, cfa::service_token_rotate_params{.account_id = std::string(account)});
    REQUIRE(m.next() == call_step::send);
    m.on_response(status(503));
    REQUIRE(m.next() == call_step::done);
    auto r = m.take_result();
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().outcome_unknown());
    CHECK(r.error().attempts().size() == 1);
}

TEST_CASE("call_machine: a bad argument ends it before anything is sent") {
    auto o = token_options();
    rotate_machine m(o, {}, std::string_view(".."), cfa::service_token_rotate_params{.account_id = std::string(account)});
    REQUIRE(m.next() == call_step::done);
    auto r = m.take_result();
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind() == error_kind::invalid_argument);
}

TEST_CASE("call_machine: abandoning a send leaves a rotation's outcome unknown; abandoning a wait does not") {
    auto o = token_options();
    rotate_machine sending(o, {}, token_id, cfa::service_token_rotate_params{.account_id = std::string(account)});
    REQUIRE(sending.next() == call_step::send);
    sending.abandon(error_info(error_kind::api_connection, "cancelled"), true);
    REQUIRE(sending.next() == call_step::done);
    auto r = sending.take_result();
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().outcome_unknown());
    CHECK(r.error().attempts().size() == 1);

    get_machine waiting(o, {}, token_id, cfa::service_token_get_params{.account_id = std::string(account)});
    REQUIRE(waiting.next() == call_step::send);
    waiting.on_response(status(429));
    REQUIRE(waiting.next() == call_step::wait);
    waiting.abandon(error_info(error_kind::api_connection, "cancelled"), false);
    REQUIRE(waiting.next() == call_step::done);
    auto w = waiting.take_result();
    REQUIRE_FALSE(w.has_value());
    CHECK_FALSE(w.error().outcome_unknown());
    CHECK(w.error().attempts().size() == 1); // the 429
}

TEST_CASE("call_machine: errors are scrubbed of the credentials, as the client's are") {
    auto o = token_options();
    get_machine m(o, {}, token_id, cfa::service_token_get_params{.account_id = std::string(account)});
    REQUIRE(m.next() == call_step::send);
    m.on_response(testing::json_response(
        400, std::string(R"({"success":false,"errors":[{"code":1,"message":"bad token )") + std::string(api_token) +
                 R"("}],"messages":[],"result":null})"));
    REQUIRE(m.next() == call_step::done);
    auto r = m.take_result();
    REQUIRE_FALSE(r.has_value());
    CHECK_FALSE(contains(r.error().message(), api_token));
    CHECK_FALSE(contains(r.error().body_excerpt(), api_token));
    for (const auto& e : r.error().errors()) CHECK_FALSE(contains(e.message, api_token));
}
