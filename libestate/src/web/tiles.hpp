#pragma once
// The map's properties as Mapbox Vector Tiles (MVT 2.1) in British National Grid, so a
// register of a million properties draws in a browser: each tile holds only the
// properties inside it, thinned to one per status in each six-pixel cell, and no unassessed
// one where a coloured one is (the rest would be drawn beneath: the page's dots are six
// pixels across or more). Private to libestate.
//
// The points are held in memory (a few tens of bytes each), read once and kept in step
// with the register: a status change (from this server, the command line or QGIS)
// reaches the next tile through the history; an import, or rows added or removed,
// reads them again.

#include "estate/db/register.hpp"
#include "estate/model/property.hpp"

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace estate::web {

/// The tile grid the page and the server share (docs/api.md): British National Grid,
/// tiles of 256 pixels from the top-left corner (-238375, 1376256), 896 metres a pixel at
/// zoom 0, halving at each zoom to 14.
struct TileGrid {
    static constexpr double origin_x = -238375.0, origin_y = 1376256.0;
    static constexpr double resolution0 = 896.0;
    static constexpr int tile_pixels = 256;
    static constexpr int max_zoom = 14;
    /// The tile's min easting, min northing, max easting, max northing.
    static std::array<double, 4> bounds(int z, std::int64_t x, std::int64_t y);
    /// Whether (z, x, y) is a tile of the grid.
    static bool valid(int z, std::int64_t x, std::int64_t y);
};

class TileCache {
public:
    explicit TileCache(std::string register_path) : path_(std::move(register_path)) {}
    /// Tile (z, x, y) as MVT bytes: one layer "properties", each feature a point with the
    /// property's id and its "status". Brings the points up to date with the register first.
    std::string tile(int z, std::int64_t x, std::int64_t y);
    /// The located properties' extent (min easting, min northing, max easting, max
    /// northing) and how many there are; no extent when none is located.
    std::pair<std::optional<std::array<double, 4>>, std::int64_t> extent();

private:
    struct Point {
        double x, y;
        std::int64_t id;
        model::Rag status;
    };
    void refresh();
    void refresh_locked();
    void statuses_changed(const std::unordered_map<std::int64_t, model::Rag>& changed);
    void load_all(db::Register& reg);
    void index();
    std::string path_;
    std::mutex refresh_mutex_;
    std::shared_mutex points_mutex_;
    std::vector<Point> points_;             // sorted by grid cell
    std::vector<std::uint32_t> cell_start_; // points of cell c: [cell_start_[c], cell_start_[c+1])
    double min_x_ = 0, min_y_ = 0, max_x_ = 0, max_y_ = 0;
    std::int64_t columns_ = 0, rows_ = 0;
    std::optional<db::Register> watch_; // held open: its data_version moves when anyone else writes
    // What the points were read at: the register's history, imports and rows.
    std::int64_t last_history_ = 0, last_batch_ = 0, row_count_ = 0, max_id_ = 0;
    std::optional<std::int64_t> data_version_;
};

} // namespace estate::web
