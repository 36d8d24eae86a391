// The library in a -fno-exceptions build: the try_ forms and result<T> inspection.
// No doctest here (it needs exceptions); checks abort the process with a message.
#include <cloudflare/cloudflare.hpp>
#include <cloudflare/testing/emulator.hpp>
#include <cloudflare/testing/fake_transport.hpp>

#include <boost/throw_exception.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

#if CLOUDFLARE_HAS_EXCEPTIONS
#error "this test must be compiled with -fno-exceptions"
#endif

// Boost asks builds without exceptions to say what a throw becomes.
namespace boost {
void throw_exception(const std::exception& e) { std::fprintf(stderr, "boost threw: %s\n", e.what()); std::abort(); }
void throw_exception(const std::exception& e, const boost::source_location&) { throw_exception(e); }
} // namespace boost

static int failures = 0;
#define EXPECT(cond)                                                      \
    do {                                                                  \
        if (!(cond)) { std::fprintf(stderr, "FAILED: %s (line %d)\n", #cond, __LINE__); ++failures; } \
    } while (0)

int main() {
    namespace cfa = cloudflare::zero_trust::access;
    cloudflare::client_options o;
    o.api_token = "tok";
    o.sleep = [](std::chrono::milliseconds) {};
    cloudflare::testing::fake_transport fake;
    cloudflare::client c{fake, o};
    auto& st = c.zero_trust.access.service_tokens;
    const cfa::service_token_rotate_params p{.account_id = "023e105f4ecef8ad9ca31a8372d0c353"};

    fake.push(cloudflare::testing::json_response(200, R"({"success":true,"errors":[],"messages":[],"result":{"id":"i","client_id":"c","client_secret":"s"}})"));
    auto ok = st.try_rotate("t", p);
    EXPECT(ok.has_value() && ok->client_secret.reveal() == "s");

    auto empty = st.try_rotate("", p);
    EXPECT(!empty && empty.error().kind() == cloudflare::error_kind::invalid_argument);

    fake.push(cloudflare::testing::json_response(404, R"({"success":false,"errors":[{"code":7003,"message":"x"}],"messages":[],"result":null})"));
    auto nf = st.try_rotate("t", p);
    EXPECT(!nf && nf.error().kind() == cloudflare::error_kind::not_found && nf.error().errors().size() == 1);

    fake.push(cloudflare::testing::json_response(200, "<html>"));
    auto bad = st.try_rotate("t", p);
    EXPECT(!bad && bad.error().kind() == cloudflare::error_kind::api_response_validation);

    fake.push(cloudflare::transport_failure::timed_out);
    auto to = st.try_rotate("t", p);
    EXPECT(!to && to.error().kind() == cloudflare::error_kind::api_timeout && to.error().outcome_unknown());

    fake.push(cloudflare::testing::json_response(500, "{}"));
    auto ise = st.try_rotate("t", p);
    EXPECT(!ise && ise.error().kind() == cloudflare::error_kind::internal_server && ise.error().attempt_count() == 1);

    // A hostile list (4 MiB of empty items, each a whole struct if sized first) is refused by
    // the memory budget: here no bad_alloc could be caught, so it must never be thrown.
    std::string items = R"({"success":true,"errors":[],"messages":[],"result":[{})";
    while (items.size() < (std::size_t{4} << 20)) items += ",{}";
    fake.push(cloudflare::testing::json_response(200, items + "]}"));
    auto hostile = st.try_list({.account_id = "023e105f4ecef8ad9ca31a8372d0c353"});
    EXPECT(!hostile && hostile.error().kind() == cloudflare::error_kind::api_response_validation);

    // The emulator and the paging range work without exceptions too.
    cloudflare::testing::emulator cf({.api_token = "tok", .account_ids = {"acc"}});
    cf.seed_token("accounts/acc", "a");
    cf.seed_token("accounts/acc", "b");
    cloudflare::client ec{cf, o};
    int n = 0;
    for (auto& item : ec.zero_trust.access.service_tokens.try_list_all({.account_id = "acc", .per_page = 1})) {
        EXPECT(item.has_value());
        ++n;
    }
    EXPECT(n == 2);

    std::printf("%s\n", failures ? "no-exceptions: FAILED" : "no-exceptions: all checks passed");
    return failures ? 1 : 0;
}
