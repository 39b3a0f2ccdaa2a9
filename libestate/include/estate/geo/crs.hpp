#pragma once
/// @file
/// Coordinate transformation to British National Grid (EPSG:27700) with PROJ, in
/// traditional GIS axis order (x = longitude or easting, y = latitude or northing)
/// whatever the source CRS's official axis order.

#include "estate/model/property.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace estate::geo {

/// The register's CRS.
inline constexpr const char* grid_crs = "EPSG:27700";

/// How a point reached British National Grid.
enum class Transformation {
    none,    ///< it was in British National Grid already (untouched, bit for bit)
    ostn15,  ///< from ETRS89/WGS84 by OSTN15 (geo/ostn15.hpp): to the millimetre
    helmert, ///< from ETRS89/WGS84 by PROJ's Helmert, outside OSTN15's grid: about 5 m
    proj,    ///< from another CRS by PROJ
};
/// "OSTN15", "Helmert", "PROJ", or "" for none: as the register stores it.
const char* transformation_name(Transformation t);

/// Transforms points from one source CRS to EPSG:27700. Latitude and longitude on
/// ETRS89 or WGS84 (EPSG:4326, EPSG:4258, OGC:CRS84, or a WKT equal to one) go by
/// OSTN15, falling back to PROJ's Helmert outside its grid. Not thread-safe: one per thread.
class ToGrid {
public:
    /// @p source_crs: anything PROJ understands ("EPSG:4326", "OGC:CRS84", WKT, PROJJSON).
    /// Throws crs_error naming the CRS when PROJ cannot build the transformation.
    /// @p target_crs is the grid, but for ToLonLat's fallback.
    explicit ToGrid(const std::string& source_crs, const char* target_crs = grid_crs);
    ~ToGrid();
    ToGrid(ToGrid&&) noexcept;
    ToGrid& operator=(ToGrid&&) noexcept;

    /// True when the source already is British National Grid (no arithmetic done).
    bool is_identity() const;
    /// The transformed point, or nullopt when it cannot be transformed (e.g. a
    /// latitude beyond 90 degrees); @p used, when given, says how.
    std::optional<model::GridPoint> transform(double x, double y, Transformation* used = nullptr) const;
    /// How points from this CRS reach the grid when they lie inside OSTN15's grid.
    Transformation usual() const;
    /// The source CRS as given.
    const std::string& source() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// From British National Grid to WGS84 longitude/latitude (for GeoJSON and other
/// WGS84 exports): OSTN15's inverse, PROJ's Helmert outside its grid. Not thread-safe.
class ToLonLat {
public:
    ToLonLat();
    ~ToLonLat();
    ToLonLat(const ToLonLat&) = delete;
    ToLonLat& operator=(const ToLonLat&) = delete;
    /// Longitude and latitude of (easting, northing) into @p lon, @p lat; false when
    /// it cannot be transformed.
    bool transform(double easting, double northing, double& lon, double& lat, Transformation* used = nullptr) const;

private:
    ToGrid helmert_; // PROJ, EPSG:27700 -> EPSG:4326 (built the same way as any ToGrid)
};

/// The PROJ definition for the names sources give a CRS: "WGS84", "OSGB36",
/// "ETRS89", "British National Grid", "EPSG:27700", "27700", "4326", "CRS84".
/// nullopt when the name is not recognised.
std::optional<std::string> resolve_crs_name(std::string_view name);

/// The CRS that coordinates with no CRS written beside them are in, told by their size
/// (as a person would): within ±180/±90 they are longitude and latitude (EPSG:4326),
/// otherwise British National Grid eastings and northings (EPSG:27700).
std::string crs_from_magnitude(double x, double y);

/// An Ordnance Survey grid reference ("SO 8451 7623", "SO845762", "SO8451276234",
/// "TQ 30") as the centre of the square it names, in EPSG:27700. nullopt when @p text
/// is not a grid reference (two grid letters, then an even number of digits, 0-10).
std::optional<model::GridPoint> parse_grid_reference(std::string_view text);

/// True when @p p lies within the extent of Ordnance Survey's National Grid
/// (0-700 km east, 0-1300 km north).
bool inside_gb_grid(const model::GridPoint& p);

} // namespace estate::geo
