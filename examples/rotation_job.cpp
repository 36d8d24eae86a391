// A scheduled rotation job: list an account's service tokens, rotate every one whose name
// matches, with a grace period so running services keep working, and print a report.
//
//   rotation_job [--account-id ID] [--match SUBSTRING] [--grace 24h] [--live] [--base-url URL]
//
// Offline by default, against a seeded cloudflare::testing::emulator. With --live it uses the
// real API over libcurl (credentials from the environment, like every Cloudflare SDK).
#include "curl_transport.hpp"

#include <cloudflare/cloudflare.hpp>
#include <cloudflare/testing/emulator.hpp>

#include <chrono>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace cfa = cloudflare::zero_trust::access; // not `access`: POSIX access(2) is in scope

namespace {

struct outcome {
    std::string name, id, result;
};

// The job itself: the same code for the emulator and for the real API.
template <class T>
int run_job(cloudflare::client<T>& client, const std::string& account, std::string_view match, std::chrono::microseconds grace) {
    std::vector<outcome> report;
    int failures = 0;
    auto& tokens = client.zero_trust.access.service_tokens;
    // In microseconds, so now + the longest duration (292 years) cannot overflow.
    const auto grace_until = std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now()) + grace;
    for (auto& item : tokens.try_list_all({.account_id = account, .per_page = 50})) {
        if (!item) {
            std::cerr << "rotation_job: listing failed: " << item.error() << "\n";
            return 1;
        }
        const auto& token = *item;
        if (!token.name || token.name->find(match) == std::string::npos) continue;
        auto rotated = tokens.try_rotate(token.id, {.account_id = account, .previous_client_secret_expires_at = grace_until});
        if (rotated) {
            // A real job would write rotated->client_secret.reveal() to its secret store here.
            report.push_back({*token.name, token.id, "rotated (secret v" + std::to_string(rotated->client_secret_version.value_or(0)) + ")"});
        } else if (rotated.error().outcome_unknown()) {
            ++failures;
            report.push_back({*token.name, token.id, "UNKNOWN: may have rotated; read it back before retrying"});
        } else {
            ++failures;
            report.push_back({*token.name, token.id, "failed: " + rotated.error().message()});
        }
    }
    std::cout << "rotation report for account " << account << " (match \"" << match << "\", grace "
              << std::chrono::floor<std::chrono::seconds>(grace).count() << "s)\n";
    for (const auto& o : report) std::cout << "  " << o.name << "  " << o.id << "  " << o.result << "\n";
    std::cout << report.size() << " matched, " << (report.size() - static_cast<std::size_t>(failures)) << " rotated, " << failures
              << " failed\n";
    return failures ? 1 : 0;
}

} // namespace

int main(int argc, char** argv) {
    std::string account = "023e105f4ecef8ad9ca31a8372d0c353", match = "ci-", base_url;
    std::chrono::microseconds grace = std::chrono::hours(24);
    bool live = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        bool has_value = i + 1 < argc;
        if (a == "--live") live = true;
        else if (a == "--account-id" && has_value) account = argv[++i];
        else if (a == "--match" && has_value) match = argv[++i];
        else if (a == "--base-url" && has_value) base_url = argv[++i];
        else if (a == "--grace" && has_value) {
            auto d = cloudflare::parse_duration(argv[++i]);
            if (!d || d->forever()) {
                std::cerr << "rotation_job: --grace takes a length of time like 24h or 90m"
                          << (d ? ", not forever" : ": " + d.error().message()) << "\n";
                return 2;
            }
            grace = std::chrono::floor<std::chrono::microseconds>(*d->length());
        } else {
            std::cerr << "usage: rotation_job [--account-id ID] [--match SUBSTRING] [--grace 24h] [--live] [--base-url URL]\n";
            return 2;
        }
    }

    if (live) {
        auto options = cloudflare::client_options::from_env();
        if (!base_url.empty()) options.base_url = base_url;
        cloudflare::client client{examples::curl_transport{}, std::move(options)};
        return run_job(client, account, match, grace);
    }

    std::cerr << "rotation_job: offline, against a seeded emulator (use --live for the real API)\n";
    cloudflare::testing::emulator cf({.api_token = "demo-token", .account_ids = {account}});
    for (const char* name : {"ci-deploy", "ci-tests", "grafana-scraper", "ci-release", "backup-agent"})
        cf.seed_token("accounts/" + account, name);
    cloudflare::client_options options;
    options.api_token = "demo-token";
    cloudflare::client client{cf, options};
    return run_job(client, account, match, grace);
}
