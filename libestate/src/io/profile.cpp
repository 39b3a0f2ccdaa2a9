#include "estate/io/profile.hpp"

#include "estate/error.hpp"
#include "estate/model/normalise.hpp"
#include "estate/model/property.hpp"
#include "io/mappable_fields.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

namespace estate::io {} // namespace estate::io
namespace estate::embedded {
// Defined in the .cpp that CMake generates from libestate/profiles/*.ini.
extern const std::vector<std::pair<const char*, const char*>>& builtin_profile_texts();
} // namespace estate::embedded
namespace estate::io {
using embedded::builtin_profile_texts;

namespace {

[[noreturn]] void fail(const IniFile& ini, int line, const std::string& msg) {
    throw config_error(ini.origin + " line " + std::to_string(line) + ": " + msg);
}

void check_field(const IniFile& ini, const IniEntry& e) {
    const auto& f = mappable_fields();
    if (std::find(f.begin(), f.end(), e.key) == f.end()) {
        std::string list;
        for (const auto& n : f) list += (list.empty() ? "" : ", ") + n;
        fail(ini, e.line, "'" + e.key + "' is not a register field; fields are: " + list);
    }
}

bool truthy(const std::string& v) {
    std::string k = model::header_key(v);
    return k == "yes" || k == "true" || k == "1" || k == "on";
}

} // namespace

const std::vector<std::string>& mappable_fields() {
#define ESTATE_FIELD_NAME(name) #name,
    static const std::vector<std::string> fields = {ESTATE_MAPPABLE_FIELDS(ESTATE_FIELD_NAME)};
#undef ESTATE_FIELD_NAME
    return fields;
}

const std::vector<std::string>& value_mapped_fields() {
    static const std::vector<std::string> fields = {"holding_type", "tenure",    "use",
                                                    "occupancy",    "condition", "sector"};
    return fields;
}

namespace {
const model::Vocabulary& vocabulary_of(const std::string& field) {
    for (const auto& c : model::fact_columns())
        if (c.codes && field == c.name) return *c.codes;
    return model::sectors(); // the owner's sector: a column of owners, not a fact of the property
}
} // namespace

int known_header_cells(const std::vector<const Profile*>& profiles, const std::vector<std::string>& cells) {
    std::set<std::string> known;
    for (const Profile* p : profiles) {
        for (const auto& [field, source] : p->columns)
            for (const auto& alt : source.alternatives)
                for (const auto& part : alt) known.insert(model::header_key(part));
        for (const auto& d : p->detect) known.insert(model::header_key(d));
    }
    int n = 0;
    for (const auto& c : cells) {
        const std::string key = model::header_key(c);
        if (key.empty()) continue;
        n += known.count(key) > 0 || known.count(model::header_unit(c).key) > 0;
    }
    return n;
}

Profile parse_profile(const IniFile& ini) {
    Profile p;
    p.origin = ini.origin;
    for (const auto& section : ini.sections) {
        if (section.name.empty()) {
            if (!section.entries.empty()) fail(ini, section.entries.front().line, "entries before the first [section]");
        } else if (section.name == "profile") {
            for (const auto& e : section.entries) {
                if (e.key == "name")
                    p.name = e.value;
                else if (e.key == "description")
                    p.description = e.value;
                else if (e.key == "detect")
                    p.detect = model::split_trimmed(e.value, ',');
                else if (e.key == "detect_min") {
                    try {
                        p.detect_min = static_cast<size_t>(std::stoul(e.value));
                    } catch (...) {
                        fail(ini, e.line, "detect_min must be a whole number");
                    }
                } else if (e.key == "null_values")
                    p.null_values = model::split_trimmed(e.value, ',');
                else if (e.key == "use_from_name")
                    p.use_from_name = truthy(e.value);
                else
                    fail(ini, e.line,
                         "unknown key '" + e.key +
                             "' in [profile] (name, description, detect, detect_min, "
                             "null_values, use_from_name)");
            }
        } else if (section.name == "columns") {
            for (const auto& e : section.entries) {
                check_field(ini, e);
                FieldSource src;
                for (const auto& alt : model::split_trimmed(e.value, '|'))
                    src.alternatives.push_back(model::split_trimmed(alt, '+'));
                if (src.alternatives.empty()) fail(ini, e.line, "no column named for '" + e.key + "'");
                p.columns[e.key] = src;
            }
        } else if (section.name == "fixed" || section.name == "defaults") {
            auto& target = section.name == "fixed" ? p.fixed : p.defaults;
            for (const auto& e : section.entries) {
                check_field(ini, e);
                target[e.key] = e.value;
            }
        } else if (section.name.rfind("values ", 0) == 0) {
            std::string field = model::trim(section.name.substr(7));
            const auto& allowed = value_mapped_fields();
            if (std::find(allowed.begin(), allowed.end(), field) == allowed.end())
                fail(ini, section.line,
                     "[values " + field + "]: only these fields have codes to map: " +
                         "holding_type, tenure, use, occupancy, condition, sector");
            auto& map = p.values[field];
            for (const auto& e : section.entries) {
                if (!vocabulary_of(field).contains(e.value))
                    fail(ini, e.line,
                         "'" + e.value + "' is not a " + field +
                             " code; codes: " + vocabulary_of(field).codes_joined());
                std::string key = model::trim(e.key);
                std::transform(key.begin(), key.end(), key.begin(),
                               [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
                map[key] = e.value;
            }
        } else if (section.name.rfind("derive ", 0) == 0) {
            std::string field = model::trim(section.name.substr(7));
            check_field(ini, IniEntry{field, "", section.line});
            ValueMap map;
            for (const auto& e : section.entries) {
                if (e.key == "from")
                    map.from_column = e.value;
                else
                    map.entries.emplace_back(e.key, e.value);
            }
            if (map.from_column.empty()) fail(ini, section.line, "[" + section.name + "] needs 'from = COLUMN'");
            p.derive[field] = map;
        } else {
            fail(ini, section.line,
                 "unknown section [" + section.name +
                     "] (profile, columns, fixed, defaults, derive FIELD, values FIELD)");
        }
    }
    if (p.name.empty()) p.name = std::filesystem::path(ini.origin).stem().string();
    return p;
}

const std::vector<Profile>& builtin_profiles() {
    static const std::vector<Profile> profiles = [] {
        std::vector<Profile> out;
        for (const auto& [name, text] : builtin_profile_texts()) {
            Profile p = parse_profile(parse_ini(text, std::string("built-in profile ") + name));
            p.origin = "built-in";
            out.push_back(std::move(p));
        }
        return out;
    }();
    return profiles;
}

std::optional<std::string> builtin_profile_text(const std::string& name) {
    for (const auto& [n, text] : builtin_profile_texts())
        if (name == n) return std::string(text);
    return std::nullopt;
}

Profile load_profile(const std::string& name_or_path) {
    for (const auto& p : builtin_profiles())
        if (p.name == name_or_path) return p;
    if (std::filesystem::exists(name_or_path)) return parse_profile(read_ini_file(name_or_path, "profile"));
    std::string names;
    for (const auto& p : builtin_profiles()) names += (names.empty() ? "" : ", ") + p.name;
    // A path is a missing file (the work failed); a bare word, a name that is not one.
    if (name_or_path.find('/') != std::string::npos || name_or_path.find('.') != std::string::npos)
        throw file_error("cannot read the profile file " + name_or_path +
                         ": no such file (built-in profiles: " + names + ")");
    throw usage_error("profile", "profile '" + name_or_path +
                                     "' is neither a built-in profile nor a file; built-in profiles: " + names);
}

Detection detect_profile(const std::vector<std::string>& headers) {
    std::set<std::string> keys;
    for (const auto& h : headers) keys.insert(model::header_key(h));
    struct Fit {
        const Profile* p;
        size_t hits;
        double share;
    };
    std::vector<Fit> fits;
    for (const auto& p : builtin_profiles()) {
        if (p.detect.empty()) continue;
        size_t hits = 0;
        for (const auto& d : p.detect) {
            // A detect header counts when it, or any alias the profile maps to the
            // same field, is present ("Asset Reference" for "AssetCode").
            std::set<std::string> names = {model::header_key(d)};
            for (const auto& [field, source] : p.columns) {
                bool mentions = false;
                for (const auto& alt : source.alternatives)
                    for (const auto& part : alt) mentions |= model::header_key(part) == model::header_key(d);
                if (!mentions) continue;
                for (const auto& alt : source.alternatives)
                    for (const auto& part : alt) names.insert(model::header_key(part));
            }
            bool present = false;
            for (const auto& n : names) present |= keys.count(n) > 0;
            hits += present;
        }
        // A profile that cannot find the owner's reference cannot import the file.
        bool has_ref = p.fixed.count("ref") > 0;
        if (auto it = p.columns.find("ref"); it != p.columns.end())
            for (const auto& alt : it->second.alternatives)
                for (const auto& part : alt) has_ref |= keys.count(model::header_key(part)) > 0;
        if (!has_ref) continue;
        if (hits >= std::min(p.detect_min, p.detect.size()))
            fits.push_back({&p, hits, double(hits) / double(p.detect.size())});
    }
    std::sort(fits.begin(), fits.end(), [](const Fit& a, const Fit& b) { return a.share > b.share; });
    if (fits.empty()) {
        std::string list;
        for (const auto& h : headers) list += (list.empty() ? "" : ", ") + h;
        return {nullptr, "no built-in profile recognises the columns (" + list +
                             "); name a profile, built-in or a file (see 'estate profiles')"};
    }
    if (fits.size() > 1 && fits[0].share == fits[1].share) {
        std::string tied;
        for (const auto& f : fits)
            if (f.share == fits[0].share) tied += (tied.empty() ? "" : ", ") + f.p->name;
        return {nullptr, "several profiles fit these columns equally (" + tied + "); name the one to use"};
    }
    return {fits[0].p, "recognised as '" + fits[0].p->name + "' (" + std::to_string(fits[0].hits) + " of " +
                           std::to_string(fits[0].p->detect.size()) + " expected columns)"};
}

} // namespace estate::io
