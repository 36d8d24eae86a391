// Calls the SDK does not name (client.get/post/put/patch/delete_ over api_path), and what any call
// adds beyond its declaration (request_options::extra_query, extra_body): exact requests, retries
// by method, refused input, redaction.
#include "support.hpp"

#include <cloudflare/testing/example_response.hpp>
#include <cloudflare/testing/examples/zones.hpp>
#include <cloudflare/zones.hpp>

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <string>
#include <vector>

using namespace cloudflare;
using namespace fixtures;

namespace {

const std::string base = "https://api.cloudflare.com/client/v4";

bool same_json(std::string_view got, std::string_view want) {
    boost::system::error_code ec;
    auto g = boost::json::parse(got, ec);
    return !ec && g == boost::json::parse(want);
}

// A result type of the caller's own, read as generated results are.
struct ruleset_summary {
    std::string id;
    std::optional<std::string> phase;
    template <class S, class F>
    static void cloudflare_members(S& s, F&& f) {
        f("id", s.id);
        f("phase", s.phase);
    }
};

} // namespace

TEST_CASE("client.get: the exact request, the result as raw_json or a type of yours") {
    testing::fake_transport fake;
    fake.push(ok(envelope(R"({"id":"r1","phase":"http_request_firewall_custom","extra":[1,2]})")));
    fake.push(ok(envelope(R"({"id":"r1","phase":"http_request_firewall_custom"})")));
    client c{fake, token_options()};
    request_options o;
    o.extra_query = {{"per_page", "5"}, {"name", "a b/é"}};
    auto raw = c.try_get(api_path("/zones/{}/rulesets/{}", "z1", "r/1"), o);
    REQUIRE(raw);
    CHECK(raw->value().at("extra").as_array().size() == 2);
    auto typed = c.get<ruleset_summary>("/zones/z1/rulesets/r1");
    CHECK(typed.id == "r1");
    CHECK(typed.phase == "http_request_firewall_custom");

    auto sent = fake.requests();
    REQUIRE(sent.size() == 2);
    CHECK(sent[0].method == http::method::get);
    CHECK(sent[0].url == base + "/zones/z1/rulesets/r%2F1?per_page=5&name=a%20b%2F%C3%A9");
    CHECK(sent[0].headers.get("authorization") == "Bearer " + std::string(api_token));
    CHECK(sent[0].headers.get("accept") == "application/json");
    CHECK(sent[0].body.empty());
    CHECK_FALSE(sent[0].headers.get("content-type"));
    CHECK(sent[1].url == base + "/zones/z1/rulesets/r1");
}

TEST_CASE("client.post, put, patch, delete_: method, JSON body, Content-Type") {
    testing::fake_transport fake;
    for (int i = 0; i < 4; ++i) fake.push(ok(envelope(R"({"id":"x"})")));
    client c{fake, token_options()};
    boost::json::value body = {{"name", "prod"}, {"ttl", 60}, {"tags", {"a", "b"}}};
    CHECK(c.try_post("/accounts/a1/workers/queues", body));
    CHECK(c.try_put("/accounts/a1/workers/queues/q1", body));
    CHECK(c.try_patch("/accounts/a1/workers/queues/q1", body));
    CHECK(c.try_delete_("/accounts/a1/workers/queues/q1"));
    auto sent = fake.requests();
    REQUIRE(sent.size() == 4);
    const http::method methods[] = {http::method::post, http::method::put, http::method::patch, http::method::delete_};
    for (std::size_t i = 0; i < 3; ++i) {
        CAPTURE(i);
        CHECK(sent[i].method == methods[i]);
        CHECK(same_json(sent[i].body, R"({"name":"prod","ttl":60,"tags":["a","b"]})"));
        CHECK(sent[i].headers.get("content-type") == "application/json");
    }
    CHECK(sent[3].method == http::method::delete_);
    CHECK(sent[3].body.empty());
    CHECK(sent[0].url == base + "/accounts/a1/workers/queues");
}

