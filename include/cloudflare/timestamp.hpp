// cloudflare-cpp: RFC 3339 timestamps, parsed and formatted without <format> or chrono::parse
// (neither exists in GCC 12's libstdc++).
#pragma once

#include <chrono>
#include <cstdint>
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

/// Parses a Cloudflare duration such as "8760h", "60m", "2h45m" or "90s" (hours, minutes,
/// seconds, in that notation) into seconds. std::nullopt for anything else, including zero and
/// "forever" (which means no expiry, not a length of time).
inline std::optional<std::chrono::seconds> parse_duration(std::string_view d) {
    long long total = 0, num = 0;
    bool digits = false;
    for (char c : d) {
        if (c >= '0' && c <= '9') {
            num = num * 10 + (c - '0');
            digits = true;
            if (num > 1'000'000'000) return std::nullopt;
            continue;
        }
        if (!digits) return std::nullopt;
        if (c == 'h') total += num * 3600;
        else if (c == 'm') total += num * 60;
        else if (c == 's') total += num;
        else return std::nullopt;
        num = 0;
        digits = false;
    }
    if (digits || total <= 0) return std::nullopt;
    return std::chrono::seconds(total);
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
