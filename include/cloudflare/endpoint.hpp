// cloudflare-cpp: the sans-IO layer. Build an endpoint's request, parse its response; no client,
// no transport, so any I/O model (Asio, libuv, a thread pool, a test) can sit in between.
#pragma once

#include <cloudflare/binary.hpp>
#include <cloudflare/client_options.hpp>
#include <cloudflare/detail/envelope.hpp>
#include <cloudflare/detail/extras.hpp>
#include <cloudflare/detail/json_read.hpp>
#include <cloudflare/detail/request_builder.hpp>
#include <cloudflare/error.hpp>
#include <cloudflare/http.hpp>
#include <cloudflare/raw_json.hpp>
#include <cloudflare/retry.hpp>


#include <concepts>
#include <memory>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace cloudflare {

/// Paging information of a list response (`result_info`).
struct result_info {
    std::optional<std::int64_t> page;
    std::optional<std::int64_t> per_page;
    std::optional<std::int64_t> count;
    std::optional<std::int64_t> total_count;
    std::optional<std::int64_t> total_pages;
    /// Where the next page starts, for cursor-paged lists (KV keys, Durable Objects objects).
    std::optional<std::string> cursor;

    /// Calls `f(json_name, member)` for each member: how the library reads it.
    template <class S, class F>
    static void cloudflare_members(S& s, F&& f) {
        f("page", s.page);
        f("per_page", s.per_page);
        f("count", s.count);
        f("total_count", s.total_count);
        f("total_pages", s.total_pages);
        f("cursor", s.cursor);
    }
};

/// One page of a list call: the items, `result_info`, and the raw `result` array.
template <class T>
struct page {
    std::vector<T> items;
    cloudflare::result_info result_info;
    raw_json raw;
    /// Members of the items the client could not read (see `response_validation`), each named
    /// by its path (`result[3].status`), never its value.
    std::vector<std::string> warnings;
};

/// How strictly an answer's `result` is read (`client_options::strict_response_validation`).
enum class response_validation {
    /// The default, as the official SDKs: a member whose JSON does not fit its type, or a
    /// required member that is missing, never fails the call. It keeps what could be read
    /// (nothing, for most: unset, empty, zero), a line in the result's `warnings` (and the
    /// observer's) names it, and `raw` holds the JSON as it came. A `result` of the wrong JSON
    /// kind still fails; so does, in the answer of a call that hands out a credential and must
    /// not be repeated (rotate, create), a `secret` that is missing, empty or not a string, or a
    /// required scalar of the object that carries it (a service token's `id`, `client_id`).
    tolerant,
    /// Every member must fit: a mismatch fails the call with `api_response_validation_error`.
    /// Calls that must not be repeated (rotate, create) still leave an unreadable *optional*
    /// member unset with a warning, so an applied call never loses its result.
    strict,
};

/// What a call returns when its result carries nothing (`None` in the official SDKs): the
/// `result` value, if the server sent one, stays readable in `raw`.
struct empty_result {
    raw_json raw;
};

namespace detail {
template <class T> struct is_page : std::false_type {};
template <class T> struct is_page<page<T>> : std::true_type {};

template <class E>
constexpr bool result_optional() {
    if constexpr (requires { E::result_optional; }) return E::result_optional;
    else return false;
}
template <class E>
constexpr bool no_content() {
    if constexpr (requires { E::no_content; }) return E::no_content;
    else return false;
}
/// The JSON paths of the credentials `E`'s answers carry (`E::secret_paths`; none by default),
/// e.g. `result.value` or `result` itself: no excerpt or observer view of an answer shows them.
template <class E>
constexpr std::span<const std::string_view> secret_paths() noexcept {
    if constexpr (requires { E::secret_paths; }) return E::secret_paths;
    else return {};
}
template <class E>
constexpr envelope_style envelope_of() {
    if constexpr (requires { E::envelope; }) return E::envelope;
    else return envelope_style::standard;
}

// Reads one result value: a described struct field by field, anything else (a string, a
// list of scalars, raw JSON) by its kind; a struct's `raw` keeps the object it came from.
template <class T>
void read_result(json_reader& r, const boost::json::value& v, T& out, const std::shared_ptr<json_document>& doc) {
    if constexpr (member_struct<T>) r.read_object(v, out);
    else r.read_value("", v, out);
    if constexpr (requires { out.raw = raw_json(); }) {
        if (r.ok()) out.raw = share(doc, v);
    }
}
} // namespace detail

