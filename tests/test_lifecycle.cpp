// The service-token lifecycle: every endpoint's exact request and parsing, and paging.
#include "support.hpp"

#include <doctest/doctest.h>

#include <cloudflare/testing/emulator.hpp>

using namespace cloudflare;
using namespace fixtures;
namespace cfa = cloudflare::zero_trust::access;

namespace {

const std::string token_json = R"({"id":"t1","client_id":"c1.access","name":"ci","duration":"8760h",
    "created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-02T00:00:00Z","expires_at":"2027-01-01T00:00:00Z",
    "client_secret_version":2})";
const std::string base = "https://api.cloudflare.com/client/v4";

struct harness {
    testing::fake_transport fake;
    client<testing::fake_transport&> c{fake, token_options()};
    cfa::service_tokens_resource<detail::client_core<testing::fake_transport&>>& st() {
        return c.zero_trust.access.service_tokens;
    }
    http::request last() { return fake.requests().back(); }
};

std::string page_body(std::vector<std::string> ids, std::string_view info) {
    std::string items;
    for (const auto& id : ids) items += std::string(items.empty() ? "" : ",") + R"({"id":")" + id + R"(","name":"n"})";
    return R"({"success":true,"errors":[],"messages":[],"result":[)" + items + R"(],"result_info":)" + std::string(info) + "}";
}

} // namespace

TEST_CASE("list: GET with encoded query and a typed page") {
    harness h;
    h.fake.push(ok(page_body({"a", "b"}, R"({"page":2,"per_page":2,"count":2,"total_count":5,"total_pages":3})")));
    auto page = h.st().list({.account_id = std::string(account), .name = "ci token", .search = "a&b=c", .page = 2, .per_page = 2});
    auto r = h.last();
    CHECK(r.method == http::method::get);
    CHECK(r.url == base + "/accounts/" + std::string(account) + "/access/service_tokens?name=ci%20token&search=a%26b%3Dc&page=2&per_page=2");
    CHECK(r.body.empty());
    REQUIRE(page.items.size() == 2);
    CHECK(page.items[1].id == "b");
    CHECK(page.items[1].raw.find("name")->as_string() == "n");
    CHECK(page.result_info.total_count == 5);
    CHECK(page.result_info.total_pages == 3);
    CHECK(page.raw.value().is_array());
}

TEST_CASE("list: zone scope, and scope errors before sending") {
    harness h;
    h.fake.push(ok(page_body({}, "{}")));
    h.st().list({.zone_id = "zone1"});
    CHECK(h.last().url == base + "/zones/zone1/access/service_tokens");
    auto both = h.st().try_list({.account_id = "a", .zone_id = "z"});
    REQUIRE_FALSE(both);
    CHECK(both.error().message() == "You cannot provide both account_id and zone_id");
    auto neither = h.st().try_list({});
    CHECK(neither.error().message() == "You must provide either account_id or zone_id");
    CHECK(h.fake.request_count() == 1);
}

TEST_CASE("list: a result that is not an array is a validation error; a bad item is one only in strict mode") {
    harness h;
    h.fake.push(ok(envelope("{}")));
    CHECK(h.st().try_list({.account_id = "a"}).error().kind() == error_kind::api_response_validation);
    h.fake.push(ok(envelope(R"([{"id":"a"},{"name":"no id"}])")));
    auto read = h.st().try_list({.account_id = "a"});
    REQUIRE(read);
    REQUIRE(read->items.size() == 2);
    CHECK(read->items[1].id.empty());
    CHECK(read->items[1].name == "no id");
    CHECK(read->warnings == std::vector<std::string>{"`result[1].id` is missing (left empty)"});

    auto o = token_options();
    o.strict_response_validation = true;
    testing::fake_transport fake;
    fake.push(ok(envelope(R"([{"id":"a"},{"name":"no id"}])")));
    client strict{fake, o};
    auto r = strict.zero_trust.access.service_tokens.try_list({.account_id = "a"});
    REQUIRE_FALSE(r);
    CHECK(contains(r.error().message(), "`result[1].id` is missing"));
}

TEST_CASE("create: POST with the JSON body; name required") {
    harness h;
    h.fake.push(ok(envelope(R"({"id":"t1","client_id":"c1.access","client_secret":"cfast_new","name":"ci \"deploy\""})")));
    auto t = h.st().create({.name = "ci \"deploy\"", .account_id = "acc", .duration = "60m", .client_secret_version = 2,
                            .previous_client_secret_expires_at = "2026-12-01T00:00:00Z"});
    auto r = h.last();
    CHECK(r.method == http::method::post);
    CHECK(r.url == base + "/accounts/acc/access/service_tokens");
    CHECK(r.body == R"({"name":"ci \"deploy\"","duration":"60m","client_secret_version":2,"previous_client_secret_expires_at":"2026-12-01T00:00:00Z"})");
    CHECK(r.headers.get("content-type") == "application/json");
    CHECK(t.client_secret.reveal() == "cfast_new");
    auto missing = h.st().try_create({.account_id = "acc"});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message() == "Expected a non-empty value for `name`");
}

