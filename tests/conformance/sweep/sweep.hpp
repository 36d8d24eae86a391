// The conformance sweep's interface between the generated calls (ops_*.cpp, one statement per
// operation) and the hand-written runner (main.cpp), which sends them to Prism over a real
// transport, records what Prism said about each request and writes the log the report is made of.
#pragma once

#include <cloudflare/client.hpp>
#include <cloudflare/http.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace sweep {

/// What every call goes through: forwards to the transport under test (libcurl or cpp-httplib),
/// optionally spoiling the request first (the negative cases). One concrete type, so each
/// endpoint's call pipeline is instantiated once for the whole sweep.
struct transport {
    /// How to spoil the next request, for the cases Prism must reject.
    enum class spoil { none, no_credentials, wrong_type, missing_required };

    std::function<cloudflare::http::response(const cloudflare::http::request&)> send_to;
    spoil next = spoil::none;
    std::string body_key; ///< the required body property that wrong_type/missing_required spoil
    cloudflare::http::response last; ///< the last answer (status 0 before any)

    cloudflare::http::response send(const cloudflare::http::request& req);
};

using client_type = cloudflare::client<transport&>;

/// How a call ended: success (the answer parsed into its typed result) or the error's message.
struct outcome {
    bool ok = false;
    std::string error;
};

template <class R>
outcome of(const R& r) {
    if (r) return {true, {}};
    return {false, r.error().message()};
}

/// Auth schemes an operation accepts (its `security`), as a bit mask; 0 means none is needed.
enum scheme : unsigned { api_token = 1, api_key_email = 2, user_service_key = 4 };

using call_fn = outcome (*)(client_type&);

/// Receives the generated operations.
class runner {
public:
    /// One operation: `name` (SDK name, or operationId), its route, the schemes it accepts, a
    /// required top-level body property (or ""), and the call.
    virtual void op(std::string_view name, std::string_view route, unsigned schemes, std::string_view body_key,
                    call_fn call) = 0;
    /// An operation the sweep does not send, and why (a non-JSON request body).
    virtual void not_applicable(std::string_view name, std::string_view route, std::string_view why) = 0;

protected:
    ~runner() = default;
};

} // namespace sweep
