// How requests are built (issue 20): values that cannot be sent are refused before anything
// goes out, query parameters as their schema says, header parameters, unset required bodies,
// JSON null, numbers. Each case goes through the public client to a fake transport and checks
// the exact request; answers are not what these tests are about, so results are not read.
#include "support.hpp"

#include <cloudflare/abuse_reports.hpp>
#include <cloudflare/ai.hpp>
#include <cloudflare/ai_gateway.hpp>
#include <cloudflare/ai_gateway/logs.hpp>
#include <cloudflare/api_gateway/settings/schema_validation.hpp>
#include <cloudflare/dns/records.hpp>
#include <cloudflare/dns/zone_transfers/peers.hpp>
#include <cloudflare/email_routing.hpp>
#include <cloudflare/firewall/lockdowns.hpp>
#include <cloudflare/intel/domains/bulks.hpp>
#include <cloudflare/kv/namespaces/values.hpp>
#include <cloudflare/load_balancers/pools.hpp>
#include <cloudflare/logpush/jobs.hpp>
#include <cloudflare/logs/received.hpp>
#include <cloudflare/magic_transit/cf_interconnects.hpp>
#include <cloudflare/magic_transit/routes.hpp>
#include <cloudflare/network_interconnects/interconnects.hpp>
#include <cloudflare/pages/projects.hpp>
#include <cloudflare/queues.hpp>
#include <cloudflare/queues/consumers.hpp>
#include <cloudflare/r2/buckets.hpp>
#include <cloudflare/request_tracers/traces.hpp>
#include <cloudflare/rulesets/rules.hpp>
#include <cloudflare/spectrum/apps.hpp>
#include <cloudflare/stream.hpp>
#include <cloudflare/turnstile/widgets.hpp>
#include <cloudflare/waiting_rooms.hpp>
#include <cloudflare/web3/hostnames.hpp>
#include <cloudflare/workers/scripts.hpp>
#include <cloudflare/workers/scripts/secrets.hpp>
#include <cloudflare/zaraz/history/configs.hpp>
#include <cloudflare/zero_trust/access/applications.hpp>
#include <cloudflare/zero_trust/access/tags.hpp>
#include <cloudflare/zero_trust/dlp/profiles/custom.hpp>
#include <cloudflare/zero_trust/identity_providers.hpp>

#include <boost/describe/class.hpp>
#include <boost/json/parse.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

using namespace cloudflare;
using namespace fixtures;

namespace {

const std::string base = "https://api.cloudflare.com/client/v4";
const std::string acc(account);
// Two Latin-1 bytes ("é" and "à" in ISO-8859-1): not UTF-8, so not JSON text.
const std::string latin1 = "caf\xE9-d\xE0";

// A client over a fake transport that answers every request with `{}` as the result (which
// not every call's result type accepts: these tests look at requests only).
struct harness {
    testing::fake_transport fake{[](const http::request&) -> transport_result { return ok(envelope("{}")); }};
    client<testing::fake_transport&> c{fake, token_options()};
    /// The request call `r` sent (its result is not looked at); fails unless it sent exactly one.
    template <class R>
    http::request sent(const R&) {
        REQUIRE(fake.request_count() == seen + 1);
        ++seen;
        return fake.requests().back();
    }
    std::size_t seen = 0;
};

// The call failed before sending: invalid_argument, `needle` in the message, the bad bytes not.
template <class R>
void check_refused(const R& r, const harness& h, std::string_view needle) {
    REQUIRE_FALSE(r);
    CHECK(r.error().kind() == error_kind::invalid_argument);
    CHECK(r.error().message() == std::string(needle));
    CHECK_FALSE(contains(r.error().message(), "\xE9"));
    CHECK(h.fake.request_count() == 0);
}

// A hand-written endpoint (README "Adding an endpoint") whose body has a variant, a list of
// variants, a map of lists and raw JSON: the writer's nested paths.
struct nested_params {
    std::variant<std::string, std::int64_t> pick;
    std::vector<std::variant<std::string, std::int64_t>> picks;
    std::map<std::string, std::vector<std::string>> labels;
    raw_json extra;
};
BOOST_DESCRIBE_STRUCT(nested_params, (), (pick, picks, labels, extra))

struct nested_endpoint {
    using response_type = empty_result;
    static constexpr http::method method = http::method::post;
    static constexpr bool idempotent = false;
    static constexpr std::string_view name = "test.nested";
    static void describe(detail::request_builder& b, const nested_params& p) {
        b.path("/nested");
        b.body().field("pick", p.pick);
        b.body().field("picks", p.picks);
        b.body().field("labels", p.labels);
        b.body().field("extra", p.extra);
    }
};

nested_params good_nested() {
    return {.pick = std::string("ok"),
            .picks = {std::int64_t{1}, std::string("two")},
            .labels = {{"env", {"prod", "eu"}}},
            .extra = raw_json(boost::json::parse(R"({"a":[1,"x",{"b":true}]})"))};
}

} // namespace

TEST_CASE("a non-UTF-8 string anywhere in a body is refused, named by its path, never its value") {
    SUBCASE("in an array (turnstile.widgets.create: what went out as \"domains\":[\",\"])") {
        harness h;
        turnstile::widget_create_params p{.account_id = acc, .domains = {"example.com", latin1}, .mode = "managed", .name = "w"};
        check_refused(h.c.turnstile.widgets.try_create(p), h, "`domains[1]` is not valid UTF-8");
        p.domains = {"example.com", "café.example"}; // UTF-8 is fine
        auto req = h.sent(h.c.turnstile.widgets.try_create(p));
        CHECK(req.body == R"({"domains":["example.com","café.example"],"mode":"managed","name":"w"})");
    }
    SUBCASE("a map's key and a map's value (request_tracers.traces.create)") {
        harness h;
        request_tracers::trace_create_params p{.account_id = acc, .method = "GET", .url = "https://example.com/"};
        p.headers = std::map<std::string, std::string>{{"X-A", "1"}, {latin1, "2"}};
        check_refused(h.c.request_tracers.traces.try_create(p), h, "`headers` has a key that is not valid UTF-8");
        p.headers = std::map<std::string, std::string>{{"X-A", latin1}};
        check_refused(h.c.request_tracers.traces.try_create(p), h, "`headers[\"X-A\"]` is not valid UTF-8");
        // A key that is not short printable text is not shown: its position is.
        p.headers = std::map<std::string, std::string>{{"X-A", "1"}, {"X-B\n", latin1}};
        check_refused(h.c.request_tracers.traces.try_create(p), h, "`headers[#1]` is not valid UTF-8");
    }
    SUBCASE("in a variant, a list of variants, a map of lists, raw JSON (a hand-written endpoint)") {
        harness h;
        auto req = h.sent(h.c.call<nested_endpoint>({}, good_nested()));
        CHECK(req.body ==
              R"({"pick":"ok","picks":[1,"two"],"labels":{"env":["prod","eu"]},"extra":{"a":[1,"x",{"b":true}]}})");
        struct bad_case {
            nested_params p;
            std::string message;
        };
        std::vector<bad_case> cases;
        auto add = [&](auto change, std::string message) {
            auto p = good_nested();
            change(p);
            cases.push_back({std::move(p), std::move(message)});
        };
        add([](nested_params& p) { p.pick = latin1; }, "`pick` is not valid UTF-8");
        add([](nested_params& p) { p.picks.push_back(latin1); }, "`picks[2]` is not valid UTF-8");
        add([](nested_params& p) { p.labels["env"].push_back(latin1); }, "`labels[\"env\"][2]` is not valid UTF-8");
        add([](nested_params& p) { p.extra = raw_json(boost::json::value{{"a", {1, latin1}}}); }, "`extra[\"a\"][1]` is not valid UTF-8");
        add([](nested_params& p) { p.extra = raw_json(boost::json::value{{latin1, 1}}); }, "`extra` has a key that is not valid UTF-8");
        add([](nested_params& p) { p.extra = raw_json(boost::json::value{{"n", std::nan("")}}); }, "`extra[\"n\"]` is not a finite number");
        for (const auto& bad : cases) {
            CAPTURE(bad.message);
            harness hb;
            check_refused(hb.c.call<nested_endpoint>({}, bad.p), hb, bad.message);
        }
    }
    SUBCASE("raw JSON nested too deeply is refused, not recursed into") {
        harness h;
        boost::json::value deep = boost::json::array{};
        for (int i = 0; i < 300; ++i) deep = boost::json::array{std::move(deep)};
        auto p = good_nested();
        p.extra = raw_json(std::move(deep));
        auto r = h.c.call<nested_endpoint>({}, p);
        REQUIRE_FALSE(r);
        CHECK(contains(r.error().message(), "is nested too deeply"));
        CHECK(h.fake.request_count() == 0);
    }
}

