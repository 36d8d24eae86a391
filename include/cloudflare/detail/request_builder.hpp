// cloudflare-cpp (internal): turning an endpoint's declaration into a checked http::request.
#pragma once

#include <cloudflare/binary.hpp>
#include <cloudflare/client_options.hpp>
#include <cloudflare/detail/members.hpp>
#include <cloudflare/detail/redact.hpp>
#include <cloudflare/error.hpp>
#include <cloudflare/http.hpp>
#include <cloudflare/raw_json.hpp>
#include <cloudflare/timestamp.hpp>

#include <boost/json/serialize.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace cloudflare::detail {

// RFC 3986 pchar minus '%': what may stay unencoded inside one path segment.
constexpr bool is_path_safe(unsigned char c) noexcept {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
    switch (c) {
    case '-': case '.': case '_': case '~': case '!': case '$': case '&': case '\'': case '(':
    case ')': case '*': case '+': case ',': case ';': case '=': case ':': case '@': return true;
    default: return false;
    }
}
// Unreserved only: query names and values are encoded more strictly than path segments.
constexpr bool is_query_safe(unsigned char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

// Lookup tables built at compile time from the predicates above.
template <bool (*Safe)(unsigned char) noexcept>
struct safe_table {
    static constexpr auto value = [] {
        std::array<bool, 256> t{};
        for (unsigned c = 0; c < 256; ++c) t[c] = Safe(static_cast<unsigned char>(c));
        return t;
    }();
};

// Appends `in` percent-encoded: runs of safe bytes are copied at once.
template <bool (*Safe)(unsigned char) noexcept>
void percent_encode(std::string& out, std::string_view in) {
    constexpr const auto& safe = safe_table<Safe>::value;
    constexpr char hex[] = "0123456789ABCDEF";
    std::size_t run = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
        auto c = static_cast<unsigned char>(in[i]);
        if (safe[c]) continue;
        out.append(in.data() + run, i - run);
        out.push_back('%');
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 15]);
        run = i + 1;
    }
    out.append(in.data() + run, in.size() - run);
}

// RFC 9110 token characters: what a header name may contain.
constexpr bool is_tchar(unsigned char c) noexcept {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-':
    case '.': case '^': case '_': case '`': case '|': case '~': return true;
    default: return false;
    }
}
constexpr bool valid_header_name(std::string_view n) noexcept {
    if (n.empty()) return false;
    for (char c : n)
        if (!is_tchar(static_cast<unsigned char>(c))) return false;
    return true;
}
// RFC 9110 field values: no control character but HTAB (CR and LF would inject headers; the
// rest are invalid and handled differently by different servers and proxies). Every request
// checks every header, so printable ASCII, the common case, costs one comparison per byte.
constexpr bool valid_header_value(std::string_view v) noexcept {
    for (char ch : v) {
        auto c = static_cast<unsigned char>(ch);
        if (static_cast<unsigned char>(c - 0x20) < 0x5F) continue; // 0x20-0x7E
        if (c != '\t' && c < 0x80) return false;                  // obs-text (>= 0x80) is allowed
    }
    return true;
}

// Length of the well-formed UTF-8 sequence starting `p[0]` of `n` bytes (RFC 3629: no overlong
// form, no surrogate, nothing over U+10FFFF, nothing truncated), or 0.
constexpr std::size_t utf8_sequence_length(const unsigned char* p, std::size_t n) noexcept {
    auto cont = [&](std::size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) { return k < n && p[k] >= lo && p[k] <= hi; };
    const unsigned c = p[0];
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;        // no overlong
    if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;  // no surrogate
    if (c >= 0xE1 && c <= 0xEF) return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;       // no overlong
    if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0; // <= U+10FFFF
    return 0;
}

/// Appends JSON object members to a string; emits nothing for unset optionals. Keeps the first
/// field that cannot be sent (a string that is not UTF-8, an invalid date-time) for `finish_body`.
class json_body_writer {
public:
    explicit json_body_writer(std::string& out) : out_(out) {}

