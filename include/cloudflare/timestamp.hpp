// cloudflare-cpp: RFC 3339 timestamps, parsed and formatted without <format> or chrono::parse
// (neither exists in GCC 12's libstdc++).
#pragma once

#include <cloudflare/error.hpp>

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <ratio>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace cloudflare {

/// Microsecond-precision UTC time point, the resolution Cloudflare's timestamps carry.
using sys_time_us = std::chrono::sys_time<std::chrono::microseconds>;

/// A timestamp as the API sent it: the instant (UTC) and the exact original text.
struct timestamp {
    sys_time_us time{};
    std::string text;

    /// Parses an RFC 3339 date-time (`2014-01-01T05:20:00.12345Z`, `...+02:00`); digits past
    /// microseconds are kept in `text` only. Years 0001-9999 (`0000` is rejected). A leap
    /// second (`:60`) is accepted only where it is 23:59:60 UTC once the offset is applied
    /// (`15:59:60-08:00` included), as RFC 3339 section 5.7 has it, and is read as the next
    /// second. std::nullopt when `s` is not a valid date-time.
    static std::optional<timestamp> parse(std::string_view s);

    friend bool operator==(const timestamp& a, const timestamp& b) noexcept { return a.time == b.time; }
    friend std::ostream& operator<<(std::ostream& os, const timestamp& t) { return os << t.text; }
};

/// A date-time argument: a `std::chrono::sys_time` of any precision (`system_clock::now()`,
/// `sys_seconds`, `sys_days`, ...; formatted as RFC 3339 UTC) or a string the caller wrote
/// (checked as RFC 3339). Both are checked when the request is built, so a typo or a year
/// outside 0001-9999 is an `invalid_argument` before anything is sent, never a silently
/// ignored or wrapped-around field.
class date_time {
public:
    /// Unset: a required date-time left unset fails when the request is built.
    date_time() = default;
    /// From a time point; emitted as `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`, truncated to microseconds.
    template <class Rep, class Period>
    date_time(std::chrono::sys_time<std::chrono::duration<Rep, Period>> tp) {
        if (auto us = checked_micros(tp.time_since_epoch())) format(*us);
    }
    /// From text; must be RFC 3339, checked when the request is built.
    date_time(std::string text) : text_(std::move(text)), valid_(timestamp::parse(text_).has_value()) {}
    date_time(std::string_view text) : date_time(std::string(text)) {}
    date_time(const char* text) : date_time(std::string(text ? text : "")) {}

    /// The RFC 3339 text that will be sent.
    const std::string& text() const noexcept { return text_; }
    /// False when the text is not RFC 3339 (or the time point is outside years 0001-9999).
    bool valid() const noexcept { return valid_; }

private:
    // Microseconds since the epoch, or nullopt outside years 0001-9999. A coarse range check in
    // floating point first, so the exact integer conversion after it cannot overflow whatever
    // the tick type (a sys_seconds in year 3000 does not fit in system_clock's nanoseconds).
    template <class Rep, class Period>
    static std::optional<std::int64_t> checked_micros(std::chrono::duration<Rep, Period> d) {
        using to_micros = std::ratio_divide<Period, std::micro>;
        static_assert(std::is_floating_point_v<Rep> || to_micros::num == 1 || to_micros::den <= 30,
                      "date_time: this tick period cannot be converted to microseconds without overflow");
        const double seconds = static_cast<double>(d.count()) * static_cast<double>(Period::num) /
                               static_cast<double>(Period::den);
        if (!(seconds > -7e10 && seconds < 3e11)) return std::nullopt; // years 0001-9999 lie well inside
        return std::chrono::floor<std::chrono::microseconds>(d).count();
    }
    void format(std::int64_t micros_since_epoch);

    std::string text_;
    bool valid_ = false;
};

namespace detail {

constexpr bool parse_digits(std::string_view s, std::size_t pos, std::size_t n, int& out) noexcept {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
}

inline void put_digits(std::string& out, long long v, int width) {
    char buf[24];
    int i = 0;
    do { buf[i++] = static_cast<char>('0' + v % 10); v /= 10; } while (v > 0 || i < width);
    while (i > 0) out.push_back(buf[--i]);
}

} // namespace detail

/// A service token's `duration` as `parse_duration` reads it: a length of time, or `forever`
/// (the token never expires). Not named `duration`, so `using namespace cloudflare;` beside
/// `using namespace std::chrono;` stays unambiguous.
class api_duration {
public:
    /// A length of time (`parse_duration` only makes positive ones).
    constexpr explicit api_duration(std::chrono::nanoseconds length) noexcept : length_(length) {}
    /// `forever`: no expiry.
    static constexpr api_duration no_expiry() noexcept { return api_duration(); }

    /// True for `forever`.
    constexpr bool forever() const noexcept { return !length_.has_value(); }
    /// The length of time; std::nullopt for `forever`.
    constexpr std::optional<std::chrono::nanoseconds> length() const noexcept { return length_; }

    friend constexpr bool operator==(const api_duration&, const api_duration&) = default;
    /// `forever`, or the length in nanoseconds (e.g. `5400000000000ns`).
    friend std::ostream& operator<<(std::ostream& os, const api_duration& d) {
        if (d.forever()) return os << "forever";
        return os << d.length_->count() << "ns";
    }

private:
    constexpr api_duration() noexcept = default;
    std::optional<std::chrono::nanoseconds> length_;
};

/// Parses a Cloudflare `duration` as the API (written in Go) reads it with `time.ParseDuration`:
/// numbers with units `ns`, `us` (or `µs`, `μs`), `ms`, `s`, `m`, `h`, fractions (`1.5h`) and
/// sequences (`2h45m`), up to Go's limit of 2562047h47m16.854775807s; or `forever`.
/// Fractions are truncated to whole nanoseconds.
/// @par Example
/// @code
/// auto d = cloudflare::parse_duration("2h45m");   // d->length() == 9900s
/// auto f = cloudflare::parse_duration("forever"); // f->forever()
/// @endcode
/// @return the duration, or an `invalid_argument` error saying what is wrong (zero and
/// negative lengths included: a token's validity must be positive). The message quotes at
/// most an unknown unit, never the whole text.
inline result<api_duration> parse_duration(std::string_view s) {
    constexpr std::uint64_t max_ns = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    auto fail = [](std::string_view what) {
        return error_info(error_kind::invalid_argument, std::string("invalid duration: ").append(what));
    };
    auto digit = [&](std::size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; };
    if (s == "forever") return api_duration::no_expiry();
    std::size_t i = 0;
    bool negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    if (i == s.size()) return fail("expected a number and a unit, such as 8760h, 90m or 2h45m");
    if (s.substr(i) == "0") return fail("must be a positive length of time"); // Go's unitless zero
    std::uint64_t total = 0;
    while (i < s.size()) {
        // [0-9]*(\.[0-9]*)? with at least one digit, as Go reads it.
        const std::size_t int_start = i;
        std::uint64_t whole = 0;
        bool too_big = false;
        for (; digit(i); ++i) {
            if (whole > max_ns / 10) too_big = true;
            else whole = whole * 10 + static_cast<std::uint64_t>(s[i] - '0');
        }
        const bool int_digits = i > int_start;
        std::size_t frac_start = i, frac_end = i;
        if (i < s.size() && s[i] == '.') {
            frac_start = ++i;
            while (digit(i)) ++i;
            frac_end = i;
        }
        if (!int_digits && frac_end == frac_start) return fail("expected a number before each unit");
        const std::size_t unit_start = i;
        while (i < s.size() && s[i] != '.' && !digit(i)) ++i;
        const std::string_view unit = s.substr(unit_start, i - unit_start);
        if (unit.empty()) return fail("missing unit after a number (ns, us, µs, ms, s, m, h)");
        // A unit is `mult` × 10^`exp` nanoseconds.
        std::uint64_t mult = 1;
        int exp = 9;
        if (unit == "ns") exp = 0;
        else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") exp = 3; // U+00B5, U+03BC
        else if (unit == "ms") exp = 6;
        else if (unit == "m") mult = 60;
        else if (unit == "h") mult = 3600;
        else if (unit != "s") {
            bool printable = unit.size() <= 8;
            for (char c : unit) printable = printable && c > ' ' && c < 0x7F;
            return fail(printable ? std::string("unknown unit `").append(unit).append("` (ns, us, µs, ms, s, m, h)")
                                  : std::string("unknown unit (ns, us, µs, ms, s, m, h)"));
        }
        std::uint64_t unit_ns = mult;
        for (int k = 0; k < exp; ++k) unit_ns *= 10;
        // whole × unit, then the fraction exactly: its first `exp` digits scale to whole
        // multiples of `mult`, the rest is multiplied by `mult` digit by digit (long
        // multiplication, keeping only the carry into the units).
        if (too_big || whole > max_ns / unit_ns) return fail("over the maximum, 2562047h47m16.854775807s");
        std::uint64_t part = whole * unit_ns, scaled = 0, carry = 0;
        for (int k = 0; k < exp; ++k) {
            std::size_t at = frac_start + static_cast<std::size_t>(k);
            scaled = scaled * 10 + (at < frac_end ? static_cast<std::uint64_t>(s[at] - '0') : 0);
        }
        for (std::size_t at = frac_end; at > frac_start + static_cast<std::size_t>(exp);) {
            --at;
            carry = (static_cast<std::uint64_t>(s[at] - '0') * mult + carry) / 10;
        }
        const std::uint64_t fraction = scaled * mult + carry; // < unit_ns
        if (fraction > max_ns - part || part + fraction > max_ns - total)
            return fail("over the maximum, 2562047h47m16.854775807s");
        total += part + fraction;
    }
    if (negative || total == 0) return fail("must be a positive length of time");
    return api_duration(std::chrono::nanoseconds(static_cast<std::int64_t>(total)));
}

inline std::optional<timestamp> timestamp::parse(std::string_view s) {
    using namespace std::chrono;
    int y, mo, d, h, mi, sec;
    // YYYY-MM-DDTHH:MM:SS
    if (s.size() < 20 || !detail::parse_digits(s, 0, 4, y) || s[4] != '-' ||
        !detail::parse_digits(s, 5, 2, mo) || s[7] != '-' || !detail::parse_digits(s, 8, 2, d) ||
        (s[10] != 'T' && s[10] != 't') || !detail::parse_digits(s, 11, 2, h) || s[13] != ':' ||
        !detail::parse_digits(s, 14, 2, mi) || s[16] != ':' || !detail::parse_digits(s, 17, 2, sec))
        return std::nullopt;
    year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (y == 0 || !ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
    std::size_t pos = 19;
    long long micros = 0;
    if (s[pos] == '.') {
        ++pos;
        std::size_t start = pos;
        int scale = 100000;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (scale > 0) { micros += static_cast<long long>(s[pos] - '0') * scale; scale /= 10; }
            ++pos;
        }
        if (pos == start) return std::nullopt;
    }
    if (pos >= s.size()) return std::nullopt;
    int offset_minutes = 0;
    if (s[pos] == 'Z' || s[pos] == 'z') {
        ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
        int oh, om;
        if (!detail::parse_digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
            !detail::parse_digits(s, pos + 4, 2, om) || oh > 23 || om > 59)
            return std::nullopt;
        offset_minutes = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != s.size()) return std::nullopt;
    // Leap seconds happen at 23:59:60 UTC only; one lands on the next second, which is what a
    // UTC clock shows after it.
    if (sec == 60 && ((h * 60 + mi - offset_minutes) % 1440 + 1440) % 1440 != 23 * 60 + 59) return std::nullopt;
    auto tp = sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} + microseconds{micros} -
              minutes{offset_minutes};
    return timestamp{time_point_cast<microseconds>(tp), std::string(s)};
}

inline void date_time::format(std::int64_t micros_since_epoch) {
    using namespace std::chrono;
    const sys_time_us us{microseconds(micros_since_epoch)};
    auto days = floor<std::chrono::days>(us);
    year_month_day ymd{days};
    if (!ymd.ok() || int(ymd.year()) < 1 || int(ymd.year()) > 9999) return; // valid_ stays false
    hh_mm_ss<microseconds> hms{us - days};
    text_.reserve(27);
    detail::put_digits(text_, int(ymd.year()), 4);
    text_.push_back('-');
    detail::put_digits(text_, unsigned(ymd.month()), 2);
    text_.push_back('-');
    detail::put_digits(text_, unsigned(ymd.day()), 2);
    text_.push_back('T');
    detail::put_digits(text_, hms.hours().count(), 2);
    text_.push_back(':');
    detail::put_digits(text_, hms.minutes().count(), 2);
    text_.push_back(':');
    detail::put_digits(text_, hms.seconds().count(), 2);
    if (auto frac = hms.subseconds().count(); frac != 0) {
        text_.push_back('.');
        detail::put_digits(text_, frac, 6);
    }
    text_.push_back('Z');
    valid_ = true;
}

} // namespace cloudflare
