// Reading the API as it really answers: tolerant by default (a member that does not fit its type
// is left empty and named in `warnings`), strict with client_options::strict_response_validation.
// Each kind of mismatch in both modes, through the public client; rotate's guarantees in both.
#include "support.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace cloudflare;
using namespace fixtures;

namespace {

struct reader {
    testing::fake_transport fake;
    std::vector<std::string> observed; // the observer's warnings
    client<testing::fake_transport&> c;
    explicit reader(bool strict) : c(fake, options(strict)) {}
    client_options options(bool strict) {
        auto o = token_options();
        o.strict_response_validation = strict;
        o.observer = [this](const attempt_event& e) { observed.insert(observed.end(), e.warnings.begin(), e.warnings.end()); };
        return o;
    }
    auto get(std::string result) {
        fake.push(ok(envelope(result)));
        return c.zero_trust.access.service_tokens.try_get("t1", {.account_id = "acc"});
    }
};

// A service token whose member `member` is `json`, beside a readable id and name.
std::string token_with(std::string_view member, std::string_view json) {
    return std::string(R"({"id":"t1","name":"ci",")").append(member).append(R"(":)").append(json).append("}");
}

} // namespace

TEST_CASE("each kind of mismatch: left empty and named in tolerant mode, an error in strict mode") {
    struct row {
        const char* what;
        const char* member;
        const char* json;
        const char* warning;
    };
    const row rows[] = {
        {"wrong kind", "enabled", R"("yes")", "`result.enabled` must be a boolean, got a string (ignored, left unset)"},
        {"bad format", "created_at", R"("yesterday")", "`result.created_at` is not an RFC 3339 date-time (ignored, left unset)"},
        {"out of range", "client_secret_version", "18446744073709551615",
         "`result.client_secret_version` must be an integer in the 64-bit range (ignored, left unset)"},
        {"fraction for an integer", "client_secret_version", "1.5",
         "`result.client_secret_version` must be an integer in the 64-bit range (ignored, left unset)"},
        {"null where the schema says not nullable (required)", "id", "null", "`result.id` is missing (left empty)"},
        {"a required member of the wrong kind", "id", "42", "`result.id` must be a string, got a number (left empty)"},
        {"an empty required string", "id", R"("")", "`result.id` is empty (left empty)"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.what);
        std::string body = token_with(r.member, r.json);
        if (std::string_view(r.member) == "id") body = std::string(R"({"name":"ci","id":)").append(r.json).append("}");
        reader tolerant(false);
        auto t = tolerant.get(body);
        REQUIRE_MESSAGE(t, (t ? "" : t.error().message()));
        CHECK(t->name == "ci");
        CHECK(t->warnings == std::vector<std::string>{r.warning});
        CHECK(tolerant.observed == t->warnings);
        CHECK(t->raw.value() == boost::json::parse(body)); // the JSON as it came
        if (std::string_view(r.member) == "enabled") CHECK_FALSE(t->enabled);
        if (std::string_view(r.member) == "created_at") CHECK_FALSE(t->created_at);
        if (std::string_view(r.member) == "client_secret_version") CHECK_FALSE(t->client_secret_version);
        if (std::string_view(r.member) == "id") CHECK(t->id.empty());

        reader strict(true);
        auto s = strict.get(body);
        REQUIRE_FALSE(s);
        CHECK(s.error().kind() == error_kind::api_response_validation);
        CHECK_FALSE(s.error().outcome_unknown());
        CHECK(strict.observed.empty());
    }
}

TEST_CASE("a clean answer has no warnings in either mode, and unknown members are no problem") {
    for (bool strict : {false, true}) {
        reader r(strict);
        auto t = r.get(R"({"id":"t1","name":"ci","enabled":true,"new_field_of_2026":{"x":[1]}})");
        REQUIRE(t);
        CHECK(t->warnings.empty());
        CHECK(t->raw.find("new_field_of_2026"));
    }
}

