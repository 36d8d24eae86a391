// Holes an outside review found (issue 9): each case failed before its fix.
#include "support.hpp"

#include <doctest/doctest.h>

#include <sstream>
#include <stdexcept>
#include <type_traits>

using namespace cloudflare;
using namespace fixtures;
using namespace std::chrono_literals;
namespace cfa = cloudflare::zero_trust::access;

namespace {

cfa::service_token_rotate_params rotate_params() { return {.account_id = std::string(account)}; }

// A 2xx rotate answer whose required fields are valid and whose `extra` fields follow.
std::string rotate_body(std::string_view extra) {
    return envelope(std::string(R"({"id":"i","client_id":"c","client_secret":"cfast_NEW)") + R"(")" +
                    std::string(extra) + "}");
}

} // namespace

TEST_CASE("every exception the library throws is caught as const std::exception&") {
    for (int k = 0; k <= static_cast<int>(error_kind::invalid_argument); ++k) {
        const auto kind = static_cast<error_kind>(k);
        CAPTURE(to_string(kind));
        bool caught = false;
        try {
            throw_as_exception(error_info(kind, "boom"));
        } catch (const std::exception& e) {
            caught = std::string_view(e.what()) == "boom";
        }
        CHECK(caught);
    }
    bool caught = false;
    try {
        throw_as_exception(transport_error_info{transport_failure::not_sent, "no route"});
    } catch (const std::exception&) {
        caught = true;
    }
    CHECK(caught);
    // The case the review hit: no credentials at all.
    testing::fake_transport fake;
    client c{fake, client_options{}};
    CHECK_THROWS_AS(c.zero_trust.access.service_tokens.rotate(token_id, rotate_params()), std::exception);
}

TEST_CASE("an applied rotation with an odd optional field returns its secret, with a warning") {
    testing::fake_transport fake;
    std::vector<std::string> observed;
    auto o = token_options();
    o.observer = [&](const attempt_event& ev) { observed.assign(ev.warnings.begin(), ev.warnings.end()); };
    client c{fake, o};
    auto& st = c.zero_trust.access.service_tokens;

    fake.push(ok(rotate_body(R"(,"last_seen_at":"2024-05-01 10:00:00Z","name":"ci")")));
    auto r = st.try_rotate(token_id, rotate_params());
    REQUIRE(r);
    CHECK(r->client_secret.reveal() == "cfast_NEW");
    CHECK(r->name == "ci");
    CHECK_FALSE(r->last_seen_at);
    REQUIRE(r->warnings.size() == 1);
    CHECK(contains(r->warnings[0], "result.last_seen_at"));
    CHECK(contains(r->warnings[0], "RFC 3339"));
    CHECK(observed == r->warnings);

    // Every kind of optional problem, and the throwing form too.
    for (std::string_view extra : {R"(,"created_at":"yesterday")", R"(,"client_secret_version":18446744073709551615)",
                                   R"(,"client_secret_version":1.5)", R"(,"client_secret_version":1e400)",
                                   R"(,"enabled":"yes")", R"(,"name":7)"}) {
        CAPTURE(extra);
        fake.push(ok(rotate_body(extra)));
        auto t = st.rotate(token_id, rotate_params());
        CHECK(t.client_secret.reveal() == "cfast_NEW");
        CHECK(t.warnings.size() == 1);
        // An idempotent read of the same answer reads it too (tolerant, the default), and fails
        // with strict_response_validation.
        fake.push(ok(rotate_body(extra)));
        auto g = st.try_get(token_id, {.account_id = std::string(account)});
        REQUIRE(g);
        CHECK(g->warnings.size() == 1);
        auto strict_options = token_options();
        strict_options.strict_response_validation = true;
        testing::fake_transport strict_fake;
        strict_fake.push(ok(rotate_body(extra)));
        client strict{strict_fake, strict_options};
        auto sg = strict.zero_trust.access.service_tokens.try_get(token_id, {.account_id = std::string(account)});
        REQUIRE_FALSE(sg);
        CHECK(sg.error().kind() == error_kind::api_response_validation);
        CHECK_FALSE(sg.error().outcome_unknown());
    }
    // A clean answer has no warnings.
    fake.push(ok(documented_rotate_body));
    CHECK(st.rotate(token_id, rotate_params()).warnings.empty());
}

TEST_CASE("empty required fields are errors whose outcome is unknown") {
    for (std::string_view body : {R"({"id":"i","client_id":"c","client_secret":""})", R"({"id":"","client_id":"c","client_secret":"s"})",
                                  R"({"id":"i","client_id":"","client_secret":"s"})"}) {
        CAPTURE(body);
        testing::fake_transport fake;
        fake.push(ok(envelope(body)));
        client c{fake, token_options()};
        auto r = c.zero_trust.access.service_tokens.try_rotate(token_id, rotate_params());
        REQUIRE_FALSE(r);
        CHECK(r.error().kind() == error_kind::api_response_validation);
        CHECK(contains(r.error().message(), "is empty"));
        CHECK(r.error().outcome_unknown());
    }
}

TEST_CASE("credentials and secrets echoed into errors() and messages() are scrubbed") {
    const std::string new_secret = "cfast_ECHOEDabcdefghijklmnopqrstuvwxyz012345ABCDEFGH";
    const std::string tok(api_token);
    const std::string body = R"({"success":false,"errors":[{"code":1,"message":"bad token )" + tok +
                             R"(","documentation_url":"https://x/?t=)" + tok + R"(","source":{"pointer":"/)" + new_secret +
                             R"("}}],"messages":[{"code":2,"message":"secret )" + new_secret + R"(","documentation_url":")" + tok +
                             R"(","source":{"pointer":")" + tok + R"("}}],"result":null})";
    for (int status : {400, 200}) {
        CAPTURE(status);
        testing::fake_transport fake;
        fake.push(testing::json_response(status, body));
        client c{fake, token_options()};
        auto r = c.zero_trust.access.service_tokens.try_rotate(token_id, rotate_params());
        REQUIRE_FALSE(r);
        REQUIRE(r.error().errors().size() == 1);
        REQUIRE(r.error().messages().size() == 1);
        for (const auto* list : {&r.error().errors(), &r.error().messages()}) {
            for (const auto& m : *list) {
                for (std::string_view s : {std::string_view(tok), std::string_view(new_secret)}) {
                    CHECK_FALSE(contains(m.message, s));
                    CHECK_FALSE(contains(m.documentation_url.value_or(""), s));
                    CHECK_FALSE(contains(m.source_pointer.value_or(""), s));
                }
                CHECK(contains(m.message, "[REDACTED]"));
            }
        }
        CHECK_FALSE(contains(r.error().message(), tok));
        CHECK_FALSE(contains(r.error().message(), new_secret));
    }
}

