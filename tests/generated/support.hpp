// Fixtures for the generated-operation tests (tests/generated/test_ops_*.cpp).
#pragma once

#include <cloudflare/client_options.hpp>
#include <cloudflare/endpoint.hpp>
#include <cloudflare/testing/example_response.hpp>
#include <cloudflare/testing/fake_transport.hpp>

#include <boost/json/parse.hpp>

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace gen {

inline cloudflare::client_options options() {
    cloudflare::client_options o;
    o.api_token = "gen-token";
    return o;
}

inline cloudflare::http::response json_body(std::string body) { return cloudflare::testing::json_response(200, std::move(body)); }

// Same JSON value (member order and spacing aside).
inline bool same_json(std::string_view got, std::string_view want) {
    boost::system::error_code ec;
    auto g = boost::json::parse(got, ec);
    if (ec) return false;
    return g == boost::json::parse(want);
}

// What is wrong with endpoint E's example answer (`testing::example_response<E>()`): empty when
// it parses into E's result type, else the endpoint's name and the parse error.
template <class E>
std::string example_problem() {
    auto r = cloudflare::parse_response<E>(cloudflare::testing::example_response<E>());
    return r ? std::string() : std::string(E::name).append(": ").append(r.error().message());
}

} // namespace gen
