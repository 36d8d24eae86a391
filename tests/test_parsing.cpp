// What the library reads and writes as text: Retry-After, request bodies (UTF-8), date-time
// arguments of any precision, timestamps (leap seconds, year 0000), header values, durations.
#include "support.hpp"

#include <cloudflare/testing/emulator.hpp>

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <limits>

using namespace cloudflare;
using namespace fixtures;
using namespace std::chrono_literals;
namespace cfa = cloudflare::zero_trust::access;

namespace {

std::chrono::nanoseconds length_of(std::string_view d) {
    auto r = parse_duration(d);
    REQUIRE_MESSAGE(r.has_value(), d);
    REQUIRE_FALSE(r->forever());
    return r->length().value();
}

result<http::request> build_rotate(std::optional<date_time> grace, const request_options& ro = {}) {
    return build_request<cfa::endpoints::service_token_rotate>(
        token_options(), ro, std::string_view(token_id),
        cfa::service_token_rotate_params{.account_id = std::string(account), .previous_client_secret_expires_at = std::move(grace)});
}

result<http::request> build_create(std::string name, std::optional<std::string> duration = {}) {
    return build_request<cfa::endpoints::service_token_create>(
        token_options(), cfa::service_token_create_params{.name = std::move(name), .account_id = "acc", .duration = std::move(duration)});
}

testing::emulator_options emu_options() {
    testing::emulator_options o;
    o.api_token = std::string(api_token);
    o.account_ids = {"acc"};
    o.start_time = std::chrono::sys_days{std::chrono::year{2026} / 11 / 27};
    return o;
}

http::request emu_create(std::string_view body_json) {
    http::request r;
    r.method = http::method::post;
    r.url = "https://api.cloudflare.com/client/v4/accounts/acc/access/service_tokens";
    r.headers.emplace_back("Authorization", "Bearer " + std::string(api_token));
    r.body = std::string(body_json);
    return r;
}

} // namespace

// ---- 9. parse_duration: Go's time.ParseDuration, forever distinguishable from garbage -------

TEST_CASE("parse_duration reads every unit the schema documents, fractions and sequences") {
    using namespace std::chrono;
    CHECK(length_of("300ns") == 300ns);
    CHECK(length_of("15us") == 15us);
    CHECK(length_of("15\xC2\xB5s") == 15us); // U+00B5 MICRO SIGN, as the schema writes it
    CHECK(length_of("15\xCE\xBCs") == 15us); // U+03BC GREEK SMALL LETTER MU, which Go accepts too
    CHECK(length_of("300ms") == 300ms);
    CHECK(length_of("90s") == 90s);
    CHECK(length_of("60m") == 60min);
    CHECK(length_of("8760h") == 8760h);
    CHECK(length_of("1.5h") == 90min);
    CHECK(length_of(".5s") == 500ms);
    CHECK(length_of("1.s") == 1s);
    CHECK(length_of("0.1s") == 100ms);
    CHECK(length_of("1.0000000009s") == 1s);         // truncated to whole nanoseconds
    CHECK(length_of("1.9999999999s") == 1999999999ns);
    CHECK(length_of("0.333333333333333333333333h") == 1199999999999ns);
    CHECK(length_of("2h45m") == 2h + 45min);
    CHECK(length_of("1h30m45s500ms250us7ns") == 1h + 30min + 45s + 500ms + 250us + 7ns);
    CHECK(length_of("1h1h") == 2h);
    CHECK(length_of("+5m") == 5min);
    CHECK(length_of("2562047h47m16.854775807s") == nanoseconds::max()); // Go's maximum
    CHECK(length_of("9223372036854775807ns") == nanoseconds::max());
}

