// cloudflare-cpp (internal): Cloudflare's response envelope, strictly, and status errors.
#pragma once

#include <cloudflare/client_options.hpp>
#include <cloudflare/detail/json_parse.hpp>
#include <cloudflare/detail/json_read.hpp>
#include <cloudflare/detail/redact.hpp>
#include <cloudflare/error.hpp>
#include <cloudflare/http.hpp>

#include <boost/json/monotonic_resource.hpp>

#include <chrono>
#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cloudflare::detail {

/// Who answered, as errors name it and excerpt it: the endpoint's name and the JSON paths of the
/// credentials its answers carry (`E::secret_paths`), whose values no excerpt shows.
struct answerer {
    std::string_view name;
    std::span<const std::string_view> secret_paths{};
    answerer(std::string_view n, std::span<const std::string_view> s = {}) noexcept : name(n), secret_paths(s) {}
    answerer(const char* n) noexcept : name(n) {}
};

inline std::string_view reason_phrase(int status) noexcept {
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
    }
}

// Without leading and trailing spaces and tabs (HTTP's optional whitespace).
constexpr std::string_view trim_ows(std::string_view v) noexcept {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return v;
}

// Media type of a Content-Type value is JSON: application/json or anything +json.
inline bool is_json_media_type(std::string_view ct) noexcept {
    if (ct == "application/json" || ct == "application/json; charset=utf-8") return true; // what Cloudflare sends
    ct = trim_ows(ct.substr(0, ct.find(';')));
    if (http::iequals(ct, "application/json")) return true;
    return ct.size() > 5 && http::iequals(ct.substr(ct.size() - 5), "+json");
}

// Strict reading of an `errors` / `messages` array.
inline void read_api_messages(json_reader& r, std::string_view field, const boost::json::value* v,
                              std::vector<api_message>& out) {
    if (!v || v->is_null()) return;
    const auto* arr = v->if_array();
    if (!arr) return r.wrong_kind(field, "an array", *v);
    // Not reserved from the array's length: `[1,1,…]` would cost a message struct per 2 bytes
    // before the first item fails. Grown as items read, each is at least 23 bytes of JSON.
    for (std::size_t i = 0; i < arr->size() && r.ok(); ++i) {
        std::string name = std::string(field) + "[" + std::to_string(i) + "]";
        const auto* o = (*arr)[i].if_object();
        if (!o) return r.wrong_kind(name, "an object", (*arr)[i]);
        api_message m;
        std::optional<std::int64_t> code;
        r.read(name + ".code", o->if_contains("code"), code);
        if (r.ok() && !code) return r.fail(name + ".code", "is missing");
        std::optional<std::string> text; // may be empty, must be present
        r.read(name + ".message", o->if_contains("message"), text);
        if (r.ok() && !text) return r.fail(name + ".message", "is missing");
        r.read(name + ".documentation_url", o->if_contains("documentation_url"), m.documentation_url);
        if (const auto* src = o->if_contains("source"); src && !src->is_null()) {
            if (const auto* so = src->if_object())
                r.read(name + ".source.pointer", so->if_contains("pointer"), m.source_pointer);
            else
                r.wrong_kind(name + ".source", "an object", *src);
        }
        if (!r.ok()) return;
        m.code = *code;
        m.message = std::move(*text);
        out.push_back(std::move(m));
    }
}

// "[code] message; [code] message"
inline void append_api_messages(std::string& s, const std::vector<api_message>& errs) {
    for (std::size_t i = 0; i < errs.size(); ++i) {
        s += i ? "; " : ": ";
        s += '[';
        s += std::to_string(errs[i].code);
        s += "] ";
        s += errs[i].message;
    }
}

inline void append_ray(std::string& s, const http::headers& h) {
    if (auto ray = h.get("cf-ray")) { s += " (cf-ray "; s += *ray; s += ')'; }
}

