// cloudflare-cpp (internal): strict JSON parsing into an arena, with depth and duplicate-key checks.
#pragma once

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_stack.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace cloudflare::detail {

// Feeds basic_parser events into a value_stack (as boost::json::parser does) while counting
// keys: the DOM silently keeps only the last of duplicate keys, so comparing the count seen
// with the count kept is how duplicates are found.
struct counting_handler {
    static constexpr std::size_t max_object_size = boost::json::object::max_size();
    static constexpr std::size_t max_array_size = boost::json::array::max_size();
    static constexpr std::size_t max_key_size = boost::json::string::max_size();
    static constexpr std::size_t max_string_size = boost::json::string::max_size();

    boost::json::value_stack st;
    std::size_t keys = 0;

    counting_handler(boost::json::storage_ptr sp, unsigned char* buf, std::size_t size)
        : st(std::move(sp), buf, size) {}

    using ec_t = boost::json::error_code;
    using sv_t = boost::json::string_view;
    bool on_document_begin(ec_t&) { return true; }
    bool on_document_end(ec_t&) { return true; }
    bool on_object_begin(ec_t&) { return true; }
    bool on_object_end(std::size_t n, ec_t&) { st.push_object(n); return true; }
    bool on_array_begin(ec_t&) { return true; }
    bool on_array_end(std::size_t n, ec_t&) { st.push_array(n); return true; }
    bool on_key_part(sv_t s, std::size_t, ec_t&) { st.push_chars(s); return true; }
    bool on_key(sv_t s, std::size_t, ec_t&) { ++keys; st.push_key(s); return true; }
    bool on_string_part(sv_t s, std::size_t, ec_t&) { st.push_chars(s); return true; }
    bool on_string(sv_t s, std::size_t, ec_t&) { st.push_string(s); return true; }
    bool on_number_part(sv_t, ec_t&) { return true; }
    bool on_int64(std::int64_t i, sv_t, ec_t&) { st.push_int64(i); return true; }
    bool on_uint64(std::uint64_t u, sv_t, ec_t&) { st.push_uint64(u); return true; }
    bool on_double(double d, sv_t, ec_t&) { st.push_double(d); return true; }
    bool on_bool(bool b, ec_t&) { st.push_bool(b); return true; }
    bool on_null(ec_t&) { st.push_null(); return true; }
    bool on_comment_part(sv_t, ec_t&) { return true; }
    bool on_comment(sv_t, ec_t&) { return true; }
};

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

/// Parses `text` as one strict JSON document (no comments, no trailing commas, valid UTF-8,
/// nesting at most `max_depth`, no duplicate keys) into `out`, allocating from `sp`.
/// `out` must already use `sp` (so the result is moved, not copied, into it).
/// On failure returns false and sets `why` (never quoting the input).
inline bool parse_json(std::string_view text, boost::json::storage_ptr sp, std::size_t max_depth,
                       boost::json::value& out, std::string& why) {
    boost::json::parse_options opt;
    opt.max_depth = max_depth;
    unsigned char stack_buf[1024]; // the value_stack's scratch space, so small bodies need no heap
    boost::json::basic_parser<counting_handler> p(opt, boost::json::storage_ptr(), stack_buf,
                                                  sizeof stack_buf);
    p.handler().st.reset(sp);
    boost::json::error_code ec;
    std::size_t n = p.write_some(false, text.data(), text.size(), ec);
    if (!ec && n < text.size()) ec = boost::json::error::extra_data;
    if (ec) {
        why = "invalid JSON at byte " + std::to_string(n) + ": " + ec.message();
        return false;
    }
    out = p.handler().st.release();
    if (count_members(out) != p.handler().keys) {
        why = "invalid JSON: an object has a duplicate key";
        return false;
    }
    return true;
}

/// An owned JSON document whose nodes live in one arena (a single allocation for small
/// bodies). Shared by the views (`raw_json`) that results hand out.
class json_document {
public:
    json_document() : mr_(buffer_, sizeof buffer_), root_(boost::json::storage_ptr(&mr_)) {}
    json_document(const json_document&) = delete;
    json_document& operator=(const json_document&) = delete;

    boost::json::storage_ptr storage() noexcept { return boost::json::storage_ptr(&mr_); }
    boost::json::value& root() noexcept { return root_; }
    const boost::json::value& root() const noexcept { return root_; }

private:
    alignas(std::max_align_t) unsigned char buffer_[4096];
    boost::json::monotonic_resource mr_;
    boost::json::value root_; // destroyed first: its nodes are in mr_
};

} // namespace cloudflare::detail
