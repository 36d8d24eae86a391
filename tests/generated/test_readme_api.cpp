// The README's examples for the generated API (DNS records, zones, cache purge, Workers KV),
// compiled and run against a fake transport: the exact requests they send, and typed results.
#include "support.hpp"

#include <cloudflare/accounts.hpp>
#include <cloudflare/cache.hpp>
#include <cloudflare/client.hpp>
#include <cloudflare/dns/records.hpp>
#include <cloudflare/ips.hpp>
#include <cloudflare/kv/namespaces.hpp>
#include <cloudflare/kv/namespaces/keys.hpp>
#include <cloudflare/kv/namespaces/values.hpp>
#include <cloudflare/origin_ca_certificates.hpp>
#include <cloudflare/page_shield/policies.hpp>
#include <cloudflare/rulesets.hpp>
#include <cloudflare/snippets.hpp>
#include <cloudflare/testing/examples/dns/records.hpp>
#include <cloudflare/zones.hpp>

namespace {
const std::string base = "https://api.cloudflare.com/client/v4";
std::string envelope(std::string_view result, std::string_view extra = "") {
    return std::string(R"({"success":true,"errors":[],"messages":[],"result":)").append(result).append(extra).append("}");
}
} // namespace

TEST_CASE("README: DNS records list_all, create (a union body), delete_") {
    cloudflare::testing::fake_transport fake;
    fake.push(gen::json_body(envelope(
        R"([{"type":"A","name":"www.example.com","content":"198.51.100.4","id":"r1"},
            {"type":"MX","name":"example.com","content":"mx.example.com","priority":10,"id":"r2"},
            {"type":"NEWTYPE","name":"n.example.com","content":"x","id":"r3"}])",
        R"(,"result_info":{"page":1,"per_page":100,"count":3,"total_count":3,"total_pages":1})")));
    fake.push(gen::json_body(envelope(R"({"type":"A","name":"www.example.com","content":"198.51.100.4","id":"r9"})")));
    fake.push(gen::json_body(envelope(R"({"id":"r9"})")));
    cloudflare::client client{fake, gen::options()};
    namespace dns = cloudflare::dns;
    const std::string zone = "zone-1";
    std::vector<std::string> names;
    int unknown = 0;
    for (const dns::record_response& r : client.dns.records.list_all({.zone_id = zone, .type = "A"})) {
        if (auto* a = r.get_if<dns::record_response_a_record>()) names.push_back(a->name + " " + a->content);
        if (auto* mx = r.get_if<dns::record_response_mx_record>()) CHECK(mx->priority == 10);
        if (r.value.index() == 0) {
            ++unknown;
            CHECK(r.raw.find("type")->as_string() == "NEWTYPE"); // a kind this version does not know
        }
    }
    CHECK(names == std::vector<std::string>{"www.example.com 198.51.100.4"});
    CHECK(unknown == 1);
    CHECK(fake.requests().at(0).url == base + "/zones/zone-1/dns_records?type=A&page=1");

    auto created = client.dns.records.create(
        dns::record_create_params_a_record{.zone_id = zone, .name = "www.example.com", .type = "A", .content = "198.51.100.4"});
    CHECK(created.get_if<dns::record_response_a_record>()->id == "r9");
    const auto post = fake.requests().at(1);
    CHECK(post.method == cloudflare::http::method::post);
    CHECK(post.url == base + "/zones/zone-1/dns_records");
    CHECK(gen::same_json(post.body, R"({"content":"198.51.100.4","name":"www.example.com","type":"A"})"));

    client.dns.records.delete_("r9", {.zone_id = zone});
    CHECK(fake.requests().at(2).method == cloudflare::http::method::delete_);
    CHECK(fake.requests().at(2).url == base + "/zones/zone-1/dns_records/r9");
    CHECK(fake.requests().at(2).body.empty());
}

