// cloudflare-cpp testing kit: an in-memory Cloudflare for the Access service-token API.
#pragma once

#include <cloudflare/detail/redact.hpp>
#include <cloudflare/http.hpp>
#include <cloudflare/timestamp.hpp>
#include <cloudflare/transport.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cloudflare::testing {

/// What an `emulator` accepts and knows.
struct emulator_options {
    std::string api_token{};                 ///< accepted as `Authorization: Bearer`
    std::string api_key{};                   ///< accepted with `api_email` as `X-Auth-Key` / `X-Auth-Email`
    std::string api_email{};
    std::vector<std::string> account_ids{};  ///< accounts that exist
    std::vector<std::string> zone_ids{};     ///< zones that exist
    /// The emulator's clock at start (grace periods and expiries are judged by it).
    std::chrono::system_clock::time_point start_time = std::chrono::system_clock::now();
    std::uint64_t seed = 0x5eed;           ///< ids, client ids and secrets derive from it
};

/// A token made by `emulator::seed_token`, secret included (for tests and demos).
struct emulated_token {
    std::string id;
    std::string client_id;
    std::string client_secret;
};

/// A stateful, thread-safe model of Cloudflare's Access service-token API that is itself a
/// `Transport`: it parses what the client sends (method, path, auth headers, JSON body) and
/// answers with Cloudflare-shaped envelopes and statuses: 401 without credentials, 403 with
/// wrong ones, 404 for unknown accounts, zones, tokens or paths, 400 for invalid bodies,
/// 405 for a method a path does not have. Faults can be injected for retry testing.
class emulator {
public:
    explicit emulator(emulator_options options)
        : opts_(std::move(options)),
          now_(std::chrono::time_point_cast<std::chrono::seconds>(opts_.start_time)),
          rng_(opts_.seed) {}

    // ---- clock ----------------------------------------------------------------------------
    /// The emulator's current time.
    std::chrono::system_clock::time_point now() const { std::lock_guard l(m_); return now_; }
    /// Moves the emulator's clock forward.
    void advance(std::chrono::seconds d) { std::lock_guard l(m_); now_ += d; }

    /// Whether `client_secret` currently opens `client_id`'s token: the current secret, or the
    /// previous one until its `previous_client_secret_expires_at`, on a token not expired.
    bool authenticate(std::string_view client_id, std::string_view client_secret) const {
        std::lock_guard l(m_);
        for (const auto& [scope, list] : tokens_)
            for (const auto& t : list) {
                if (t.client_id != client_id) continue;
                if (t.expires_at && now_us() >= *t.expires_at) return false;
                if (!client_secret.empty() && t.secret == client_secret) return true;
                return t.previous_secret && *t.previous_secret == client_secret && t.previous_expires_at &&
                       now_us() < *t.previous_expires_at;
            }
        return false;
    }

    /// Creates a token directly (no request), e.g. to seed a demo or a test.
    /// `scope` is "accounts/<id>" or "zones/<id>".
    emulated_token seed_token(std::string_view scope, std::string name, std::string duration = "8760h") {
        std::lock_guard l(m_);
        auto& t = make_token(std::string(scope), std::move(name), std::move(duration));
        return {t.id, t.client_id, t.secret};
    }

    // ---- faults -----------------------------------------------------------------------------
    /// The next `n` requests get `status` with a Cloudflare error envelope (state unchanged).
    void fail_next(int n, int status) { push_fault(n, {fault::respond, status, {}, {}}); }
    /// The next `n` requests get 429 with `retry-after` (seconds).
    void rate_limit_next(int n, std::chrono::seconds retry_after) { push_fault(n, {fault::respond, 429, retry_after, {}}); }
    /// The next `n` requests fail in the transport with `failure` before reaching the model.
    void drop_next(int n, transport_failure failure = transport_failure::not_sent) {
        push_fault(n, {fault::drop, 0, {}, failure});
    }
    /// The next `n` requests are applied, then their responses are lost (`timed_out`): the
    /// case non-idempotent retry rules exist for.
    void apply_then_lose_next(int n = 1) { push_fault(n, {fault::lose_response, 0, {}, transport_failure::timed_out}); }

    /// Requests received so far (faulted ones included).
    std::size_t request_count() const { std::lock_guard l(m_); return requests_; }

