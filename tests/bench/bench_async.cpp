// Benchmark: what an asynchronous call (<cloudflare/asio.hpp>) costs over a synchronous one, on
// the same in-memory answers. A program, not a test: it prints figures and never fails because
// the machine is slow. Run: ninja -C build tests/bench/bench_async && ./build/tests/bench/bench_async
//
// Rotate with the documented 334-byte answer, in one run:
//   sync:  client.try_rotate over a transport that hands back prebuilt responses;
//   async: asio::async_call with a callback over an asynchronous transport that hands back the
//          same prebuilt responses through the io_context (one post per send), run to completion
//          by io_context::run on this thread.
// Medians of 31 batches (p10-p90 in the output), the ratio, and heap allocations per call.
#include <cloudflare/asio.hpp>
#include <cloudflare/cloudflare.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

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
namespace net = boost::asio;
using clk = std::chrono::steady_clock;

namespace {

const std::string rotate_body = R"({"errors":[],"messages":[],"success":true,"result":{"id":"f174e90a-fafe-4643-bbbc-4a0ed4fc8415","client_id":"88bf3b6d86161464f6509f7219099e57.access.example.com","client_secret":"bdd31cbc4dec990953e39163fbbb194c93313ca9f0a6e420346af9d326b1d2a5","created_at":"2014-01-01T05:20:00.12345Z","duration":"60m","name":"CI/CD token","updated_at":"2014-01-01T05:20:00.12345Z"}})";

cloudflare::http::response json_200() {
    cloudflare::http::response r;
    r.status = 200;
    r.headers.emplace_back("Content-Type", "application/json");
    r.headers.emplace_back("cf-ray", "8c2b4a1e2f3d4a5b-LHR");
    r.body = rotate_body;
    return r;
}

struct pooled_transport {
    std::vector<cloudflare::http::response>* pool;
    std::size_t next = 0;
    cloudflare::transport_result send(const cloudflare::http::request&) { return std::move((*pool)[next++]); }
};

// The same prebuilt answers, delivered through the io_context as a real asynchronous transport would.
struct pooled_async_transport {
    using executor_type = net::io_context::executor_type;
    net::io_context* io;
    std::vector<cloudflare::http::response>* pool;
    std::size_t next = 0;
    executor_type get_executor() const noexcept { return io->get_executor(); }
    template <class Token>
    auto async_send(const cloudflare::http::request&, Token&& token) {
        return net::async_initiate<Token, void(cloudflare::transport_result)>(
            [this](auto handler) {
                net::post(*io, [h = std::move(handler), r = cloudflare::transport_result(std::move((*pool)[next++]))]() mutable {
                    std::move(h)(std::move(r));
                });
            },
            token);
    }
};
static_assert(cloudflare::asio::AsyncTransport<pooled_async_transport>);

struct stats {
    double median, p10, p90;
    double allocations;
};

template <class Prepare, class Body>
stats measure(int reps, int n, Prepare prepare, Body body) {
    std::vector<double> per_op;
    long long allocs = 0;
    for (int r = 0; r < reps; ++r) {
        prepare(n);
        const auto a0 = g_allocations.load();
        auto t0 = clk::now();
        body(n);
        auto t1 = clk::now();
        allocs = g_allocations.load() - a0;
        per_op.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count() / n);
    }
    std::sort(per_op.begin(), per_op.end());
    return {per_op[per_op.size() / 2], per_op[per_op.size() / 10], per_op[per_op.size() * 9 / 10],
            static_cast<double>(allocs) / n};
}

} // namespace

int main(int argc, char** argv) {
    // `bench_async sync|async N`: only N calls of one kind, for instruction counts under callgrind
    // (tests/bench/count_instructions.sh takes the difference between N and 0).
    const std::string only = argc == 3 ? argv[1] : "";
    const int only_n = argc == 3 ? std::atoi(argv[2]) : 0;
    constexpr int reps = 31, n = 2000;
    cloudflare::client_options o;
    o.api_token = "Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY";
    const cfa::service_token_rotate_params params{.account_id = "023e105f4ecef8ad9ca31a8372d0c353"};
    const std::string_view id = "f174e90a-fafe-4643-bbbc-4a0ed4fc8415";
    std::vector<cloudflare::http::response> pool;
    auto refill = [&](int count) {
        pool.clear();
        for (int i = 0; i < count; ++i) pool.push_back(json_200());
    };

    pooled_transport sync_t{&pool};
    cloudflare::client c{sync_t, o};
    int ok = 0;
    net::io_context io;
    pooled_async_transport async_t{&io, &pool};
    if (!only.empty()) {
        refill(only_n);
        for (int i = 0; i < only_n; ++i) {
            if (only == "sync") {
                ok += c.zero_trust.access.service_tokens.try_rotate(id, params).has_value();
            } else {
                cloudflare::asio::async_call<cfa::endpoints::service_token_rotate>(async_t, o, id, params,
                                                                                   [&](const auto& r) { ok += r.has_value(); });
                io.run();
                io.restart();
            }
        }
        return ok == only_n ? 0 : 1;
    }
    auto sync = measure(reps, n, [&](int k) { refill(k); sync_t.next = 0; }, [&](int k) {
        for (int i = 0; i < k; ++i) ok += c.zero_trust.access.service_tokens.try_rotate(id, params).has_value();
    });

    auto async = measure(reps, n, [&](int k) { refill(k); async_t.next = 0; io.restart(); }, [&](int k) {
        for (int i = 0; i < k; ++i)
            cloudflare::asio::async_call<cfa::endpoints::service_token_rotate>(async_t, o, id, params, [&](const auto& r) {
                ok += r.has_value();
            });
        io.run();
    });

    std::printf("rotate, per call (median of %d batches of %d; p10-p90)\n", reps, n);
    std::printf("  sync client:      %8.3f us  (%.3f-%.3f)  %.1f allocations\n", sync.median / 1000, sync.p10 / 1000,
                sync.p90 / 1000, sync.allocations);
    std::printf("  asio::async_call: %8.3f us  (%.3f-%.3f)  %.1f allocations\n", async.median / 1000, async.p10 / 1000,
                async.p90 / 1000, async.allocations);
    std::printf("  async / sync:     %8.2fx  (+%.3f us per call)\n", async.median / sync.median, (async.median - sync.median) / 1000);
    return ok == 2 * reps * n ? 0 : 1;
}
