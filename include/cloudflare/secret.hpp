// cloudflare-cpp: a string that refuses to be printed.
#pragma once

#include <cstddef>
#include <cstring>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace cloudflare {

namespace detail {
/// Overwrites `n` bytes at `p` with zeros; never optimized away.
inline void secure_wipe(void* p, std::size_t n) noexcept {
    if (n == 0) return;
    std::memset(p, 0, n);
    // The barrier tells the compiler the zeroed bytes are observed, so the memset of memory
    // about to be freed is not optimized away.
#if defined(__GNUC__) || defined(__clang__)
    __asm__ __volatile__("" : : "r"(p) : "memory");
#else
    volatile char* v = static_cast<volatile char*>(p);
    for (std::size_t i = 0; i < n; ++i) v[i] = '\0';
#endif
}

/// Overwrites every byte of `s`'s storage (spare capacity included), then empties it, in a way
/// the optimizer keeps even when `s` is about to be destroyed.
inline void secure_wipe(std::string& s) noexcept {
    // resize() to capacity exposes the spare bytes without reallocating, so the whole buffer
    // (the small-string buffer of a moved-from string too) gets overwritten.
    s.resize(s.capacity());
    secure_wipe(s.data(), s.size());
    s.clear();
}
} // namespace detail

/// Holds a credential or a `client_secret`.
///
/// The value is reached only through `reveal()`; streaming it prints `[REDACTED]`; its storage is
/// overwritten when the secret is destroyed, assigned over or moved from. Copies of what `reveal()`
/// returned are the caller's to protect; the buffers the client owns (request headers, the
/// response body, the parsed JSON) are wiped before they are freed.
class secret {
public:
    secret() = default;
    /// Takes a value (implicit, so credential members are assignable from strings).
    secret(std::string value) noexcept : value_(std::move(value)) {}
    secret(std::string_view value) : value_(value) {}
    secret(const char* value) : value_(value ? value : "") {}

    secret(const secret& other) : value_(other.value_) {}
    secret(secret&& other) noexcept : value_(std::move(other.value_)) { other.wipe(); }
    secret& operator=(const secret& other) {
        if (this != &other) { wipe(); value_ = other.value_; }
        return *this;
    }
    secret& operator=(secret&& other) noexcept {
        if (this != &other) { wipe(); value_ = std::move(other.value_); other.wipe(); }
        return *this;
    }
    ~secret() { wipe(); }

    /// The secret itself. Deliberately explicit: every use is visible in review.
    std::string_view reveal() const noexcept { return value_; }
    /// True when no value is held.
    bool empty() const noexcept { return value_.empty(); }
    /// Length in bytes (not secret, and useful for validation messages).
    std::size_t size() const noexcept { return value_.size(); }

    /// Constant-time comparison (does not stop at the first differing byte).
    friend bool operator==(const secret& a, const secret& b) noexcept {
        return equal_ct(a.value_, b.value_);
    }

    /// Prints `[REDACTED]` (or `[EMPTY]`), never the value.
    friend std::ostream& operator<<(std::ostream& os, const secret& s) {
        return os << (s.empty() ? "[EMPTY]" : "[REDACTED]");
    }

    /// Replaces the value in place (the old one is wiped first; no temporary copy is made).
    void assign(std::string_view value) {
        wipe();
        value_.assign(value);
    }

    /// Overwrites every byte of storage (including spare capacity), then empties the value.
    void wipe() noexcept { detail::secure_wipe(value_); }

private:
    static bool equal_ct(std::string_view a, std::string_view b) noexcept {
        unsigned char diff = a.size() == b.size() ? 0 : 1;
        std::size_t n = a.size() < b.size() ? a.size() : b.size();
        for (std::size_t i = 0; i < n; ++i)
            diff |= static_cast<unsigned char>(a[i] ^ b[i]);
        return diff == 0;
    }

    std::string value_;
};

} // namespace cloudflare
