// libFuzzer: the CSV record reader (io/csv_records), strict as imports read it, on any
// bytes, any separator and block size. Errors it throws are estate's own (a line too
// long); anything else - a crash, a sanitizer report, another exception - is a bug.
#include "estate/error.hpp"
#include "io/csv_records.hpp"

#include <cpl_vsi.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const char* name = "/vsimem/fuzz.csv";
    VSILFILE* fp = VSIFileFromMemBuffer(name, const_cast<GByte*>(data), static_cast<vsi_l_offset>(size), FALSE);
    if (!fp) return 0;
    {
        const char separator = ",;\t|"[size % 4];
        estate::io::CsvRecords records(fp, 1 + size % 97, separator);
        std::vector<std::string> values(1 + size % 9);
        std::size_t records_read = 0, previous_line = 0;
        try {
            while (records.next(values, 1 << 16, true)) {
                ++records_read;
                // Lines only go forward, and a malformed record has its line kept.
                if (records.last_line() <= previous_line) std::abort();
                previous_line = records.last_line();
                if (!records.last_malformed().empty() && records.last_raw().size() > size) std::abort();
            }
        } catch (const estate::error&) {
        }
        if (records.blank_lines() > records.lines_read()) std::abort();
    }
    VSIFCloseL(fp);
    VSIUnlink(name);
    return 0;
}
