// cloudflare-cpp: Cloudflare Access service tokens
// (`/{accounts|zones}/{id}/access/service_tokens`): types, endpoint declarations, and the
// `client.zero_trust.access.service_tokens` resource.
#pragma once

#include <cloudflare/endpoint.hpp>
#include <cloudflare/error.hpp>
#include <cloudflare/pager.hpp>
#include <cloudflare/raw_json.hpp>
#include <cloudflare/secret.hpp>
#include <cloudflare/timestamp.hpp>

#include <boost/describe/class.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cloudflare::zero_trust::access {

// ---------------------------------------------------------------------------------------------
// Results

/// A service token as get, list, update, delete and refresh return it (no secret).
struct service_token {
    std::string id;                                  ///< UUID
    std::optional<std::string> client_id;            ///< sent as `CF-Access-Client-Id`
    std::optional<timestamp> created_at;
    std::optional<timestamp> updated_at;
    std::optional<std::string> duration;             ///< e.g. "8760h", "60m", "forever"
    std::optional<std::string> name;
    std::optional<timestamp> expires_at;
    std::optional<timestamp> last_seen_at;
    std::optional<std::int64_t> client_secret_version;
    std::optional<timestamp> previous_client_secret_expires_at;
    std::optional<bool> enabled;
    raw_json raw;                                    ///< the whole JSON object, unknown fields included
    /// Optional fields refresh's answer had but the client could not read (left unset; see
    /// `parse_response`). Always empty for get, list, update and delete, which fail instead.
    std::vector<std::string> warnings;
};
BOOST_DESCRIBE_STRUCT(service_token, (),
                      (id, client_id, created_at, updated_at, duration, name, expires_at, last_seen_at,
                       client_secret_version, previous_client_secret_expires_at, enabled))

/// What create returns: the token and its client secret, shown this once.
struct service_token_create_response {
    std::string id;
    std::string client_id;
    secret client_secret;                            ///< `reveal()` it into your vault; never logged
    std::optional<timestamp> created_at;
    std::optional<timestamp> updated_at;
    std::optional<std::string> duration;
    std::optional<std::string> name;
    std::optional<timestamp> expires_at;
    std::optional<timestamp> last_seen_at;
    std::optional<std::int64_t> client_secret_version;
    std::optional<timestamp> previous_client_secret_expires_at;
    std::optional<bool> enabled;
    raw_json raw;                                    ///< includes the secret, unredacted
    /// Optional fields the answer had but the client could not read, each left unset (e.g. an
    /// odd `last_seen_at`): the call was applied, so its new secret is returned anyway.
    std::vector<std::string> warnings;
};
BOOST_DESCRIBE_STRUCT(service_token_create_response, (),
                      (id, client_id, client_secret, created_at, updated_at, duration, name, expires_at,
                       last_seen_at, client_secret_version, previous_client_secret_expires_at, enabled))

/// What rotate returns: the token with its new client secret (same shape as create's).
struct service_token_rotate_response : service_token_create_response {};
BOOST_DESCRIBE_STRUCT(service_token_rotate_response, (service_token_create_response), ())

// ---------------------------------------------------------------------------------------------
// Parameters. Where both scopes exist, set exactly one of `account_id` / `zone_id`.

/// Parameters of `list`.
struct service_token_list_params {
    std::optional<std::string> account_id{};
    std::optional<std::string> zone_id{};
    std::optional<std::string> name{};        ///< exact name
    std::optional<std::string> search{};      ///< substring of name
    std::optional<std::int64_t> page{};       ///< 1-based
    std::optional<std::int64_t> per_page{};
};

/// Parameters of `create`.
struct service_token_create_params {
    std::optional<std::string> account_id{};
    std::optional<std::string> zone_id{};
    std::string name{};                       ///< required
    std::optional<std::string> duration{};    ///< default "8760h"
    std::optional<std::int64_t> client_secret_version{};
    std::optional<date_time> previous_client_secret_expires_at{};
};

/// Parameters of `get`.
struct service_token_get_params {
    std::optional<std::string> account_id{};
    std::optional<std::string> zone_id{};
};

/// Parameters of `update` (unset fields are left unchanged).
struct service_token_update_params {
    std::optional<std::string> account_id{};
    std::optional<std::string> zone_id{};
    std::optional<std::string> name{};
    std::optional<std::string> duration{};
    std::optional<std::int64_t> client_secret_version{};
    std::optional<date_time> previous_client_secret_expires_at{};
};

/// Parameters of `delete_`.
struct service_token_delete_params {
    std::optional<std::string> account_id{};
    std::optional<std::string> zone_id{};
};

/// Parameters of `refresh` (account scope only).
struct service_token_refresh_params {
    std::string account_id{};
};

/// Parameters of `rotate` (account scope only).
struct service_token_rotate_params {
    std::string account_id{};
    /// Keep the current secret valid until then (grace period). Unset: it stops working at once.
    /// Only one previous secret is kept: rotating again inside the grace period ends it.
    std::optional<date_time> previous_client_secret_expires_at{};
};

