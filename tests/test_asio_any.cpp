// Calls by method and path (cloudflare::any_endpoint) on Asio: the same pipeline as the client's
// `get`/`post`, driven by asio::async_call.
#include "support.hpp"

#include <cloudflare/asio.hpp>
#include <cloudflare/testing/fake_async_transport.hpp>

#include <boost/asio/io_context.hpp>

#include <doctest/doctest.h>

#include <optional>

using namespace cloudflare;
using namespace fixtures;

TEST_CASE("asio::async_call of any_endpoint: exact request, extra_query, retries by method") {
    boost::asio::io_context io;
    testing::fake_async_transport fake(io.get_executor());
    fake.script().push(testing::json_response(503, R"({"success":false,"errors":[]})"));
    fake.script().push(ok(envelope(R"({"id":"q1"})")));
    auto options = token_options();
    request_options o;
    o.extra_query = {{"per_page", "5"}};
    std::optional<result<raw_json>> got;
    asio::async_call<any_endpoint<raw_json, http::method::get>>(fake, options, o, api_path("/accounts/{}/queues", "a 1"),
                                                                [&](result<raw_json> r) { got.emplace(std::move(r)); });
    io.run();
    REQUIRE(got);
    REQUIRE(*got);
    CHECK((*got)->value().at("id") == "q1");
    auto sent = fake.script().requests();
    REQUIRE(sent.size() == 2); // a GET is retried
    CHECK(sent[1].url == "https://api.cloudflare.com/client/v4/accounts/a%201/queues?per_page=5");

    // A POST is not retried; a bad path is refused before anything is sent.
    io.restart();
    fake.script().push(testing::json_response(503, R"({"success":false,"errors":[]})"));
    std::optional<result<raw_json>> posted, refused;
    const boost::json::value body = {{"queue_name", "jobs"}};
    asio::async_call<any_endpoint<raw_json, http::method::post>>(fake, options, request_options{}, api_path("/accounts/a1/queues"),
                                                                 body, [&](result<raw_json> r) { posted.emplace(std::move(r)); });
    asio::async_call<any_endpoint<raw_json, http::method::post>>(fake, options, request_options{}, api_path("/../user"), body,
                                                                 [&](result<raw_json> r) { refused.emplace(std::move(r)); });
    io.run();
    REQUIRE(posted);
    CHECK_FALSE(*posted);
    REQUIRE(refused);
    REQUIRE_FALSE(*refused);
    CHECK(refused->error().kind() == error_kind::invalid_argument);
    CHECK(fake.script().request_count() == 3);
}
