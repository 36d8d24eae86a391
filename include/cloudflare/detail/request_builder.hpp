// cloudflare-cpp (internal): turning an endpoint's declaration into a checked http::request.
#pragma once

#include <cloudflare/binary.hpp>
#include <cloudflare/client_options.hpp>
#include <cloudflare/detail/members.hpp>
#include <cloudflare/detail/redact.hpp>
#include <cloudflare/error.hpp>
#include <cloudflare/http.hpp>
#include <cloudflare/nullable.hpp>
#include <cloudflare/one_of.hpp>
#include <cloudflare/raw_json.hpp>
#include <cloudflare/timestamp.hpp>

#include <boost/json/value.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <concepts>
#include <cstdint>
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

template <std::integral I>
void append_integer(std::string& out, I v) {
    char buf[24];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}
// Appends `v` in the shortest form that reads back as the same double (`0.1`, not
// `0.10000000000000001`); false, appending nothing, for NaN and infinities, which neither JSON
// nor a query can carry.
inline bool append_number(std::string& out, double v) {
    if (!std::isfinite(v)) return false;
    // A whole number below 2^53 as an integer: the shortest form of 1700000000.0 is "1.7e+09",
    // which a server reading an integer (a Unix time, a TTL) may refuse; Python's SDK sends digits.
    if (std::abs(v) < 9007199254740992.0 && v == std::trunc(v)) {
        append_integer(out, static_cast<std::int64_t>(v));
        return true;
    }
    char buf[32]; // the longest shortest form, "-2.2250738585072014e-308", has 24
    out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
    return true;
}

/// What the body writer does with a whole-body member left unset.
enum class unset_body {
    omit,         ///< no body (the schema does not require one, or the method carries none)
    empty_object, ///< `{}`: the schema requires a body and an empty object satisfies it
    refuse,       ///< invalid_argument: the schema requires a body `{}` does not satisfy
};

/// Appends JSON object members to a string; emits nothing for unset optionals. Keeps the first
/// value that cannot be sent (a string that is not UTF-8, an invalid date-time, a NaN) with its
/// path (`domains[1]`, `http_config.header["X-A"][0]`) for `finish_body`; never the value itself.
class json_body_writer {
public:
    explicit json_body_writer(std::string& out) : out_(out) {}

    /// Writes `name: v`; unset optionals write nothing.
    template <class T>
    void field(std::string_view name, const T& v) {
        const bool before = failed();
        key(name);
        value(v);
        if (!before && failed()) prepend_member(name);
    }
    template <class T>
    void field(std::string_view name, const std::optional<T>& v) {
        if (v) field(name, *v);
    }
    /// A nullable member: its value, `null` when it holds `cloudflare::null`, nothing when unset.
    template <class T>
    void field(std::string_view name, const nullable<T>& v) {
        if (v) {
            field(name, *v);
        } else if (v.is_null()) {
            key(name);
            out_ += "null";
        }
    }
    /// The whole body is one value (an array, a union kept as JSON) rather than an object's
    /// members; `if_unset` says what an unset one (an empty optional, a default `raw_json`) sends.
    template <class T>
    void whole(const T& v, unset_body if_unset = unset_body::omit) {
        bool set = true;
        // optionals and raw_json both say whether they hold a value
        if constexpr (requires { v.has_value(); }) set = v.has_value();
        if (!set) {
            if (if_unset == unset_body::empty_object) ensure_object();
            else if (if_unset == unset_body::refuse) fail_at("body", "is required (this call's schema needs a JSON body)");
            return;
        }
        open_ = true; // no braces: the value is the body
        const bool before = failed();
        if constexpr (requires { v.has_value(); *v; }) value(*v);
        else value(v);
        if (!before && failed()) prepend_member("body");
        open_ = false;
    }
    /// Makes the body a JSON object even with no fields (`{}`), for methods that need one.
    void ensure_object() { open(); }
    void finish() { if (open_) out_ += '}'; }
    /// True once a value could not be written.
    bool failed() const noexcept { return !error_reason_.empty(); }
    /// Where the first value that cannot be sent is (`domains[1]`; empty when all can), and why
    /// (e.g. "is not valid UTF-8").
    const std::string& invalid_field() const noexcept { return error_path_; }
    std::string_view invalid_reason() const noexcept { return error_reason_; }

private:
    // JSON nesting a raw_json value may have here (a deeper one is refused, not recursed into).
    static constexpr int max_json_depth = 256;

