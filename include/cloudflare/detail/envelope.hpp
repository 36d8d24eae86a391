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
#include <string>
#include <string_view>
#include <vector>

namespace cloudflare::detail {

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

// Media type of a Content-Type value is JSON: application/json or anything +json.
inline bool is_json_media_type(std::string_view ct) noexcept {
    if (ct == "application/json" || ct == "application/json; charset=utf-8") return true; // what Cloudflare sends
    ct = ct.substr(0, ct.find(';'));
    while (!ct.empty() && (ct.back() == ' ' || ct.back() == '\t')) ct.remove_suffix(1);
    while (!ct.empty() && (ct.front() == ' ' || ct.front() == '\t')) ct.remove_prefix(1);
    if (http::iequals(ct, "application/json")) return true;
    return ct.size() > 5 && http::iequals(ct.substr(ct.size() - 5), "+json");
}

// Strict reading of an `errors` / `messages` array.
inline void read_api_messages(json_reader& r, std::string_view field, const boost::json::value* v,
                              std::vector<api_message>& out) {
    if (!v || v->is_null()) return;
    const auto* arr = v->if_array();
    if (!arr) return r.wrong_kind(field, "an array", *v);
    out.reserve(arr->size());
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

// Parses an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), the form HTTP dates are sent in.
inline std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view s) noexcept {
    using namespace std::chrono;
    if (s.size() != 29 || s[3] != ',' || s[4] != ' ' || s.substr(26) != "GMT") return std::nullopt;
    constexpr std::string_view months = "JanFebMarAprMayJunJulAugSepOctNovDec";
    auto m = months.find(s.substr(8, 3));
    int d, y, h, mi, sec;
    if (m == std::string_view::npos || m % 3 || !parse_digits(s, 5, 2, d) || !parse_digits(s, 12, 4, y) ||
        !parse_digits(s, 17, 2, h) || !parse_digits(s, 20, 2, mi) || !parse_digits(s, 23, 2, sec))
        return std::nullopt;
    year_month_day ymd{year{y}, month{static_cast<unsigned>(m / 3 + 1)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
    return sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec};
}

/// The delay a response asks for: `retry-after-ms`, else `retry-after` in seconds or as an HTTP
/// date (relative to the response's `Date`, else `now`). Negative or unparsable values: none.
inline std::optional<std::chrono::milliseconds>
server_retry_delay(const http::headers& h, std::chrono::system_clock::time_point now) {
    using namespace std::chrono;
    auto number = [](std::string_view v, double& out) {
        while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
        while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
        if (v.empty() || v.size() > 15) return false;
        double x = 0, scale = 0;
        for (char c : v) {
            if (c == '.' && scale == 0) { scale = 1; continue; }
            if (c < '0' || c > '9') return false;
            if (scale > 0) { scale /= 10; x += (c - '0') * scale; }
            else x = x * 10 + (c - '0');
        }
        out = x;
        return true;
    };
    double n;
    if (auto ms = h.get("retry-after-ms"); ms && number(*ms, n)) return milliseconds(static_cast<std::int64_t>(n));
    if (auto ra = h.get("retry-after")) {
        if (number(*ra, n)) return milliseconds(static_cast<std::int64_t>(n * 1000));
        if (auto at = parse_http_date(*ra)) {
            auto base = now;
            if (auto d = h.get("date")) if (auto dt = parse_http_date(*d)) base = *dt;
            if (*at <= base) return milliseconds(0);
            return duration_cast<milliseconds>(*at - base);
        }
    }
    return std::nullopt;
}

/// The typed error for a non-2xx response. A malformed envelope never hides the status: the
/// error keeps its status type, says the envelope was malformed, and keeps a redacted excerpt.
inline error_info status_error(std::string_view endpoint, const http::response& resp,
                               const response_limits& lim) {
    error_info e(kind_for_status(resp.status), {});
    e.set_status(resp.status);
    std::string msg;
    msg.reserve(128);
    msg.append(endpoint).append(": HTTP ").append(std::to_string(resp.status));
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
    e.set_body_excerpt(excerpt(resp.body));
    e.set_headers(resp.headers);
    return e;
}

/// An `api_response_validation_error` for a 2xx that cannot be the declared result.
inline error_info validation_error(std::string_view endpoint, int status, const http::headers& headers,
                                   std::string_view body, std::string_view why, std::vector<api_message> errors = {},
                                   std::vector<api_message> messages = {}) {
    std::string msg;
    msg.append(endpoint).append(": invalid response (HTTP ").append(std::to_string(status)).append("): ");
    msg.append(why);
    append_api_messages(msg, errors);
    append_ray(msg, headers);
    error_info e(error_kind::api_response_validation, std::move(msg));
    e.set_status(status);
    e.set_errors(std::move(errors));
    e.set_messages(std::move(messages));
    e.set_body_excerpt(excerpt(body));
    e.set_headers(headers);
    return e;
}
inline error_info validation_error(std::string_view endpoint, const http::response& resp, std::string_view why,
                                   std::vector<api_message> errors = {}, std::vector<api_message> messages = {}) {
    return validation_error(endpoint, resp.status, resp.headers, resp.body, why, std::move(errors), std::move(messages));
}

/// A parsed 2xx envelope whose `success` is true and whose `result` is present.
struct checked_envelope {
    std::shared_ptr<json_document> doc;
    const boost::json::object* root = nullptr;
    const boost::json::value* result = nullptr;
};

/// Checks limits, media type, JSON, `success` and `result` of a 2xx response.
inline basic_result<checked_envelope, error_info>
check_envelope(std::string_view endpoint, const http::response& resp, const response_limits& lim) {
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
    if (!env.root) return validation_error(endpoint, resp, "the envelope is not a JSON object");

    json_reader r("envelope");
    std::optional<bool> success;
    r.read("success", env.root->if_contains("success"), success);
    if (r.ok() && !success) r.fail("success", "is missing");
    if (!r.ok()) return validation_error(endpoint, resp, r.error());
    if (!*success) {
        std::vector<api_message> errors, messages;
        read_api_messages(r, "errors", env.root->if_contains("errors"), errors);
        read_api_messages(r, "messages", env.root->if_contains("messages"), messages);
        if (!r.ok()) return validation_error(endpoint, resp, "`success` is false and " + r.error());
        return validation_error(endpoint, resp, "`success` is false", std::move(errors), std::move(messages));
    }
    env.result = env.root->if_contains("result");
    if (!env.result || env.result->is_null())
        return validation_error(endpoint, resp, "`result` is missing or null");
    return env;
}

/// A view of `v` that keeps the whole document alive.
inline raw_json share(const std::shared_ptr<json_document>& doc, const boost::json::value& v) {
    return raw_json(std::shared_ptr<const boost::json::value>(doc, &v));
}

} // namespace cloudflare::detail
