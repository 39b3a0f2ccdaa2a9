#pragma once
/// @file
/// OSTN15: Ordnance Survey's definitive transformation between ETRS89 (GPS, and WGS84
/// to the metre) and the British National Grid (OSGB36, EPSG:27700), as OS's
/// "Transformations and OSGM15 user guide" defines it: ETRS89 latitude/longitude
/// projected with the National Grid's Transverse Mercator on the GRS80 ellipsoid, then
/// the east and north shifts interpolated bilinearly from OSTN15's 1 km grid (701 x 1,251
/// nodes, 0-700 km east, 0-1,250 km north); the inverse by iteration. It reproduces OS's
/// 40 test points to the millimetre, where PROJ's Helmert (all Debian's proj-data
/// offers) is up to 5 m off.
///
/// The shifts are read once, at first use, from the two files Debian's
/// libgeo-coordinates-osgb-perl ships (ostn_east_shift_82140, ostn_north_shift_-84180:
/// little-endian 16-bit millimetres above the minimum in the file name), in the folder
/// given by the environment variable ESTATE_OSTN15_DIR or else the one found when estate
/// was built. OSTN15 is (c) Crown copyright Ordnance Survey, published under the BSD licence.

#include "estate/model/property.hpp"

#include <optional>
#include <string>

namespace estate::geo::ostn15 {

/// True when the grid files were found and read (at the first call).
bool available();
/// Where the grid was read from, or why it could not be.
const std::string& source();

/// ETRS89 (or WGS84) longitude/latitude in degrees to British National Grid
/// easting/northing. nullopt outside OSTN15's grid or without the grid files.
std::optional<model::GridPoint> to_grid(double lon, double lat);

/// Longitude/latitude in degrees.
struct LonLat {
    double lon = 0;
    double lat = 0;
};
/// British National Grid to ETRS89 longitude/latitude, the inverse of to_grid() to well
/// under a millimetre. nullopt outside the grid or without the grid files.
std::optional<LonLat> to_etrs89(double easting, double northing);

/// The National Grid's Transverse Mercator on GRS80 (OSTN15's first step) and its
/// inverse, exposed for tests.
model::GridPoint project_grs80(double lon, double lat);
LonLat unproject_grs80(double x, double y);

} // namespace estate::geo::ostn15
