#include "estate/io/source.hpp"

#include "estate/error.hpp"
#include "estate/geo/geometry.hpp"
#include "estate/model/normalise.hpp"
#include "io/csv_records.hpp"
#include "io/gdal_errors.hpp"
#include "io/text_encoding.hpp"
#include "util/c_handles.hpp"
#include "util/sha256.hpp"

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <cpl_csv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
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
util::VsiFile open_after_csv_header(const std::string& path, std::vector<std::string>& header) {
    util::VsiFile fp(VSIFOpenL(path.c_str(), "rb"));
    if (!fp) return nullptr;
    header.clear();
    char** tokens = CSVReadParseLine3L(fp.get(), max_csv_line, ",", true /* honour quotes */, false /* keep quotes */,
                                       false /* merge separators */, true /* skip BOM */);
    for (char** t = tokens; t && *t; ++t) header.emplace_back(*t);
    CSLDestroy(tokens);
    return fp;
}

// The first bytes of a text file, to tell its separator and header row.
std::string read_head(const std::string& path, size_t bytes) {
    util::VsiFile fp(VSIFOpenL(path.c_str(), "rb"));
    if (!fp) return {};
    std::string head(bytes, '\0');
    head.resize(VSIFReadL(head.data(), 1, bytes, fp.get()));
    return head;
}

// The separator of a delimited text file: of ',', ';', tab and '|', the one found
// the same number of times (outside quotes) on most of the first lines. A title line
// above the header has none; the header and the rows agree.
char sniff_separator(const std::string& head) {
    const char candidates[] = {',', ';', '\t', '|'};
    char best = ',';
    size_t best_score = 0;
    for (char sep : candidates) {
        std::map<size_t, size_t> lines_with; // separators on a line -> lines
        size_t count = 0, lines = 0;
        bool quoted = false;
        for (size_t i = 0; i < head.size() && lines < 50; ++i) {
            const char c = head[i];
            if (c == '"')
                quoted = !quoted;
            else if (c == sep && !quoted)
                ++count;
            else if ((c == '\n' || c == '\r') && !quoted) {
                if (count) ++lines_with[count];
                count = 0;
                ++lines;
            }
        }
        size_t score = 0;
        for (const auto& [n, seen] : lines_with) score = std::max(score, seen);
        if (score > best_score) {
            best = sep;
            best_score = score;
        }
    }
    return best;
}

bool delimited_text_name(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext == ".csv" || ext == ".tsv" || ext == ".txt" || ext == ".psv" || ext == ".tab";
}

// Which of @p rows is the header: the first that scores 2 or more and at least half
// the best; the first row when none does.
size_t header_row(const std::vector<std::vector<std::string>>& rows, const HeaderScore& score) {
    if (!score || rows.empty()) return 0;
    std::vector<int> scores;
    for (const auto& r : rows) scores.push_back(score(r));
    const int best = *std::max_element(scores.begin(), scores.end());
    if (best < 2 || scores[0] >= 2) return 0;
    for (size_t i = 0; i < scores.size(); ++i)
        if (scores[i] >= 2 && 2 * scores[i] >= best) return i;
    return 0;
}

// A header that spans two rows ("Site" over "Name" and "Ref", a merged cell left blank
// after its first column): the two rows' words joined, when the second row is words
// (no figures) and the joined names say more than the first row's alone. nullopt when
// the header is the one row.
std::optional<std::vector<std::string>> two_row_header(const std::vector<std::vector<std::string>>& rows, size_t h,
                                                       const HeaderScore& score) {
    if (!score || h + 1 >= rows.size()) return std::nullopt;
    const auto& top = rows[h];
    const auto& below = rows[h + 1];
    size_t words = 0;
    for (const auto& cell : below) {
        const std::string v = model::trim(cell);
        if (v.empty()) continue;
        char* end = nullptr;
        std::strtod(v.c_str(), &end);
        if (end == v.c_str() + v.size()) return std::nullopt; // a figure: a data row
        ++words;
    }
    if (words < 2) return std::nullopt;
    std::vector<std::string> joined(std::max(top.size(), below.size()));
    std::string carried; // a merged cell's words, over the columns after it
    for (size_t i = 0; i < joined.size(); ++i) {
        const std::string t = i < top.size() ? model::trim(top[i]) : "";
        const std::string b = i < below.size() ? model::trim(below[i]) : "";
        if (!t.empty()) carried = t;
        joined[i] = b.empty() ? carried : carried.empty() ? b : carried + " " + b;
    }
    if (score(joined) <= score(top)) return std::nullopt;
    return joined;
}

