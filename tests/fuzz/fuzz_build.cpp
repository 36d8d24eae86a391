// libFuzzer target: arbitrary parameter strings into rotate's request builder. Whatever the
// input, a built request must target exactly
// {base}/accounts/{account_id}/access/service_tokens/{service_token_id}/rotate with each
// parameter in one segment that decodes back to it, and no header value may carry a control
// character (HTAB aside). The service token id is also sent as `ai.run`'s model name, whose `/`
// is kept: its request must stay under {base}/accounts/acc/ai/run/, each segment non-empty, not
// `.` or `..`, and decoding back to the input.
#include <cloudflare/ai.hpp>
#include <cloudflare/cloudflare.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace cfa = cloudflare::zero_trust::access;

namespace {
void check(bool cond) { if (!cond) std::abort(); }

std::string decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%') {
            check(i + 2 < s.size()); // the builder only emits complete %XX triplets
            out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
            i += 2;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

std::vector<std::string_view> split(std::string_view s) {
    std::vector<std::string_view> seg;
    for (std::size_t pos = 0;;) {
        auto slash = s.find('/', pos);
        seg.push_back(s.substr(pos, slash - pos));
        if (slash == std::string_view::npos) return seg;
        pos = slash + 1;
    }
}

void check_model_name(const cloudflare::client_options& o, const std::string& name) {
    namespace ai = cloudflare::ai;
    const ai::ai_run_params p = ai::ai_run_params_text_classification{.account_id = "acc", .text = "t"};
    auto req = cloudflare::build_request<ai::endpoints::ai_run>(o, {}, std::string_view(name), p);
    const auto segs = split(name);
    bool fine = !name.empty();
    for (auto s : segs) fine = fine && !s.empty() && s != "." && s != "..";
    check(bool(req) == fine);
    if (!req) {
        check(req.error().kind() == cloudflare::error_kind::invalid_argument);
        return;
    }
    std::string_view url = req->url;
    const std::string_view base = "https://api.cloudflare.com/client/v4/accounts/acc/ai/run/";
    check(url.substr(0, base.size()) == base);
    url.remove_prefix(base.size());
    check(url.find_first_of("?#") == std::string_view::npos);
    const auto sent = split(url);
    check(sent.size() == segs.size());
    for (std::size_t i = 0; i < sent.size(); ++i) check(decode(sent[i]) == segs[i]);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Fields separated by 0xFF: account_id, service_token_id, grace text, a header value.
    std::vector<std::string> f(4);
    std::size_t k = 0;
    for (std::size_t i = 0; i < size; ++i) {
        if (data[i] == 0xFF && k < 3) { ++k; continue; }
        f[k].push_back(static_cast<char>(data[i]));
    }
    cloudflare::client_options o;
    o.api_token = "fuzz-token";
    o.base_url = "https://api.cloudflare.com/client/v4";
    cloudflare::request_options ro;
    if (!f[3].empty()) ro.headers.emplace_back("X-Fuzz", f[3]);
    check_model_name(o, f[1]);
    cfa::service_token_rotate_params p{.account_id = f[0]};
    if (!f[2].empty()) p.previous_client_secret_expires_at = f[2];
    auto req = cloudflare::build_request<cfa::endpoints::service_token_rotate>(o, ro, std::string_view(f[1]), p);
    if (!req) {
        check(req.error().kind() == cloudflare::error_kind::invalid_argument);
        check(req.error().message().find("fuzz-token") == std::string::npos);
        return 0;
    }
    std::string_view url = req->url;
    const std::string_view base = "https://api.cloudflare.com/client/v4/accounts/";
    check(url.substr(0, base.size()) == base);
    url.remove_prefix(base.size());
    check(url.find_first_of("?#") == std::string_view::npos);
    std::vector<std::string_view> seg;
    for (std::size_t pos = 0;;) {
        auto slash = url.find('/', pos);
        seg.push_back(url.substr(pos, slash - pos));
        if (slash == std::string_view::npos) break;
        pos = slash + 1;
    }
    check(seg.size() == 5);
    check(seg[1] == "access" && seg[2] == "service_tokens" && seg[4] == "rotate");
    check(decode(seg[0]) == f[0]);
    check(decode(seg[3]) == f[1]);
    check(f[0] != "." && f[0] != ".." && f[1] != "." && f[1] != ".." && !f[0].empty() && !f[1].empty());
    for (const auto& h : req->headers)
        for (char ch : h.value) {
            auto c = static_cast<unsigned char>(ch);
            check((c >= 0x20 || c == '\t') && c != 0x7F);
        }
    if (!req->body.empty()) check(cloudflare::timestamp::parse(f[2]).has_value());
    return 0;
}
