// Benchmarks: what a call costs on top of parsing its JSON. A program, not a test: it prints
// figures and never fails because the machine is slow. Run: meson compile -C build-release
// bench_calls && ./build-release/tests/bench/bench_calls  (or `meson test --benchmark`).
//
// For rotate, get and a 100-item list page it measures, in one run:
//   a. the full client call over an in-memory transport that hands back prebuilt responses;
//   b. request building alone (sans-IO build_request);
//   c. response parsing alone (sans-IO parse_response);
//   d. the floor: boost::json::parse of the same bytes (default resource), and a bare copy;
// and prints medians with p10/p90, the ratios a/d and c/d, heap allocations per call, and the
// process's peak RSS. Batches are small (a few thousand calls) so the prebuilt responses stay
// a small part of that RSS.
#include <cloudflare/cloudflare.hpp>

#include <boost/json/parse.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "allocation_counter.hpp" // every operator new in this program counts

namespace cfa = cloudflare::zero_trust::access;

// A 200 JSON response with the headers Cloudflare sends.
static cloudflare::http::response json_200(const std::string& body) {
    cloudflare::http::response r;
    r.status = 200;
    r.headers.emplace_back("Content-Type", "application/json");
    r.headers.emplace_back("cf-ray", "8c2b4a1e2f3d4a5b-LHR");
    r.body = body;
    return r;
}

using clk = std::chrono::steady_clock;

namespace {

// A transport that hands out responses prepared before the clock starts (moved, not copied),
// so the transport itself neither allocates nor copies during the measurement.
struct pooled_transport {
    std::vector<cloudflare::http::response>* pool;
    std::size_t next = 0;
    cloudflare::transport_result send(const cloudflare::http::request&) { return std::move((*pool)[next++]); }
};

struct stats {
    double median, p10, p90;
};

// Runs `body(i)` for `reps` batches of `n` iterations (after `prepare(n)`), timing each batch.
template <class Prepare, class Body>
stats measure(int reps, int n, Prepare prepare, Body body) {
    std::vector<double> per_op;
    for (int r = 0; r < reps; ++r) {
        prepare(n);
        auto t0 = clk::now();
        for (int i = 0; i < n; ++i) body(i);
        auto t1 = clk::now();
        per_op.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count() / n);
    }
    std::sort(per_op.begin(), per_op.end());
    auto at = [&](double q) { return per_op[static_cast<std::size_t>(q * (per_op.size() - 1))]; };
    return {at(0.5), at(0.1), at(0.9)};
}

template <class Body>
double allocations_per_call(int n, Body body) {
    long long before = g_allocations.load();
    for (int i = 0; i < n; ++i) body(i);
    return static_cast<double>(g_allocations.load() - before) / n;
}

void print(const char* what, stats s, double allocs) {
    std::printf("  %-44s %9.3f us  (p10 %7.3f, p90 %7.3f)  %5.1f allocs/call\n", what, s.median / 1000, s.p10 / 1000,
                s.p90 / 1000, allocs);
}

volatile std::size_t g_sink; // keeps results alive so the optimizer cannot drop the work

// One endpoint's four measurements. `call` runs the client call, `build` the sans-IO build.
// With `--only WHAT N` (WHAT one of a, b, c, d for rotate), runs just that N times and prints
// nothing: for counting instructions under callgrind (tests/bench/count_instructions.sh).
const char* g_only = nullptr;
int g_only_n = 0;

template <class E, class Call, class Build>
void bench_endpoint(const char* title, const std::string& body, Call call, Build build, int n) {
    const int reps = 31;
    cloudflare::http::response prebuilt = json_200(body);
    std::vector<cloudflare::http::response> pool;
    cloudflare::client_options o;
    o.api_token = "bench-token-0123456789abcdef0123456789abcdef";
    pooled_transport transport{&pool};
    cloudflare::client client{transport, o};
    auto refill = [&](int count) {
        pool.assign(static_cast<std::size_t>(count), prebuilt);
        client.transport().next = 0;
    };

    if (g_only) {
        auto parse_once = [&](int) { g_sink = cloudflare::parse_response<E>(prebuilt).has_value(); };
        const std::string what = g_only;
        if (what == "a") { refill(g_only_n); for (int i = 0; i < g_only_n; ++i) g_sink = call(client); }
        if (what == "b") for (int i = 0; i < g_only_n; ++i) g_sink = build(o).value().url.size();
        if (what == "c") for (int i = 0; i < g_only_n; ++i) parse_once(i);
        if (what == "d") for (int i = 0; i < g_only_n; ++i) g_sink = boost::json::parse(body).is_object();
        return;
    }
    std::printf("%s (%zu-byte body)\n", title, body.size());
    auto a = measure(reps, n, refill, [&](int) { g_sink = call(client); });
    refill(n);
    double a_alloc = allocations_per_call(n, [&](int) { g_sink = call(client); });
    auto b = measure(reps, n, [](int) {}, [&](int) { g_sink = build(o).value().url.size(); });
    double b_alloc = allocations_per_call(n, [&](int) { g_sink = build(o).value().url.size(); });
    auto parse = [&](int) { g_sink = cloudflare::parse_response<E>(prebuilt).has_value(); };
    auto c = measure(reps, n, [](int) {}, parse);
    double c_alloc = allocations_per_call(n, parse);
    auto bare = [&](int) { g_sink = boost::json::parse(body).is_object(); };
    auto d = measure(reps, n, [](int) {}, bare);
    double d_alloc = allocations_per_call(n, bare);
    auto copy = [&](int) { std::string s = body; g_sink = s.size(); };
    auto e = measure(reps, n, [](int) {}, copy);
    double e_alloc = allocations_per_call(n, copy);

    print("a. full client call (in-memory transport)", a, a_alloc);
    print("b. build_request (sans-IO)", b, b_alloc);
    print("c. parse_response (sans-IO)", c, c_alloc);
    print("d. boost::json::parse, default resource", d, d_alloc);
    print("   bare copy of the body", e, e_alloc);
    std::printf("  ratio a/d = %.2f   c/d = %.2f\n\n", a.median / d.median, c.median / d.median);
}

} // namespace


