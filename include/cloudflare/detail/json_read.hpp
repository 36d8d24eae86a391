// cloudflare-cpp (internal): strict, typed reading of JSON objects into described structs.
#pragma once

#include <cloudflare/detail/members.hpp>
#include <cloudflare/raw_json.hpp>
#include <cloudflare/secret.hpp>
#include <cloudflare/timestamp.hpp>

#include <boost/json/value.hpp>
#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/function.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace cloudflare::detail {

class json_document;

inline std::string_view json_kind_name(const boost::json::value& v) noexcept {
    switch (v.kind()) {
    case boost::json::kind::null: return "null";
    case boost::json::kind::bool_: return "a boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_: return "a number";
    case boost::json::kind::string: return "a string";
    case boost::json::kind::array: return "an array";
    case boost::json::kind::object: return "an object";
    }
    return "an unknown value";
}

/// What one answer's typed read may allocate, shared by its reader and every sub-reader: a
/// list's elements are charged before the list is sized, a map's entries before they are made.
/// A hostile `[{},{},…]` (3 bytes an item, hundreds of bytes a struct) then fails the read
/// instead of allocating hundreds of times its size. `exhausted` makes the failure final in
/// every mode (no tolerant or lenient reading turns it into a warning).
struct read_budget {
    std::size_t left = 0;
    bool exhausted = false;
    /// `factor` bytes per byte of `body` (never overflowing), and at least `floor` bytes.
    static read_budget for_body(std::size_t body, std::size_t factor, std::size_t floor = std::size_t{1} << 20) noexcept {
        const std::size_t cap = std::numeric_limits<std::size_t>::max();
        const std::size_t b = factor != 0 && body > cap / factor ? cap : body * factor;
        return read_budget{b > floor ? b : floor, false};
    }
};

/// At most this many warnings are kept for one answer (one more line says that others were left
/// out): a list of a million odd items must not cost a million warning strings.
inline constexpr std::size_t max_warnings = 100;

// Collects the first problem found; messages name the JSON path and the kind found, never the
// value (which may be a secret).
//
// Three modes. Strict: any problem is the error. Lenient (strict validation, a call that must
// not be repeated, such as rotate): a problem in an optional field is not an error: the field
// stays unset and a warning records why, so an applied rotation never loses its new secret over
// an odd timestamp; required fields stay strict. Tolerant (the default, `tolerant(true)` with a
// warnings list): no member's JSON fails the read: a member that does not fit its type, or a
// required one that is missing, keeps what could be read (nothing, for most) and a warning
// names it. Credentials (`secret`) stay strict in the answer of a call that hands one out and
// must not be repeated (rotate, create): that call has no result without it.
class json_reader {
public:
    explicit json_reader(std::string prefix, std::vector<std::string>* warnings = nullptr)
        : prefix_(std::move(prefix)), warnings_(warnings) {}
    /// A reader whose `raw_json` members share `*owner` (the parsed document, which outlives the
    /// reader) instead of copying what they keep.
    json_reader(std::string prefix, std::vector<std::string>* warnings, const std::shared_ptr<json_document>* owner)
        : prefix_(std::move(prefix)), warnings_(warnings), owner_(owner) {}