TEST_CASE("lists: a bad item member is tolerated item by item; the page's warnings name each") {
    reader r(false);
    r.fake.push(ok(R"({"success":true,"errors":[],"messages":[],"result":[{"id":"a","enabled":"x"},{"id":"b"},{"name":"c"}],
                      "result_info":{"page":"one","per_page":20}})"));
    auto p = r.c.zero_trust.access.service_tokens.try_list({.account_id = "acc"});
    REQUIRE(p);
    REQUIRE(p->items.size() == 3);
    CHECK(p->items[0].id == "a");
    CHECK_FALSE(p->items[0].enabled);
    CHECK(p->items[2].id.empty());
    CHECK(p->result_info.per_page == 20);
    CHECK_FALSE(p->result_info.page);
    CHECK(p->warnings == std::vector<std::string>{"`result[0].enabled` must be a boolean, got a string (ignored, left unset)",
                                                  "`result[2].id` is missing (left empty)",
                                                  "`result_info.page` must be an integer, got a string (ignored, left unset)"});
}

TEST_CASE("envelope failures stay errors in both modes") {
    for (bool strict : {false, true}) {
        CAPTURE(strict);
        for (auto resp : {ok(R"({"success":"true","errors":[],"result":{"id":"t1"}})"), ok("<html>"),
                          ok(R"({"success":false,"errors":[{"code":1,"message":"m"}],"result":null})"),
                          ok(R"({"success":true,"errors":[],"result":null})"), ok(envelope(R"(["t1"])")),
                          ok(envelope(R"("t1")")), http::response{200, {{"content-type", "text/html"}}, "{}"}}) {
            reader r(strict);
            r.fake.push(resp);
            auto t = r.c.zero_trust.access.service_tokens.try_get("t1", {.account_id = "acc"});
            REQUIRE_FALSE(t);
            CHECK(t.error().kind() == error_kind::api_response_validation);
        }
    }
    reader r(false);
    r.fake.push(ok(envelope(R"([1])")));
    auto t = r.c.zero_trust.access.service_tokens.try_get("t1", {.account_id = "acc"});
    REQUIRE_FALSE(t);
    CHECK(contains(t.error().message(), "`result` must be an object, got an array"));
}

TEST_CASE("rotate keeps its guarantees in both modes") {
    for (bool strict : {false, true}) {
        CAPTURE(strict);
        // An odd optional member: the secret is returned, with a warning.
        {
            reader r(strict);
            r.fake.push(ok(envelope(R"({"id":"i","client_id":"c","client_secret":"cfast_NEW","expires_at":"soon"})")));
            auto t = r.c.zero_trust.access.service_tokens.try_rotate(token_id, {.account_id = std::string(account)});
            REQUIRE(t);
            CHECK(t->client_secret.reveal() == "cfast_NEW");
            CHECK(t->warnings.size() == 1);
        }
        // No usable client_secret, or not what it belongs to: an error whose outcome is unknown.
        for (std::string_view body : {R"({"id":"i","client_id":"c"})", R"({"id":"i","client_id":"c","client_secret":""})",
                                      R"({"id":"i","client_id":"c","client_secret":42})", R"({"client_id":"c","client_secret":"cfast_NEW"})",
                                      R"({"id":"i","client_id":"","client_secret":"cfast_NEW"})"}) {
            CAPTURE(body);
            reader r(strict);
            r.fake.push(ok(envelope(body)));
            auto t = r.c.zero_trust.access.service_tokens.try_rotate(token_id, {.account_id = std::string(account)});
            REQUIRE_FALSE(t);
            CHECK(t.error().kind() == error_kind::api_response_validation);
            CHECK(t.error().outcome_unknown());
            CHECK(r.fake.request_count() == 1); // never repeated
        }
    }
}

TEST_CASE("sans-IO: parse_response reads tolerantly unless told response_validation::strict") {
    using E = zero_trust::access::endpoints::service_token_get;
    auto resp = ok(envelope(token_with("enabled", "3")));
    std::vector<std::string> w;
    auto t = parse_response<E>(resp, {}, &w);
    REQUIRE(t);
    CHECK(w.size() == 1);
    CHECK_FALSE(parse_response<E>(resp, {}, nullptr, response_validation::strict));
}
