#include "estate/io/source.hpp"

#include "estate/error.hpp"
#include "estate/geo/geometry.hpp"
#include "io/csv_records.hpp"
#include "io/gdal_errors.hpp"
#include "util/sha256.hpp"

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <cpl_csv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>

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

// The longest CSV line read, as the CSV driver's own default (MAX_LINE_SIZE).
constexpr size_t max_csv_line = 10000000;

// Opens @p path positioned after its header record, which goes to @p header (split
// by GDAL's own CSV tokenizer with the driver's settings: comma, quotes honoured and
// removed, a BOM skipped); nullptr when the file cannot be opened.
VSILFILE* open_after_csv_header(const std::string& path, std::vector<std::string>& header) {
    VSILFILE* fp = VSIFOpenL(path.c_str(), "rb");
    if (!fp) return nullptr;
    header.clear();
    char** tokens = CSVReadParseLine3L(fp, max_csv_line, ",", true /* honour quotes */, false /* keep quotes */,
                                       false /* merge separators */, true /* skip BOM */);
    for (char** t = tokens; t && *t; ++t) header.emplace_back(*t);
    CSLDestroy(tokens);
    return fp;
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
    // A plain CSV file - comma-separated, a header row, text columns, no geometry -
    // is read by CsvRecords (the driver's splitting rules, in large blocks) rather
    // than through an OGR feature per record: three quarters less of the reading
    // thread's work at a million rows. The rows are the driver's own (tests compare
    // the two on edge cases and thousands of random files); anything not plain
    // (another separator, no header row, a geometry column, trimmed or renamed
    // columns) goes through OGR.
    VSILFILE* plain_csv = nullptr;
    std::unique_ptr<CsvRecords> records;

    ~Impl() {
        records.reset();
        if (plain_csv) VSIFCloseL(plain_csv);
        if (ds) GDALClose(ds);
    }

    void open_plain_csv(OGRFeatureDefnH defn) {
        if (OGR_FD_GetGeomFieldCount(defn) != 0) return;
        for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i)
            if (OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, i)) != OFTString) return;
        std::vector<std::string> header;
        VSILFILE* fp = open_after_csv_header(path, header);
        if (!fp) return;
        // The header must be exactly the driver's column names.
        if (header != headers) {
            VSIFCloseL(fp);
            return;
        }
        plain_csv = fp; // positioned just after the header line
        records = std::make_unique<CsvRecords>(fp);
    }

    bool next_plain_csv(SourceRow& row) {
        row.values.resize(headers.size());
        try {
            if (!records->next(row.values, max_csv_line)) return false;
        } catch (const source_error& e) {
            throw source_error(path + ": cannot read record " + std::to_string(number + 1) + ": " + e.what() +
                               "; the file may be truncated or corrupt");
        }
        row.number = ++number;
        row.geometry_wkb.clear();
        return true;
    }
};

SourceReader::SourceReader(const std::string& path, const std::optional<std::string>& layer, bool plain_csv)
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
    if (impl_->driver == "CSV" && plain_csv) impl_->open_plain_csv(defn);
}

SourceReader::~SourceReader() = default;

const std::string& SourceReader::path() const { return impl_->path; }
const std::string& SourceReader::layer_name() const { return impl_->layer_name; }
const std::string& SourceReader::driver() const { return impl_->driver; }
const std::vector<std::string>& SourceReader::headers() const { return impl_->headers; }
const std::optional<std::string>& SourceReader::crs() const { return impl_->crs; }
bool SourceReader::reads_plain_csv() const { return impl_->plain_csv != nullptr; }

std::optional<std::int64_t> SourceReader::count() const {
    if (impl_->plain_csv) {
        // The same records the import will read, counted by a second reader of the
        // file (GDAL's count builds a feature per row: three times slower, 1.5 s at 1M rows).
        std::vector<std::string> header;
        VSILFILE* fp = open_after_csv_header(impl_->path, header);
        if (!fp) return std::nullopt;
        CsvRecords records(fp);
        std::vector<std::string> none;
        std::int64_t n = 0;
        try {
            while (records.next(none, max_csv_line)) ++n;
        } catch (const source_error&) {
            VSIFCloseL(fp);
            return std::nullopt; // the import itself reports it, with the record
        }
        VSIFCloseL(fp);
        return n;
    }
    GIntBig n = OGR_L_GetFeatureCount(impl_->layer, 0);
    if (n < 0) return std::nullopt;
    return static_cast<std::int64_t>(n);
}

bool SourceReader::next(SourceRow& row) {
    if (impl_->plain_csv) return impl_->next_plain_csv(row);
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
