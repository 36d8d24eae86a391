// cloudflare-cpp: version and build-configuration macros.
#pragma once

/// Library version, also sent in the default `User-Agent` (`cloudflare-cpp/<version>`).
#define CLOUDFLARE_CPP_VERSION_MAJOR 0
#define CLOUDFLARE_CPP_VERSION_MINOR 4
#define CLOUDFLARE_CPP_VERSION_PATCH 1
#define CLOUDFLARE_CPP_VERSION_STRING "0.4.1"

/// 1 when the translation unit is compiled with exceptions, 0 for `-fno-exceptions` builds.
/// Without exceptions only the `try_` forms and `result<T>` inspection are available.
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND)
#define CLOUDFLARE_HAS_EXCEPTIONS 1
#else
#define CLOUDFLARE_HAS_EXCEPTIONS 0
#endif

namespace cloudflare {
/// The version string, e.g. "0.3.0".
inline constexpr const char* version = CLOUDFLARE_CPP_VERSION_STRING;
} // namespace cloudflare
