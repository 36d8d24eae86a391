// cloudflare-cpp: `client.zero_trust.access`.
#pragma once

#include <cloudflare/zero_trust/access/service_tokens.hpp>

namespace cloudflare::zero_trust::access {

/// Cloudflare Access resources of a client.
template <class Core>
struct access_resource {
    explicit access_resource(Core* core) noexcept : service_tokens(core) {}
    /// Service tokens: list, create, get, update, delete_, refresh, rotate.
    service_tokens_resource<Core> service_tokens;
};

} // namespace cloudflare::zero_trust::access