    void field(std::string_view name, std::string_view v) {
        key(name);
        if (!quote(v)) reject(name, "is not valid UTF-8");
    }
    void field(std::string_view name, std::int64_t v) { key(name); out_ += std::to_string(v); }
    void field(std::string_view name, bool v) { key(name); out_ += v ? "true" : "false"; }
    void field(std::string_view name, const date_time& v) {
        if (!v.valid()) reject(name, "is not an RFC 3339 date-time in years 0001-9999");
        key(name);
        quote(v.text());
    }
    void field(std::string_view name, const std::string& v) { field(name, std::string_view(v)); }
    void field(std::string_view name, const char* v) { field(name, std::string_view(v)); }
    template <class T>
    void field(std::string_view name, const std::optional<T>& v) {
        if (v) field(name, *v);
    }
    /// Generated parameter types: numbers, nested objects, arrays, maps and raw JSON.
    template <class T>
        requires(!std::is_convertible_v<const T&, std::string_view>)
    void field(std::string_view name, const T& v) {
        key(name);
        value(v);
    }
    /// The whole body is one value (an array, a union kept as JSON) rather than an object's members.
    template <class T>
    void whole(const T& v) {
        if constexpr (requires { v.has_value(); *v; }) {
            if (v) whole(*v);
        } else if constexpr (std::is_same_v<T, raw_json>) {
            if (v.has_value()) { // unset: no body
                open_ = true;
                value(v);
                open_ = false;
            }
        } else {
            open_ = true; // no braces: the value is the body
            value(v);
            open_ = false;
        }
    }
    /// Makes the body a JSON object even with no fields (`{}`), for methods that need one.
    void ensure_object() { open(); }
    void finish() { if (open_) out_ += '}'; }
    /// The first field that cannot be sent (empty when all can) and why, e.g. "is not valid UTF-8".
    std::string_view invalid_field() const noexcept { return error_field_; }
    std::string_view invalid_reason() const noexcept { return error_reason_; }

private:
    void value(std::string_view v) { quote(v); }
    void value(const std::string& v) { quote(v); }
    void value(const char* v) { quote(v); }
    void value(std::int64_t v) { out_ += std::to_string(v); }
    void value(bool v) { out_ += v ? "true" : "false"; }
    void value(double v) {
        if (!std::isfinite(v)) { if (error_field_.empty()) error_field_ = "a number"; out_ += "null"; return; }
        char buf[32];
        int n = std::snprintf(buf, sizeof buf, "%.17g", v);
        out_.append(buf, static_cast<std::size_t>(n));
    }
    void value(const date_time& v) {
        if (!v.valid() && error_field_.empty()) error_field_ = "a date-time";
        quote(v.text());
    }
    void value(const raw_json& v) { out_ += boost::json::serialize(v.value()); }
    template <class T>
    void value(const std::vector<T>& v) {
        out_ += '[';
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (i) out_ += ',';
            value(v[i]);
        }
        out_ += ']';
    }
    template <class T>
    void value(const std::map<std::string, T>& v) {
        json_body_writer inner(out_);
        inner.ensure_object();
        for (const auto& [k, x] : v) inner.field(k, x);
        inner.finish();
        if (error_field_.empty()) error_field_ = inner.error_field_;
    }
    template <class... Ts>
    void value(const std::variant<Ts...>& v) {
        std::visit([&](const auto& x) { value(x); }, v);
    }
    void value(std::monostate) { out_ += "null"; }
    /// A generated tagged union: the alternative set, or the JSON it was read from.
    template <class T>
        requires requires { T::tag_key; T::tags; }
    void value(const T& v) {
        if (v.value.index() == 0) value(v.raw);
        else value(v.value);
    }
    template <class T>
        requires member_struct<T>
    void value(const T& v) {
        json_body_writer inner(out_);
        inner.ensure_object();
        for_each_member(v, [&](std::string_view k, const auto& m) { inner.field(k, m); });
        inner.finish();
        if (error_field_.empty()) error_field_ = inner.error_field_;
    }
    void open() {
        if (!open_) out_ += '{';
        open_ = true;
    }
    void key(std::string_view name) {
        open();
        if (any_) out_ += ',';
        any_ = true;
        quote(name);
        out_ += ':';
    }
    void reject(std::string_view name, std::string_view reason) {
        if (error_field_.empty()) { error_field_ = name; error_reason_ = reason; }
    }
    // Appends `s` as a JSON string, copying runs that need no escape at once; false when `s`
    // is not UTF-8 (JSON text must be), which fails the request before it is sent.
    bool quote(std::string_view s) {
        constexpr char hex[] = "0123456789abcdef";
        const auto* p = reinterpret_cast<const unsigned char*>(s.data());
        const std::size_t n = s.size();
        std::size_t run = 0, i = 0;
        out_ += '"';
        while (i < n) {
            const unsigned c = p[i];
            if (c >= 0x80) {
                const std::size_t len = utf8_sequence_length(p + i, n - i);
                if (len == 0) return false;
                i += len;
                continue;
            }
            if (c >= 0x20 && c != '"' && c != '\\') { ++i; continue; }
            out_.append(s.data() + run, i - run);
            switch (c) {
            case '"': out_ += "\\\""; break;
            case '\\': out_ += "\\\\"; break;
            case '\n': out_ += "\\n"; break;
            case '\r': out_ += "\\r"; break;
            case '\t': out_ += "\\t"; break;
            default:
                out_ += "\\u00";
                out_ += hex[c >> 4];
                out_ += hex[c & 15];
            }
            run = ++i;
        }
        out_.append(s.data() + run, n - run);
        out_ += '"';
        return true;
    }
    std::string& out_;
    bool open_ = false; // '{' written
    bool any_ = false;  // a member written
    std::string_view error_field_, error_reason_;
};