TEST_CASE("parse_duration: forever is a value, anything unreadable is an invalid_argument") {
    auto f = parse_duration("forever");
    REQUIRE(f);
    CHECK(f->forever());
    CHECK_FALSE(f->length());
    CHECK(*f == api_duration::no_expiry());
    CHECK(*parse_duration("90m") == api_duration(std::chrono::minutes(90)));

    for (const char* bad : {"", "+", "0", "0h", "-1h", "-0", "h", "10", "5d", "1 h", "1h ", " 1h", "1.5.h", ".", ".s",
                            "1H", "Forever", "forever ", "1hforever", "2562047h47m16.854775808s", "9223372036854775808ns",
                            "99999999999999999999h", "2562048h", "1e3s", "1,5h", "\xC2\xB5s", "1\xC2s"}) {
        auto r = parse_duration(bad);
        CHECK_MESSAGE(!r, bad);
        if (!r) CHECK(r.error().kind() == error_kind::invalid_argument);
    }
    CHECK(parse_duration("5d").error().message() == "invalid duration: unknown unit `d` (ns, us, µs, ms, s, m, h)");
    CHECK(parse_duration("-1h").error().message() == "invalid duration: must be a positive length of time");
    CHECK(parse_duration("3000000h").error().message() == "invalid duration: over the maximum, 2562047h47m16.854775807s");
    // The message quotes at most a short unit, never the text around it.
    auto long_unit = parse_duration("5hours-and-change").error().message();
    CHECK(long_unit == "invalid duration: unknown unit (ns, us, µs, ms, s, m, h)");
}

TEST_CASE("the emulator accepts the durations parse_duration reads and rejects the rest with a 400") {
    testing::emulator cf(emu_options());
    client c{cf, token_options()};
    auto& st = c.zero_trust.access.service_tokens;
    const auto start = std::chrono::sys_days{std::chrono::year{2026} / 11 / 27};
    auto t = st.create({.name = "a", .account_id = "acc", .duration = "1.5h"});
    REQUIRE(t.expires_at);
    CHECK(t.expires_at->time == start + 90min);
    t = st.create({.name = "b", .account_id = "acc", .duration = "2h45m300ms"});
    CHECK(t.expires_at->time == start + 2h + 45min + 300ms);
    t = st.create({.name = "c", .account_id = "acc", .duration = "1500\xC2\xB5s"});
    CHECK(t.expires_at->time == start + 1500us);
    t = st.create({.name = "d", .account_id = "acc", .duration = "forever"});
    CHECK_FALSE(t.expires_at);
    // Go's longest duration lands in 2318, past what system_clock's nanoseconds hold.
    t = st.create({.name = "e", .account_id = "acc", .duration = "2562047h"});
    CHECK(t.expires_at->text == "2319-03-08T23:00:00Z");
    CHECK(cf.authenticate(t.client_id, t.client_secret.reveal()));

    for (const char* bad : {"5d", "0s", "-1h", "1.5.h", "soon"}) {
        auto resp = cf.send(emu_create(std::string(R"({"name":"x","duration":")") + bad + "\"}"));
        REQUIRE(resp.has_value());
        CHECK_MESSAGE(resp->status == 400, bad);
    }
}

// ---- 12. Retry-After: garbage ignored, all three HTTP date forms read -------------------------

TEST_CASE("retry-after: malformed numbers are ignored, not 'retry now'") {
    auto now = std::chrono::sys_days{std::chrono::year{2026} / 11 / 27} + 19h;
    for (const char* bad : {".", "..", "1.2.3", "-5", "+5", "1.", ".5", "", " ", "1 2", "0x10", "1e3", "5s"}) {
        CHECK_MESSAGE(!detail::server_retry_delay({{"retry-after", bad}}, now), bad);
        CHECK_MESSAGE(!detail::server_retry_delay({{"retry-after-ms", bad}}, now), bad);
    }
    CHECK(detail::server_retry_delay({{"retry-after", " 2 "}}, now) == 2s);
    CHECK(detail::server_retry_delay({{"retry-after", "0"}}, now) == 0ms);
    CHECK(detail::server_retry_delay({{"retry-after", "0.001"}}, now) == 1ms);
    CHECK(detail::server_retry_delay({{"retry-after", "1.2349"}}, now) == 1234ms);
    CHECK(detail::server_retry_delay({{"retry-after-ms", "250.9"}}, now) == 250ms);
    // A malformed retry-after-ms falls back to retry-after.
    CHECK(detail::server_retry_delay({{"retry-after-ms", "."}, {"retry-after", "3"}}, now) == 3s);

    // Through the client: "." used to make it retry at once; now the backoff applies.
    std::vector<std::chrono::milliseconds> slept;
    auto o = token_options();
    o.sleep = [&](std::chrono::milliseconds d) { slept.push_back(d); };
    testing::fake_transport fake;
    fake.push(testing::json_response(429, R"({"success":false,"errors":[{"code":1,"message":"m"}],"messages":[],"result":null})",
                                     {{"retry-after", "."}}));
    fake.push(ok(envelope(R"({"id":"t1"})")));
    client c{fake, o};
    REQUIRE(c.zero_trust.access.service_tokens.try_get("t1", {.account_id = "acc"}));
    REQUIRE(slept.size() == 1);
    CHECK(slept[0] > 0ms);
}

