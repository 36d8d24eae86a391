// cloudflare-cpp: bodies and results that are not JSON (multipart forms, octet streams, NDJSON,
// scripts; CSV, PDF, images, Workers KV values).
#pragma once

#include <string>

namespace cloudflare {

/// A request body sent as given: the bytes and their media type (e.g. a `multipart/form-data`
/// body with its boundary, `application/octet-stream`, `application/x-ndjson`).
struct binary_body {
    std::string content_type;
    std::string data;
};

/// A 2xx response that is not a JSON envelope: its bytes and `Content-Type` (empty if none).
struct binary_response {
    std::string content_type;
    std::string data;
};

} // namespace cloudflare