/// What an endpoint's `describe` function writes into: path segments, query, JSON body.
/// Keeps the first problem (empty or unsafe parameter, both or neither scope) for `finish`.
class request_builder {
public:
    explicit request_builder(http::request& req) : req_(req), body_(req.body) {}

    /// Appends literal path text (from the endpoint's declaration, never from user input).
    request_builder& path(std::string_view literal) { req_.url += literal; return *this; }
    /// Appends one user-supplied path segment, percent-encoded; rejects empty, ".", "..".
    request_builder& param(std::string_view name, std::string_view value) {
        if (value.empty()) fail(std::string("Expected a non-empty value for `").append(name).append("`"));
        else if (value == "." || value == "..")
            fail(std::string("`").append(name).append("` must not be `.` or `..`"));
        else percent_encode<is_path_safe>(req_.url, value);
        return *this;
    }
    /// Appends `/accounts/{account_id}` or `/zones/{zone_id}`; exactly one must be set.
    request_builder& scope(const std::optional<std::string>& account_id, const std::optional<std::string>& zone_id) {
        if (account_id && zone_id) fail("You cannot provide both account_id and zone_id");
        else if (!account_id && !zone_id) fail("You must provide either account_id or zone_id");
        else if (account_id) path("/accounts/").param("account_id", *account_id);
        else path("/zones/").param("zone_id", *zone_id);
        return *this;
    }
    /// Appends `name=value` to the query (both encoded); skips unset optionals.
    request_builder& query(std::string_view name, std::string_view value) {
        req_.url += has_query_ ? '&' : '?';
        has_query_ = true;
        percent_encode<is_query_safe>(req_.url, name);
        req_.url += '=';
        percent_encode<is_query_safe>(req_.url, value);
        return *this;
    }
    request_builder& query(std::string_view name, const std::string& value) { return query(name, std::string_view(value)); }
    request_builder& query(std::string_view name, std::int64_t value) {
        return query(name, std::string_view(std::to_string(value)));
    }
    request_builder& query(std::string_view name, const std::optional<std::string>& v) {
        return v ? query(name, std::string_view(*v)) : *this;
    }
    request_builder& query(std::string_view name, const std::optional<std::int64_t>& v) {
        return v ? query(name, *v) : *this;
    }
    request_builder& query(std::string_view name, bool v) { return query(name, std::string_view(v ? "true" : "false")); }
    request_builder& query(std::string_view name, double v) {
        char buf[32];
        int n = std::snprintf(buf, sizeof buf, "%.17g", v);
        return query(name, std::string_view(buf, static_cast<std::size_t>(n)));
    }
    request_builder& query(std::string_view name, const date_time& v) {
        if (!v.valid()) fail(std::string("`").append(name).append("` is not an RFC 3339 date-time"));
        return query(name, std::string_view(v.text()));
    }
    request_builder& query(std::string_view name, const raw_json& v) {
        return query(name, std::string_view(boost::json::serialize(v.value())));
    }
    /// A union: the alternative that is set.
    template <class... Ts>
    request_builder& query(std::string_view name, const std::variant<Ts...>& v) {
        std::visit([&](const auto& x) { query(name, x); }, v);
        return *this;
    }
    /// An array: one `name=value` per element (form style, exploded).
    template <class T>
    request_builder& query(std::string_view name, const std::vector<T>& v) {
        for (const auto& x : v) query(name, x);
        return *this;
    }
    template <class T>
    request_builder& query(std::string_view name, const std::optional<T>& v) {
        return v ? query(name, *v) : *this;
    }
    /// An object parameter: OpenAPI's default (form, exploded) sends each member as its own
    /// `key=value`; `deep` (style deepObject) sends `name[key]=value`.
    template <class T>
        requires member_struct<T>
    request_builder& query(std::string_view name, const T& v, bool deep = false) {
        for_each_member(v, [&](std::string_view k, const auto& m) {
            if (deep) query(std::string(name).append("[").append(k).append("]"), m);
            else query(k, m);
        });
        return *this;
    }
    /// The JSON body; fields written here make the request carry `Content-Type: application/json`.
    json_body_writer& body() noexcept { return body_; }
    /// A body that is not JSON, sent as given with its own media type.
    void bytes(const binary_body& b) {
        req_.body = b.data;
        content_type_ = b.content_type;
        if (content_type_.empty() || !valid_header_value(content_type_))
            fail("a binary body needs a content_type without CR, LF or NUL");
    }
    void bytes(const std::optional<binary_body>& b) { if (b) bytes(*b); }
    /// The media type of the body: JSON unless `bytes` set another.
    std::string_view content_type() const noexcept {
        if (content_type_.empty()) return "application/json";
        return content_type_;
    }