    /// The `Transport` call.
    transport_result send(const http::request& req) {
        std::lock_guard l(m_);
        ++requests_;
        std::optional<fault> f;
        if (!faults_.empty()) { f = faults_.front(); faults_.pop_front(); }
        if (f && f->type == fault::drop) return transport_error_info{*f->failure, "emulator: injected transport failure"};
        if (f && f->type == fault::respond) {
            http::headers extra;
            if (f->retry_after) extra.emplace_back("retry-after", std::to_string(f->retry_after->count()));
            return error(f->status, f->status == 429 ? 10429 : 10001,
                         f->status == 429 ? "Rate limited; please wait and retry" : "Injected failure", std::move(extra));
        }
        http::response resp = handle(req);
        if (f && f->type == fault::lose_response)
            return transport_error_info{*f->failure, "emulator: request applied, response lost"};
        return resp;
    }

private:
    struct token {
        std::string id, client_id, name, duration, secret;
        std::optional<std::string> previous_secret;
        std::optional<sys_time_us> previous_expires_at, expires_at;
        std::chrono::system_clock::time_point created_at, updated_at;
        std::int64_t client_secret_version = 1;
    };
    struct fault {
        enum kind { respond, drop, lose_response } type;
        int status = 0;
        std::optional<std::chrono::seconds> retry_after;
        std::optional<transport_failure> failure;
    };

    void push_fault(int n, fault f) {
        std::lock_guard l(m_);
        for (int i = 0; i < n; ++i) faults_.push_back(f);
    }

