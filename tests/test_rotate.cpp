// "Rotate a service token": exact requests, parsing, every failure typed.
#include "support.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <sstream>

using namespace cloudflare;
using namespace fixtures;
namespace cfa = cloudflare::zero_trust::access;
using rotate_ep = cfa::endpoints::service_token_rotate;

namespace {

// A client over a fake that answers once with `resp`; returns the call's result.
result<cfa::service_token_rotate_response> rotate_with(http::response resp, client_options o = token_options()) {
    testing::fake_transport fake;
    fake.push(std::move(resp));
    o.max_retries = 0;
    client c{fake, std::move(o)};
    return c.zero_trust.access.service_tokens.try_rotate(token_id, {.account_id = std::string(account)});
}

std::vector<http::request> sent_by(const std::function<void(client<testing::fake_transport&>&)>& call,
                                   client_options o = token_options()) {
    testing::fake_transport fake;
    fake.push(ok(documented_rotate_body));
    client c{fake, std::move(o)};
    call(c);
    return fake.requests();
}

} // namespace

TEST_CASE("rotate sends exactly the documented request with an API token") {
    auto reqs = sent_by([](auto& c) {
        auto t = c.zero_trust.access.service_tokens.rotate(token_id, {.account_id = std::string(account)});
        CHECK(t.id == "id");
    });
    REQUIRE(reqs.size() == 1);
    const auto& r = reqs[0];
    CHECK(r.method == http::method::post);
    CHECK(r.url == rotate_url);
    CHECK(r.body.empty());
    CHECK(r.timeout == std::chrono::milliseconds(60'000));
    http::headers expected{{"Accept", "application/json"},
                           {"User-Agent", "cloudflare-cpp/" CLOUDFLARE_CPP_VERSION_STRING},
                           {"Authorization", "Bearer " + std::string(api_token)}};
    CHECK(r.headers == expected);
    CHECK_FALSE(r.headers.contains("content-type")); // no body, no Content-Type
}

TEST_CASE("rotate with API key + email sends X-Auth-Key and X-Auth-Email") {
    client_options o;
    o.api_key = "key-SECRET";
    o.api_email = "ops@example.com";
    auto reqs = sent_by([](auto& c) { c.zero_trust.access.service_tokens.rotate(token_id, {.account_id = std::string(account)}); }, o);
    http::headers expected{{"Accept", "application/json"},
                           {"User-Agent", "cloudflare-cpp/" CLOUDFLARE_CPP_VERSION_STRING},
                           {"X-Auth-Key", "key-SECRET"},
                           {"X-Auth-Email", "ops@example.com"}};
    CHECK(reqs.at(0).headers == expected);
}

TEST_CASE("rotate with a grace period sends the RFC 3339 body and Content-Type") {
    using namespace std::chrono;
    SUBCASE("from a time point") {
        auto reqs = sent_by([](auto& c) {
            c.zero_trust.access.service_tokens.rotate(
                token_id, {.account_id = std::string(account),
                           .previous_client_secret_expires_at = system_clock::time_point(sys_days{2026y / 11 / 28} + 12h)});
        });
        CHECK(reqs.at(0).body == R"({"previous_client_secret_expires_at":"2026-11-28T12:00:00Z"})");
        CHECK(reqs.at(0).headers.get("content-type") == "application/json");
    }
    SUBCASE("from a valid string") {
        auto reqs = sent_by([](auto& c) {
            c.zero_trust.access.service_tokens.rotate(
                token_id, {.account_id = std::string(account), .previous_client_secret_expires_at = "2026-11-28T12:00:00+01:00"});
        });
        CHECK(reqs.at(0).body == R"({"previous_client_secret_expires_at":"2026-11-28T12:00:00+01:00"})");
    }
    SUBCASE("an invalid string is rejected before sending") {
        testing::fake_transport fake;
        client c{fake, token_options()};
        auto r = c.zero_trust.access.service_tokens.try_rotate(
            token_id, {.account_id = std::string(account), .previous_client_secret_expires_at = "tomorrow"});
        REQUIRE_FALSE(r);
        CHECK(r.error().kind() == error_kind::invalid_argument);
        CHECK(contains(r.error().message(), "previous_client_secret_expires_at"));
        CHECK(fake.request_count() == 0);
        CHECK_THROWS_AS(c.zero_trust.access.service_tokens.rotate(
                            token_id, {.account_id = std::string(account), .previous_client_secret_expires_at = "tomorrow"}),
                        cloudflare::invalid_argument);
    }
}

TEST_CASE("base URL, default and per-call headers, timeout and user agent") {
    auto o = token_options();
    o.base_url = "http://127.0.0.1:4010///";
    o.default_headers.emplace_back("X-Team", "platform");
    o.user_agent = "rotator/2";
    o.timeout = std::chrono::seconds(5);
    auto reqs = sent_by([](auto& c) {
        request_options ro;
        ro.headers.emplace_back("x-team", "override");
        ro.timeout = std::chrono::milliseconds(1500);
        c.zero_trust.access.service_tokens.rotate(token_id, {.account_id = std::string(account)}, ro);
    }, o);
    const auto& r = reqs.at(0);
    CHECK(r.url == "http://127.0.0.1:4010/accounts/023e105f4ecef8ad9ca31a8372d0c353/access/service_tokens/f174e90a-fafe-4643-bbbc-4a0ed4fc8415/rotate");
    CHECK(r.headers.get("x-team") == "override");
    CHECK(r.headers.get("user-agent") == "rotator/2");
    CHECK(r.timeout == std::chrono::milliseconds(1500));
    CHECK(r.port() == 4010);
    CHECK(r.target() == "/accounts/023e105f4ecef8ad9ca31a8372d0c353/access/service_tokens/f174e90a-fafe-4643-bbbc-4a0ed4fc8415/rotate");
}

TEST_CASE("the documented response parses into every field") {
    auto r = rotate_with(ok(documented_rotate_body));
    REQUIRE(r);
    const auto& t = *r;
    CHECK(t.id == "id");
    CHECK(t.client_id == "88bf3b6d86161464f6509f7219099e57.access.example.com");
    CHECK(t.client_secret.reveal() == doc_secret);
    REQUIRE(t.created_at);
    CHECK(t.created_at->text == "2014-01-01T05:20:00.12345Z");
    CHECK(t.created_at->time == sys_time_us{} + std::chrono::sys_days{std::chrono::year{2014} / 1 / 1}.time_since_epoch() +
                                    std::chrono::hours(5) + std::chrono::minutes(20) + std::chrono::microseconds(123450));
    REQUIRE(t.updated_at);
    CHECK(t.updated_at->text == "2014-01-01T05:20:00.12345Z");
    CHECK(t.duration == "60m");
    CHECK(t.name == "CI/CD token");
    CHECK_FALSE(t.expires_at);
    CHECK_FALSE(t.last_seen_at);
    CHECK_FALSE(t.client_secret_version);
    CHECK_FALSE(t.previous_client_secret_expires_at);
    CHECK_FALSE(t.enabled);
    REQUIRE(t.raw.find("name"));
    CHECK(t.raw.find("name")->as_string() == "CI/CD token");
}

TEST_CASE("every field the API has returned, and unknown fields kept in raw") {
    auto r = rotate_with(ok(envelope(R"({"id":"a","client_id":"c.access","client_secret":"cfast_x","created_at":"2026-01-01T00:00:00Z",
        "updated_at":"2026-01-02T00:00:00Z","duration":"forever","name":"n","expires_at":"2027-01-01T00:00:00Z",
        "last_seen_at":"2026-06-01T00:00:00Z","client_secret_version":3,"previous_client_secret_expires_at":"2026-11-28T00:00:00Z",
        "enabled":true,"future_field":{"nested":[1,2,3]}})")));
    REQUIRE(r);
    CHECK(r->expires_at->text == "2027-01-01T00:00:00Z");
    CHECK(r->last_seen_at->text == "2026-06-01T00:00:00Z");
    CHECK(r->client_secret_version == 3);
    CHECK(r->previous_client_secret_expires_at->text == "2026-11-28T00:00:00Z");
    CHECK(r->enabled == true);
    CHECK(r->duration == "forever");
    REQUIRE(r->raw.find("future_field"));
    CHECK(r->raw.find("future_field")->at("nested").as_array().size() == 3);
    // Copies share the parsed document; it outlives the original.
    cfa::service_token_rotate_response copy = *r;
    r = rotate_with(ok(documented_rotate_body));
    CHECK(copy.raw.find("future_field")->is_object());
}

TEST_CASE("null optional fields are absent, integral doubles are integers") {
    auto r = rotate_with(ok(envelope(R"({"id":"a","client_id":"c","client_secret":"s","name":null,"client_secret_version":2.0})")));
    REQUIRE(r);
    CHECK_FALSE(r->name);
    CHECK(r->client_secret_version == 2);
}

TEST_CASE("each status maps to its error type, carrying errors, messages and cf-ray") {
    struct row { int status; error_kind kind; };
    for (auto rw : {row{400, error_kind::bad_request}, row{401, error_kind::authentication},
                                row{403, error_kind::permission_denied}, row{404, error_kind::not_found},
                                row{409, error_kind::conflict}, row{422, error_kind::unprocessable_entity},
                                row{429, error_kind::rate_limit}, row{500, error_kind::internal_server},
                                row{503, error_kind::internal_server}, row{418, error_kind::api_status},
                                row{302, error_kind::api_status}}) {
        const int status = rw.status;
        const error_kind kind = rw.kind;
        CAPTURE(status);
        auto resp = testing::json_response(status, R"({"success":false,"errors":[{"code":7003,"message":"Could not route",
            "documentation_url":"https://developers.cloudflare.com/x","source":{"pointer":"/account_id"}}],
            "messages":[{"code":1,"message":"note"}],"result":null})", {{"CF-RAY", "8c2b4a1e2f3d-LHR"}});
        auto r = rotate_with(resp);
        REQUIRE_FALSE(r);
        const auto& e = r.error();
        CHECK(e.kind() == kind);
        CHECK(e.status() == status);
        REQUIRE(e.errors().size() == 1);
        CHECK(e.errors()[0].code == 7003);
        CHECK(e.errors()[0].message == "Could not route");
        CHECK(e.errors()[0].documentation_url == "https://developers.cloudflare.com/x");
        CHECK(e.errors()[0].source_pointer == "/account_id");
        REQUIRE(e.messages().size() == 1);
        CHECK(e.messages()[0].message == "note");
        CHECK(e.ray_id() == "8c2b4a1e2f3d-LHR");
        CHECK(contains(e.message(), "Could not route"));
        CHECK(contains(e.message(), "8c2b4a1e2f3d-LHR"));
    }
}