// Parses an HTTP date in the three forms RFC 9110 section 5.6.7 requires recipients to read:
// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT")
// and asctime ("Sun Nov  6 08:49:37 1994"). A two-digit RFC 850 year is the one within 50 years
// after `now`'s year, else the most recent past year with those digits. Seconds since the
// epoch, so no year 0000-9999 overflows.
inline std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view s,
                                                               std::chrono::system_clock::time_point now) noexcept {
    using namespace std::chrono;
    constexpr std::string_view days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    constexpr std::string_view long_days[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    constexpr std::string_view months = "JanFebMarAprMayJunJulAugSepOctNovDec";
    auto is_one_of = [](std::string_view v, const auto& names) {
        for (auto n : names) if (v == n) return true;
        return false;
    };
    auto month_of = [&](std::string_view m) {
        auto i = m.size() == 3 ? months.find(m) : std::string_view::npos;
        return i == std::string_view::npos || i % 3 ? 0u : static_cast<unsigned>(i / 3 + 1);
    };
    // "HH:MM:SS" at `pos`
    int h = 0, mi = 0, sec = 0;
    auto time_of_day = [&](std::size_t pos) {
        return parse_digits(s, pos, 2, h) && s[pos + 2] == ':' && parse_digits(s, pos + 3, 2, mi) &&
               s[pos + 5] == ':' && parse_digits(s, pos + 6, 2, sec);
    };
    int y = 0, d = 0;
    unsigned mo = 0;
    auto comma = s.find(',');
    if (comma == 3 && s.size() == 29) { // IMF-fixdate
        if (!is_one_of(s.substr(0, 3), days) || s[4] != ' ' || !parse_digits(s, 5, 2, d) || s[7] != ' ' ||
            !(mo = month_of(s.substr(8, 3))) || s[11] != ' ' || !parse_digits(s, 12, 4, y) || s[16] != ' ' ||
            !time_of_day(17) || s.substr(25) != " GMT")
            return std::nullopt;
    } else if (comma != std::string_view::npos && comma > 3 && s.size() == comma + 24) { // RFC 850
        const auto p = comma + 1; // " DD-Mon-YY HH:MM:SS GMT"
        int yy = 0;
        if (!is_one_of(s.substr(0, comma), long_days) || s[p] != ' ' || !parse_digits(s, p + 1, 2, d) ||
            s[p + 3] != '-' || !(mo = month_of(s.substr(p + 4, 3))) || s[p + 7] != '-' ||
            !parse_digits(s, p + 8, 2, yy) || s[p + 10] != ' ' || !time_of_day(p + 11) || s.substr(p + 19) != " GMT")
            return std::nullopt;
        const int this_year = int(year_month_day(floor<std::chrono::days>(now)).year());
        y = this_year - ((this_year - yy) % 100 + 100) % 100; // same last two digits, <= this year
        if (y + 100 <= this_year + 50) y += 100;              // within 50 years ahead: the future one
    } else if (comma == std::string_view::npos && s.size() == 24) { // asctime: "Sun Nov  6 08:49:37 1994"
        if (!is_one_of(s.substr(0, 3), days) || s[3] != ' ' || !(mo = month_of(s.substr(4, 3))) || s[7] != ' ' ||
            s[10] != ' ' || !time_of_day(11) || s[19] != ' ' || !parse_digits(s, 20, 4, y))
            return std::nullopt;
        if (s[8] == ' ') { if (!parse_digits(s, 9, 1, d)) return std::nullopt; }
        else if (!parse_digits(s, 8, 2, d)) return std::nullopt;
    } else {
        return std::nullopt;
    }
    year_month_day ymd{year{y}, month{mo}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
    return sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec};
}

// A Retry-After number: `1*DIGIT ["." 1*DIGIT]` (surrounding spaces allowed), in units of
// 10^-`decimals` of it, truncated: ("1.5", 3) is 1500. Anything else (".", "-5", "1.2.3"): none.
inline std::optional<std::int64_t> parse_delay_number(std::string_view v, int decimals) noexcept {
    v = trim_ows(v);
    auto dot = v.find('.');
    std::string_view whole = v.substr(0, dot), frac = dot == v.npos ? std::string_view{} : v.substr(dot + 1);
    if (whole.empty() || whole.size() > 15 || (dot != v.npos && frac.empty())) return std::nullopt;
    std::int64_t n = 0;
    for (char c : whole) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
    }
    for (char c : frac)
        if (c < '0' || c > '9') return std::nullopt;
    for (int i = 0; i < decimals; ++i)
        n = n * 10 + (static_cast<std::size_t>(i) < frac.size() ? frac[static_cast<std::size_t>(i)] - '0' : 0);
    return n;
}