// Whether @p above is a row grouping the columns of the header @p names below it
// ("Site" over Reference and Name, "Location" over Easting and Northing): words (no
// figures, at most four each) over some of the named columns, blanks over others.
bool groups_columns(const std::vector<std::string>& above, const std::vector<std::string>& names) {
    size_t words = 0, blanks = 0;
    for (size_t i = 0; i < names.size(); ++i) {
        if (model::trim(names[i]).empty()) continue;
        const std::string v = i < above.size() ? model::trim(above[i]) : "";
        if (v.empty()) {
            ++blanks;
            continue;
        }
        char* end = nullptr;
        std::strtod(v.c_str(), &end);
        if (end == v.c_str() + v.size() || std::count(v.begin(), v.end(), ' ') >= 4) return false;
        ++words;
    }
    return words >= 1 && blanks >= words;
}

// The header of a table whose first rows are @p rows: where it begins, how many rows
// it spans, and the column names (a group row's words joined to the names below when
// that makes them names a profile knows better; otherwise the lower row's alone).
struct HeaderFound {
    size_t first = 0;
    int rows = 1;
    std::vector<std::string> names;
};
HeaderFound find_header(const std::vector<std::vector<std::string>>& rows, const HeaderScore& score) {
    HeaderFound found;
    if (rows.empty()) return found;
    const size_t h = header_row(rows, score);
    found.first = h;
    found.names = rows[h];
    if (h > 0 && score && groups_columns(rows[h - 1], rows[h])) {
        if (auto joined = two_row_header(rows, h - 1, score)) found.names = *joined;
        found.first = h - 1;
        found.rows = 2;
    } else if (auto joined = two_row_header(rows, h, score)) {
        found.names = *joined;
        found.rows = 2;
    }
    return found;
}

// Column names as a header row gives them: an empty cell is "field_N" (as GDAL names them).
std::vector<std::string> header_names(std::vector<std::string> cells) {
    for (size_t i = 0; i < cells.size(); ++i)
        if (cells[i].find_first_not_of(" \t") == std::string::npos) cells[i] = "field_" + std::to_string(i + 1);
    return cells;
}

// Rows examined for the header.
constexpr size_t header_search_rows = 50;

} // namespace