TEST_CASE("base_url: only http and https, in any case") {
    testing::fake_transport fake;
    fake.push(ok(documented_rotate_body));
    for (std::string_view bad : {"ftp://h:21/", "file://localhost:1/x", "htps://host:443/", "gopher://h:70", "ws://h:80/"}) {
        CAPTURE(bad);
        auto o = token_options();
        o.base_url = std::string(bad);
        auto req = build_request<cfa::endpoints::service_token_rotate>(o, token_id, rotate_params());
        REQUIRE_FALSE(req);
        CHECK(req.error().kind() == error_kind::invalid_argument);
    }
    auto o = token_options();
    o.base_url = "HTTPS://api.cloudflare.com/client/v4";
    client c{fake, o};
    REQUIRE(c.zero_trust.access.service_tokens.try_rotate(token_id, rotate_params()));
    CHECK(fake.requests().at(0).url == rotate_url); // scheme sent in lower case
    CHECK(http::split_url("Http://h:8080/x")->port == 8080);
    CHECK(http::split_url("hTTp://h/x")->port == 80);
}

TEST_CASE("excerpts: redaction before the cut, whole UTF-8 characters, escaped keys, any value type") {
    using detail::excerpt;
    const std::string tok(api_token);
    const std::array<std::string_view, 1> creds{tok};
    // A token straddling byte 512 leaves no prefix.
    for (std::size_t at : {500u, 505u, 510u, 511u}) {
        CAPTURE(at);
        std::string body = std::string(at, 'a') + tok + std::string(100, 'b');
        CHECK_FALSE(contains(excerpt(body, 512, creds), tok.substr(0, 8)));
    }
    // A 64-hex secret straddling the cut leaves none of its digits.
    std::string hex = std::string(500, ' ') + std::string(doc_secret) + " tail";
    std::string e = excerpt(hex);
    CHECK(e.find("bdd31cbc") == std::string::npos);
    CHECK(e.find("bdd3") == std::string::npos);
    // Never half a UTF-8 character at the cut ("é" is 2 bytes; 511 + 2 straddles 512).
    std::string utf = std::string(511, 'x') + "\xC3\xA9" + std::string(10, 'y');
    std::string cut = excerpt(utf);
    CHECK(cut == std::string(511, 'x') + "...");
    // Escaped key names and values of every JSON type.
    CHECK(excerpt(R"({"client_\u0073ecret":"S3CRET","n":1})") == R"({"client_\u0073ecret":"[REDACTED]","n":1})");
    CHECK(excerpt(R"({"client_secret":{"value":"S3CRET"},"n":1})") == R"({"client_secret":"[REDACTED]","n":1})");
    CHECK(excerpt(R"({"api_token":["S3CRET","x"],"n":1})") == R"({"api_token":"[REDACTED]","n":1})");
    CHECK(excerpt(R"({"pin_key":123456,"n":1})") == R"({"pin_key":"[REDACTED]","n":1})");
    CHECK(excerpt(R"({"secret":{"a":"}","b":[1,{"c":"]"}]},"n":1})") == R"({"secret":"[REDACTED]","n":1})");
    CHECK(excerpt(R"({"secret":null,"n":1})") == R"({"secret":null,"n":1})");
    CHECK(excerpt(R"({"secret":{"value":"S3CRET")").find("S3CRET") == std::string::npos); // unterminated
}

