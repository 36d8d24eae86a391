#!/usr/bin/env bash
# Conformance against Cloudflare's OpenAPI schema: starts Prism (pinned in package.json,
# installed into tests/conformance/node_modules) on a free loopback port, waits until it
# listens, runs the conformance driver over every transport and endpoint, then checks TLS
# verification against a self-signed server and timeouts against a silent one. Every server it
# starts is stopped by PID, whatever happens.
#   usage: tests/conformance/run.sh BUILD_DIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
driver="$build/tests/conformance/conformance"
# `meson test` builds only what registered tests need: build the driver here.
ninja -C "$build" tests/conformance/conformance >/dev/null || { echo "cannot build the conformance driver in $build"; exit 1; }
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$work"; }
trap cleanup EXIT

. "$here/prism.sh"
install_prism || exit 1

rc=0
port=$(free_port)
"$here/node_modules/.bin/prism" mock -h 127.0.0.1 -p "$port" "$here/service_tokens.openapi.json" >"$work/prism.log" 2>&1 &
pids+=($!)
if wait_port "$port" 60; then
  "$driver" "http://127.0.0.1:$port" || rc=1
else
  echo "Prism did not start:"; tail -20 "$work/prism.log"; rc=1
fi

# TLS verification: a self-signed certificate must be refused by every transport.
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -days 1 -keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1
tls_port=$(free_port)
openssl s_server -quiet -accept "$tls_port" -cert "$work/cert.pem" -key "$work/key.pem" -www >/dev/null 2>&1 &
pids+=($!)
if wait_port "$tls_port" 20; then "$driver" --untrusted-tls "https://127.0.0.1:$tls_port" || rc=1; else echo "s_server did not start"; rc=1; fi

# Timeouts: a server that accepts and never answers.
silent_port=$(free_port)
node -e "require('net').createServer(()=>{}).listen($silent_port,'127.0.0.1')" &
pids+=($!)
if wait_port "$silent_port" 20; then "$driver" --silent-server "http://127.0.0.1:$silent_port" || rc=1; else echo "silent server did not start"; rc=1; fi
exit $rc
