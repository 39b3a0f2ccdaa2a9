#pragma once
/// @file
/// Exports for planners and GIS officers: the register's properties (points), their
/// footprints (polygons) and a hubs run (hub outlines and member-to-host links), as
/// GeoPackage, Shapefile, GeoJSON, CSV or XLSX, each with estate's QGIS style where
/// the format can carry one. docs/exports.md describes every layer and field.
///
/// Writing is all or nothing: everything is written next to the destination first
/// and moved into place only when complete, so a failure leaves no half-written file.

#include "estate/db/queries.hpp"
#include "estate/db/register.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace estate::exporting {

enum class Format { gpkg, shp, geojson, csv, xlsx };
enum class Layer { properties, footprints, hubs, hub_links };

/// "gpkg", "shp", ... -> Format; a usage_error listing the formats otherwise.
Format parse_format(std::string_view text);
/// "properties", "footprints", "hubs", "hub-links" (or "hub_links") -> Layer.
Layer parse_layer(std::string_view text);
/// The layer's name in the files written: "properties", ..., "hub_links".
std::string layer_name(Layer layer);

struct Options {
    Format format = Format::gpkg;
    std::string out;                     ///< a file, or a folder for several one-layer files
    std::vector<Layer> layers;           ///< empty: every layer for gpkg, properties otherwise
    std::optional<std::int64_t> hub_run; ///< default: the newest hubs run
    db::ListFilter filter;               ///< which properties (properties and footprints layers)
    bool wkt = false;                    ///< CSV: add the geometry as WKT
};

struct WrittenLayer {
    std::string layer;
    std::string path; ///< the file that holds it
    std::int64_t features = 0;
};

struct Result {
    std::vector<WrittenLayer> layers;
    std::vector<std::string> files;      ///< every file written (data, styles, field maps)
    std::optional<std::int64_t> hub_run; ///< the run the hub layers came from
    std::vector<std::string> notes;      ///< e.g. a layer left out because there is no hubs run
};

/// Writes the export. Throws usage_error for options that cannot be met (naming
/// the option and what to do), error when GDAL cannot write (naming the file).
Result export_register(db::Register& reg, const Options& options);

/// The Shapefile field names: (layer, register name, Shapefile name, meaning) rows,
/// as written beside a Shapefile export and listed in docs/exports.md.
struct FieldNameRow {
    std::string layer, name, short_name, meaning;
};
std::vector<FieldNameRow> shapefile_field_names();

} // namespace estate::exporting