TEST_CASE("untyped query parameters go out as text, not JSON") {
    harness h;
    load_balancers::pool_list_params p{.account_id = acc};
    p.monitor = raw_json(boost::json::value("monitor 1"));
    auto req = h.sent(h.c.load_balancers.pools.try_list(p));
    CHECK(req.url == base + "/accounts/" + acc + "/load_balancers/pools?monitor=monitor%201");
    p.monitor = raw_json(boost::json::value(2.5));
    req = h.sent(h.c.load_balancers.pools.try_list(p));
    CHECK(req.url == base + "/accounts/" + acc + "/load_balancers/pools?monitor=2.5");
    p.monitor = raw_json(boost::json::value(true));
    req = h.sent(h.c.load_balancers.pools.try_list(p));
    CHECK(req.url == base + "/accounts/" + acc + "/load_balancers/pools?monitor=true");
    // "Accepts multiple values": an array repeats the parameter (form, exploded).
    intel::domains::bulk_get_params b{.account_id = acc, .domain = raw_json(boost::json::parse(R"(["example.com","a.example"])"))};
    req = h.sent(h.c.intel.domains.bulks.try_get(b));
    CHECK(req.url == base + "/accounts/" + acc + "/intel/domain/bulk?domain=example.com&domain=a.example");
    // An object or null has no text: refused, nothing sent.
    for (const char* json : {R"({"k":1})", "null", "[[1]]"}) {
        CAPTURE(json);
        harness r;
        p.monitor = raw_json(boost::json::parse(json));
        check_refused(r.c.load_balancers.pools.try_list(p), r,
                      "`monitor` must be a string, number or boolean (or an array of them) to be sent in a URL or header");
    }
}

TEST_CASE("header parameters: stream.create sends Tus-Resumable and Upload-Length") {
    harness h;
    stream::stream_create_params p{.account_id = acc, .tus_resumable = "1.0.0", .upload_length = 1048576,
                                   .upload_creator = "creator-1", .upload_metadata = "name aGVsbG8="};
    auto req = h.sent(h.c.stream.try_create(p));
    CHECK(req.url == base + "/accounts/" + acc + "/stream");
    CHECK(req.headers.get("Tus-Resumable") == "1.0.0");
    CHECK(req.headers.get("Upload-Length") == "1048576");
    CHECK(req.headers.get("Upload-Creator") == "creator-1");
    CHECK(req.headers.get("Upload-Metadata") == "name aGVsbG8=");
    CHECK(req.body == "{}"); // its schema requires a JSON body and says nothing more of it
    // Optional ones are sent only when set.
    p.upload_creator.reset();
    p.upload_metadata.reset();
    req = h.sent(h.c.stream.try_create(p));
    CHECK_FALSE(req.headers.get("Upload-Creator"));
    CHECK_FALSE(req.headers.get("Upload-Metadata"));
    // A per-call header of the same name replaces the parameter, as for default headers.
    request_options call;
    call.headers.set("upload-length", "5");
    req = h.sent(h.c.stream.try_create(p, call));
    CHECK(req.headers.get("Upload-Length") == "5");

    SUBCASE("a required one unset is refused") {
        harness r;
        auto q = p;
        q.upload_length.reset();
        check_refused(r.c.stream.try_create(q), r, "`upload_length` is required (header `Upload-Length`)");
        q = p;
        q.tus_resumable.reset();
        check_refused(r.c.stream.try_create(q), r, "`tus_resumable` is required (header `Tus-Resumable`)");
    }
    SUBCASE("0.4 code that sent them as request_options headers keeps working") {
        harness r;
        request_options old;
        old.headers.set("Tus-Resumable", "1.0.0");
        old.headers.set("Upload-Length", "42");
        auto sent = r.sent(r.c.stream.try_create({.account_id = acc}, old));
        CHECK(sent.headers.get("Tus-Resumable") == "1.0.0");
        CHECK(sent.headers.get("Upload-Length") == "42");
    }
    SUBCASE("a CR, LF or NUL in one is refused like in any header") {
        for (const std::string& bad : std::vector<std::string>{"a\r\nX-Injected: 1", "a\nb", std::string("a\0b", 3)}) {
            harness r;
            auto q = p;
            q.upload_metadata = bad;
            check_refused(r.c.stream.try_create(q), r, "header `Upload-Metadata` contains a control character (CR, LF, NUL, ...)");
        }
    }
}

TEST_CASE("a required whole JSON body left unset: {} where the schema allows it, refused where not") {
    harness h;
    // No schema beyond "a JSON body": an empty object satisfies it.
    auto req = h.sent(h.c.email_routing.try_enable({.zone_id = "zone-1"}));
    CHECK(req.url == base + "/zones/zone-1/email/routing/enable");
    CHECK(req.body == "{}");
    CHECK(req.headers.get("content-type") == "application/json");
    // A body given is sent as given.
    req = h.sent(h.c.email_routing.try_enable({.zone_id = "zone-1", .body = raw_json(boost::json::parse(R"({"x":1})"))}));
    CHECK(req.body == R"({"x":1})");
    // Its schema requires content (`{"required": [...]}`, no members): `{}` would not do.
    {
        harness r;
        check_refused(r.c.magic_transit.cf_interconnects.try_bulk_update({.account_id = acc}), r,
                      "`body` is required (this call's schema needs a JSON body)");
    }
    // Where such a schema names no members but the SDK does, the SDK's are the body.
    req = h.sent(h.c.dns.zone_transfers.peers.try_create({.account_id = acc, .name = "peer-a"}));
    CHECK(req.body == R"({"name":"peer-a"})");
    // DELETE carries no body (RFC 9110 gives it no meaning; the official SDK sends none).
    req = h.sent(h.c.dns.zone_transfers.peers.try_delete_("peer-1", {.account_id = acc}));
    CHECK(req.method == http::method::delete_);
    CHECK(req.body.empty());
    CHECK_FALSE(req.headers.get("content-type"));
}