TEST_CASE("excerpts hide credentials the API names otherwise: by the endpoint's secret paths, and by more names") {
    using cloudflare::detail::excerpt;
    using cloudflare::detail::secret_path_key;
    CHECK(secret_path_key("result") == "result");
    CHECK(secret_path_key("result.value") == "value");
    CHECK(secret_path_key("result[].srt.passphrase") == "passphrase");
    CHECK(secret_path_key("result{}.config.debugKey") == "debugKey");
    CHECK(secret_path_key("result[]") == "result");
    // A roll's bare result, a new token's `value`: hidden only where the endpoint says so.
    const std::array<std::string_view, 1> bare{"result"}, value{"result.value"};
    const std::string roll = R"({"success":true,"result":"S3CRET-roll"})", created = R"({"result":{"id":"i","value":"S3CRET-new"}})";
    CHECK(excerpt(roll, 512, {}, bare) == R"({"success":true,"result":"[REDACTED]"})");
    CHECK(excerpt(created, 512, {}, value) == R"({"result":{"id":"i","value":"[REDACTED]"}})");
    CHECK(excerpt(created) == created); // no path: `value` is ordinary elsewhere
    // Cut short (invalid JSON), the value is still hidden.
    CHECK_FALSE(contains(excerpt(created.substr(0, created.size() - 3), 512, {}, value), "S3CRET"));
    // Names of credentials on every endpoint.
    for (std::string_view key : {"psk", "passphrase", "pem", "jwk", "private_key", "secretAccessKey", "sessionToken",
                                 "streamKey", "credentials"}) {
        CAPTURE(key);
        std::string body = std::string(R"({")").append(key).append(R"(":"S3CRET","n":1})");
        CHECK_FALSE(contains(excerpt(body), "S3CRET"));
    }
}

