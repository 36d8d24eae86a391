// Fixtures for the generated secret tests (tests/generated/test_secrets.cpp): a client over a fake
// transport whose observer keeps every string it is shown, and a walk over a typed result that
// finds where a planted credential landed.
#pragma once

#include "support.hpp"

#include <cloudflare/client.hpp>
#include <cloudflare/detail/members.hpp>

#include <boost/json/serialize.hpp>

#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace gen::secrets {

/// The credential the generator plants at each of an endpoint's secret paths. Neither shaped
/// like a Cloudflare secret nor named like one, so only the endpoint's own paths can hide it.
inline constexpr std::string_view planted = "Planted-Credential-7Qx2";

inline bool shows_planted(std::string_view text) { return text.find(planted) != std::string_view::npos; }

/// Where a result holds the planted credential: in `cloudflare::secret` members (as it must), in
/// JSON kept as it came (a `raw_json` member or result, where the schema gives no one type: it
/// prints nothing), and anywhere that prints it (a `std::string` member, a map key, a secret's
/// `operator<<`).
struct findings {
    int in_secrets = 0;
    int in_raw_json = 0;
    int printable = 0;
};

template <class T> struct is_optional : std::false_type {};
template <class T> struct is_optional<std::optional<T>> : std::true_type {};
template <class T> struct is_vector : std::false_type {};
template <class T, class A> struct is_vector<std::vector<T, A>> : std::true_type {};
template <class T> struct is_map : std::false_type {};
template <class K, class V, class C, class A> struct is_map<std::map<K, V, C, A>> : std::true_type {};
template <class T> struct is_variant : std::false_type {};
template <class... Ts> struct is_variant<std::variant<Ts...>> : std::true_type {};

/// Visits every member of a typed result, however nested (each struct's `raw`, the whole answer
/// as it came, aside).
template <class T>
void walk(const T& v, findings& f) {
    if constexpr (std::is_same_v<T, cloudflare::raw_json>) {
        if (shows_planted(boost::json::serialize(v.value()))) ++f.in_raw_json;
    } else if constexpr (std::is_same_v<T, cloudflare::secret>) {
        if (shows_planted(v.reveal())) ++f.in_secrets;
        std::ostringstream os;
        os << v;
        if (shows_planted(os.str())) ++f.printable;
    } else if constexpr (std::is_same_v<T, std::string>) {
        if (shows_planted(v)) ++f.printable;
    } else if constexpr (is_optional<T>::value) {
        if (v) walk(*v, f);
    } else if constexpr (is_vector<T>::value) {
        for (const auto& x : v) walk(x, f);
    } else if constexpr (is_map<T>::value) {
        for (const auto& [k, x] : v) {
            if (shows_planted(k)) ++f.printable;
            walk(x, f);
        }
    } else if constexpr (is_variant<T>::value) {
        std::visit([&](const auto& x) { walk(x, f); }, v);
    } else if constexpr (cloudflare::detail::is_page<T>::value) {
        walk(v.items, f);
    } else if constexpr (requires { T::tag_key; v.value; }) {
        walk(v.value, f);
    } else if constexpr (cloudflare::detail::member_struct<T>) {
        cloudflare::detail::for_each_member(v, [&](std::string_view, const auto& m) { walk(m, f); });
    }
}

/// A client over a scripted transport, no retries; its observer keeps every string it is given.
struct harness {
    cloudflare::testing::fake_transport fake;
    std::vector<std::string> reported;
    cloudflare::client<cloudflare::testing::fake_transport&> client{fake, options()};

    cloudflare::client_options options() {
        auto o = gen::options();
        o.max_retries = 0;
        o.observer = [this](const cloudflare::attempt_event& e) {
            reported.emplace_back(e.endpoint);
            reported.emplace_back(e.url);
            reported.emplace_back(e.decision);
            reported.emplace_back(e.response_body_excerpt);
            for (const auto* hs : {e.request_headers, e.response_headers})
                if (hs)
                    for (const auto& h : *hs) reported.push_back(h.name + ": " + h.value);
            for (const auto& w : e.warnings) reported.push_back(w);
        };
        return o;
    }

    /// Keeps every string an error reports.
    void keep(const cloudflare::error_info& e) {
        std::ostringstream os;
        os << e;
        reported.push_back(os.str());
        reported.push_back(e.message());
        reported.push_back(e.body_excerpt());
        for (const auto& h : e.headers()) reported.push_back(h.name + ": " + h.value);
        for (const auto* list : {&e.errors(), &e.messages()})
            for (const auto& m : *list) {
                reported.push_back(m.message);
                reported.push_back(m.documentation_url.value_or(""));
                reported.push_back(m.source_pointer.value_or(""));
            }
    }
};

/// The secret rule for one endpoint, through the public client: its answer `ok` (the schema's
/// example with the planted credential at every secret path) is read with the credential in
/// `secret` members, or JSON kept whole, only; that answer refused (HTTP 500, cut short, and `failed`, the same with
/// `success: false`, where the endpoint has an envelope) is reported with the credential nowhere:
/// not in observer events, messages, excerpts, error entries, headers or `operator<<`.
template <class Call>
void check(std::string_view ok, std::string_view failed, Call&& call) {
    harness h;
    h.fake.push(cloudflare::testing::json_response(200, std::string(ok)));
    auto r = call(h.client);
    REQUIRE_MESSAGE(r.has_value(), (r ? std::string() : r.error().message()));
    findings f;
    walk(*r, f);
    CHECK(f.printable == 0);
    CHECK(f.in_secrets + f.in_raw_json >= 1); // the planted answer was read, not skipped

    std::vector<cloudflare::http::response> refused{cloudflare::testing::json_response(500, std::string(ok)),
                                                    cloudflare::testing::json_response(200, std::string(ok.substr(0, ok.size() - 1)))};
    if (!failed.empty()) refused.push_back(cloudflare::testing::json_response(200, std::string(failed)));
    for (auto& answer : refused) {
        h.fake.push(std::move(answer));
        auto e = call(h.client);
        REQUIRE_FALSE(e.has_value());
        h.keep(e.error());
    }
    int shown = 0;
    for (const auto& s : h.reported) shown += shows_planted(s) ? 1 : 0;
    CHECK(shown == 0); // the strings themselves are never printed: they might hold a credential
}

} // namespace gen::secrets
