// cloudflare::testing::emulator: the model itself, its faults, and the client against it.
#include "support.hpp"

#include <doctest/doctest.h>

#include <cloudflare/testing/emulator.hpp>

#include <thread>

using namespace cloudflare;
using namespace fixtures;
using namespace std::chrono_literals;
namespace cfa = cloudflare::zero_trust::access;

namespace {

testing::emulator_options emu_options() {
    testing::emulator_options o;
    o.api_token = std::string(api_token);
    o.api_key = "key-1";
    o.api_email = "ops@example.com";
    o.account_ids = {"acc"};
    o.zone_ids = {"zone"};
    o.start_time = std::chrono::sys_days{std::chrono::year{2026} / 11 / 27};
    return o;
}

http::request raw(http::method m, std::string path, std::string body = {}, bool auth = true) {
    http::request r;
    r.method = m;
    r.url = "https://api.cloudflare.com/client/v4" + std::move(path);
    if (auth) r.headers.emplace_back("Authorization", "Bearer " + std::string(api_token));
    r.body = std::move(body);
    return r;
}

} // namespace

TEST_CASE("full lifecycle through the client: create, get, rotate with grace, expiry, delete") {
    testing::emulator cf(emu_options());
    client c{cf, token_options()};
    auto& st = c.zero_trust.access.service_tokens;

    auto created = st.create({.name = "deploy-bot", .account_id = "acc", .duration = "8760h"});
    CHECK(created.client_secret.reveal().starts_with("cfast_"));
    CHECK(created.client_secret.size() == 6 + 40 + 8);
    CHECK(cf.authenticate(created.client_id, created.client_secret.reveal()));

    auto got = st.get(created.id, {.account_id = "acc"});
    CHECK(got.name == "deploy-bot");
    CHECK(got.expires_at->time == sys_time_us(std::chrono::sys_days{std::chrono::year{2027} / 11 / 27}));

    auto rotated = st.rotate(created.id, {.account_id = "acc", .previous_client_secret_expires_at = cf.now() + 1h});
    CHECK(rotated.client_secret.reveal() != created.client_secret.reveal());
    CHECK(rotated.client_secret_version == 2);
    CHECK(cf.authenticate(created.client_id, created.client_secret.reveal())); // old: grace period
    CHECK(cf.authenticate(created.client_id, rotated.client_secret.reveal()));  // new
    cf.advance(59min);
    CHECK(cf.authenticate(created.client_id, created.client_secret.reveal()));
    cf.advance(2min);
    CHECK_FALSE(cf.authenticate(created.client_id, created.client_secret.reveal()));
    CHECK(cf.authenticate(created.client_id, rotated.client_secret.reveal()));

    st.delete_(created.id, {.account_id = "acc"});
    CHECK_FALSE(cf.authenticate(created.client_id, rotated.client_secret.reveal()));
    CHECK_THROWS_AS(st.get(created.id, {.account_id = "acc"}), not_found_error);
}

TEST_CASE("rotate without grace revokes at once; a second rotation ends the first grace") {
    testing::emulator cf(emu_options());
    auto seeded = cf.seed_token("accounts/acc", "t");
    client c{cf, token_options()};
    auto& st = c.zero_trust.access.service_tokens;
    auto r1 = st.rotate(seeded.id, {.account_id = "acc"});
    CHECK_FALSE(cf.authenticate(seeded.client_id, seeded.client_secret));
    CHECK(cf.authenticate(seeded.client_id, r1.client_secret.reveal()));

    auto r2 = st.rotate(seeded.id, {.account_id = "acc", .previous_client_secret_expires_at = cf.now() + 24h});
    CHECK(cf.authenticate(seeded.client_id, r1.client_secret.reveal()));
    auto r3 = st.rotate(seeded.id, {.account_id = "acc", .previous_client_secret_expires_at = cf.now() + 24h});
    CHECK_FALSE(cf.authenticate(seeded.client_id, r1.client_secret.reveal())); // only one previous kept
    CHECK(cf.authenticate(seeded.client_id, r2.client_secret.reveal()));
    CHECK(cf.authenticate(seeded.client_id, r3.client_secret.reveal()));
    CHECK_FALSE(cf.authenticate(seeded.client_id, ""));
    CHECK_FALSE(cf.authenticate("nobody.access", r3.client_secret.reveal()));
}

TEST_CASE("refresh extends expires_at by the duration; expired tokens stop authenticating") {
    testing::emulator cf(emu_options());
    client c{cf, token_options()};
    auto& st = c.zero_trust.access.service_tokens;
    auto t = st.create({.name = "short", .account_id = "acc", .duration = "2h"});
    cf.advance(90min);
    auto refreshed = st.refresh(t.id, {.account_id = "acc"});
    CHECK(refreshed.expires_at->time - t.expires_at->time == std::chrono::microseconds(90min));
    cf.advance(3h);
    CHECK_FALSE(cf.authenticate(t.client_id, t.client_secret.reveal()));
}

TEST_CASE("update changes settings; list filters and pages") {
    testing::emulator cf(emu_options());
    client c{cf, token_options()};
    auto& st = c.zero_trust.access.service_tokens;
    for (int i = 0; i < 7; ++i) st.create({.name = "ci-" + std::to_string(i), .account_id = "acc"});
    st.create({.name = "zone-token", .zone_id = "zone"});
    auto t = st.create({.name = "other", .account_id = "acc"});
    auto u = st.update(t.id, {.account_id = "acc", .duration = "forever", .name = "renamed"});
    CHECK(u.name == "renamed");
    CHECK(u.duration == "forever");
    CHECK_FALSE(u.expires_at);

    auto page = st.list({.account_id = "acc", .search = "ci-", .page = 2, .per_page = 3});
    CHECK(page.items.size() == 3);
    CHECK(page.result_info.total_count == 7);
    CHECK(page.result_info.total_pages == 3);
    CHECK(page.items[0].name == "ci-3");
    CHECK(st.list({.account_id = "acc", .name = "renamed"}).items.size() == 1);
    CHECK(st.list({.zone_id = "zone"}).items.size() == 1);
    int n = 0;
    for (const auto& item : st.list_all({.account_id = "acc", .per_page = 2})) { (void)item; ++n; }
    CHECK(n == 8);
}

