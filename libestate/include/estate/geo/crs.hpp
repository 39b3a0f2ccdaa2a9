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

/// Transforms points from one source CRS to EPSG:27700. Not thread-safe: one per thread.
class ToGrid {
public:
    /// @p source_crs: anything PROJ understands ("EPSG:4326", "OGC:CRS84", WKT, PROJJSON).
    /// Throws crs_error naming the CRS when PROJ cannot build the transformation.
    explicit ToGrid(const std::string& source_crs);
    ~ToGrid();
    ToGrid(ToGrid&&) noexcept;
    ToGrid& operator=(ToGrid&&) noexcept;

    /// True when the source already is British National Grid (no arithmetic done).
    bool is_identity() const;
    /// The transformed point, or nullopt when PROJ cannot transform it (e.g. a
    /// latitude beyond 90 degrees).
    std::optional<model::GridPoint> transform(double x, double y) const;
    /// The source CRS as given.
    const std::string& source() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// The PROJ definition for the names sources give a CRS: "WGS84", "OSGB36",
/// "ETRS89", "British National Grid", "EPSG:27700", "27700", "4326", "CRS84".
/// nullopt when the name is not recognised.
std::optional<std::string> resolve_crs_name(std::string_view name);

/// An Ordnance Survey grid reference ("SO 8451 7623", "SO845762", "SO8451276234",
/// "TQ 30") as the centre of the square it names, in EPSG:27700. nullopt when @p text
/// is not a grid reference (two grid letters, then an even number of digits, 0-10).
std::optional<model::GridPoint> parse_grid_reference(std::string_view text);

/// True when @p p lies within the extent of Ordnance Survey's National Grid
/// (0-700 km east, 0-1300 km north).
bool inside_gb_grid(const model::GridPoint& p);

} // namespace estate::geo
