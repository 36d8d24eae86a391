#!/bin/sh
# What the dns.records.list TU's compile time is made of (the generator issue's 1.3x bound): the
# TU of compile_time.sh against copies of include/ with parts taken away that the API needs
# (tests/bench/cut_headers.py), so each figure is the least that part could cost:
#   full                   today's headers
#   tree of 3              the client's resource tree cut to dns.records, zones and service tokens
#   tree of 3, 10 kinds    ... and the DNS record union cut to 10 of its 20 kinds
# plus records.scan (same header, a small result) against the full and the cut tree. -O2, CPU
# seconds, the least of N compiles of each TU, taken in turns; ratios to the rotate TU of 0.2.0.
#   usage: BASELINE=<0.2.0's include/> tests/bench/compile_floor.sh [compiler] [runs]   (from the repository root)
set -eu
cxx=${1:-c++}
runs=${2:-5}
: "${BASELINE:?set BASELINE to the include/ of 0.2.0 (git archive b1cf1c1 include | tar -x -C DIR)}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 tests/bench/cut_headers.py "$dir/tree3" --tree dns.records,zones,zero_trust.access.service_tokens
python3 tests/bench/cut_headers.py "$dir/tree3k10" --from "$dir/tree3/include" --kinds 10
. tests/bench/compile_tus.sh
# label include-dir source
l=dns_records_list s=dns_records_scan
cases="baseline|$BASELINE|rotate list|include|$l list_tree3|$dir/tree3/include|$l list_tree3_kinds10|$dir/tree3k10/include|$l scan|include|$s scan_tree3|$dir/tree3/include|$s"
i=0
while [ $i -lt "$runs" ]; do
    for c in $cases; do
        label=${c%%|*}; rest=${c#*|}; inc=${rest%|*}; src=${rest##*|}
        cpu "$inc" "$dir/$src.cpp" >> "$dir/$label.times"
    done
    i=$((i + 1))
done
base=$(least baseline)
echo "compile ($cxx -std=c++20 -O2, CPU seconds, least of $runs, taken in turns):"
printf '  %-58s %6ss\n' "rotate TU of 0.2.0" "$base"
show() { printf '  %-58s %6ss   %sx\n' "$2" "$(least "$1")" "$(echo "scale=2; $(least "$1") / $base" | bc)"; }
show list "records.list, the headers as they are"
show list_tree3 "records.list, resource tree cut to 3 resources"
show list_tree3_kinds10 "records.list, tree of 3 and 10 of the 20 record kinds"
show scan "records.scan, the headers as they are"
show scan_tree3 "records.scan, resource tree cut to 3 resources"