/// The delay a response asks for: `retry-after-ms` (milliseconds), else `retry-after` in
/// seconds or as an HTTP date in any of RFC 9110's three forms (relative to the response's
/// `Date`, else `now`). Negative, malformed or unparsable values: none.
inline std::optional<std::chrono::milliseconds>
server_retry_delay(const http::headers& h, std::chrono::system_clock::time_point now) {
    using namespace std::chrono;
    if (auto ms = h.get("retry-after-ms"))
        if (auto n = parse_delay_number(*ms, 0)) return milliseconds(*n);
    if (auto ra = h.get("retry-after")) {
        if (auto n = parse_delay_number(*ra, 3)) return milliseconds(*n);
        if (auto at = parse_http_date(trim_ows(*ra), now)) {
            auto base = floor<seconds>(now);
            if (auto d = h.get("date")) if (auto dt = parse_http_date(trim_ows(*d), now)) base = *dt;
            if (*at <= base) return milliseconds(0);
            return duration_cast<milliseconds>(*at - base);
        }
    }
    return std::nullopt;
}

/// The typed error for a non-2xx response. A malformed envelope never hides the status: the
/// error keeps its status type, says the envelope was malformed, and keeps a redacted excerpt.
inline error_info status_error(answerer endpoint, const http::response& resp,
                               const response_limits& lim) {
    error_info e(kind_for_status(resp.status), {});
    e.set_status(resp.status);
    std::string msg;
    msg.reserve(128);
    msg.append(endpoint.name).append(": HTTP ").append(std::to_string(resp.status));
    if (auto rp = reason_phrase(resp.status); !rp.empty()) msg.append(" ").append(rp);

    std::string problem;
    std::vector<api_message> errors, messages;
    if (resp.body.empty()) {
        problem = "empty body";
    } else if (resp.body.size() > lim.max_body_bytes) {
        problem = "body over the size limit";
    } else {
        unsigned char buf[2048];
        boost::json::monotonic_resource mr(buf, sizeof buf, boost::json::storage_ptr(wiping_upstream()));
        boost::json::value root(&mr);
        json_reader r("envelope");
        if (!parse_json(resp.body, &mr, lim.max_json_depth, root, problem)) {
            // `problem` says why
        } else if (const auto* o = root.if_object()) {
            read_api_messages(r, "errors", o->if_contains("errors"), errors);
            read_api_messages(r, "messages", o->if_contains("messages"), messages);
            if (!r.ok()) { problem = r.error(); errors.clear(); messages.clear(); }
        } else {
            problem = "not a JSON object";
        }
    }
    append_api_messages(msg, errors);
    if (!problem.empty()) msg.append(" (response is not a Cloudflare envelope: ").append(problem).append(")");
    append_ray(msg, resp.headers);
    e.set_message(std::move(msg));
    e.set_errors(std::move(errors));
    e.set_messages(std::move(messages));
    e.set_body_excerpt(excerpt(resp.body, 512, {}, endpoint.secret_paths));
    e.set_headers(resp.headers);
    return e;
}

