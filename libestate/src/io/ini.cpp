#include "estate/io/ini.hpp"

#include "estate/error.hpp"
#include "estate/model/normalise.hpp"

#include <fstream>
#include <sstream>

namespace estate::io {

const IniEntry* IniSection::find(const std::string& key) const {
    for (const auto& e : entries)
        if (e.key == key) return &e;
    return nullptr;
}

IniFile parse_ini(const std::string& text, const std::string& origin) {
    IniFile file{origin, {IniSection{}}};
    std::istringstream in(text);
    std::string raw;
    int line = 0;
    while (std::getline(in, raw)) {
        ++line;
        std::string s = model::trim(raw);
        if (s.empty() || s[0] == ';' || s[0] == '#') continue;
        if (s[0] == '[') {
            if (s.back() != ']')
                throw config_error(origin + " line " + std::to_string(line) + ": section header '" + s +
                                   "' has no closing ']'");
            file.sections.push_back(IniSection{model::trim(s.substr(1, s.size() - 2)), line, {}});
            continue;
        }
        size_t eq = s.find('=');
        if (eq == std::string::npos)
            throw config_error(origin + " line " + std::to_string(line) + ": '" + s +
                               "' is not 'key = value' or '[section]'");
        std::string key = model::trim(s.substr(0, eq));
        if (key.empty()) throw config_error(origin + " line " + std::to_string(line) + ": no key before '='");
        IniSection& section = file.sections.back();
        if (const IniEntry* prev = section.find(key))
            throw config_error(origin + " line " + std::to_string(line) + ": key '" + key + "' already given on line " +
                               std::to_string(prev->line) + " in section [" + section.name + "]");
        section.entries.push_back(IniEntry{key, model::trim(s.substr(eq + 1)), line});
    }
    return file;
}

std::string read_text_file(const std::string& path, const std::string& what, std::size_t max_bytes) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw config_error("cannot read " + what + " " + path + ": no such file or not readable");
    std::string text(max_bytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes)
        throw config_error(path + " is larger than " + std::to_string(max_bytes >> 20) + " MB: it is not a " + what +
                           "; give the " + what + " itself");
    return text;
}

IniFile read_ini_file(const std::string& path, const std::string& what) {
    return parse_ini(read_text_file(path, what), path);
}

} // namespace estate::io