    void value(std::string_view v) { if (!quote(v)) fail_here("is not valid UTF-8"); }
    void value(const std::string& v) { value(std::string_view(v)); }
    void value(const char* v) { value(std::string_view(v)); }
    void value(bool v) { out_ += v ? "true" : "false"; }
    template <std::integral I>
    void value(I v) { append_integer(out_, v); }
    void value(double v) {
        if (!append_number(out_, v)) {
            out_ += "null";
            fail_here("is not a finite number");
        }
    }
    void value(const date_time& v) {
        if (!v.valid()) fail_here("is not an RFC 3339 date-time in years 0001-9999");
        quote(v.text());
    }
    void value(const raw_json& v) { json(v.value(), 0); }
    template <class T>
    void value(const std::vector<T>& v) {
        out_ += '[';
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (i) out_ += ',';
            const bool before = failed();
            value(v[i]);
            if (!before && failed()) prepend_index(i);
        }
        out_ += ']';
    }
    template <class T>
    void value(const std::map<std::string, T>& v) {
        json_body_writer inner(out_);
        inner.ensure_object();
        std::size_t i = 0;
        for (const auto& kv : v) inner.entry(kv.first, i++, [&] { inner.value(kv.second); });
        inner.finish();
        adopt(inner);
    }
    template <class... Ts>
    void value(const std::variant<Ts...>& v) {
        std::visit([&](const auto& x) { value(x); }, v);
    }
    template <class... Ts>
    void value(const one_of<Ts...>& v) {
        v.visit([&](const auto& x) { value(x); });
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
        adopt(inner);
    }
    // A JSON value a raw_json member holds, written with the checks typed members get.
    void json(const boost::json::value& v, int depth) {
        switch (v.kind()) {
        case boost::json::kind::null: out_ += "null"; break;
        case boost::json::kind::bool_: value(v.get_bool()); break;
        case boost::json::kind::int64: value(v.get_int64()); break;
        case boost::json::kind::uint64: value(v.get_uint64()); break;
        case boost::json::kind::double_: value(v.get_double()); break;
        case boost::json::kind::string: value(std::string_view(v.get_string().data(), v.get_string().size())); break;
        case boost::json::kind::array: {
            if (depth >= max_json_depth) { fail_here("is nested too deeply"); return; }
            const auto& a = v.get_array();
            out_ += '[';
            for (std::size_t i = 0; i < a.size(); ++i) {
                if (i) out_ += ',';
                const bool before = failed();
                json(a[i], depth + 1);
                if (!before && failed()) prepend_index(i);
            }
            out_ += ']';
            break;
        }
        case boost::json::kind::object: {
            if (depth >= max_json_depth) { fail_here("is nested too deeply"); return; }
            json_body_writer inner(out_);
            inner.ensure_object();
            std::size_t i = 0;
            for (const auto& m : v.get_object())
                inner.entry(std::string_view(m.key().data(), m.key().size()), i++, [&] { inner.json(m.value(), depth + 1); });
            inner.finish();
            adopt(inner);
            break;
        }
        }
    }
    // One member of a map or of an object kept as JSON: the key is the caller's data, so a path
    // shows it only when it is short printable text, and its position otherwise.
    template <class F>
    void entry(std::string_view k, std::size_t i, F&& write_value) {
        const bool before = failed();
        if (!key(k)) {
            fail_here("has a key that is not valid UTF-8");
            return;
        }
        write_value();
        if (before || !failed()) return;
        bool shown = k.size() <= 64;
        for (char c : k) shown = shown && c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '`';
        std::string seg = shown ? std::string("[\"").append(k).append("\"]") : "[#" + std::to_string(i) + "]";
        error_path_.insert(0, seg);
    }
    void open() {
        if (!open_) out_ += '{';
        open_ = true;
    }
    // Writes `"name":`; false when the name is not UTF-8 (only a map's or raw JSON's key can be).
    bool key(std::string_view name) {
        open();
        if (any_) out_ += ',';
        any_ = true;
        const bool ok = quote(name);
        out_ += ':';
        return ok;
    }
    // The first failure's reason, with an empty path that the enclosing values prefix as the
    // failure propagates out (`[1]`, then `domains`).
    void fail_here(std::string_view reason) {
        if (!failed()) error_reason_ = reason;
    }
    void fail_at(std::string_view name, std::string_view reason) {
        if (failed()) return;
        error_reason_ = reason;
        error_path_ = name;
    }
    void prepend_member(std::string_view name) {
        if (!error_path_.empty() && error_path_.front() != '[') error_path_.insert(0, 1, '.');
        error_path_.insert(0, name);
    }
    void prepend_index(std::size_t i) {
        if (!error_path_.empty() && error_path_.front() != '[') error_path_.insert(0, 1, '.');  // `[1].name`
        error_path_.insert(0, "[" + std::to_string(i) + "]");
    }
    // Takes a nested object's failure as this one's (the caller prefixes the member's name).
    void adopt(json_body_writer& inner) {
        if (failed() || !inner.failed()) return;
        error_reason_ = inner.error_reason_;
        error_path_ = std::move(inner.error_path_);
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
    std::string error_path_;
    std::string_view error_reason_; // a string literal
};

