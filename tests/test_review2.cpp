// The second outside review's findings on reading and driving calls (issue 20): hostile lists
// are refused before they are allocated (major 2; the counted-memory proof is test_memory.cpp),
// the cursor walk goes on past an empty page that carries a cursor (minor 5), and a
// call_machine refuses being driven out of order (minor 8).
#include "support.hpp"

#include <cloudflare/call_machine.hpp>
#include <cloudflare/kv/namespaces/keys.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace cloudflare;
using namespace fixtures;
namespace cfa = cloudflare::zero_trust::access;
namespace kvn = cloudflare::kv::namespaces;

namespace {

std::string list_of(std::string_view item, std::size_t n) {
    std::string items;
    for (std::size_t i = 0; i < n; ++i) items.append(i ? "," : "").append(item);
    return envelope("[" + items + "]");
}

// A result that is a list of lists: its inner list is read by the reader's own list code.
struct nested_list {
    using response_type = std::vector<std::vector<cloudflare::zero_trust::access::service_token>>;
    static constexpr http::method method = http::method::get;
    static constexpr bool idempotent = true;
    static constexpr std::string_view name = "test.nested_list";
};

struct harness {
    testing::fake_transport fake;
    client<testing::fake_transport&> c;
    explicit harness(client_options o = token_options()) : c(fake, std::move(o)) {}
};

} // namespace

// --- major 2: memory for a hostile list -----------------------------------------------------

TEST_CASE("a list of tiny items that would be large structs is refused before it is allocated") {
    constexpr std::size_t n = 20'000;
    const std::string body = list_of("{}", n);
    // The refusal is the rule's, not an accident of this body: the items would need more than
    // max_memory_factor bytes per byte of body (and more than the 1 MiB floor).
    REQUIRE(sizeof(cfa::service_token) * n > response_limits{}.max_memory_factor * body.size());
    REQUIRE(sizeof(cfa::service_token) * n > (std::size_t{1} << 20));
    harness h;
    h.fake.push(ok(body));
    auto r = h.c.zero_trust.access.service_tokens.try_list({.account_id = std::string(account)});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind() == error_kind::api_response_validation);
    CHECK(contains(r.error().message(), "max_memory_factor"));
    CHECK(contains(r.error().message(), "20000 elements"));

    SUBCASE("a larger factor lets the same answer through (tolerantly read: every item lacks its id)") {
        client_options o = token_options();
        o.limits.max_memory_factor = 1000;
        harness wide(o);
        wide.fake.push(ok(body));
        auto page = wide.c.zero_trust.access.service_tokens.try_list({.account_id = std::string(account)});
        REQUIRE(page.has_value());
        CHECK(page->items.size() == n);
    }
}

