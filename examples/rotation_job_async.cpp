// The rotation job as a C++20 coroutine on Boost.Asio: list an account's service tokens, rotate
// every one whose name matches with a grace period, print a report. Every call goes through
// cloudflare::asio::async_call: the client's retries (waits on a timer, never blocking the
// thread), observer and error rules.
//
//   rotation_job_async [--account-id ID] [--match SUBSTRING] [--live] [--base-url URL]
//
// Offline by default: a seeded cloudflare::testing::emulator behind the scripted asynchronous
// transport, which rate-limits the first rotation once (so the job shows a retry). With --live
// it uses the real API over Boost.Beast (credentials from the environment).
#include "beast_transport.hpp"

#include <cloudflare/asio.hpp>
#include <cloudflare/cloudflare.hpp>
#include <cloudflare/testing/emulator.hpp>
#include <cloudflare/testing/fake_async_transport.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <iostream>
#include <string>
#include <string_view>

namespace cfa = cloudflare::zero_trust::access;
namespace net = boost::asio;
using namespace std::chrono_literals;

namespace {

// The job: the same coroutine for the emulator and the real API.
template <class Transport>
net::awaitable<int> run_job(Transport& t, const cloudflare::client_options& o, std::string account, std::string match) {
    const cfa::service_token_list_params list{.account_id = account, .per_page = 50};
    auto page = co_await cloudflare::asio::async_call<cfa::endpoints::service_token_list>(t, o, list, net::use_awaitable);
    if (!page) {
        std::cerr << "rotation_job_async: listing failed: " << page.error() << "\n";
        co_return 1;
    }
    int failures = 0;
    for (const auto& token : page->items) {
        if (!token.name || token.name->find(match) == std::string::npos) continue;
        const std::string_view id(token.id);
        const cfa::service_token_rotate_params p{.account_id = account,
                                                 .previous_client_secret_expires_at = std::chrono::system_clock::now() + 24h};
        auto r = co_await cloudflare::asio::async_call<cfa::endpoints::service_token_rotate>(t, o, id, p, net::use_awaitable);
        if (r) {
            std::cout << *token.name << ": rotated (client_id " << r->client_id << ", old secret valid 24h)\n";
        } else {
            ++failures;
            std::cout << *token.name << ": " << (r.error().outcome_unknown() ? "MAY HAVE ROTATED (read it back): " : "failed: ")
                      << r.error().message() << "\n";
        }
    }
    co_return failures ? 1 : 0;
}

} // namespace

int main(int argc, char** argv) {
    std::string account = "023e105f4ecef8ad9ca31a8372d0c353", match = "CI", base_url;
    bool live = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (a == "--live") live = true;
        else if (a == "--account-id" && i + 1 < argc) account = argv[++i];
        else if (a == "--match" && i + 1 < argc) match = argv[++i];
        else if (a == "--base-url" && i + 1 < argc) base_url = argv[++i];
        else {
            std::cerr << "usage: rotation_job_async [--account-id ID] [--match SUBSTRING] [--live] [--base-url URL]\n";
            return 2;
        }
    }
    net::io_context io;
    int rc = 1;
    auto done = [&rc](std::exception_ptr e, int r) { rc = e ? 1 : r; };
    auto options = live ? cloudflare::client_options::from_env() : cloudflare::client_options{};
    if (!base_url.empty()) options.base_url = base_url;
    options.observer = [](const cloudflare::attempt_event& e) {
        if (e.will_retry) std::cout << "  (" << e.endpoint << ": HTTP " << e.status << ", retrying in " << e.retry_delay.count() << " ms)\n";
    };
    if (live) {
        examples::beast_async_transport t(io.get_executor());
        net::co_spawn(io, run_job(t, options, account, match), done);
        io.run();
        return rc;
    }
    std::cout << "rotation_job_async: offline, against the built-in emulator\n";
    cloudflare::testing::emulator cf({.api_token = "demo-token", .account_ids = {account}});
    cf.seed_token("accounts/" + account, "CI deploy token");
    cf.seed_token("accounts/" + account, "CI preview token");
    cf.seed_token("accounts/" + account, "backup agent");
    cf.rate_limit_next(1, 1s); // the listing is rate-limited once: the job waits on the timer, then goes on
    cloudflare::testing::fake_async_transport t(io.get_executor());
    t.script().set_handler([&cf](const cloudflare::http::request& r) { return cf.send(r); });
    options.api_token = "demo-token";
    options.base_url = "https://emulator.invalid/client/v4";
    net::co_spawn(io, run_job(t, options, account, match), done);
    io.run();
    return rc;
}