// The text of one scalar in a query or a header (`2`, `0.1`, `true`, a JSON string's
// characters), appended to `out`; null when done, else why it has none (the caller names the
// parameter).
inline const char* text_of(std::string_view v, std::string& out) { out.append(v); return nullptr; }
inline const char* text_of(const std::string& v, std::string& out) { out.append(v); return nullptr; }
template <std::same_as<bool> B> // exactly bool: a pointer (a string literal) must not become "true"
const char* text_of(B v, std::string& out) { out.append(v ? "true" : "false"); return nullptr; }
inline const char* text_of(std::int64_t v, std::string& out) { append_integer(out, v); return nullptr; }
inline const char* text_of(double v, std::string& out) { return append_number(out, v) ? nullptr : "is not a finite number"; }
inline const char* text_of(const date_time& v, std::string& out) {
    if (!v.valid()) return "is not an RFC 3339 date-time";
    out.append(v.text());
    return nullptr;
}
/// An untyped value: only a JSON scalar has a text.
inline const char* json_text_of(const boost::json::value& v, std::string& out) {
    switch (v.kind()) {
    case boost::json::kind::string: out.append(v.get_string().data(), v.get_string().size()); return nullptr;
    case boost::json::kind::bool_: return text_of(v.get_bool(), out);
    case boost::json::kind::int64: return text_of(v.get_int64(), out);
    case boost::json::kind::uint64: append_integer(out, v.get_uint64()); return nullptr;
    case boost::json::kind::double_: return text_of(v.get_double(), out);
    default: return "must be a string, number or boolean (or an array of them) to be sent in a URL or header";
    }
}
inline const char* text_of(const raw_json& v, std::string& out) { return json_text_of(v.value(), out); }
template <class... Ts>
const char* text_of(const std::variant<Ts...>& v, std::string& out) {
    return std::visit([&](const auto& x) { return text_of(x, out); }, v);
}
template <class... Ts>
const char* text_of(const one_of<Ts...>& v, std::string& out) {
    return v.visit([&](const auto& x) { return text_of(x, out); });
}

/// How an array query parameter is sent: OpenAPI's `style: form` with `explode: true` (the
/// default: `ids=1&ids=2`) or `explode: false` (`ids=1,2`).
enum class query_array { repeated, comma_joined };