TEST_CASE("README: zones list with a dotted query name, get") {
    cloudflare::testing::fake_transport fake;
    // A zone as the schema's examples describe it (every field the schema requires).
    fake.push(gen::json_body(envelope(R"([{"account": {"id": "023e105f4ecef8ad9ca31a8372d0c353", "name": "Example Account Name"},
        "activated_on": "2014-01-01T05:20:00.12345Z", "created_on": "2014-01-01T05:20:00.12345Z", "development_mode": 7200,
        "id": "z1", "meta": {"cdn_only": true, "custom_certificate_quota": 1, "dns_only": true, "foundation_dns": true,
        "page_rule_quota": 100, "phishing_detected": false, "step": 2}, "modified_on": "2014-01-01T05:20:00.12345Z",
        "name": "example.com", "name_servers": ["a.ns.example"], "original_dnshost": "NameCheap",
        "original_name_servers": ["b.ns.example"], "original_registrar": "GoDaddy",
        "owner": {"id": "023e105f4ecef8ad9ca31a8372d0c353", "name": "Example Org", "type": "organization"},
        "vanity_name_servers": []}])")));
    cloudflare::client client{fake, gen::options()};
    cloudflare::page<cloudflare::zones::zone> p =
        client.zones.list({.account = cloudflare::zones::zone_list_params_account{.id = "acc 1"}, .name = "example.com"});
    CHECK(fake.requests().at(0).url == base + "/zones?name=example.com&account.id=acc%201");
    REQUIRE(p.items.size() == 1);
    CHECK(p.items[0].id == "z1");
}