TEST_CASE("the throwing form throws the matching exception type") {
    auto throws_for = [](int status, auto tag) {
        using expected = decltype(tag);
        testing::fake_transport fake;
        fake.push(testing::json_response(status, R"({"success":false,"errors":[{"code":1,"message":"m"}],"messages":[],"result":null})",
                                         {{"cf-ray", "ray-1"}}));
        auto o = token_options();
        o.max_retries = 0;
        client c{fake, o};
        try {
            c.zero_trust.access.service_tokens.rotate(token_id, {.account_id = std::string(account)});
            FAIL("no exception");
        } catch (const expected& e) {
            CHECK(e.status() == status);
            CHECK(e.ray_id() == "ray-1");
            CHECK(e.errors().size() == 1);
        }
    };
    throws_for(400, bad_request_error(error_info{}));
    throws_for(401, authentication_error(error_info{}));
    throws_for(403, permission_denied_error(error_info{}));
    throws_for(404, not_found_error(error_info{}));
    throws_for(409, conflict_error(error_info{}));
    throws_for(422, unprocessable_entity_error(error_info{}));
    throws_for(429, rate_limit_error(error_info{}));
    throws_for(500, internal_server_error(error_info{}));
    throws_for(418, api_status_error(error_info{}));
    // and all of them are api_status_error and cloudflare::error
    throws_for(404, api_status_error(error_info{}));
    throws_for(503, cloudflare::error(error_info{}));
}

