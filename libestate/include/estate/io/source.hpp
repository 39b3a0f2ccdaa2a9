#pragma once
/// @file
/// Reading any GDAL/OGR vector or tabular source (CSV, GeoJSON, Shapefile,
/// GeoPackage, XLSX, ...) as rows of text values plus an optional geometry.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace estate::io {

/// One record of a source. Values are text, parallel to SourceReader::headers();
/// a NULL cell is an empty string.
struct SourceRow {
    std::int64_t number = 0; ///< 1 = the first record (the row after a CSV header)
    std::vector<std::string> values;
    std::vector<unsigned char> geometry_wkb; ///< ISO WKB in the layer's CRS, or empty
};

class SourceReader {
public:
    /// Opens @p path; @p layer chooses a layer of a multi-layer source (default: the
    /// first). Throws source_error naming the file and what GDAL said. A plain CSV file
    /// is read with GDAL's CSV tokenizer rather than OGR features, unless @p plain_csv
    /// is false (for tests comparing the two: the rows are the same).
    SourceReader(const std::string& path, const std::optional<std::string>& layer = {}, bool plain_csv = true);
    ~SourceReader();
    SourceReader(const SourceReader&) = delete;
    SourceReader& operator=(const SourceReader&) = delete;

    const std::string& path() const;
    const std::string& layer_name() const;
    const std::string& driver() const;
    /// Column names as the source writes them (duplicates kept, in order).
    const std::vector<std::string>& headers() const;
    /// The layer's CRS as "AUTH:CODE" or WKT, when the layer has geometry with a CRS.
    const std::optional<std::string>& crs() const;
    /// The number of records, when the driver knows it cheaply.
    std::optional<std::int64_t> count() const;
    /// Reads the next record into @p row; false at the end. Throws source_error
    /// naming the file and record when the file is corrupt.
    bool next(SourceRow& row);

    /// True when rows come by the plain-CSV path.
    bool reads_plain_csv() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// The first polygon of a source and its CRS (for --boundary).
struct PolygonSource {
    std::vector<unsigned char> wkb;
    std::string crs;
};
PolygonSource read_first_polygon(const std::string& path);

/// SHA-256 of a file as lower-case hex, and its size in bytes.
struct FileDigest {
    std::string sha256;
    std::uint64_t bytes = 0;
};
FileDigest digest_file(const std::string& path);

} // namespace estate::io