// Code written against the 0.4 members, which were std::optional, still compiles and works.
static_assert(std::is_base_of_v<std::optional<std::string>, nullable<std::string>>);
static_assert(std::is_convertible_v<nullable<std::string>&, std::optional<std::string>&>);
static_assert(!std::is_default_constructible_v<null_t>);

TEST_CASE("nullable members: cloudflare::null sends null, unset sends nothing, a value the value") {
    harness h;
    using settings = api_gateway::settings::schema_validation_edit_params;
    const std::string url = base + "/zones/zone-1/api_gateway/settings/schema_validation";
    auto req = h.sent(h.c.api_gateway.settings.schema_validation.try_edit(
        settings{.zone_id = "zone-1", .validation_override_mitigation_action = cloudflare::null}));
    CHECK(req.url == url);
    CHECK(req.body == R"({"validation_override_mitigation_action":null})");
    req = h.sent(h.c.api_gateway.settings.schema_validation.try_edit(settings{.zone_id = "zone-1"}));
    CHECK(req.body == "{}"); // unset: not sent (a PATCH body is an object even when empty)
    req = h.sent(h.c.api_gateway.settings.schema_validation.try_edit(
        settings{.zone_id = "zone-1", .validation_override_mitigation_action = "none"}));
    CHECK(req.body == R"({"validation_override_mitigation_action":"none"})");

    SUBCASE("the std::optional interface keeps working") {
        settings s{.zone_id = "zone-1"};
        s.validation_default_mitigation_action = std::optional<std::string>("block");
        CHECK(s.validation_default_mitigation_action.value_or("") == "block");
        s.validation_default_mitigation_action = cloudflare::null;
        CHECK(s.validation_default_mitigation_action.is_null());
        CHECK_FALSE(s.validation_default_mitigation_action.has_value());
        s.validation_default_mitigation_action = "log";
        CHECK_FALSE(s.validation_default_mitigation_action.is_null());
        CHECK(*s.validation_default_mitigation_action == "log");
        s.validation_default_mitigation_action = cloudflare::null;
        s.validation_default_mitigation_action = std::nullopt; // absent again, not null
        CHECK_FALSE(s.validation_default_mitigation_action.is_null());
        s.validation_default_mitigation_action = cloudflare::null;
        s.validation_default_mitigation_action.reset();
        CHECK_FALSE(s.validation_default_mitigation_action.is_null());
        s.validation_default_mitigation_action = cloudflare::null;
        s.validation_default_mitigation_action.emplace("challenge");
        CHECK(s.validation_default_mitigation_action == std::optional<std::string>("challenge"));
        std::optional<std::string>& plain = s.validation_default_mitigation_action;
        CHECK(plain == "challenge");
    }
    SUBCASE("nested: a load balancer pool's notification_filter, or one of its members") {
        harness n;
        load_balancers::pool_edit_params p{.account_id = acc, .notification_filter = cloudflare::null};
        auto req = n.sent(n.c.load_balancers.pools.try_edit("pool-1", p));
        CHECK(req.body == R"({"notification_filter":null})");
        p.notification_filter = load_balancers::notification_filter_param{.origin = cloudflare::null};
        req = n.sent(n.c.load_balancers.pools.try_edit("pool-1", p));
        CHECK(req.body == R"({"notification_filter":{"origin":null}})");
    }
    SUBCASE("required and nullable (ai_gateway.create's cache_ttl): null or a value, never unset") {
        ai_gateway::ai_gateway_create_params p{.account_id = acc, .id = "gw", .cache_invalidate_on_update = false, .cache_ttl = cloudflare::null,
                                               .collect_logs = true, .rate_limiting_interval = 60,
                                               .rate_limiting_limit = cloudflare::null, .rate_limiting_technique = "fixed"};
        harness n;
        auto req = n.sent(n.c.ai_gateway.try_create(p));
        CHECK(req.body == R"({"cache_invalidate_on_update":false,"cache_ttl":null,"collect_logs":true,"id":"gw",)"
                               R"("rate_limiting_interval":60,"rate_limiting_limit":null,"rate_limiting_technique":"fixed"})");
        harness r;
        p.cache_ttl.reset();
        check_refused(r.c.ai_gateway.try_create(p), r, "`cache_ttl` is required (a value, or cloudflare::null)");
    }
}

TEST_CASE("ai.run's model name keeps its slashes; each segment is encoded, and no segment can leave the path") {
    harness h;
    namespace ai = cloudflare::ai;
    const ai::ai_run_params_text_classification text{.account_id = "acc-1", .text = "great"};
    // Cloudflare routes Workers AI by the model name's literal `/` (`%2F` answers "No route for that URI").
    auto req = h.sent(h.c.ai.try_run("@cf/huggingface/distilbert-sst-2-int8", text));
    CHECK(req.url == base + "/accounts/acc-1/ai/run/@cf/huggingface/distilbert-sst-2-int8");
    // Within a segment, encoding is as for any path parameter.
    req = h.sent(h.c.ai.try_run("@hf/my org/model?v=1#x", text));
    CHECK(req.url == base + "/accounts/acc-1/ai/run/@hf/my%20org/model%3Fv=1%23x");
    // A segment that is empty, `.` or `..` is refused before anything is sent.
    for (const char* bad : {"@cf/../../tokens", "@cf/./x", "@cf//x", "/@cf/x", "@cf/x/", ".."}) {
        auto r = h.c.ai.try_run(bad, text);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind() == error_kind::invalid_argument);
        CHECK(r.error().message() == "`model_name` must not have an empty, `.` or `..` segment");
    }
    auto empty = h.c.ai.try_run("", text);
    REQUIRE_FALSE(empty);
    CHECK(empty.error().message() == "Expected a non-empty value for `model_name`");
    CHECK(h.fake.request_count() == h.seen);
    // Every other path parameter still encodes `/` (a KV key name is one segment).
    req = h.sent(h.c.kv.namespaces.values.try_get("a/b", {.account_id = "acc-1", .namespace_id = "ns"}));
    CHECK(req.url == base + "/accounts/acc-1/storage/kv/namespaces/ns/values/a%2Fb");
}

TEST_CASE("explode: false joins an array query parameter with commas") {
    harness h;
    auto req = h.sent(h.c.zaraz.history.configs.try_get({.zone_id = "zone-1", .ids = {101, 102}}));
    CHECK(req.url == base + "/zones/zone-1/settings/zaraz/history/configs?ids=101,102");
    req = h.sent(h.c.zaraz.history.configs.try_get({.zone_id = "zone-1", .ids = {7}}));
    CHECK(req.url == base + "/zones/zone-1/settings/zaraz/history/configs?ids=7");
    req = h.sent(h.c.zaraz.history.configs.try_get({.zone_id = "zone-1"}));
    CHECK(req.url == base + "/zones/zone-1/settings/zaraz/history/configs");
}