    // -- generators (caller holds the lock) --
    std::uint64_t next() {
        std::uint64_t z = (rng_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    std::string hex(std::size_t n) {
        std::string s;
        while (s.size() < n) {
            auto v = next();
            for (int i = 0; i < 16 && s.size() < n; ++i, v >>= 4) s.push_back("0123456789abcdef"[v & 15]);
        }
        return s;
    }
    std::string uuid() {
        auto h = hex(32);
        return h.substr(0, 8) + "-" + h.substr(8, 4) + "-4" + h.substr(13, 3) + "-a" + h.substr(17, 3) + "-" + h.substr(20);
    }
    // New-style secret: "cfast_" + 40 alphanumerics + 8-character checksum of them.
    std::string new_secret() {
        static constexpr char alnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        std::string body;
        for (int i = 0; i < 40; ++i) body.push_back(alnum[next() % 62]);
        std::uint32_t h = 2166136261u;
        for (char c : body) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
        std::string sum;
        for (int i = 0; i < 8; ++i, h /= 62) sum.push_back(alnum[h % 62]);
        return "cfast_" + body + sum;
    }

    // Expiries in microseconds: a date-time argument may reach year 9999 and a duration 292
    // years (Go's limit), past what system_clock's nanoseconds can hold.
    sys_time_us now_us() const { return std::chrono::floor<std::chrono::microseconds>(now_); }
    void set_expiry(token& t) {
        auto d = cloudflare::parse_duration(t.duration); // checked before; "forever": no expiry
        if (d && d->length()) t.expires_at = now_us() + std::chrono::floor<std::chrono::microseconds>(*d->length());
        else t.expires_at.reset();
    }
    token& make_token(std::string scope, std::string name, std::string duration) {
        token t;
        t.id = uuid();
        t.client_id = hex(32) + ".access";
        t.name = std::move(name);
        t.duration = std::move(duration);
        t.secret = new_secret();
        t.created_at = t.updated_at = now_;
        set_expiry(t);
        return tokens_[std::move(scope)].emplace_back(std::move(t));
    }

    // -- responses --
    template <class Duration>
    static std::string iso(std::chrono::sys_time<Duration> tp) { return date_time(tp).text(); }
    boost::json::object to_json(const token& t, bool with_secret) const {
        boost::json::object o;
        o["id"] = t.id;
        o["client_id"] = t.client_id;
        if (with_secret) o["client_secret"] = t.secret;
        o["name"] = t.name;
        o["duration"] = t.duration;
        o["created_at"] = iso(t.created_at);
        o["updated_at"] = iso(t.updated_at);
        if (t.expires_at) o["expires_at"] = iso(*t.expires_at);
        o["client_secret_version"] = t.client_secret_version;
        if (t.previous_expires_at) o["previous_client_secret_expires_at"] = iso(*t.previous_expires_at);
        return o;
    }
    http::response envelope(int status, boost::json::value result, boost::json::value result_info = nullptr,
                            boost::json::array errors = {}, http::headers extra = {}) {
        boost::json::object env;
        env["success"] = status >= 200 && status < 300;
        env["errors"] = std::move(errors);
        env["messages"] = boost::json::array();
        env["result"] = std::move(result);
        if (!result_info.is_null()) env["result_info"] = std::move(result_info);
        http::response r;
        r.status = status;
        r.headers.emplace_back("Content-Type", "application/json");
        r.headers.emplace_back("cf-ray", hex(16) + "-EMU");
        for (auto& h : extra) r.headers.push_back(std::move(h));
        r.body = boost::json::serialize(env);
        return r;
    }
    http::response ok(boost::json::value result, boost::json::value info = nullptr) {
        return envelope(200, std::move(result), std::move(info));
    }
    http::response error(int status, int code, std::string_view message, http::headers extra = {}) {
        boost::json::array errors;
        errors.push_back(boost::json::object{{"code", code}, {"message", message}});
        return envelope(status, nullptr, nullptr, std::move(errors), std::move(extra));
    }

    static std::string percent_decode(std::string_view s) {
        std::string out;
        for (std::size_t i = 0; i < s.size(); ++i) {
            auto hexval = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
            if (s[i] == '%' && i + 2 < s.size() && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
                out.push_back(static_cast<char>(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
                i += 2;
            } else {
                out.push_back(s[i]);
            }
        }
        return out;
    }

    std::optional<http::response> check_auth(const http::request& req) {
        auto bearer = req.headers.get("authorization");
        auto key = req.headers.get("x-auth-key");
        auto email = req.headers.get("x-auth-email");
        if (!bearer && !key && !email) return error(401, 10000, "Authentication error");
        bool good = false;
        if (bearer && !opts_.api_token.empty()) good = *bearer == "Bearer " + opts_.api_token;
        if (!bearer && key && email && !opts_.api_key.empty()) good = *key == opts_.api_key && *email == opts_.api_email;
        if (!good) return error(403, 9109, "Invalid access token");
        return std::nullopt;
    }

    // Parses an optional JSON object body; nullopt plus a 400 response when invalid.
    std::optional<boost::json::object> body_object(const http::request& req, http::response& bad, bool required) {
        if (req.body.empty()) {
            if (!required) return boost::json::object();
            bad = error(400, 12130, "Request body must be a JSON object");
            return std::nullopt;
        }
        boost::json::error_code ec;
        auto v = boost::json::parse(req.body, ec);
        if (ec || !v.is_object()) { bad = error(400, 12130, "Request body must be a JSON object"); return std::nullopt; }
        return std::move(v.as_object());
    }
    // Applies name/duration/client_secret_version/previous_client_secret_expires_at; false + 400 on bad values.
    bool apply_fields(token& t, const boost::json::object& b, http::response& bad) {
        if (const auto* n = b.if_contains("name")) {
            if (!n->is_string() || n->as_string().empty()) { bad = error(400, 12130, "name must be a non-empty string"); return false; }
            t.name = std::string(n->as_string());
        }
        if (const auto* d = b.if_contains("duration")) {
            if (!d->is_string()) { bad = error(400, 12130, "duration must be a string"); return false; }
            if (auto parsed = cloudflare::parse_duration(std::string_view(d->as_string())); !parsed) {
                bad = error(400, 12130, parsed.error().message());
                return false;
            }
            t.duration = std::string(d->as_string());
            set_expiry(t);
        }
        if (const auto* v = b.if_contains("client_secret_version")) {
            if (!v->is_int64() || v->as_int64() < 1) { bad = error(400, 12130, "client_secret_version is invalid"); return false; }
            t.client_secret_version = v->as_int64();
        }
        if (const auto* p = b.if_contains("previous_client_secret_expires_at")) {
            std::optional<timestamp> ts;
            if (p->is_string()) ts = timestamp::parse(std::string_view(p->as_string()));
            if (!ts) { bad = error(400, 12130, "previous_client_secret_expires_at must be an RFC 3339 date-time"); return false; }
            t.previous_expires_at = ts->time;
        }
        return true;
    }

    http::response handle(const http::request& req) {
        auto target = req.target();
        std::string_view path = target.substr(0, target.find('?'));
        std::string_view query = target.size() > path.size() ? target.substr(path.size() + 1) : std::string_view{};
        if (path.starts_with("/client/v4")) path.remove_prefix(10);
        std::vector<std::string> seg;
        for (std::size_t pos = 1; pos <= path.size();) {
            auto next = path.find('/', pos);
            if (next == std::string_view::npos) next = path.size();
            seg.push_back(percent_decode(path.substr(pos, next - pos)));
            pos = next + 1;
        }
        auto no_route = [&] { return error(404, 7000, "No route for that URI"); };
        if (seg.size() < 4 || (seg[0] != "accounts" && seg[0] != "zones") || seg[2] != "access" || seg[3] != "service_tokens")
            return no_route();
        if (seg.size() > 6 || (seg.size() == 6 && (seg[0] != "accounts" || (seg[5] != "refresh" && seg[5] != "rotate"))))
            return no_route();
        if (auto denied = check_auth(req)) return *denied;
        const auto& known = seg[0] == "accounts" ? opts_.account_ids : opts_.zone_ids;
        if (std::find(known.begin(), known.end(), seg[1]) == known.end())
            return error(404, 7003, "Could not route to " + std::string(path) + ", perhaps your object identifier is invalid?");
        auto& list = tokens_[seg[0] + "/" + seg[1]];
        http::response bad;
        auto m = req.method;
        if (seg.size() == 4) {
            if (m == http::method::get) return list_tokens(list, query);
            if (m != http::method::post) return error(405, 10405, "Method not allowed");
            auto b = body_object(req, bad, true);
            if (!b) return bad;
            const auto* n = b->if_contains("name");
            if (!n || !n->is_string() || n->as_string().empty()) return error(400, 12130, "name is required");
            token t;
            if (!apply_fields(t, *b, bad)) return bad;
            auto& created = make_token(seg[0] + "/" + seg[1], t.name, t.duration.empty() ? "8760h" : t.duration);
            created.client_secret_version = t.client_secret_version;
            return ok(to_json(created, true));
        }
        auto it = std::find_if(list.begin(), list.end(), [&](const token& t) { return t.id == seg[4]; });
        if (it == list.end()) return error(404, 11021, "Service token not found");
        if (seg.size() == 6) {
            if (m != http::method::post) return error(405, 10405, "Method not allowed");
            if (seg[5] == "refresh") {
                set_expiry(*it);
                it->updated_at = now_;
                return ok(to_json(*it, false));
            }
            auto b = body_object(req, bad, false);
            if (!b) return bad;
            token grace;
            if (!apply_fields(grace, *b, bad)) return bad; // only the grace field matters here
            // Only one previous secret is kept: a second rotation ends the first one's grace.
            if (grace.previous_expires_at && *grace.previous_expires_at > now_us()) {
                it->previous_secret = it->secret;
                it->previous_expires_at = grace.previous_expires_at;
            } else {
                it->previous_secret.reset();
                it->previous_expires_at.reset();
            }
            it->secret = new_secret();
            ++it->client_secret_version;
            it->updated_at = now_;
            return ok(to_json(*it, true));
        }
        if (m == http::method::get) return ok(to_json(*it, false));
        if (m == http::method::put) {
            auto b = body_object(req, bad, true);
            if (!b) return bad;
            token updated = *it;
            if (!apply_fields(updated, *b, bad)) return bad;
            updated.updated_at = now_;
            *it = std::move(updated);
            return ok(to_json(*it, false));
        }
        if (m == http::method::delete_) {
            auto gone = to_json(*it, false);
            list.erase(it);
            return ok(std::move(gone));
        }
        return error(405, 10405, "Method not allowed");
    }

    http::response list_tokens(const std::vector<token>& list, std::string_view query) {
        std::optional<std::string> name, search;
        std::int64_t page = 1, per_page = 20;
        bool bad_number = false;
        while (!query.empty()) {
            auto amp = query.find('&');
            auto pair = query.substr(0, amp);
            query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
            auto eq = pair.find('=');
            auto key = percent_decode(pair.substr(0, eq));
            auto val = eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1));
            auto number = [&](std::int64_t& out) {
                if (val.empty() || val.size() > 9 || val.find_first_not_of("0123456789") != std::string::npos) { bad_number = true; return; }
                out = std::stoll(val);
            };
            if (key == "name") name = val;
            else if (key == "search") search = val;
            else if (key == "page") number(page);
            else if (key == "per_page") number(per_page);
        }
        if (bad_number || page < 1 || per_page < 1 || per_page > 1000) return error(400, 12130, "invalid paging parameters");
        std::vector<const token*> hits;
        for (const auto& t : list)
            if ((!name || t.name == *name) && (!search || t.name.find(*search) != std::string::npos)) hits.push_back(&t);
        boost::json::array items;
        auto first = static_cast<std::size_t>((page - 1) * per_page);
        for (std::size_t i = first; i < hits.size() && i < first + static_cast<std::size_t>(per_page); ++i)
            items.push_back(to_json(*hits[i], false));
        auto total = static_cast<std::int64_t>(hits.size());
        boost::json::object info{{"page", page}, {"per_page", per_page}, {"count", items.size()},
                                 {"total_count", total}, {"total_pages", (total + per_page - 1) / per_page}};
        return ok(std::move(items), std::move(info));
    }

    mutable std::mutex m_;
    emulator_options opts_;
    std::chrono::system_clock::time_point now_;
    std::uint64_t rng_;
    std::map<std::string, std::vector<token>> tokens_; // "accounts/<id>" -> tokens in creation order
    std::deque<fault> faults_;
    std::size_t requests_ = 0;
};

static_assert(Transport<emulator&>);

} // namespace cloudflare::testing
