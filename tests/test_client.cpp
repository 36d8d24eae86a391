// The client: transport ownership, options from the environment, transport failures.
#include "support.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <functional>

using namespace cloudflare;
using namespace fixtures;

namespace {
// A minimal throwing transport, as a user would write one.
struct throwing_transport {
    int calls = 0;
    std::optional<transport_failure> fail_with;
    http::response send(const http::request&) {
        ++calls;
        if (fail_with) throw transport_error(*fail_with, "boom");
        return ok(documented_rotate_body);
    }
};
static_assert(Transport<throwing_transport>);
static_assert(Transport<throwing_transport&>);
static_assert(Transport<std::reference_wrapper<throwing_transport>>);
static_assert(!Transport<int>);
struct not_a_transport { void send(const http::request&) {} };
static_assert(!Transport<not_a_transport>);

// A transport that breaks its contract by throwing something else.
struct rogue_transport {
    http::response send(const http::request&) { throw std::runtime_error("socket exploded"); }
};

zero_trust::access::service_token_rotate_params params() { return {.account_id = std::string(account)}; }
} // namespace

TEST_CASE("client<T> owns its transport; client<T&> and reference_wrapper share the caller's") {
    SUBCASE("by value") {
        client c{throwing_transport{}, token_options()};
        static_assert(std::is_same_v<decltype(c), client<throwing_transport>>);
        c.zero_trust.access.service_tokens.rotate(token_id, params());
        CHECK(c.transport().calls == 1);
    }
    SUBCASE("by reference") {
        throwing_transport t;
        client c{t, token_options()};
        static_assert(std::is_same_v<decltype(c), client<throwing_transport&>>);
        c.zero_trust.access.service_tokens.rotate(token_id, params());
        CHECK(t.calls == 1);
        CHECK(&c.transport() == &t);
    }
    SUBCASE("by reference_wrapper") {
        throwing_transport t;
        client c{std::ref(t), token_options()};
        c.zero_trust.access.service_tokens.rotate(token_id, params());
        CHECK(t.calls == 1);
    }
    SUBCASE("moving the client keeps it working") {
        throwing_transport t;
        client a{t, token_options()};
        client b = std::move(a);
        b.zero_trust.access.service_tokens.rotate(token_id, params());
        CHECK(t.calls == 1);
    }
}

TEST_CASE("client_options::from_env reads every variable") {
    ::setenv("CLOUDFLARE_API_TOKEN", "env-token", 1);
    ::setenv("CLOUDFLARE_API_KEY", "env-key", 1);
    ::setenv("CLOUDFLARE_EMAIL", "env@example.com", 1);
    ::setenv("CLOUDFLARE_API_USER_SERVICE_KEY", "env-usk", 1);
    ::setenv("CLOUDFLARE_BASE_URL", "http://127.0.0.1:4010/", 1);
    auto o = client_options::from_env();
    CHECK(o.api_token.reveal() == "env-token");
    CHECK(o.api_key.reveal() == "env-key");
    CHECK(o.api_email.reveal() == "env@example.com");
    CHECK(o.user_service_key.reveal() == "env-usk");
    CHECK(o.base_url == "http://127.0.0.1:4010/");
    for (const char* v : {"CLOUDFLARE_API_TOKEN", "CLOUDFLARE_API_KEY", "CLOUDFLARE_EMAIL", "CLOUDFLARE_API_USER_SERVICE_KEY", "CLOUDFLARE_BASE_URL"})
        ::unsetenv(v);
    auto d = client_options::from_env();
    CHECK(d.api_token.empty());
    CHECK_FALSE(d.has_credentials());
    CHECK(d.base_url == "https://api.cloudflare.com/client/v4");
}

TEST_CASE("transport failures become api_connection_error / api_timeout_error") {
    auto o = token_options();
    o.max_retries = 0;
    SUBCASE("throwing transport, timeout") {
        client c{throwing_transport{.calls = 0, .fail_with = transport_failure::timed_out}, o};
        auto r = c.zero_trust.access.service_tokens.try_rotate(token_id, params());
        REQUIRE_FALSE(r);
        CHECK(r.error().kind() == error_kind::api_timeout);
        CHECK(r.error().transport() == transport_failure::timed_out);
        CHECK(r.error().outcome_unknown());
        CHECK_THROWS_AS(c.zero_trust.access.service_tokens.rotate(token_id, params()), api_timeout_error);
        CHECK_THROWS_AS(c.zero_trust.access.service_tokens.rotate(token_id, params()), api_connection_error);
    }
    SUBCASE("result transport, not sent") {
        testing::fake_transport fake;
        fake.push(transport_failure::not_sent, "connection refused");
        client c{fake, o};
        auto r = c.zero_trust.access.service_tokens.try_rotate(token_id, params());
        REQUIRE_FALSE(r);
        CHECK(r.error().kind() == error_kind::api_connection);
        CHECK(r.error().transport() == transport_failure::not_sent);
        CHECK_FALSE(r.error().outcome_unknown());
        CHECK(contains(r.error().message(), "connection refused"));
        REQUIRE(r.error().attempts().size() == 1);
        CHECK(r.error().attempts()[0].failure == transport_failure::not_sent);
    }
    SUBCASE("a transport throwing a foreign exception counts as maybe_sent") {
        client c{rogue_transport{}, o};
        auto r = c.zero_trust.access.service_tokens.try_rotate(token_id, params());
        REQUIRE_FALSE(r);
        CHECK(r.error().transport() == transport_failure::maybe_sent);
        CHECK(r.error().outcome_unknown());
        CHECK(contains(r.error().message(), "socket exploded"));
    }
}

TEST_CASE("result<T>: has_value, bool, value, *, ->, error") {
    testing::fake_transport fake;
    fake.push(ok(documented_rotate_body));
    client c{fake, token_options()};
    auto r = c.zero_trust.access.service_tokens.try_rotate(token_id, params());
    CHECK(r.has_value());
    CHECK(static_cast<bool>(r));
    CHECK(r->id == "id");
    CHECK((*r).name == "CI/CD token");
    CHECK(r.value().client_id == "88bf3b6d86161464f6509f7219099e57.access.example.com");
    auto e = c.zero_trust.access.service_tokens.try_rotate("", params());
    CHECK_FALSE(e);
    CHECK(e.error().kind() == error_kind::invalid_argument);
    CHECK(e.error().status() == 0);
    CHECK(e.error().errors().empty());
    CHECK_FALSE(e.error().message().empty());
}

TEST_CASE("invalid_argument is a cloudflare::error and is caught as std::exception") {
    testing::fake_transport fake;
    client c{fake, token_options()};
    CHECK_THROWS_AS(c.zero_trust.access.service_tokens.rotate("", params()), cloudflare::invalid_argument);
    CHECK_THROWS_AS(c.zero_trust.access.service_tokens.rotate("", params()), cloudflare::error);
    CHECK_THROWS_AS(c.zero_trust.access.service_tokens.rotate("", params()), std::exception);
    try {
        c.zero_trust.access.service_tokens.rotate("", params());
    } catch (const std::exception& e) {
        CHECK(std::string_view(e.what()) == "Expected a non-empty value for `service_token_id`");
    }
}
