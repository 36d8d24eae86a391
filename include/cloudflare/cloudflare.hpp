// cloudflare-cpp: everything a user needs, in one include.
#pragma once

#include <cloudflare/client.hpp>
#include <cloudflare/client_options.hpp>
#include <cloudflare/endpoint.hpp>
#include <cloudflare/error.hpp>
#include <cloudflare/http.hpp>
#include <cloudflare/nullable.hpp>
#include <cloudflare/pager.hpp>
#include <cloudflare/raw_json.hpp>
#include <cloudflare/result.hpp>
#include <cloudflare/retry.hpp>
#include <cloudflare/secret.hpp>
#include <cloudflare/timestamp.hpp>
#include <cloudflare/transport.hpp>
#include <cloudflare/version.hpp>
#include <cloudflare/zero_trust/access/service_tokens.hpp>