// ---------------------------------------------------------------------------------------------
// Endpoint declarations (the sans-IO layer: `cloudflare::build_request<E>` / `parse_response<E>`)

namespace endpoints {

namespace paths {
// /{accounts|zones}/{id}/access/service_tokens
template <class P>
void collection(detail::request_builder& b, const P& p) {
    b.scope(p.account_id, p.zone_id).path("/access/service_tokens");
}
// .../access/service_tokens/{service_token_id}
template <class P>
void token(detail::request_builder& b, std::string_view id, const P& p) {
    collection(b, p);
    b.path("/").param("service_token_id", id);
}
// /accounts/{account_id}/access/service_tokens/{service_token_id}/{action} (account scope only)
inline void account_action(detail::request_builder& b, std::string_view id, std::string_view account_id, std::string_view action) {
    b.path("/accounts/").param("account_id", account_id);
    b.path("/access/service_tokens/").param("service_token_id", id).path(action);
}
// The settings create and update share.
template <class P>
void settings(detail::json_body_writer& body, const P& p) {
    body.field("name", p.name);
    body.field("duration", p.duration);
    body.field("client_secret_version", p.client_secret_version);
    body.field("previous_client_secret_expires_at", p.previous_client_secret_expires_at);
}
} // namespace paths

/// GET /{accounts|zones}/{id}/access/service_tokens
struct service_token_list {
    using params_type = service_token_list_params;
    using response_type = page<service_token>;
    static constexpr http::method method = http::method::get;
    static constexpr bool idempotent = true;
    static constexpr std::string_view name = "zero_trust.access.service_tokens.list";
    static void describe(detail::request_builder& b, const service_token_list_params& p) {
        paths::collection(b, p);
        b.query("name", p.name).query("search", p.search).query("page", p.page).query("per_page", p.per_page);
    }
};

/// POST /{accounts|zones}/{id}/access/service_tokens
struct service_token_create {
    using response_type = service_token_create_response;
    static constexpr http::method method = http::method::post;
    static constexpr bool idempotent = false;
    static constexpr std::string_view name = "zero_trust.access.service_tokens.create";
    static void describe(detail::request_builder& b, const service_token_create_params& p) {
        paths::collection(b, p);
        if (p.name.empty()) b.fail("Expected a non-empty value for `name`");
        paths::settings(b.body(), p);
    }
};

/// GET /{accounts|zones}/{id}/access/service_tokens/{service_token_id}
struct service_token_get {
    using response_type = service_token;
    static constexpr http::method method = http::method::get;
    static constexpr bool idempotent = true;
    static constexpr std::string_view name = "zero_trust.access.service_tokens.get";
    static void describe(detail::request_builder& b, std::string_view id, const service_token_get_params& p) {
        paths::token(b, id, p);
    }
};

/// PUT /{accounts|zones}/{id}/access/service_tokens/{service_token_id}
struct service_token_update {
    using response_type = service_token;
    static constexpr http::method method = http::method::put;
    static constexpr bool idempotent = true;
    static constexpr std::string_view name = "zero_trust.access.service_tokens.update";
    static void describe(detail::request_builder& b, std::string_view id, const service_token_update_params& p) {
        paths::token(b, id, p);
        paths::settings(b.body(), p);
        b.body().ensure_object(); // PUT always carries a JSON object, `{}` when nothing changes
    }
};

/// DELETE /{accounts|zones}/{id}/access/service_tokens/{service_token_id}
struct service_token_delete {
    using response_type = service_token;
    static constexpr http::method method = http::method::delete_;
    static constexpr bool idempotent = true;
    static constexpr std::string_view name = "zero_trust.access.service_tokens.delete";
    static void describe(detail::request_builder& b, std::string_view id, const service_token_delete_params& p) {
        paths::token(b, id, p);
    }
};

/// POST /accounts/{account_id}/access/service_tokens/{service_token_id}/refresh
struct service_token_refresh {
    using response_type = service_token;
    static constexpr http::method method = http::method::post;
    static constexpr bool idempotent = false;
    static constexpr std::string_view name = "zero_trust.access.service_tokens.refresh";
    static void describe(detail::request_builder& b, std::string_view id, const service_token_refresh_params& p) {
        paths::account_action(b, id, p.account_id, "/refresh");
    }
};

/// POST /accounts/{account_id}/access/service_tokens/{service_token_id}/rotate
struct service_token_rotate {
    using response_type = service_token_rotate_response;
    static constexpr http::method method = http::method::post;
    static constexpr bool idempotent = false;
    static constexpr std::string_view name = "zero_trust.access.service_tokens.rotate";
    static void describe(detail::request_builder& b, std::string_view id, const service_token_rotate_params& p) {
        paths::account_action(b, id, p.account_id, "/rotate");
        b.body().field("previous_client_secret_expires_at", p.previous_client_secret_expires_at);
    }
};

} // namespace endpoints

