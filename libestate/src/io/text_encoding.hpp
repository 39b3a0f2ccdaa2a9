#pragma once
// Private: text as the register keeps it, valid UTF-8, whatever the source wrote.
// Excel on Windows saves CSV in Windows-1252 ("£" is one byte, 0xA3); GDAL's CSV
// and XLSX readers hand such bytes over unchanged.

#include <string>
#include <string_view>

namespace estate::io {

/// True when every byte of @p s is ASCII (one pass, eight bytes at a time).
bool is_ascii(std::string_view s);

/// True when @p s is valid UTF-8 (ASCII included).
bool is_utf8(std::string_view s);

/// Makes @p s valid UTF-8: left alone when it already is, otherwise read as
/// Windows-1252 (a superset of Latin-1 for printable text) and converted. Returns
/// true when it converted.
bool make_utf8(std::string& s);

/// When @p bytes begin with a UTF-16 byte-order mark (FF FE little-endian, FE FF
/// big-endian: what Excel's "Unicode text" and many Windows tools write), the text as
/// UTF-8 without the mark (an unpaired surrogate becomes U+FFFD); otherwise false.
bool utf16_to_utf8(std::string_view bytes, std::string& out);

} // namespace estate::io
