#!/bin/sh
# Compile-time cost of the headers, -O2, CPU seconds (user + system), the minimum of N compiles
# of each TU, taken in turns so that a busy host slows every TU alike:
#   rotate      <cloudflare/cloudflare.hpp> and one rotate call
#   baseline    the same rotate TU against another tree's include/ (BASELINE=path/to/include),
#               e.g. the release before the generated API, to compare with "today's rotate"
#   boost.json  <boost/json.hpp> and one parse
#   one resource header and one call: zones.get, dns.records.list (a 20-kind union),
#               dns.records.scan (same header, small result), kv.namespaces.keys.list_all,
#               workflows.list (a resource generated from the official SDK's facts alone)
# Ratios are to the rotate TU; with BASELINE, also to the rotate and zones.get TUs against it
# (the yardstick for "one resource header and one call" when the generator changes), and the
# records.list TU against it too (what that TU cost before). Then one TU that includes
# every header (ALL_HEADERS=0 skips it: it takes minutes).
#   usage: [BASELINE=dir] [CXXFLAGS=...] tests/bench/compile_time.sh [compiler] [runs]   (from the repository root)
set -eu
cxx=${1:-c++}
runs=${2:-5}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. tests/bench/compile_tus.sh
cat > "$dir/boost_json.cpp" <<'CPP'
#include <boost/json.hpp>
int main() { return boost::json::parse(R"({"success":true})").is_object(); }
CPP
(cd include && find cloudflare -name '*.hpp' ! -path '*/testing/*' ! -name boost_json_src.hpp | sort | sed 's/.*/#include <&>/') > "$dir/all_headers.cpp"
echo 'int main() { return 0; }' >> "$dir/all_headers.cpp"

tus="rotate boost_json zones_get dns_records_list dns_records_scan kv_keys_list_all workflows_list"
i=0
while [ $i -lt "$runs" ]; do
    for t in $tus; do cpu include "$dir/$t.cpp" >> "$dir/$t.times"; done
    if [ -n "${BASELINE:-}" ]; then
        cpu "$BASELINE" "$dir/rotate.cpp" >> "$dir/baseline.times"
        cpu "$BASELINE" "$dir/zones_get.cpp" >> "$dir/baseline_zones_get.times"
        cpu "$BASELINE" "$dir/dns_records_list.cpp" >> "$dir/baseline_records_list.times"
    fi
    i=$((i + 1))
done
rot=$(least rotate)
echo "compile ($cxx -std=c++20 -O2, CPU seconds, least of $runs, taken in turns):"
printf '  %-46s %6ss\n' "rotate TU (cloudflare.hpp + one rotate)" "$rot"
base=
if [ -n "${BASELINE:-}" ]; then
    base=$(least baseline)
    printf '  %-46s %6ss   this tree is %sx\n' "rotate TU against $BASELINE" "$base" "$(echo "scale=2; $rot / $base" | bc)"
    bzg=$(least baseline_zones_get)
    printf '  %-46s %6ss\n' "zones_get TU against $BASELINE" "$bzg"
    brl=$(least baseline_records_list)
    printf '  %-46s %6ss   %sx the baseline'"'"'s zones_get\n' "dns_records_list TU against $BASELINE" "$brl" "$(echo "scale=2; $brl / $bzg" | bc)"
fi
bj=$(least boost_json)
printf '  %-46s %6ss   rotate TU is %sx\n' "boost/json.hpp + one parse" "$bj" "$(echo "scale=2; $rot / $bj" | bc)"
for t in zones_get dns_records_list dns_records_scan kv_keys_list_all workflows_list; do
    s=$(least "$t")
    line=$(printf '  %-46s %6ss   %sx the rotate TU' "$t (one header, one call)" "$s" "$(echo "scale=2; $s / $rot" | bc)")
    [ -n "$base" ] && line="$line, $(echo "scale=2; $s / $base" | bc)x the baseline, $(echo "scale=2; $s / $bzg" | bc)x the baseline's zones_get"
    echo "$line"
done
if [ "${ALL_HEADERS:-1}" = 1 ]; then
    printf '  %-46s %6ss   once\n' "every header in one TU (no call)" "$(cpu include "$dir/all_headers.cpp")"
fi
