// The conformance sweep: every generated operation, called through the public client over
// libcurl against Prism serving the project's copy of Cloudflare's schema, once per auth scheme
// the operation accepts. A call passes when Prism answers 2xx without `sl-violations` and the
// answer parses (default, tolerant reading) into the call's typed result. Where that reading
// warned, the same call is made again with strict_response_validation, for the strict figure.
// A sample goes again over cpp-httplib and must end
// the same way; requests spoiled on purpose (no credentials, a wrong type, a missing required
// property) must be rejected, so the sweep can fail. Every outcome goes to a JSON-lines log that
// tests/conformance/sweep_report.py classifies and turns into the committed report.
//   usage: sweep BASE_URL LOG_FILE   (tests/conformance/sweep.sh starts Prism and passes its URL)
#include "parts.hpp"
#include "sweep.hpp"

#include "../../../examples/curl_transport.hpp"
#include "../../../examples/httplib_transport.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace json = boost::json;
using namespace std::chrono_literals;

cloudflare::http::response sweep::transport::send(const cloudflare::http::request& req) {
    if (next == spoil::none) return last = send_to(req);
    cloudflare::http::request bad = req;
    if (next == spoil::no_credentials) {
        for (auto h : {"Authorization", "X-Auth-Key", "X-Auth-Email", "X-Auth-User-Service-Key"}) bad.headers.erase(h);
    } else {
        json::error_code ec;
        auto body = json::parse(bad.body, ec);
        if (!ec && body.is_object() && body.as_object().contains(body_key)) {
            auto& o = body.as_object();
            if (next == spoil::missing_required)
                o.erase(body_key);
            else
                o[body_key] = o[body_key].is_string() ? json::value(12345) : json::value("wrong-type");
            bad.body = json::serialize(body);
        }
    }
    return last = send_to(bad);
}

namespace {

cloudflare::client_options options(const std::string& base, unsigned scheme, bool strict, std::size_t* warnings) {
    cloudflare::client_options o;
    o.base_url = base;
    if (scheme == sweep::api_key_email) {
        o.api_key = "144c9defac04969c7bfad8efaa8ea194";
        o.api_email = "user@example.com";
    } else if (scheme == sweep::user_service_key) {
        o.user_service_key = "v1.0-144c9defac04969c7bfad8ea-a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2";
    } else {
        o.api_token = "Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY";
    }
    o.max_retries = 0;
    o.timeout = 20s;
    o.strict_response_validation = strict;
    o.observer = [warnings](const cloudflare::attempt_event& e) { *warnings = e.warnings.size(); };
    return o;
}

const char* scheme_name(unsigned s) {
    return s == sweep::api_key_email ? "api_key+api_email" : s == sweep::user_service_key ? "user_service_key" : "api_token";
}

// What Prism said about the request: `sl-violations` (when it answered anyway) or the
// validation list of its problem+json answer.
json::array violations(const cloudflare::http::response& r) {
    json::array out;
    auto add_all = [&](const json::value& list) {
        if (!list.is_array()) return;
        for (const auto& v : list.as_array()) {
            if (!v.is_object()) continue;
            std::string where;
            if (const auto* loc = v.as_object().if_contains("location"); loc && loc->is_array())
                for (const auto& part : loc->as_array())
                    if (part.is_string()) where += (where.empty() ? "" : ".") + std::string(part.as_string());
            const auto* msg = v.as_object().if_contains("message");
            out.emplace_back(where + ": " + (msg && msg->is_string() ? std::string(msg->as_string()) : json::serialize(v)));
        }
    };
    json::error_code ec;
    if (auto h = r.headers.get("sl-violations")) {
        auto v = json::parse(*h, ec);
        if (ec) out.emplace_back(std::string(*h));
        else add_all(v);
    }
    if (r.status >= 400 && r.headers.get("content-type").value_or("").starts_with("application/problem+json")) {
        auto v = json::parse(r.body, ec);
        if (!ec && v.is_object()) {
            if (const auto* list = v.as_object().if_contains("validation")) add_all(*list);
            else if (const auto* title = v.as_object().if_contains("title")) out.emplace_back(": " + json::serialize(*title));
        }
    }
    return out;
}

class runner final : public sweep::runner {
public:
    runner(const std::string& base, const std::string& log_path) : log_(log_path) {
        curl_.send_to = [t = std::make_shared<examples::curl_transport>()](const auto& r) { return t->send(r); };
        httplib_.send_to = [t = std::make_shared<examples::httplib_transport>()](const auto& r) { return t->send(r); };
        for (unsigned s : {sweep::api_token, sweep::api_key_email, sweep::user_service_key}) {
            curl_clients_.emplace(s, sweep::client_type(curl_, options(base, s, false, &warnings_)));
            strict_clients_.emplace(s, sweep::client_type(curl_, options(base, s, true, &warnings_)));
            httplib_clients_.emplace(s, sweep::client_type(httplib_, options(base, s, false, &warnings_)));
        }
    }

