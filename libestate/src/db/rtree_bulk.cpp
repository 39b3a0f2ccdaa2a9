#include "db/rtree_bulk.hpp"

#include "db/sqlite.hpp"
#include "estate/error.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace estate::db {
namespace {

// SQLite's rtree never puts more than this many cells in a node (RTREE_MAXCELLS).
constexpr int max_cells = 51;
constexpr int cell_bytes = 8 + 4 * 4; // rowid + four 32-bit floats

// The rtree stores 32-bit floats rounded outwards so a box always contains the
// exact one (as rtreeValueDown / rtreeValueUp do).
float round_down(double d) {
    float f = static_cast<float>(d);
    if (static_cast<double>(f) > d) f = std::nextafter(f, -std::numeric_limits<float>::infinity());
    return f;
}
float round_up(double d) {
    float f = static_cast<float>(d);
    if (static_cast<double>(f) < d) f = std::nextafter(f, std::numeric_limits<float>::infinity());
    return f;
}

void put_u16(unsigned char* p, unsigned v) {
    p[0] = static_cast<unsigned char>(v >> 8);
    p[1] = static_cast<unsigned char>(v);
}
void put_i64(unsigned char* p, std::int64_t v) {
    auto u = static_cast<std::uint64_t>(v);
    for (int i = 0; i < 8; ++i) p[i] = static_cast<unsigned char>(u >> (56 - 8 * i));
}
void put_f32(unsigned char* p, float f) {
    std::uint32_t u;
    std::memcpy(&u, &f, 4);
    for (int i = 0; i < 4; ++i) p[i] = static_cast<unsigned char>(u >> (24 - 8 * i));
}

// Position along a Hilbert curve of order 16 (Hacker's Delight / Wikipedia xy2d).
std::uint64_t hilbert(std::uint32_t x, std::uint32_t y) {
    std::uint64_t d = 0;
    for (std::uint32_t s = 1u << 15; s > 0; s >>= 1) {
        std::uint32_t rx = (x & s) ? 1 : 0, ry = (y & s) ? 1 : 0;
        d += static_cast<std::uint64_t>(s) * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                x = s - 1 - x;
                y = s - 1 - y;
            }
            std::swap(x, y);
        }
    }
    return d;
}

// A node being built: its cells as (child id or row id, rounded box).
struct Cell {
    std::int64_t id;
    float min_x, max_x, min_y, max_y;
};

} // namespace

int rtree_node_size(Connection& conn, const std::string& rtree) {
    // Node 1 (the root) always exists.
    auto size = conn.scalar_int("SELECT length(data) FROM \"" + rtree + "_node\" WHERE nodeno = 1");
    if (!size || *size < 4 + cell_bytes)
        throw database_error("register " + conn.path() + ": spatial index " + rtree +
                             " has no root node; recreate it with CreateSpatialIndex()");
    return static_cast<int>(*size);
}

