// A cloudflare-cpp transport over libcurl (synchronous). Part of the examples: the library
// itself does no I/O. Copy it into your project or use it as a model for your own stack.
#pragma once

#include <cloudflare/http.hpp>
#include <cloudflare/transport.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace examples {

/// Sends cloudflare-cpp requests with libcurl. TLS peer and host verification stay on; the
/// request's timeout bounds the whole exchange; redirects are not followed; only http/https (any
/// case; anything else is `not_sent`, refused before connecting). One easy handle, guarded by a
/// mutex: safe to share. GET, PUT and DELETE reuse its connections; POST and PATCH never do, so
/// libcurl cannot re-send them (see `send`). Movable, so a client can own it.
class curl_transport {
public:
    /// `max_body` caps what is read from the server, whatever it claims.
    explicit curl_transport(std::size_t max_body = 64u * 1024 * 1024) : max_body_(max_body) {
        static std::once_flag once;
        std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
        handle_.reset(curl_easy_init());
        if (!handle_) throw cloudflare::transport_error(cloudflare::transport_failure::not_sent, "curl_easy_init failed");
    }

    /// Performs the request; HTTP error statuses are returned, not thrown.
    /// @throws cloudflare::transport_error when no complete response was received.
    cloudflare::http::response send(const cloudflare::http::request& req) {
        std::lock_guard lock(*mutex_);
        CURL* h = handle_.get();
        curl_easy_reset(h);
        state st{{}, max_body_, false};

        std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> list(nullptr, &curl_slist_free_all);
        auto add = [&](const std::string& line) {
            curl_slist* next = curl_slist_append(list.get(), line.c_str());
            if (!next) throw cloudflare::transport_error(cloudflare::transport_failure::not_sent, "out of memory");
            (void)list.release();
            list.reset(next);
        };
        for (const auto& f : req.headers) add(f.name + ": " + f.value);
        add("Expect:");                                        // no 100-continue round trip
        if (req.body.empty() && !req.headers.contains("content-type")) add("Content-Type:"); // curl would add a form type

        const long timeout_ms = static_cast<long>(std::max<long long>(1, req.timeout.count()));
        curl_easy_setopt(h, CURLOPT_URL, req.url.c_str());
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, std::string(cloudflare::http::to_string(req.method)).c_str());
        if (req.method != cloudflare::http::method::get) {
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, req.body.data());
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
        }
        if (req.method == cloudflare::http::method::get) curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, list.get());
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, std::min(timeout_ms, 10'000L));
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https"); // else CURLE_UNSUPPORTED_PROTOCOL, before connecting
        if (req.method == cloudflare::http::method::post || req.method == cloudflare::http::method::patch) {
            // libcurl re-sends by itself, on a new connection, a request that got no response
            // byte on a reused connection, and over HTTP/2 one refused with REFUSED_STREAM
            // (Curl_retry_request, lib/transfer.c). For a rotation that was applied and whose
            // answer was lost, that is a second rotation nobody hears of. A non-idempotent
            // request therefore goes over a new connection that nothing reuses, in HTTP/1.1: a
            // failure then reaches the client, whose retry rules decide.
            curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
            curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
            curl_easy_setopt(h, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
        }
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &st);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, &st);

        CURLcode rc = curl_easy_perform(h);
        if (rc != CURLE_OK) {
            long sent = 0;
            curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &sent);
            throw cloudflare::transport_error(classify(rc, sent > 0, st.too_big), curl_easy_strerror(rc));
        }
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        st.resp.status = static_cast<int>(status);
        return std::move(st.resp);
    }

private:
    struct state {
        cloudflare::http::response resp;
        std::size_t max_body;
        bool too_big;
    };

    // What the server may have seen, from curl's error and whether any request bytes left.
    static cloudflare::transport_failure classify(CURLcode rc, bool sent, bool too_big) {
        using cloudflare::transport_failure;
        switch (rc) {
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_COULDNT_CONNECT:
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_UNSUPPORTED_PROTOCOL:
        case CURLE_URL_MALFORMAT:
            return transport_failure::not_sent;
        case CURLE_OPERATION_TIMEDOUT:
            return sent ? transport_failure::timed_out : transport_failure::not_sent;
        default:
            if (too_big) return transport_failure::maybe_sent;
            return sent ? transport_failure::maybe_sent : transport_failure::not_sent;
        }
    }

    static std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
        auto* st = static_cast<state*>(user);
        std::size_t bytes = size * n;
        if (st->resp.body.size() + bytes > st->max_body) { st->too_big = true; return 0; } // aborts the transfer
        st->resp.body.append(data, bytes);
        return bytes;
    }

    static std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
        auto* st = static_cast<state*>(user);
        std::string_view line(data, size * n);
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
        if (line.starts_with("HTTP/")) { st->resp.headers.clear(); return size * n; } // a new response (after 1xx)
        auto colon = line.find(':');
        if (colon == std::string_view::npos || st->resp.headers.size() >= 1000) return size * n;
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        st->resp.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
        return size * n;
    }

    struct easy_cleanup { void operator()(CURL* h) const noexcept { curl_easy_cleanup(h); } };
    std::unique_ptr<CURL, easy_cleanup> handle_;
    std::size_t max_body_;
    std::unique_ptr<std::mutex> mutex_ = std::make_unique<std::mutex>(); // boxed: the transport stays movable
};

static_assert(cloudflare::Transport<curl_transport>);
static_assert(cloudflare::ThrowingTransport<curl_transport>);

} // namespace examples
