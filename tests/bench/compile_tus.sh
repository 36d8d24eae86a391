# shellcheck shell=sh disable=SC2154
# Sourced by compile_time.sh and compile_floor.sh (which set cxx and dir): the TUs they time,
# each the include(s) and one call a user would write, how one compile is timed, and the least.
transport='struct t { cloudflare::http::response send(const cloudflare::http::request&) { return {}; } };'
tu() { # name, includes, call
    printf '%s\n%s\nint main() {\n    cloudflare::client c{t{}, cloudflare::client_options{}};\n    return %s;\n}\n' \
        "$2" "$transport" "$3" > "$dir/$1.cpp"
}
tu rotate '#include <cloudflare/cloudflare.hpp>' \
    'c.zero_trust.access.service_tokens.try_rotate("id", {.account_id = "acc"}).has_value()'
tu zones_get '#include <cloudflare/client.hpp>
#include <cloudflare/zones.hpp>' 'c.zones.try_get({.zone_id = "zone"}).has_value()'
tu dns_records_list '#include <cloudflare/client.hpp>
#include <cloudflare/dns/records.hpp>' 'c.dns.records.try_list({.zone_id = "zone"}).has_value()'
tu dns_records_scan '#include <cloudflare/client.hpp>
#include <cloudflare/dns/records.hpp>' 'c.dns.records.try_scan({.zone_id = "zone"}).has_value()'
tu kv_keys_list_all '#include <cloudflare/client.hpp>
#include <cloudflare/kv/namespaces/keys.hpp>' \
    '[&] { for (auto& k : c.kv.namespaces.keys.try_list_all("ns", {.account_id = "acc"})) return k.has_value(); return false; }()'
tu workflows_list '#include <cloudflare/client.hpp>
#include <cloudflare/workflows.hpp>' 'c.workflows.try_list({.account_id = "acc"}).has_value()'
cpu() { # include dir, source: prints CPU seconds of one compile
    # shellcheck disable=SC2086 # CXXFLAGS is a list of flags
    /usr/bin/time -f '%U %S' -o "$dir/time" "$cxx" -std=c++20 -O2 ${CXXFLAGS:-} -I"$1" -c "$2" -o "$dir/out.o"
    awk '{print $1 + $2}' "$dir/time"
}
least() { # label: the least of the times recorded for it
    sort -n "$dir/$1.times" | head -n 1
}
