// cloudflare-cpp: `cloudflare::one_of<Ts...>`, a value of one of several types, for what a
// request sends where the API accepts a choice (a DNS record of any kind, a string or a number).
#pragma once

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace cloudflare {

namespace detail {

// What a one_of does with the alternative it holds, one table per alternative actually
// constructed. A std::variant instantiates every alternative's copy, move and destruction
// wherever a struct holding it is merely declared; a one_of instantiates them only where a
// value of that alternative is made (records.batch's 21-kind lists cost a records.list TU 0.6 s).
struct one_of_ops {
    std::size_t index;
    void (*destroy)(void*) noexcept;
    void (*copy)(void*, const void*);
    void (*move)(void*, void*) noexcept;
};

template <class T, std::size_t I>
struct one_of_table {
    static_assert(std::is_nothrow_move_constructible_v<T>, "one_of moves its alternatives without throwing");
    static void destroy(void* p) noexcept { static_cast<T*>(p)->~T(); }
    static void copy(void* to, const void* from) { ::new (to) T(*static_cast<const T*>(from)); }
    static void move(void* to, void* from) noexcept { ::new (to) T(std::move(*static_cast<T*>(from))); }
    static constexpr one_of_ops ops{I, &destroy, &copy, &move};
};

// Which alternative a value of type U makes, by std::variant's rule: the one overload
// resolution picks among `f(T_i)`, counting only T_i that U converts to without narrowing,
// and `bool` only from a bool (so "on" is a string, not a true).
template <class T>
struct one_of_array { T x[1]; };
template <class T, class U>
concept one_of_accepts = requires(U&& u) { one_of_array<T>{{std::forward<U>(u)}}; } &&
    (!std::same_as<std::remove_cv_t<T>, bool> || std::same_as<std::remove_cvref_t<U>, bool>);
template <std::size_t I, class T>
struct one_of_pick { static constexpr std::size_t index = I; using type = T; };
template <std::size_t I, class T, class U>
struct one_of_candidate { static void pick(); };  // not viable: takes no argument
template <std::size_t I, class T, class U>
    requires one_of_accepts<T, U>
struct one_of_candidate<I, T, U> { static one_of_pick<I, T> pick(T); };
template <class U, class Seq, class... Ts>
struct one_of_candidates;
template <class U, std::size_t... I, class... Ts>
struct one_of_candidates<U, std::index_sequence<I...>, Ts...> : one_of_candidate<I, Ts, U>... {
    using one_of_candidate<I, Ts, U>::pick...;
};
template <std::size_t I, class T, class... Rest>
struct one_of_nth { using type = typename one_of_nth<I - 1, Rest...>::type; };
template <class T, class... Rest>
struct one_of_nth<0, T, Rest...> { using type = T; };
template <class U, class... Ts>
using one_of_chosen = decltype(one_of_candidates<U, std::index_sequence_for<Ts...>, Ts...>::pick(std::declval<U>()));

} // namespace detail

/// A value of exactly one of `Ts...` (distinct types): what a request sends where the API takes
/// a choice (`dns::record_create_params`, the records of `records.batch`, a setting's value).
/// Made from any alternative as `std::variant` is (`.posts = {{dns::a_record_param{…}}}`);
/// read back with `index()`, `holds<T>()`, `get_if<T>()` or `visit(f)`. Unlike `std::variant`,
/// the code to copy, move and destroy an alternative exists only where one is made, so a
/// header declaring a 21-kind choice costs a translation unit that never sends it nothing.
template <class... Ts>
class one_of {
    static_assert(sizeof...(Ts) > 0, "one_of needs at least one alternative");

public:
    /// The first alternative, value-initialized (as `std::variant`).
    one_of() : one_of(std::in_place_index<0>) {}
    /// The alternative a value of type `U` makes (see the class comment).
    template <class U>
        requires (!std::same_as<std::remove_cvref_t<U>, one_of>) && requires { typename detail::one_of_chosen<U, Ts...>; }
    one_of(U&& v) { // NOLINT(bugprone-forwarding-reference-overload): the constraint excludes one_of itself
        using pick = detail::one_of_chosen<U, Ts...>;
        construct<typename pick::type, pick::index>(std::forward<U>(v));
    }
    /// Alternative `I`, made from `args`.
    template <std::size_t I, class... Args>
    explicit one_of(std::in_place_index_t<I>, Args&&... args) {
        using T = std::remove_cvref_t<decltype(alternative<I>())>;
        construct<T, I>(std::forward<Args>(args)...);
    }
    one_of(const one_of& o) : ops_(o.ops_) { ops_->copy(storage_, o.storage_); }
    one_of(one_of&& o) noexcept : ops_(o.ops_) { ops_->move(storage_, o.storage_); }
    /// Strong guarantee: a copy that throws leaves this value as it was.
    one_of& operator=(const one_of& o) {
        if (this != &o) {
            one_of copy(o);
            *this = std::move(copy);
        }
        return *this;
    }
    one_of& operator=(one_of&& o) noexcept {
        if (this != &o) {
            ops_->destroy(storage_);
            ops_ = o.ops_;
            ops_->move(storage_, o.storage_);
        }
        return *this;
    }
    template <class U>
        requires (!std::same_as<std::remove_cvref_t<U>, one_of>) && requires { typename detail::one_of_chosen<U, Ts...>; }
    one_of& operator=(U&& v) {
        one_of made(std::forward<U>(v));
        return *this = std::move(made);
    }
    ~one_of() { ops_->destroy(storage_); }

    /// The position of the alternative held, in `Ts...`.
    std::size_t index() const noexcept { return ops_->index; }
    /// True when the value is a `T`.
    template <class T>
    bool holds() const noexcept { return index() == index_of<T>(); }
    /// The value as a `T`, or null when it is another alternative.
    template <class T>
    T* get_if() noexcept { return holds<T>() ? std::launder(reinterpret_cast<T*>(storage_)) : nullptr; }
    template <class T>
    const T* get_if() const noexcept { return holds<T>() ? std::launder(reinterpret_cast<const T*>(storage_)) : nullptr; }
    /// `f(alternative)` with the alternative held; every alternative's call returns the same type.
    template <class F>
    decltype(auto) visit(F&& f) const { return dispatch<const one_of&>(*this, f, std::index_sequence_for<Ts...>{}); }
    template <class F>
    decltype(auto) visit(F&& f) { return dispatch<one_of&>(*this, f, std::index_sequence_for<Ts...>{}); }

private:
    template <std::size_t I>
    static auto alternative() -> typename detail::one_of_nth<I, Ts...>::type&;
    template <class T>
    static constexpr std::size_t index_of() {
        static_assert((std::same_as<T, Ts> || ...), "T is not an alternative of this one_of");
        std::size_t i = 0;
        bool found = false;
        ((found = found || std::same_as<T, Ts>, i += found ? 0 : 1), ...);
        return i;
    }
    template <class T, std::size_t I, class... Args>
    void construct(Args&&... args) {
        ::new (static_cast<void*>(storage_)) T(std::forward<Args>(args)...);
        ops_ = &detail::one_of_table<T, I>::ops;  // after: a constructor that throws leaves nothing to destroy
    }
    template <class Self, class F, std::size_t... I>
    static decltype(auto) dispatch(Self self, F& f, std::index_sequence<I...>) {
        using first = std::remove_reference_t<decltype(alternative<0>())>;
        using qualified = std::conditional_t<std::is_const_v<std::remove_reference_t<Self>>, const first&, first&>;
        using R = std::invoke_result_t<F&, qualified>;
        using call = R (*)(Self, F&);
        static constexpr call calls[] = {+[](Self s, F& g) -> R {
            using T = std::remove_reference_t<decltype(alternative<I>())>;
            return g(*s.template get_if<T>());
        }...};
        return calls[self.index()](self, f);
    }

    const detail::one_of_ops* ops_ = nullptr;
    alignas(Ts...) unsigned char storage_[std::max({sizeof(Ts)...})];
};

} // namespace cloudflare