PackedRtree pack_rtree(std::vector<RtreeEntry>& entries, int node_size) {
    const int capacity = std::min(max_cells, (node_size - 4) / cell_bytes);

    // Hilbert order of the boxes' centres keeps each node's boxes close together.
    double lo_x = std::numeric_limits<double>::infinity(), lo_y = lo_x, hi_x = -lo_x, hi_y = -lo_x;
    for (const auto& e : entries) {
        lo_x = std::min(lo_x, e.min_x);
        lo_y = std::min(lo_y, e.min_y);
        hi_x = std::max(hi_x, e.max_x);
        hi_y = std::max(hi_y, e.max_y);
    }
    double sx = hi_x > lo_x ? 65535.0 / (hi_x - lo_x) : 0, sy = hi_y > lo_y ? 65535.0 / (hi_y - lo_y) : 0;
    std::vector<std::pair<std::uint64_t, size_t>> order(entries.size());
    for (size_t i = 0; i < entries.size(); ++i) {
        const auto& e = entries[i];
        auto cx = static_cast<std::uint32_t>(((e.min_x + e.max_x) / 2 - lo_x) * sx);
        auto cy = static_cast<std::uint32_t>(((e.min_y + e.max_y) / 2 - lo_y) * sy);
        order[i] = {hilbert(cx, cy), i};
    }
    std::sort(order.begin(), order.end());

    std::vector<Cell> level;
    level.reserve(entries.size());
    for (const auto& [key, i] : order) {
        const auto& e = entries[i];
        level.push_back({e.id, round_down(e.min_x), round_up(e.max_x), round_down(e.min_y), round_up(e.max_y)});
    }

    // Number the nodes top-down so the root is node 1: count the nodes per level first.
    std::vector<size_t> nodes_per_level; // leaves first
    for (size_t n = level.size();;) {
        size_t nodes = std::max<size_t>(1, (n + static_cast<size_t>(capacity) - 1) / static_cast<size_t>(capacity));
        nodes_per_level.push_back(nodes);
        if (nodes == 1) break;
        n = nodes;
    }
    const int depth = static_cast<int>(nodes_per_level.size()) - 1;
    std::vector<std::int64_t> first_node(nodes_per_level.size());
    std::int64_t next = 1;
    for (int l = depth; l >= 0; --l) {
        first_node[static_cast<size_t>(l)] = next;
        next += static_cast<std::int64_t>(nodes_per_level[static_cast<size_t>(l)]);
    }

    PackedRtree tree;
    tree.node_size = node_size;
    tree.nodes.assign(static_cast<size_t>(next - 1) * static_cast<size_t>(node_size), 0);
    tree.leaves.reserve(level.size());
    for (int l = 0; l <= depth; ++l) {
        std::vector<Cell> parents;
        const size_t count = nodes_per_level[static_cast<size_t>(l)];
        for (size_t n = 0; n < count; ++n) {
            const std::int64_t nodeno = first_node[static_cast<size_t>(l)] + static_cast<std::int64_t>(n);
            const size_t begin = n * static_cast<size_t>(capacity);
            const size_t end = std::min(level.size(), begin + static_cast<size_t>(capacity));
            unsigned char* blob = tree.nodes.data() + static_cast<size_t>(nodeno - 1) * static_cast<size_t>(node_size);
            put_u16(blob, nodeno == 1 ? static_cast<unsigned>(depth) : 0);
            put_u16(blob + 2, static_cast<unsigned>(end - begin));
            Cell box{nodeno, std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                     std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()};
            for (size_t c = begin; c < end; ++c) {
                const Cell& cell = level[c];
                unsigned char* p = blob + 4 + (c - begin) * cell_bytes;
                put_i64(p, cell.id);
                put_f32(p + 8, cell.min_x);
                put_f32(p + 12, cell.max_x);
                put_f32(p + 16, cell.min_y);
                put_f32(p + 20, cell.max_y);
                box.min_x = std::min(box.min_x, cell.min_x);
                box.max_x = std::max(box.max_x, cell.max_x);
                box.min_y = std::min(box.min_y, cell.min_y);
                box.max_y = std::max(box.max_y, cell.max_y);
                if (l == 0)
                    tree.leaves.emplace_back(cell.id, nodeno);
                else
                    tree.parents.emplace_back(cell.id, nodeno);
            }
            parents.push_back(box);
        }
        level = std::move(parents);
    }
    // Written in row id order: appending to the %_rowid b-tree is far cheaper than
    // inserting in Hilbert order.
    std::sort(tree.leaves.begin(), tree.leaves.end());
    return tree;
}

void write_rtree(Connection& conn, const std::string& rtree, const PackedRtree& tree) {
    const std::string q = "\"" + rtree;
    conn.exec("DELETE FROM " + q + "_node\"; DELETE FROM " + q + "_rowid\"; DELETE FROM " + q + "_parent\"");
    Statement put_node(conn, "INSERT INTO " + q + "_node\"(nodeno, data) VALUES (?, ?)");
    Statement put_rowid(conn, "INSERT INTO " + q + "_rowid\"(rowid, nodeno) VALUES (?, ?)");
    Statement put_parent(conn, "INSERT INTO " + q + "_parent\"(nodeno, parentnode) VALUES (?, ?)");
    const auto size = static_cast<size_t>(tree.node_size);
    std::vector<unsigned char> blob(size);
    for (size_t n = 0; n * size < tree.nodes.size(); ++n) {
        blob.assign(tree.nodes.begin() + static_cast<std::ptrdiff_t>(n * size),
                    tree.nodes.begin() + static_cast<std::ptrdiff_t>((n + 1) * size));
        put_node.bind(1, static_cast<std::int64_t>(n + 1)).bind_blob(2, blob).run();
    }
    for (const auto& [node, parent] : tree.parents) put_parent.bind(1, node).bind(2, parent).run();
    for (const auto& [row, leaf] : tree.leaves) put_rowid.bind(1, row).bind(2, leaf).run();
}

void bulk_load_rtree(Connection& conn, const std::string& rtree, std::vector<RtreeEntry>& entries) {
    write_rtree(conn, rtree, pack_rtree(entries, rtree_node_size(conn, rtree)));
}

} // namespace estate::db