/// An `api_response_validation_error` for a 2xx that cannot be the declared result.
inline error_info validation_error(answerer endpoint, int status, const http::headers& headers,
                                   std::string_view body, std::string_view why, std::vector<api_message> errors = {},
                                   std::vector<api_message> messages = {}) {
    std::string msg;
    msg.append(endpoint.name).append(": invalid response (HTTP ").append(std::to_string(status)).append("): ");
    msg.append(why);
    append_api_messages(msg, errors);
    append_ray(msg, headers);
    error_info e(error_kind::api_response_validation, std::move(msg));
    e.set_status(status);
    e.set_errors(std::move(errors));
    e.set_messages(std::move(messages));
    e.set_body_excerpt(excerpt(body, 512, {}, endpoint.secret_paths));
    e.set_headers(headers);
    return e;
}
inline error_info validation_error(answerer endpoint, const http::response& resp, std::string_view why,
                                   std::vector<api_message> errors = {}, std::vector<api_message> messages = {}) {
    return validation_error(endpoint, resp.status, resp.headers, resp.body, why, std::move(errors), std::move(messages));
}

/// A parsed 2xx envelope whose `success` is true and whose `result` is present.
struct checked_envelope {
    std::shared_ptr<json_document> doc;
    const boost::json::object* root = nullptr;
    const boost::json::value* result = nullptr;
};

/// Checks limits, media type, JSON, `success` and `result` of a 2xx response. With
/// `result_optional` (calls that return nothing) a missing or null `result` is accepted and
/// `checked_envelope::result` is then null.
/// How a 2xx body carries the result: Cloudflare's `{success, errors, messages, result}`, an
/// object whose `success` may be absent, or bare JSON that is the result itself.
enum class envelope_style { standard, result_only, bare };

inline basic_result<checked_envelope, error_info>
check_envelope(answerer endpoint, const http::response& resp, const response_limits& lim,
               bool result_optional = false, envelope_style style = envelope_style::standard) {
    if (resp.body.size() > lim.max_body_bytes)
        return validation_error(endpoint, resp, "body larger than response_limits::max_body_bytes");
    if (resp.body.empty())
        return validation_error(endpoint, resp, "empty body where a JSON envelope was expected");
    if (auto ct = resp.headers.get("content-type"); ct && !is_json_media_type(*ct))
        return validation_error(endpoint, resp, "content-type is not JSON (a proxy or error page?)");

    checked_envelope env;
    env.doc = std::make_shared<json_document>();
    std::string why;
    if (!parse_json(resp.body, env.doc->storage(), lim.max_json_depth, env.doc->root(), why))
        return validation_error(endpoint, resp, why);
    env.root = env.doc->root().if_object();
    if (style == envelope_style::bare) {
        env.result = &env.doc->root();
        return env;
    }
    if (!env.root) return validation_error(endpoint, resp, "the envelope is not a JSON object");

    json_reader r("envelope");
    std::optional<bool> success;
    r.read("success", env.root->if_contains("success"), success);
    if (r.ok() && !success) {
        if (style == envelope_style::result_only) success = true;
        else r.fail("success", "is missing");
    }
    if (!r.ok()) return validation_error(endpoint, resp, r.error());
    if (!*success) {
        std::vector<api_message> errors, messages;
        read_api_messages(r, "errors", env.root->if_contains("errors"), errors);
        read_api_messages(r, "messages", env.root->if_contains("messages"), messages);
        if (!r.ok()) return validation_error(endpoint, resp, "`success` is false and " + r.error());
        return validation_error(endpoint, resp, "`success` is false", std::move(errors), std::move(messages));
    }
    env.result = env.root->if_contains("result");
    if (!env.result || env.result->is_null()) {
        if (result_optional) { env.result = nullptr; return env; }
        return validation_error(endpoint, resp, "`result` is missing or null");
    }
    return env;
}

/// A view of `v` that keeps the whole document alive.
inline raw_json share(const std::shared_ptr<json_document>& doc, const boost::json::value& v) {
    return raw_json(std::shared_ptr<const boost::json::value>(doc, &v));
}

} // namespace cloudflare::detail
