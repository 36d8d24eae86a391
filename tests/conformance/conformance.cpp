// Conformance against Cloudflare's published OpenAPI schema, checked by Prism (a validating mock
// server nobody here wrote). Drives every shipped transport and every endpoint over real HTTP:
// each call must succeed and carry no `sl-violations` header. Deliberately invalid requests,
// sent through the raw transports, must be rejected, so this check can fail.
//   usage: conformance BASE_URL   (tests/conformance/run.sh starts Prism and passes its URL)
#include "../../examples/beast_transport.hpp"
#include "../../examples/curl_transport.hpp"
#include "../../examples/httplib_transport.hpp"

#include <cloudflare/asio.hpp>
#include <cloudflare/cloudflare.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <chrono>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cfa = cloudflare::zero_trust::access;
using namespace std::chrono_literals;

namespace {

int passed = 0, failed = 0;
void expect(bool ok, const std::string& what) {
    (ok ? passed : failed)++;
    std::printf("%s %s\n", ok ? "ok  " : "FAIL", what.c_str());
    std::fflush(stdout);
}

// Wraps a transport and records any Prism validation complaint about our requests.
template <class T>
struct violation_checker {
    T inner;
    std::vector<std::string> violations;
    cloudflare::http::response send(const cloudflare::http::request& req) {
        auto resp = inner.send(req);
        if (auto v = resp.headers.get("sl-violations")) violations.push_back(std::string(v->substr(0, 300)));
        return resp;
    }
};

const std::string account = "023e105f4ecef8ad9ca31a8372d0c353";
const std::string token_id = "f174e90a-fafe-4643-bbbc-4a0ed4fc8415";
const std::string zone = "023e105f4ecef8ad9ca31a8372d0c353";

cloudflare::client_options options(const std::string& base, bool key_auth) {
    cloudflare::client_options o;
    o.base_url = base;
    if (key_auth) {
        o.api_key = "144c9defac04969c7bfad8efaa8ea194";
        o.api_email = "user@example.com";
    } else {
        o.api_token = "Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY";
    }
    o.max_retries = 0;
    o.timeout = 10s;
    return o;
}

// Every endpoint through one synchronous transport.
template <class T>
void drive(const char* name, const std::string& base) {
    for (bool key_auth : {false, true}) {
        violation_checker<T> checker{T{}, {}};
        cloudflare::client c{checker, options(base, key_auth)};
        auto& st = c.zero_trust.access.service_tokens;
        std::string tag = std::string(name) + (key_auth ? " (key+email)" : " (token)") + ": ";
        auto check = [&](const char* call, const auto& r) {
            expect(r.has_value(), tag + call + (r ? "" : " -> " + r.error().message()));
        };
        check("rotate", st.try_rotate(token_id, {.account_id = account}));
        check("rotate with grace period",
              st.try_rotate(token_id, {.account_id = account, .previous_client_secret_expires_at = std::chrono::system_clock::now() + 24h}));
        check("list (account)", st.try_list({.account_id = account, .name = "CI/CD token", .page = 1, .per_page = 20}));
        check("list (zone)", st.try_list({.zone_id = zone}));
        check("create", st.try_create({.name = "CI/CD token", .account_id = account, .duration = "60m"}));
        check("get", st.try_get(token_id, {.account_id = account}));
        check("update", st.try_update(token_id, {.zone_id = zone, .duration = "8760h", .name = "renamed"}));
        check("delete", st.try_delete_(token_id, {.account_id = account}));
        check("refresh", st.try_refresh(token_id, {.account_id = account}));
        expect(checker.violations.empty(), tag + "no sl-violations" + (checker.violations.empty() ? "" : ": " + checker.violations[0]));
    }
}

// Requests that break the schema, through the raw transport: Prism must reject each.
template <class T>
void invalid_requests(const char* name, const std::string& base) {
    T t;
    auto o = options(base, false);
    auto rotate = cloudflare::build_request<cfa::endpoints::service_token_rotate>(o, std::string_view(token_id),
                                                                                 cfa::service_token_rotate_params{.account_id = account});
    auto bad_date = *rotate;
    bad_date.body = R"({"previous_client_secret_expires_at":"next tuesday"})";
    bad_date.headers.set("Content-Type", "application/json");
    auto r1 = t.send(bad_date);
    expect(r1.status == 422 && r1.headers.contains("sl-violations"), std::string(name) + ": malformed date rejected (" + std::to_string(r1.status) + ")");
    auto no_auth = *rotate;
    no_auth.headers.erase("Authorization");
    auto r2 = t.send(no_auth);
    expect(r2.status == 401, std::string(name) + ": missing credentials rejected (" + std::to_string(r2.status) + ")");
    auto create = cloudflare::build_request<cfa::endpoints::service_token_create>(
        o, cfa::service_token_create_params{.name = "x", .account_id = account});
    create->body = R"({"duration":"60m"})";
    auto r3 = t.send(*create);
    expect(r3.status == 422, std::string(name) + ": create without name rejected (" + std::to_string(r3.status) + ")");
}

// Asks Prism for a 429 on the first request it sees (`Prefer: code=429`), then passes requests on.
struct first_answer_429 {
    using executor_type = examples::beast_async_transport::executor_type;
    examples::beast_async_transport& inner;
    int sent = 0;
    executor_type get_executor() const noexcept { return inner.get_executor(); }
    template <class Token>
    auto async_send(const cloudflare::http::request& req, Token&& token) {
        if (sent++ == 0) {
            forced = req;
            forced.headers.set("Prefer", "code=429");
            return inner.async_send(forced, std::forward<Token>(token));
        }
        return inner.async_send(req, std::forward<Token>(token));
    }
    cloudflare::http::request forced;
};

// Whole calls through cloudflare::asio::async_call (the client's state machine) over Beast.
void drive_async(const std::string& base) {
    namespace net = boost::asio;
    net::io_context ioc;
    examples::beast_async_transport t(ioc.get_executor());
    auto o = options(base, false);
    bool rotated = false, graced = false, listed = false, retried = false;
    int attempts_seen = 0;
    net::co_spawn(ioc, [&]() -> net::awaitable<void> {
        // Named arguments, not temporaries, in co_await expressions (GCC 12 coroutine bug).
        const std::string_view id(token_id);
        const cfa::service_token_rotate_params now{.account_id = account};
        const cfa::service_token_rotate_params grace{.account_id = account,
                                                     .previous_client_secret_expires_at = std::chrono::system_clock::now() + 1h};
        const cfa::service_token_list_params list{.account_id = account};
        auto r = co_await cloudflare::asio::async_call<cfa::endpoints::service_token_rotate>(t, o, id, now, net::use_awaitable);
        rotated = r.has_value();
        auto g = co_await cloudflare::asio::async_call<cfa::endpoints::service_token_rotate>(t, o, id, grace, net::use_awaitable);
        graced = g.has_value();
        auto l = co_await cloudflare::asio::async_call<cfa::endpoints::service_token_list>(t, o, list, net::use_awaitable);
        listed = l.has_value();
        // Retries on: Prism answers 429 once, then 200; the call waits on the timer and succeeds.
        first_answer_429 once{t, 0, {}};
        auto retry_opts = o;
        retry_opts.max_retries = 2;
        retry_opts.observer = [&](const cloudflare::attempt_event&) { ++attempts_seen; };
        auto again = co_await cloudflare::asio::async_call<cfa::endpoints::service_token_rotate>(once, retry_opts, id, now,
                                                                                                net::use_awaitable);
        retried = again.has_value() && once.sent == 2;
    }, net::detached);
    ioc.run();
    expect(rotated, "beast async (asio::async_call): rotate");
    expect(graced, "beast async (asio::async_call): rotate with grace period");
    expect(listed, "beast async (asio::async_call): list");
    expect(retried && attempts_seen == 2, "beast async (asio::async_call): Prism's 429 once, then 200, retried after the wait");
}

// Sends one rotate through `T` and checks the transport reports `want` (no response).
template <class T>
void expect_failure(const char* name, const std::string& base, cloudflare::transport_failure want, const char* what) {
    auto o = options(base, false);
    o.timeout = 700ms;
    cloudflare::client c{T{}, o};
    auto start = std::chrono::steady_clock::now();
    auto r = c.zero_trust.access.service_tokens.try_rotate(token_id, {.account_id = account});
    auto took = std::chrono::steady_clock::now() - start;
    bool ok = !r && r.error().transport() == want && took < 5s;
    expect(ok, std::string(name) + ": " + what + " -> " +
                   (r ? std::string("succeeded") : std::string(cloudflare::to_string(r.error().transport().value_or(cloudflare::transport_failure::maybe_sent)))));
}

void drive_async_failure(const std::string& base, cloudflare::transport_failure want, const char* what) {
    namespace net = boost::asio;
    net::io_context ioc;
    examples::beast_async_transport t(ioc.get_executor());
    auto o = options(base, false);
    o.timeout = 700ms;
    std::optional<cloudflare::transport_failure> got;
    net::co_spawn(ioc, [&]() -> net::awaitable<void> {
        const std::string_view id(token_id);
        const cfa::service_token_rotate_params p{.account_id = account};
        auto r = co_await cloudflare::asio::async_call<cfa::endpoints::service_token_rotate>(t, o, id, p, net::use_awaitable);
        if (!r) got = r.error().transport();
    }, net::detached);
    ioc.run();
    expect(got == want, std::string("beast async: ") + what);
}

} // namespace

