// cloudflare-cpp: calling what the SDK does not name. `api_path` is a path relative to
// `client_options::base_url`, checked before anything is sent; `any_endpoint<R, M>` declares a
// call by method and path, which `client.get`, `client.post`, ... make through the whole pipeline.
#pragma once

#include <cloudflare/detail/request_builder.hpp>
#include <cloudflare/endpoint.hpp>
#include <cloudflare/http.hpp>
#include <cloudflare/raw_json.hpp>

#include <boost/json/value.hpp>

#include <algorithm>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace cloudflare {

/// A path relative to `client_options::base_url`, such as `/zones/abc/dns_records`.
///
/// Given whole, it is sent as written, and refused when the call is made if it does not start
/// with `/`, has a scheme or authority (`//`), a `.` or `..` segment (also percent-encoded), a
/// query or fragment (`?`, `#`: give query parameters in `request_options::extra_query`), a
/// control character, a space, or a `%` not followed by two hex digits.
///
/// Given as a template with `{}` placeholders and values, each value is one path segment,
/// percent-encoded and confined as generated calls do with their path parameters: it must not
/// be empty, `.` or `..`, and a `/` in it is encoded, so it can never reach another path.
///
/// @par Example
/// @code
/// client.get(cloudflare::api_path("/zones/{}/dns_records/{}", zone_id, record_id));
/// @endcode
class api_path {
public:
    /// A path as written.
    api_path(std::string_view path) : text_(path) { check_whole(); }
    api_path(const char* path) : api_path(std::string_view(path ? path : "")) {}
    api_path(const std::string& path) : api_path(std::string_view(path)) {}

    /// A template whose `{}` placeholders take `segments`, in order, each encoded and confined.
    template <class... Segments>
        requires(sizeof...(Segments) > 0 && (std::is_convertible_v<const Segments&, std::string_view> && ...))
    api_path(std::string_view pattern, const Segments&... segments) {
        fill(pattern, {std::string_view(segments)...});
    }

    /// The path as it will be sent (valid only when `error()` is empty).
    const std::string& text() const noexcept { return text_; }
    /// Why the path cannot be sent, or empty. Never quotes the path (it may hold an identifier
    /// you consider private); it says what is wrong.
    const std::string& error() const noexcept { return error_; }

private:
    static bool hex(char c) noexcept {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
    void fail(std::string why) {
        if (error_.empty()) error_ = std::move(why);
    }
    void check_whole() {
        if (text_.empty() || text_[0] != '/')
            return fail("the path must start with `/`: it is relative to base_url (no scheme, no host)");
        if (text_.find("//") != std::string::npos)
            return fail("the path has an empty segment (`//`: an authority, or an empty value)");
        for (std::size_t i = 0; i < text_.size(); ++i) {
            const auto c = static_cast<unsigned char>(text_[i]);
            if (c < 0x21 || c >= 0x7F) return fail("the path contains a control character, a space or a non-ASCII byte (encode it)");
            if (c == '?' || c == '#') return fail("the path contains `?` or `#`: give query parameters in request_options::extra_query");
            if (c == '\\') return fail("the path contains `\\`");
            if (c == '%' && !(i + 2 < text_.size() && hex(text_[i + 1]) && hex(text_[i + 2])))
                return fail("the path contains `%` not followed by two hex digits");
        }
        // Segments, with percent-encoded dots decoded: `/%2e%2e/` climbs as well as `/../`.
        for (std::size_t start = 1; start <= text_.size();) {
            std::size_t end = std::min(text_.find('/', start), text_.size());
            std::string seg;
            for (std::size_t i = start; i < end; ++i) {
                const bool dot = text_[i] == '%' && text_[i + 1] == '2' && (text_[i + 2] == 'e' || text_[i + 2] == 'E');
                seg += dot ? '.' : text_[i];
                if (dot) i += 2;
            }
            if (seg == "." || seg == "..") return fail("the path has a `.` or `..` segment");
            start = end + 1;
        }
    }
    void fill(std::string_view pattern, std::initializer_list<std::string_view> segments) {
        auto next = segments.begin();
        std::string literal;
        for (std::size_t i = 0; i < pattern.size(); ++i) {
            if (pattern.compare(i, 2, "{}") != 0) {
                literal += pattern[i];
                continue;
            }
            ++i;
            text_ += literal;
            literal.clear();
            if (next == segments.end()) return fail("the path template has more `{}` than values");
            const std::string_view v = *next++;
            if (v.empty()) return fail("a path segment value is empty");
            if (v == "." || v == "..") return fail("a path segment value is `.` or `..`");
            detail::percent_encode<detail::is_path_safe>(text_, v);
        }
        text_ += literal;
        if (next != segments.end()) return fail("the path template has fewer `{}` than values");
        // The template itself is literal text of yours: it obeys the rules of a whole path.
        api_path whole(pattern_without_placeholders(pattern));
        if (!whole.error().empty()) fail(whole.error());
    }
    static std::string pattern_without_placeholders(std::string_view pattern) {
        std::string out;
        for (std::size_t i = 0; i < pattern.size(); ++i) {
            if (pattern.compare(i, 2, "{}") == 0) {
                out += 'x';
                ++i;
            } else {
                out += pattern[i];
            }
        }
        return out;
    }

    std::string text_;
    std::string error_;
};

/// Any call by method and path: what `client.get`, `client.post`, `client.put`, `client.patch`
/// and `client.delete_` make, and what `call_machine` or `asio::async_call` take for the same
/// (arguments: an `api_path`, and for a body a `boost::json::value`). `R` is read from the
/// answer as generated results are (`raw_json`, `empty_result`, `page<T>`, a struct of yours
/// with a member walk or Boost.Describe, `binary_response` for the body as it came). Idempotent
/// by method (GET, PUT, DELETE): a POST or PATCH is retried only with
/// `request_options::retry_non_idempotent`.
template <class R, http::method M>
struct any_endpoint {
    using response_type = R;
    static constexpr http::method method = M;
    static constexpr bool idempotent =
        M == http::method::get || M == http::method::put || M == http::method::delete_;
    static constexpr std::string_view name = M == http::method::get    ? "client.get"
                                             : M == http::method::post  ? "client.post"
                                             : M == http::method::put   ? "client.put"
                                             : M == http::method::patch ? "client.patch"
                                                                        : "client.delete_";
    /// A `result` that is absent or null is no error for a call that returns nothing.
    static constexpr bool result_optional = std::is_same_v<R, raw_json> || std::is_same_v<R, empty_result>;

    template <class Builder>
    static void describe(Builder& b, const api_path& path) {
        if (!path.error().empty()) return b.fail(std::string(name).append(": ").append(path.error()));
        b.path(path.text());
    }
    template <class Builder>
    static void describe(Builder& b, const api_path& path, const boost::json::value& body) {
        describe(b, path);
        if (auto problem = detail::json_problem(body, "body"); !problem.empty()) return b.fail(std::string(name).append(": ").append(problem));
        // A view of the caller's value: no copy of the body.
        b.body().whole(raw_json(std::shared_ptr<const boost::json::value>(std::shared_ptr<void>(), &body)));
    }
};

} // namespace cloudflare
