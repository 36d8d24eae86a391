// cloudflare-cpp: the schema's example answer of any generated endpoint, as a ready response,
// so a test can script a realistic answer without writing JSON by hand:
//
//     #include <cloudflare/testing/examples/dns/records.hpp>
//     fake.push(cloudflare::testing::example_response<cloudflare::dns::endpoints::record_list>());
//
// The examples of a resource live in <cloudflare/testing/examples/<resource path>.hpp>, beside
// nothing else: a program that does not include them does not pay for them.
#pragma once

#include <cloudflare/http.hpp>

#include <concepts>
#include <string>
#include <string_view>

namespace cloudflare::testing {

/// The example answer of endpoint `E`: `status`, `content_type` (empty: none, as for a 204) and
/// `body`, built by the generator from Cloudflare's schema (its examples where it has them, else
/// values of the right type). Specialised for every generated endpoint by its resource's
/// examples header.
template <class E>
struct example;

/// True when `E`'s example is declared in this translation unit.
template <class E>
concept has_example = requires {
    { example<E>::status } -> std::convertible_to<int>;
    { example<E>::content_type } -> std::convertible_to<std::string_view>;
    { example<E>::body } -> std::convertible_to<std::string_view>;
};

/// The example answer of endpoint `E` as Cloudflare would send it: push it into a
/// `fake_transport`, or pass it to `parse_response<E>`.
template <class E>
http::response example_response() {
    static_assert(has_example<E>, "example_response<E>: include <cloudflare/testing/examples/<E's resource path>.hpp>, "
                                  "e.g. <cloudflare/testing/examples/dns/records.hpp> for cloudflare::dns::endpoints::record_list");
    http::response r;
    if constexpr (has_example<E>) {
        r.status = example<E>::status;
        if (!example<E>::content_type.empty()) r.headers.set("content-type", std::string(example<E>::content_type));
        r.body = std::string(example<E>::body);
    }
    return r;
}

} // namespace cloudflare::testing