TEST_CASE("a non-JSON error page keeps its status type and a redacted excerpt") {
    http::response resp{502, {{"Content-Type", "text/html"}}, "<html><body>502 Bad Gateway</body></html>"};
    auto r = rotate_with(resp);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind() == error_kind::internal_server);
    CHECK(r.error().errors().empty());
    CHECK(contains(r.error().message(), "not a Cloudflare envelope"));
    CHECK(contains(r.error().body_excerpt(), "502 Bad Gateway"));
}

TEST_CASE("malformed 2xx responses are api_response_validation_error, never an empty result") {
    struct row { const char* name; http::response resp; const char* says; };
    std::string big(17u * 1024 * 1024, ' ');
    std::string deep = std::string(200, '[') + std::string(200, ']');
    row rows[] = {
        {"HTML from a proxy", {200, {{"Content-Type", "text/html"}}, "<html>hi</html>"}, "content-type"},
        {"HTML without content-type", {200, {}, "<html>hi</html>"}, "invalid JSON"},
        {"truncated JSON", ok(documented_rotate_body.substr(0, 120)), "invalid JSON"},
        {"trailing garbage", ok(documented_rotate_body + "x"), "invalid JSON"},
        {"success:false", ok(R"({"success":false,"errors":[{"code":9,"message":"nope"}],"messages":[],"result":null})"), "`success` is false"},
        {"success missing", ok(R"({"errors":[],"messages":[],"result":{}})"), "success"},
        {"success not bool", ok(R"({"success":"true","errors":[],"result":{}})"), "success"},
        {"result missing", ok(R"({"success":true,"errors":[],"messages":[]})"), "`result` is missing"},
        {"result null", ok(R"({"success":true,"errors":[],"messages":[],"result":null})"), "`result` is missing"},
        {"result wrong type", ok(envelope(R"([1,2])")), "must be an object"},
        {"envelope not an object", ok("[]"), "not a JSON object"},
        {"missing id", ok(envelope(R"({"client_id":"c","client_secret":"s"})")), "result.id` is missing"},
        {"missing client_secret", ok(envelope(R"({"id":"i","client_id":"c"})")), "client_secret` is missing"},
        {"secret of wrong type", ok(envelope(R"({"id":"i","client_id":"c","client_secret":42})")), "must be a string"},
        {"empty secret", ok(envelope(R"({"id":"i","client_id":"c","client_secret":""})")), "client_secret` is empty"},
        {"empty id", ok(envelope(R"({"id":"","client_id":"c","client_secret":"s"})")), "result.id` is empty"},
        // (an invalid *optional* field no longer fails rotate: see test_review.cpp)
        {"duplicate keys", ok(R"({"success":true,"success":false,"errors":[],"result":{"id":"i","client_id":"c","client_secret":"s"}})"), "duplicate key"},
        {"duplicate nested key", ok(envelope(R"({"id":"i","id":"j","client_id":"c","client_secret":"s"})")), "duplicate key"},
        {"invalid UTF-8", ok(envelope("{\"id\":\"\xff\xfe\",\"client_id\":\"c\",\"client_secret\":\"s\"}")), "invalid JSON"},
        {"too deep", ok(envelope(R"({"id":"i","client_id":"c","client_secret":"s","x":)" + deep + "}")), "invalid JSON"},
        {"too large", ok(big), "max_body_bytes"},
        {"204 empty", {204, {}, ""}, "empty body"},
        {"errors entry without code", ok(R"({"success":false,"errors":[{"message":"m"}],"messages":[],"result":null})"), "errors[0].code` is missing"},
        {"errors code is a string", ok(R"({"success":false,"errors":[{"code":"7003","message":"m"}],"messages":[],"result":null})"), "errors[0].code` must be an integer"},
        {"comments", ok("{/*c*/\"success\":true}"), "invalid JSON"},
    };
    for (auto& [name, resp, says] : rows) {
        std::string_view row_name = name;
        CAPTURE(row_name);
        auto r = rotate_with(resp);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind() == error_kind::api_response_validation);
        CHECK_MESSAGE(contains(r.error().message(), says), r.error().message());
        CHECK(r.error().outcome_unknown()); // rotate may have happened: the new secret is unreadable
    }
    // and the exception type
    testing::fake_transport fake;
    fake.push(ok(R"({"success":true,"errors":[],"messages":[],"result":null})"));
    client c{fake, token_options()};
    CHECK_THROWS_AS(c.zero_trust.access.service_tokens.rotate(token_id, {.account_id = std::string(account)}),
                    api_response_validation_error);
}