struct SourceReader::Impl {
    std::string path;
    std::string layer_name;
    std::string driver;
    std::vector<std::string> headers;
    std::optional<std::string> crs;
    util::GdalDataset ds;
    OGRLayerH layer = nullptr;
    std::int64_t number = 0;
    char separator = ',';
    std::int64_t skipped = 0;
    int header_rows = 1;
    bool utf16 = false;
    std::int64_t recoded = 0;
    // A text file in UTF-16 (a byte-order mark says so) is read from a UTF-8 copy in
    // GDAL's memory file system, removed when the reader goes.
    std::string utf8_copy;
    // Every layer read in turn (KML's folders), each field put in the column of its name.
    std::vector<OGRLayerH> next_layers;
    std::vector<int> field_column; // the current layer's field i -> column; empty: the same
    int folder_column = -1;        // the column holding the layer's (folder's) name
    std::string layer_note;        // which layer(s) were read, when the source has several
    ~Impl() {
        records.reset();
        plain_csv.reset();
        ds.reset();
        if (!utf8_copy.empty()) VSIUnlink(utf8_copy.c_str());
    }
    // A plain CSV file - comma-separated, a header row, text columns, no geometry -
    // is read by CsvRecords (the driver's splitting rules, in large blocks) rather
    // than through an OGR feature per record: three quarters less of the reading
    // thread's work at a million rows. The rows are the driver's own (tests compare
    // the two on edge cases and thousands of random files); anything not plain
    // (no header row, a geometry column, trimmed or renamed columns) goes through OGR.
    // A delimited file the driver cannot split as published (another separator than
    // a comma, or rows above the header) is read by CsvRecords alone (`plain_csv`
    // with no dataset).
    util::VsiFile plain_csv;
    std::unique_ptr<CsvRecords> records; // reads plain_csv: declared after it, so destroyed first
    // Spreadsheet rows read while looking for the header, given out first.
    std::deque<std::vector<std::string>> pending;
    bool header_is_a_row = false; // the layer's features include the header row
    // A Shapefile whose .dbf lists fewer records than its .shp holds shapes: GDAL reads
    // as many as the .dbf lists, the other shapes are never seen. The .shx says how
    // many shapes there are (100 bytes of header, 8 a shape); the .dbf's header how
    // many records (a little-endian count at byte 4).
    void check_shapefile_counts() {
        const std::filesystem::path base(path);
        auto find = [&](const char* lower, const char* upper) {
            for (const char* ext : {lower, upper}) {
                auto p = base;
                p.replace_extension(ext);
                if (std::filesystem::exists(p)) return p;
            }
            return std::filesystem::path();
        };
        const auto shx = find(".shx", ".SHX"), dbf = find(".dbf", ".DBF");
        if (shx.empty() || dbf.empty()) return;
        std::error_code ec;
        const auto bytes = std::filesystem::file_size(shx, ec);
        std::ifstream in(dbf, std::ios::binary);
        unsigned char header[8] = {};
        if (ec || bytes < 100 || !in.read(reinterpret_cast<char*>(header), 8)) return;
        const auto shapes = static_cast<std::int64_t>((bytes - 100) / 8);
        const std::int64_t records =
            header[4] | header[5] << 8 | header[6] << 16 | static_cast<std::int64_t>(header[7]) << 24;
        {
            if (records != shapes)
                read_problem("its .shp holds " + std::to_string(shapes) + " shapes but its .dbf " +
                             std::to_string(records) + " records: only " +
                             std::to_string(std::min<std::int64_t>(records, shapes)) +
                             " rows can be read (the file is damaged or its parts come from different versions)");
            return;
        }
    }
    std::vector<std::string> read_problems; // distinct, the first 10
    std::int64_t read_problem_count = 0;
    void read_problem(const std::string& message) {
        ++read_problem_count;
        if (read_problems.size() < 10 &&
            std::find(read_problems.begin(), read_problems.end(), message) == read_problems.end())
            read_problems.push_back(message);
    }

    void utf8(std::vector<std::string>& values) {
        for (auto& v : values) recoded += make_utf8(v);
    }

    // Opens the file for CsvRecords, positioned after its first @p skip records and
    // the header record, whose values go to @p header.
    util::VsiFile open_records(size_t skip, char sep, std::vector<std::string>& header) {
        util::VsiFile fp(VSIFOpenL(path.c_str(), "rb"));
        if (!fp) return nullptr;
        records = std::make_unique<CsvRecords>(fp.get(), 1 << 20, sep);
        std::vector<std::string> values(4096);
        for (size_t i = 0; i <= skip && records->next(values, max_csv_line); ++i)
            if (i == skip)
                header.assign(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(
                                                                   std::min(records->last_count(), values.size())));
        return fp;
    }

    // A delimited text file read by CsvRecords alone: the records before the header
    // row skipped, the header row's cells the column names.
    void open_own_text(size_t header_index) {
        std::vector<std::string> header;
        plain_csv = open_records(header_index, separator, header);
        if (!plain_csv) throw source_error("cannot open " + path);
        utf8(header);
        headers = header_names(header);
        skipped = static_cast<std::int64_t>(header_index);
        driver = "CSV";
        layer_name = std::filesystem::path(path).stem().string();
    }

