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

/// A file sent as one part of a `multipart/form-data` body (a Worker's module, an image, a
/// schema): the name the server sees, its media type, and its bytes.
///
/// @par Example
/// @code
/// cloudflare::file_part{.filename = "worker.js", .content_type = "application/javascript+module",
///                       .data = source}
/// @endcode
struct file_part {
    std::string filename;
    std::string content_type = "application/octet-stream";
    std::string data;
};

/// A 2xx response that is not a JSON envelope: its bytes and `Content-Type` (empty if none).
struct binary_response {
    std::string content_type;
    std::string data;
};

} // namespace cloudflare
