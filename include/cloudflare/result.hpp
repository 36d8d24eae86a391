// cloudflare-cpp: an expected-like result usable with and without exceptions.
#pragma once

#include <cloudflare/version.hpp>

#include <cstdlib>
#include <type_traits>
#include <utility>
#include <variant>

namespace cloudflare {

/// A value of type `T` or an error of type `E` (like `std::expected`, which Clang 14 with
/// libstdc++ 12 lacks). `value()` on an error calls `throw_as_exception(error())`, found by
/// argument-dependent lookup, so each error type throws its own exception type; in builds
/// without exceptions it aborts, so check `has_value()` first there.
template <class T, class E>
class basic_result {
public:
    using value_type = T;
    using error_type = E;

    // By reference, not by value: a result is built with one move of T, not two.
    basic_result(T&& value) noexcept(std::is_nothrow_move_constructible_v<T>)
        : v_(std::in_place_index<0>, std::move(value)) {}
    basic_result(const T& value) : v_(std::in_place_index<0>, value) {}
    basic_result(E&& error) noexcept(std::is_nothrow_move_constructible_v<E>)
        : v_(std::in_place_index<1>, std::move(error)) {}
    basic_result(const E& error) : v_(std::in_place_index<1>, error) {}

    /// True when a value is held.
    bool has_value() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    /// The value; throws the error's exception type when there is none.
    T& value() & { check(); return *std::get_if<0>(&v_); }
    const T& value() const& { check(); return *std::get_if<0>(&v_); }
    T&& value() && { check(); return std::move(*std::get_if<0>(&v_)); }

    /// The value without checking (precondition: `has_value()`).
    T& operator*() & noexcept { return *std::get_if<0>(&v_); }
    const T& operator*() const& noexcept { return *std::get_if<0>(&v_); }
    T&& operator*() && noexcept { return std::move(*std::get_if<0>(&v_)); }
    T* operator->() noexcept { return std::get_if<0>(&v_); }
    const T* operator->() const noexcept { return std::get_if<0>(&v_); }

    /// The error (precondition: `!has_value()`).
    E& error() & noexcept { return *std::get_if<1>(&v_); }
    const E& error() const& noexcept { return *std::get_if<1>(&v_); }
    E&& error() && noexcept { return std::move(*std::get_if<1>(&v_)); }

private:
    void check() const {
        if (!has_value()) {
#if CLOUDFLARE_HAS_EXCEPTIONS
            throw_as_exception(*std::get_if<1>(&v_));
#else
            std::abort();
#endif
        }
    }

    std::variant<T, E> v_;
};

} // namespace cloudflare