TEST_CASE("success:false keeps the envelope's errors") {
    auto r = rotate_with(ok(R"({"success":false,"errors":[{"code":10001,"message":"service token rotation failed"}],"messages":[],"result":null})"));
    REQUIRE_FALSE(r);
    REQUIRE(r.error().errors().size() == 1);
    CHECK(r.error().errors()[0].code == 10001);
}

TEST_CASE("limits are configurable") {
    auto o = token_options();
    o.limits.max_body_bytes = 100;
    auto r = rotate_with(ok(documented_rotate_body), o);
    REQUIRE_FALSE(r);
    CHECK(contains(r.error().message(), "max_body_bytes"));
    o = token_options();
    o.limits.max_headers = 1;
    r = rotate_with(testing::json_response(200, documented_rotate_body, {{"a", "1"}}), o);
    REQUIRE_FALSE(r);
    CHECK(contains(r.error().message(), "max_headers"));
    o = token_options();
    o.limits.max_json_depth = 2;
    r = rotate_with(ok(documented_rotate_body), o);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind() == error_kind::api_response_validation);
}

TEST_CASE("path parameters: empty named, dots rejected, everything else encoded and confined") {
    testing::fake_transport fake;
    fake.set_handler([](const http::request&) { return transport_result(ok(documented_rotate_body)); });
    client c{fake, token_options()};
    auto& st = c.zero_trust.access.service_tokens;

    auto r = st.try_rotate("", {.account_id = std::string(account)});
    REQUIRE_FALSE(r);
    CHECK(r.error().kind() == error_kind::invalid_argument);
    CHECK(r.error().message() == "Expected a non-empty value for `service_token_id`");
    r = st.try_rotate(token_id, {.account_id = ""});
    CHECK(r.error().message() == "Expected a non-empty value for `account_id`");
    CHECK(st.try_rotate(".", {.account_id = std::string(account)}).error().message() == "`service_token_id` must not be `.` or `..`");
    CHECK(st.try_rotate(token_id, {.account_id = ".."}).error().message() == "`account_id` must not be `.` or `..`");
    CHECK(fake.request_count() == 0);
    CHECK_THROWS_AS(st.rotate("", {.account_id = std::string(account)}), cloudflare::invalid_argument);

    struct row { std::string id; std::string encoded; };
    for (const auto& rw : {row{"../../zones/z", "..%2F..%2Fzones%2Fz"}, row{"a/b", "a%2Fb"}, row{"a?b#c", "a%3Fb%23c"},
                                      row{"%2e%2e", "%252e%252e"}, row{"a b", "a%20b"}, row{"sub-delims!$&'()*+,;=:@", "sub-delims!$&'()*+,;=:@"},
                                      row{"\r\nHost: evil", "%0D%0AHost:%20evil"}, row{std::string("nul\0x", 5), "nul%00x"},
                                      row{"\xc3\xa9", "%C3%A9"}, row{"...", "..."}}) {
        const std::string& id = rw.id;
        const std::string& encoded = rw.encoded;
        CAPTURE(id);
        auto res = st.try_rotate(id, {.account_id = std::string(account)});
        REQUIRE(res);
        CHECK(fake.requests().back().url ==
              "https://api.cloudflare.com/client/v4/accounts/023e105f4ecef8ad9ca31a8372d0c353/access/service_tokens/" + encoded + "/rotate");
    }
}

