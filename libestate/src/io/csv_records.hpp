#pragma once
// Private: the records of a CSV file, split exactly as GDAL's CSV driver splits them
// (CPLReadLine3L + CSVReadParseLine3L + CSVSplitLine, GDAL 3.6: a line ends at CR, LF,
// CR LF or LF CR; a UTF-8 BOM at a line's start is skipped; while a record holds an
// odd number of quotes the next line is joined on with a LF; quotes toggle quoting
// anywhere in a value and a doubled quote inside quotes is one quote; a record with no
// values is skipped), read in large blocks through GDAL's file API.
// Unlike the driver, a NUL byte does not end its line (the import warns of it), and
// one stray quote does not swallow the rest of the file: a record
// whose quotes stay open over more than max_record_lines lines or max_record_span
// bytes, or to the end of the file, or that has non-empty values beyond the header's,
// is malformed: given out with its first line as raw text, and reading goes on from
// the line after it. GDAL's own
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
    /// reused; missing ones empty, further empty ones dropped); false at the end.
    /// Throws source_error when a line is @p max_record bytes or longer. With
    /// @p strict (the rows after a header), a malformed record is given out as such
    /// (last_malformed()), its values empty.
    bool next(std::vector<std::string>& values, std::size_t max_record, bool strict = false);
    /// Why the last record is malformed, or empty; its first line as it stands in the file.
    const std::string& last_malformed() const { return malformed_; }
    const std::string& last_raw() const { return raw_; }
    /// The physical line the last record began on (1 = the file's first line), and
    /// how many lines have been read: every line is in one record, a malformed one,
    /// or a blank line, and the counts say so (tests check the sum).
    std::size_t last_line() const { return last_line_; }
    std::size_t lines_read() const { return lines_read_; }
    std::size_t blank_lines() const { return blank_lines_; }
    /// @p n lines were read before this reader began (a header read apart): counted.
    void lines_before(std::size_t n) { lines_read_ += n; }

    /// The most lines, and bytes, one record's quoted values may span.
    static constexpr std::size_t max_record_lines = 50, max_record_span = 1 << 16;
    /// How many values the last record read had (more or fewer than were asked for).
    std::size_t last_count() const { return last_count_; }
    /// True when the last record read was all ASCII (nothing to check for UTF-8).
    bool last_ascii() const { return last_ascii_; }

private:
    bool read_line(std::string& line); // one physical line, NUL bytes and all
    bool read_file_line(std::string& line);
    bool fill();

    VSILFILE* fp_;
    std::vector<char> buffer_;
    std::size_t pos_ = 0, end_ = 0;
    bool eof_ = false;
    char separator_ = ',';
    std::size_t last_count_ = 0;
    bool last_ascii_ = true;
    std::string line_, record_, spare_;
    std::vector<std::string> joined_;      // the lines after the first of the record being read
    std::vector<std::string> pushed_back_; // lines to read again (last first)
    std::string malformed_, raw_;
    std::size_t last_line_ = 0, lines_read_ = 0, blank_lines_ = 0;
};

} // namespace estate::io
