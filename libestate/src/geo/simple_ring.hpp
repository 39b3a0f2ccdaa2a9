#pragma once
// Private: the fast path for the footprint nearly every source gives, a polygon of
// one ring with no holes. Reading it as WKT or WKB, deciding that it is certainly
// valid, and writing it as the register's MultiPolygon WKB take a fraction of a
// GEOS round trip (which was a third of an import's checking work). Anything the
// fast path is not sure of - a hole, a second polygon, a touching or collinear
// edge, an orientation too close to call in floating point, a spelling it does not
// read - goes to GEOS, which decides exactly as before: the fast path only ever
// answers "certainly valid" or "ask GEOS".

#include <cstddef>
#include <string_view>
#include <vector>

namespace estate::geo::simple_ring {

/// The largest ring taken by the fast path (its self-intersection test is quadratic).
inline constexpr std::size_t max_points = 256;

/// Reads "POLYGON((x y, ...))" or "MULTIPOLYGON(((x y, ...)))" (any case, any white
/// space) holding exactly one 2-D ring of at most max_points points into @p xy
/// (x0, y0, x1, y1, ...). False for anything else.
bool read_wkt(std::string_view wkt, std::vector<double>& xy);

/// The same for ISO/OGC WKB (either byte order) of a Polygon or a MultiPolygon of
/// one polygon with one 2-D ring.
bool read_wkb(const unsigned char* wkb, std::size_t size, std::vector<double>& xy);

/// True only when the ring is certainly a valid polygon shell in GEOS's sense:
/// finite, closed, at least 4 points, no repeated point, no two edges meeting
/// except neighbours at their shared vertex (and those not folding back on each
/// other). Each orientation test is trusted only beyond its floating-point error
/// bound (Shewchuk's orient2d filter), so "true" is exact; "false" means "not sure".
bool certainly_valid(const std::vector<double>& xy);

/// The ring as MultiPolygon WKB, little-endian, byte for byte what GEOS's WKB
/// writer makes of the same polygon.
void write_multipolygon_wkb(const std::vector<double>& xy, std::vector<unsigned char>& out);

} // namespace estate::geo::simple_ring
