#!/bin/sh
# Compile-time cost of the headers: a translation unit that includes <cloudflare/cloudflare.hpp>
# and makes one rotate call, against one that includes <boost/json.hpp> and parses a string.
# Prints the median of N compiles of each and their ratio.
#   usage: tests/bench/compile_time.sh [compiler] [runs]     (from the repository root)
set -eu
cxx=${1:-c++}
runs=${2:-5}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat > "$dir/cloudflare_tu.cpp" <<'CPP'
#include <cloudflare/cloudflare.hpp>
struct t { cloudflare::http::response send(const cloudflare::http::request&) { return {}; } };
int main() {
    cloudflare::client c{t{}, cloudflare::client_options{}};
    return c.zero_trust.access.service_tokens.try_rotate("id", {.account_id = "acc"}).has_value();
}
CPP
cat > "$dir/boost_json_tu.cpp" <<'CPP'
#include <boost/json.hpp>
int main() { return boost::json::parse(R"({"success":true})").is_object(); }
CPP
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_compile() { # prints seconds for one compile of $1
    start=$(date +%s.%N)
    "$cxx" -std=c++20 -O2 -Iinclude -c "$1" -o "$dir/out.o"
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}
for tu in cloudflare_tu boost_json_tu; do
    i=0
    : > "$dir/$tu.times"
    while [ $i -lt "$runs" ]; do time_compile "$dir/$tu.cpp" >> "$dir/$tu.times"; i=$((i + 1)); done
done
cf=$(median < "$dir/cloudflare_tu.times")
bj=$(median < "$dir/boost_json_tu.times")
echo "compile ($cxx -std=c++20 -O2, median of $runs): cloudflare.hpp + rotate call ${cf}s, boost/json.hpp + parse ${bj}s, ratio $(echo "scale=2; $cf / $bj" | bc)"