TEST_CASE("header injection is refused before sending, without echoing the value") {
    testing::fake_transport fake;
    SUBCASE("default header value with CRLF") {
        auto o = token_options();
        o.default_headers.emplace_back("X-Note", "a\r\nX-Evil: 1");
        client c{fake, o};
        auto r = c.zero_trust.access.service_tokens.try_rotate(token_id, {.account_id = std::string(account)});
        REQUIRE_FALSE(r);
        CHECK(r.error().kind() == error_kind::invalid_argument);
        CHECK(r.error().message() == "header `X-Note` contains a control character (CR, LF, NUL, ...)");
    }
    SUBCASE("per-call header with LF, NUL, or a bad name") {
        client c{fake, token_options()};
        for (auto h : {http::header{"X-A", "x\ny"}, http::header{"X-A", std::string("x\0y", 3)}, http::header{"Bad Name", "v"},
                       http::header{"", "v"}, http::header{"X:Y", "v"}}) {
            request_options ro;
            ro.headers.push_back(h);
            auto r = c.zero_trust.access.service_tokens.try_rotate(token_id, {.account_id = std::string(account)}, ro);
            REQUIRE_FALSE(r);
            CHECK(r.error().kind() == error_kind::invalid_argument);
        }
    }
    SUBCASE("a credential with CRLF is refused and not echoed") {
        auto o = token_options();
        o.api_token = "tok\r\nX-Evil: SECRET-PART";
        client c{fake, o};
        auto r = c.zero_trust.access.service_tokens.try_rotate(token_id, {.account_id = std::string(account)});
        REQUIRE_FALSE(r);
        CHECK(r.error().message() == "header `Authorization` contains a control character (CR, LF, NUL, ...)");
        CHECK_FALSE(contains(r.error().message(), "SECRET-PART"));
    }
    CHECK(fake.request_count() == 0);
}

