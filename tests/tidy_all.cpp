// Includes every public header once, and instantiates every call, so clang-tidy (and the
// compiler) see all of them: tidied by .ci/run.
#include <cloudflare/asio.hpp>
#include <cloudflare/call_machine.hpp>
#include <cloudflare/cloudflare.hpp>
#include <cloudflare/testing/emulator.hpp>
#include <cloudflare/testing/fake_async_transport.hpp>
#include <cloudflare/testing/fake_transport.hpp>

#include <boost/asio/io_context.hpp>

int main() {
    namespace cfa = cloudflare::zero_trust::access;
    cloudflare::testing::emulator cf({.api_token = "t", .account_ids = {"a"}});
    cloudflare::client_options o;
    o.api_token = "t";
    cloudflare::client c{cf, o};
    auto& st = c.zero_trust.access.service_tokens;
    auto created = st.create({.name = "n", .account_id = "a"});
    (void)st.list({.account_id = "a"});
    for (const auto& t : st.list_all({.account_id = "a"})) (void)t;
    for (auto& t : st.try_list_all({.account_id = "a"})) (void)t;
    (void)st.get(created.id, {.account_id = "a"});
    (void)st.update(created.id, {.account_id = "a", .name = "m"});
    (void)st.refresh(created.id, {.account_id = "a"});
    (void)st.rotate(created.id, {.account_id = "a"});
    (void)st.delete_(created.id, {.account_id = "a"});
    // The asynchronous form, over the emulator.
    boost::asio::io_context io;
    cloudflare::testing::fake_async_transport async(io.get_executor());
    async.script().set_handler([&cf](const cloudflare::http::request& r) { return cf.send(r); });
    bool listed = false;
    cloudflare::asio::async_call<cfa::endpoints::service_token_list>(
        async, o, cfa::service_token_list_params{.account_id = "a"}, [&](const auto& r) { listed = r.has_value(); });
    io.run();
    if (!listed) return 2;
    cloudflare::testing::fake_transport fake;
    cloudflare::client f{fake, o};
    return f.zero_trust.access.service_tokens.try_rotate("x", {.account_id = "a"}).has_value() ? 1 : 0;
}
