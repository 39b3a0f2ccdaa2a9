#pragma once
/// @file
/// The small INI dialect of profiles and manifests: `[section]` headers,
/// `key = value` lines, `;` or `#` comments on their own line. Keys keep their
/// order and case; a repeated key in one section is an error.

#include <string>
#include <utility>
#include <vector>

namespace estate::io {

struct IniEntry {
    std::string key;
    std::string value;
    int line = 0;
};

struct IniSection {
    std::string name; ///< "" for entries before the first header
    int line = 0;
    std::vector<IniEntry> entries;
    /// The value of @p key, or nullptr.
    const IniEntry* find(const std::string& key) const;
};

struct IniFile {
    std::string origin; ///< file path or "built-in NAME", for messages
    std::vector<IniSection> sections;
};

/// Parses INI text. Throws config_error naming @p origin and the line.
IniFile parse_ini(const std::string& text, const std::string& origin);
/// Reads and parses a file (a @p what: "profile", "manifest", for messages). Throws
/// config_error when it cannot be read.
IniFile read_ini_file(const std::string& path, const std::string& what = "settings file");

/// The whole of a small text file (a profile, manifest, scenario, rules file), read
/// at most @p max_bytes: a file larger than that (or a device such as /dev/zero, which
/// never ends) is refused with config_error naming it and @p what it should have been,
/// instead of reading until memory runs out.
std::string read_text_file(const std::string& path, const std::string& what, std::size_t max_bytes = 16u << 20);

} // namespace estate::io
