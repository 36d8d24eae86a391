// cloudflare-cpp: Boost.JSON without its compiled library.
//
// Include this header in exactly one translation unit of your program to compile Boost.JSON
// into it; then do not link -lboost_json. (Meson: -Dboost_json=header-only; CMake: set
// CLOUDFLARE_CPP_BOOST_JSON_HEADER_ONLY before find_package; pkg-config: use --cflags only.)
#pragma once

#include <boost/json/src.hpp>