    /// The JSON kind a member of type `A` takes, for messages ("an object").
    template <class A>
    static std::string_view kind_name() noexcept {
        if constexpr (std::is_same_v<A, raw_json>) return "any JSON";
        else if constexpr (std::is_same_v<A, std::string> || std::is_same_v<A, timestamp> || std::is_same_v<A, secret>) return "a string";
        else if constexpr (std::is_same_v<A, std::int64_t> || std::is_same_v<A, double>) return "a number";
        else if constexpr (std::is_same_v<A, bool>) return "a boolean";
        else if constexpr (requires { typename A::value_type; typename A::allocator_type; } && !requires { typename A::key_type; }) return "an array";
        else return "an object";
    }
    /// True when `v` is of the JSON kind a member of type `A` takes (any kind for raw JSON).
    template <class A>
    static bool kind_matches(const boost::json::value& v) noexcept {
        if constexpr (std::is_same_v<A, raw_json>) return true;
        else if constexpr (std::is_same_v<A, std::string> || std::is_same_v<A, timestamp> || std::is_same_v<A, secret>) return v.is_string();
        else if constexpr (std::is_same_v<A, std::int64_t>) return v.is_int64() || v.is_uint64();
        else if constexpr (std::is_same_v<A, double>) return v.is_number();
        else if constexpr (std::is_same_v<A, bool>) return v.is_bool();
        else if constexpr (requires { typename A::value_type; typename A::allocator_type; } && !requires { typename A::key_type; }) return v.is_array();
        else return v.is_object();
    }
    /// Tolerant reading (needs a warnings list): see the class comment. `credentials`: keep
    /// credentials strict (the answer of a call that hands one out and must not be repeated).
    json_reader& tolerant(bool on, bool credentials = true) noexcept {
        tolerant_ = on && warnings_;
        credentials_ = credentials;
        return *this;
    }
    /// Charges what the read may allocate to `b` (shared by every sub-reader); none: unbounded.
    json_reader& budget(read_budget* b) noexcept {
        budget_ = b;
        return *this;
    }
    /// Takes `count` elements of `each` bytes from the budget; false (and the error, in every
    /// mode) when they do not fit.
    bool charge(std::string_view field, std::size_t count, std::size_t each) {
        if (!budget_) return true;
        if (!budget_->exhausted && (each == 0 || count <= budget_->left / each)) {
            budget_->left -= count * each;
            return true;
        }
        budget_->exhausted = true;
        fail(field, std::string("holds ").append(std::to_string(count)).append(" elements: more memory than "
             "response_limits::max_memory_factor allows for an answer of this size"));
        return false;
    }
    bool ok() const noexcept { return error_.empty(); }
    const std::string& error() const noexcept { return error_; }
    void fail(std::string_view field, std::string_view what) {
        if (!error_.empty()) return;
        error_.reserve(prefix_.size() + field.size() + what.size() + 4);
        error_ += '`';
        error_ += prefix_;
        if (!field.empty()) { error_ += '.'; error_ += field; }
        error_ += "` ";
        error_ += what;
    }
    /// A member whose JSON does not fit its type: tolerated (a warning; the member keeps what
    /// could be read) in tolerant mode, else the error.
    void mismatch(std::string_view field, std::string_view what) {
        if (!tolerant_) return fail(field, what);
        warn(field, what, " (left empty)");
    }
    void wrong_kind(std::string_view field, std::string_view expected, const boost::json::value& v) {
        if (!error_.empty()) return;
        mismatch(field, std::string("must be ").append(expected).append(", got ").append(json_kind_name(v)));
    }
    /// A problem in an optional field: an error, or in lenient mode a warning (the caller then
    /// leaves the field unset).
    void optional_problem(std::string_view field, std::string_view what) {
        if (!warnings_) return fail(field, what);
        warn(field, what, " (ignored, left unset)");
    }
    void optional_wrong_kind(std::string_view field, std::string_view expected, const boost::json::value& v) {
        optional_problem(field, std::string("must be ").append(expected).append(", got ").append(json_kind_name(v)));
    }

