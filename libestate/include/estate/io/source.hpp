#pragma once
/// @file
/// Reading any GDAL/OGR vector or tabular source (CSV, GeoJSON, Shapefile,
/// GeoPackage, XLSX, ...) as rows of text values plus an optional geometry.

#include <cstdint>
#include <functional>
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
    /// A CSV record that cannot be read as one (a stray quote, more values than the
    /// header): why, its first line as it stands, and the line it began on. Its values
    /// are empty; the reader has gone on from the line after it.
    std::string malformed, raw;
    std::int64_t line = 0; ///< the physical line a CSV record began on (0: not known)
    /// A geometry the file holds but GDAL could not read (GeoJSON: a coordinate that is
    /// not a number, an unknown type), as the file writes it, shortened; else empty.
    std::string unreadable_geometry;
};

/// How many of a row's cells read like the column names a profile knows: finds the
/// header row of a spreadsheet or CSV that has a title, notes or blank rows above it.
using HeaderScore = std::function<int(const std::vector<std::string>&)>;

class SourceReader {
public:
    /// Opens @p path; @p layer chooses a layer of a multi-layer source (default: the
    /// first). Throws source_error naming the file and what GDAL said. A plain CSV file
    /// is read with GDAL's CSV tokenizer rather than OGR features, unless @p plain_csv
    /// is false (for tests comparing the two: the rows are the same).
    ///
    /// Files as people publish them: a `.zip` (a zipped Shapefile) or any GDAL virtual
    /// path (`/vsizip/...`) is read inside; a delimited text file may be separated by
    /// commas, semicolons, tabs or '|' (found from its first lines); text that is not
    /// UTF-8 is read as Windows-1252 and converted. With @p header_score, a CSV or
    /// spreadsheet whose first row scores under 2 has its header looked for among the
    /// first 50 rows (the first scoring 2 or more and at least half the best); the rows
    /// above it are skipped and counted (skipped_before_header()).
    SourceReader(const std::string& path, const std::optional<std::string>& layer = {}, bool plain_csv = true,
                 const HeaderScore& header_score = {});
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
    /// The value separator of a delimited text file (',' otherwise).
    char separator() const;
    /// Rows above the header row (a title, notes, blank rows), not records.
    std::int64_t skipped_before_header() const;
    /// What GDAL said it could not read while giving rows (up to ten distinct messages),
    /// and how many times: a row it concerns lacks what could not be read.
    const std::vector<std::string>& read_problems() const;
    std::int64_t read_problem_count() const;
    /// Values (headers included) read so far that were not UTF-8 and were converted
    /// from Windows-1252.
    std::int64_t recoded_values() const;
    /// Rows the header spans (2: a group row above the column names, joined to them).
    int header_rows() const;
    /// True when the file was UTF-16 text (a byte-order mark), read as UTF-8.
    bool read_utf16() const;
    /// Which of a source's several layers were read and why ("sheet 'Assets' of 3 ..."),
    /// or "" when it has one or the layer was named.
    const std::string& layer_note() const;

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
