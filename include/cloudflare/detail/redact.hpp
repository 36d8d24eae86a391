// cloudflare-cpp (internal): body excerpts and header values that are safe to put in messages
// and logs.
#pragma once

#include <cloudflare/secret.hpp>

#include <algorithm>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace cloudflare::detail {

// ASCII case-insensitive substring test.
constexpr bool icontains(std::string_view hay, std::string_view needle) noexcept {
    if (needle.size() > hay.size()) return false;
    for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
        bool eq = true;
        for (std::size_t j = 0; j < needle.size() && eq; ++j) {
            char c = hay[i + j];
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            eq = c == needle[j];
        }
        if (eq) return true;
    }
    return false;
}

// Keys whose values never leave the library in an excerpt, whatever endpoint answered.
// Deliberately broad: an over-redacted excerpt costs nothing, a leaked secret costs a rotation.
// Covers the credential names the API uses (`client_secret`, `secretAccessKey`, `sessionToken`,
// `private_key`, `streamKey`, `psk`, `passphrase`, `pem`, `jwk`, ...); credentials under other
// names (`value`, a bare `result`) are known per endpoint (`secret_path_key`).
constexpr bool sensitive_key(std::string_view key) noexcept {
    for (std::string_view word : {"secret", "token", "key", "password", "passphrase", "psk", "pem", "jwk", "credential",
                                  "authorization", "cookie"})
        if (icontains(key, word)) return true;
    return false;
}

/// The key a secret path (`result.value`, `result[].srt.passphrase`, `result{}.config.debugKey`,
/// `result`) ends in: its last member name, without `[]` or `{}`.
constexpr std::string_view secret_path_key(std::string_view path) noexcept {
    while (path.size() >= 2 && (path.ends_with("[]") || path.ends_with("{}"))) path.remove_suffix(2);
    if (auto dot = path.rfind('.'); dot != std::string_view::npos) path.remove_prefix(dot + 1);
    return path;
}

// True when `key` is sensitive everywhere, or ends one of the answering endpoint's secret paths.
inline bool sensitive_key(std::string_view key, std::span<const std::string_view> secret_paths) noexcept {
    if (sensitive_key(key)) return true;
    for (auto p : secret_paths)
        if (secret_path_key(p) == key) return true;
    return false;
}

/// Header names whose values are never shown: the credentials the client sends
/// (`Authorization`, `X-Auth-Key`, `X-Auth-Email`, `X-Auth-User-Service-Key`), cookies, and any
/// name that speaks of a token, secret, key, password or auth (`CF-Access-Client-Secret`,
/// `X-Api-Key`, ...).
constexpr bool sensitive_header(std::string_view name) noexcept {
    return sensitive_key(name) || icontains(name, "auth");
}

/// Replaces every occurrence of `needle` in `text` by "[REDACTED]" (no-op for short needles,
/// which could not be told from ordinary text). The buffer that held a match is wiped, not
/// just dropped.
inline void scrub(std::string& text, std::string_view needle) {
    if (needle.size() < 4 || text.find(needle) == std::string::npos) return;
    std::string out;
    out.reserve(text.size() + 16);
    std::size_t from = 0;
    for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, from)) {
        out.append(text, from, pos - from).append("[REDACTED]");
        from = pos + needle.size();
    }
    out.append(text, from, std::string::npos);
    secure_wipe(text);
    text = std::move(out);
}

/// Redacts text shaped like a Cloudflare client secret wherever it stands: `cfast_` followed by
/// alphanumerics (the current format), or a run of 64 or more hex digits (the older one).
/// Shorter hex runs, such as 32-digit account ids, stay readable.
inline void scrub_secret_shapes(std::string& text) {
    auto is_alnum = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    auto is_hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); };
    std::string out;
    out.reserve(text.size());
    bool changed = false;
    for (std::size_t i = 0; i < text.size();) {
        if (text.compare(i, 6, "cfast_") == 0) {
            std::size_t j = i + 6;
            while (j < text.size() && is_alnum(text[j])) ++j;
            out += "[REDACTED]";
            changed = true;
            i = j;
            continue;
        }
        if (is_hex(text[i]) && (i == 0 || !is_alnum(text[i - 1]))) {
            std::size_t j = i;
            while (j < text.size() && is_hex(text[j])) ++j;
            if (j - i >= 64) { out += "[REDACTED]"; changed = true; i = j; continue; }
            out.append(text, i, j - i);
            i = j;
            continue;
        }
        out.push_back(text[i++]);
    }
    if (!changed) return;
    secure_wipe(text);
    text = std::move(out);
}

