#!/usr/bin/env bash
# The conformance sweep: Prism serves the project's copy of Cloudflare's whole schema
# (codegen/openapi.overlaid.json) on a free loopback port while the sweep driver is built; the
# driver calls every generated operation through the client (tests/conformance/sweep/), and
# sweep_report.py explains every miss by its cause and compares the report with the committed
# tests/conformance/sweep-report.md. Needs a Clang build without sanitizers (the only one that
# compiles the driver).
#   usage: [SWEEP_LOG=file] tests/conformance/sweep.sh BUILD_DIR [--write]   (--write: rewrite the
#          report; SWEEP_LOG keeps the driver's log)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "$1" && pwd)
mode=--check
[ "${2:-}" = "--write" ] && mode=
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$work"; }
trap cleanup EXIT
. "$here/prism.sh"
install_prism || exit 1

start=$(date +%s)
port=$(free_port)
"$here/node_modules/.bin/prism" mock -h 127.0.0.1 -p "$port" "$root/codegen/openapi.overlaid.json" >"$work/prism.log" 2>&1 &
pids+=($!)
# Prism parses the 1,500-operation schema (about 20 s) while the driver compiles.
ninja -C "$build" tests/conformance/sweep >"$work/build.log" 2>&1 \
  || { echo "cannot build the sweep driver in $build:"; tail -30 "$work/build.log"; exit 1; }
echo "sweep: driver built in $(( $(date +%s) - start )) s"
wait_port "$port" 120 || { echo "Prism did not start:"; tail -20 "$work/prism.log"; exit 1; }
rc=0
"$build/tests/conformance/sweep" "http://127.0.0.1:$port" "$work/sweep.jsonl" || rc=1
python3 "$here/sweep_report.py" "$work/sweep.jsonl" "$root/codegen/openapi.overlaid.json" "$here/sweep-report.md" $mode || rc=1
[ -n "${SWEEP_LOG:-}" ] && cp "$work/sweep.jsonl" "$SWEEP_LOG" # keep the driver's log for a closer look
echo "sweep: $(( $(date +%s) - start )) s in all"
exit $rc
