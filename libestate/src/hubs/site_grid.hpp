#pragma once
// A uniform grid over sites for proximity queries, shared by clusters and hubs.
// Each site is filed under the cell of its envelope's lower-left corner; a site's
// partners within a distance can only be filed in the cells its envelope, grown by
// that distance and by the widest envelope, touches.

#include "estate/hubs/sites.hpp"

#include <cmath>
#include <cstdint>
#include <vector>

namespace estate::hubs {

class SiteGrid {
public:
    struct Cell {
        std::int64_t cx, cy;
        std::uint32_t begin, end; ///< positions in order()
    };

    /// Cells of @p cell metres (at least 1) over all @p sites.
    SiteGrid(const std::vector<Site>& sites, double cell);
    /// The same over the sites whose indices are in @p subset only.
    SiteGrid(const std::vector<Site>& sites, std::vector<std::uint32_t> subset, double cell);

    /// Occupied cells in (cx, cy) order.
    const std::vector<Cell>& cells() const { return cells_; }
    /// Site indices, grouped by cell in cells() order.
    const std::vector<std::uint32_t>& order() const { return order_; }
    /// How many cells a search for partners within @p distance reaches on either side.
    std::int64_t reach_x(double distance) const {
        return static_cast<std::int64_t>(std::ceil((distance + widest_) / cell_));
    }
    std::int64_t reach_y(double distance) const {
        return static_cast<std::int64_t>(std::ceil((distance + tallest_) / cell_));
    }
    /// The first occupied cell at or after (cx, cy) in cells() order, or cells().size().
    size_t lower_bound(std::int64_t cx, std::int64_t cy) const;

    /// Calls @p f(index) for every site whose envelope may lie within @p distance of
    /// @p s's envelope (a superset: the caller applies the exact test), @p s itself included.
    template <class F>
    void for_each_near(const Site& s, double distance, F&& f) const {
        if (cells_.empty()) return;
        const std::int64_t x0 = cell_of(s.min_x - distance - widest_), x1 = cell_of(s.max_x + distance);
        const std::int64_t y0 = cell_of(s.min_y - distance - tallest_), y1 = cell_of(s.max_y + distance);
        for (std::int64_t cx = x0; cx <= x1; ++cx)
            for (size_t k = lower_bound(cx, y0); k < cells_.size() && cells_[k].cx == cx && cells_[k].cy <= y1; ++k)
                for (std::uint32_t p = cells_[k].begin; p < cells_[k].end; ++p) f(order_[p]);
    }

    std::int64_t cell_of(double v) const { return static_cast<std::int64_t>(std::floor(v / cell_)); }

private:
    double cell_;
    double widest_ = 0, tallest_ = 0;
    std::vector<Cell> cells_;
    std::vector<std::uint32_t> order_;
};

} // namespace estate::hubs
