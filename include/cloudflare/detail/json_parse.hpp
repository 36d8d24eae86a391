// cloudflare-cpp (internal): strict JSON parsing into an arena, with depth and duplicate-key checks.
#pragma once

#include <cloudflare/secret.hpp>

#include <boost/json/memory_resource.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/value.hpp>
#include <boost/json/parser.hpp>

#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <string_view>

namespace cloudflare::detail {

/// Heap memory for parsed responses that is zeroed before it is freed: a response may hold a
/// `client_secret`, and freed memory is readable by whatever gets it next (or by a core dump).
class wiping_resource final : public boost::json::memory_resource {
    void* do_allocate(std::size_t n, std::size_t align) override {
        return ::operator new(n, std::align_val_t(align));
    }
    void do_deallocate(void* p, std::size_t n, std::size_t align) override {
        secure_wipe(p, n);
        ::operator delete(p, std::align_val_t(align)); // unsized: Clang has no sized delete by default
    }
    bool do_is_equal(const boost::json::memory_resource& other) const noexcept override { return this == &other; }
};

/// The process-wide wiping resource (stateless, so one instance serves every thread).
inline boost::json::memory_resource* wiping_upstream() noexcept {
    static wiping_resource r;
    return &r;
}

// Members kept in the DOM (recursion depth is bounded by the parser's max_depth).
inline std::size_t count_members(const boost::json::value& v) noexcept {
    std::size_t n = 0;
    if (const auto* o = v.if_object()) {
        n += o->size();
        for (const auto& kv : *o) n += count_members(kv.value());
    } else if (const auto* a = v.if_array()) {
        for (const auto& e : *a) n += count_members(e);
    }
    return n;
}

// Object keys in text already known to be valid JSON: exactly the strings followed by ':'.
// Jumps from quote to quote with memchr (most of a body is string contents); a quote is
// escaped when an odd number of backslashes precede it.
inline std::size_t count_keys(std::string_view text) noexcept {
    std::size_t keys = 0;
    const char* p = text.data();
    const char* const end = p + text.size();
    while (p < end) {
        const char* open = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(end - p)));
        if (!open) break;
        const char* close = open + 1;
        for (;;) {
            close = static_cast<const char*>(std::memchr(close, '"', static_cast<std::size_t>(end - close)));
            if (!close) return keys;
            const char* b = close;
            while (b > open + 1 && b[-1] == '\\') --b;
            if (((close - b) & 1) == 0) break; // an even run of backslashes: the string ends here
            ++close;
        }
        p = close + 1;
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) ++p;
        if (p < end && *p == ':') ++keys;
    }
    return keys;
}

/// Parses `text` as one strict JSON document (no comments, no trailing commas, valid UTF-8,
/// nesting at most `max_depth`, no duplicate keys) into `out`, allocating from `sp`.
/// `out` must already use `sp` (so the result is moved, not copied, into it).
/// On failure returns false and sets `why` (never quoting the input).
///
/// Uses Boost.JSON's precompiled parser (instantiating basic_parser in every user translation
/// unit tripled compile times). The DOM keeps only the last of duplicate keys, so duplicates
/// are found by comparing the keys in the text with the members kept.
inline bool parse_json(std::string_view text, boost::json::storage_ptr sp, std::size_t max_depth,
                       boost::json::value& out, std::string& why) {
    boost::json::parse_options opt;
    opt.max_depth = max_depth;
    unsigned char stack_buf[1024]; // the parser's scratch space, so small bodies need no heap
    boost::json::parser p(boost::json::storage_ptr(wiping_upstream()), opt, stack_buf, sizeof stack_buf);
    p.reset(sp);
    boost::json::error_code ec;
    std::size_t n = p.write_some(text.data(), text.size(), ec);
    if (!ec && n < text.size()) ec = boost::json::error::extra_data;
    if (ec) {
        why = "invalid JSON at byte " + std::to_string(n) + ": " + ec.message();
        return false;
    }
    out = p.release();
    if (count_members(out) != count_keys(text)) {
        why = "invalid JSON: an object has a duplicate key";
        return false;
    }
    return true;
}

/// An owned JSON document whose nodes live in one arena (a single allocation for small
/// bodies). Shared by the views (`raw_json`) that results hand out. Every byte of the arena is
/// wiped before it is freed.
class json_document {
public:
    json_document()
        : mr_(buffer_.bytes, sizeof buffer_.bytes, boost::json::storage_ptr(wiping_upstream())),
          root_(boost::json::storage_ptr(&mr_)) {}
    json_document(const json_document&) = delete;
    json_document& operator=(const json_document&) = delete;

    boost::json::storage_ptr storage() noexcept { return boost::json::storage_ptr(&mr_); }
    boost::json::value& root() noexcept { return root_; }
    const boost::json::value& root() const noexcept { return root_; }

private:
    struct wiped_buffer {
        alignas(std::max_align_t) unsigned char bytes[4096];
        ~wiped_buffer() { secure_wipe(bytes, sizeof bytes); }
    };
    wiped_buffer buffer_;         // destroyed last, after the nodes that lived in it
    boost::json::monotonic_resource mr_; // gives its overflow blocks back through wiping_upstream()
    boost::json::value root_;     // destroyed first: its nodes are in mr_
};

} // namespace cloudflare::detail