TEST_CASE("an array of objects in the query: each element's members as dotted names, as the SDK sends them") {
    harness h;
    using log_filter = cloudflare::ai_gateway::log_delete_params_filter;
    auto req = h.sent(h.c.ai_gateway.logs.try_delete_(
        "gw", {.account_id = "acc-1",
               .filters = std::vector<log_filter>{{.key = "model", .operator_ = "eq", .value = {cloudflare::raw_json("gpt"), cloudflare::raw_json(2)}},
                                              {.key = "cached", .operator_ = "eq", .value = {cloudflare::raw_json(true)}}},
               .limit = 5}));
    CHECK(req.method == cloudflare::http::method::delete_);
    CHECK(req.url == base + "/accounts/acc-1/ai-gateway/gateways/gw/logs?filters.key=model&filters.operator=eq&filters.value=gpt"
                            "&filters.value=2&filters.key=cached&filters.operator=eq&filters.value=true&limit=5");
    // A member that has no text (an object) refuses the call and names the parameter.
    auto bad = h.c.ai_gateway.logs.try_delete_(
        "gw", {.account_id = "acc-1", .filters = std::vector<log_filter>{{.key = "k", .operator_ = "eq", .value = {cloudflare::raw_json(boost::json::object{{"a", 1}})}}}});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message().find("filters.value") != std::string::npos);
}

TEST_CASE("kv.namespaces.values.update sends multipart/form-data (metadata, value), as Cloudflare's docs say") {
    harness h;
    auto req = h.sent(h.c.kv.namespaces.values.try_update(
        "my key", {.account_id = "acc-1", .namespace_id = "ns-1", .metadata = R"({"owner":"ops"})", .value = "v1"}));
    CHECK(req.method == cloudflare::http::method::put);
    CHECK(req.url == base + "/accounts/acc-1/storage/kv/namespaces/ns-1/values/my%20key");
    CHECK(req.headers.get("content-type") == "multipart/form-data; boundary=cloudflare-cpp-form-0000000000000000");
    CHECK(req.body == "--cloudflare-cpp-form-0000000000000000\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n"
                      "{\"owner\":\"ops\"}\r\n--cloudflare-cpp-form-0000000000000000\r\nContent-Disposition: form-data; "
                      "name=\"value\"\r\n\r\nv1\r\n--cloudflare-cpp-form-0000000000000000--\r\n");
}

TEST_CASE("what only the official SDK sends on an operation the 2024 schema has is sent: query groups, body members") {
    harness h;
    // dns.records.list: the SDK's `content` and `name` are groups (`content.exact`); the schema's
    // plain parameters of those names keep their JSON names as `content_` and `name_`.
    auto req = h.sent(h.c.dns.records.try_list({.zone_id = "zone-1", .content = {{.exact = "198.51.100.4"}},
                                                .name = {{.startswith = "www"}}, .type = "A", .name_ = "api.example.com"}));
    CHECK(req.url == base + "/zones/zone-1/dns_records?name=api.example.com&type=A&content.exact=198.51.100.4&name.startswith=www");
    // waiting_rooms.create: body members the SDK has and the schema lacks, in the SDK's order.
    req = h.sent(h.c.waiting_rooms.try_create({.zone_id = "zone-1", .host = "shop.example.com", .name = "sale",
                                               .new_users_per_minute = 200, .total_active_users = 300, .turnstile_mode = "invisible"}));
    CHECK(req.body == R"({"host":"shop.example.com","name":"sale","new_users_per_minute":200,"total_active_users":300,"turnstile_mode":"invisible"})");
    // kv.namespaces.values.update: the SDK's query parameters beside the form the schema describes.
    req = h.sent(h.c.kv.namespaces.values.try_update(
        "k", {.account_id = "acc-1", .namespace_id = "ns-1", .metadata = "{}", .value = "v", .expiration = 1700000000, .expiration_ttl = 3600}));
    CHECK(req.url == base + "/accounts/acc-1/storage/kv/namespaces/ns-1/values/k?expiration=1700000000&expiration_ttl=3600");
    CHECK(req.headers.get("content-type").value_or("").starts_with("multipart/form-data; boundary="));
    // r2.buckets.create: a header parameter the SDK has, as the README shows it.
    req = h.sent(h.c.r2.buckets.try_create({.account_id = "acc-1", .name = "logs", .jurisdiction = "eu"}));
    CHECK(req.headers.get("cf-r2-jurisdiction") == "eu");
    CHECK(req.body == R"({"name":"logs"})");
}

TEST_CASE("the SDK's Dict[str, X] is a map where the schema names an example key: any key can be written") {
    harness h;
    namespace pages = cloudflare::pages;
    // Pages' `env_vars`: the 2024 schema lists one member, ENVIRONMENT_VARIABLE; the SDK has a Dict.
    static_assert(std::is_same_v<decltype(pages::project_create_params_deployment_configs_preview::env_vars),
                                 cloudflare::nullable<std::map<std::string, pages::project_create_params_deployment_configs_preview_env_vars>>>);
    pages::project_create_params p{.account_id = "acc-1", .name = "site"};
    p.deployment_configs.emplace().preview.emplace().env_vars = std::map<std::string, pages::project_create_params_deployment_configs_preview_env_vars>{
        {"API_URL", {.type = "plain_text", .value = "https://api.example.com"}}, {"MODE", {.type = "plain_text", .value = "preview"}}};
    (*p.deployment_configs->preview->env_vars)["TOKEN"] = {.type = "secret_text", .value = "s3cret"};
    auto req = h.sent(h.c.pages.projects.try_create(p));
    CHECK(req.body == R"({"deployment_configs":{"preview":{"env_vars":{"API_URL":{"type":"plain_text","value":"https://api.example.com"},)"
                      R"("MODE":{"type":"plain_text","value":"preview"},"TOKEN":{"type":"secret_text","value":"s3cret"}}}},"name":"site"})");
}

TEST_CASE("workers.scripts.update: typed metadata as a JSON part, modules as files") {
    harness h;
    cloudflare::workers::script_update_params p{.account_id = "acc-1"};
    cloudflare::workers::script_update_params_metadata metadata;
    metadata.main_module = "worker.js";
    p.metadata = metadata;
    p.files = std::map<std::string, cloudflare::file_part>{
        {"worker.js", {.filename = "worker.js", .content_type = "application/javascript+module", .data = "export default {};"}}};
    auto req = h.sent(h.c.workers.scripts.try_update("my-worker", p));
    CHECK(req.url == base + "/accounts/acc-1/workers/scripts/my-worker");
    const std::string b = "--cloudflare-cpp-form-0000000000000000";
    CHECK(contains(req.body, b + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n"
                                 "{\"main_module\":\"worker.js\"}\r\n"));
    CHECK(contains(req.body, b + "\r\nContent-Disposition: form-data; name=\"worker.js\"; filename=\"worker.js\"\r\n"
                                 "Content-Type: application/javascript+module\r\n\r\nexport default {};\r\n"));
    CHECK(req.body.ends_with(b + "--\r\n"));
}

