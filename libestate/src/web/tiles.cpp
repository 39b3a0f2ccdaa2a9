#include "web/tiles.hpp"

#include "db/sqlite.hpp"
#include "estate/db/register.hpp"

#include <algorithm>
#include <cmath>

namespace estate::web {

std::array<double, 4> TileGrid::bounds(int z, std::int64_t x, std::int64_t y) {
    const double size = resolution0 / std::ldexp(1.0, z) * tile_pixels;
    return {origin_x + static_cast<double>(x) * size, origin_y - static_cast<double>(y + 1) * size,
            origin_x + static_cast<double>(x + 1) * size, origin_y - static_cast<double>(y) * size};
}

bool TileGrid::valid(int z, std::int64_t x, std::int64_t y) {
    if (z < 0 || z > max_zoom) return false;
    // The grid covers 1,138,375 m east and 1,376,256 m north at every zoom.
    const double size = resolution0 / std::ldexp(1.0, z) * tile_pixels;
    return x >= 0 && y >= 0 && static_cast<double>(x) * size < 1138375.0 && static_cast<double>(y) * size < 1376256.0;
}

namespace {

// Protocol Buffers, as much as MVT needs: varints, and length-delimited fields.
class Proto {
public:
    void varint(std::uint64_t v) {
        while (v >= 0x80) {
            out_ += static_cast<char>((v & 0x7f) | 0x80);
            v >>= 7;
        }
        out_ += static_cast<char>(v);
    }
    void key(int field, int wire_type) { varint(static_cast<std::uint64_t>(field << 3 | wire_type)); }
    void field_varint(int field, std::uint64_t v) {
        key(field, 0);
        varint(v);
    }
    void field_bytes(int field, const std::string& bytes) {
        key(field, 2);
        varint(bytes.size());
        out_ += bytes;
    }
    const std::string& bytes() const { return out_; }

private:
    std::string out_;
};

std::uint32_t zigzag(std::int32_t v) {
    return (static_cast<std::uint32_t>(v) << 1) ^ static_cast<std::uint32_t>(v >> 31);
}

constexpr int tile_extent = 4096;     // MVT coordinates across a tile
constexpr int thinning_cells = 42;    // a cell of six pixels (a dot at coarse zooms), one point per status in each
constexpr double index_cell_m = 1000; // the in-memory grid's cells
// Coloured statuses above unassessed, as in the QGIS style.
constexpr model::Rag draw_order[] = {model::Rag::unassessed, model::Rag::green, model::Rag::amber, model::Rag::red};

// One read transaction: the points and the counts they are compared with later come
// from the same state of the register.
class ReadSnapshot {
public:
    explicit ReadSnapshot(db::Connection& c) : c_(c) { c_.exec("BEGIN"); }
    ~ReadSnapshot() {
        try {
            c_.exec("COMMIT");
        } catch (...) { // nothing was written; the next BEGIN starts afresh
        }
    }
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

private:
    db::Connection& c_;
};

} // namespace

void TileCache::load_all(db::Register& reg) {
    auto& c = reg.connection();
    ReadSnapshot snapshot(c);
    std::vector<Point> points;
    auto st = c.prepare("SELECT id, X(geom), Y(geom), rag_status FROM properties "
                        "WHERE retired_at IS NULL AND geom IS NOT NULL");
    while (st.step())
        points.push_back(
            {st.real(1), st.real(2), st.int64(0), model::rag_of(st.view(3)).value_or(model::Rag::unassessed)});
    last_history_ = c.scalar_int("SELECT max(id) FROM rag_history").value_or(0);
    last_batch_ = c.scalar_int("SELECT max(id) FROM import_batches").value_or(0);
    row_count_ = c.scalar_int("SELECT count(*) FROM properties").value_or(0);
    max_id_ = c.scalar_int("SELECT max(id) FROM properties").value_or(0);
    std::unique_lock<std::shared_mutex> lock(points_mutex_);
    points_ = std::move(points);
    index();
}

// Sorts the points by cell of a 1 km grid over their extent, so a tile reads only the
// cells it overlaps.
void TileCache::index() {
    if (points_.empty()) {
        columns_ = rows_ = 0;
        cell_start_.assign(1, 0);
        return;
    }
    min_x_ = max_x_ = points_[0].x;
    min_y_ = max_y_ = points_[0].y;
    for (const auto& p : points_) {
        min_x_ = std::min(min_x_, p.x);
        min_y_ = std::min(min_y_, p.y);
        max_x_ = std::max(max_x_, p.x);
        max_y_ = std::max(max_y_, p.y);
    }
    columns_ = static_cast<std::int64_t>((max_x_ - min_x_) / index_cell_m) + 1;
    rows_ = static_cast<std::int64_t>((max_y_ - min_y_) / index_cell_m) + 1;
    auto cell_of = [&](const Point& p) {
        return static_cast<std::int64_t>((p.y - min_y_) / index_cell_m) * columns_ +
               static_cast<std::int64_t>((p.x - min_x_) / index_cell_m);
    };
    std::sort(points_.begin(), points_.end(), [&](const Point& a, const Point& b) { return cell_of(a) < cell_of(b); });
    cell_start_.assign(static_cast<size_t>(columns_ * rows_ + 1), 0);
    for (const auto& p : points_) ++cell_start_[static_cast<size_t>(cell_of(p) + 1)];
    for (size_t i = 1; i < cell_start_.size(); ++i) cell_start_[i] += cell_start_[i - 1];
}

void TileCache::refresh() {
    std::lock_guard<std::mutex> lock(refresh_mutex_);
    try {
        refresh_locked();
    } catch (const std::exception&) {
        // A connection that met an I/O error or a damaged page is not trusted again: the
        // next request opens the register afresh instead of failing for ever.
        watch_.reset();
        throw;
    }
}

void TileCache::refresh_locked() {
    if (!watch_) {
        watch_.emplace(db::Register::open(path_, true));
        data_version_ = watch_->connection().scalar_int("PRAGMA data_version");
        load_all(*watch_);
        return;
    }
    // Anything written since the last look? (Cheap: SQLite keeps the count in hand.)
    auto& c = watch_->connection();
    const auto version = c.scalar_int("PRAGMA data_version");
    if (version == data_version_) return;
    data_version_ = version;
    std::unordered_map<std::int64_t, model::Rag> changes; // the latest status of each
    bool rows_changed = false;
    {
        ReadSnapshot snapshot(c);
        rows_changed = c.scalar_int("SELECT max(id) FROM import_batches").value_or(0) != last_batch_ ||
                       c.scalar_int("SELECT count(*) FROM properties").value_or(0) != row_count_ ||
                       c.scalar_int("SELECT max(id) FROM properties").value_or(0) != max_id_;
        if (!rows_changed) {
            auto st = c.prepare("SELECT h.id, h.property_id, p.rag_status FROM rag_history h JOIN properties p "
                                "ON p.id = h.property_id WHERE h.id > ? ORDER BY h.id");
            st.bind(1, last_history_);
            while (st.step()) {
                last_history_ = st.int64(0);
                changes[st.int64(1)] = model::rag_of(st.view(2)).value_or(model::Rag::unassessed);
            }
        }
    }
    if (rows_changed)
        load_all(*watch_); // an import, or rows added or deleted by hand
    else if (!changes.empty())
        statuses_changed(changes);
}

void TileCache::statuses_changed(const std::unordered_map<std::int64_t, model::Rag>& changed) {
    std::unique_lock<std::shared_mutex> lock(points_mutex_);
    for (auto& p : points_)
        if (auto it = changed.find(p.id); it != changed.end()) p.status = it->second;
}

std::pair<std::optional<std::array<double, 4>>, std::int64_t> TileCache::extent() {
    refresh();
    std::shared_lock<std::shared_mutex> lock(points_mutex_);
    if (points_.empty()) return {std::nullopt, 0};
    return {std::array<double, 4>{min_x_, min_y_, max_x_, max_y_}, static_cast<std::int64_t>(points_.size())};
}

std::string TileCache::tile(int z, std::int64_t x, std::int64_t y) {
    refresh();
    const auto b = TileGrid::bounds(z, x, y);
    const double scale = tile_extent / (b[2] - b[0]);
    // Which point of each status is kept in each thinning cell (index + 1; 0: none).
    std::vector<std::array<std::uint32_t, 4>> kept(static_cast<size_t>(thinning_cells * thinning_cells),
                                                   std::array<std::uint32_t, 4>{});
    std::shared_lock<std::shared_mutex> lock(points_mutex_);
    if (columns_ > 0) {
        auto column = [&](double e) {
            return std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor((e - min_x_) / index_cell_m)), 0,
                                            columns_ - 1);
        };
        auto row = [&](double n) {
            return std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor((n - min_y_) / index_cell_m)), 0,
                                            rows_ - 1);
        };
        const bool overlaps = b[2] >= min_x_ && b[0] <= min_x_ + static_cast<double>(columns_) * index_cell_m &&
                              b[3] >= min_y_ && b[1] <= min_y_ + static_cast<double>(rows_) * index_cell_m;
        if (overlaps)
            for (std::int64_t r = row(b[1]); r <= row(b[3]); ++r)
                for (std::int64_t col = column(b[0]); col <= column(b[2]); ++col) {
                    const auto cell = static_cast<size_t>(r * columns_ + col);
                    for (std::uint32_t i = cell_start_[cell]; i < cell_start_[cell + 1]; ++i) {
                        const Point& p = points_[i];
                        // Half-open, so a point on an edge is in one tile only.
                        if (p.x < b[0] || p.x >= b[2] || p.y <= b[1] || p.y > b[3]) continue;
                        const auto cx = std::min<std::int64_t>(static_cast<std::int64_t>((p.x - b[0]) * scale) *
                                                                   thinning_cells / tile_extent,
                                                               thinning_cells - 1);
                        const auto cy = std::min<std::int64_t>(static_cast<std::int64_t>((b[3] - p.y) * scale) *
                                                                   thinning_cells / tile_extent,
                                                               thinning_cells - 1);
                        auto& slot = kept[static_cast<size_t>(cy * thinning_cells + cx)][static_cast<size_t>(p.status)];
                        if (slot == 0) slot = i + 1;
                    }
                }
    }
    // One layer: keys ["status"], values the four codes; features unassessed first.
    Proto layer;
    layer.field_varint(15, 2);
    layer.field_bytes(1, "properties");
    for (model::Rag status : draw_order)
        for (const auto& cell : kept) {
            const std::uint32_t k = cell[static_cast<size_t>(status)];
            if (k == 0) continue;
            // Grey beneath a coloured dot in the same cell would not be seen.
            if (status == model::Rag::unassessed && (cell[0] || cell[1] || cell[2])) continue;
            const Point& p = points_[k - 1];
            Proto feature;
            feature.field_varint(1, static_cast<std::uint64_t>(p.id));
            Proto tags;
            tags.varint(0);
            tags.varint(static_cast<std::uint64_t>(status));
            feature.field_bytes(2, tags.bytes());
            feature.field_varint(3, 1); // POINT
            Proto geometry;
            geometry.varint(9); // MoveTo, one point
            geometry.varint(zigzag(static_cast<std::int32_t>(std::lround((p.x - b[0]) * scale))));
            geometry.varint(zigzag(static_cast<std::int32_t>(std::lround((b[3] - p.y) * scale))));
            feature.field_bytes(4, geometry.bytes());
            layer.field_bytes(2, feature.bytes());
        }
    layer.field_bytes(3, "status");
    for (model::Rag status : {model::Rag::red, model::Rag::amber, model::Rag::green, model::Rag::unassessed}) {
        Proto value;
        value.field_bytes(1, std::string(model::code_of(status)));
        layer.field_bytes(4, value.bytes());
    }
    layer.field_varint(5, tile_extent);
    Proto tile;
    tile.field_bytes(3, layer.bytes());
    return tile.bytes();
}

} // namespace estate::web
