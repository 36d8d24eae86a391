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

