// cloudflare-cpp (internal): body excerpts that are safe to put in messages and logs.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cloudflare::detail {

// Keys whose string values never leave the library in an excerpt. Deliberately broad: an
// over-redacted excerpt costs nothing, a leaked secret costs a rotation.
inline bool sensitive_key(std::string_view key) noexcept {
    auto contains = [&](std::string_view needle) {
        if (needle.size() > key.size()) return false;
        for (std::size_t i = 0; i + needle.size() <= key.size(); ++i) {
            bool eq = true;
            for (std::size_t j = 0; j < needle.size() && eq; ++j) {
                char c = key[i + j];
                if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
                eq = c == needle[j];
            }
            if (eq) return true;
        }
        return false;
    };
    return contains("secret") || contains("token") || contains("key") || contains("password") ||
           contains("authorization") || contains("cookie");
}

/// Replaces every occurrence of `needle` in `text` by "[REDACTED]" (no-op for short needles,
/// which could not be told from ordinary text).
inline void scrub(std::string& text, std::string_view needle) {
    if (needle.size() < 4) return;
    for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 10))
        text.replace(pos, needle.size(), "[REDACTED]");
}

/// Redacts text shaped like a Cloudflare client secret wherever it stands: `cfast_` followed by
/// alphanumerics (the current format), or a run of 64 or more hex digits (the older one).
/// Shorter hex runs, such as 32-digit account ids, stay readable.
inline void scrub_secret_shapes(std::string& text) {
    auto is_alnum = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    auto is_hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); };
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (text.compare(i, 6, "cfast_") == 0) {
            std::size_t j = i + 6;
            while (j < text.size() && is_alnum(text[j])) ++j;
            out += "[REDACTED]";
            i = j;
            continue;
        }
        if (is_hex(text[i]) && (i == 0 || !is_alnum(text[i - 1]))) {
            std::size_t j = i;
            while (j < text.size() && is_hex(text[j])) ++j;
            if (j - i >= 64) { out += "[REDACTED]"; i = j; continue; }
            out.append(text, i, j - i);
            i = j;
            continue;
        }
        out.push_back(text[i++]);
    }
    text = std::move(out);
}

// Redaction can lengthen the text; the cap holds for the output too.
inline std::string capped(std::string out, std::size_t cap, bool truncated) {
    scrub_secret_shapes(out);
    if (out.size() > cap) {
        out.resize(cap);
        truncated = true;
    }
    if (truncated) out += "...";
    return out;
}

/// At most `cap` bytes (plus "...") of `body`, with the string value of every sensitive key replaced by
/// "[REDACTED]" and control bytes shown as '?'. Works on truncated, invalid or misaligned JSON
/// and on non-JSON text alike: it never tokenizes, it looks for every `"key" : "` boundary and
/// takes the key to be whatever stands since the previous quote. An unterminated sensitive
/// value is cut off, never shown.
inline std::string excerpt(std::string_view body, std::size_t cap = 512) {
    const bool truncated = body.size() > cap;
    const std::string_view in = body.substr(0, cap);
    auto ws = [&](std::size_t k) {
        while (k < in.size() && (in[k] == ' ' || in[k] == '\t' || in[k] == '\r' || in[k] == '\n')) ++k;
        return k;
    };
    std::string out;
    out.reserve(in.size() + 16);
    auto copy = [&](std::size_t from, std::size_t to) {
        for (std::size_t m = from; m < to; ++m) {
            char ch = in[m];
            out.push_back(static_cast<unsigned char>(ch) < 0x20 && ch != '\n' ? '?' : ch);
        }
    };
    std::size_t done = 0;      // bytes of `in` already emitted
    std::size_t last_quote = std::string_view::npos;
    for (std::size_t j = 0; j < in.size(); ++j) {
        if (in[j] != '"') continue;
        std::size_t k = ws(j + 1);
        if (k < in.size() && in[k] == ':') {
            std::size_t v = ws(k + 1);
            std::size_t key_start = last_quote == std::string_view::npos ? 0 : last_quote + 1;
            if (v < in.size() && in[v] == '"' && sensitive_key(in.substr(key_start, j - key_start))) {
                copy(done, v + 1);
                out += "[REDACTED]\"";
                std::size_t e = v + 1;
                while (e < in.size() && in[e] != '"') e += (in[e] == '\\') ? 2 : 1;
                if (e >= in.size()) return capped(std::move(out), cap, truncated); // unterminated: cut
                done = e + 1;
                j = e;
                last_quote = e;
                continue;
            }
        }
        last_quote = j;
    }
    copy(done, in.size());
    return capped(std::move(out), cap, truncated);
}

} // namespace cloudflare::detail