    const std::string& error() const noexcept { return error_; }
    void fail(std::string message) { if (error_.empty()) error_ = std::move(message); }

    void finish_body() {
        body_.finish();
        if (auto f = body_.invalid_field(); !f.empty())
            fail(std::string("`").append(f).append("` ").append(body_.invalid_reason()));
    }

private:
    http::request& req_;
    json_body_writer body_;
    bool has_query_ = false;
    std::string error_;
    std::string content_type_; // set only for binary bodies
};

inline error_info argument_error(std::string message) {
    return error_info(error_kind::invalid_argument, std::move(message));
}

/// Adds the authentication headers the options call for.
inline std::optional<error_info> add_auth_headers(http::headers& h, const client_options& o,
                                                  bool accepts_user_service_key) {
    if (!o.api_token.empty()) {
        std::string v;
        v.reserve(7 + o.api_token.size());
        v.append("Bearer ").append(o.api_token.reveal());
        h.emplace_back("Authorization", std::move(v));
    } else if (!o.api_key.empty() || !o.api_email.empty()) {
        if (o.api_key.empty() || o.api_email.empty())
            return argument_error("api_key and api_email must be set together (CLOUDFLARE_API_KEY, CLOUDFLARE_EMAIL)");
        h.emplace_back("X-Auth-Key", std::string(o.api_key.reveal()));
        h.emplace_back("X-Auth-Email", std::string(o.api_email.reveal()));
    } else if (!o.user_service_key.empty()) {
        if (!accepts_user_service_key)
            return argument_error("this endpoint does not accept a user service key (Origin CA only): "
                                  "set api_token, or api_key and api_email");
        h.emplace_back("X-Auth-User-Service-Key", std::string(o.user_service_key.reveal()));
    } else {
        return argument_error("no credentials: set client_options::api_token (CLOUDFLARE_API_TOKEN), "
                              "or api_key and api_email (CLOUDFLARE_API_KEY, CLOUDFLARE_EMAIL)");
    }
    return std::nullopt;
}

/// A copy of `h` for observers and errors: values of sensitive headers (`sensitive_header`)
/// replaced by "[REDACTED]", secret-shaped text redacted in the others.
inline http::headers redact_headers(const http::headers& h) {
    http::headers out;
    out.reserve(h.size());
    for (const auto& f : h) out.emplace_back(f.name, redact_header_value(f.name, f.value));
    return out;
}

/// Checks every header for a valid name and a value without control characters (CR and LF
/// would inject headers); the message names the header, never its value.
inline std::optional<error_info> check_headers(const http::headers& h) {
    for (const auto& f : h) {
        if (!valid_header_name(f.name))
            return argument_error("invalid header name (must be a non-empty RFC 9110 token)");
        if (!valid_header_value(f.value))
            return argument_error(std::string("header `").append(f.name).append("` contains a control character (CR, LF, NUL, ...)"));
    }
    return std::nullopt;
}

/// The base URL without trailing slashes, or an error when it is not an absolute http(s) URL
/// without query or fragment.
inline std::optional<error_info> check_base_url(std::string_view base, std::string_view& trimmed) {
    while (!base.empty() && base.back() == '/') base.remove_suffix(1);
    bool bad_char = false;
    for (char c : base) bad_char |= c == '?' || c == '#' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (bad_char || !http::split_url(base))
        return argument_error("base_url must be an absolute http:// or https:// URL without query or fragment");
    trimmed = base;
    return std::nullopt;
}

} // namespace cloudflare::detail