    void op(std::string_view name, std::string_view route, unsigned schemes, std::string_view body_key,
            sweep::call_fn call) override {
        names_.insert(std::string(name));
        ++operations_;
        bool all_passed = true;
        unsigned first = 0;
        bool first_passed = false;
        for (unsigned s : {sweep::api_token, sweep::api_key_email, sweep::user_service_key}) {
            if (schemes != 0 && !(schemes & s)) continue;
            if (!first) first = s;
            warnings_ = 0;
            auto o = call(curl_clients_.at(s));
            const std::size_t warned = warnings_;
            auto v = violations(curl_.last);
            const int status = curl_.last.status;
            const std::string body_head = curl_.last.body.substr(0, 200);
            bool passed = o.ok && v.empty();
            // Strict reading of the same answer differs only where the default one warned.
            bool strict_ok = o.ok;
            if (s == first && o.ok && warned > 0) strict_ok = call(strict_clients_.at(s)).ok;
            all_passed = all_passed && passed;
            if (s == first) first_passed = passed;
            ++calls_;
            calls_passed_ += passed;
            json::object line{{"op", name}, {"route", route}, {"scheme", scheme_name(s)}, {"transport", "libcurl"},
                              {"status", status}, {"passed", passed}, {"violations", v}, {"error", o.error},
                              {"warnings", warned}};
            if (s == first) line["strict_ok"] = strict_ok;
            if (!passed) line["body"] = body_head; // what the report's checks look at
            write(std::move(line));
            if (schemes == 0) break; // no credentials needed: one call is the whole story
        }
        operations_passed_ += all_passed;
        // A sample again over cpp-httplib: the same request must end the same way.
        if (operations_ % 10 == 1) {
            auto o = call(httplib_clients_.at(first));
            bool passed = o.ok && violations(httplib_.last).empty();
            bool agrees = passed == first_passed;
            ++second_;
            second_agree_ += agrees;
            write({{"op", name}, {"transport", "cpp-httplib"}, {"scheme", scheme_name(first)},
                   {"status", httplib_.last.status}, {"passed", passed}, {"agrees", agrees}});
        }
        if (!all_passed) return;
        // Spoiled requests, on a sample of operations whose good request passed.
        if (schemes != 0 && operations_passed_ % 4 == 1) negative(name, "no_credentials", sweep::transport::spoil::no_credentials, call, first, 401);
        if (!body_key.empty() && ++with_body_ % 2 == 1) {
            curl_.body_key = std::string(body_key);
            negative(name, "wrong_type", sweep::transport::spoil::wrong_type, call, first, 422);
            negative(name, "missing_required", sweep::transport::spoil::missing_required, call, first, 422);
        }
    }

    void not_applicable(std::string_view name, std::string_view route, std::string_view why) override {
        names_.insert(std::string(name));
        ++operations_;
        ++not_applicable_;
        write({{"op", name}, {"route", route}, {"not_applicable", why}});
    }

    int finish() {
        bool count_ok = operations_ == sweep::operations && names_.size() == std::size_t(operations_);
        std::printf("sweep: %d operations (%d expected, %zu distinct names), %d not applicable (non-JSON request)\n",
                    operations_, sweep::operations, names_.size(), not_applicable_);
        std::printf("sweep: %d calls over libcurl, %d passed; %d operations passed with every scheme, %d missed\n", calls_,
                    calls_passed_, operations_passed_, operations_ - not_applicable_ - operations_passed_);
        std::printf("sweep: cpp-httplib sample: %d of %d calls end as over libcurl\n", second_agree_, second_);
        std::printf("sweep: spoiled requests: %d of %d rejected", negatives_rejected_, negatives_);
        for (const auto& [kind, n] : negative_kinds_) std::printf(", %s %d", kind.c_str(), n);
        std::printf("\n");
        // A spoiled request that passed, and a call that ends otherwise over cpp-httplib, are judged
        // by sweep_report.py: only a schema defect its checks find in the schema explains one.
        bool ok = count_ok && second_ > 0 && negatives_ >= 50;
        std::printf("sweep: %s\n", ok ? "driver checks passed (misses are classified by sweep_report.py)" : "driver checks FAILED");
        return ok ? 0 : 1;
    }

private:
    void negative(std::string_view name, const char* kind, sweep::transport::spoil how, sweep::call_fn call,
                  unsigned scheme, int want) {
        curl_.next = how;
        auto o = call(curl_clients_.at(scheme));
        curl_.next = sweep::transport::spoil::none;
        bool rejected = !o.ok && (curl_.last.status == want || (want == 422 && curl_.last.status == 400));
        ++negatives_;
        negatives_rejected_ += rejected;
        ++negative_kinds_[kind];
        write({{"op", name}, {"negative", kind}, {"status", curl_.last.status}, {"rejected", rejected}});
    }

    void write(json::object line) { log_ << json::serialize(line) << '\n'; }

    std::ofstream log_;
    sweep::transport curl_, httplib_;
    std::map<unsigned, sweep::client_type> curl_clients_, strict_clients_, httplib_clients_;
    std::size_t warnings_ = 0; // the last call's warnings (members the default reading left empty)
    std::set<std::string> names_;
    int operations_ = 0, operations_passed_ = 0, not_applicable_ = 0, calls_ = 0, calls_passed_ = 0;
    int second_ = 0, second_agree_ = 0, negatives_ = 0, negatives_rejected_ = 0, with_body_ = 0;
    std::map<std::string, int> negative_kinds_;
};

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: sweep BASE_URL LOG_FILE\n");
        return 2;
    }
    runner r(argv[1], argv[2]);
    for (auto part : sweep::parts) part(r);
    return r.finish();
}