TEST_CASE("emulator statuses: 401, 403, 404, 400, 405") {
    testing::emulator cf(emu_options());
    auto status_of = [&](const http::request& r) { return cf.send(r).value().status; };
    CHECK(status_of(raw(http::method::get, "/accounts/acc/access/service_tokens", {}, false)) == 401);
    auto wrong = raw(http::method::get, "/accounts/acc/access/service_tokens", {}, false);
    wrong.headers.emplace_back("Authorization", "Bearer nope");
    CHECK(status_of(wrong) == 403);
    auto key = raw(http::method::get, "/accounts/acc/access/service_tokens", {}, false);
    key.headers.emplace_back("X-Auth-Key", "key-1");
    key.headers.emplace_back("X-Auth-Email", "ops@example.com");
    CHECK(status_of(key) == 200);
    CHECK(status_of(raw(http::method::get, "/accounts/unknown/access/service_tokens")) == 404);
    CHECK(status_of(raw(http::method::get, "/accounts/acc/access/service_tokens/nope")) == 404);
    CHECK(status_of(raw(http::method::get, "/accounts/acc/nothing")) == 404);
    CHECK(status_of(raw(http::method::post, "/zones/zone/access/service_tokens/x/rotate")) == 404);
    CHECK(status_of(raw(http::method::post, "/accounts/acc/access/service_tokens", R"({"duration":"1h"})")) == 400);
    CHECK(status_of(raw(http::method::post, "/accounts/acc/access/service_tokens", "not json")) == 400);
    CHECK(status_of(raw(http::method::post, "/accounts/acc/access/service_tokens", R"({"name":"x","duration":"soon"})")) == 400);
    CHECK(status_of(raw(http::method::delete_, "/accounts/acc/access/service_tokens")) == 405);
    auto id = cf.seed_token("accounts/acc", "t").id;
    CHECK(status_of(raw(http::method::post, "/accounts/acc/access/service_tokens/" + id + "/rotate",
                        R"({"previous_client_secret_expires_at":"next week"})")) == 400);
    CHECK(status_of(raw(http::method::get, "/accounts/acc/access/service_tokens/" + id + "/rotate")) == 405);
    CHECK(status_of(raw(http::method::patch, "/accounts/acc/access/service_tokens/" + id)) == 405);
    CHECK(status_of(raw(http::method::get, "/accounts/acc/access/service_tokens?per_page=0")) == 400);
    auto resp = cf.send(raw(http::method::get, "/accounts/acc/access/service_tokens/nope")).value();
    CHECK(resp.headers.contains("cf-ray"));
    CHECK(contains(resp.body, R"("success":false)"));
}

TEST_CASE("emulator faults: status, 429 with retry-after, dropped, applied-then-lost") {
    testing::emulator cf(emu_options());
    auto seeded = cf.seed_token("accounts/acc", "t");
    auto o = token_options();
    std::vector<std::chrono::milliseconds> slept;
    o.sleep = [&](std::chrono::milliseconds d) { slept.push_back(d); };
    client c{cf, o};
    auto& st = c.zero_trust.access.service_tokens;

    cf.fail_next(1, 503);
    auto r = st.try_rotate(seeded.id, {.account_id = "acc"});
    REQUIRE_FALSE(r);
    CHECK(r.error().kind() == error_kind::internal_server);
    CHECK(r.error().outcome_unknown());
    CHECK(cf.authenticate(seeded.client_id, seeded.client_secret)); // the fault did not rotate

    cf.rate_limit_next(1, 7s);
    auto limited = st.rotate(seeded.id, {.account_id = "acc"});
    CHECK(slept == std::vector<std::chrono::milliseconds>{7000ms});
    CHECK(cf.authenticate(seeded.client_id, limited.client_secret.reveal()));

    cf.drop_next(1, transport_failure::not_sent);
    auto after_drop = st.rotate(seeded.id, {.account_id = "acc"});
    CHECK(cf.authenticate(seeded.client_id, after_drop.client_secret.reveal()));

    // Applied, then the response is lost: the rotation happened, the caller does not know the
    // secret, and the client must not rotate again.
    std::size_t before = cf.request_count();
    cf.apply_then_lose_next();
    auto lost = st.try_rotate(seeded.id, {.account_id = "acc"});
    REQUIRE_FALSE(lost);
    CHECK(lost.error().kind() == error_kind::api_timeout);
    CHECK(lost.error().outcome_unknown());
    CHECK(cf.request_count() == before + 1);
    CHECK_FALSE(cf.authenticate(seeded.client_id, after_drop.client_secret.reveal())); // it did rotate
    CHECK(contains(lost.error().message(), "read the resource back"));
}

TEST_CASE("one emulator shared by threads") {
    testing::emulator cf(emu_options());
    std::vector<std::thread> threads;
    std::atomic<int> created{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            client c{cf, token_options()};
            for (int i = 0; i < 25; ++i)
                if (c.zero_trust.access.service_tokens.try_create({.name = "t" + std::to_string(t), .account_id = "acc"}))
                    ++created;
        });
    for (auto& th : threads) th.join();
    CHECK(created == 100);
    client c{cf, token_options()};
    CHECK(c.zero_trust.access.service_tokens.list({.account_id = "acc", .per_page = 1}).result_info.total_count == 100);
}
