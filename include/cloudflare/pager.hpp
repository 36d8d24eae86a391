// cloudflare-cpp: lazily paged ranges over list endpoints.
#pragma once

#include <cloudflare/client_options.hpp>
#include <cloudflare/error.hpp>
#include <cloudflare/raw_json.hpp>

#include <boost/json/serialize.hpp>

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_set>
#include <utility>
#include <vector>

namespace cloudflare {

/// How a list endpoint pages: by page number (`page`, `per_page`; most of the API) or by an
/// opaque cursor (`result_info.cursor` sent back as the `cursor` parameter: KV keys, Durable Objects objects).
enum class paging_style { page, cursor };

/// The range `list_all` / `try_list_all` return: walks every item of a list endpoint, fetching
/// the next page only when the previous one is used up. Single pass.
///
/// Page numbers (`E::paging` absent or `paging_style::page`): stops after an empty page, the
/// last page by `result_info` (`total_pages`, `total_count`), or a page shorter than
/// `per_page`; a server that answers a page number other than the one asked for fails the walk.
/// Cursors (`paging_style::cursor`): stops after a page without a next cursor; an empty page
/// that carries one is passed over (Cloudflare sends such pages mid-list, "even if the keys
/// array is empty"). Either way, a page the server already sent (twice in a row, or in a cycle
/// such as A, B, A, B), or a cursor it already sent, ends the walk with an
/// `api_response_validation_error` instead of looping forever; so does passing `max_pages`.
/// Path parameters before `params` (`E::positional_params` of them, such as a KV namespace id)
/// are copied into the range.
///
/// With `Throwing` the range yields `const T&` and throws on error; otherwise it yields
/// `result<T>&` and ends after yielding the error. Either reference stays valid until the
/// iterator is incremented (the next page replaces the current one): copy an item to keep it.
template <class Core, class E, bool Throwing>
class basic_pager {
    using page_type = typename E::response_type;
    using params_type = typename E::params_type;

public:
    using item_type = typename decltype(page_type::items)::value_type;
    /// Upper bound on pages fetched by one walk.
    static constexpr std::int64_t max_pages = 100'000;

    /// How this endpoint pages.
    static constexpr paging_style style = [] {
        if constexpr (requires { E::paging; }) return E::paging;
        else return paging_style::page;
    }();
    /// How many path parameters come before `params` in the call.
    static constexpr std::size_t positional_count = [] {
        if constexpr (requires { E::positional_params; }) return E::positional_params;
        else return std::size_t{0};
    }();

    template <class... Positional>
        requires(sizeof...(Positional) == positional_count)
    basic_pager(Core* core, params_type params, request_options opts, Positional&&... positional)
        : core_(core), params_(std::move(params)), opts_(std::move(opts)),
          positional_{std::string(std::forward<Positional>(positional))...} {}

    struct sentinel {};
    class iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using difference_type = std::ptrdiff_t;
        using value_type = std::conditional_t<Throwing, item_type, result<item_type>>;
        using reference = std::conditional_t<Throwing, const item_type&, result<item_type>&>;

        iterator() = default;
        explicit iterator(basic_pager* p) : p_(p) {}
        reference operator*() const {
            if constexpr (Throwing) return p_->page_.items[p_->index_];
            else return *p_->yielded_;
        }
        const value_type* operator->() const { return &**this; }
        iterator& operator++() { p_->advance(); return *this; }
        void operator++(int) { ++*this; }
        friend bool operator==(const iterator& it, sentinel) { return it.done(); }

    private:
        bool done() const noexcept { return p_->at_end(); }
        basic_pager* p_ = nullptr;
    };

    /// Fetches the first page (throwing form: throws if that fails).
    iterator begin() {
        if (!started_) {
            started_ = true;
            if constexpr (style == paging_style::page) next_page_ = params_.page.value_or(1);
            load();
        }
        return iterator(this);
    }
    sentinel end() const noexcept { return {}; }

private:
    friend class iterator;
    bool at_end() const noexcept {
        if constexpr (Throwing) return index_ >= page_.items.size();
        else return !yielded_.has_value();
    }

    void advance() {
        if constexpr (!Throwing) {
            if (yielded_ && !yielded_->has_value()) { yielded_.reset(); return; } // error was the last
        }
        ++index_;
        if (index_ >= page_.items.size() && !last_) load();
        else set_yield();
    }

    void set_yield() {
        if constexpr (!Throwing) {
            if (index_ < page_.items.size()) yielded_.emplace(page_.items[index_]);
            else yielded_.reset();
        }
    }

    void fail(error_info e) {
        page_.items.clear();
        index_ = 0;
        last_ = true;
#if CLOUDFLARE_HAS_EXCEPTIONS
        if constexpr (Throwing) throw_as_exception(e);
        else
#endif
            yielded_.emplace(std::move(e));
    }