    // --- scalar fields; `v` is null when the key is absent -----------------------------------
    // Required strings must be non-empty: an empty `id` or `client_secret` is no usable result.
    void read(std::string_view f, const boost::json::value* v, std::string& out) {
        if (const auto* s = required(f, v, "a string"); s) assign(out, *s);
    }
    void read(std::string_view f, const boost::json::value* v, secret& out) {
        if (const auto* s = required(f, v, "a string", credentials_); s) out.assign(std::string_view(s->data(), s->size()));
    }
    void read(std::string_view f, const boost::json::value* v, std::optional<std::string>& out) {
        if (present(v)) {
            if (const auto* s = v->if_string()) assign(out.emplace(), *s);
            else optional_wrong_kind(f, "a string", *v);
        }
    }
    void read(std::string_view f, const boost::json::value* v, std::optional<timestamp>& out) {
        if (!present(v)) return;
        const auto* s = v->if_string();
        if (!s) return optional_wrong_kind(f, "an RFC 3339 date-time string", *v);
        if (auto t = timestamp::parse(std::string_view(s->data(), s->size()))) out = std::move(*t);
        else optional_problem(f, "is not an RFC 3339 date-time");
    }
    void read(std::string_view f, const boost::json::value* v, std::optional<std::int64_t>& out) {
        if (!present(v)) return;
        std::int64_t n = 0;
        if (to_int(*v, n)) out = n;
        else if (v->is_number()) optional_problem(f, "must be an integer in the 64-bit range");
        else optional_wrong_kind(f, "an integer", *v);
    }
    void read(std::string_view f, const boost::json::value* v, std::optional<bool>& out) {
        if (!present(v)) return;
        if (const bool* b = v->if_bool()) out = *b;
        else optional_wrong_kind(f, "a boolean", *v);
    }

    // --- generated types: required (plain) and optional members of any readable type --------
    template <class T>
    void read(std::string_view f, const boost::json::value* v, T& out) {
        if (!present(v)) return mismatch(f, "is missing");
        read_value(f, *v, out);
    }
    template <class T>
    void read(std::string_view f, const boost::json::value* v, std::optional<T>& out) {
        if (!present(v)) return;
        if (tolerant_) {
            // Unset when its own JSON is of another kind; else what could be read of it.
            if (!kind_matches<T>(*v))
                return mismatch(f, std::string("must be ").append(kind_name<T>()).append(", got ").append(json_kind_name(*v)));
            return read_value(f, *v, out.emplace());
        }
        if (!warnings_) return read_value(f, *v, out.emplace());
        // Lenient: an unreadable optional member is left unset, with a warning.
        json_reader sub(prefix_, nullptr, owner_);
        sub.budget_ = budget_;
        T value{};
        sub.read_value(f, *v, value);
        if (sub.ok()) out = std::move(value);
        else if (budget_ && budget_->exhausted) error_ = sub.error_; // over the budget: final
        else note(sub.error() + " (ignored, left unset)");
    }

