// cloudflare-cpp: read-only access to the JSON a result was parsed from.
#pragma once

#include <boost/json/value.hpp>

#include <memory>
#include <string_view>
#include <utility>

namespace cloudflare {

/// A shared, read-only view of the JSON behind a typed result (the envelope's `result`, or one
/// list item), so fields this version does not model are never lost. Cheap to copy: copies
/// share one parsed document. Note that it holds what the server sent, `client_secret`
/// included, unredacted: treat it like the secret itself.
class raw_json {
public:
    raw_json() = default;
    explicit raw_json(std::shared_ptr<const boost::json::value> v) noexcept : v_(std::move(v)) {}
    /// Owns `v`: how a request member that keeps JSON (a union, an untyped schema) is given.
    explicit raw_json(boost::json::value v) : v_(std::make_shared<const boost::json::value>(std::move(v))) {}

    /// False for a default-constructed view.
    bool has_value() const noexcept { return v_ != nullptr; }
    /// The JSON value (null when empty).
    const boost::json::value& value() const noexcept { return v_ ? *v_ : null_value(); }
    /// The value as an object, or null when it is not one.
    const boost::json::object* if_object() const noexcept { return value().if_object(); }
    /// The member `key` of an object value, or null.
    const boost::json::value* find(std::string_view key) const noexcept {
        const auto* o = if_object();
        return o ? o->if_contains(boost::json::string_view(key.data(), key.size())) : nullptr;
    }

private:
    static const boost::json::value& null_value() noexcept {
        static const boost::json::value v;
        return v;
    }
    std::shared_ptr<const boost::json::value> v_;
};

} // namespace cloudflare
