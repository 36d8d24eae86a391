// A cloudflare-cpp transport over cpp-httplib (Debian's libcpp-httplib-dev, built with OpenSSL).
// Part of the examples: the library itself does no I/O.
#pragma once

#include <cloudflare/http.hpp>
#include <cloudflare/transport.hpp>

#include <httplib.h>

#include <cctype>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace examples {

/// Sends cloudflare-cpp requests with cpp-httplib. TLS certificates and host names are verified
/// against the system store; the request's timeout bounds connecting, reading and writing each;
/// redirects are not followed; only http/https (any case; anything else is `not_sent`, refused
/// before connecting). A new connection per call, so it is safe to share between threads.
///
/// It never re-sends a request. cpp-httplib 0.11.4 (Debian 12; /usr/include/httplib.h holds the
/// declarations, libcpp-httplib.so the upstream implementation) sends a request again only to
/// follow a redirect (upstream httplib.h:6267, `follow_location_`, false by default at
/// /usr/include/httplib.h:1162 and set false here) or to answer a 401/407 digest challenge
/// (upstream httplib.h:6281, only after `set_digest_auth`, never called here). Its reconnect
/// (upstream httplib.h:6154-6167) happens before a request is written, and a fresh `Client` per
/// call has no kept-alive socket anyway.
class httplib_transport {
public:
    /// The Transport call; HTTP error statuses are returned, not thrown.
    /// @throws cloudflare::transport_error when no response was received.
    cloudflare::http::response send(const cloudflare::http::request& req) {
        const auto url = lowercase_scheme(req.url);
        if (!url.starts_with("http://") && !url.starts_with("https://"))
            throw cloudflare::transport_error(cloudflare::transport_failure::not_sent, "only http and https URLs are sent");
        auto parts = cloudflare::http::split_url(url);
        if (!parts) throw cloudflare::transport_error(cloudflare::transport_failure::not_sent, "URL is not absolute");
        httplib::Client cli(std::string(parts->scheme) + "://" + std::string(parts->host) + ":" + std::to_string(parts->port));
        cli.enable_server_certificate_verification(true);
        cli.set_follow_location(false);
        const auto us = std::chrono::duration_cast<std::chrono::microseconds>(req.timeout).count();
        cli.set_connection_timeout(static_cast<time_t>(us / 1'000'000), static_cast<time_t>(us % 1'000'000));
        cli.set_read_timeout(static_cast<time_t>(us / 1'000'000), static_cast<time_t>(us % 1'000'000));
        cli.set_write_timeout(static_cast<time_t>(us / 1'000'000), static_cast<time_t>(us % 1'000'000));

        httplib::Request r;
        r.method = std::string(cloudflare::http::to_string(req.method));
        r.path = std::string(parts->target);
        for (const auto& h : req.headers) r.headers.emplace(h.name, h.value);
        r.body = req.body;
        auto res = cli.send(r);
        if (!res) throw cloudflare::transport_error(classify(res.error()), httplib::to_string(res.error()));

        cloudflare::http::response out;
        out.status = res->status;
        for (const auto& [name, value] : res->headers) out.headers.emplace_back(name, value);
        out.body = std::move(res->body);
        return out;
    }

private:
    // cpp-httplib knows the schemes in lower case only; URL schemes are case-insensitive.
    static std::string lowercase_scheme(std::string url) {
        const auto end = url.find("://");
        for (std::size_t i = 0; end != std::string::npos && i < end; ++i)
            url[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(url[i])));
        return url;
    }

    // What the server may have seen: failures while connecting mean nothing was sent.
    static cloudflare::transport_failure classify(httplib::Error e) {
        using cloudflare::transport_failure;
        switch (e) {
        case httplib::Error::Connection:
        case httplib::Error::BindIPAddress:
        case httplib::Error::SSLConnection:
        case httplib::Error::SSLLoadingCerts:
        case httplib::Error::SSLServerVerification:
        case httplib::Error::ConnectionTimeout:
            return transport_failure::not_sent;
        default: // Read, Write, Canceled...: the request may have been (partly) sent
            return transport_failure::maybe_sent;
        }
    }
};

static_assert(cloudflare::Transport<httplib_transport>);

} // namespace examples