    // FNV-1a over the page's item ids (each followed by a separator no id contains).
    static std::uint64_t fingerprint(const std::vector<item_type>& items) noexcept {
        std::uint64_t h = 0xcbf29ce484222325ull;
        auto mix = [&](unsigned char c) { h = (h ^ c) * 0x100000001b3ull; };
        for (const auto& item : items) {
            // Items without a string id are identified by their JSON (or are strings themselves).
            if constexpr (std::is_convertible_v<const item_type&, std::string_view>) {
                for (char c : std::string_view(item)) mix(static_cast<unsigned char>(c));
            } else if constexpr (requires { { item.id } -> std::convertible_to<const std::string&>; }) {
                for (char c : item.id) mix(static_cast<unsigned char>(c));
            } else if constexpr (std::is_same_v<item_type, raw_json>) {
                for (char c : boost::json::serialize(item.value())) mix(static_cast<unsigned char>(c));
            } else {
                for (char c : boost::json::serialize(item.raw.value())) mix(static_cast<unsigned char>(c));
            }
            mix(0);
        }
        return h;
    }

    std::string stuck(std::string_view what) const {
        return std::string(E::name).append(": paging stopped: ").append(what);
    }

    // A page whose items were all sent before, by item ids: an immediate repeat (A, A) or a
    // cycle (A, B, A, B) fails the range. 8 bytes per page, and at most max_pages pages.
    [[nodiscard]] bool fail_if_repeated() {
        if (seen_pages_.insert(fingerprint(page_.items)).second) return false;
        fail(error_info(error_kind::api_response_validation, stuck("the server returned a page it already sent")));
        return true;
    }

    // Fetches the next page (for cursors, the next page with items, or the last one).
    void load() {
        if constexpr (style == paging_style::cursor) {
            if (pages_ == 0 && params_.cursor) sent_cursors_.insert(*params_.cursor);
            // A page's items are yielded before a repeated cursor it carried fails the walk.
            auto repeated = [&] { fail(error_info(error_kind::api_response_validation, stuck("the server returned a cursor it already sent"))); };
            if (cursor_repeated_) return repeated();
            while (fetch()) {
                const auto& cursor = page_.result_info.cursor;
                last_ = !cursor || cursor->empty();
                if (!page_.items.empty() && fail_if_repeated()) return;
                if (!last_) {
                    cursor_repeated_ = !sent_cursors_.insert(*cursor).second;
                    params_.cursor = *cursor;
                }
                if (!page_.items.empty() || last_) return set_yield();
                if (cursor_repeated_) return repeated();
                // An empty page with a next cursor: the list goes on behind it.
            }
            return;
        } else {
            if (!fetch()) return;
            load_numbered();
        }
    }

    // One request: false (the walk failed) or the page in `page_`.
    bool fetch() {
        index_ = 0;
        page_.items.clear();
        if (++pages_ > max_pages) {
            fail(error_info(error_kind::api_response_validation, stuck("more than max_pages pages")));
            return false;
        }
        if constexpr (style == paging_style::page) params_.page = next_page_;
        auto r = std::apply([&](const auto&... pos) { return Core::template invoke<E>(core_, opts_, std::string_view(pos)..., params_); },
                            positional_);
        if (!r) {
            fail(std::move(r).error());
            return false;
        }
        page_ = std::move(*r);
        return true;
    }

    void load_numbered() {
        const auto& info = page_.result_info;
        if (page_.items.empty()) { last_ = true; return set_yield(); }
        if (info.page && *info.page != next_page_)
            return fail(error_info(error_kind::api_response_validation,
                                   stuck("asked for page " + std::to_string(next_page_) + ", got page " + std::to_string(*info.page))));
        if (fail_if_repeated()) return;
        seen_ += static_cast<std::int64_t>(page_.items.size());
        std::optional<std::int64_t> per_page = info.per_page;
        if constexpr (requires { params_.per_page; }) {
            if (!per_page && params_.per_page) per_page = static_cast<std::int64_t>(*params_.per_page);
        }
        last_ = (info.total_pages && next_page_ >= *info.total_pages) || (info.total_count && seen_ >= *info.total_count) ||
                (per_page && static_cast<std::int64_t>(page_.items.size()) < *per_page);
        ++next_page_;
        set_yield();
    }

    Core* core_;
    params_type params_;
    request_options opts_;
    std::array<std::string, positional_count> positional_;
    page_type page_;
    std::size_t index_ = 0;
    std::int64_t next_page_ = 1;
    std::int64_t pages_ = 0;
    std::int64_t seen_ = 0;
    bool started_ = false;
    bool last_ = false;
    std::unordered_set<std::uint64_t> seen_pages_;
    std::unordered_set<std::string> sent_cursors_; // cursor walks: every cursor sent (at most max_pages)
    bool cursor_repeated_ = false;                 // the last page's cursor was sent before
    std::optional<result<item_type>> yielded_;
};

} // namespace cloudflare
