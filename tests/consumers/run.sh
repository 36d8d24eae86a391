#!/usr/bin/env bash
# Installs cloudflare-cpp into a temporary prefix and builds consumers against it the ways users
# do: meson (pkg-config, and as a subproject), CMake (find_package), and a plain compiler call
# with pkg-config, both with Boost.JSON linked and header-only. Each rotates against the emulator.
#   usage: tests/consumers/run.sh      (from anywhere; needs meson, cmake, pkg-config, a C++ compiler)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/tests/consumers"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"
cxx=${CXX:-c++}

meson setup "$work/build" "$root" --prefix="$prefix" -Dtests=false -Dexamples=false >/dev/null
meson install -C "$work/build" >/dev/null
pcdir=$(dirname "$(find "$prefix" -name cloudflare-cpp.pc)")
export PKG_CONFIG_PATH="$pcdir"
pass=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }

# 1. meson, dependency found through the installed pkg-config file
meson setup "$work/meson" "$here/meson" >/dev/null && ninja -C "$work/meson" >/dev/null && "$work/meson/consumer" && ok "meson + pkg-config"

# 2. meson, as a subproject (what `dependency(..., fallback:)` falls back to)
mkdir -p "$work/sub/subprojects"
cp "$here/meson/meson.build" "$work/sub/" && cp "$here/main.cpp" "$work/" && ln -s "$root" "$work/sub/subprojects/cloudflare-cpp"
PKG_CONFIG_PATH= meson setup "$work/sub/build" "$work/sub" --force-fallback-for=cloudflare-cpp -Dcloudflare-cpp:tests=false \
  -Dcloudflare-cpp:examples=false >/dev/null && ninja -C "$work/sub/build" >/dev/null && "$work/sub/build/consumer" && ok "meson subproject"

# 3. CMake, find_package(cloudflare-cpp CONFIG)
cmake -S "$here/cmake" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_STANDARD=20 >/dev/null \
  && cmake --build "$work/cmake" >/dev/null && "$work/cmake/consumer" && ok "cmake find_package"

# 4. a plain compiler call with pkg-config (Boost.JSON linked)
$cxx -std=c++20 -DCONSUMER_KIND='"pkg-config"' "$here/main.cpp" -o "$work/plain" $(pkg-config --cflags --libs cloudflare-cpp) \
  && "$work/plain" && ok "c++ \$(pkg-config --cflags --libs cloudflare-cpp)"

# 5. the same with Boost.JSON header-only: one extra TU, no -lboost_json
printf '#include <cloudflare/boost_json_src.hpp>\n' > "$work/boost_json_src.cpp"
$cxx -std=c++20 -DCONSUMER_KIND='"header-only"' "$here/main.cpp" "$work/boost_json_src.cpp" -o "$work/header_only" \
  $(pkg-config --cflags cloudflare-cpp) && ! ldd "$work/header_only" | grep -q boost_json && "$work/header_only" && ok "header-only Boost.JSON"

echo "$pass passed, $((5 - pass)) failed"
[ "$pass" -eq 5 ]
