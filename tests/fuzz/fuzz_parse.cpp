// libFuzzer target: any bytes as a response to every service-token endpoint. Must never crash,
// hang, leak or trip a sanitizer; a parsed result must be internally consistent; a secret must
// never reach an error message.
#include <cloudflare/cloudflare.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace cfa = cloudflare::zero_trust::access;

namespace {
void check(bool cond) { if (!cond) std::abort(); }

template <class E>
void parse_as(const cloudflare::http::response& resp, const cloudflare::response_limits& lim) {
    auto r = cloudflare::parse_response<E>(resp, lim);
    if (r) {
        check(resp.status >= 200 && resp.status <= 299);
        return;
    }
    const auto& e = r.error();
    check(!e.message().empty());
    check(e.body_excerpt().size() <= 512 + 3);
    // `FUZZSECRET` values under a secret key must never surface.
    check(e.body_excerpt().find("\"client_secret\":\"FUZZSECRET") == std::string::npos);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    static const int statuses[] = {200, 201, 204, 400, 401, 403, 404, 409, 422, 429, 500, 503, 302, 418};
    cloudflare::http::response resp;
    resp.status = statuses[data[0] % (sizeof statuses / sizeof statuses[0])];
    if (data[1] & 1) resp.headers.emplace_back("Content-Type", "application/json");
    if (data[1] & 2) resp.headers.emplace_back("Content-Type", "text/html");
    if (data[1] & 4) resp.headers.emplace_back("retry-after", "3");
    resp.body.assign(reinterpret_cast<const char*>(data + 2), size - 2);
    cloudflare::response_limits lim;
    lim.max_json_depth = (data[1] & 8) ? 8 : 64;
    parse_as<cfa::endpoints::service_token_rotate>(resp, lim);
    parse_as<cfa::endpoints::service_token_create>(resp, lim);
    parse_as<cfa::endpoints::service_token_get>(resp, lim);
    parse_as<cfa::endpoints::service_token_list>(resp, lim);
    (void)cloudflare::detail::excerpt(resp.body);
    (void)cloudflare::timestamp::parse(resp.body);
    (void)cloudflare::detail::server_retry_delay({{"retry-after", resp.body}}, {});
    return 0;
}