TEST_CASE("credentials: none is an error before sending; key needs email; service key refused by Access") {
    testing::fake_transport fake;
    client_options none;
    client c{fake, none};
    auto r = c.zero_trust.access.service_tokens.try_rotate(token_id, {.account_id = std::string(account)});
    REQUIRE_FALSE(r);
    CHECK(r.error().kind() == error_kind::invalid_argument);
    CHECK(contains(r.error().message(), "no credentials"));
    CHECK(contains(r.error().message(), "CLOUDFLARE_API_TOKEN"));

    client_options key_only;
    key_only.api_key = "k";
    client c2{fake, key_only};
    CHECK(contains(c2.zero_trust.access.service_tokens.try_rotate(token_id, {.account_id = std::string(account)}).error().message(),
                   "api_key and api_email"));

    client_options usk;
    usk.user_service_key = "v1.0-usk";
    client c3{fake, usk};
    CHECK(contains(c3.zero_trust.access.service_tokens.try_rotate(token_id, {.account_id = std::string(account)}).error().message(),
                   "user service key"));
    CHECK(fake.request_count() == 0);

    client_options both = token_options();
    both.api_key = "k";
    both.api_email = "e@example.com";
    auto reqs = sent_by([](auto& cl) { cl.zero_trust.access.service_tokens.rotate(token_id, {.account_id = std::string(account)}); }, both);
    CHECK(reqs.at(0).headers.contains("authorization")); // the token wins
    CHECK_FALSE(reqs.at(0).headers.contains("x-auth-key"));
}

namespace {
// An endpoint that accepts the user service key (like Origin CA's), to test that auth scheme.
struct origin_ca_like {
    using response_type = cfa::service_token;
    static constexpr http::method method = http::method::get;
    static constexpr bool idempotent = true;
    static constexpr bool accepts_user_service_key = true;
    static constexpr std::string_view name = "test.origin_ca_like";
    static void describe(detail::request_builder& b) { b.path("/certificates"); }
};
} // namespace