    void open_plain_csv(OGRFeatureDefnH defn) {
        if (OGR_FD_GetGeomFieldCount(defn) != 0) return;
        for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i)
            if (OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, i)) != OFTString) return;
        std::vector<std::string> header;
        util::VsiFile fp = open_after_csv_header(path, header);
        // The header must be exactly the driver's column names.
        if (!fp || header != headers) return;
        plain_csv = std::move(fp); // positioned just after the header line
        records = std::make_unique<CsvRecords>(plain_csv.get());
        records->lines_before(1);
    }

    bool next_plain_csv(SourceRow& row) {
        row.values.resize(headers.size());
        try {
            if (!records->next(row.values, max_csv_line, true)) return false;
        } catch (const source_error& e) {
            throw source_error(path + ": cannot read record " + std::to_string(number + 1) + ": " + e.what() +
                               "; the file may be truncated or corrupt");
        }
        row.number = ++number;
        row.geometry_wkb.clear();
        row.line = static_cast<std::int64_t>(records->last_line());
        row.malformed = records->last_malformed();
        row.raw = row.malformed.empty() ? std::string() : records->last_raw();
        if (!records->last_ascii()) {
            utf8(row.values);
            if (!row.raw.empty()) recoded += make_utf8(row.raw);
        }
        return true;
    }

    // Of a source's several layers (a workbook's sheets, a GeoPackage's tables), the one
    // that holds the properties: the one whose header (or, in a sheet, one of its first
    // rows) names the most fields a profile knows; of equals, the one with more rows.
    OGRLayerH best_layer(const HeaderScore& score) {
        const int layers = GDALDatasetGetLayerCount(ds.get());
        OGRLayerH best = GDALDatasetGetLayer(ds.get(), 0);
        std::pair<int, GIntBig> best_fit{-1, -1};
        for (int i = 0; i < layers; ++i) {
            OGRLayerH l = GDALDatasetGetLayer(ds.get(), i);
            OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
            std::vector<std::string> names;
            for (int f = 0; f < OGR_FD_GetFieldCount(d); ++f)
                names.emplace_back(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, f)));
            int fit = score ? score(names) : 0;
            const GIntBig rows = OGR_L_GetFeatureCount(l, TRUE);
            if (score && (driver == "XLSX" || driver == "ODS")) {
                OGR_L_ResetReading(l);
                for (int r = 0; r < 20; ++r) {
                    util::OgrFeature f(OGR_L_GetNextFeature(l));
                    if (!f) break;
                    std::vector<std::string> values;
                    for (int c = 0; c < OGR_F_GetFieldCount(f.get()); ++c)
                        values.emplace_back(OGR_F_IsFieldSetAndNotNull(f.get(), c) ? OGR_F_GetFieldAsString(f.get(), c)
                                                                                   : "");
                    fit = std::max(fit, score(values));
                }
                OGR_L_ResetReading(l);
            }
            if (rows > 0 && std::pair<int, GIntBig>{fit, rows} > best_fit) {
                best_fit = {fit, rows};
                best = l;
            }
        }
        layer_note = std::string(driver == "XLSX" || driver == "ODS" ? "sheet" : "layer") + " '" + OGR_L_GetName(best) +
                     "' of " + std::to_string(layers) +
                     " (its columns name the most register fields; another: --layer NAME)";
        return best;
    }

    // Where each field of the current layer goes among the columns (KML's folders).
    void map_fields() {
        field_column.clear();
        OGRFeatureDefnH d = OGR_L_GetLayerDefn(layer);
        for (int i = 0; i < OGR_FD_GetFieldCount(d); ++i) {
            std::string name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, i));
            make_utf8(name);
            auto it = std::find(headers.begin(), headers.end(), name);
            field_column.push_back(it == headers.end() ? -1 : static_cast<int>(it - headers.begin()));
        }
    }

    // A spreadsheet whose first row is not its header (a title above it): read again
    // with no header row, the header found among the first rows.
    void find_spreadsheet_header(const HeaderScore& score, const std::string& driver_name) {
        ds.reset();
        CPLSetThreadLocalConfigOption(("OGR_" + driver_name + "_HEADERS").c_str(), "DISABLE");
        ds.reset(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
        CPLSetThreadLocalConfigOption(("OGR_" + driver_name + "_HEADERS").c_str(), "FORCE");
        if (!ds) throw source_error("cannot read " + path + " again to find its header row");
        layer = GDALDatasetGetLayerByName(ds.get(), layer_name.c_str());
        if (!layer) layer = GDALDatasetGetLayer(ds.get(), 0);
        std::vector<std::vector<std::string>> rows;
        while (rows.size() < header_search_rows) {
            util::OgrFeature f(OGR_L_GetNextFeature(layer));
            if (!f) break;
            std::vector<std::string> values;
            for (int i = 0; i < OGR_F_GetFieldCount(f.get()); ++i)
                values.emplace_back(OGR_F_IsFieldSetAndNotNull(f.get(), i) ? OGR_F_GetFieldAsString(f.get(), i) : "");
            utf8(values);
            rows.push_back(std::move(values));
        }
        const HeaderFound found = find_header(rows, score);
        headers = header_names(found.names);
        skipped = static_cast<std::int64_t>(found.first);
        header_rows = found.rows;
        header_is_a_row = true;
        for (size_t i = found.first + static_cast<size_t>(found.rows); i < rows.size(); ++i)
            pending.push_back(std::move(rows[i]));
    }
};