TEST_CASE("README: cache purge takes one of the purge kinds") {
    cloudflare::testing::fake_transport fake;
    fake.push(gen::json_body(envelope(R"({"id":"p1"})")));
    fake.push(gen::json_body(envelope(R"({"id":"p2"})")));
    cloudflare::client client{fake, gen::options()};
    namespace cache = cloudflare::cache;
    client.cache.purge(cache::cache_purge_params_cache_purge_single_file{.zone_id = "zone-1", .files = {{"https://example.com/app.js"}}});
    client.cache.purge(cache::cache_purge_params_cache_purge_everything{.zone_id = "zone-1", .purge_everything = true});
    CHECK(fake.requests().at(0).url == base + "/zones/zone-1/purge_cache");
    CHECK(gen::same_json(fake.requests().at(0).body, R"({"files":["https://example.com/app.js"]})"));
    CHECK(gen::same_json(fake.requests().at(1).body, R"({"purge_everything":true})"));
}

TEST_CASE("README: Workers KV namespaces and values (bytes, not JSON)") {
    cloudflare::testing::fake_transport fake;
    fake.push(gen::json_body(envelope(R"([{"id":"ns1","title":"cache"}])", R"(,"result_info":{"page":1,"per_page":20,"total_pages":1})")));
    cloudflare::http::response value;
    value.status = 200;
    value.headers.emplace_back("Content-Type", "application/octet-stream");
    value.body = std::string("\x00\x01value", 7);
    fake.push(value);
    cloudflare::client client{fake, gen::options()};
    std::vector<std::string> titles;
    for (const auto& ns : client.kv.namespaces.list_all({.account_id = "acc"})) titles.push_back(ns.title);
    CHECK(titles == std::vector<std::string>{"cache"});
    cloudflare::binary_response v = client.kv.namespaces.values.get("my key", {.account_id = "acc", .namespace_id = "ns1"});
    CHECK(v.data == std::string("\x00\x01value", 7));
    CHECK(v.content_type == "application/octet-stream");
    CHECK(fake.requests().at(1).url == base + "/accounts/acc/storage/kv/namespaces/ns1/values/my%20key");
    CHECK(fake.requests().at(1).headers.get("accept") == "*/*");
}

TEST_CASE("README: KV keys list_all follows cursors, with the namespace id before params") {
    cloudflare::testing::fake_transport fake;
    fake.push(gen::json_body(envelope(R"([{"name":"a"},{"name":"b"}])", R"(,"result_info":{"count":2,"cursor":"c-2"})")));
    fake.push(gen::json_body(envelope(R"([{"name":"c"}])", R"(,"result_info":{"count":1,"cursor":""})")));
    cloudflare::client client{fake, gen::options()};
    std::vector<std::string> names;
    std::string ns = "ns 1";
    auto range = client.kv.namespaces.keys.list_all(ns, {.account_id = "acc", .prefix = "p"});
    ns = "changed"; // the range keeps its own copy of the namespace id
    for (const cloudflare::kv::namespaces::key& k : range) names.push_back(k.name);
    CHECK(names == std::vector<std::string>{"a", "b", "c"});
    REQUIRE(fake.requests().size() == 2);
    CHECK(fake.requests().at(0).url == base + "/accounts/acc/storage/kv/namespaces/ns%201/keys?prefix=p");
    CHECK(fake.requests().at(1).url == base + "/accounts/acc/storage/kv/namespaces/ns%201/keys?prefix=p&cursor=c-2");
}

TEST_CASE("KV keys try_list_all ends with an error when the server repeats a page for any cursor") {
    cloudflare::testing::fake_transport fake([](const cloudflare::http::request&) {
        return gen::json_body(envelope(R"([{"name":"same"}])", R"(,"result_info":{"count":1,"cursor":"again"})"));
    });
    cloudflare::client client{fake, gen::options()};
    int items = 0, errors = 0;
    for (auto& k : client.kv.namespaces.keys.try_list_all("ns1", {.account_id = "acc"})) {
        if (k) ++items;
        else {
            ++errors;
            CHECK(k.error().kind() == cloudflare::error_kind::api_response_validation);
            CHECK(k.error().message().find("already sent") != std::string::npos);
        }
    }
    CHECK(items == 1);
    CHECK(errors == 1);
    CHECK(fake.requests().size() == 2);
}

TEST_CASE("accounts list_all pages items the schema leaves untyped (raw_json)") {
    cloudflare::testing::fake_transport fake;
    fake.push(gen::json_body(envelope(R"([{"id":"a1"},{"id":"a2"}])", R"(,"result_info":{"page":1,"per_page":2,"total_pages":2})")));
    fake.push(gen::json_body(envelope(R"([{"id":"a3"}])", R"(,"result_info":{"page":2,"per_page":2,"total_pages":2})")));
    cloudflare::client client{fake, gen::options()};
    std::vector<std::string> ids;
    for (const cloudflare::raw_json& a : client.accounts.list_all({.per_page = 2}))
        ids.emplace_back(a.find("id")->as_string());
    CHECK(ids == std::vector<std::string>{"a1", "a2", "a3"});
    REQUIRE(fake.requests().size() == 2);
    CHECK(fake.requests().at(1).url == base + "/accounts?page=2&per_page=2");
}

TEST_CASE("README testing: an endpoint's example answer scripted into a fake transport") {
    namespace dns = cloudflare::dns;
    cloudflare::testing::fake_transport fake;
    fake.push(cloudflare::testing::example_response<dns::endpoints::record_list>());
    cloudflare::client client{fake, gen::options()};
    auto page = client.dns.records.list({.zone_id = "023e105f4ecef8ad9ca31a8372d0c353"});
    REQUIRE(page.items.size() == 1);
    const auto* a = page.items.at(0).get_if<dns::record_response_a_record>();
    REQUIRE(a != nullptr);
    CHECK(a->content == "198.51.100.4");
    CHECK(fake.requests().at(0).url == base + "/zones/023e105f4ecef8ad9ca31a8372d0c353/dns_records");
    // The answer is the one the generator wrote: status and content type included.
    auto r = cloudflare::testing::example_response<dns::endpoints::record_list>();
    CHECK(r.status == 200);
    CHECK(r.headers.get("content-type") == "application/json");
}

TEST_CASE("a 204 No Content is success for a call whose result carries nothing, and only there") {
    cloudflare::testing::fake_transport fake;
    cloudflare::http::response no_content;
    no_content.status = 204;
    fake.push(no_content); // rulesets.delete: the schema's answer is a 204 without a body
    fake.push(no_content); // page_shield.policies.delete: also a 204 with nothing
    fake.push(no_content); // dns.records.delete: a typed result, which an empty body cannot give
    cloudflare::http::response empty_200;
    empty_200.status = 200;
    fake.push(empty_200); // rulesets.delete again: its schema has no body, so an empty 200 is fine
    fake.push(empty_200); // snippets.delete: its schema's answer is an envelope, which must come
    fake.push(no_content); // snippets.delete: but a 204 cannot carry one, and says it was done
    cloudflare::client client{fake, gen::options()};
    CHECK(client.rulesets.try_delete_("rs-1", {.account_id = "acc"}).has_value());
    CHECK(client.page_shield.policies.try_delete_("pol-1", {.zone_id = "zone"}).has_value());
    auto rec = client.dns.records.try_delete_("rec-1", {.zone_id = "zone"});
    REQUIRE_FALSE(rec.has_value());
    CHECK(rec.error().kind() == cloudflare::error_kind::api_response_validation);
    CHECK(rec.error().message().find("empty body") != std::string::npos);
    CHECK(client.rulesets.try_delete_("rs-1", {.account_id = "acc"}).has_value());
    auto snip = client.snippets.try_delete_("snip", {.zone_id = "zone"});
    REQUIRE_FALSE(snip.has_value());
    CHECK(snip.error().message().find("empty body") != std::string::npos);
    CHECK(client.snippets.try_delete_("snip", {.zone_id = "zone"}).has_value());
    CHECK(fake.requests().size() == 6);
}

TEST_CASE("a public endpoint (security: none) sends no credentials, and needs none") {
    cloudflare::testing::fake_transport fake;
    fake.push(cloudflare::testing::json_response(200, envelope(R"({"ipv4_cidrs":["173.245.48.0/20"]})")));
    fake.push(cloudflare::testing::json_response(200, envelope(R"({"ipv4_cidrs":["173.245.48.0/20"]})")));
    cloudflare::client with_token{fake, gen::options()};
    REQUIRE(with_token.ips.try_list({}).has_value());
    cloudflare::client_options none;
    none.base_url = base;
    cloudflare::client anonymous{fake, none};
    REQUIRE(anonymous.ips.try_list({}).has_value());
    for (const auto& req : fake.requests()) {
        CHECK_FALSE(req.headers.get("Authorization").has_value());
        CHECK_FALSE(req.headers.get("X-Auth-Key").has_value());
        CHECK(req.url == base + "/ips");
    }
    // An endpoint that needs credentials still refuses to go without them, before sending.
    auto refused = anonymous.dns.records.try_delete_("rec-1", {.zone_id = "zone"});
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().kind() == cloudflare::error_kind::invalid_argument);
    CHECK(fake.requests().size() == 2);
}

TEST_CASE("Origin CA and tunnel endpoints accept a user service key, as their schema says; others refuse it") {
    cloudflare::testing::fake_transport fake;
    fake.push(cloudflare::testing::json_response(200, envelope("[]", R"(,"result_info":{"page":1,"per_page":20,"count":0,"total_count":0})")));
    cloudflare::client_options o;
    o.base_url = base;
    o.user_service_key = "v1.0-service-key-for-tests";
    cloudflare::client client{fake, o};
    REQUIRE(client.origin_ca_certificates.try_list({}).has_value());
    REQUIRE(fake.requests().size() == 1);
    CHECK(fake.requests()[0].headers.get("X-Auth-User-Service-Key") == "v1.0-service-key-for-tests");
    auto refused = client.dns.records.try_delete_("rec-1", {.zone_id = "zone"});
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().message().find("does not accept a user service key") != std::string::npos);
    CHECK(fake.requests().size() == 1);
}