TEST_CASE("user service key maps to X-Auth-User-Service-Key where an endpoint accepts it") {
    client_options o;
    o.user_service_key = "v1.0-usk-SECRET";
    auto req = build_request<origin_ca_like>(o);
    REQUIRE(req);
    CHECK(req->headers.get("X-Auth-User-Service-Key") == "v1.0-usk-SECRET");
    CHECK(req->url == "https://api.cloudflare.com/client/v4/certificates");
}

TEST_CASE("an invalid base URL is an invalid_argument") {
    auto o = token_options();
    for (const char* bad : {"api.cloudflare.com", "", "https://", "https://x/y?q=1", "ftp://x/y"}) {
        CAPTURE(bad);
        o.base_url = bad;
        auto req = build_request<rotate_ep>(o, token_id, cfa::service_token_rotate_params{.account_id = std::string(account)});
        REQUIRE_FALSE(req);
        CHECK(req.error().kind() == error_kind::invalid_argument);
    }
}

TEST_CASE("secrets never appear in what(), operator<<, messages or excerpts") {
    const std::string new_secret = "cfast_NEWSECRETabcdefghijklmnopqrstuvwxyz012345ABCDEFGH";
    auto o = token_options();
    o.api_key = "key-SECRET-7f";
    o.api_email = "ops@example.com";
    std::vector<http::response> bad_responses = {
        ok(envelope(R"({"client_id":"c","client_secret":")" + new_secret + R"("})")),                // missing id
        ok(envelope(R"({"id":"","client_id":"c","client_secret":")" + new_secret + R"(","enabled":"x"})")),  // empty id
        ok(R"({"success":false,"errors":[],"result":{"client_secret":")" + new_secret + R"("}})"),
        testing::json_response(500, R"({"client_secret":")" + new_secret + R"(","api_token":")" + std::string(api_token) + R"("})"),
        testing::json_response(400, R"({"success":false,"errors":[{"code":1,"message":"bad"}],"result":{"client_secret": ")" +
                                        new_secret.substr(0, 20)),                                     // truncated inside the secret
        ok(R"({"success":true,"errors":[],"result":{"id":"i","client_id":"c","client_secret":")" + new_secret), // truncated
    };
    for (const auto& resp : bad_responses) {
        auto r = rotate_with(resp, o);
        REQUIRE_FALSE(r);
        std::ostringstream os;
        os << r.error();
        const std::string secret_part = new_secret.substr(6, 20);
        for (std::string_view s : {std::string_view(new_secret), std::string_view(secret_part), api_token, std::string_view("key-SECRET-7f")}) {
            CHECK_FALSE(contains(r.error().message(), s));
            CHECK_FALSE(contains(r.error().body_excerpt(), s));
            CHECK_FALSE(contains(os.str(), s));
            for (const auto& h : r.error().headers()) CHECK_FALSE(contains(h.value, s));
        }
        try {
            r.value();
            FAIL("value() should throw");
        } catch (const cloudflare::error& e) {
            CHECK_FALSE(contains(e.what(), new_secret));
            CHECK_FALSE(contains(e.what(), api_token));
        }
    }
    // A successful result streams its secret redacted.
    auto good = rotate_with(ok(documented_rotate_body));
    std::ostringstream os;
    os << good->client_secret;
    CHECK(os.str() == "[REDACTED]");
}

TEST_CASE("sans-IO: build and parse without a client") {
    auto o = token_options();
    auto req = build_request<rotate_ep>(o, token_id, cfa::service_token_rotate_params{.account_id = std::string(account)});
    REQUIRE(req);
    CHECK(req->url == rotate_url);
    CHECK(req->method == http::method::post);
    auto parsed = parse_response<rotate_ep>(ok(documented_rotate_body));
    REQUIRE(parsed);
    CHECK(parsed->client_secret.reveal() == doc_secret);
    auto failed = parse_response<rotate_ep>(testing::json_response(404, R"({"success":false,"errors":[{"code":7003,"message":"x"}],"messages":[],"result":null})"));
    REQUIRE_FALSE(failed);
    CHECK(failed.error().kind() == error_kind::not_found);
    CHECK_THROWS_AS(std::move(failed).value(), not_found_error);
}