SourceReader::SourceReader(const std::string& given_path, const std::optional<std::string>& layer, bool plain_csv,
                           const HeaderScore& header_score)
    : impl_(std::make_unique<Impl>()) {
    register_gdal_drivers_once();
    // Shapefiles are published zipped: a .zip is read inside, as GDAL's /vsizip/.
    std::string path = given_path;
    {
        std::string lower = path;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower.size() > 4 && lower.compare(lower.size() - 4, 4, ".zip") == 0 && lower.rfind("/vsi", 0) != 0)
            path = "/vsizip/" + path;
    }
    impl_->path = path;
    GdalErrorCollector errors;
    VSIStatBufL stat{};
    if (VSIStatL(path.c_str(), &stat) != 0) throw source_error("cannot open " + given_path + ": no such file");

    // A MapInfo table is a .tab too: not text.
    bool delimited = !VSI_ISDIR(stat.st_mode) && delimited_text_name(path);
    if (delimited) {
        GDALDriverH d = GDALIdentifyDriverEx(path.c_str(), GDAL_OF_VECTOR, nullptr, nullptr);
        delimited = !d || std::string(GDALGetDriverShortName(d)) == "CSV";
    }
    // Text in UTF-16: read from a UTF-8 copy, as if the file had been saved so.
    if (delimited && stat.st_size < (std::int64_t(1) << 31)) {
        const std::string head = read_head(path, 2);
        std::string converted;
        if (utf16_to_utf8(head, converted)) {
            utf16_to_utf8(read_head(path, static_cast<size_t>(stat.st_size)), converted);
            static std::atomic<int> copies{0};
            impl_->utf8_copy = "/vsimem/estate-utf16-" + std::to_string(copies++) + "-" +
                               std::filesystem::path(path).filename().string();
            util::VsiFile out(VSIFOpenL(impl_->utf8_copy.c_str(), "wb"));
            if (!out || VSIFWriteL(converted.data(), 1, converted.size(), out.get()) != converted.size())
                throw source_error("cannot read " + given_path + " (UTF-16 text) into memory");
            path = impl_->path = impl_->utf8_copy;
            impl_->utf16 = true;
        }
    }
    // A delimited text file: its separator and header row, from its first lines.
    if (delimited) {
        const std::string head = read_head(path, 1 << 16);
        impl_->separator = sniff_separator(head);
        HeaderFound found;
        if (header_score) {
            if (util::VsiFile fp{VSIFOpenL(path.c_str(), "rb")}) {
                CsvRecords records(fp.get(), 1 << 16, impl_->separator);
                std::vector<std::vector<std::string>> rows;
                std::vector<std::string> values(4096);
                try {
                    while (rows.size() < header_search_rows && records.next(values, max_csv_line)) {
                        rows.emplace_back(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                                               records.last_count(), values.size())));
                        for (auto& v : rows.back()) make_utf8(v);
                    }
                } catch (const source_error&) {
                    // the import reports it, with the record
                }
                found = find_header(rows, header_score);
            }
        }
        // GDAL's driver splits at the separator of the first line when it is a comma,
        // semicolon or tab, in a file it knows by its name (.csv, .tsv); a '|', rows above
        // the header, a header of two rows, a .txt or a UTF-16 copy it does not handle.
        const std::string ext = std::filesystem::path(path).extension().string();
        const bool driver_reads_it = ext == ".csv" || ext == ".CSV" || ext == ".tsv" || ext == ".TSV";
        if (found.rows == 2 || found.first > 0 || impl_->separator == '|' || !driver_reads_it || impl_->utf16) {
            const size_t names_row = found.first + static_cast<size_t>(found.rows) - 1;
            impl_->open_own_text(names_row);
            if (found.rows == 2) impl_->headers = header_names(found.names);
            impl_->skipped = static_cast<std::int64_t>(found.first);
            impl_->header_rows = found.rows;
            if (impl_->utf16) impl_->layer_name = std::filesystem::path(given_path).stem().string();
            return;
        }
    }

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
    } else if (driver == "GeoJSON") {
        // Each feature's own JSON, to tell which feature's geometry GDAL could not read.
        options.AddNameValue("NATIVE_DATA", "YES");
    } else if (driver == "CSV") {
        options.AddNameValue("AUTODETECT_TYPE", "NO");
        options.AddNameValue("KEEP_GEOM_COLUMNS", "YES");
    }
    impl_->ds.reset(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, options.List(), nullptr));
    if (!impl_->ds)
        throw source_error("cannot read " + given_path + " as a GIS or tabular file" +
                           (errors.last_error().empty() ? "" : " (" + errors.last_error() + ")") +
                           ": is it CSV, GeoJSON, Shapefile, GeoPackage or XLSX, and complete?");
    impl_->driver = GDALGetDriverShortName(GDALGetDatasetDriver(impl_->ds.get()));
    int layers = GDALDatasetGetLayerCount(impl_->ds.get());
    if (layers == 0) throw source_error(given_path + " has no layers (no table or features to import)");
    if (layer) {
        impl_->layer = GDALDatasetGetLayerByName(impl_->ds.get(), layer->c_str());
        if (!impl_->layer) {
            std::string names;
            for (int i = 0; i < layers; ++i)
                names += (i ? ", " : "") + std::string(OGR_L_GetName(GDALDatasetGetLayer(impl_->ds.get(), i)));
            throw usage_error(given_path + " has no layer '" + *layer + "'; its layers: " + names);
        }
    } else if (layers > 1 && (impl_->driver == "KML" || impl_->driver == "LIBKML")) {
        // KML's folders are layers of one kind: every one is read, its name kept.
        impl_->layer = GDALDatasetGetLayer(impl_->ds.get(), 0);
        for (int i = 1; i < layers; ++i) impl_->next_layers.push_back(GDALDatasetGetLayer(impl_->ds.get(), i));
        impl_->layer_note = "all " + std::to_string(layers) + " folders read (their names in the column 'folder')";
    } else if (layers > 1) {
        impl_->layer = impl_->best_layer(header_score);
    } else {
        impl_->layer = GDALDatasetGetLayer(impl_->ds.get(), 0);
    }
    impl_->layer_name = OGR_L_GetName(impl_->layer);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(impl_->layer);
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i)
        impl_->headers.emplace_back(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
    if (!impl_->next_layers.empty()) {
        // Fields the later folders have that the first lacks become columns too.
        for (OGRLayerH l : impl_->next_layers) {
            OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
            for (int i = 0; i < OGR_FD_GetFieldCount(d); ++i) {
                const std::string name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, i));
                if (std::find(impl_->headers.begin(), impl_->headers.end(), name) == impl_->headers.end())
                    impl_->headers.push_back(name);
            }
        }
        impl_->folder_column = static_cast<int>(impl_->headers.size());
        impl_->headers.push_back("folder");
        impl_->map_fields();
    }
    impl_->utf8(impl_->headers);
    if (OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(impl_->layer)) impl_->crs = crs_of(srs);
    if ((impl_->driver == "XLSX" || impl_->driver == "ODS") && header_score && header_score(impl_->headers) < 2)
        impl_->find_spreadsheet_header(header_score, impl_->driver);
    if (impl_->driver == "CSV" && plain_csv) impl_->open_plain_csv(defn);
    if (impl_->driver == "ESRI Shapefile") impl_->check_shapefile_counts();
}