TEST_CASE("a method the SDK overloads takes one overload's class: path members from it, the rest as the body") {
    harness h;
    namespace dns = cloudflare::dns;
    // Written as the README shows it: the class names the kind, the path member comes first.
    auto req = h.sent(h.c.dns.records.try_create(
        dns::record_create_params_a_record{.zone_id = "zone-1", .name = "www", .type = "A", .content = "198.51.100.4", .ttl = 300}));
    CHECK(req.method == cloudflare::http::method::post);
    CHECK(req.url == base + "/zones/zone-1/dns_records");
    CHECK(req.body == R"({"name":"www","type":"A","content":"198.51.100.4","ttl":300})");

    // Another kind, through another method sharing the class (one schema, one type).
    static_assert(std::is_same_v<dns::record_update_params_aaaa_record, dns::record_create_params_aaaa_record>);
    req = h.sent(h.c.dns.records.try_update(
        "rec 1", dns::record_update_params_aaaa_record{.zone_id = "zone-1", .name = "v6", .type = "AAAA", .content = "2001:db8::1"}));
    CHECK(req.method == cloudflare::http::method::put);
    CHECK(req.url == base + "/zones/zone-1/dns_records/rec%201");
    CHECK(req.body == R"({"name":"v6","type":"AAAA","content":"2001:db8::1"})");

    // rulesets.rules.edit's classes carry `ruleset_id` too, so they are not rules.create's.
    static_assert(!std::is_same_v<cloudflare::rulesets::rule_edit_params_block_rule, cloudflare::rulesets::rule_create_params_block_rule>);
    req = h.sent(h.c.rulesets.rules.try_edit("rule-1", cloudflare::rulesets::rule_edit_params_block_rule{
        .ruleset_id = "rs-1", .account_id = "acc-1", .action = "block", .expression = "ip.src eq 192.0.2.1"}));
    CHECK(req.method == cloudflare::http::method::patch);
    CHECK(req.url == base + "/accounts/acc-1/rulesets/rs-1/rules/rule-1");
    CHECK(req.body == R"({"action":"block","expression":"ip.src eq 192.0.2.1"})");

    // An account-or-zone call, in the SDK overload's keyword order (required body members first).
    namespace zt = cloudflare::zero_trust;
    req = h.sent(h.c.zero_trust.identity_providers.try_create(zt::identity_provider_create_params_azure_ad{
        .config = {.client_id = "cid"}, .name = "Azure", .type = "azureAD", .zone_id = "zone-1"}));
    CHECK(req.url == base + "/zones/zone-1/access/identity_providers");
    CHECK(req.body == R"({"config":{"client_id":"cid"},"name":"Azure","type":"azureAD"})");

    // Neither account nor zone: refused before anything is sent.
    auto none = h.c.zero_trust.identity_providers.try_create(
        zt::identity_provider_create_params_azure_ad{.config = {}, .name = "Azure", .type = "azureAD"});
    REQUIRE_FALSE(none);
    CHECK(none.error().kind() == error_kind::invalid_argument);
    CHECK(h.fake.request_count() == h.seen);
}

