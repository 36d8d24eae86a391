// A tiny program built against an installed cloudflare-cpp: rotates a token against the
// testing emulator and checks the result. Exit 0 on success.
#include <cloudflare/cloudflare.hpp>
#include <cloudflare/testing/emulator.hpp>

#include <cstdio>

int main() {
    cloudflare::testing::emulator cf({.api_token = "t", .account_ids = {"acc"}});
    auto seeded = cf.seed_token("accounts/acc", "consumer");
    cloudflare::client_options o;
    o.api_token = "t";
    cloudflare::client client{cf, o};
    auto r = client.zero_trust.access.service_tokens.try_rotate(seeded.id, {.account_id = "acc"});
    bool ok = r && cf.authenticate(seeded.client_id, r->client_secret.reveal()) &&
              !cf.authenticate(seeded.client_id, seeded.client_secret);
    std::printf("consumer (%s): rotate %s\n", CONSUMER_KIND, ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
