#!/bin/sh
# Runs the rotate example offline, as the README tells a newcomer, and checks what it prints.
set -u
exe=$1
out=$(env -u CLOUDFLARE_API_TOKEN -u CLOUDFLARE_API_KEY -u CLOUDFLARE_EMAIL "$exe" --demo --grace 24h 2>err.txt) || { echo "exit $?"; cat err.txt; exit 1; }
echo "$out" | grep -q '"client_secret":"cfast_' || { echo "no new secret in: $out"; exit 1; }
echo "$out" | grep -q '"previous_client_secret_expires_at":"' || { echo "no grace period in output"; exit 1; }
grep -q 'emulator' err.txt || { echo "did not say it ran offline"; cat err.txt; exit 1; }
grep -q 'old secret still accepted: yes' err.txt || { echo "grace period not honoured"; cat err.txt; exit 1; }
# Without --grace the old secret is revoked at once; without credentials it runs offline by itself.
env -u CLOUDFLARE_API_TOKEN -u CLOUDFLARE_API_KEY -u CLOUDFLARE_EMAIL "$exe" >/dev/null 2>err.txt || { cat err.txt; exit 1; }
grep -q 'old secret still accepted: no' err.txt || { echo "old secret not revoked"; cat err.txt; exit 1; }
# A bad argument is a usage error (exit 2).
"$exe" --grace nonsense >/dev/null 2>&1
[ $? -eq 2 ] || { echo "bad --grace not rejected"; exit 1; }
echo "example --demo: ok"