int main(int argc, char** argv) {
    using cloudflare::transport_failure;
    if (argc == 3 && std::string(argv[1]) == "--untrusted-tls") {
        // A TLS server with a self-signed certificate: verification must refuse it, before sending.
        const std::string base = argv[2];
        expect_failure<examples::curl_transport>("libcurl", base, transport_failure::not_sent, "self-signed certificate refused");
        expect_failure<examples::httplib_transport>("cpp-httplib", base, transport_failure::not_sent, "self-signed certificate refused");
        expect_failure<examples::beast_transport>("beast sync", base, transport_failure::not_sent, "self-signed certificate refused");
        drive_async_failure(base, transport_failure::not_sent, "self-signed certificate refused");
        std::printf("%d passed, %d failed\n", passed, failed);
        return failed ? 1 : 0;
    }
    if (argc == 3 && std::string(argv[1]) == "--silent-server") {
        // Accepts connections, never answers: the request timeout must end the call.
        const std::string base = argv[2];
        expect_failure<examples::curl_transport>("libcurl", base, transport_failure::timed_out, "timeout honoured");
        expect_failure<examples::beast_transport>("beast sync", base, transport_failure::timed_out, "timeout honoured");
        drive_async_failure(base, transport_failure::timed_out, "timeout honoured");
        // cpp-httplib has no overall deadline and cannot tell a read timeout from a reset:
        expect_failure<examples::httplib_transport>("cpp-httplib", base, transport_failure::maybe_sent, "read timeout honoured");
        std::printf("%d passed, %d failed\n", passed, failed);
        return failed ? 1 : 0;
    }
    if (argc != 2) {
        std::fprintf(stderr, "usage: conformance BASE_URL | --untrusted-tls URL | --silent-server URL\n");
        return 2;
    }
    const std::string base = argv[1];
    drive<examples::curl_transport>("libcurl", base);
    drive<examples::httplib_transport>("cpp-httplib", base);
    drive<examples::beast_transport>("beast sync", base);
    drive_async(base);
    invalid_requests<examples::curl_transport>("libcurl", base);
    invalid_requests<examples::httplib_transport>("cpp-httplib", base);
    invalid_requests<examples::beast_transport>("beast sync", base);
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