TEST_CASE("get, update, delete: exact requests, both scopes") {
    harness h;
    h.fake.set_handler([](const http::request&) { return transport_result(ok(envelope(token_json))); });
    auto t = h.st().get("t/1", {.account_id = "acc"});
    CHECK(h.last().method == http::method::get);
    CHECK(h.last().url == base + "/accounts/acc/access/service_tokens/t%2F1");
    CHECK(t.id == "t1");
    CHECK(t.client_id == "c1.access");
    CHECK(t.expires_at->text == "2027-01-01T00:00:00Z");
    CHECK(t.client_secret_version == 2);

    h.st().update("t1", {.zone_id = "z", .name = "renamed"});
    CHECK(h.last().method == http::method::put);
    CHECK(h.last().url == base + "/zones/z/access/service_tokens/t1");
    CHECK(h.last().body == R"({"name":"renamed"})");
    h.st().update("t1", {.account_id = "acc"});
    CHECK(h.last().body == "{}");

    h.st().delete_("t1", {.account_id = "acc"});
    CHECK(h.last().method == http::method::delete_);
    CHECK(h.last().url == base + "/accounts/acc/access/service_tokens/t1");
    CHECK(h.last().body.empty());

    CHECK(h.st().try_get("", {.account_id = "acc"}).error().message() == "Expected a non-empty value for `service_token_id`");
    CHECK(h.st().try_delete_("..", {.account_id = "acc"}).error().kind() == error_kind::invalid_argument);
}

TEST_CASE("refresh: POST .../refresh without a body") {
    harness h;
    h.fake.push(ok(envelope(token_json)));
    auto t = h.st().refresh("t1", {.account_id = "acc"});
    CHECK(h.last().method == http::method::post);
    CHECK(h.last().url == base + "/accounts/acc/access/service_tokens/t1/refresh");
    CHECK(h.last().body.empty());
    CHECK(t.expires_at);
}

TEST_CASE("list_all walks every page lazily and stops on the last") {
    harness h;
    h.fake.push(ok(page_body({"a", "b"}, R"({"page":1,"per_page":2,"total_count":5,"total_pages":3})")));
    h.fake.push(ok(page_body({"c", "d"}, R"({"page":2,"per_page":2,"total_count":5,"total_pages":3})")));
    h.fake.push(ok(page_body({"e"}, R"({"page":3,"per_page":2,"total_count":5,"total_pages":3})")));
    auto range = h.st().list_all({.account_id = "acc", .per_page = 2});
    CHECK(h.fake.request_count() == 0); // nothing fetched until walked
    std::string seen;
    for (const auto& t : range) {
        seen += t.id;
        if (t.id == "a") CHECK(h.fake.request_count() == 1); // page 2 not fetched yet
    }
    CHECK(seen == "abcde");
    CHECK(h.fake.request_count() == 3);
    auto reqs = h.fake.requests();
    CHECK(contains(reqs[1].url, "page=2"));
    CHECK(contains(reqs[2].url, "page=3"));
}

TEST_CASE("list_all stops on an empty page, or a short page without result_info") {
    harness h;
    h.fake.push(ok(page_body({"a", "b"}, "{}")));
    h.fake.push(ok(page_body({}, "{}")));
    int n = 0;
    for (const auto& t : h.st().list_all({.account_id = "acc"})) { (void)t; ++n; }
    CHECK(n == 2);
    CHECK(h.fake.request_count() == 2);

    harness h2;
    h2.fake.push(ok(page_body({"a"}, "{}")));
    n = 0;
    for (const auto& t : h2.st().list_all({.account_id = "acc", .per_page = 5})) { (void)t; ++n; }
    CHECK(n == 1);
    CHECK(h2.fake.request_count() == 1);
}

TEST_CASE("list_all cannot be made to loop forever by a stuck server") {
    SUBCASE("same page every time, without result_info") {
        harness h;
        h.fake.set_handler([](const http::request&) { return transport_result(ok(page_body({"a", "b"}, "{}"))); });
        std::string seen;
        try {
            for (const auto& t : h.st().list_all({.account_id = "acc"})) seen += t.id;
            FAIL("expected an error");
        } catch (const api_response_validation_error& e) {
            CHECK(contains(e.what(), "a page it already sent"));
        }
        CHECK(seen == "ab");
        CHECK(h.fake.request_count() == 2);
    }
    SUBCASE("ignoring the page number") {
        harness h;
        h.fake.set_handler([](const http::request&) { return transport_result(ok(page_body({"a"}, R"({"page":1,"per_page":1})"))); });
        auto r = h.st().try_list_all({.account_id = "acc", .per_page = 1});
        std::vector<bool> oks;
        for (auto& item : r) oks.push_back(item.has_value());
        CHECK(oks == std::vector<bool>{true, false});
        CHECK(h.fake.request_count() == 2);
    }
}

TEST_CASE("try_list_all yields the error and ends; list_all throws it") {
    harness h;
    h.fake.push(ok(page_body({"a"}, R"({"page":1,"total_pages":2})")));
    h.fake.push(testing::json_response(500, R"({"success":false,"errors":[{"code":1,"message":"boom"}],"messages":[],"result":null})"));
    h.fake.push(testing::json_response(500, "{}"));
    h.fake.push(testing::json_response(500, "{}"));
    std::vector<std::string> seen;
    for (auto& item : h.st().try_list_all({.account_id = "acc"})) {
        if (item) seen.push_back(item->id);
        else seen.push_back(std::string(to_string(item.error().kind())));
    }
    CHECK(seen == std::vector<std::string>{"a", "internal_server"});

    harness h2;
    h2.fake.push(testing::json_response(403, R"({"success":false,"errors":[{"code":9109,"message":"no"}],"messages":[],"result":null})"));
    auto range = h2.st().list_all({.account_id = "acc"});
    CHECK_THROWS_AS(range.begin(), permission_denied_error);
}