/// An endpoint declaration: a type with
/// - `response_type`: the typed result (a described struct, or `page<T>`);
/// - `method`, `idempotent` (may a retry repeat it safely?) and `name` (for messages);
/// - `static void describe(detail::request_builder&, const Args&...)`, which writes path,
///   query and body from the call's arguments.
/// It may set `accepts_user_service_key = true` (Origin CA endpoints), `result_optional = true`
/// (a result that carries nothing may be absent), `no_content = true` (its schema's 2xx answer
/// has no body: an empty one is success), `needs_credentials = false` (its schema asks for no
/// authentication, like `ips.list`: no credentials are sent, none need be set), `envelope` (a
/// `detail::envelope_style`) and `secret_paths` (a `std::array<std::string_view, N>` of the JSON
/// paths of the credentials its answers carry, e.g. `"result.value"`: every excerpt of its
/// answers, in errors and observer events, hides their values).
template <class E>
concept Endpoint = requires {
    typename E::response_type;
    { E::method } -> std::convertible_to<http::method>;
    { E::idempotent } -> std::convertible_to<bool>;
    { E::name } -> std::convertible_to<std::string_view>;
};

namespace detail {
template <class E>
constexpr bool accepts_user_service_key() {
    if constexpr (requires { E::accepts_user_service_key; }) return E::accepts_user_service_key;
    else return false;
}
template <class E>
constexpr bool needs_credentials() {
    if constexpr (requires { E::needs_credentials; }) return E::needs_credentials;
    else return true;
}
} // namespace detail

/// Builds the complete request for endpoint `E` from the call's arguments (e.g. id and params).
/// Every check happens here, before anything could be sent: credentials, path parameters
/// (non-empty, not `.`/`..`, percent-encoded), date-time formats, strings that are not UTF-8 and
/// numbers that are not finite (named by their path, e.g. `domains[1]`, never shown), required
/// header parameters and bodies, header injection, base URL.
///
/// @par Example
/// @code
/// namespace access = cloudflare::zero_trust::access;
/// auto req = cloudflare::build_request<access::endpoints::service_token_rotate>(
///     options, {}, token_id, access::service_token_rotate_params{.account_id = account});
/// @endcode
/// @return the request, or an `invalid_argument` error.
template <Endpoint E, class... Args>
result<http::request> build_request(const client_options& o, const request_options& call, const Args&... args) {
    std::string_view base;
    if (auto e = detail::check_base_url(o.base_url, base)) return std::move(*e);
    http::request req;
    req.method = E::method;
    req.url.reserve(base.size() + 96);
    req.url.append(base);
    // Scheme in lower case (the canonical form), so transports compare it simply.
    for (std::size_t i = 0; i < req.url.size() && req.url[i] != ':'; ++i)
        if (req.url[i] >= 'A' && req.url[i] <= 'Z') req.url[i] = static_cast<char>(req.url[i] - 'A' + 'a');
    detail::request_builder b(req);
    static_assert(requires { E::describe(b, args...); },
                  "these arguments do not match the endpoint's describe(request_builder&, ...)");
    E::describe(b, args...);
    b.finish_body();
    if (!b.error().empty()) return detail::argument_error(b.error());
    // What the call adds beyond its declaration (fields the schema of 2024 lacks).
    if (!call.extra_query.empty())
        if (auto e = detail::apply_extra_query(req.url, call.extra_query); !e.empty()) return detail::argument_error(std::move(e));
    if (!call.extra_body.empty())
        if (auto e = detail::apply_extra_body(req.body, b.content_type(), call.extra_body); !e.empty())
            return detail::argument_error(std::move(e));

    req.headers.reserve(5 + o.default_headers.size() + call.headers.size());
    req.headers.emplace_back("Accept", std::is_same_v<typename E::response_type, binary_response> ? "*/*" : "application/json");
    if (!req.body.empty()) req.headers.emplace_back("Content-Type", std::string(b.content_type()));
    req.headers.emplace_back("User-Agent", o.user_agent);
    if constexpr (detail::needs_credentials<E>())
        if (auto e = detail::add_auth_headers(req.headers, o, detail::accepts_user_service_key<E>())) return std::move(*e);
    for (const auto& h : o.default_headers) req.headers.set(h.name, h.value);
    for (const auto& h : call.headers) req.headers.set(h.name, h.value);
    b.check_required_headers(req.headers);
    if (!b.error().empty()) return detail::argument_error(b.error());
    if (auto e = detail::check_headers(req.headers)) return std::move(*e);
    req.timeout = call.timeout.value_or(o.timeout);
    return req;
}