TEST_CASE("client calls retry by method: GET, PUT and DELETE are retried, POST and PATCH only when asked") {
    auto run = [](auto&& call, int answers_503) {
        testing::fake_transport fake;
        for (int i = 0; i < answers_503; ++i) fake.push(testing::json_response(503, R"({"success":false,"errors":[]})"));
        fake.push(ok(envelope("{}")));
        client c{fake, token_options()};
        auto r = call(c);
        return std::pair{static_cast<bool>(r), fake.request_count()};
    };
    const boost::json::value body = boost::json::object{};
    CHECK(run([](auto& c) { return c.try_get("/x"); }, 2) == std::pair{true, std::size_t{3}});
    CHECK(run([&](auto& c) { return c.try_put("/x", body); }, 2) == std::pair{true, std::size_t{3}});
    CHECK(run([](auto& c) { return c.try_delete_("/x"); }, 2) == std::pair{true, std::size_t{3}});
    CHECK(run([&](auto& c) { return c.try_post("/x", body); }, 1) == std::pair{false, std::size_t{1}});
    CHECK(run([&](auto& c) { return c.try_patch("/x", body); }, 1) == std::pair{false, std::size_t{1}});
    request_options again;
    again.retry_non_idempotent = true;
    CHECK(run([&](auto& c) { return c.try_post("/x", body, again); }, 1) == std::pair{true, std::size_t{2}});
}

TEST_CASE("a path that is absolute, has a scheme, climbs, or holds control characters is refused before sending") {
    testing::fake_transport fake;
    client c{fake, token_options()};
    for (std::string_view bad : {"", "zones", "https://evil.example/zones", "//evil.example/zones", "/zones/../user",
                                 "/zones/%2e%2E/user", "/zones/./x", "/..", "/zones/z1\r\nX-Evil: 1", "/zones/a b",
                                 "/zones?name=x", "/zones#x", "/zones/%zz", "/zones/%4", "/zones//x", "/zones\\..\\x",
                                 "/zones/\xC3\xA9"}) {
        CAPTURE(bad);
        auto r = c.try_get(api_path(bad));
        REQUIRE_FALSE(r);
        CHECK(r.error().kind() == error_kind::invalid_argument);
        CHECK(r.error().message().starts_with("client.get: "));
    }
    // Values given to a template are segments: encoded and confined, never empty or a climb.
    for (auto p : {api_path("/zones/{}", ""), api_path("/zones/{}", ".."), api_path("/zones/{}", "."),
                   api_path("/zones/{}/{}", "z1"), api_path("/zones/{}", "z1", "z2"), api_path("zones/{}", "z1")}) {
        auto r = c.try_get(p);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind() == error_kind::invalid_argument);
    }
    CHECK(fake.request_count() == 0);
    CHECK(api_path("/zones/{}/dns_records", "../user").text() == "/zones/..%2Fuser/dns_records");
    CHECK(api_path("/zones/{}", "a?b#c d").text() == "/zones/a%3Fb%23c%20d");
}

TEST_CASE("a custom call's body must be sendable JSON: UTF-8 strings and keys, finite numbers") {
    testing::fake_transport fake;
    client c{fake, token_options()};
    boost::json::value latin1 = {{"domains", {"ok.example", "caf\xE9.example"}}};
    auto r = c.try_post("/x", latin1);
    REQUIRE_FALSE(r);
    CHECK(r.error().message() == "client.post: `body.domains[1]` is not valid UTF-8");
    boost::json::value nan = {{"sample", std::numeric_limits<double>::quiet_NaN()}};
    auto n = c.try_patch("/x", nan);
    REQUIRE_FALSE(n);
    CHECK(n.error().message() == "client.patch: `body.sample` is not a finite number");
    CHECK(fake.request_count() == 0);
}