TEST_CASE("try_ forms are exception-neutral") {
    SUBCASE("an observer that throws after the rotation was applied") {
        testing::fake_transport fake;
        fake.push(ok(documented_rotate_body));
        auto o = token_options();
        o.observer = [](const attempt_event&) { throw std::runtime_error("observer bug"); };
        client c{fake, o};
        auto r = c.zero_trust.access.service_tokens.try_rotate(token_id, rotate_params());
        REQUIRE(r);
        CHECK(r->client_secret.reveal() == doc_secret);
    }
    SUBCASE("an observer that throws a non-standard type") {
        testing::fake_transport fake;
        fake.push(ok(documented_rotate_body));
        auto o = token_options();
        o.observer = [](const attempt_event&) { throw 42; };
        client c{fake, o};
        CHECK(c.zero_trust.access.service_tokens.try_rotate(token_id, rotate_params()));
    }
    SUBCASE("a transport that throws a non-std::exception is maybe_sent") {
        struct int_thrower {
            int calls = 0;
            http::response send(const http::request&) {
                ++calls;
                throw 7;
            }
        };
        int_thrower t;
        client c{t, token_options()};
        auto r = c.zero_trust.access.service_tokens.try_rotate(token_id, rotate_params());
        REQUIRE_FALSE(r);
        CHECK(r.error().kind() == error_kind::api_connection);
        CHECK(r.error().transport() == transport_failure::maybe_sent);
        CHECK(r.error().outcome_unknown());
        CHECK(t.calls == 1); // rotate is not repeated after a possibly applied attempt
    }
}

TEST_CASE("x-should-retry: true after a 5xx: retried, and not counted as possibly applied") {
    auto fail_500 = [](bool header) {
        http::headers h;
        if (header) h.emplace_back("x-should-retry", "true");
        return testing::json_response(500, R"({"success":false,"errors":[{"code":1,"message":"m"}],"messages":[],"result":null})", h);
    };
    {
        testing::fake_transport fake;
        fake.push(fail_500(true));
        fake.push(fail_500(true));
        fake.push(fail_500(true));
        client c{fake, token_options()};
        auto r = c.zero_trust.access.service_tokens.try_rotate(token_id, rotate_params());
        REQUIRE_FALSE(r);
        CHECK(fake.request_count() == 3); // honoured: retried up to max_retries
        CHECK_FALSE(r.error().outcome_unknown());
    }
    {
        testing::fake_transport fake;
        fake.push(fail_500(true));
        fake.push(fail_500(false)); // this one may have been applied
        client c{fake, token_options()};
        auto r = c.zero_trust.access.service_tokens.try_rotate(token_id, rotate_params());
        REQUIRE_FALSE(r);
        CHECK(fake.request_count() == 2);
        CHECK(r.error().outcome_unknown());
    }
    CHECK_FALSE(decide_retry(false, false, 500, std::nullopt, std::string_view("true")).outcome_unknown);
    CHECK(decide_retry(false, false, 500, std::nullopt, std::string_view("false")).outcome_unknown);
}

TEST_CASE("a moved-from client fails cleanly and never reaches its successor") {
    testing::fake_transport fake;
    client a{fake, token_options()};
    client b{std::move(a)};
    auto r = a.zero_trust.access.service_tokens.try_rotate(token_id, rotate_params()); // NOLINT(bugprone-use-after-move)
    REQUIRE_FALSE(r);
    CHECK(r.error().kind() == error_kind::invalid_argument);
    CHECK(contains(r.error().message(), "moved from"));
    CHECK_THROWS_AS(a.zero_trust.access.service_tokens.get(token_id, {.account_id = std::string(account)}), invalid_argument);
    CHECK_THROWS_AS((void)a.options(), invalid_argument);
    CHECK_THROWS_AS((void)a.transport(), invalid_argument);
    for (auto&& item : a.zero_trust.access.service_tokens.try_list_all({.account_id = std::string(account)})) {
        CHECK(item.error().kind() == error_kind::invalid_argument);
    }
    CHECK(fake.request_count() == 0);

    fake.push(ok(documented_rotate_body));
    CHECK(b.zero_trust.access.service_tokens.try_rotate(token_id, rotate_params()));
    // Move assignment: the target's old core is gone, the source is moved-from.
    client d{fake, token_options()};
    d = std::move(b);
    fake.push(ok(documented_rotate_body));
    CHECK(d.zero_trust.access.service_tokens.try_rotate(token_id, rotate_params()));
    CHECK(b.zero_trust.access.service_tokens.try_rotate(token_id, rotate_params()).error().kind() == // NOLINT(bugprone-use-after-move)
          error_kind::invalid_argument);
    CHECK(fake.request_count() == 2);
    // and the generic entry point
    CHECK_FALSE(a.call<cfa::endpoints::service_token_get>({}, token_id, cfa::service_token_get_params{.account_id = "acc"}));
}

