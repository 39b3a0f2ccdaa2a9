#pragma once
/// @file
/// Footprint and boundary geometry with GEOS: reading, reprojecting, validating and
/// repairing polygons, and point-in-polygon tests. Bad geometry is a value (a
/// Footprint with a problem), not an exception.

#include "estate/geo/crs.hpp"
#include "estate/model/property.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace estate::geo {

/// A footprint ready for the register: MultiPolygon WKB in EPSG:27700.
struct Footprint {
    std::vector<unsigned char> wkb;    ///< empty when there is a problem
    model::GridPoint point_on_surface; ///< a point guaranteed inside the footprint (when asked for)
    bool repaired = false;             ///< it was invalid and GEOS made it valid
    /// More vertices than a building's outline has (max_footprint_vertices): the count,
    /// and the footprint kept is the outline's convex hull.
    std::optional<int> hull_of_vertices;
    std::optional<std::string> problem; ///< why it could not be used
    std::string problem_reason;         ///< reject reason code with the problem
};

/// The most vertices a footprint is kept with. Building outlines have tens, a large
/// site's a few thousand; beyond this an outline costs minutes and gigabytes to check and
/// repair, so its convex hull is kept instead (in bounded time), with a warning.
constexpr int max_footprint_vertices = 20000;

/// An axis-aligned bounding box.
struct Envelope {
    double min_x, max_x, min_y, max_y;
};

/// The envelope of little- or big-endian (ISO) WKB of any 2-D geometry, read
/// straight from the bytes; nullopt for empty or malformed WKB.
std::optional<Envelope> wkb_envelope(const std::vector<unsigned char>& wkb);

/// Whether (@p x, @p y) lies inside the polygons of @p wkb (a Polygon or MultiPolygon,
/// either byte order), by the even-odd rule over every ring, read straight from the
/// bytes: no GEOS, no allocation. nullopt for another type or malformed WKB. A point
/// on an edge may come out either way.
std::optional<bool> wkb_polygon_contains(const std::vector<unsigned char>& wkb, double x, double y);

/// @p wkb (2-D, either byte order) as a SpatiaLite geometry BLOB with @p srid, into
/// @p out (its memory reused): the bytes SpatiaLite itself stores (checked against it
/// in tests), made without a round trip through SpatiaLite's SQL functions. False, and
/// @p out empty, for malformed or non-2-D WKB. The geometry's envelope (which the
/// BLOB carries) also goes to @p envelope when given.
bool spatialite_blob(const std::vector<unsigned char>& wkb, int srid, std::vector<unsigned char>& out,
                     Envelope* envelope = nullptr);
/// A SpatiaLite POINT BLOB, into @p out.
void spatialite_point_blob(double x, double y, int srid, std::vector<unsigned char>& out);

/// A geometry read from a source, as a point or as a polygonal footprint.
enum class GeometryKind { empty, point, polygonal, other };

/// What kind of geometry WKB holds, read from its header (no GEOS needed).
GeometryKind wkb_kind(const std::vector<unsigned char>& wkb);

/// The first coordinate (x, y) a WKB geometry holds: what tells the CRS of a geometry
/// whose source names none. nullopt when it holds none or cannot be read.
std::optional<std::pair<double, double>> first_coordinate(const std::vector<unsigned char>& wkb);
/// The same for WKT text: its first two numbers.
std::optional<std::pair<double, double>> first_coordinate_of_wkt(std::string_view wkt);

/// PostGIS's extended WKT, "SRID=27700;POLYGON((...))": the SRID when written, and
/// the plain WKT after it (all of @p text when no SRID is written).
struct Ewkt {
    std::optional<int> srid;
    std::string_view wkt;
};
Ewkt split_ewkt(std::string_view text);

/// One GEOS context and its readers/writers. Not thread-safe: one per thread.
class GeometryEngine {
public:
    GeometryEngine();
    ~GeometryEngine();
    GeometryEngine(const GeometryEngine&) = delete;
    GeometryEngine& operator=(const GeometryEngine&) = delete;

    /// The first point of a (multi)point WKB, in the source CRS.
    std::optional<model::GridPoint> point_of_wkb(const unsigned char* wkb, size_t size);
    /// WKT text as ISO WKB, into @p out; false when GEOS cannot read it.
    bool wkb_of_wkt(std::string_view wkt, std::vector<unsigned char>& out);

    /// Reads a polygon or multipolygon (WKB or WKT), transforms it to EPSG:27700, and
    /// validates it. An invalid footprint is repaired with GEOSMakeValid and flagged;
    /// one that cannot be repaired to an area is refused. The point on its surface is
    /// placed only when @p need_point (a row with no other location).
    ///
    /// A polygon of one ring goes by a fast path (private simple_ring.hpp) that gives
    /// exactly GEOS's answer whenever it answers; everything else goes through GEOS.
    Footprint footprint_from_wkb(const unsigned char* wkb, size_t size, const ToGrid& to_grid, bool need_point = true);
    Footprint footprint_from_wkt(std::string_view wkt, const ToGrid& to_grid, bool need_point = true);
    /// Off: every footprint goes through GEOS (for tests that compare the two paths).
    void use_fast_path(bool on) { fast_path_ = on; }

    /// The outline around a group of places (e.g. a hub): the convex hull of the
    /// points and of the polygonal WKB footprints, grown by @p margin metres so that
    /// one or two places still give an area. Polygon WKB.
    std::vector<unsigned char> outline(const std::vector<model::GridPoint>& points,
                                       const std::vector<std::vector<unsigned char>>& footprints, double margin);

private:
    friend class Boundary;
    struct Impl;
    std::unique_ptr<Impl> impl_;
    bool fast_path_ = true;
};

/// A polygon (e.g. the county boundary) in EPSG:27700 to test locations against.
class Boundary {
public:
    /// A boundary from polygon WKB in the CRS of @p to_grid; @p source names it in
    /// messages. Throws geometry_error when the WKB is not a usable polygon.
    static Boundary from_wkb(const std::vector<unsigned char>& wkb, const ToGrid& to_grid, const std::string& source);
    ~Boundary();
    Boundary(Boundary&&) noexcept;
    Boundary& operator=(Boundary&&) noexcept;

    /// True when @p p lies inside or on the boundary (with @p tolerance_m slack).
    bool contains(const model::GridPoint& p, double tolerance_m = 0) const;
    const std::string& source() const;
    /// The outline in EPSG:27700 as WKT, simplified to @p tolerance_m (for maps).
    std::string outline_wkt(double tolerance_m) const;

private:
    Boundary();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace estate::geo