TEST_CASE("overloads of one body object take the overload's class: only its members are sent") {
    harness h;
    // A Worker's secret is text or a key: each overload sends its own members, nothing of the other's.
    namespace ws = cloudflare::workers::scripts;
    auto req = h.sent(h.c.workers.scripts.secrets.try_update("my-worker", ws::secret_update_params_workers_binding_kind_secret_text{
        .account_id = "acc-1", .name = "API_KEY", .text = "s3cr3t", .type = "secret_text"}));
    CHECK(req.method == cloudflare::http::method::put);
    CHECK(req.url == base + "/accounts/acc-1/workers/scripts/my-worker/secrets");
    CHECK(req.body == R"({"name":"API_KEY","text":"s3cr3t","type":"secret_text"})");
    req = h.sent(h.c.workers.scripts.secrets.try_update("my-worker", ws::secret_update_params_workers_binding_kind_secret_key{
        .account_id = "acc-1", .algorithm = raw_json(boost::json::parse(R"({"name":"HMAC","hash":"SHA-256"})")), .format = "raw",
        .name = "SIGNING", .type = "secret_key", .usages = {"sign"}, .key_base64 = "AAEC"}));
    CHECK(req.body == R"({"algorithm":{"name":"HMAC","hash":"SHA-256"},"format":"raw","name":"SIGNING","type":"secret_key",)"
                      R"("usages":["sign"],"key_base64":"AAEC"})");

    // A schema operation (Spectrum apps): the pay-as-you-go overload leaves the full one's members out,
    // and the members only the SDK lists (`origin_direct`) are there too.
    namespace sp = cloudflare::spectrum;
    req = h.sent(h.c.spectrum.apps.try_create(sp::app_create_params_spectrum_config_paygo_app_config{
        .zone_id = "zone-1", .dns = {.name = "ssh.example.com", .type = "CNAME"}, .protocol = "tcp/22",
        .origin_direct = std::vector<std::string>{"tcp://192.0.2.1:22"}}));
    CHECK(req.url == base + "/zones/zone-1/spectrum/apps");
    CHECK(req.body == R"({"dns":{"name":"ssh.example.com","type":"CNAME"},"protocol":"tcp/22","origin_direct":["tcp://192.0.2.1:22"]})");
    // The full overload keeps each member's type: the port is an integer or a range, a typed choice.
    req = h.sent(h.c.spectrum.apps.try_update("app-1", sp::app_update_params_spectrum_config_app_config{
        .zone_id = "zone-1", .dns = {.name = "ssh.example.com"}, .protocol = "tcp/22", .origin_dns = {.name = "origin.example.com"},
        .origin_port = std::int64_t{22}}));
    CHECK(req.method == cloudflare::http::method::put);
    CHECK(req.url == base + "/zones/zone-1/spectrum/apps/app-1");
    CHECK(req.body == R"({"dns":{"name":"ssh.example.com"},"protocol":"tcp/22","origin_dns":{"name":"origin.example.com"},"origin_port":22})");

    // A route the 2024 schema lacks (derived from the SDK): the physical overload has members the
    // GCP one has not.
    namespace ni = cloudflare::network_interconnects;
    req = h.sent(h.c.network_interconnects.interconnects.try_create(ni::interconnect_create_params_nsc_interconnect_create_physical_body{
        .account_id = "acc-1", .account = "acc-1", .slot_id = "slot-9", .type = "physical", .speed = std::string("10G")}));
    CHECK(req.url == base + "/accounts/acc-1/cni/interconnects");
    CHECK(req.body == R"({"account":"acc-1","slot_id":"slot-9","type":"physical","speed":"10G"})");

    // Overloads the SDK declares alike are one struct under every class's name.
    namespace ar = cloudflare::abuse_reports;
    static_assert(std::is_same_v<ar::abuse_report_create_params_abuse_reports_dmca_report, ar::abuse_report_create_params>);
    static_assert(std::is_same_v<ar::abuse_report_create_params_abuse_reports_ncsei_report, ar::abuse_report_create_params>);
    req = h.sent(h.c.abuse_reports.try_create("abuse_dmca", ar::abuse_report_create_params_abuse_reports_dmca_report{
        .account_id = "acc-1", .act = "abuse_dmca", .email = "a@example.com", .email2 = "a@example.com", .name = "A",
        .urls = "https://example.com/x"}));
    CHECK(req.url == base + "/accounts/acc-1/abuse-reports/abuse_dmca");
    CHECK(req.body == R"({"act":"abuse_dmca","email":"a@example.com","email2":"a@example.com","name":"A","urls":"https://example.com/x"})");
}

TEST_CASE("what the SDK sends and the schema lacks: in each alternative of a choice, beside a smaller schema, read-only") {
    harness h;
    namespace dns = cloudflare::dns;
    // A choice of objects (DNS record kinds): each kind gains its SDK overload's `settings`.
    auto req = h.sent(h.c.dns.records.try_create(dns::record_create_params_a_record{
        .zone_id = "zone-1", .name = "www", .type = "A", .content = "198.51.100.4", .settings = {{.ipv4_only = true}}}));
    CHECK(req.body == R"({"name":"www","type":"A","content":"198.51.100.4","settings":{"ipv4_only":true}})");
    // The kinds stay one type across create, update and edit, settings included.
    static_assert(std::is_same_v<dns::record_edit_params_a_record, dns::record_create_params_a_record>);
    static_assert(std::is_same_v<decltype(dns::record_update_params_a_record::settings),
                                 std::optional<dns::record_create_params_a_record_settings>>);
    // Each SDK class keeps its name where one struct serves several: update's nested classes too.
    static_assert(std::is_same_v<dns::record_update_params_a_record_settings, dns::record_create_params_a_record_settings>);
    static_assert(std::is_same_v<dns::record_edit_params_caa_record_data, dns::record_create_params_caa_record_data>);
    // The SDK's classes of one shape are one struct, each class's name kept (19 kinds' settings).
    static_assert(std::is_same_v<dns::record_create_params_aaaa_record_settings, dns::record_create_params_a_record_settings>);

    // The schema's two members of the SDK's five (firewall.lockdowns.create): the SDK's others join.
    req = h.sent(h.c.firewall.lockdowns.try_create({.zone_id = "zone-1", .configurations = {}, .urls = {"shop.example.com/*"},
                                                    .description = "shop", .paused = false, .priority = 5}));
    CHECK(req.body == R"({"configurations":[],"urls":["shop.example.com/*"],"description":"shop","paused":false,"priority":5})");

    // The choice is one part of an allOf (a ruleset rule's kinds, beside `position`): each kind gains
    // its overload's `ratelimit`, typed.
    namespace rs = cloudflare::rulesets;
    req = h.sent(h.c.rulesets.rules.try_edit("rule-1", rs::rule_edit_params_block_rule{
        .ruleset_id = "rs-1", .account_id = "acc-1", .action = "block", .expression = "true",
        .ratelimit = {{.characteristics = {"ip.src"}, .period = 60, .requests_per_period = 100}}}));
    CHECK(req.body == R"({"action":"block","expression":"true",)"
                      R"("ratelimit":{"characteristics":["ip.src"],"period":60,"requests_per_period":100}})");

    // A choice of choices the model cannot type (ai.run): the SDK's 14 overloads are the body.
    namespace ai = cloudflare::ai;
    req = h.sent(h.c.ai.try_run("@cf/meta/llama-3.1-8b-instruct", ai::ai_run_params_messages{
        .account_id = "acc-1", .messages = {{.content = "Hello", .role = "user"}}, .max_tokens = 64}));
    CHECK(req.url == base + "/accounts/acc-1/ai/run/@cf/meta/llama-3.1-8b-instruct");
    CHECK(req.body == R"({"messages":[{"content":"Hello","role":"user"}],"max_tokens":64})");
    req = h.sent(h.c.ai.try_run("@cf/huggingface/distilbert-sst-2-int8",
                                ai::ai_run_params_text_classification{.account_id = "acc-1", .text = "great"}));
    CHECK(req.body == R"({"text":"great"})");

    // Read-only in the schema, sent by the SDK (a Web3 hostname's name): a member.
    req = h.sent(h.c.web3.hostnames.try_create({.zone_id = "zone-1", .name = "gw.example.com", .target = "ipfs"}));
    CHECK(req.url == base + "/zones/zone-1/web3/hostnames");
    CHECK(req.body == R"({"name":"gw.example.com","target":"ipfs"})");
}

template <class T>
concept sends_cors_headers = requires(T a) { a.cors_headers; };

TEST_CASE("an SDK overload of a kind the schema's choice lacks is an alternative of its own") {
    harness h;
    namespace dns = cloudflare::dns;
    // DNS's OPENPGPKEY record: the SDK's class, in its keyword order, one type across create,
    // update and edit like the schema's kinds.
    auto req = h.sent(h.c.dns.records.try_create(dns::record_create_params_dns_records_openpgpkey_record{
        .zone_id = "zone-1", .name = "k._openpgpkey", .type = "OPENPGPKEY", .content = "mQINBFm", .ttl = 300}));
    CHECK(req.method == cloudflare::http::method::post);
    CHECK(req.url == base + "/zones/zone-1/dns_records");
    CHECK(req.body == R"({"name":"k._openpgpkey","type":"OPENPGPKEY","content":"mQINBFm","ttl":300})");
    static_assert(std::is_same_v<dns::record_update_params_dns_records_openpgpkey_record,
                                 dns::record_create_params_dns_records_openpgpkey_record>);
    static_assert(std::is_same_v<dns::record_edit_params_dns_records_openpgpkey_record,
                                 dns::record_create_params_dns_records_openpgpkey_record>);
    req = h.sent(h.c.dns.records.try_edit("rec-1", dns::record_edit_params_dns_records_openpgpkey_record{
        .zone_id = "zone-1", .name = "k._openpgpkey", .type = "OPENPGPKEY", .settings = {{.ipv6_only = true}}}));
    CHECK(req.method == cloudflare::http::method::patch);
    CHECK(req.url == base + "/zones/zone-1/dns_records/rec-1");
    CHECK(req.body == R"({"name":"k._openpgpkey","type":"OPENPGPKEY","settings":{"ipv6_only":true}})");

    // Access's infrastructure application (its `target_criteria`), beside the schema's eight kinds.
    namespace access = cloudflare::zero_trust::access;
    req = h.sent(h.c.zero_trust.access.applications.try_create(access::application_create_params_infrastructure_application{
        .target_criteria = {{.port = 22, .protocol = "SSH", .target_attributes = {{"hostname", {"web-1", "web-2"}}}}},
        .type = "infrastructure", .account_id = "acc-1", .name = "ssh fleet"}));
    CHECK(req.url == base + "/accounts/acc-1/access/apps");
    CHECK(req.body == R"({"target_criteria":[{"port":22,"protocol":"SSH","target_attributes":{"hostname":["web-1","web-2"]}}],)"
                      R"("type":"infrastructure","name":"ssh fleet"})");
    req = h.sent(h.c.zero_trust.access.applications.try_update("app-1", access::application_update_params_browser_rdp_application{
        .domain = "rdp.example.com", .target_criteria = {{.port = 3389, .protocol = "RDP", .target_attributes = {}}},
        .type = "rdp", .zone_id = "zone-1"}));
    CHECK(req.method == cloudflare::http::method::put);
    CHECK(req.url == base + "/zones/zone-1/access/apps/app-1");
    CHECK(req.body == R"({"domain":"rdp.example.com","target_criteria":[{"port":3389,"protocol":"RDP","target_attributes":{}}],"type":"rdp"})");
    // Each schema kind takes its own overload's members only: a bookmark has no CORS headers
    // (the SDK's BookmarkApplication), where a self-hosted application has.
    static_assert(!sends_cors_headers<access::application_create_params_bookmark_application>);
    static_assert(sends_cors_headers<access::application_create_params_self_hosted_application>);
}

TEST_CASE("where the 2024 schema's body is wrong or older (overlay.json says why), the SDK's members are the body") {
    harness h;
    // zero_trust.access.tags.create: the schema's body is the bare name string; the API reference
    // and the SDK send an object.
    auto req = h.sent(h.c.zero_trust.access.tags.try_create({.account_id = "acc-1", .name = "engineers"}));
    CHECK(req.url == base + "/accounts/acc-1/access/tags");
    CHECK(req.body == R"({"name":"engineers"})");

    // zero_trust.dlp.profiles.custom.create: one profile (the schema's older batch form took
    // `profiles`), its entries a choice of the SDK's entry classes, and one profile answered.
    namespace prof = cloudflare::zero_trust::dlp::profiles;
    testing::fake_transport fake;
    client<testing::fake_transport&> c{fake, token_options()};
    fake.push(ok(envelope(R"({"id":"p-1","name":"ids","type":"custom","entries":[],"allowed_match_count":2})")));
    auto made = c.zero_trust.dlp.profiles.custom.try_create({
        .account_id = "acc-1",
        .entries = {prof::custom_create_params_entry_dlp_new_custom_entry{.enabled = true, .name = "employee id", .pattern = {.regex = "EMP-[0-9]{6}"}},
                    prof::custom_create_params_entry_dlp_new_word_list_entry{.enabled = false, .name = "codenames", .words = {"falcon"}}},
        .name = "ids",
        .allowed_match_count = 2});
    REQUIRE(fake.request_count() == 1);
    CHECK(fake.requests().back().body ==
          R"({"entries":[{"enabled":true,"name":"employee id","pattern":{"regex":"EMP-[0-9]{6}"}},)"
          R"({"enabled":false,"name":"codenames","words":["falcon"]}],"name":"ids","allowed_match_count":2})");
    static_assert(std::is_same_v<decltype(made), result<cloudflare::zero_trust::dlp::profile>>);
    REQUIRE(made);
    const auto* custom = made->get_if<cloudflare::zero_trust::dlp::profile_custom_profile>();
    REQUIRE(custom != nullptr);
    CHECK(custom->id == "p-1");
    CHECK(custom->allowed_match_count == 2);
}

TEST_CASE("a body the schema gives no members (an example at most) takes the SDK's members") {
    harness h;
    // queues.create: the schema shows an example only; the SDK sends `queue_name`.
    auto req = h.sent(h.c.queues.try_create({.account_id = "acc-1", .queue_name = "orders"}));
    CHECK(req.url == base + "/accounts/acc-1/queues");
    CHECK(req.body == R"({"queue_name":"orders"})");
    // Nothing set: still the object the schema requires, never a missing body.
    req = h.sent(h.c.queues.try_update("q-1", {.account_id = "acc-1"}));
    CHECK(req.method == cloudflare::http::method::put);
    CHECK(req.body == "{}");

    // queues.consumers.create: the SDK overloads it (a Worker or an HTTP pull consumer).
    namespace q = cloudflare::queues;
    req = h.sent(h.c.queues.consumers.try_create("q-1", q::consumer_create_params_mq_worker_consumer{
        .account_id = "acc-1", .script_name = "consumer", .settings = {{.batch_size = 10}}, .type = "worker"}));
    CHECK(req.url == base + "/accounts/acc-1/queues/q-1/consumers");
    CHECK(req.body == R"({"script_name":"consumer","settings":{"batch_size":10},"type":"worker"})");
    req = h.sent(h.c.queues.consumers.try_create("q-1", q::consumer_create_params_mq_http_consumer{
        .account_id = "acc-1", .settings = {{.visibility_timeout_ms = 30000}}, .type = "http_pull"}));
    CHECK(req.body == R"({"settings":{"visibility_timeout_ms":30000},"type":"http_pull"})");

    // magic_transit.routes.create: the schema lists only required names; the SDK's class, typed.
    req = h.sent(h.c.magic_transit.routes.try_create({.account_id = "acc-1", .nexthop = "203.0.113.1",
        .prefix = "192.0.2.0/24", .priority = 100, .scope = {{.colo_names = std::vector<std::string>{"den01"}}}}));
    CHECK(req.url == base + "/accounts/acc-1/magic/routes");
    CHECK(req.body == R"({"nexthop":"203.0.113.1","prefix":"192.0.2.0/24","priority":100,"scope":{"colo_names":["den01"]}})");
    // The schema's update and the SDK's create name one type (one SDK class, one C++ type).
    static_assert(std::is_same_v<decltype(cloudflare::magic_transit::route_update_params::scope),
                                 decltype(cloudflare::magic_transit::route_create_params::scope)>);
}

TEST_CASE("one SDK type, one C++ type: records.batch's four lists hold the records.list record union") {
    namespace dns = cloudflare::dns;
    // The SDK's RecordBatchResponse holds List[RecordResponse], the type records.list pages over.
    static_assert(std::is_same_v<decltype(dns::record_batch_response::deletes), std::optional<std::vector<dns::record_response>>>);
    static_assert(std::is_same_v<decltype(dns::record_batch_response::posts), std::optional<std::vector<dns::record_response>>>);
    testing::fake_transport fake;
    client<testing::fake_transport&> c{fake, token_options()};
    static_assert(std::is_same_v<decltype(c.dns.records.try_list({})), cloudflare::result<cloudflare::page<dns::record_response>>>);
    fake.push(ok(envelope(R"({"posts":[{"id":"r1","name":"www","type":"A","content":"198.51.100.4","proxied":false,"ttl":1,
        "settings":{"ipv4_only":true},"created_on":"2024-01-01T00:00:00Z","modified_on":"2024-01-01T00:00:00Z","proxiable":true}],
        "deletes":[{"id":"r2","name":"k","type":"OPENPGPKEY","content":"AAAA"}]})")));
    auto r = c.dns.records.try_batch({.zone_id = "zone-1",
                                      .posts = {{dns::a_record_param{.name = "www", .type = "A", .content = "198.51.100.4"}}}});
    REQUIRE(r);
    CHECK(fake.requests().back().body == R"({"posts":[{"name":"www","type":"A","content":"198.51.100.4"}]})");
    REQUIRE(r->posts);
    REQUIRE(r->posts->size() == 1);
    const auto* a = (*r->posts)[0].get_if<dns::record_response_a_record>();
    REQUIRE(a);
    CHECK(a->content == "198.51.100.4");
    CHECK(a->id == "r1");
    // A member only the SDK's newer shape has stays in the JSON kept beside the typed kind.
    REQUIRE((*r->posts)[0].raw.find("settings"));
    CHECK((*r->posts)[0].raw.find("settings")->as_object().contains("ipv4_only"));
    // A kind the schema does not list (OPENPGPKEY): no typed alternative, the JSON kept whole.
    REQUIRE(r->deletes);
    CHECK(std::holds_alternative<std::monostate>((*r->deletes)[0].value));
    CHECK((*r->deletes)[0].raw.find("type")->as_string() == "OPENPGPKEY");
    CHECK(r->warnings.empty());
}

TEST_CASE("a request's choice is a cloudflare::one_of: made from any alternative, read back, copied, moved and sent") {
    namespace dns = cloudflare::dns;
    using post = std::remove_cvref_t<decltype(*dns::record_batch_params{}.posts)>::value_type;
    // The overloaded calls' params are one too, and a params struct holding choices is default-constructible.
    static_assert(std::is_base_of_v<cloudflare::one_of<dns::record_create_params_a_record, dns::record_create_params_aaaa_record,
        dns::record_create_params_caa_record, dns::record_create_params_cert_record, dns::record_create_params_cname_record,
        dns::record_create_params_dnskey_record, dns::record_create_params_ds_record, dns::record_create_params_https_record,
        dns::record_create_params_loc_record, dns::record_create_params_mx_record, dns::record_create_params_naptr_record,
        dns::record_create_params_ns_record, dns::record_create_params_ptr_record, dns::record_create_params_smimea_record,
        dns::record_create_params_srv_record, dns::record_create_params_sshfp_record, dns::record_create_params_svcb_record,
        dns::record_create_params_tlsa_record, dns::record_create_params_txt_record, dns::record_create_params_uri_record,
        dns::record_create_params_dns_records_openpgpkey_record>,
        dns::record_create_params>);
    static_assert(std::is_default_constructible_v<dns::record_batch_params>);
    static_assert(std::is_nothrow_move_constructible_v<post>);

    post a = dns::a_record_param{.name = "www", .type = "A", .content = "198.51.100.4"};
    post c = dns::cname_record_param{.name = "blog", .type = "CNAME", .content = "www.example.com"};
    CHECK(a.index() == 0);
    CHECK(a.holds<dns::a_record_param>());
    CHECK_FALSE(a.holds<dns::cname_record_param>());
    REQUIRE(c.get_if<dns::cname_record_param>());
    CHECK(c.get_if<dns::cname_record_param>()->content == "www.example.com");
    CHECK(c.get_if<dns::a_record_param>() == nullptr);
    CHECK(c.visit([](const auto& r) { return r.name; }) == "blog");

    post copy = c;  // a copy is its own value
    copy.get_if<dns::cname_record_param>()->name = "news";
    CHECK(c.get_if<dns::cname_record_param>()->name == "blog");
    a = copy;       // assigning another alternative changes the kind
    CHECK(a.holds<dns::cname_record_param>());
    CHECK(a.get_if<dns::cname_record_param>()->name == "news");
    a = dns::a_record_param{.name = "www", .type = "A", .content = "198.51.100.4"};
    CHECK(a.holds<dns::a_record_param>());
    post moved = std::move(copy);
    CHECK(moved.get_if<dns::cname_record_param>()->name == "news");
    post first;     // default: the first alternative, value-initialized, as std::variant
    CHECK(first.holds<dns::a_record_param>());
    CHECK(first.get_if<dns::a_record_param>()->name.empty());

    // Scalars choose as std::variant does: text is a string, never a bool; an integer an integer.
    cloudflare::one_of<std::string, double, bool> value = "on";
    CHECK(value.holds<std::string>());
    value = true;
    CHECK(value.holds<bool>());
    value = 2.5;
    CHECK(*value.get_if<double>() == 2.5);
    static_assert(!std::is_constructible_v<cloudflare::one_of<std::string, double>, int>, "narrowing picks nothing");
    static_assert(!std::is_constructible_v<post, dns::record_create_params_a_record>, "only the alternatives");

    // Sent: each element of a list as its own kind, in order; a query choice as its text.
    harness h;
    std::vector<post> posts{a, c};
    posts.push_back(dns::txt_record_param{.name = "t", .type = "TXT", .content = "v=spf1 -all"});
    auto req = h.sent(h.c.dns.records.try_batch({.zone_id = "zone-1",
                                                 .patches = {{dns::batch_patch_param_cname_record{.name = "blog", .type = "CNAME", .id = "r9"}}},
                                                 .posts = posts}));
    CHECK(req.body == R"({"patches":[{"name":"blog","type":"CNAME","id":"r9"}],"posts":[)"
                      R"({"name":"www","type":"A","content":"198.51.100.4"},{"name":"blog","type":"CNAME","content":"www.example.com"},)"
                      R"({"name":"t","type":"TXT","content":"v=spf1 -all"}]})");
    req = h.sent(h.c.logs.received.try_get({.zone_id = "zone-1", .end = "2024-01-01T00:00:00Z", .start = std::int64_t{1700000000}}));
    CHECK(req.url == base + "/zones/zone-1/logs/received?start=1700000000&end=2024-01-01T00%3A00%3A00Z");
    // A value that cannot be sent inside a choice is refused, named by its path.
    harness refused;
    check_refused(refused.c.dns.records.try_batch({.zone_id = "zone-1", .posts = {{c, dns::a_record_param{.name = latin1, .type = "A"}}}}),
                  refused, "`posts[1].name` is not valid UTF-8");
}

TEST_CASE("numbers: the shortest text that reads back the same; NaN and infinities refused") {
    harness h;
    logs::received_get_params p{.zone_id = "zone-1", .end = std::int64_t{1700000000}, .sample = 0.1};
    auto req = h.sent(h.c.logs.received.try_get(p));
    CHECK(req.url == base + "/zones/zone-1/logs/received?end=1700000000&sample=0.1");
    for (const auto& [v, text] : {std::pair{1e-7, "1e-07"}, std::pair{123456789.125, "123456789.125"},
                                  std::pair{5e300, "5e%2B300"}, std::pair{-0.3, "-0.3"}, std::pair{100.0, "100"},
                                  // whole numbers below 2^53 as digits (a Unix time), as the SDK sends them
                                  std::pair{1700000000.0, "1700000000"}, std::pair{-1e15, "-1000000000000000"},
                                  std::pair{9007199254740992.0, "9007199254740992"}}) {
        const std::string shown = text; // CAPTURE takes a reference, which Clang 14 cannot take to a binding
        CAPTURE(shown);
        p.sample = v;
        req = h.sent(h.c.logs.received.try_get(p));
        CHECK(req.url == base + "/zones/zone-1/logs/received?end=1700000000&sample=" + text);
    }
    for (double bad : {std::nan(""), std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()}) {
        harness r;
        p.sample = bad;
        check_refused(r.c.logs.received.try_get(p), r, "`sample` is not a finite number");
    }
    // In a body, nested too.
    logpush::job_create_params j{.destination_conf = "s3://bucket", .account_id = acc};
    j.output_options = logpush::output_options_param{.sample_rate = 0.1};
    req = h.sent(h.c.logpush.jobs.try_create(j));
    CHECK(req.body == R"({"destination_conf":"s3://bucket","output_options":{"sample_rate":0.1}})");
    j.output_options->sample_rate = std::nan("");
    harness r;
    check_refused(r.c.logpush.jobs.try_create(j), r, "`output_options.sample_rate` is not a finite number");
}