    void read_value(std::string_view f, const boost::json::value& v, std::string& out) {
        if (const auto* s = v.if_string()) assign(out, *s);
        else wrong_kind(f, "a string", v);
    }
    void read_value(std::string_view f, const boost::json::value& v, secret& out) {
        if (const auto* s = v.if_string()) out.assign(std::string_view(s->data(), s->size()));
        else if (credentials_) fail(f, std::string("must be a string, got ").append(json_kind_name(v)));
        else wrong_kind(f, "a string", v);
    }
    void read_value(std::string_view f, const boost::json::value& v, std::int64_t& out) {
        if (!to_int(v, out)) {
            if (v.is_number()) mismatch(f, "must be an integer in the 64-bit range");
            else wrong_kind(f, "an integer", v);
        }
    }
    void read_value(std::string_view f, const boost::json::value& v, double& out) {
        if (v.is_number()) out = v.to_number<double>();
        else wrong_kind(f, "a number", v);
    }
    void read_value(std::string_view f, const boost::json::value& v, bool& out) {
        if (const bool* b = v.if_bool()) out = *b;
        else wrong_kind(f, "a boolean", v);
    }
    void read_value(std::string_view f, const boost::json::value& v, timestamp& out) {
        const auto* s = v.if_string();
        if (!s) return wrong_kind(f, "an RFC 3339 date-time string", v);
        if (auto t = timestamp::parse(std::string_view(s->data(), s->size()))) out = std::move(*t);
        else mismatch(f, "is not an RFC 3339 date-time");
    }
    /// Any JSON: kept as it came (a union or an untyped schema), sharing the document.
    void read_value(std::string_view, const boost::json::value& v, raw_json& out) {
        out = owner_ ? raw_json(std::shared_ptr<const boost::json::value>(*owner_, &v))
                     : raw_json(std::make_shared<const boost::json::value>(v));
    }
    template <class T>
    void read_value(std::string_view f, const boost::json::value& v, std::vector<T>& out) {
        const auto* a = v.if_array();
        if (!a) return wrong_kind(f, "an array", v);
        // Built at its final size: no element is ever moved, so reading a list of a large
        // union does not instantiate the union's move machinery. Charged first: see read_budget.
        if (!charge(f, a->size(), sizeof(T))) return;
        out = std::vector<T>(a->size());
        for (std::size_t i = 0; i < a->size() && ok(); ++i)
            read_value(std::string(f).append("[").append(std::to_string(i)).append("]"), (*a)[i], out[i]);
    }
    template <class T>
    void read_value(std::string_view f, const boost::json::value& v, std::map<std::string, T>& out) {
        const auto* o = v.if_object();
        if (!o) return wrong_kind(f, "an object", v);
        // A node holds the pair and a few pointers (the key's text is counted by the body).
        if (!charge(f, o->size(), sizeof(typename std::map<std::string, T>::value_type) + 4 * sizeof(void*))) return;
        for (const auto& kv : *o) {
            if (!ok()) return;
            std::string key(kv.key().data(), kv.key().size());
            read_value(std::string(f).append(".").append(key), kv.value(), out[key]);
        }
    }
    /// A nested struct: read with a reader whose messages name the full path.
    template <class T>
        requires member_struct<T>
    void read_value(std::string_view f, const boost::json::value& v, T& out) {
        read_nested(f, v, &out, &collect_members<T>);
    }

    /// A generated tagged union: the member named `T::tag_key` says which alternative the object
    /// is (`T::tags[i]` selects `value`'s alternative i + 1). A tag this version does not list
    /// leaves `std::monostate` (the API grows); the JSON stays in `raw` either way.
    template <class T>
        requires requires { T::tag_key; T::tags; }
    void read_value(std::string_view f, const boost::json::value& v, T& out) {
        const auto* o = v.if_object();
        if (!o) return wrong_kind(f, "an object", v);
        read_value(f, v, out.raw);
        const auto* tag = o->if_contains(boost::json::string_view(T::tag_key.data(), T::tag_key.size()));
        const auto* s = tag ? tag->if_string() : nullptr;
        if (!s) return;
        std::string_view t(s->data(), s->size());
        for (std::size_t i = 0; i < T::tags.size(); ++i) {
            if (T::tags[i] != t) continue;
            using V = decltype(out.value);
            static_assert(T::tags.size() == std::variant_size_v<V> - 1, "one tag per alternative after std::monostate");
            // One small function per kind, chosen from a table: cheaper to compile than one
            // function holding every kind's construction.
            static constexpr auto readers = []<std::size_t... I>(std::index_sequence<I...>) {
                return std::array<void (*)(json_reader&, std::string_view, const boost::json::value&, V&), sizeof...(I)>{&read_alternative<V, I + 1>...};
            }(std::make_index_sequence<std::variant_size_v<V> - 1>{});
            return readers[i](*this, f, v, out.value);
        }
    }
    /// An untagged union whose alternatives are different JSON kinds (a string or a list...).
    template <class... Ts>
    void read_value(std::string_view f, const boost::json::value& v, std::variant<Ts...>& out) {
        bool done = false;
        boost::mp11::mp_for_each<boost::mp11::mp_iota_c<sizeof...(Ts)>>([&](auto I) {
            using A = std::variant_alternative_t<I, std::variant<Ts...>>;
            if (done || !kind_matches<A>(v)) return;
            done = true;
            read_value(f, v, out.template emplace<I>());
        });
        if (!done) mismatch(f, std::string("is ").append(json_kind_name(v)).append(", which no alternative of the union accepts"));
    }

