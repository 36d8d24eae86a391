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

/// At most `cap` bytes of `body`, with the string value of every sensitive key replaced by
/// "[REDACTED]" and control bytes shown as '?'. Works on truncated or invalid JSON and on
/// non-JSON text alike: an unterminated sensitive value is cut off, never shown.
inline std::string excerpt(std::string_view body, std::size_t cap = 512) {
    bool truncated = body.size() > cap;
    std::string_view in = body.substr(0, cap);
    std::string out;
    out.reserve(in.size() + 16);
    bool pending_sensitive = false; // just saw `"sensitive_key"` (and maybe ':')
    std::size_t i = 0;
    while (i < in.size()) {
        char c = in[i];
        if (c == '"') {
            std::size_t j = i + 1;
            while (j < in.size() && in[j] != '"') j += (in[j] == '\\') ? 2 : 1;
            bool terminated = j < in.size();
            std::string_view token = in.substr(i + 1, (terminated ? j : in.size()) - i - 1);
            if (pending_sensitive) {
                out += "\"[REDACTED]\"";
                pending_sensitive = false;
                if (!terminated) return out;
                i = j + 1;
                continue;
            }
            // Is this string a key? Look past white space for ':'.
            std::size_t k = terminated ? j + 1 : in.size();
            while (k < in.size() && (in[k] == ' ' || in[k] == '\t' || in[k] == '\r' || in[k] == '\n')) ++k;
            if (k < in.size() && in[k] == ':' && sensitive_key(token)) pending_sensitive = true;
            std::size_t end = terminated ? j + 1 : in.size();
            for (std::size_t m = i; m < end; ++m) {
                char ch = in[m];
                out.push_back(static_cast<unsigned char>(ch) < 0x20 ? '?' : ch);
            }
            i = end;
            continue;
        }
        if (pending_sensitive && c != ':' && c != ' ' && c != '\t' && c != '\r' && c != '\n')
            pending_sensitive = false; // a non-string value: nothing to hide
        out.push_back(static_cast<unsigned char>(c) < 0x20 && c != '\n' ? '?' : c);
        ++i;
    }
    if (truncated) out += "...";
    return out;
}

} // namespace cloudflare::detail
