// cloudflare-cpp: request members the schema marks `nullable`, where JSON null means something
// (often "reset to the default") that leaving the member out does not.
#pragma once

#include <initializer_list>
#include <optional>
#include <type_traits>
#include <utility>

namespace cloudflare {

/// The type of `cloudflare::null`.
struct null_t {
    /// Not default-constructible, so `member = {}` still means "absent" (as for std::optional).
    explicit constexpr null_t(int) noexcept {}
};
/// Assign it to a `cloudflare::nullable` member to send JSON `null`.
inline constexpr null_t null{0};

/// A request member the schema marks `nullable`: absent (sends nothing), a value (sends the
/// value) or null (sends `null`). It is a `std::optional<T>` (code written for one keeps
/// compiling, `has_value()` and `*` included) that can also hold null.
///
/// @par Example
/// @code
/// namespace lb = cloudflare::load_balancers;
/// lb::pool_edit_params p{.account_id = account};
/// p.notification_filter = cloudflare::null;  // sends "notification_filter":null: the filter is removed
/// p.check_regions = std::vector<std::string>{"WEU"}; // sends the value
/// // p.description left unset: not sent, the pool keeps its description
/// @endcode
template <class T>
class nullable : public std::optional<T> {
    using base = std::optional<T>;

public:
    using base::base;
    constexpr nullable() noexcept = default;
    /// Holds null: sends JSON `null`.
    constexpr nullable(null_t) noexcept : null_(true) {}
    /// From a `std::optional<T>` (what the member was before it could hold null).
    constexpr nullable(const base& o) : base(o) {}
    constexpr nullable(base&& o) noexcept(std::is_nothrow_move_constructible_v<T>) : base(std::move(o)) {}

    /// Sends JSON `null`.
    constexpr nullable& operator=(null_t) noexcept {
        base::reset();
        null_ = true;
        return *this;
    }
    /// Absent again: sends nothing.
    constexpr nullable& operator=(std::nullopt_t) noexcept {
        reset();
        return *this;
    }
    /// A value (anything `std::optional<T>` accepts: a `T`, something convertible, an optional).
    template <class U>
        requires(!std::is_same_v<std::remove_cvref_t<U>, nullable> && !std::is_same_v<std::remove_cvref_t<U>, null_t> &&
                 !std::is_same_v<std::remove_cvref_t<U>, std::nullopt_t> && std::is_assignable_v<base&, U>)
    constexpr nullable& operator=(U&& v) {
        base::operator=(std::forward<U>(v));
        null_ = false;
        return *this;
    }
    /// Absent again: sends nothing.
    constexpr void reset() noexcept {
        base::reset();
        null_ = false;
    }
    template <class... Args>
    constexpr T& emplace(Args&&... args) {
        null_ = false;
        return base::emplace(std::forward<Args>(args)...);
    }
    template <class U, class... Args>
    constexpr T& emplace(std::initializer_list<U> il, Args&&... args) {
        null_ = false;
        return base::emplace(il, std::forward<Args>(args)...);
    }

    /// True when it holds null (then `has_value()` is false).
    constexpr bool is_null() const noexcept { return null_ && !this->has_value(); }

private:
    bool null_ = false;
};

} // namespace cloudflare
