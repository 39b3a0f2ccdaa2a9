#pragma once
// Private: the records of a CSV file, split exactly as GDAL's CSV driver splits them
// (CPLReadLine3L + CSVReadParseLine3L + CSVSplitLine, GDAL 3.6: a line ends at CR, LF,
// CR LF or LF CR; a UTF-8 BOM at a line's start is skipped; while a record holds an
// odd number of quotes the next line is joined on with a LF; quotes toggle quoting
// anywhere in a value and a doubled quote inside quotes is one quote; a record with no
// values is skipped), read in large blocks through GDAL's file API. GDAL's own
// functions allocate every value and read each line in small pieces, seeking back
// after each: a third of an import's reading time. tests/io/test_source.cpp compares
// this with the driver on hand-made edge cases and on thousands of random files.

#include <cpl_vsi.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace estate::io {

class CsvRecords {
public:
    /// Reads from @p fp (not owned) from its current position, values separated by
    /// @p separator (',' as the driver; ';', tab or '|' for files the driver does not
    /// split), in blocks of @p block bytes (small ones only in tests of block boundaries).
    explicit CsvRecords(VSILFILE* fp, std::size_t block = 1 << 20, char separator = ',');

    /// The next record's first values.size() values into @p values (their memory
    /// reused; missing ones empty, further ones dropped); false at the end. Throws
    /// source_error when a line is @p max_record bytes or longer.
    bool next(std::vector<std::string>& values, std::size_t max_record);
    /// How many values the last record read had (more or fewer than were asked for).
    std::size_t last_count() const { return last_count_; }
    /// True when the last record read was all ASCII (nothing to check for UTF-8).
    bool last_ascii() const { return last_ascii_; }

private:
    bool read_line(std::string& line); // one physical line, cut at a NUL as C strings are
    bool fill();

    VSILFILE* fp_;
    std::vector<char> buffer_;
    std::size_t pos_ = 0, end_ = 0;
    bool eof_ = false;
    char separator_ = ',';
    std::size_t last_count_ = 0;
    bool last_ascii_ = true;
    std::string line_, record_, spare_;
};

} // namespace estate::io
