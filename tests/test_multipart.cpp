// multipart/form-data bodies (RFC 7578), as the request builder writes them: each part's
// headers and bytes exactly, a boundary that never occurs in the data, and refused inputs.
#include "support.hpp"

#include <cloudflare/binary.hpp>
#include <cloudflare/endpoint.hpp>

#include <boost/json/parse.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace {

struct upload_metadata {
    std::string main_module{};
    std::vector<std::string> compatibility_flags{};
    template <class S, class F>
    static void cloudflare_members(S& s, F&& f) {
        f("main_module", s.main_module);
        f("compatibility_flags", s.compatibility_flags);
    }
};

struct upload_params {
    std::string account_id{};
    std::optional<upload_metadata> metadata{};
    std::optional<std::map<std::string, cloudflare::file_part>> files{};
    std::optional<std::string> branch{};
    std::optional<double> opacity{};
    std::optional<bool> require_signed_urls{};
    std::optional<cloudflare::raw_json> extra{};
    std::optional<std::variant<std::string, cloudflare::file_part>> file{};
};

// An endpoint declared as the generator declares one with a multipart body.
struct upload {
    using params_type = upload_params;
    using response_type = cloudflare::raw_json;
    static constexpr cloudflare::http::method method = cloudflare::http::method::put;
    static constexpr bool idempotent = true;
    static constexpr std::string_view name = "test.upload";
    template <class Builder>
    static void describe(Builder& b, const upload_params& p) {
        b.path("/accounts/").param("account_id", p.account_id).path("/upload");
        b.multipart();
        b.part("metadata", p.metadata);
        b.parts(p.files, "files");
        b.part("branch", p.branch);
        b.part("opacity", p.opacity);
        b.part("requireSignedURLs", p.require_signed_urls);
        b.part("extra", p.extra);
        b.part("file", p.file);
    }
};

cloudflare::client_options options() {
    cloudflare::client_options o;
    o.api_token = "tok";
    return o;
}

cloudflare::http::request built(const upload_params& p) {
    auto r = cloudflare::build_request<upload>(options(), p);
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message()));
    return *r;
}

std::string boundary_of(const cloudflare::http::request& req) {
    auto ct = std::string(req.headers.get("content-type").value_or(""));
    const std::string_view head = "multipart/form-data; boundary=";
    REQUIRE(ct.starts_with(head));
    return ct.substr(head.size());
}

struct parsed_part {
    std::string headers, data;
};

// Splits a body at its delimiters, as a server does: what lies between `--B` lines.
std::vector<parsed_part> split(std::string_view body, const std::string& boundary) {
    std::vector<parsed_part> out;
    const std::string first = "--" + boundary + "\r\n", delim = "\r\n--" + boundary;
    REQUIRE(body.starts_with(first.substr(0, first.size() - 2)));
    std::size_t at = 0;
    if (body.starts_with("--" + boundary + "--")) return out;
    REQUIRE(body.starts_with(first));
    at = first.size();
    for (;;) {
        auto end = body.find(delim, at);
        REQUIRE(end != std::string_view::npos);
        auto part = body.substr(at, end - at);
        auto blank = part.find("\r\n\r\n");
        REQUIRE(blank != std::string_view::npos);
        out.push_back({std::string(part.substr(0, blank)), std::string(part.substr(blank + 4))});
        at = end + delim.size();
        if (body.substr(at) == "--\r\n") return out;
        REQUIRE(body.substr(at, 2) == "\r\n");
        at += 2;
    }
}

} // namespace

TEST_CASE("multipart: each set member is one part, in order, with its headers and bytes exactly") {
    upload_params p{.account_id = "acc-1",
                    .metadata = upload_metadata{.main_module = "worker.js", .compatibility_flags = {"nodejs_compat"}},
                    .files = std::map<std::string, cloudflare::file_part>{
                        {"worker.js", {.filename = "worker.js", .content_type = "application/javascript+module", .data = "export default {}"}}},
                    .branch = "main",
                    .opacity = 0.5,
                    .require_signed_urls = true};
    auto req = built(p);
    CHECK(req.url == "https://api.cloudflare.com/client/v4/accounts/acc-1/upload");
    CHECK(req.headers.get("content-type") == "multipart/form-data; boundary=cloudflare-cpp-form-0000000000000000");
    const std::string b = "--cloudflare-cpp-form-0000000000000000";
    CHECK(req.body == b + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n"
                          "{\"main_module\":\"worker.js\",\"compatibility_flags\":[\"nodejs_compat\"]}\r\n" +
                          b + "\r\nContent-Disposition: form-data; name=\"worker.js\"; filename=\"worker.js\"\r\n"
                              "Content-Type: application/javascript+module\r\n\r\nexport default {}\r\n" +
                          b + "\r\nContent-Disposition: form-data; name=\"branch\"\r\n\r\nmain\r\n" +
                          b + "\r\nContent-Disposition: form-data; name=\"opacity\"\r\n\r\n0.5\r\n" +
                          b + "\r\nContent-Disposition: form-data; name=\"requireSignedURLs\"\r\n\r\ntrue\r\n" + b + "--\r\n");
}

