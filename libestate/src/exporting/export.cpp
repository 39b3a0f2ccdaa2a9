#include "estate/exporting/export.hpp"

#include "estate/geo/crs.hpp"

#include "db/sqlite.hpp"
#include "db/styles.hpp"
#include "estate/error.hpp"
#include "estate/geo/geometry.hpp"
#include "estate/hubs/hubs.hpp"
#include "estate/runs/runs.hpp"
#include "estate/util/csv.hpp"
#include "estate/util/paths.hpp"
#include "estate/util/time.hpp"
#include "io/gdal_errors.hpp"
#include "util/c_handles.hpp"
#include "util/staging.hpp"

#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <sstream>

namespace fs = std::filesystem;

namespace estate::exporting {
namespace {

struct FieldDef {
    std::string name, short_name;
    db::FieldKind kind;
    std::string meaning;
};
using Row = std::vector<db::FieldValue>;

/// What a feature's geometry is, in EPSG:27700.
struct Shape {
    enum Kind { none, point, line, wkb } kind = none;
    double x = 0, y = 0, x2 = 0, y2 = 0;
    std::vector<unsigned char> bytes;

    static Shape at(double x, double y) { return {point, x, y, 0, 0, {}}; }
    static Shape segment(double x, double y, double x2, double y2) { return {line, x, y, x2, y2, {}}; }
    static Shape of_wkb(std::vector<unsigned char> b) { return {wkb, 0, 0, 0, 0, std::move(b)}; }
};

using Emit = std::function<void(const Row&, const Shape&)>;

struct LayerData {
    Layer layer;
    OGRwkbGeometryType geometry;
    std::vector<FieldDef> fields;
    std::function<void(const Emit&)> produce;
};

// ---- What each layer holds -----------------------------------------------------

std::vector<FieldDef> property_field_defs() {
    std::vector<FieldDef> out;
    for (const auto& f : db::property_fields()) out.push_back({f.name, f.short_name, f.kind, f.meaning});
    return out;
}

LayerData properties_layer(db::Register& reg, const db::ListFilter& filter) {
    return {Layer::properties, wkbPoint, property_field_defs(), [&reg, filter](const Emit& emit) {
                const auto& fields = db::property_fields();
                db::for_each_property(
                    reg, filter, false, [&](const db::PropertyRecord& r, const std::vector<unsigned char>&) {
                        Row row;
                        for (const auto& f : fields) row.push_back(f.value(r));
                        Shape shape;
                        if (r.easting && r.northing) shape = Shape::at(*r.easting, *r.northing);
                        emit(row, shape); // an unlocated property is exported with no geometry: never dropped
                    });
            }};
}

LayerData footprints_layer(db::Register& reg, const db::ListFilter& filter) {
    return {Layer::footprints, wkbMultiPolygon, property_field_defs(), [&reg, filter](const Emit& emit) {
                const auto& fields = db::property_fields();
                db::for_each_property(reg, filter, true,
                                      [&](const db::PropertyRecord& r, const std::vector<unsigned char>& fp) {
                                          if (fp.empty()) return; // the layer of footprints holds those that have one
                                          Row row;
                                          for (const auto& f : fields) row.push_back(f.value(r));
                                          emit(row, Shape::of_wkb(fp));
                                      });
            }};
}

using K = db::FieldKind;

const std::vector<FieldDef>& hub_field_defs() {
    static const std::vector<FieldDef> defs = {
        {"run", "run", K::integer, "the hubs run (estate hubs) the hub belongs to"},
        {"hub", "hub", K::integer, "the hub's number in its run, in the order chosen"},
        {"host_id", "host_id", K::integer, "the host property's id"},
        {"host_name", "host_name", K::text, "the host building"},
        {"host_owner", "host_owner", K::text, "the host's owner"},
        {"agencies", "agencies", K::integer, "distinct owners brought together, host's included"},
        {"members", "members", K::integer, "properties in the hub, host included"},
        {"proposed", "proposed", K::integer, "1 proposed; 0 not worth it on these figures (net benefit below 0)"},
        {"verdict", "verdict", K::text, "whether the host can house them, and whether the hub is worth it"},
        {"fit", "fit", K::text, "fits, too_small or unknown (the host's floor area not recorded)"},
        {"host_fits", "host_fits", K::integer, "1 fits, 0 too small, empty when not known"},
        {"need_m2", "need_m2", K::real, "floor area the moving services need in the host (some may be assumed)"},
        {"spare_m2", "spare_m2", K::real, "floor area the host could offer (empty: not recorded)"},
        {"shortfall_m2", "short_m2", K::real,
         "need less spare when the host is too small, 0 when it fits (empty: fit unknown)"},
        {"value_released", "value_rel", K::real,
         "value of the members that can be sold, pounds (recorded or estimated)"},
        {"saving_a_year", "saving_yr", K::real, "running costs of the members, pounds a year (recorded or assumed)"},
        {"saving_recorded", "saving_rec", K::real, "the part of saving_a_year that is recorded"},
        {"costs_recorded", "n_cost_rec", K::integer, "members whose running cost is recorded"},
        {"moving_costs", "moving", K::real, "moving and fitting out, pounds"},
        {"extension_cost", "extension", K::real, "extending the host by the shortfall, pounds (empty: fit unknown)"},
        {"net_benefit", "net_benef", K::real, "present value over the scenario's horizon, pounds"},
        {"explanation", "explain", K::text,
         "the hub in plain English, its verdict first (cut at 254 characters in Shapefiles)"},
    };
    return defs;
}

const std::vector<FieldDef>& link_field_defs() {
    static const std::vector<FieldDef> defs = {
        {"run", "run", K::integer, "the hubs run"},
        {"hub", "hub", K::integer, "the hub's number in its run"},
        {"member_id", "member_id", K::integer, "the member property's id"},
        {"member_name", "member", K::text, "the member building, whose services would move"},
        {"member_owner", "member_own", K::text, "the member's owner"},
        {"host_id", "host_id", K::integer, "the host property's id"},
        {"host_name", "host_name", K::text, "the host building"},
        {"distance_m", "distance_m", K::real, "member to host, metres (footprint to footprint where both have one)"},
    };
    return defs;
}

db::FieldValue real_value(const std::optional<double>& v) {
    if (!v) return std::monostate{};
    return *v;
}

LayerData hubs_layer(db::Register& reg, std::int64_t run) {
    return {Layer::hubs, wkbPolygon, hub_field_defs(), [&reg, run](const Emit& emit) {
                geo::GeometryEngine engine;
                for (const auto& hub : runs::read_stored_hubs(reg, run, true)) {
                    const auto& host = hub.members.front();
                    std::vector<model::GridPoint> points;
                    std::vector<std::vector<unsigned char>> footprints;
                    for (const auto& m : hub.members) {
                        if (m.location) points.push_back(*m.location);
                        if (!m.footprint_wkb.empty()) footprints.push_back(m.footprint_wkb);
                    }
                    Row row = {run,
                               hub.group_no,
                               host.property_id,
                               host.name,
                               host.owner,
                               hub.agencies,
                               hub.member_count,
                               std::int64_t{hub.proposed ? 1 : 0},
                               hub.verdict,
                               hub.fit,
                               hub.host_fits ? db::FieldValue(std::int64_t{*hub.host_fits ? 1 : 0}) : db::FieldValue(),
                               real_value(hub.need_m2),
                               real_value(hub.host_spare_m2),
                               real_value(hub.shortfall_m2),
                               real_value(hub.value_released),
                               real_value(hub.running_cost_saved),
                               real_value(hub.running_cost_recorded),
                               hub.running_costs_recorded ? db::FieldValue(*hub.running_costs_recorded)
                                                          : db::FieldValue(),
                               real_value(hub.moving_costs),
                               real_value(hub.extension_cost),
                               real_value(hub.net_benefit),
                               hub.explanation ? db::FieldValue(*hub.explanation) : db::FieldValue()};
                    // 25 m around the buildings: a hub of two still shows as an area.
                    emit(row, Shape::of_wkb(engine.outline(points, footprints, 25)));
                }
            }};
}

LayerData hub_links_layer(db::Register& reg, std::int64_t run) {
    return {Layer::hub_links, wkbLineString, link_field_defs(), [&reg, run](const Emit& emit) {
                for (const auto& hub : runs::read_stored_hubs(reg, run, false)) {
                    const auto& host = hub.members.front();
                    for (size_t i = 1; i < hub.members.size(); ++i) {
                        const auto& m = hub.members[i];
                        Row row = {run,     hub.group_no,     m.property_id, m.name,
                                   m.owner, host.property_id, host.name,     m.distance_m};
                        Shape shape;
                        if (m.location && host.location)
                            shape = Shape::segment(m.location->easting, m.location->northing, host.location->easting,
                                                   host.location->northing);
                        emit(row, shape);
                    }
                }
            }};
}

// ---- Writing with GDAL ----------------------------------------------------------

const char* driver_name(Format f) {
    switch (f) {
    case Format::gpkg:
        return "GPKG";
    case Format::shp:
        return "ESRI Shapefile";
    case Format::geojson:
        return "GeoJSON";
    case Format::csv:
        return "CSV";
    case Format::xlsx:
        return "XLSX";
    }
    return "";
}

const char* extension(Format f) {
    switch (f) {
    case Format::gpkg:
        return ".gpkg";
    case Format::shp:
        return ".shp";
    case Format::geojson:
        return ".geojson";
    case Format::csv:
        return ".csv";
    case Format::xlsx:
        return ".xlsx";
    }
    return "";
}

using SrsPtr = util::OgrSpatialReference;

SrsPtr srs_of(int epsg) {
    SrsPtr srs(OSRNewSpatialReference(nullptr));
    if (OSRImportFromEPSG(srs.get(), epsg) != OGRERR_NONE)
        throw error("PROJ does not know EPSG:" + std::to_string(epsg) + "; is proj-data installed?");
    OSRSetAxisMappingStrategy(srs.get(), OAMS_TRADITIONAL_GIS_ORDER); // x = easting/longitude
    return srs;
}

using DatasetPtr = util::GdalDataset;

DatasetPtr create_dataset(Format format, const std::string& path) {
    io::register_gdal_drivers_once();
    io::GdalErrorCollector errors;
    GDALDriverH driver = GDALGetDriverByName(driver_name(format));
    if (!driver) throw error(std::string("GDAL has no ") + driver_name(format) + " driver; is gdal-bin installed?");
    DatasetPtr ds(GDALCreate(driver, path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) throw output_error("GDAL could not create " + path + ": " + errors.last_error());
    return ds;
}

/// Closes @p ds, which for some drivers (XLSX) is when the file is written.
void close_dataset(DatasetPtr ds, const fs::path& file, const std::string& final_path) {
    io::GdalErrorCollector errors;
    ds.reset(); // closing is when some drivers (XLSX) write the file
    if (!errors.last_error().empty() || !fs::exists(file))
        throw output_error("GDAL could not write " + final_path + ": " +
                           (errors.last_error().empty() ? "no file was made" : errors.last_error()));
}

/// Reads back what was written, as a planner's GIS would open it: each layer holds the
/// features written. Some drivers (GeoJSON, XLSX) say nothing when the disk fills as
/// they write, and leave a cut-off file; this is where that is caught.
void check_written(Format format, const fs::path& file, const std::string& final_path,
                   const std::vector<std::pair<std::string, std::int64_t>>& layers) {
    io::GdalErrorCollector errors;
    CPLStringList open_options;
    if (format == Format::xlsx) open_options.SetNameValue("HEADERS", "FORCE");
    if (format == Format::csv) open_options.SetNameValue("HEADERS", "YES");
    DatasetPtr ds(GDALOpenEx(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, open_options.List(), nullptr));
    auto fail = [&](const std::string& what) {
        throw output_error("writing " + final_path + " failed: " + what +
                           " (is the disk full?); nothing was left in its place");
    };
    if (!ds)
        fail("the file written cannot be read back" + (errors.last_error().empty() ? "" : ": " + errors.last_error()));
    for (size_t i = 0; i < layers.size(); ++i) {
        const auto& [name, expected] = layers[i];
        OGRLayerH layer = format == Format::gpkg ? GDALDatasetGetLayerByName(ds.get(), name.c_str())
                                                 : GDALDatasetGetLayer(ds.get(), static_cast<int>(i));
        if (!layer) fail("its layer " + name + " is missing");
        const auto found = OGR_L_GetFeatureCount(layer, TRUE);
        if (found != expected)
            fail("its layer " + name + " holds " + std::to_string(found) + " features of the " +
                 std::to_string(expected) + " written");
    }
}

/// A text cell a spreadsheet will not run: one starting with =, +, -, @ (or a tab or
/// carriage return) is a formula to Excel and LibreOffice, so it is written after an
/// apostrophe, which they show as text. A number ("-2.35") is left as it is.
std::string spreadsheet_safe(const std::string& s) {
    if (s.empty() || std::strchr("=+-@\t\r", s.front()) == nullptr) return s;
    char* end = nullptr;
    std::strtod(s.c_str(), &end);
    if (end == s.c_str() + s.size()) return s;
    return "'" + s;
}

/// Every vertex of @p g from British National Grid to WGS84 longitude/latitude by
/// OSTN15 (geo::ToLonLat), in place; false when one cannot be transformed.
bool to_lon_lat(OGRGeometryH g, const geo::ToLonLat& to) {
    const int parts = OGR_G_GetGeometryCount(g);
    if (parts > 0) {
        for (int i = 0; i < parts; ++i)
            if (!to_lon_lat(OGR_G_GetGeometryRef(g, i), to)) return false;
        return true;
    }
    for (int i = 0; i < OGR_G_GetPointCount(g); ++i) {
        double lon = 0, lat = 0;
        if (!to.transform(OGR_G_GetX(g, i), OGR_G_GetY(g, i), lon, lat)) return false;
        OGR_G_SetPoint_2D(g, i, lon, lat);
    }
    return true;
}

/// Writes one layer into @p ds; returns how many features were written.
std::int64_t write_layer(GDALDatasetH ds, Format format, const LayerData& data, bool wkt, const std::string& path) {
    io::GdalErrorCollector errors;
    const bool has_geometry = !(format == Format::xlsx || (format == Format::csv && !wkt));
    const bool wgs84 = format == Format::geojson;
    SrsPtr grid = srs_of(27700);
    SrsPtr target = wgs84 ? srs_of(4326) : srs_of(27700);
    CPLStringList options;
    if (format == Format::shp) options.SetNameValue("ENCODING", "UTF-8"); // and a .cpg saying so
    if (format == Format::geojson) {
        options.SetNameValue("RFC7946", "YES");
        // 1e-9 degrees is 0.1 mm: OSTN15's millimetres survive (the default, 7, is about 1 cm).
        options.SetNameValue("COORDINATE_PRECISION", "9");
    }
    if (format == Format::csv && wkt) options.SetNameValue("GEOMETRY", "AS_WKT");
    if (format == Format::csv) options.SetNameValue("STRING_QUOTING", "IF_NEEDED");
    if (format == Format::gpkg) options.SetNameValue("GEOMETRY_NAME", "geom");
    const std::string name = layer_name(data.layer);
    OGRLayerH layer = GDALDatasetCreateLayer(ds, name.c_str(), has_geometry ? target.get() : nullptr,
                                             has_geometry ? data.geometry : wkbNone, options.List());
    if (!layer)
        throw output_error("GDAL could not create the layer " + name + " in " + path + ": " + errors.last_error());
    const bool short_names = format == Format::shp;
    for (const auto& f : data.fields) {
        OGRFieldType type = f.kind == K::integer ? OFTInteger64 : f.kind == K::real ? OFTReal : OFTString;
        util::OgrFieldDefn defn(OGR_Fld_Create((short_names ? f.short_name : f.name).c_str(), type));
        if (short_names && type == OFTString) OGR_Fld_SetWidth(defn.get(), 254);
        OGRErr err = OGR_L_CreateField(layer, defn.get(), TRUE);
        if (err != OGRERR_NONE)
            throw output_error("GDAL could not add the field " + f.name + " to " + path + ": " + errors.last_error());
    }
    std::optional<geo::ToLonLat> to_wgs84;
    if (wgs84) to_wgs84.emplace();
    const bool transaction = GDALDatasetStartTransaction(ds, FALSE) == OGRERR_NONE;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    std::int64_t written = 0;
    std::string failure;
    data.produce([&](const Row& row, const Shape& shape) {
        if (!failure.empty()) return;
        util::OgrFeature owned(OGR_F_Create(defn));
        OGRFeatureH feature = owned.get();
        for (size_t i = 0; i < row.size(); ++i) {
            const int idx = static_cast<int>(i);
            if (auto v = std::get_if<std::int64_t>(&row[i]))
                OGR_F_SetFieldInteger64(feature, idx, *v);
            else if (auto d = std::get_if<double>(&row[i]))
                OGR_F_SetFieldDouble(feature, idx, *d);
            else if (auto t = std::get_if<std::string>(&row[i]))
                OGR_F_SetFieldString(feature, idx, (format == Format::csv ? spreadsheet_safe(*t) : *t).c_str());
            else
                OGR_F_SetFieldNull(feature, idx);
        }
        if (has_geometry && shape.kind != Shape::none) {
            OGRGeometryH g = nullptr;
            if (shape.kind == Shape::point) {
                g = OGR_G_CreateGeometry(wkbPoint);
                OGR_G_SetPoint_2D(g, 0, shape.x, shape.y);
            } else if (shape.kind == Shape::line) {
                g = OGR_G_CreateGeometry(wkbLineString);
                OGR_G_AddPoint_2D(g, shape.x, shape.y);
                OGR_G_AddPoint_2D(g, shape.x2, shape.y2);
            } else {
                OGR_G_CreateFromWkb(shape.bytes.data(), nullptr, &g, static_cast<int>(shape.bytes.size()));
                if (g && data.geometry == wkbMultiPolygon) g = OGR_G_ForceToMultiPolygon(g);
            }
            if (g) {
                if (to_wgs84 && !to_lon_lat(g, *to_wgs84))
                    failure = "a geometry of feature " + std::to_string(written + 1) + " of " + name +
                              " cannot be transformed to WGS84 longitude/latitude";
                OGR_G_AssignSpatialReference(g, target.get());
                OGR_F_SetGeometryDirectly(feature, g);
            }
        }
        if (OGR_L_CreateFeature(layer, feature) != OGRERR_NONE)
            failure = "GDAL could not write feature " + std::to_string(written + 1) + " of " + name + " to " + path +
                      ": " + errors.last_error();
        ++written;
    });
    if (!failure.empty()) throw output_error(failure);
    if (transaction && GDALDatasetCommitTransaction(ds) != OGRERR_NONE)
        throw output_error("GDAL could not finish " + path + ": " + errors.last_error());
    return written;
}

// ---- Styles beside and inside the files ---------------------------------------------

/// QGIS's layer_styles table inside a GeoPackage, one default style per layer
/// (QGIS 3.22 finds it only with f_table_schema '', an ISO update_time and the table
/// listed in gpkg_contents; tests/qgis/check_exports.py opens every export styled).
void store_gpkg_styles(const std::string& path, const std::vector<Layer>& layers) {
    db::Connection c(path, db::Connection::Mode::read_write);
    db::Transaction tx(c);
    db::create_layer_styles_table(c);
    const std::string now = util::utc_now_iso();
    auto insert =
        c.prepare("INSERT INTO layer_styles(f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
                  "styleName, styleQML, styleSLD, useAsDefault, description, owner, update_time) "
                  "VALUES ('', '', ?, 'geom', ?, ?, ?, 1, ?, 'estate', ?)");
    for (Layer l : layers) {
        const std::string name = layer_name(l);
        auto qml = db::embedded_style(name, "qml"), sld = db::embedded_style(name, "sld");
        if (!qml) continue;
        insert.bind(1, name).bind(2, "estate " + name).bind(3, *qml).bind(4, sld.value_or(""));
        insert.bind(5, "estate's default style for " + name).bind(6, now).run();
    }
    auto contents = c.prepare("INSERT OR REPLACE INTO gpkg_contents(table_name, data_type, identifier, description, "
                              "last_change) VALUES ('layer_styles', 'attributes', 'layer_styles', "
                              "'QGIS default styles', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))");
    contents.run(); // the GeoPackage standard asks for milliseconds
    tx.commit();
}

std::string field_map_csv(const std::vector<FieldDef>& fields) {
    std::ostringstream out;
    util::write_csv_row(out, {"register_name", "shapefile_name", "meaning"});
    for (const auto& f : fields) util::write_csv_row(out, {f.name, f.short_name, f.meaning});
    return out.str();
}

/// A folder next to the destination, removed with whatever is left in it.
bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

Format parse_format(std::string_view text) {
    if (text == "gpkg" || text == "geopackage") return Format::gpkg;
    if (text == "shp" || text == "shapefile") return Format::shp;
    if (text == "geojson") return Format::geojson;
    if (text == "csv") return Format::csv;
    if (text == "xlsx") return Format::xlsx;
    throw usage_error("unknown export format '" + std::string(text) +
                      "'; the formats are gpkg, shp, geojson, csv, xlsx");
}

Layer parse_layer(std::string_view text) {
    if (text == "properties") return Layer::properties;
    if (text == "footprints") return Layer::footprints;
    if (text == "hubs") return Layer::hubs;
    if (text == "hub-links" || text == "hub_links") return Layer::hub_links;
    throw usage_error("unknown layer '" + std::string(text) +
                      "'; the layers are properties, footprints, hubs, hub-links");
}

std::string layer_name(Layer layer) {
    switch (layer) {
    case Layer::properties:
        return "properties";
    case Layer::footprints:
        return "footprints";
    case Layer::hubs:
        return "hubs";
    case Layer::hub_links:
        return "hub_links";
    }
    return "";
}

std::vector<FieldNameRow> shapefile_field_names() {
    std::vector<FieldNameRow> rows;
    for (const auto& f : property_field_defs())
        rows.push_back({"properties, footprints", f.name, f.short_name, f.meaning});
    for (const auto& f : hub_field_defs()) rows.push_back({"hubs", f.name, f.short_name, f.meaning});
    for (const auto& f : link_field_defs()) rows.push_back({"hub_links", f.name, f.short_name, f.meaning});
    return rows;
}

Result export_register(db::Register& reg, const Options& o) {
    if (o.out.empty()) throw usage_error("out", "say where to write: the file (or folder)");
    db::refuse_overwriting(reg, o.out, "out");
    if (o.wkt && o.format != Format::csv)
        throw usage_error("wkt", "geometry as WKT is for CSV exports; the other formats carry geometry");
    Result result;
    std::vector<Layer> layers = o.layers;
    const bool explicit_layers = !layers.empty();
    if (layers.empty()) {
        if (o.format == Format::gpkg)
            layers = {Layer::properties, Layer::footprints, Layer::hubs, Layer::hub_links};
        else
            layers = {Layer::properties};
    }
    const bool wants_hubs =
        std::any_of(layers.begin(), layers.end(), [](Layer l) { return l == Layer::hubs || l == Layer::hub_links; });
    if (wants_hubs) {
        result.hub_run = runs::hub_run(reg, o.hub_run);
        if (!result.hub_run && explicit_layers)
            throw usage_error(reg.path() + " holds no hubs run; run `estate hubs " + reg.path() +
                              " --radius 250` first, then export");
        if (!result.hub_run) {
            layers.erase(std::remove_if(layers.begin(), layers.end(),
                                        [](Layer l) { return l == Layer::hubs || l == Layer::hub_links; }),
                         layers.end());
            result.notes.push_back("no hubs run in the register, so no hub layers; run `estate hubs` to add them");
        }
    }
    auto data_of = [&](Layer l) -> LayerData {
        switch (l) {
        case Layer::properties:
            return properties_layer(reg, o.filter);
        case Layer::footprints:
            return footprints_layer(reg, o.filter);
        case Layer::hubs:
            return hubs_layer(reg, *result.hub_run);
        case Layer::hub_links:
            return hub_links_layer(reg, *result.hub_run);
        }
        throw internal_error("an export layer with no writer");
    };

    // One file holding every layer (GeoPackage, XLSX), or one file per layer
    // (Shapefile, GeoJSON, CSV): into a folder unless --out names one file.
    const bool many_layer_file = o.format == Format::gpkg || o.format == Format::xlsx;
    const std::string ext = extension(o.format);
    const bool single_file =
        many_layer_file || ends_with(o.out, ext) || (o.format == Format::geojson && ends_with(o.out, ".json"));
    if (!many_layer_file && single_file && layers.size() > 1)
        throw usage_error("out", o.out + " is one " + ext + " file but " + std::to_string(layers.size()) +
                                     " layers were asked for; give a folder, or ask for one layer");
    if (many_layer_file && !ends_with(o.out, ext))
        throw usage_error("out", o.out + " should end in " + ext + " (a " + driver_name(o.format) + " file)");
    fs::path out = fs::path(o.out).lexically_normal();
    if (out.filename().empty()) out = out.parent_path(); // "exports/" is the folder "exports"
    if (!single_file && fs::exists(out) && !fs::is_directory(out))
        throw usage_error("out", o.out + " exists and is not a folder; give a folder for a " + ext + " export");
    util::StagingFolder staging(out, "export");
    const fs::path target_dir = single_file ? (out.parent_path().empty() ? fs::path(".") : out.parent_path()) : out;

    if (many_layer_file) {
        const fs::path file = staging.dir() / out.filename();
        std::vector<std::pair<std::string, std::int64_t>> written;
        {
            DatasetPtr ds = create_dataset(o.format, file.string());
            for (Layer l : layers) {
                result.layers.push_back(
                    {layer_name(l), o.out, write_layer(ds.get(), o.format, data_of(l), o.wkt, o.out)});
                written.emplace_back(layer_name(l), result.layers.back().features);
            }
            close_dataset(std::move(ds), file, o.out);
        }
        if (o.format == Format::gpkg) store_gpkg_styles(file.string(), layers);
        check_written(o.format, file, o.out, written);
    } else {
        for (Layer l : layers) {
            const std::string stem = single_file ? out.stem().string() : layer_name(l);
            const std::string file_name = stem + (single_file ? out.extension().string() : ext);
            const std::string final_path = (target_dir / file_name).string();
            db::refuse_overwriting(reg, final_path, "out");
            LayerData data = data_of(l);
            std::int64_t n = 0;
            {
                DatasetPtr ds = create_dataset(o.format, (staging.dir() / file_name).string());
                n = write_layer(ds.get(), o.format, data, o.wkt, final_path);
                close_dataset(std::move(ds), staging.dir() / file_name, final_path);
            }
            check_written(o.format, staging.dir() / file_name, final_path, {{layer_name(l), n}});
            result.layers.push_back({layer_name(l), final_path, n});
            if (o.format == Format::shp) {
                // The default style QGIS loads with the file, and the field-name map.
                if (auto qml = db::embedded_style(layer_name(l), "qml")) staging.write(stem + ".qml", *qml);
                if (auto sld = db::embedded_style(layer_name(l), "sld")) staging.write(stem + ".sld", *sld);
                staging.write(stem + ".fields.csv", field_map_csv(data.fields));
            }
        }
    }
    // Everything is written: move it into place.
    // A folder export replaces its folder whole; a file goes beside the user's others.
    const bool own_folder = !many_layer_file && !single_file;
    for (const auto& file : own_folder ? staging.replace_folder(target_dir) : staging.move_all_into(target_dir))
        result.files.push_back(file.string());
    return result;
}

} // namespace estate::exporting