/// A header value as the observer and errors show it: "[REDACTED]" for a sensitive name,
/// otherwise the value with secret-shaped text redacted.
inline std::string redact_header_value(std::string_view name, std::string_view value) {
    if (sensitive_header(name)) return "[REDACTED]";
    std::string v(value);
    scrub_secret_shapes(v);
    return v;
}

// The decoded text of a JSON key as written between its quotes (escapes resolved for ASCII, so
// `client_\u0073ecret` is recognised); other characters are kept as they are.
inline std::string decode_key(std::string_view raw) {
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '\\' || i + 1 >= raw.size()) { out.push_back(raw[i]); continue; }
        char e = raw[++i];
        if (e == 'u' && i + 4 < raw.size()) {
            int v = 0;
            bool ok = true;
            for (std::size_t k = 1; ok && k <= 4; ++k) {
                int h = hex(raw[i + k]);
                ok = h >= 0;
                v = v * 16 + h;
            }
            if (ok) { out.push_back(v < 0x80 ? static_cast<char>(v) : '?'); i += 4; continue; }
        }
        out.push_back(e);
    }
    return out;
}

// End (one past) of the JSON value starting at `v` in `in`: a string, an object or array
// (balanced, strings skipped), or a scalar. npos when it does not end inside `in`.
inline std::size_t value_end(std::string_view in, std::size_t v) noexcept {
    auto skip_string = [&](std::size_t q) -> std::size_t { // q at the opening quote
        for (std::size_t e = q + 1; e < in.size(); e += (in[e] == '\\') ? 2 : 1)
            if (in[e] == '"') return e + 1;
        return std::string_view::npos;
    };
    if (in[v] == '"') return skip_string(v);
    if (in[v] == '{' || in[v] == '[') {
        std::size_t depth = 0;
        for (std::size_t e = v; e < in.size();) {
            char c = in[e];
            if (c == '"') {
                e = skip_string(e);
                if (e == std::string_view::npos) return e;
                continue;
            }
            if (c == '{' || c == '[') ++depth;
            else if ((c == '}' || c == ']') && --depth == 0) return e + 1;
            ++e;
        }
        return std::string_view::npos;
    }
    std::size_t e = v;
    while (e < in.size() && in[e] != ',' && in[e] != '}' && in[e] != ']' && in[e] != ' ' && in[e] != '\n' &&
           in[e] != '\r' && in[e] != '\t')
        ++e;
    return e < in.size() ? e : std::string_view::npos;
}

/// At most `cap` bytes (plus "...") of `body`, safe to show: the value of every sensitive key
/// (a string, an object, an array or a number; keys with escapes included) becomes
/// `"[REDACTED]"`, where sensitive means named like a credential or ending one of
/// `secret_paths` (the answering endpoint's: `result` for a call whose result is a credential),
/// wherever the key stands: the excerpt may be cut or invalid, so it matches keys, not paths,
/// and errs on the side of hiding. Every occurrence of the `credentials` and all secret-shaped
/// text is redacted, control bytes are shown as '?', and the cut never splits a UTF-8 character.
/// Redaction happens before the cut, over a margin past `cap`, so nothing that straddles the
/// cut leaves a readable prefix. Works on truncated, invalid or misaligned JSON and on non-JSON
/// text alike: it never tokenizes, it looks for every `"key" :` boundary and takes the key to
/// be whatever stands since the previous quote. A sensitive value that does not end inside
/// the margin is cut off, never shown.
inline std::string excerpt(std::string_view body, std::size_t cap = 512,
                           std::span<const std::string_view> credentials = {},
                           std::span<const std::string_view> secret_paths = {}) {
    std::size_t margin = 256;
    for (auto c : credentials) margin = std::max(margin, c.size() + 16);
    const std::string_view in = body.substr(0, cap + margin);
    bool truncated = body.size() > in.size();
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
            if (v < in.size() && in.compare(v, 4, "null") != 0 &&
                sensitive_key(decode_key(in.substr(key_start, j - key_start)), secret_paths)) {
                copy(done, v);
                out += "\"[REDACTED]\"";
                std::size_t e = value_end(in, v);
                if (e == std::string_view::npos) { done = in.size(); break; } // unterminated: cut, never shown
                done = e;
                j = e - 1;
                last_quote = e - 1;
                continue;
            }
        }
        last_quote = j;
    }
    copy(done, in.size());
    for (auto c : credentials) scrub(out, c);
    scrub_secret_shapes(out);
    if (out.size() > cap) {
        std::size_t cut = cap;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut; // not mid-character
        out.resize(cut);
        truncated = true;
    }
    if (truncated) out += "...";
    return out;
}

} // namespace cloudflare::detail
