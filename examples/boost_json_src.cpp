// The one translation unit that compiles Boost.JSON when it is used header-only
// (meson -Dboost_json=header-only). In your program: one .cpp with this include, no -lboost_json.
#include <cloudflare/boost_json_src.hpp>