SourceReader::~SourceReader() = default;

const std::string& SourceReader::path() const {
    return impl_->path;
}
const std::string& SourceReader::layer_name() const {
    return impl_->layer_name;
}
const std::string& SourceReader::driver() const {
    return impl_->driver;
}
const std::vector<std::string>& SourceReader::headers() const {
    return impl_->headers;
}
const std::optional<std::string>& SourceReader::crs() const {
    return impl_->crs;
}
bool SourceReader::reads_plain_csv() const {
    return impl_->plain_csv != nullptr;
}
char SourceReader::separator() const {
    return impl_->separator;
}
std::int64_t SourceReader::skipped_before_header() const {
    return impl_->skipped;
}
const std::vector<std::string>& SourceReader::read_problems() const {
    return impl_->read_problems;
}
std::int64_t SourceReader::read_problem_count() const {
    return impl_->read_problem_count;
}
std::int64_t SourceReader::recoded_values() const {
    return impl_->recoded;
}
int SourceReader::header_rows() const {
    return impl_->header_rows;
}
bool SourceReader::read_utf16() const {
    return impl_->utf16;
}
const std::string& SourceReader::layer_note() const {
    return impl_->layer_note;
}

std::optional<std::int64_t> SourceReader::count() const {
    if (impl_->plain_csv) {
        // The same records the import will read, counted by a second reader of the
        // file (GDAL's count builds a feature per row: three times slower, 1.5 s at 1M rows).
        std::vector<std::string> header, none;
        util::VsiFile fp;
        std::unique_ptr<CsvRecords> records; // after fp: destroyed before it
        if (impl_->ds) {
            fp = open_after_csv_header(impl_->path, header);
            if (!fp) return std::nullopt;
            records = std::make_unique<CsvRecords>(fp.get());
        } else {
            fp.reset(VSIFOpenL(impl_->path.c_str(), "rb"));
            if (!fp) return std::nullopt;
            records = std::make_unique<CsvRecords>(fp.get(), 1 << 20, impl_->separator);
            for (std::int64_t i = 0; i <= impl_->skipped && records->next(none, max_csv_line); ++i) {
                // the rows above the header, and the header
            }
        }
        std::int64_t n = 0;
        try {
            while (records->next(none, max_csv_line)) ++n;
        } catch (const source_error&) {
            return std::nullopt; // the import itself reports it, with the record
        }
        return n;
    }
    GIntBig n = OGR_L_GetFeatureCount(impl_->layer, 0);
    if (n < 0) return std::nullopt;
    // A spreadsheet read with no header row counts its header and the rows above it.
    return static_cast<std::int64_t>(n) - (impl_->header_is_a_row ? impl_->skipped + 1 : 0);
}

