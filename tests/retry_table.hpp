// The README's retry table as data: the synchronous client's tests (test_retry.cpp) and the
// asynchronous ones (test_asio.cpp) check every cell of the same rows.
#pragma once

#include <cloudflare/cloudflare.hpp>
#include <cloudflare/testing/fake_transport.hpp>

#include <optional>
#include <string>
#include <vector>

namespace retry_table {
using namespace cloudflare;

struct outcome {
    std::string name;
    std::optional<http::response> response;
    std::optional<transport_failure> failure;
};

inline outcome status(int s, http::headers extra = {}) {
    return {"HTTP " + std::to_string(s), testing::json_response(s, R"({"success":false,"errors":[{"code":1,"message":"m"}],"messages":[],"result":null})", std::move(extra)), {}};
}
inline outcome failure(transport_failure f) { return {std::string(to_string(f)), {}, f}; }

struct row {
    outcome first;
    bool idempotent_retries;     // GET / PUT / DELETE
    bool rotate_retries;         // rotate / refresh / create
    bool rotate_unknown;         // ... and if not retried, is the outcome unknown?
    bool opt_in_retries;         // rotate with retry_non_idempotent
};

/// The README's retry table, row by row.
inline const std::vector<row>& rows() {
    static const std::vector<row> table = {
        {status(408), true, false, false, true},
        {status(409), true, false, false, true},
        {status(429), true, true, false, true},
        {status(500), true, false, true, true},
        {status(502), true, false, true, true},
        {status(503), true, false, true, true},
        {status(400), false, false, false, false},
        {status(401), false, false, false, false},
        {status(403), false, false, false, false},
        {status(404), false, false, false, false},
        {status(422), false, false, false, false},
        {failure(transport_failure::not_sent), true, true, false, true},
        {failure(transport_failure::timed_out), true, false, true, true},
        {failure(transport_failure::maybe_sent), true, false, true, true},
        {status(400, {{"x-should-retry", "true"}}), true, true, false, true},
        {status(503, {{"x-should-retry", "true"}}), true, true, true, true},
        {status(503, {{"x-should-retry", "false"}}), false, false, true, false},
        {status(429, {{"x-should-retry", "false"}}), false, false, false, false},
    };
    return table;
}

} // namespace retry_table