/// `build_request` with default per-call options.
template <Endpoint E, class... Args>
result<http::request> build_request(const client_options& o, const Args&... args) {
    return build_request<E>(o, request_options{}, args...);
}

namespace detail {
template <Endpoint E>
result<typename E::response_type> parse_json_result(const http::response& resp, const response_limits& lim,
                                                    std::vector<std::string>* warnings, response_validation mode);
} // namespace detail

/// Parses a response to endpoint `E`: a non-2xx becomes the status's error type, a 2xx must
/// be a JSON envelope with `success: true` and a `result` of the declared shape. A call whose
/// result carries nothing (`empty_result`) also succeeds on a 204 No Content, and on any empty
/// 2xx body when its schema says the answer has none (`E::no_content`).
///
/// Below the envelope, `mode` decides (see `response_validation`): by default a member that
/// does not fit is left empty and a line naming it (never its value) goes to `warnings` (when
/// given) and to the result's `warnings` member (when its type has one). Envelope failures (not
/// JSON, `success: false`, a non-JSON content type, over a limit) are errors in every mode.
template <Endpoint E>
result<typename E::response_type> parse_response(const http::response& resp, const response_limits& lim,
                                                 std::vector<std::string>* warnings,
                                                 response_validation mode = response_validation::tolerant) {
    using R = typename E::response_type;
    const detail::answerer who(E::name, detail::secret_paths<E>());
    if (resp.headers.size() > lim.max_headers)
        return detail::validation_error(who, resp.status, {}, resp.body,
                                        "more header fields than response_limits::max_headers");
    if (resp.status < 200 || resp.status > 299) return detail::status_error(who, resp, lim);
    if constexpr (std::is_same_v<R, binary_response>) {
        if (resp.body.size() > lim.max_body_bytes)
            return detail::validation_error(who, resp, "body larger than response_limits::max_body_bytes");
        return binary_response{std::string(resp.headers.get("content-type").value_or("")), resp.body};
    } else {
        if constexpr (std::is_same_v<R, empty_result>) {
            if (resp.body.empty() && (resp.status == 204 || detail::no_content<E>())) return empty_result{};
        }
        return detail::parse_json_result<E>(resp, lim, warnings, mode);
    }
}

