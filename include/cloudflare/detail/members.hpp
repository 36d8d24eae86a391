// cloudflare-cpp (internal): walking the members of a struct the library reads and writes.
#pragma once

#include <boost/describe/class.hpp> // BOOST_DESCRIBE_STRUCT, for hand-written result types
#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>

#include <cstddef>
#include <string_view>
#include <type_traits>

namespace cloudflare::detail {

// Only declared: lets a requires-expression ask whether a member walk accepts a visitor.
struct member_probe {
    template <class M>
    void operator()(std::string_view, M&) const;
};

/// A generated type: `T::cloudflare_members(obj, f)` calls `f(json_name, member)` for each
/// member in order. Generated as plain calls, it costs the compiler far less than a
/// Boost.Describe list (a DNS record union reads some 60 structs).
template <class T>
concept has_member_walk = requires(T& t, member_probe p) { T::cloudflare_members(t, p); };

/// A struct described with BOOST_DESCRIBE_STRUCT (the README's hand-written endpoints).
template <class T>
concept has_described_members = boost::describe::has_describe_members<std::remove_const_t<T>>::value;

/// A struct read and written member by member, by either means.
template <class T>
concept member_struct = has_member_walk<std::remove_const_t<T>> || has_described_members<T>;

/// Calls `f(json_name, member)` for each member of `obj` (`T` may be const).
template <class T, class F>
    requires member_struct<T>
void for_each_member(T& obj, F&& f) {
    using U = std::remove_const_t<T>;
    if constexpr (has_member_walk<U>) {
        U::cloudflare_members(obj, f);
    } else {
        using members = boost::describe::describe_members<U, boost::describe::mod_public | boost::describe::mod_inherited>;
        std::size_t i = 0;
        boost::mp11::mp_for_each<members>([&](auto d) {
            std::string_view k = d.name;
            // Types whose JSON names are not C++ names (`delete`, `foo-bar`) may list them.
            if constexpr (requires { U::json_keys; }) k = U::json_keys[i];
            f(k, obj.*d.pointer);
            ++i;
        });
    }
}

} // namespace cloudflare::detail