TEST_CASE("a custom call's answer is redacted in the observer and errors like any other") {
    testing::fake_transport fake;
    fake.push(ok(envelope(R"({"api_token":"S3CRET-in-answer","echo":")" + std::string(api_token) + R"("})")));
    fake.push(testing::json_response(400, R"({"success":false,"errors":[{"code":9,"message":"bad )" +
                                              std::string(api_token) + R"("}],"result":{"secretAccessKey":"S3CRET-2"}})"));
    auto o = token_options();
    std::vector<std::string> seen;
    o.observer = [&](const attempt_event& e) { seen.emplace_back(e.response_body_excerpt); };
    client c{fake, o};
    REQUIRE(c.try_get("/x"));
    auto e = c.try_get("/y");
    REQUIRE_FALSE(e);
    seen.push_back(e.error().message());
    seen.push_back(e.error().body_excerpt());
    REQUIRE(seen.size() == 4);
    for (const auto& s : seen) {
        CHECK_FALSE(contains(s, "S3CRET"));
        CHECK_FALSE(contains(s, api_token));
    }
    CHECK(contains(seen[0], "[REDACTED]"));
}

TEST_CASE("extra_query: added after the call's own parameters, replacing those of the same name") {
    testing::fake_transport fake;
    fake.push(ok(R"({"success":true,"errors":[],"messages":[],"result":[],"result_info":{"page":1}})"));
    client c{fake, token_options()};
    request_options o;
    o.extra_query = {{"status", "pending"}, {"paused", "true"}, {"tag", "a"}, {"tag", "b"}};
    REQUIRE(c.zones.try_list({.name = "example.com", .per_page = 5, .status = "active"}, o));
    CHECK(fake.requests().at(0).url == base + "/zones?name=example.com&per_page=5&status=pending&paused=true&tag=a&tag=b");
}

TEST_CASE("extra_body: merged into the body object, replacing a property of the same name") {
    testing::fake_transport fake;
    for (int i = 0; i < 2; ++i) fake.push(testing::example_response<zones::endpoints::zone_create>());
    fake.push(ok(envelope("{}")));
    client c{fake, token_options()};
    request_options o;
    o.extra_body = {{"type", "partial"}, {"paused", true}, {"settings", {{"a", 1}}}};
    REQUIRE(c.zones.try_create({.account = {.id = "a1"}, .name = "example.com", .type = "full"}, o));
    CHECK(same_json(fake.requests().at(0).body,
                    R"({"account":{"id":"a1"},"name":"example.com","type":"partial","paused":true,"settings":{"a":1}})"));
    // A call with no body gets an object body.
    REQUIRE(c.zones.try_edit({.zone_id = "z1"}, o));
    CHECK(same_json(fake.requests().at(1).body, R"({"type":"partial","paused":true,"settings":{"a":1}})"));
    CHECK(fake.requests().at(1).headers.get("content-type") == "application/json");
    // And so does a custom call.
    REQUIRE(c.try_post("/zones/z1/x", boost::json::object{{"type", "full"}, {"keep", 1}}, o));
    CHECK(same_json(fake.requests().at(2).body, R"({"type":"partial","keep":1,"paused":true,"settings":{"a":1}})"));
}

TEST_CASE("extra_query and extra_body that cannot be sent are refused before sending, naming the field") {
    testing::fake_transport fake;
    client c{fake, token_options()};
    auto refused = [&](const request_options& o, std::string_view says) {
        auto r = c.zones.try_create({.account = {.id = "a1"}, .name = "example.com"}, o);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind() == error_kind::invalid_argument);
        CHECK(r.error().message() == says);
    };
    request_options q;
    q.extra_query = {{"", "x"}};
    refused(q, "request_options::extra_query: a parameter name is empty");
    q.extra_query = {{"name", "caf\xE9"}};
    refused(q, "request_options::extra_query: `name` is not valid UTF-8");
    request_options b;
    b.extra_body = {{"domains", {"ok", "caf\xE9"}}};
    refused(b, "request_options::`extra_body.domains[1]` is not valid UTF-8");
    b.extra_body = {{"ratio", std::numeric_limits<double>::infinity()}};
    refused(b, "request_options::`extra_body.ratio` is not a finite number");
    // A body that is not a JSON object cannot take properties.
    request_options arr;
    arr.extra_body = {{"x", 1}};
    auto r = c.try_put("/x", boost::json::array{1, 2}, arr);
    REQUIRE_FALSE(r);
    CHECK(r.error().message() == "request_options::extra_body needs a JSON object body; this call's body is not one");
    CHECK(fake.request_count() == 0);
}
