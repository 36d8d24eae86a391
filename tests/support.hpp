// Shared fixtures for the cloudflare-cpp tests.
#pragma once

#include <cloudflare/cloudflare.hpp>
#include <cloudflare/testing/fake_transport.hpp>

#include <string>
#include <string_view>

namespace fixtures {

inline constexpr std::string_view account = "023e105f4ecef8ad9ca31a8372d0c353";
inline constexpr std::string_view token_id = "f174e90a-fafe-4643-bbbc-4a0ed4fc8415";
inline constexpr std::string_view api_token = "tok-SECRET-5b0f3c";      // must never leak
inline constexpr std::string_view doc_secret = "bdd31cbc4dec990953e39163fbbb194c93313ca9f0a6e420346af9d326b1d2a5";
inline const std::string rotate_url =
    "https://api.cloudflare.com/client/v4/accounts/023e105f4ecef8ad9ca31a8372d0c353/access/service_tokens/"
    "f174e90a-fafe-4643-bbbc-4a0ed4fc8415/rotate";

// The documented response of "Rotate a service token" (rotate-service-token.seed.txt).
inline const std::string documented_rotate_body = R"({
"errors": [{"code": 1000, "message": "message", "documentation_url": "documentation_url", "source": {"pointer": "pointer"}}],
"messages": [{"code": 1000, "message": "message", "documentation_url": "documentation_url", "source": {"pointer": "pointer"}}],
"success": true,
"result": {
"id": "id",
"client_id": "88bf3b6d86161464f6509f7219099e57.access.example.com",
"client_secret": "bdd31cbc4dec990953e39163fbbb194c93313ca9f0a6e420346af9d326b1d2a5",
"created_at": "2014-01-01T05:20:00.12345Z",
"duration": "60m",
"name": "CI/CD token",
"updated_at": "2014-01-01T05:20:00.12345Z"
}
})";

inline cloudflare::client_options token_options() {
    cloudflare::client_options o;
    o.api_token = api_token;
    o.sleep = [](std::chrono::milliseconds) {}; // never really wait in tests
    return o;
}

inline cloudflare::http::response ok(std::string body) { return cloudflare::testing::json_response(200, std::move(body)); }

// An envelope wrapping `result` (raw JSON text).
inline std::string envelope(std::string_view result) {
    return std::string(R"({"success":true,"errors":[],"messages":[],"result":)").append(result).append("}");
}

// Checks substring presence without ever printing either string (a secret may be involved).
inline bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

} // namespace fixtures