namespace {
/// The feature's "geometry" member as GeoJSON writes it (GDAL's own re-serialisation
/// of the feature, so spacing is its), when it is an object rather than null or absent.
std::string geometry_gdal_could_not_read(const std::string& feature_json) {
    static const std::string key = "\"geometry\":";
    for (size_t at = feature_json.find(key); at != std::string::npos; at = feature_json.find(key, at + 1)) {
        size_t v = feature_json.find_first_not_of(" \t\r\n", at + key.size());
        if (v == std::string::npos || feature_json[v] != '{') continue;
        // Up to its closing brace at the same depth (strings may hold braces).
        int depth = 0;
        bool in_string = false;
        size_t end = v;
        for (; end < feature_json.size(); ++end) {
            char c = feature_json[end];
            if (in_string) {
                if (c == '\\')
                    ++end;
                else if (c == '"')
                    in_string = false;
            } else if (c == '"')
                in_string = true;
            else if (c == '{')
                ++depth;
            else if (c == '}' && --depth == 0)
                break;
        }
        std::string text = feature_json.substr(v, end + 1 - v);
        constexpr size_t shown = 160;
        if (text.size() > shown) text = text.substr(0, shown) + "...";
        return text;
    }
    return {};
}
} // namespace

bool SourceReader::next(SourceRow& row) {
    if (impl_->plain_csv) return impl_->next_plain_csv(row);
    row.malformed.clear(); // only the plain CSV reader finds malformed records
    row.raw.clear();
    row.line = 0;
    row.unreadable_geometry.clear();
    const size_t columns = impl_->headers.size();
    if (!impl_->pending.empty()) { // spreadsheet rows read while finding the header
        row.values = std::move(impl_->pending.front());
        impl_->pending.pop_front();
        row.values.resize(columns);
        row.number = ++impl_->number;
        row.geometry_wkb.clear();
        return true;
    }
    // GDAL's error handlers are per thread, and next() may run on a reader thread.
    GdalErrorCollector errors;
    // GeoJSON tells of a geometry it cannot read only in its debug messages.
    if (impl_->driver == "GeoJSON") CPLSetThreadLocalConfigOption("CPL_DEBUG", "GeoJSON");
    util::OgrFeature feature(OGR_L_GetNextFeature(impl_->layer));
    // The end of one of several layers read in turn: on to the next.
    while (!feature && !impl_->next_layers.empty() && errors.last_error().empty()) {
        impl_->layer = impl_->next_layers.front();
        impl_->next_layers.erase(impl_->next_layers.begin());
        impl_->map_fields();
        feature.reset(OGR_L_GetNextFeature(impl_->layer));
    }
    OGRFeatureH f = feature.get();
    if (impl_->driver == "GeoJSON") CPLSetThreadLocalConfigOption("CPL_DEBUG", nullptr);
    if (!f) {
        if (!errors.last_error().empty())
            throw source_error(impl_->path + ": cannot read record " + std::to_string(impl_->number + 1) + ": " +
                               errors.last_error() + "; the file may be truncated or corrupt");
        return false;
    }
    row.number = ++impl_->number;
    // GDAL gave a feature but said it could not read all of it (a coordinate that is
    // not a number, say). Drivers that read the whole file at the first feature
    // (GeoJSON) say it there, for every feature at once: so it is told of the file.
    for (const auto& message : errors.errors()) impl_->read_problem(message);
    row.values.resize(columns);
    if (impl_->folder_column >= 0) {
        for (auto& v : row.values) v.clear();
        for (int i = 0; i < OGR_F_GetFieldCount(f) && i < static_cast<int>(impl_->field_column.size()); ++i)
            if (impl_->field_column[static_cast<size_t>(i)] >= 0 && OGR_F_IsFieldSetAndNotNull(f, i))
                row.values[static_cast<size_t>(impl_->field_column[static_cast<size_t>(i)])] =
                    OGR_F_GetFieldAsString(f, i);
        row.values[static_cast<size_t>(impl_->folder_column)] = OGR_L_GetName(impl_->layer);
    } else {
        const int n = std::min(static_cast<int>(columns), OGR_F_GetFieldCount(f));
        for (int i = n; i < static_cast<int>(columns); ++i) row.values[static_cast<size_t>(i)].clear();
        for (int i = 0; i < n; ++i) {
            if (OGR_F_IsFieldSetAndNotNull(f, i))
                row.values[static_cast<size_t>(i)] = OGR_F_GetFieldAsString(f, i);
            else
                row.values[static_cast<size_t>(i)].clear();
        }
    }
    impl_->utf8(row.values);
    row.geometry_wkb.clear();
    if (OGRGeometryH g = OGR_F_GetGeometryRef(f); g && !OGR_G_IsEmpty(g)) {
        row.geometry_wkb.resize(static_cast<size_t>(OGR_G_WkbSize(g)));
        OGR_G_ExportToIsoWkb(g, wkbNDR, row.geometry_wkb.data());
    } else if (const char* native = OGR_F_GetNativeData(f)) {
        row.unreadable_geometry = geometry_gdal_could_not_read(native);
    }
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
    // Through GDAL's file API, so that a file inside a zip (/vsizip/...) is one too.
    util::VsiFile fp(VSIFOpenL(path.c_str(), "rb"));
    if (!fp) throw source_error("cannot read " + path + " to checksum it");
    util::Sha256 sha;
    std::vector<unsigned char> buf(1 << 16);
    FileDigest d;
    while (size_t got = VSIFReadL(buf.data(), 1, buf.size(), fp.get())) {
        sha.update(buf.data(), got);
        d.bytes += got;
    }
    d.sha256 = sha.hex_digest();
    return d;
}

} // namespace estate::io