// ---------------------------------------------------------------------------------------------
// The resource: `client.zero_trust.access.service_tokens`

/// The service-token calls of a client. Every call has a throwing form (returns the result,
/// throws a `cloudflare::error` subtype) and a `try_` form (returns `cloudflare::result<T>`).
/// `Core` is the client's internals; users reach this only through `client`. Null on a
/// moved-from client: every call then fails with `invalid_argument`.
template <class Core>
class service_tokens_resource {
public:
    explicit service_tokens_resource(Core* core) noexcept : core_(core) {}

    /// One page of tokens. @see list_all for every page.
    result<page<service_token>> try_list(const service_token_list_params& p, const request_options& o = {}) {
        return Core::template invoke<endpoints::service_token_list>(core_, o, p);
    }
    /// Every token, fetched page by page as the range is walked; yields `result<service_token>`
    /// and ends after the first error.
    basic_pager<Core, endpoints::service_token_list, false>
    try_list_all(service_token_list_params p, request_options o = {}) {
        return {core_, std::move(p), std::move(o)};
    }
    /// Creates a token; the response holds its only copy of the client secret.
    result<service_token_create_response> try_create(const service_token_create_params& p, const request_options& o = {}) {
        return Core::template invoke<endpoints::service_token_create>(core_, o, p);
    }
    /// Reads one token.
    result<service_token> try_get(std::string_view id, const service_token_get_params& p, const request_options& o = {}) {
        return Core::template invoke<endpoints::service_token_get>(core_, o, id, p);
    }
    /// Changes name, duration or secret-version settings.
    result<service_token> try_update(std::string_view id, const service_token_update_params& p, const request_options& o = {}) {
        return Core::template invoke<endpoints::service_token_update>(core_, o, id, p);
    }
    /// Deletes a token; its secrets stop working.
    result<service_token> try_delete_(std::string_view id, const service_token_delete_params& p, const request_options& o = {}) {
        return Core::template invoke<endpoints::service_token_delete>(core_, o, id, p);
    }
    /// Extends `expires_at` by the token's duration. Not idempotent: not retried after an
    /// unknown outcome (see README, retries).
    result<service_token> try_refresh(std::string_view id, const service_token_refresh_params& p, const request_options& o = {}) {
        return Core::template invoke<endpoints::service_token_refresh>(core_, o, id, p);
    }
    /// Generates a new client secret and revokes the old one, at once or at
    /// `previous_client_secret_expires_at`. Not idempotent: never retried when the first attempt
    /// may have been applied (the error then says `outcome_unknown()`; read the token back).
    result<service_token_rotate_response> try_rotate(std::string_view id, const service_token_rotate_params& p, const request_options& o = {}) {
        return Core::template invoke<endpoints::service_token_rotate>(core_, o, id, p);
    }

#if CLOUDFLARE_HAS_EXCEPTIONS
    /// Throwing form of `try_list`.
    page<service_token> list(const service_token_list_params& p, const request_options& o = {}) { return try_list(p, o).value(); }
    /// Every token as a lazily paged range of `service_token`; throws on the first error.
    basic_pager<Core, endpoints::service_token_list, true> list_all(service_token_list_params p, request_options o = {}) {
        return {core_, std::move(p), std::move(o)};
    }
    /// Throwing form of `try_create`.
    service_token_create_response create(const service_token_create_params& p, const request_options& o = {}) { return try_create(p, o).value(); }
    /// Throwing form of `try_get`.
    service_token get(std::string_view id, const service_token_get_params& p, const request_options& o = {}) { return try_get(id, p, o).value(); }
    /// Throwing form of `try_update`.
    service_token update(std::string_view id, const service_token_update_params& p, const request_options& o = {}) { return try_update(id, p, o).value(); }
    /// Throwing form of `try_delete_`.
    service_token delete_(std::string_view id, const service_token_delete_params& p, const request_options& o = {}) { return try_delete_(id, p, o).value(); }
    /// Throwing form of `try_refresh`.
    service_token refresh(std::string_view id, const service_token_refresh_params& p, const request_options& o = {}) { return try_refresh(id, p, o).value(); }
    /// Throwing form of `try_rotate`.
    ///
    /// @par Example
    /// @code
    /// auto token = client.zero_trust.access.service_tokens.rotate(
    ///     "f174e90a-fafe-4643-bbbc-4a0ed4fc8415", {.account_id = "023e105f4ecef8ad9ca31a8372d0c353"});
    /// vault.store(token.client_id, token.client_secret.reveal());
    /// @endcode
    /// @throws cloudflare::error subtypes; `outcome_unknown()` tells whether it may have happened.
    service_token_rotate_response rotate(std::string_view id, const service_token_rotate_params& p, const request_options& o = {}) { return try_rotate(id, p, o).value(); }
#endif

private:
    Core* core_;
};

} // namespace cloudflare::zero_trust::access