// Only a client makes its resource objects (one made elsewhere would point nowhere); a copy of
// one still calls through the client it came from.
using service_tokens_node = cfa::service_tokens_resource<detail::client_core<testing::fake_transport&>>;
static_assert(!std::is_default_constructible_v<service_tokens_node>);
static_assert(!std::is_constructible_v<service_tokens_node, detail::client_core<testing::fake_transport&>*>);

TEST_CASE("a copy of a resource calls through its client") {
    testing::fake_transport fake;
    client c{fake, token_options()};
    service_tokens_node copy = c.zero_trust.access.service_tokens;
    fake.push(ok(documented_rotate_body));
    CHECK(copy.try_rotate(token_id, rotate_params()));
    CHECK(fake.request_count() == 1);
}

TEST_CASE("list_all detects a server cycling through pages it already sent") {
    testing::fake_transport fake;
    const std::string page_a = R"({"success":true,"errors":[],"messages":[],"result":[{"id":"a1"},{"id":"a2"}]})";
    const std::string page_b = R"({"success":true,"errors":[],"messages":[],"result":[{"id":"b1"},{"id":"b2"}]})";
    for (int i = 0; i < 3; ++i) {
        fake.push(ok(page_a));
        fake.push(ok(page_b));
    }
    client c{fake, token_options()};
    std::vector<std::string> ids;
    std::optional<error_info> err;
    for (auto& item : c.zero_trust.access.service_tokens.try_list_all({.account_id = std::string(account), .per_page = 2})) {
        if (item) ids.push_back(item->id);
        else err = item.error();
    }
    CHECK(ids == std::vector<std::string>{"a1", "a2", "b1", "b2"});
    REQUIRE(err);
    CHECK(err->kind() == error_kind::api_response_validation);
    CHECK(contains(err->message(), "already sent"));
    CHECK(fake.request_count() == 3);
}

TEST_CASE("the observer never sees a secret-bearing header") {
    testing::fake_transport fake;
    http::headers extra{{"CF-Access-Client-Secret", "hdr-secret-1"},
                        {"X-Api-Key", "hdr-secret-2"},
                        {"Set-Cookie", "session=hdr-secret-3"},
                        {"x-upstream-token", "hdr-secret-4"},
                        {"X-Debug", "echo cfast_SHAPEDabcdefghijklmnopqrstuvwxyz0123456789"},
                        {"cf-ray", "ray-1"}};
    fake.push(testing::json_response(200, documented_rotate_body, extra));
    auto o = token_options();
    o.default_headers.emplace_back("CF-Access-Client-Secret", "req-secret-5");
    o.default_headers.emplace_back("X-Auth-Email", "ops@example.com");
    std::vector<std::string> seen;
    o.observer = [&](const attempt_event& ev) {
        for (const auto* hs : {ev.request_headers, ev.response_headers})
            for (const auto& h : *hs) seen.push_back(h.name + ": " + h.value);
    };
    client c{fake, o};
    REQUIRE(c.zero_trust.access.service_tokens.try_rotate(token_id, rotate_params()));
    REQUIRE_FALSE(seen.empty());
    bool ray = false;
    for (const auto& line : seen) {
        CAPTURE(line);
        for (std::string_view s : {std::string_view("hdr-secret"), std::string_view("req-secret"), std::string_view("cfast_SHAPED"),
                                   std::string_view("ops@example.com"), api_token})
            CHECK_FALSE(contains(line, s));
        ray = ray || line == "cf-ray: ray-1";
    }
    CHECK(ray); // harmless headers stay readable
    CHECK(detail::sensitive_header("X-Auth-Email"));
    CHECK(detail::sensitive_header("proxy-authorization"));
    CHECK_FALSE(detail::sensitive_header("Content-Type"));
}