    // --- structs read member by member ------------------------------------------------------
    /// Reads the object `v` into `out`. The struct's member walk fills a list of (JSON name,
    /// reading function of the member's type, address); one non-template loop reads it. Reading
    /// code exists once per member type, not once per struct member: that keeps a TU that reads
    /// a 20-kind union (DNS records) cheap to compile.
    template <class T>
        requires member_struct<T>
    void read_object(const boost::json::value& v, T& out) {
        member_list list;
        collect_members<T>(&out, list);
        read_members(v, list);
    }

private:
    // A warning line: "`path.field` what (what was done)"; names the path, never the value.
    void warn(std::string_view field, std::string_view what, std::string_view done) {
        std::string w;
        w.append("`").append(prefix_);
        if (!field.empty()) w.append(".").append(field);
        w.append("` ").append(what).append(done);
        note(std::move(w));
    }
    // Keeps a warning, up to max_warnings of them.
    void note(std::string w) {
        if (warnings_->size() < max_warnings) warnings_->push_back(std::move(w));
        else if (warnings_->size() == max_warnings)
            warnings_->push_back("(more warnings left out: at most " + std::to_string(max_warnings) + " are kept)");
    }
    // Reads a tagged union's alternative I (the table above holds one per kind).
    template <class V, std::size_t I>
    static void read_alternative(json_reader& r, std::string_view f, const boost::json::value& v, V& out) {
        r.read_value(f, v, out.template emplace<I>());
    }
    using read_fn = void (*)(json_reader&, std::string_view, const boost::json::value*, void*);
    // Trivial (no initialisation): a list of them is set one slot at a time.
    struct member_slot {
        const char* name;
        std::size_t name_size;
        read_fn read;
        void* at;
        bool credential;      // a required `secret`
        bool required_scalar; // a required string, number, boolean or date-time
        std::string_view key() const noexcept { return {name, name_size}; }
    };
    // Up to N elements in place, more on the heap: a struct's members (most have fewer than 32,
    // a few have hundreds) and what was sent for each.
    template <class E, std::size_t N>
    class small_buffer {
    public:
        void push_back(const E& e) {
            if (n_ < N) small_[n_] = e;
            else spill(e);
            ++n_;
        }
        void assign(std::size_t n, const E& e) {
            large_.clear();
            if (n > N) large_.assign(n, e);
            else std::fill_n(small_.begin(), n, e);
            n_ = n;
        }
        std::size_t size() const noexcept { return n_; }
        // The elements live in place up to N, all on the heap beyond.
        E* data() noexcept { return n_ > N ? large_.data() : small_.data(); }
        const E* data() const noexcept { return n_ > N ? large_.data() : small_.data(); }

    private:
        // Out of line: rare, and every push_back would repeat it.
        [[gnu::noinline]] void spill(const E& e) {
            if (n_ == N) large_.assign(small_.begin(), small_.end());
            large_.push_back(e);
        }
        std::array<E, N> small_; // only the first n_ are set (and read)
        std::vector<E> large_;
        std::size_t n_ = 0;
    };
    using member_list = small_buffer<member_slot, 32>;
    template <class M>
    static void read_member(json_reader& r, std::string_view f, const boost::json::value* v, void* member) {
        r.read(f, v, *static_cast<M*>(member));
    }
    struct member_collector {
        member_list* list;
        template <class M>
        void operator()(std::string_view name, M& m) const {
            constexpr bool scalar = std::is_same_v<M, std::string> || std::is_same_v<M, std::int64_t> ||
                                    std::is_same_v<M, double> || std::is_same_v<M, bool> || std::is_same_v<M, timestamp>;
            list->push_back({name.data(), name.size(), &read_member<M>, &m, std::is_same_v<M, secret>, scalar});
        }
    };
    template <class T>
    static void collect_members(void* out, member_list& list) {
        for_each_member(*static_cast<T*>(out), member_collector{&list});
    }
    // A nested struct, read by a reader whose messages name the full path. Not a template: a
    // struct type costs its member walk only (a 20-kind union is 20 walks, not 20 readers).
    void read_nested(std::string_view f, const boost::json::value& v, void* out, void (*collect)(void*, member_list&)) {
        json_reader sub(prefix_ + "." + std::string(f), warnings_, owner_);
        sub.budget_ = budget_;
        sub.tolerant_ = tolerant_;
        sub.credentials_ = credentials_;
        member_list list;
        collect(out, list);
        sub.read_members(v, list);
        if (!sub.ok() && ok()) error_ = sub.error_;
    }