/// What an endpoint's `describe` function writes into: path segments, query, header
/// parameters, JSON body. Keeps the first problem (empty or unsafe parameter, both or neither
/// scope, a value that cannot be sent) for `finish`.
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
    /// Appends a user-supplied path of segments joined by `/`, each percent-encoded as `param`
    /// encodes one (a Workers AI model name, `@cf/meta/llama-3.1-8b-instruct`, which the API routes
    /// by its literal slashes; codegen/annotations.json, "path_segments"). Rejects an empty value
    /// and an empty, `.` or `..` segment, so no input can move a request off its endpoint's path.
    request_builder& segments(std::string_view name, std::string_view value) {
        if (value.empty()) {
            fail(std::string("Expected a non-empty value for `").append(name).append("`"));
            return *this;
        }
        // A refused segment fails the request, so what was appended before it is never sent.
        for (std::string_view rest = value;;) {
            const auto slash = rest.find('/');
            const std::string_view seg = rest.substr(0, slash);
            if (seg.empty() || seg == "." || seg == "..") {
                fail(std::string("`").append(name).append("` must not have an empty, `.` or `..` segment"));
                return *this;
            }
            percent_encode<is_path_safe>(req_.url, seg);
            if (slash == std::string_view::npos) return *this;
            req_.url += '/';
            rest.remove_prefix(slash + 1);
        }
    }
    /// Appends `/accounts/{account_id}` or `/zones/{zone_id}`; exactly one must be set.
    request_builder& scope(const std::optional<std::string>& account_id, const std::optional<std::string>& zone_id) {
        if (account_id && zone_id) fail("You cannot provide both account_id and zone_id");
        else if (!account_id && !zone_id) fail("You must provide either account_id or zone_id");
        else if (account_id) path("/accounts/").param("account_id", *account_id);
        else path("/zones/").param("zone_id", *zone_id);
        return *this;
    }
    /// Appends `name=value` to the query (both encoded).
    request_builder& query(std::string_view name, std::string_view value) {
        req_.url += has_query_ ? '&' : '?';
        has_query_ = true;
        percent_encode<is_query_safe>(req_.url, name);
        req_.url += '=';
        percent_encode<is_query_safe>(req_.url, value);
        return *this;
    }
    request_builder& query(std::string_view name, const std::string& value) { return query(name, std::string_view(value)); }
    /// A number, boolean, date-time or untyped value: its text (`2`, `0.1`, `true`, a JSON string's
    /// characters). A NaN, an invalid date-time or a JSON object fails the request.
    template <class T>
        requires requires(std::string& s, const T& v) { detail::text_of(v, s); }
    request_builder& query(std::string_view name, const T& v) {
        if constexpr (std::is_same_v<T, raw_json>) {
            return query(name, v, query_array::repeated);
        } else {
            std::string text;
            if (checked_text(name, text_of(v, text))) query(name, std::string_view(text));
            return *this;
        }
    }
    /// A union: the alternative that is set.
    template <class... Ts>
    request_builder& query(std::string_view name, const std::variant<Ts...>& v) {
        std::visit([&](const auto& x) { query(name, x); }, v);
        return *this;
    }
    template <class... Ts>
    request_builder& query(std::string_view name, const one_of<Ts...>& v) {
        v.visit([&](const auto& x) { query(name, x); });
        return *this;
    }
    /// An array, sent as its schema's style says.
    template <class T>
    request_builder& query(std::string_view name, const std::vector<T>& v, query_array style = query_array::repeated) {
        return query_each(name, v, style);
    }
    /// An array of objects (`filters=[{key, operator, value}]`): each element's members as
    /// `name.key=value`, element after element, as the official SDKs send them (dotted names,
    /// arrays repeated).
    template <class T>
        requires member_struct<T>
    request_builder& query(std::string_view name, const std::vector<T>& v, query_array = query_array::repeated) {
        for (const auto& x : v)
            for_each_member(x, [&](std::string_view k, const auto& m) { query(std::string(name).append(".").append(k), m); });
        return *this;
    }
    /// An untyped value: a scalar's text, an array's elements as `style` says.
    request_builder& query(std::string_view name, const raw_json& v, query_array style) {
        if (!v.has_value()) return *this;
        if (const auto* a = v.value().if_array()) return query_each(name, *a, style);
        std::string text;
        if (checked_text(name, json_text_of(v.value(), text))) query(name, std::string_view(text));
        return *this;
    }
    template <class T, class... Style>
    request_builder& query(std::string_view name, const std::optional<T>& v, Style... style) {
        return v ? query(name, *v, style...) : *this;
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
    /// A header parameter (`Upload-Length` on a TUS upload): sent when set, as text, and checked
    /// with every other header (no CR, LF or other control character). A required one left
    /// unset (`member` names it) must come from request_options or default_headers instead.
    template <class T>
    request_builder& header(std::string_view name, const std::optional<T>& v, std::string_view member = {}) {
        std::string text;
        if (v && checked_text(name, text_of(*v, text))) req_.headers.emplace_back(std::string(name), std::move(text));
        else if (!v && !member.empty()) required_headers_.emplace_back(name, member);
        return *this;
    }
    /// Fails the request when a required header parameter left unset in params was not given
    /// in `h` either (the request's headers once per-call and default headers are in).
    void check_required_headers(const http::headers& h) {
        for (const auto& [name, member] : required_headers_)
            if (!h.contains(name)) fail(std::string("`").append(member).append("` is required (header `").append(name).append("`)"));
    }
    /// Fails the request when required nullable member `member` is unset (`cloudflare::null`
    /// counts as set).
    template <class T>
    request_builder& require(std::string_view member, const nullable<T>& v) {
        if (!v && !v.is_null()) fail(std::string("`").append(member).append("` is required (a value, or cloudflare::null)"));
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
    /// Makes the body `multipart/form-data` (RFC 7578), of the parts `part` and `parts` add, in
    /// order; a form with no part set is sent as an empty form.
    request_builder& multipart() {
        // Through a pointer set only here: a TU whose calls send no form never compiles the
        // form's encoder (finish_form), which every call would otherwise pay for.
        finish_form_ = [](request_builder& b) { b.finish_form(); };
        return *this;
    }
    /// One part named `name`: a `file_part` with its filename and media type; a string, number,
    /// boolean or date-time as its text; any other value (an object, an array, `raw_json`) as
    /// JSON, `Content-Type: application/json`. An unset optional adds nothing.
    template <class T>
    request_builder& part(std::string_view name, const T& v) {
        multipart();
        form_part fp;
        fp.name = std::string(name);
        if constexpr (std::is_same_v<T, file_part>) {
            fp.filename = v.filename;
            fp.content_type = v.content_type.empty() ? "application/octet-stream" : v.content_type;
            fp.borrowed = v.data;
            fp.is_file = true;
        } else if constexpr (std::is_same_v<T, std::string>) {
            fp.borrowed = v;
        } else if constexpr (!std::is_same_v<T, raw_json> && requires(std::string& s) { detail::text_of(v, s); }) {
            if (!checked_text(name, text_of(v, fp.owned))) return *this;
            fp.owns = true;
        } else {
            json_body_writer w(fp.owned);
            w.whole(v);
            w.finish();
            fp.owns = true;
            fp.content_type = "application/json";
            if (w.failed()) {
                std::string where(name);
                if (w.invalid_field() != "body") where.append(w.invalid_field().substr(4)); // "body[0]" -> "name[0]"
                fail(std::string("`").append(where).append("` ").append(w.invalid_reason()));
                secure_wipe(fp.owned);
                return *this;
            }
        }
        parts_.push_back(std::move(fp));
        return *this;
    }
    template <class T>
    request_builder& part(std::string_view name, const std::optional<T>& v) {
        multipart();
        return v ? part(name, *v) : *this;
    }
    /// A union: the alternative that is set, as that alternative's part.
    template <class... Ts>
    request_builder& part(std::string_view name, const std::variant<Ts...>& v) {
        std::visit([&](const auto& x) { part(name, x); }, v);
        return *this;
    }
    template <class... Ts>
    request_builder& part(std::string_view name, const one_of<Ts...>& v) {
        v.visit([&](const auto& x) { part(name, x); });
        return *this;
    }
    /// Parts named by a map's keys (a Worker's modules: part name to file), in key order;
    /// `member` names the map in an error.
    template <class T>
    request_builder& parts(const std::map<std::string, T>& m, std::string_view member) {
        multipart();
        for (const auto& [k, v] : m) {
            if (k.empty()) fail(std::string("`").append(member).append("` has a part with an empty name"));
            else part(k, v);
        }
        return *this;
    }
    template <class T>
    request_builder& parts(const std::optional<std::map<std::string, T>>& m, std::string_view member) {
        multipart();
        return m ? parts(*m, member) : *this;
    }

    /// The media type of the body: JSON unless `bytes` set another.
    std::string_view content_type() const noexcept {
        if (content_type_.empty()) return "application/json";
        return content_type_;
    }

    const std::string& error() const noexcept { return error_; }
    void fail(std::string message) { if (error_.empty()) error_ = std::move(message); }

    void finish_body() {
        if (finish_form_) {
            finish_form_(*this);
            return;
        }
        body_.finish();
        if (body_.failed()) fail(std::string("`").append(body_.invalid_field()).append("` ").append(body_.invalid_reason()));
    }

private:
    // One part of a multipart body: its bytes are the caller's (borrowed: params outlive the
    // build) or text made here (owned, wiped once copied: a Worker's metadata holds secrets).
    struct form_part {
        std::string name, filename, content_type, owned;
        std::string_view borrowed;
        bool owns = false, is_file = false;
        std::string_view data() const noexcept { return owns ? std::string_view(owned) : borrowed; }
    };
    // A name or filename goes inside quotes in Content-Disposition.
    static bool quotable(std::string_view s) noexcept { return s.find_first_of(std::string_view("\"\r\n\0", 4)) == std::string_view::npos; }

    // The boundary is the first `cloudflare-cpp-form-<16 hex digits>` (counting from 0) that
    // occurs in no part: any occurrence starts with the prefix, so noting the 16 characters after
    // each occurrence of the prefix rules out every candidate the data holds, in one pass.
    void finish_form() {
        static constexpr std::string_view prefix = "cloudflare-cpp-form-";
        std::vector<std::string_view> taken;
        auto scan = [&](std::string_view s) {
            for (auto at = s.find(prefix); at != std::string_view::npos; at = s.find(prefix, at + 1))
                taken.push_back(s.substr(at + prefix.size(), 16));
        };
        std::size_t size = 64;
        for (const auto& p : parts_) {
            if (!quotable(p.name)) fail(std::string("a multipart part name must not hold a quote, CR, LF or NUL (part ").append(std::to_string(&p - parts_.data() + 1)).append(")"));
            else if (!quotable(p.filename)) fail(std::string("`").append(p.name).append("`: a file name must not hold a quote, CR, LF or NUL"));
            else if (!valid_header_value(p.content_type)) fail(std::string("`").append(p.name).append("`: a content_type must not hold CR, LF or NUL"));
            scan(p.data());
            size += p.name.size() + p.filename.size() + p.content_type.size() + p.data().size() + 128;
        }
        std::sort(taken.begin(), taken.end());
        std::string boundary(prefix);
        for (std::uint64_t i = 0;; ++i) {
            boundary.resize(prefix.size());
            static constexpr char hex[] = "0123456789abcdef";
            for (int shift = 60; shift >= 0; shift -= 4) boundary += hex[(i >> shift) & 0xf];
            if (!std::binary_search(taken.begin(), taken.end(), std::string_view(boundary).substr(prefix.size()))) break;
        }
        std::string& out = req_.body;
        out.reserve(size);
        for (const auto& p : parts_) {
            out.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(p.name).append("\"");
            if (p.is_file) out.append("; filename=\"").append(p.filename).append("\"");
            out.append("\r\n");
            if (!p.content_type.empty()) out.append("Content-Type: ").append(p.content_type).append("\r\n");
            out.append("\r\n").append(p.data()).append("\r\n");
        }
        out.append("--").append(boundary).append("--\r\n");
        for (auto& p : parts_) secure_wipe(p.owned);
        parts_.clear();
        content_type_ = "multipart/form-data; boundary=" + boundary;
    }

    // True when a value had a text; else fails the request with why, naming the parameter.
    bool checked_text(std::string_view name, const char* why) {
        if (why) fail(std::string("`").append(name).append("` ").append(why));
        return !why;
    }
    // Every element of an array: `name=a&name=b` (repeated) or `name=a,b` (each element
    // percent-encoded, so a comma inside one stays apart from the separator).
    template <class Array>
    request_builder& query_each(std::string_view name, const Array& a, query_array style) {
        std::string text;
        bool first = true;
        for (const auto& x : a) {
            text.clear();
            const char* why = nullptr;
            if constexpr (std::is_same_v<std::decay_t<decltype(x)>, boost::json::value>) why = json_text_of(x, text);
            else why = text_of(x, text);
            if (!checked_text(name, why)) return *this;
            if (first || style == query_array::repeated) {
                req_.url += has_query_ ? '&' : '?';
                has_query_ = true;
                percent_encode<is_query_safe>(req_.url, name);
                req_.url += '=';
            } else {
                req_.url += ',';
            }
            first = false;
            percent_encode<is_query_safe>(req_.url, text);
        }
        return *this;
    }

    http::request& req_;
    json_body_writer body_;
    bool has_query_ = false;
    std::string error_;
    std::string content_type_; // set only for binary and multipart bodies
    void (*finish_form_)(request_builder&) = nullptr; // set: the body is a form (see multipart())
    std::vector<form_part> parts_;
    std::vector<std::pair<std::string_view, std::string_view>> required_headers_; // (header, member) unset in params
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