TEST_CASE("a nested list is charged to the same budget as the answer's own list") {
    std::string inner;
    for (int i = 0; i < 20'000; ++i) inner.append(i ? "," : "").append("{}");
    const auto resp = ok(envelope("[[" + inner + "]]"));
    auto r = parse_response<nested_list>(resp);
    REQUIRE_FALSE(r.has_value());
    CHECK(contains(r.error().message(), "`result.[0]` holds 20000 elements"));
    response_limits wide;
    wide.max_memory_factor = 1000;
    auto ok_r = parse_response<nested_list>(resp, wide);
    REQUIRE(ok_r.has_value());
    CHECK((*ok_r)[0].size() == 20'000);
}

TEST_CASE("warnings are capped: a list of odd items does not cost a warning per item") {
    harness h;
    h.fake.push(ok(list_of(R"({"id":1,"name":2})", 500)));
    std::vector<std::string> seen;
    auto r = h.c.zero_trust.access.service_tokens.try_list({.account_id = std::string(account)});
    REQUIRE(r.has_value());
    CHECK(r->items.size() == 500);
    REQUIRE(r->warnings.size() == detail::max_warnings + 1);
    CHECK(contains(r->warnings.front(), "`result[0].id` must be a string"));
    CHECK(contains(r->warnings.back(), "more warnings left out"));
}

// --- minor 5: cursor walks -------------------------------------------------------------------

namespace {
std::string keys_page(std::vector<std::string> names, std::string_view cursor) {
    std::string items;
    for (const auto& n : names) items.append(items.empty() ? "" : ",").append(R"({"name":")" + n + R"("})");
    return R"({"success":true,"errors":[],"messages":[],"result":[)" + items + R"(],"result_info":{"count":)" +
           std::to_string(names.size()) + R"(,"cursor":")" + std::string(cursor) + R"("}})";
}
} // namespace

TEST_CASE("list_all over cursors goes on past an empty page that still carries a cursor") {
    harness h;
    h.fake.push(ok(keys_page({"a"}, "c1")));
    h.fake.push(ok(keys_page({}, "c2"))); // documented: "even if the keys array is empty"
    h.fake.push(ok(keys_page({}, "c3")));
    h.fake.push(ok(keys_page({"b", "c"}, "")));
    std::string seen;
    for (const auto& k : h.c.kv.namespaces.keys.list_all("ns1", {.account_id = std::string(account)})) seen += k.name;
    CHECK(seen == "abc");
    REQUIRE(h.fake.request_count() == 4);
    const auto reqs = h.fake.requests();
    CHECK_FALSE(contains(reqs[0].url, "cursor="));
    CHECK(contains(reqs[1].url, "cursor=c1"));
    CHECK(contains(reqs[2].url, "cursor=c2"));
    CHECK(contains(reqs[3].url, "cursor=c3"));

    SUBCASE("a first page that is empty but has a cursor") {
        harness e;
        e.fake.push(ok(keys_page({}, "c1")));
        e.fake.push(ok(keys_page({"z"}, "")));
        seen.clear();
        for (const auto& k : e.c.kv.namespaces.keys.list_all("ns1", {.account_id = std::string(account)})) seen += k.name;
        CHECK(seen == "z");
    }
    SUBCASE("an empty last page ends the walk") {
        harness e;
        e.fake.push(ok(keys_page({"a"}, "c1")));
        e.fake.push(ok(keys_page({}, "")));
        seen.clear();
        for (const auto& k : e.c.kv.namespaces.keys.list_all("ns1", {.account_id = std::string(account)})) seen += k.name;
        CHECK(seen == "a");
        CHECK(e.fake.request_count() == 2);
    }
}

TEST_CASE("list_all over cursors fails on a cursor the server already sent (empty pages cannot loop)") {
    SUBCASE("an empty page that hands back the cursor it was asked with") {
        harness h;
        h.fake.push(ok(keys_page({"a"}, "c1")));
        h.fake.set_handler([](const http::request&) { return transport_result(ok(keys_page({}, "c1"))); });
        std::vector<bool> oks;
        for (auto& k : h.c.kv.namespaces.keys.try_list_all("ns1", {.account_id = std::string(account)})) {
            oks.push_back(k.has_value());
            if (!k) CHECK(contains(k.error().message(), "a cursor it already sent"));
        }
        CHECK(oks == std::vector<bool>{true, false});
        CHECK(h.fake.request_count() == 2);
    }
    SUBCASE("a cycle of cursors through empty pages") {
        harness h;
        h.fake.push(ok(keys_page({}, "c1")));
        h.fake.push(ok(keys_page({}, "c2")));
        h.fake.push(ok(keys_page({}, "c1")));
        try {
            for (const auto& k : h.c.kv.namespaces.keys.list_all("ns1", {.account_id = std::string(account)})) (void)k;
            FAIL("expected an error");
        } catch (const api_response_validation_error& e) {
            CHECK(contains(e.what(), "a cursor it already sent"));
        }
        CHECK(h.fake.request_count() == 3);
    }
    SUBCASE("the caller's own starting cursor counts as sent") {
        harness h;
        h.fake.push(ok(keys_page({"a"}, "start")));
        auto r = h.c.kv.namespaces.keys.try_list_all("ns1", {.account_id = std::string(account), .cursor = "start"});
        std::vector<bool> oks;
        for (auto& k : r) oks.push_back(k.has_value());
        CHECK(oks == std::vector<bool>{true, false});
    }
}

// --- minor 8: call_machine misuse ------------------------------------------------------------

namespace {
const std::string token_body = envelope(R"({"id":"t1","client_id":"c","client_secret":"cfast_s"})");
using rotate_machine = call_machine<cfa::endpoints::service_token_rotate>;
} // namespace

TEST_CASE("call_machine: take_result hands the outcome out once; a second call is an error, not an empty success") {
    auto o = token_options();
    rotate_machine m(o, {}, token_id, cfa::service_token_rotate_params{.account_id = std::string(account)});
    REQUIRE(m.next() == call_step::send);
    m.on_response(ok(token_body));
    REQUIRE(m.next() == call_step::done);
    auto first = m.take_result();
    REQUIRE(first.has_value());
    CHECK(first->client_secret.reveal() == "cfast_s");
    auto second = m.take_result();
    REQUIRE_FALSE(second.has_value());
    CHECK(second.error().kind() == error_kind::invalid_argument);
    CHECK(contains(second.error().message(), "take_result() was called before"));
}

TEST_CASE("call_machine: take_result before done is an error, and the call goes on") {
    auto o = token_options();
    rotate_machine m(o, {}, token_id, cfa::service_token_rotate_params{.account_id = std::string(account)});
    REQUIRE(m.next() == call_step::send);
    auto early = m.take_result();
    REQUIRE_FALSE(early.has_value());
    CHECK(contains(early.error().message(), "the call is not over"));
    m.on_response(ok(token_body));
    REQUIRE(m.next() == call_step::done);
    CHECK(m.take_result().has_value());
}

TEST_CASE("call_machine: an answer fed before next() said send ends the call; a rotation's outcome is then unknown") {
    auto o = token_options();
    // A clock far from zero: a time taken from an attempt that never started would show.
    o.clock = [] { return std::chrono::steady_clock::time_point(std::chrono::hours(1000)); };
    rotate_machine m(o, {}, token_id, cfa::service_token_rotate_params{.account_id = std::string(account)});
    m.on_response(ok(token_body));
    REQUIRE(m.next() == call_step::done);
    auto r = m.take_result();
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind() == error_kind::invalid_argument);
    CHECK(contains(r.error().message(), "on_response() fed while no attempt was under way"));
    CHECK(r.error().outcome_unknown());
    REQUIRE(r.error().attempts().size() == 1);
    CHECK(r.error().attempts()[0].elapsed == std::chrono::milliseconds(0));

    SUBCASE("a transport failure fed during a wait, too") {
        auto g = token_options();
        call_machine<cfa::endpoints::service_token_get> w(g, {}, token_id,
                                                          cfa::service_token_get_params{.account_id = std::string(account)});
        REQUIRE(w.next() == call_step::send);
        w.on_response(testing::json_response(429, R"({"success":false,"errors":[],"messages":[],"result":null})"));
        REQUIRE(w.next() == call_step::wait);
        w.on_transport_failure({transport_failure::not_sent, "late"});
        REQUIRE(w.next() == call_step::done);
        auto e = w.take_result();
        REQUIRE_FALSE(e.has_value());
        CHECK(contains(e.error().message(), "on_transport_failure() fed while no attempt was under way"));
        CHECK_FALSE(e.error().outcome_unknown()); // a read: nothing was applied
    }
}
