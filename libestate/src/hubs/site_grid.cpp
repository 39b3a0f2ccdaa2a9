#include "site_grid.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

namespace estate::hubs {
namespace {

// Stable LSD radix sort of @p order by @p keys (11-bit digits, only as many passes as
// the largest key needs): the grid is built for a million sites in a few
// milliseconds, where a comparison sort took a tenth of a second.
void radix_sort(std::vector<std::uint64_t>& keys, std::vector<std::uint32_t>& order) {
    const std::uint64_t largest = keys.empty() ? 0 : *std::max_element(keys.begin(), keys.end());
    constexpr int digit_bits = 11;
    constexpr size_t buckets = size_t{1} << digit_bits;
    std::vector<std::uint64_t> keys_tmp(keys.size());
    std::vector<std::uint32_t> order_tmp(order.size());
    for (int shift = 0; shift < 64 && (largest >> shift) != 0; shift += digit_bits) {
        std::vector<size_t> start(buckets + 1, 0);
        for (std::uint64_t k : keys) ++start[((k >> shift) & (buckets - 1)) + 1];
        std::partial_sum(start.begin(), start.end(), start.begin());
        for (size_t i = 0; i < keys.size(); ++i) {
            size_t& at = start[(keys[i] >> shift) & (buckets - 1)];
            keys_tmp[at] = keys[i];
            order_tmp[at] = order[i];
            ++at;
        }
        keys.swap(keys_tmp);
        order.swap(order_tmp);
    }
}

} // namespace

namespace {
std::vector<std::uint32_t> all_of(size_t n) {
    std::vector<std::uint32_t> v(n);
    std::iota(v.begin(), v.end(), 0);
    return v;
}
} // namespace

SiteGrid::SiteGrid(const std::vector<Site>& sites, double cell) : SiteGrid(sites, all_of(sites.size()), cell) {}

SiteGrid::SiteGrid(const std::vector<Site>& sites, std::vector<std::uint32_t> subset, double cell)
    : cell_(std::max(cell, 1.0)), order_(std::move(subset)) {
    const size_t n = order_.size();
    if (n == 0) return;
    // Each site's cell, worked out once.
    std::vector<std::int64_t> cx(n), cy(n);
    for (size_t k = 0; k < n; ++k) {
        const Site& s = sites[order_[k]];
        widest_ = std::max(widest_, s.max_x - s.min_x);
        tallest_ = std::max(tallest_, s.max_y - s.min_y);
        cx[k] = cell_of(s.min_x);
        cy[k] = cell_of(s.min_y);
    }
    const auto [min_cx, max_cx] = std::minmax_element(cx.begin(), cx.end());
    const auto [min_cy, max_cy] = std::minmax_element(cy.begin(), cy.end());
    const std::uint64_t span_x = static_cast<std::uint64_t>(*max_cx - *min_cx) + 1;
    const std::uint64_t span_y = static_cast<std::uint64_t>(*max_cy - *min_cy) + 1;
    // Sorted by cell, (cx, cy) order; `at` follows order_ to each site's slot in cx, cy.
    std::vector<std::uint32_t> at(n);
    std::iota(at.begin(), at.end(), 0);
    if (span_x <= std::numeric_limits<std::uint64_t>::max() / span_y) {
        // One dense key per cell.
        std::vector<std::uint64_t> keys(n);
        for (size_t k = 0; k < n; ++k)
            keys[k] =
                static_cast<std::uint64_t>(cx[k] - *min_cx) * span_y + static_cast<std::uint64_t>(cy[k] - *min_cy);
        radix_sort(keys, at);
    } else { // coordinates too far apart for one key (not on any real grid)
        std::stable_sort(at.begin(), at.end(), [&](std::uint32_t a, std::uint32_t b) {
            return std::pair(cx[a], cy[a]) < std::pair(cx[b], cy[b]);
        });
    }
    std::vector<std::uint32_t> sorted(n);
    for (size_t p = 0; p < n; ++p) sorted[p] = order_[at[p]];
    order_.swap(sorted);
    for (size_t p = 0; p < n;) {
        const std::int64_t x = cx[at[p]], y = cy[at[p]];
        size_t e = p + 1;
        while (e < n && cx[at[e]] == x && cy[at[e]] == y) ++e;
        cells_.push_back({x, y, static_cast<std::uint32_t>(p), static_cast<std::uint32_t>(e)});
        p = e;
    }
}

size_t SiteGrid::lower_bound(std::int64_t cx, std::int64_t cy) const {
    return static_cast<size_t>(std::lower_bound(cells_.begin(), cells_.end(), std::pair(cx, cy),
                                                [](const Cell& c, const std::pair<std::int64_t, std::int64_t>& v) {
                                                    return std::pair(c.cx, c.cy) < v;
                                                }) -
                               cells_.begin());
}

} // namespace estate::hubs
