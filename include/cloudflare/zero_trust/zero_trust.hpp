// cloudflare-cpp: `client.zero_trust`.
#pragma once

#include <cloudflare/zero_trust/access/access.hpp>

namespace cloudflare::zero_trust {

/// Zero Trust resources of a client.
template <class Core>
struct zero_trust_resource {
    explicit zero_trust_resource(Core* core) noexcept : access(core) {}
    /// Cloudflare Access.
    access::access_resource<Core> access;
};

} // namespace cloudflare::zero_trust
