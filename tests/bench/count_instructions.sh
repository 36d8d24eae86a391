#!/bin/sh
# Instructions per rotate call under callgrind: repeatable whatever else the machine does,
# unlike wall-clock time. Each figure is (run with N calls - run with 0 calls) / N.
#   usage: tests/bench/count_instructions.sh BUILD_DIR   (needs valgrind)
set -eu
bench="$1/tests/bench/bench_calls"
n=2000
count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bench" --only "$1" "$2" 2>&1 | awk '/Collected/ {print $4}'; }
for what in a b c d; do
    base=$(count "$what" 0)
    total=$(count "$what" "$n")
    eval "ir_$what=$(( (total - base) / n ))"
done
echo "instructions per rotate call (callgrind, 334-byte documented response):"
echo "  a. full client call  $ir_a"
echo "  b. build_request     $ir_b"
echo "  c. parse_response    $ir_c"
echo "  d. boost::json::parse $ir_d"
echo "  ratio a/d = $(echo "scale=2; $ir_a / $ir_d" | bc)   c/d = $(echo "scale=2; $ir_c / $ir_d" | bc)"
# The same rotate, synchronous client against asio::async_call run to completion one by one.
async_bench="$1/tests/bench/bench_async"
count_async() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$async_bench" "$1" "$2" 2>&1 | awk '/Collected/ {print $4}'; }
for what in sync async; do
    base=$(count_async "$what" 0)
    total=$(count_async "$what" "$n")
    eval "ir_$what=$(( (total - base) / n ))"
done
echo "  sync client call     $ir_sync"
echo "  asio::async_call     $ir_async   (async/sync = $(echo "scale=2; $ir_async / $ir_sync" | bc))"