    void read_members(const boost::json::value& v, const member_list& list) {
        const auto* o = v.if_object();
        if (!o) return wrong_kind("", "an object", v);
        // One pass over what was sent (unknown keys are skipped), then each member in order:
        // cheaper than a lookup per declared member.
        const std::size_t n = list.size();
        const member_slot* members = list.data();
        // An object that carries a credential (a service token's client_secret) keeps its own
        // required scalars (`id`, `client_id`) required in every mode: a secret without what it
        // belongs to is no result. Its other members are read as the mode says.
        const bool was_tolerant = tolerant_;
        bool credential = false;
        for (std::size_t i = 0; i < n && credentials_; ++i) credential = credential || members[i].credential;
        small_buffer<const boost::json::value*, 64> sent;
        sent.assign(n, nullptr);
        const boost::json::value** found = sent.data();
        for (const auto& kv : *o) {
            std::string_view key(kv.key().data(), kv.key().size());
            for (std::size_t i = 0; i < n; ++i)
                if (members[i].key() == key) { found[i] = &kv.value(); break; }
        }
        for (std::size_t i = 0; i < n && ok(); ++i) {
            tolerant_ = was_tolerant && !(credential && members[i].required_scalar);
            members[i].read(*this, members[i].key(), found[i], members[i].at);
        }
        tolerant_ = was_tolerant;
    }

    static bool present(const boost::json::value* v) noexcept { return v && !v->is_null(); }
    // A required string; `hard`: a problem is the error in every mode (a credential).
    const boost::json::string* required(std::string_view f, const boost::json::value* v, std::string_view what,
                                        bool hard = false) {
        auto problem = [&](std::string_view why) { hard ? fail(f, why) : mismatch(f, why); };
        if (!present(v)) { problem("is missing"); return nullptr; }
        if (const auto* s = v->if_string()) {
            if (!s->empty()) return s;
            problem("is empty");
            return nullptr;
        }
        if (error_.empty()) problem(std::string("must be ").append(what).append(", got ").append(json_kind_name(*v)));
        return nullptr;
    }
    static void assign(std::string& out, const boost::json::string& s) { out.assign(s.data(), s.size()); }
    static bool to_int(const boost::json::value& v, std::int64_t& out) noexcept {
        if (const auto* i = v.if_int64()) { out = *i; return true; }
        if (const auto* u = v.if_uint64()) {
            if (*u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return false;
            out = static_cast<std::int64_t>(*u);
            return true;
        }
        if (const auto* d = v.if_double()) {
            // 1.0 is what some generators emit for an integer; 1.5 or 1e300 is not an integer.
            if (!std::isfinite(*d) || std::trunc(*d) != *d || std::fabs(*d) > 9.0e15) return false;
            out = static_cast<std::int64_t>(*d);
            return true;
        }
        return false;
    }

    std::string prefix_; // owned: callers build it on the fly ("result[3]")
    std::string error_;
    std::vector<std::string>* warnings_; // set: lenient mode
    bool tolerant_ = false;              // tolerant mode (warnings_ is set)
    bool credentials_ = true;            // credentials strict in every mode
    const std::shared_ptr<json_document>* owner_ = nullptr; // what raw_json members keep alive
    read_budget* budget_ = nullptr;                         // shared with sub-readers
};

} // namespace cloudflare::detail