TEST_CASE("multipart: a union sends the alternative that is set; raw_json goes as JSON; a file without a type is octet-stream") {
    auto req = built({.account_id = "a", .extra = cloudflare::raw_json(boost::json::parse(R"({"k":[1,"x"]})")),
                      .file = cloudflare::file_part{.filename = "a.bin", .content_type = "", .data = std::string("\0\x01\xff", 3)}});
    auto parts = split(req.body, boundary_of(req));
    REQUIRE(parts.size() == 2);
    CHECK(parts[0].headers == "Content-Disposition: form-data; name=\"extra\"\r\nContent-Type: application/json");
    CHECK(parts[0].data == R"({"k":[1,"x"]})");
    CHECK(parts[1].headers == "Content-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\nContent-Type: application/octet-stream");
    CHECK(parts[1].data == std::string("\0\x01\xff", 3));
    req = built({.account_id = "a", .file = std::string("text, not a file")});
    parts = split(req.body, boundary_of(req));
    REQUIRE(parts.size() == 1);
    CHECK(parts[0].headers == "Content-Disposition: form-data; name=\"file\"");
    CHECK(parts[0].data == "text, not a file");
}

TEST_CASE("multipart: no part set is an empty form") {
    auto req = built({.account_id = "a"});
    CHECK(req.body == "--cloudflare-cpp-form-0000000000000000--\r\n");
    CHECK(split(req.body, boundary_of(req)).empty());
}

TEST_CASE("multipart: the boundary never occurs in the data, whatever the data holds") {
    // Data holding the first two candidates: the third is chosen.
    auto req = built({.account_id = "a", .branch = "x cloudflare-cpp-form-0000000000000000 y",
                      .file = cloudflare::file_part{.filename = "f", .data = "--cloudflare-cpp-form-0000000000000001--\r\n"}});
    CHECK(boundary_of(req) == "cloudflare-cpp-form-0000000000000002");
    // Generated data over many shapes: candidates, their prefixes, truncated ones, at any place
    // in any part; every body splits back into exactly the parts that were set.
    std::uint64_t seed = 88172645463325252ull;
    auto next = [&] { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; return seed; };
    auto candidate = [](std::uint64_t i) {
        std::string s = "cloudflare-cpp-form-";
        for (int shift = 60; shift >= 0; shift -= 4) s += "0123456789abcdef"[(i >> shift) & 0xf];
        return s;
    };
    auto noise = [&] {
        std::string s;
        const auto pieces = next() % 8;
        for (std::uint64_t k = 0; k < pieces; ++k) {
            switch (next() % 5) {
            case 0: s += candidate(next() % 6); break;
            case 1: s += candidate(next() % 6).substr(0, next() % 36); break;
            case 2: s += "\r\n--"; break;
            case 3: s += "--" + candidate(next() % 3) + "--"; break;
            default: s += std::string(next() % 5, static_cast<char>('a' + next() % 26)); break;
            }
        }
        return s;
    };
    for (int round = 0; round < 500; ++round) {
        upload_params p{.account_id = "a", .branch = noise(),
                        .file = cloudflare::file_part{.filename = "f.txt", .content_type = "text/plain", .data = noise()}};
        if (round % 2) p.files = std::map<std::string, cloudflare::file_part>{{"m.js", {.filename = "m.js", .data = noise()}}};
        auto r = built(p);
        const auto boundary = boundary_of(r);
        CHECK_FALSE(p.branch->find(boundary) != std::string::npos);
        CHECK_FALSE(std::get<cloudflare::file_part>(*p.file).data.find(boundary) != std::string::npos);
        auto parts = split(r.body, boundary);
        REQUIRE(parts.size() == (round % 2 ? 3u : 2u));
        if (round % 2) CHECK(parts[0].data == p.files->at("m.js").data);
        CHECK(parts[parts.size() - 2].data == *p.branch);
        CHECK(parts.back().data == std::get<cloudflare::file_part>(*p.file).data);
    }
}

TEST_CASE("multipart: names, file names and media types that would break the headers are refused, naming the part") {
    auto refused = [](const upload_params& p, std::string_view says) {
        auto r = cloudflare::build_request<upload>(options(), p);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind() == cloudflare::error_kind::invalid_argument);
        CHECK_MESSAGE(r.error().message().find(says) != std::string::npos, r.error().message());
    };
    using files = std::map<std::string, cloudflare::file_part>;
    refused({.account_id = "a", .files = files{{"a\"b", {.filename = "f", .data = "x"}}}}, "part name must not hold a quote");
    refused({.account_id = "a", .files = files{{"", {.filename = "f", .data = "x"}}}}, "`files` has a part with an empty name");
    refused({.account_id = "a", .file = cloudflare::file_part{.filename = "f\r\nX: y", .data = "x"}}, "`file`: a file name must not hold");
    refused({.account_id = "a", .file = cloudflare::file_part{.filename = "f", .content_type = "text/plain\r\nX: y", .data = "x"}},
            "`file`: a content_type must not hold");
    refused({.account_id = "a", .opacity = std::numeric_limits<double>::infinity()}, "`opacity` is not a finite number");
    refused({.account_id = "a", .metadata = upload_metadata{.main_module = std::string("\xff\xfe", 2)}}, "`metadata.main_module` is not valid UTF-8");
}