TEST_CASE("retry-after: IMF-fixdate, RFC 850 and asctime dates") {
    using namespace std::chrono;
    const auto now = sys_days{year{2026} / 11 / 27} + 19h;
    const auto nov6_1994 = sys_days{year{1994} / 11 / 6} + 8h + 49min + 37s;
    CHECK(detail::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", now) == nov6_1994);
    CHECK(detail::parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", now) == nov6_1994);
    CHECK(detail::parse_http_date("Sun Nov  6 08:49:37 1994", now) == nov6_1994);
    CHECK(detail::parse_http_date("Fri Nov 27 19:00:10 2026", now) == now + 10s);

    CHECK(detail::server_retry_delay({{"retry-after", "Friday, 27-Nov-26 19:00:10 GMT"}}, now) == 10s);
    CHECK(detail::server_retry_delay({{"retry-after", "Fri Nov 27 19:00:10 2026"}}, now) == 10s);
    CHECK(detail::server_retry_delay({{"retry-after", "Sun Nov  6 08:49:37 1994"}}, now) == 0ms);
    // Relative to the response's Date, in any of the forms.
    CHECK(detail::server_retry_delay({{"retry-after", "Sunday, 06-Nov-94 08:50:37 GMT"}, {"date", "Sun Nov  6 08:49:37 1994"}}, now) ==
          60s);

    // RFC 9110 5.6.7: a two-digit year more than 50 years ahead is the most recent past one.
    CHECK(detail::parse_http_date("Friday, 27-Nov-76 00:00:00 GMT", now) == sys_days{year{2076} / 11 / 27});
    CHECK(detail::parse_http_date("Sunday, 27-Nov-77 00:00:00 GMT", now) == sys_days{year{1977} / 11 / 27});
    CHECK(detail::parse_http_date("Friday, 27-Nov-20 00:00:00 GMT", now) == sys_days{year{2020} / 11 / 27});
    CHECK(detail::parse_http_date("Friday, 27-Nov-20 00:00:00 GMT", sys_days{year{2090} / 1 / 1}) ==
          sys_days{year{2120} / 11 / 27});

    // Far future dates are exact (no overflow through system_clock's nanoseconds).
    CHECK(detail::server_retry_delay({{"retry-after", "Fri, 31 Dec 9999 23:59:59 GMT"}}, now) ==
          duration_cast<milliseconds>(sys_days{year{9999} / 12 / 31} + 23h + 59min + 59s - now));

    for (const char* bad : {"Sun, 06 Nov 1994 08x49x37 GMT", "Sun, 06 Nov 1994 08:49:37 UTC", "Xyz, 06 Nov 1994 08:49:37 GMT",
                            "Sun, 06-Nov-94 08:49:37 GMT", "Sunday, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-1994 08:49:37 GMT",
                            "Funday, 06-Nov-94 08:49:37 GMT", "Sun Nov 6 08:49:37 1994", "Sun Nov  6 08:49:37 94",
                            "Sun Nov 06 08:49:37 1994 GMT", "Sun, 31 Nov 1994 08:49:37 GMT", "Sun Foo  6 08:49:37 1994"})
        CHECK_MESSAGE(!detail::parse_http_date(bad, now), bad);
}

// ---- 13. Request bodies are UTF-8 --------------------------------------------------------------

TEST_CASE("a body string that is not UTF-8 is an invalid_argument naming the field, never quoting it") {
    for (const char* bad : {"caf\xE9", "\xC0\xAF", "\xC1\xBF", "\xE0\x80\xAF", "\xE0\x9F\xBF", "\xED\xA0\x80", "\xED\xBF\xBF",
                            "\xF0\x80\x80\xAF", "\xF0\x8F\xBF\xBF", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF", "\x80",
                            "ok\xE2\x82", "\xF0\x9F\x94", "\xE2\x28\xA1"}) {
        auto r = build_create(std::string("secret-ish ") + bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind() == error_kind::invalid_argument);
        CHECK(r.error().message() == "`name` is not valid UTF-8");
        CHECK_FALSE(contains(r.error().message(), "secret-ish"));
    }
    auto d = build_create("ok", std::string("60m\xFF"));
    REQUIRE_FALSE(d);
    CHECK(d.error().message() == "`duration` is not valid UTF-8");

    // Nothing reaches the transport.
    testing::fake_transport fake;
    client c{fake, token_options()};
    auto r = c.zero_trust.access.service_tokens.try_create({.name = "caf\xE9", .account_id = "acc"});
    REQUIRE_FALSE(r);
    CHECK(r.error().kind() == error_kind::invalid_argument);
    CHECK(fake.request_count() == 0);
}

TEST_CASE("valid UTF-8 up to U+10FFFF is sent as is, escapes where JSON needs them") {
    const std::string name = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x91 \xEF\xBF\xBF \xF4\x8F\xBF\xBF \xED\x9F\xBF \"q\" \\ \t\x01\x7F";
    auto r = build_create(name);
    REQUIRE(r);
    CHECK(r->body == "{\"name\":\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x91 \xEF\xBF\xBF \xF4\x8F\xBF\xBF \xED\x9F\xBF "
                     "\\\"q\\\" \\\\ \\t\\u0001\x7F\"}");
    CHECK(boost::json::parse(r->body).as_object().at("name").as_string() == name);
}

// ---- 14. date_time from any sys_time; years 0001-9999 only -------------------------------------

TEST_CASE("date_time takes a sys_time of any precision") {
    using namespace std::chrono;
    const sys_days day = year{2026} / 11 / 27;
    CHECK(date_time(day).text() == "2026-11-27T00:00:00Z");
    CHECK(date_time(sys_seconds{day + 5s}).text() == "2026-11-27T00:00:05Z");
    CHECK(date_time(day + 5h).text() == "2026-11-27T05:00:00Z");
    CHECK(date_time(day + 250ms).text() == "2026-11-27T00:00:00.250000Z");
    CHECK(date_time(day + 7us).text() == "2026-11-27T00:00:00.000007Z");
    CHECK(date_time(day + 1999ns).text() == "2026-11-27T00:00:00.000001Z"); // truncated to microseconds
    CHECK(date_time(sys_time<nanoseconds>{-1ns}).text() == "1969-12-31T23:59:59.999999Z");
    CHECK(date_time(system_clock::time_point{day}).text() == "2026-11-27T00:00:00Z");
    CHECK(date_time(sys_time<duration<double>>{duration<double>(1.5)}).text() == "1970-01-01T00:00:01.500000Z");
    // Year 3000 used to wrap to 1830 through system_clock's nanoseconds.
    CHECK(date_time(sys_seconds{sys_days{year{3000} / 1 / 1}}).text() == "3000-01-01T00:00:00Z");
    const sys_days last = year{9999} / 12 / 31, first = year{1} / 1 / 1;
    CHECK(date_time(last + 86399s + 999999us).text() == "9999-12-31T23:59:59.999999Z");
    CHECK(date_time(first).text() == "0001-01-01T00:00:00Z");
    CHECK(date_time(sys_time<nanoseconds>::min()).text() == "1677-09-21T00:12:43.145224Z");
    for (const auto& bad : {date_time(last + 86400s), date_time(first - 1us), date_time(sys_days{year{10000} / 1 / 1}),
                            date_time(sys_days{year{0} / 12 / 31}), date_time(sys_seconds::max()), date_time(sys_seconds::min()),
                            date_time(sys_time<hours>::max()), date_time(sys_days::min()),
                            date_time(sys_time<duration<double>>{duration<double>(std::numeric_limits<double>::quiet_NaN())}),
                            date_time(sys_time<duration<double>>{duration<double>(1e300)})}) {
        CHECK_FALSE(bad.valid());
        CHECK(bad.text().empty());
    }
}

TEST_CASE("a date-time outside years 0001-9999 is an invalid_argument when the request is built") {
    using namespace std::chrono;
    auto r = build_rotate(sys_seconds{sys_days{year{3000} / 1 / 1}});
    REQUIRE(r);
    CHECK(r->body == R"({"previous_client_secret_expires_at":"3000-01-01T00:00:00Z"})");
    for (auto bad : {date_time(sys_days{year{10000} / 1 / 1}), date_time(sys_seconds::max()), date_time("0000-12-31T00:00:00Z")}) {
        auto e = build_rotate(bad);
        REQUIRE_FALSE(e);
        CHECK(e.error().kind() == error_kind::invalid_argument);
        CHECK(e.error().message() == "`previous_client_secret_expires_at` is not an RFC 3339 date-time in years 0001-9999");
    }
    // Through the client and the emulator: the far future is exact.
    testing::emulator cf(emu_options());
    client c{cf, token_options()};
    auto seeded = cf.seed_token("accounts/acc", "ci");
    auto rotated = c.zero_trust.access.service_tokens.rotate(
        seeded.id, {.account_id = "acc", .previous_client_secret_expires_at = sys_seconds{sys_days{year{3000} / 1 / 1}}});
    REQUIRE(rotated.previous_client_secret_expires_at);
    CHECK(rotated.previous_client_secret_expires_at->text == "3000-01-01T00:00:00Z");
    CHECK(cf.authenticate(seeded.client_id, seeded.client_secret));
}

// ---- 17. Timestamps: leap seconds at 23:59 UTC only, no year 0000; header control characters --

TEST_CASE("timestamp: a :60 second only at 23:59:60 UTC, year 0000 rejected") {
    using namespace std::chrono;
    const auto new_year_2017 = sys_days{year{2017} / 1 / 1};
    for (const char* leap : {"2016-12-31T23:59:60Z", "2016-12-31T15:59:60-08:00", "2017-01-01T00:59:60+01:00",
                             "2016-12-31T23:29:60-00:30", "2016-12-31T23:59:60.5Z"}) {
        auto t = timestamp::parse(leap);
        REQUIRE_MESSAGE(t, leap);
        CHECK_MESSAGE(floor<seconds>(t->time) == new_year_2017, leap);
    }
    for (const char* bad : {"2016-12-31T12:00:60Z", "2016-12-31T23:58:60Z", "2016-12-31T23:59:60+01:00",
                            "2016-12-31T15:59:60-07:00", "2016-12-31T00:00:60Z", "0000-01-01T00:00:00Z", "0000-12-31T23:59:59Z"})
        CHECK_MESSAGE(!timestamp::parse(bad), bad);
    CHECK(timestamp::parse("0001-01-01T00:00:00Z"));
    CHECK(timestamp::parse("9999-12-31T23:59:59.999999Z"));
    CHECK_FALSE(date_time("0000-06-01T00:00:00Z").valid());
}

TEST_CASE("header values with any control character but HTAB are refused before sending") {
    testing::fake_transport fake;
    client c{fake, token_options()};
    for (int ch = 0; ch < 0x80; ++ch) {
        if (ch >= 0x20 && ch != 0x7F) continue;
        request_options ro;
        ro.headers.emplace_back("X-Note", std::string("a") + static_cast<char>(ch) + "b");
        auto r = build_rotate(std::nullopt, ro);
        if (ch == '\t') {
            CHECK(r);
            continue;
        }
        REQUIRE_FALSE_MESSAGE(r, ch);
        CHECK(r.error().kind() == error_kind::invalid_argument);
        CHECK(r.error().message() == "header `X-Note` contains a control character (CR, LF, NUL, ...)");
        auto sent = c.zero_trust.access.service_tokens.try_rotate(token_id, {.account_id = std::string(account)}, ro);
        CHECK_FALSE(sent);
    }
    CHECK(fake.request_count() == 0);
    // obs-text (bytes 0x80-0xFF) stays allowed, as RFC 9110 has it.
    request_options ro;
    ro.headers.emplace_back("X-Note", "caf\xC3\xA9 \xFF");
    CHECK(build_rotate(std::nullopt, ro));
}
