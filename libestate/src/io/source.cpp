#include "estate/io/source.hpp"

#include "estate/error.hpp"
#include "estate/geo/geometry.hpp"
#include "io/gdal_errors.hpp"
#include "util/sha256.hpp"

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <cpl_string.h>

#include <filesystem>
#include <fstream>
#include <mutex>

namespace estate::io {
namespace {

std::string crs_of(OGRSpatialReferenceH srs) {
    const char* auth = OSRGetAuthorityName(srs, nullptr);
    const char* code = OSRGetAuthorityCode(srs, nullptr);
    if (auth && code) return std::string(auth) + ":" + code;
    char* wkt = nullptr;
    const char* options[] = {"FORMAT=WKT2_2019", nullptr};
    OSRExportToWktEx(srs, &wkt, options);
    std::string out = wkt ? wkt : "";
    CPLFree(wkt);
    return out;
}

} // namespace

struct SourceReader::Impl {
    std::string path;
    std::string layer_name;
    std::string driver;
    std::vector<std::string> headers;
    std::optional<std::string> crs;
    GDALDatasetH ds = nullptr;
    OGRLayerH layer = nullptr;
    std::int64_t number = 0;

    ~Impl() {
        if (ds) GDALClose(ds);
    }
};

SourceReader::SourceReader(const std::string& path, const std::optional<std::string>& layer)
    : impl_(std::make_unique<Impl>()) {
    register_gdal_drivers_once();
    impl_->path = path;
    GdalErrorCollector errors;
    if (!std::filesystem::exists(path))
        throw source_error("cannot open " + path + ": no such file");

    // Read every cell as text: we validate and convert ourselves, and a spreadsheet
    // must not turn a UPRN with leading zeros into a number.
    GDALDriverH identified = GDALIdentifyDriverEx(path.c_str(), GDAL_OF_VECTOR, nullptr, nullptr);
    std::string driver = identified ? GDALGetDriverShortName(identified) : "";
    CPLStringList options;
    if (driver == "XLSX" || driver == "ODS") {
        // GDAL 3.6 reads these as configuration options, not open options. The
        // first row is the header even when every cell is text.
        CPLSetThreadLocalConfigOption(("OGR_" + driver + "_HEADERS").c_str(), "FORCE");
        CPLSetThreadLocalConfigOption(("OGR_" + driver + "_FIELD_TYPES").c_str(), "STRING");
    } else if (driver == "CSV") {
        options.AddNameValue("AUTODETECT_TYPE", "NO");
        options.AddNameValue("KEEP_GEOM_COLUMNS", "YES");
    }
    impl_->ds = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                           options.List(), nullptr);
    if (!impl_->ds)
        throw source_error("cannot read " + path + " as a GIS or tabular file" +
                           (errors.last_error().empty() ? "" : " (" + errors.last_error() + ")") +
                           ": is it CSV, GeoJSON, Shapefile, GeoPackage or XLSX, and complete?");
    impl_->driver = GDALGetDriverShortName(GDALGetDatasetDriver(impl_->ds));
    int layers = GDALDatasetGetLayerCount(impl_->ds);
    if (layers == 0) throw source_error(path + " has no layers (no table or features to import)");
    if (layer) {
        impl_->layer = GDALDatasetGetLayerByName(impl_->ds, layer->c_str());
        if (!impl_->layer) {
            std::string names;
            for (int i = 0; i < layers; ++i)
                names += (i ? ", " : "") + std::string(OGR_L_GetName(GDALDatasetGetLayer(impl_->ds, i)));
            throw usage_error(path + " has no layer '" + *layer + "'; its layers: " + names);
        }
    } else {
        impl_->layer = GDALDatasetGetLayer(impl_->ds, 0);
    }
    impl_->layer_name = OGR_L_GetName(impl_->layer);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(impl_->layer);
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i)
        impl_->headers.emplace_back(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
    if (OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(impl_->layer)) impl_->crs = crs_of(srs);
}

SourceReader::~SourceReader() = default;

const std::string& SourceReader::path() const { return impl_->path; }
const std::string& SourceReader::layer_name() const { return impl_->layer_name; }
const std::string& SourceReader::driver() const { return impl_->driver; }
const std::vector<std::string>& SourceReader::headers() const { return impl_->headers; }
const std::optional<std::string>& SourceReader::crs() const { return impl_->crs; }

std::optional<std::int64_t> SourceReader::count() const {
    GIntBig n = OGR_L_GetFeatureCount(impl_->layer, 0);
    if (n < 0) return std::nullopt;
    return static_cast<std::int64_t>(n);
}

bool SourceReader::next(SourceRow& row) {
    // GDAL's error handlers are per thread, and next() may run on a reader thread.
    GdalErrorCollector errors;
    OGRFeatureH f = OGR_L_GetNextFeature(impl_->layer);
    if (!f) {
        if (!errors.last_error().empty())
            throw source_error(impl_->path + ": cannot read record " +
                               std::to_string(impl_->number + 1) + ": " + errors.last_error() +
                               "; the file may be truncated or corrupt");
        return false;
    }
    row.number = ++impl_->number;
    int n = static_cast<int>(impl_->headers.size());
    row.values.resize(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
        if (OGR_F_IsFieldSetAndNotNull(f, i)) row.values[static_cast<size_t>(i)] = OGR_F_GetFieldAsString(f, i);
        else row.values[static_cast<size_t>(i)].clear();
    }
    row.geometry_wkb.clear();
    if (OGRGeometryH g = OGR_F_GetGeometryRef(f); g && !OGR_G_IsEmpty(g)) {
        row.geometry_wkb.resize(static_cast<size_t>(OGR_G_WkbSize(g)));
        OGR_G_ExportToIsoWkb(g, wkbNDR, row.geometry_wkb.data());
    }
    OGR_F_Destroy(f);
    return true;
}

PolygonSource read_first_polygon(const std::string& path) {
    SourceReader reader(path);
    SourceRow row;
    while (reader.next(row)) {
        if (geo::wkb_kind(row.geometry_wkb) == geo::GeometryKind::polygonal)
            return {row.geometry_wkb, reader.crs().value_or("EPSG:4326")};
    }
    throw source_error(path + " holds no polygon to use as a boundary");
}

FileDigest digest_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw source_error("cannot read " + path + " to checksum it");
    util::Sha256 sha;
    std::vector<char> buf(1 << 16);
    FileDigest d;
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        auto got = static_cast<size_t>(in.gcount());
        sha.update(reinterpret_cast<const unsigned char*>(buf.data()), got);
        d.bytes += got;
    }
    d.sha256 = sha.hex_digest();
    return d;
}

} // namespace estate::io
