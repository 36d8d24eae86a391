// cloudflare-cpp (internal): what a call adds beyond its declaration: `request_options::extra_query`
// and `extra_body`, and the checks a JSON value of the caller's passes before it is sent.
#pragma once

#include <cloudflare/client_options.hpp>
#include <cloudflare/detail/json_parse.hpp>
#include <cloudflare/detail/request_builder.hpp>
#include <cloudflare/http.hpp>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cmath>
#include <string>
#include <string_view>

namespace cloudflare::detail {

inline bool valid_utf8(std::string_view s) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t len = utf8_sequence_length(p + i, s.size() - i);
        if (len == 0) return false;
        i += len;
    }
    return true;
}

/// The first place in `v` that cannot be sent as JSON (a string or key that is not UTF-8, a
/// number that is not finite), as "`where[2].key` is not valid UTF-8"; empty when all can.
/// Names the path, never the value.
inline std::string json_problem(const boost::json::value& v, const std::string& where) {
    switch (v.kind()) {
    case boost::json::kind::string:
        return valid_utf8(v.get_string()) ? std::string() : "`" + where + "` is not valid UTF-8";
    case boost::json::kind::double_:
        return std::isfinite(v.get_double()) ? std::string() : "`" + where + "` is not a finite number";
    case boost::json::kind::array: {
        const auto& a = v.get_array();
        for (std::size_t i = 0; i < a.size(); ++i)
            if (auto p = json_problem(a[i], where + "[" + std::to_string(i) + "]"); !p.empty()) return p;
        return {};
    }
    case boost::json::kind::object:
        for (const auto& kv : v.get_object()) {
            std::string at = where + "." + std::string(kv.key());
            if (!valid_utf8(kv.key())) return "a key in `" + where + "` is not valid UTF-8";
            if (auto p = json_problem(kv.value(), at); !p.empty()) return p;
        }
        return {};
    default:
        return {};
    }
}

/// Adds `extra` to the query of `url`: a name the URL already has loses its values there first.
/// Returns why it cannot, or empty.
inline std::string apply_extra_query(std::string& url, const query_params& extra) {
    for (const auto& [name, value] : extra) {
        if (name.empty()) return "request_options::extra_query: a parameter name is empty";
        if (!valid_utf8(name) || !valid_utf8(value))
            return "request_options::extra_query: `" + (valid_utf8(name) ? name : std::string("a name")) + "` is not valid UTF-8";
    }
    std::string encoded;
    for (const auto& [name, value] : extra) { // drop what the call sent under these names
        encoded.clear();
        percent_encode<is_query_safe>(encoded, name);
        encoded += '=';
        const auto q = url.find('?');
        if (q == std::string::npos) continue;
        std::string kept = url.substr(0, q);
        char sep = '?';
        for (std::size_t at = q + 1; at <= url.size();) {
            std::size_t end = std::min(url.find('&', at), url.size());
            std::string_view pair(url.data() + at, end - at);
            if (!pair.starts_with(encoded)) {
                kept += sep;
                kept.append(pair);
                sep = '&';
            }
            at = end + 1;
        }
        url = std::move(kept);
    }
    for (const auto& [name, value] : extra) {
        url += url.find('?') == std::string::npos ? '?' : '&';
        percent_encode<is_query_safe>(url, name);
        url += '=';
        percent_encode<is_query_safe>(url, value);
    }
    return {};
}

/// Merges `extra` into the JSON object `body` (an empty body becomes `{}`); same names replace.
/// Returns why it cannot, or empty.
inline std::string apply_extra_body(std::string& body, std::string_view content_type, const boost::json::object& extra) {
    for (const auto& kv : extra) {
        if (!valid_utf8(kv.key())) return "request_options::extra_body: a key is not valid UTF-8";
        if (auto p = json_problem(kv.value(), "extra_body." + std::string(kv.key())); !p.empty())
            return "request_options::" + p;
    }
    if (!body.empty() && content_type != "application/json")
        return "request_options::extra_body needs a JSON body; this call sends " + std::string(content_type);
    // The body may hold a secret of the request (a PSK, a private key): parsed into memory that
    // is wiped when freed, as responses are.
    boost::json::monotonic_resource mr(1024, boost::json::storage_ptr(wiping_upstream()));
    boost::json::object merged(&mr);
    if (!body.empty()) {
        boost::system::error_code ec;
        auto parsed = boost::json::parse(body, ec, &mr);
        if (ec || !parsed.is_object()) return "request_options::extra_body needs a JSON object body; this call's body is not one";
        merged = std::move(parsed.get_object());
    }
    for (const auto& kv : extra) merged[kv.key()] = kv.value();
    secure_wipe(body);
    body = boost::json::serialize(merged);
    return {};
}

} // namespace cloudflare::detail