namespace detail {
// The JSON part of parse_response: envelope, then the typed result.
template <Endpoint E>
result<typename E::response_type> parse_json_result(const http::response& resp, const response_limits& lim,
                                                    std::vector<std::string>* warnings, response_validation mode) {
    using R = typename E::response_type;
    const bool tolerant = mode == response_validation::tolerant;
    std::vector<std::string> found; // what tolerant or lenient reading let through
    std::vector<std::string>* lenient = tolerant || !E::idempotent ? &found : nullptr;
    const detail::answerer who(E::name, detail::secret_paths<E>());
    auto env = detail::check_envelope(who, resp, lim, detail::result_optional<E>(), detail::envelope_of<E>());
    if (!env) return std::move(env).error();
    auto budget = detail::read_budget::for_body(resp.body.size(), lim.max_memory_factor);
    detail::json_reader r("result", lenient, &env->doc);
    r.tolerant(tolerant, !E::idempotent).budget(&budget);
    R out{};
    if constexpr (std::is_same_v<R, empty_result>) {
        if (env->result) out.raw = detail::share(env->doc, *env->result);
        return out;
    } else if constexpr (std::is_same_v<R, raw_json>) {
        if (!env->result) return raw_json(std::make_shared<const boost::json::value>(nullptr)); // result_optional
        return detail::share(env->doc, *env->result);
    } else if constexpr (detail::is_page<R>::value) {
        if (!env->result) return detail::validation_error(who, resp, "`result` is missing or null");
        const auto* arr = env->result->if_array();
        if (!arr) return detail::validation_error(who, resp, "`result` must be an array");
        if (!r.charge("", arr->size(), sizeof(typename decltype(out.items)::value_type)))
            return detail::validation_error(who, resp, r.error());
        out.items = decltype(out.items)(arr->size()); // no element moves: see json_reader
        for (std::size_t i = 0; i < arr->size() && r.ok(); ++i) {
            detail::json_reader item("result[" + std::to_string(i) + "]", lenient, &env->doc);
            item.tolerant(tolerant, !E::idempotent).budget(&budget);
            detail::read_result(item, (*arr)[i], out.items[i], env->doc);
            if (!item.ok()) return detail::validation_error(who, resp, item.error());
        }
        if (const auto* ri = env->root ? env->root->if_contains("result_info") : nullptr; ri && !ri->is_null()) {
            detail::json_reader info("result_info", lenient);
            info.tolerant(tolerant).budget(&budget);
            info.read_object(*ri, out.result_info);
            if (!info.ok()) return detail::validation_error(who, resp, info.error());
        }
        if (!r.ok()) return detail::validation_error(who, resp, r.error());
        out.raw = detail::share(env->doc, *env->result);
    } else {
        if (!env->result) return detail::validation_error(who, resp, "`result` is missing or null");
        // The result itself must be of its kind in every mode: an object read as nothing is no result.
        if (!detail::json_reader::kind_matches<R>(*env->result))
            return detail::validation_error(who, resp, std::string("`result` must be ").append(detail::json_reader::kind_name<R>())
                                                           .append(", got ").append(detail::json_kind_name(*env->result)));
        detail::read_result(r, *env->result, out, env->doc);
        if (!r.ok()) return detail::validation_error(who, resp, r.error());
    }
    if (!found.empty()) {
        if constexpr (requires { out.warnings = found; }) out.warnings = found;
        if (warnings) *warnings = std::move(found);
    }
    return out;
}
} // namespace detail

/// `parse_response` without collecting warnings separately (the result's `warnings` member,
/// where its type has one, still gets them), reading tolerantly.
template <Endpoint E>
result<typename E::response_type> parse_response(const http::response& resp, const response_limits& lim = {}) {
    return parse_response<E>(resp, lim, nullptr);
}

/// The error a call to endpoint `E` ends with when the transport got no response: kind
/// `api_timeout` or `api_connection`, and, for a non-idempotent endpoint that may have reached
/// the server, `outcome_unknown()`. For I/O driven outside the client (see the Beast example).
template <Endpoint E>
error_info transport_failure_error(const transport_error_info& f) {
    error_info e(f.failure == transport_failure::timed_out ? error_kind::api_timeout : error_kind::api_connection,
                 std::string(E::name).append(": transport failure (").append(to_string(f.failure)).append("): ").append(f.message));
    e.set_transport(f.failure);
    e.set_outcome_unknown(decide_retry(E::idempotent, false, 0, f.failure, std::nullopt).outcome_unknown);
    return e;
}

} // namespace cloudflare
