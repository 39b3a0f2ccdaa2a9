#pragma once
// Private: building a SQLite R*Tree in one pass. Inserting entries one by one
// costs about 6 us each (two indexes: 12 s per million properties); writing a
// packed tree straight into the R*Tree's shadow tables (%_node, %_rowid,
// %_parent, whose format is fixed by SQLite's rtree module) takes a fraction of
// that. The same idea as GDAL's bulk loader for GeoPackage spatial indexes.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace estate::db {
class Connection;

/// One entry: the row's id and its bounding box.
struct RtreeEntry {
    std::int64_t id;
    double min_x, max_x, min_y, max_y;
};

/// A packed tree, computed without the database (so that it can be built on another
/// thread while the connection does other work) and written by write_rtree().
struct PackedRtree {
    int node_size = 0;
    std::vector<unsigned char> nodes; ///< node n's blob at [(n - 1) * node_size, n * node_size)
    std::vector<std::pair<std::int64_t, std::int64_t>> parents; ///< (node, its parent node)
    std::vector<std::pair<std::int64_t, std::int64_t>> leaves;  ///< (row id, its leaf node), by row id
};

/// The node size of the R*Tree @p rtree, fixed when the table was created.
int rtree_node_size(Connection& conn, const std::string& rtree);

/// Packs @p entries (reordered in place) in Hilbert order into nodes of @p node_size bytes.
PackedRtree pack_rtree(std::vector<RtreeEntry>& entries, int node_size);

/// Replaces the whole content of the 2-D R*Tree virtual table @p rtree with @p tree.
/// Must run inside a transaction; the result passes SQLite's rtreecheck().
void write_rtree(Connection& conn, const std::string& rtree, const PackedRtree& tree);

/// pack_rtree() and write_rtree() in one.
void bulk_load_rtree(Connection& conn, const std::string& rtree, std::vector<RtreeEntry>& entries);

} // namespace estate::db
