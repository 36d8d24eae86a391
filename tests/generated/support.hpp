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

// True when building a request failed before sending, as `invalid_argument` with `needle` in
// its message.
template <class R>
bool refused(const R& r, std::string_view needle) {
    return !r && r.error().kind() == cloudflare::error_kind::invalid_argument &&
           r.error().message().find(needle) != std::string::npos;
}

// The JSON kind of member `key` of a JSON object body: "null", "string", ..., "absent" (or
// "not an object").
inline std::string member_kind(std::string_view body, std::string_view key) {
    if (body.empty()) return "absent"; // no body at all: an optional body with nothing set
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec);
    if (ec || !v.is_object()) return "not an object";
    const auto* m = v.as_object().if_contains(boost::json::string_view(key.data(), key.size()));
    if (!m) return "absent";
    return std::string(boost::json::to_string(m->kind()));
}

// True when `url`'s query has the parameter(s) `pair` (`ids=1,2` or `a=1&a=2`) whole.
inline bool query_has(std::string_view url, std::string_view pair) {
    auto q = url.find('?');
    if (q == std::string_view::npos) return false;
    std::string query = "&" + std::string(url.substr(q + 1)) + "&";
    return query.find("&" + std::string(pair) + "&") != std::string::npos;
}

// True when `url`'s query has a parameter named `name` (as encoded), whatever its value; with
// `prefix`, one whose name starts with `name` (`filters.` for an array of objects sent dotted).
inline bool query_key(std::string_view url, std::string_view name, bool prefix = false) {
    auto q = url.find('?');
    if (q == std::string_view::npos) return false;
    std::string query = "&" + std::string(url.substr(q + 1));
    return query.find("&" + std::string(name) + (prefix ? "" : "=")) != std::string::npos;
}

// What is wrong with what endpoint E sends for its required JSON body left unset (`want`: "{}"
// or "refused"); empty when right.
template <class E, class... Args>
std::string unset_body_problem(std::string_view want, const Args&... args) {
    auto req = cloudflare::build_request<E>(options(), args...);
    const std::string who = std::string(E::name) + ": ";
    if (want == "refused") return refused(req, "`body` is required") ? "" : who + "not refused";
    if (!req) return who + req.error().message();
    return req->body == want && req->headers.get("content-type") == "application/json" ? "" : who + "sent `" + req->body + "`";
}

// What is wrong with endpoint E's example answer (`testing::example_response<E>()`): empty when
// it parses into E's result type, else the endpoint's name and the parse error.
template <class E>
std::string example_problem() {
    auto r = cloudflare::parse_response<E>(cloudflare::testing::example_response<E>());
    return r ? std::string() : std::string(E::name).append(": ").append(r.error().message());
}

} // namespace gen
