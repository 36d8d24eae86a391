#!/bin/sh
# Compile-time cost of the headers: a translation unit that includes <cloudflare/cloudflare.hpp>
# and makes one rotate call, against one that includes <boost/json.hpp> and parses a string.
# Prints the median of N compiles of each and their ratio; then a TU with one generated resource
# and one call (its ratio to the rotate TU), and a TU that includes every header.
#   usage: [CXXFLAGS=...] tests/bench/compile_time.sh [compiler] [runs]     (from the repository root)
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
# Compile cost follows use: one generated resource and one call (DNS records, the largest
# popular resource), against the rotate TU above; and a TU that includes every header.
cat > "$dir/dns_records_tu.cpp" <<'CPP'
#include <cloudflare/client.hpp>
#include <cloudflare/dns/records.hpp>
struct t { cloudflare::http::response send(const cloudflare::http::request&) { return {}; } };
int main() {
    cloudflare::client c{t{}, cloudflare::client_options{}};
    return c.dns.records.try_list({.zone_id = "zone"}).has_value();
}
CPP
(cd include && find cloudflare -name '*.hpp' ! -path '*/testing/*' ! -name boost_json_src.hpp | sort | sed 's/.*/#include <&>/') > "$dir/all_headers_tu.cpp"
echo 'int main() { return 0; }' >> "$dir/all_headers_tu.cpp"
cat > "$dir/boost_json_tu.cpp" <<'CPP'
#include <boost/json.hpp>
int main() { return boost::json::parse(R"({"success":true})").is_object(); }
CPP
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_compile() { # prints seconds for one compile of $1
    start=$(date +%s.%N)
    "$cxx" -std=c++20 -O2 ${CXXFLAGS:-} -Iinclude -c "$1" -o "$dir/out.o"
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}
for tu in cloudflare_tu boost_json_tu dns_records_tu; do
    i=0
    : > "$dir/$tu.times"
    while [ $i -lt "$runs" ]; do time_compile "$dir/$tu.cpp" >> "$dir/$tu.times"; i=$((i + 1)); done
done
cf=$(median < "$dir/cloudflare_tu.times")
bj=$(median < "$dir/boost_json_tu.times")
echo "compile ($cxx -std=c++20 -O2, median of $runs): cloudflare.hpp + rotate call ${cf}s, boost/json.hpp + parse ${bj}s, ratio $(echo "scale=2; $cf / $bj" | bc)"
dns=$(median < "$dir/dns_records_tu.times")
echo "compile ($cxx): dns/records.hpp + one call ${dns}s, $(echo "scale=2; $dns / $cf" | bc)x the rotate TU"
if [ "${ALL_HEADERS:-1}" = 1 ]; then # minutes: ALL_HEADERS=0 skips it
    all=$(time_compile "$dir/all_headers_tu.cpp")
    echo "compile ($cxx): every header in one TU (no call) ${all}s, once"
fi
