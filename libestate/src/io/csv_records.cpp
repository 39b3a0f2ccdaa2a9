#include "io/csv_records.hpp"

#include "estate/error.hpp"
#include "io/text_encoding.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace estate::io {

CsvRecords::CsvRecords(VSILFILE* fp, std::size_t block, char separator)
    : fp_(fp), buffer_(std::max<std::size_t>(block, 1)), separator_(separator) {}

bool CsvRecords::fill() {
    if (eof_) return false;
    if (pos_ > 0) { // keep the unread bytes, at the front
        std::memmove(buffer_.data(), buffer_.data() + pos_, end_ - pos_);
        end_ -= pos_;
        pos_ = 0;
    }
    if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2); // a line longer than the buffer
    const size_t got = VSIFReadL(buffer_.data() + end_, 1, buffer_.size() - end_, fp_);
    if (got == 0) {
        eof_ = true;
        return false;
    }
    end_ += got;
    return true;
}

bool CsvRecords::read_line(std::string& line) {
    if (!pushed_back_.empty()) {
        line = std::move(pushed_back_.back());
        pushed_back_.pop_back();
        return true;
    }
    if (!read_file_line(line)) return false;
    ++lines_read_;
    return true;
}

bool CsvRecords::read_file_line(std::string& line) {
    size_t scanned = 0; // bytes from pos_ known to hold no line end
    while (true) {
        const char* b = buffer_.data();
        size_t i = pos_ + scanned;
        while (i < end_ && b[i] != '\n' && b[i] != '\r') ++i;
        scanned = i - pos_;
        const bool found = i < end_;
        // A line end at the very end of the buffer may have its partner in the next block.
        if (found && (i + 1 < end_ || eof_)) {
            line.assign(b + pos_, i - pos_);
            // CR LF and LF CR end a line together; otherwise CR or LF alone.
            size_t next = i + 1;
            if (next < end_ && b[next] != b[i] && (b[next] == '\n' || b[next] == '\r')) ++next;
            pos_ = next;
            break;
        }
        if (!fill() && !found) { // the end of the file, and no line end
            if (pos_ == end_) return false;
            line.assign(buffer_.data() + pos_, end_ - pos_);
            pos_ = end_;
            break;
        }
    }
    // (GDAL's driver reads C strings and loses the rest of a line after a NUL byte;
    // here it is kept, and the import warns of it: control_characters.)
    return true;
}

namespace {

// Splits @p record at @p separator as GDAL's CSVSplitLine does at commas: a quote toggles quoting
// wherever it appears, a doubled quote inside quotes is one quote, quotes are
// dropped, and a record ending in a comma (even inside an unclosed quote) has an
// empty last value. The first @p wanted values go to @p out; returns how many
// values the record has.
size_t split(std::string_view record, char separator, std::vector<std::string>& out, size_t wanted, std::string& spare,
             bool& extra_values) {
    const char* p = record.data();
    const char* end = p + record.size();
    size_t count = 0;
    auto target = [&]() -> std::string& { return count < wanted ? out[count] : spare; };
    while (p < end) {
        std::string& token = target();
        token.clear();
        bool quoted = false;
        for (; p < end; ++p) {
            if (!quoted && *p == separator) {
                ++p;
                break;
            }
            if (*p == '"') {
                if (!quoted || p + 1 == end || p[1] != '"') {
                    quoted = !quoted;
                    continue;
                }
                ++p; // a doubled quote inside quotes: one quote
            }
            token += *p;
        }
        if (count >= wanted && !spare.empty()) extra_values = true;
        ++count;
        if (p == end && p[-1] == separator) {
            target().clear();
            ++count;
        }
    }
    return count;
}

} // namespace

bool CsvRecords::next(std::vector<std::string>& values, std::size_t max_record, bool strict) {
    auto check_length = [&](const std::string& line) {
        if (line.size() >= max_record)
            throw source_error("a line longer than " + std::to_string(max_record) + " characters");
    };
    malformed_.clear();
    while (true) {
        // The line number of a line given back is that of the record it follows.
        const std::size_t first_line = lines_read_ + 1 - pushed_back_.size();
        if (!read_line(line_)) return false;
        check_length(line_);
        last_line_ = first_line;
        std::string_view first(line_);
        if (first.size() >= 3 && first.compare(0, 3, "\xEF\xBB\xBF") == 0) first.remove_prefix(3);
        std::string_view record = first;
        bool open_to_the_end = false, too_long = false;
        joined_.clear();
        if (first.find('"') != std::string_view::npos) {
            // While the quotes are unbalanced the record goes on over the next line.
            record_.assign(first);
            auto quotes = std::count(record_.begin(), record_.end(), '"');
            std::string next_line;
            while (quotes % 2 != 0) {
                if (strict && (joined_.size() + 1 >= max_record_lines || record_.size() >= max_record_span)) {
                    too_long = true;
                    break;
                }
                if (!read_line(next_line)) {
                    open_to_the_end = true;
                    break;
                }
                check_length(next_line);
                record_ += '\n';
                record_ += next_line;
                quotes += std::count(next_line.begin(), next_line.end(), '"');
                joined_.push_back(std::move(next_line));
            }
            record = record_;
        }
        last_ascii_ = is_ascii(record); // one pass over the record instead of one per value
        const size_t wanted = values.size();
        bool extra_values = false;
        const size_t count = split(record, separator_, values, wanted, spare_, extra_values);
        if (count == 0) { // no values at all: not a record
            ++blank_lines_;
            continue;
        }
        last_count_ = count;
        for (size_t i = count; i < wanted; ++i) values[i].clear();
        if (strict && (too_long || open_to_the_end || extra_values)) {
            // Malformed: its first line is given out as it stands, and the lines read
            // after it are read again as records of their own.
            malformed_ = too_long
                             ? "a quote opens a value that runs on over more than " + std::to_string(max_record_lines) +
                                   " lines (or " + std::to_string(max_record_span / 1024) + " KB): a stray quote?"
                         : extra_values && joined_.empty()
                             ? "more values than the header has columns (a separator inside an unquoted value?)"
                         : extra_values ? "a quote left open joins it to the lines after it, giving more values "
                                          "than the header has columns: a stray quote?"
                                        : "a quote opened in it is never closed before the end of the file";
            raw_.assign(first);
            for (auto it = joined_.rbegin(); it != joined_.rend(); ++it) pushed_back_.push_back(std::move(*it));
            for (auto& v : values) v.clear();
            last_ascii_ = is_ascii(raw_);
        }
        return true;
    }
}

} // namespace estate::io
