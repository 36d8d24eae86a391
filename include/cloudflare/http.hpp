// cloudflare-cpp: transport-neutral descriptions of an HTTP request and response.
#pragma once

#include <cloudflare/secret.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cloudflare::http {

/// HTTP request method.
enum class method { get, post, put, patch, delete_ };

/// The method's name as sent on the wire: "GET", "POST", "PUT", "PATCH", "DELETE".
constexpr std::string_view to_string(method m) noexcept {
    switch (m) {
    case method::get: return "GET";
    case method::post: return "POST";
    case method::put: return "PUT";
    case method::patch: return "PATCH";
    case method::delete_: return "DELETE";
    }
    return "GET"; // unreachable for valid enumerators
}

/// ASCII case-insensitive equality, as HTTP field names compare.
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

/// One header field. Names keep the case they were given; lookups ignore it.
struct header {
    std::string name;
    std::string value;
    friend bool operator==(const header&, const header&) = default;
};

/// An ordered list of header fields with case-insensitive lookup.
/// Duplicates are allowed (as on the wire); `get` returns the first match.
class headers {
public:
    using value_type = header;
    using const_iterator = std::vector<header>::const_iterator;
    using iterator = std::vector<header>::iterator;

    headers() = default;
    headers(std::initializer_list<header> init) : items_(init) {}

    /// Appends a field (no de-duplication).
    void push_back(header h) { items_.push_back(std::move(h)); }
    /// Appends a field built from a name and a value.
    header& emplace_back(std::string name, std::string value) {
        return items_.emplace_back(header{std::move(name), std::move(value)});
    }
    /// Replaces every field named `name` by one with `value` (appends when absent).
    void set(std::string_view name, std::string value) {
        erase(name);
        items_.push_back(header{std::string(name), std::move(value)});
    }
    /// Removes every field named `name`; returns how many were removed. Removed values are
    /// wiped first (they may be credentials).
    std::size_t erase(std::string_view name) {
        for (auto& h : items_)
            if (iequals(h.name, name)) detail::secure_wipe(h.value);
        auto it = std::remove_if(items_.begin(), items_.end(),
                                 [&](const header& h) { return iequals(h.name, name); });
        auto n = static_cast<std::size_t>(items_.end() - it);
        items_.erase(it, items_.end());
        return n;
    }
    /// The first field named `name` (any case), or null.
    const header* find(std::string_view name) const noexcept {
        for (const auto& h : items_)
            if (iequals(h.name, name)) return &h;
        return nullptr;
    }
    /// The value of the first field named `name` (any case), if present.
    std::optional<std::string_view> get(std::string_view name) const noexcept {
        if (const header* h = find(name)) return std::string_view(h->value);
        return std::nullopt;
    }
    /// True when a field named `name` (any case) is present.
    bool contains(std::string_view name) const noexcept { return find(name) != nullptr; }

    void reserve(std::size_t n) { items_.reserve(n); }
    void clear() noexcept { items_.clear(); }
    std::size_t size() const noexcept { return items_.size(); }
    bool empty() const noexcept { return items_.empty(); }
    const_iterator begin() const noexcept { return items_.begin(); }
    const_iterator end() const noexcept { return items_.end(); }
    iterator begin() noexcept { return items_.begin(); }
    iterator end() noexcept { return items_.end(); }

    friend bool operator==(const headers&, const headers&) = default;

private:
    std::vector<header> items_;
};

/// The pieces of an absolute `http(s)://host[:port]/target` URL, as views into it.
struct url_parts {
    std::string_view scheme;   ///< "https" or "http", in the case the URL has it
    std::string_view host;     ///< without brackets for IPv6 literals
    std::uint16_t port = 0;    ///< explicit port, else 443 for https and 80 for http
    std::string_view target;   ///< path and query, "/" when the URL has none
};

/// Splits an absolute URL; std::nullopt when it is not `http(s)://authority[/...]` (the scheme in
/// any case).
inline std::optional<url_parts> split_url(std::string_view url) noexcept {
    url_parts p;
    auto sep = url.find("://");
    if (sep == std::string_view::npos || sep == 0) return std::nullopt;
    p.scheme = url.substr(0, sep);
    // Only HTTP: anything else (ftp, file, a typo such as "htps") would make a transport send
    // credentials where they do not belong. The scheme is case-insensitive (RFC 3986).
    const bool https = iequals(p.scheme, "https");
    if (!https && !iequals(p.scheme, "http")) return std::nullopt;
    std::string_view rest = url.substr(sep + 3);
    auto slash = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, slash);
    p.target = slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);
    if (!p.target.empty() && p.target.front() == '?') return std::nullopt; // keep it simple: path required
    if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
    std::string_view port_text;
    if (authority.front() == '[') {
        auto close = authority.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        p.host = authority.substr(1, close - 1);
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return std::nullopt;
            port_text = after.substr(1);
        }
    } else {
        auto colon = authority.rfind(':');
        p.host = authority.substr(0, colon);
        if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    }
    if (p.host.empty()) return std::nullopt;
    if (!port_text.empty()) {
        unsigned v = 0;
        for (char c : port_text) {
            if (c < '0' || c > '9') return std::nullopt;
            v = v * 10 + static_cast<unsigned>(c - '0');
            if (v > 65535) return std::nullopt;
        }
        if (v == 0) return std::nullopt;
        p.port = static_cast<std::uint16_t>(v);
    } else {
        p.port = https ? 443 : 80;
    }
    return p;
}

/// A request ready for any HTTP stack: every header is final, `body` is sent as is
/// (empty means no body), `timeout` is the whole-exchange budget the caller asked for.
struct request {
    http::method method = http::method::get;
    std::string url;               ///< absolute, e.g. https://api.cloudflare.com/client/v4/accounts/...
    http::headers headers;
    std::string body;
    std::chrono::milliseconds timeout{60'000};

    /// Scheme, host, port and target of `url` (nullopt when `url` is not absolute).
    std::optional<url_parts> parts() const noexcept { return split_url(url); }
    /// "https" or "http".
    std::string_view scheme() const noexcept { auto p = parts(); return p ? p->scheme : std::string_view{}; }
    /// Host name or address, without IPv6 brackets.
    std::string_view host() const noexcept { auto p = parts(); return p ? p->host : std::string_view{}; }
    /// Port (explicit, else the scheme's default), 0 when `url` is not absolute.
    std::uint16_t port() const noexcept { auto p = parts(); return p ? p->port : std::uint16_t{0}; }
    /// Path and query, as the request line wants them.
    std::string_view target() const noexcept { auto p = parts(); return p ? p->target : std::string_view{}; }
};

/// What came back: any status, headers, and the body bytes (possibly not JSON at all).
struct response {
    int status = 0;
    http::headers headers;
    std::string body;
};

} // namespace cloudflare::http