int main(int argc, char** argv) {
    if (argc == 4 && std::string(argv[1]) == "--only") {
        g_only = argv[2];
        g_only_n = std::atoi(argv[3]);
    }
    // The documented rotate response, compact, with empty errors/messages (334 bytes).
    const std::string rotate_body =
        R"({"errors":[],"messages":[],"success":true,"result":{"id":"id","client_id":"88bf3b6d86161464f6509f7219099e57.access.example.com",)"
        R"("client_secret":"bdd31cbc4dec990953e39163fbbb194c93313ca9f0a6e420346af9d326b1d2a5","created_at":"2014-01-01T05:20:00.12345Z",)"
        R"("duration":"60m","name":"CI/CD token","updated_at":"2014-01-01T05:20:00.12345Z"}})";
    const std::string token = R"({"id":"f174e90a-fafe-4643-bbbc-4a0ed4fc8415","client_id":"88bf3b6d86161464f6509f7219099e57.access",)"
                              R"("name":"CI/CD token","duration":"8760h","created_at":"2026-01-01T05:20:00.12345Z",)"
                              R"("updated_at":"2026-06-01T05:20:00.12345Z","expires_at":"2027-01-01T05:20:00.12345Z","client_secret_version":2})";
    const std::string get_body = R"({"success":true,"errors":[],"messages":[],"result":)" + token + "}";
    std::string items;
    for (int i = 0; i < 100; ++i) items += (i ? "," : "") + token;
    const std::string list_body = R"({"success":true,"errors":[],"messages":[],"result":[)" + items +
                                  R"(],"result_info":{"page":1,"per_page":100,"count":100,"total_count":100,"total_pages":1}})";

    const std::string id = "f174e90a-fafe-4643-bbbc-4a0ed4fc8415";
    const cfa::service_token_rotate_params rp{.account_id = "023e105f4ecef8ad9ca31a8372d0c353"};
    const cfa::service_token_get_params gp{.account_id = std::string("023e105f4ecef8ad9ca31a8372d0c353")};
    const cfa::service_token_list_params lp{.account_id = std::string("023e105f4ecef8ad9ca31a8372d0c353"), .per_page = 100};

    if (!g_only) std::printf("cloudflare-cpp %s benchmarks (medians of 31 batches)\n\n", cloudflare::version);
    bench_endpoint<cfa::endpoints::service_token_rotate>(
        "rotate", rotate_body,
        [&](auto& c) { return c.zero_trust.access.service_tokens.try_rotate(id, rp).value().client_secret.size(); },
        [&](const cloudflare::client_options& o) { return cloudflare::build_request<cfa::endpoints::service_token_rotate>(o, std::string_view(id), rp); },
        2000);
    if (g_only) return 0; // instruction counting covers rotate
    bench_endpoint<cfa::endpoints::service_token_get>(
        "get", get_body, [&](auto& c) { return c.zero_trust.access.service_tokens.try_get(id, gp).value().id.size(); },
        [&](const cloudflare::client_options& o) { return cloudflare::build_request<cfa::endpoints::service_token_get>(o, std::string_view(id), gp); },
        2000);
    bench_endpoint<cfa::endpoints::service_token_list>(
        "list, 100 items", list_body,
        [&](auto& c) { return c.zero_trust.access.service_tokens.try_list(lp).value().items.size(); },
        [&](const cloudflare::client_options& o) { return cloudflare::build_request<cfa::endpoints::service_token_list>(o, lp); },
        40);

    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::printf("peak RSS: %.1f MiB\n", static_cast<double>(ru.ru_maxrss) / 1024.0);
    return 0;
}
