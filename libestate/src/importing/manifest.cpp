#include "estate/importing/manifest.hpp"
#include "estate/model/normalise.hpp"

#include "estate/db/postcode_lookup.hpp"
#include "estate/db/register.hpp"
#include "estate/error.hpp"
#include "estate/geo/crs.hpp"
#include "estate/geo/geometry.hpp"
#include "estate/io/ini.hpp"
#include "estate/io/postcodes.hpp"
#include "estate/io/source.hpp"

#include <filesystem>

namespace estate::importing {

Manifest read_manifest(const std::string& path) {
    io::IniFile ini = io::read_ini_file(path, "manifest");
    std::filesystem::path dir = std::filesystem::absolute(path).parent_path();
    auto resolve = [&](const std::string& p) {
        std::filesystem::path fp(p);
        return (fp.is_absolute() ? fp : dir / fp).lexically_normal().string();
    };
    Manifest m;
    m.origin = path;
    for (const auto& section : ini.sections) {
        if (section.name == "manifest") {
            for (const auto& e : section.entries) {
                if (e.key == "postcodes")
                    m.postcodes.push_back(resolve(e.value));
                else if (e.key == "boundary")
                    m.boundary = resolve(e.value);
                else if (e.key == "area_boundary")
                    m.area_boundary = resolve(e.value);
                else if (e.key == "area")
                    m.area = e.value;
                else if (e.key == "partnership")
                    m.partnership = e.value;
                else
                    throw config_error(path + " line " + std::to_string(e.line) + ": unknown key '" + e.key +
                                       "' in [manifest] (postcodes, boundary, area_boundary, area, partnership)");
            }
        } else if (section.name.rfind("source ", 0) == 0) {
            ManifestSource s;
            s.name = section.name.substr(7);
            for (const auto& e : section.entries) {
                if (e.key == "file")
                    s.file = resolve(e.value);
                else if (e.key == "profile")
                    s.profile = e.value;
                else if (e.key == "owner")
                    s.owner = e.value;
                else if (e.key == "layer")
                    s.layer = e.value;
                else if (e.key == "series")
                    s.series = e.value;
                else if (e.key == "complete" || e.key == "retire_many") {
                    const std::string v = model::header_key(e.value);
                    if (v != "yes" && v != "no" && v != "true" && v != "false")
                        throw config_error(path + " line " + std::to_string(e.line) + ": " + e.key + " = " + e.value +
                                           ": write yes or no");
                    (e.key == "complete" ? s.complete : s.retire_many) = v == "yes" || v == "true";
                } else
                    throw config_error(path + " line " + std::to_string(e.line) + ": unknown key '" + e.key + "' in [" +
                                       section.name + "] (file, profile, owner, layer, series, complete, retire_many)");
            }
            if (s.file.empty())
                throw config_error(path + " line " + std::to_string(section.line) + ": [" + section.name +
                                   "] needs 'file = PATH'");
            m.sources.push_back(s);
        } else if (!(section.name.empty() && section.entries.empty())) {
            throw config_error(path + " line " + std::to_string(section.line) + ": unknown section [" + section.name +
                               "] (manifest, source NAME)");
        }
    }
    if (m.sources.empty()) throw config_error(path + ": no [source NAME] sections");
    return m;
}

std::optional<geo::Boundary> read_boundary(const std::optional<std::string>& path) {
    if (!path) return std::nullopt;
    auto poly = io::read_first_polygon(*path);
    return geo::Boundary::from_wkb(poly.wkb, geo::ToGrid(poly.crs), *path);
}

void read_postcodes(io::PostcodeIndex& index, const std::vector<std::string>& files) {
    for (const auto& f : files) index.load(f);
}

LoadResult load_manifest(const std::string& register_path, const Manifest& manifest, const LoadOptions& options) {
    LoadResult result;
    if (!std::filesystem::exists(register_path)) {
        db::Register::create(register_path);
        result.created = true;
    }
    auto reg = db::Register::open(register_path);
    if (manifest.area) reg.describe("area", *manifest.area);
    if (manifest.partnership) reg.describe("partnership", *manifest.partnership);
    // The manifest's lookup kept in the register once, not by each source's import.
    if (!manifest.postcodes.empty()) {
        io::PostcodeIndex postcodes;
        read_postcodes(postcodes, manifest.postcodes);
        db::keep_postcodes(reg, postcodes);
    }
    auto boundary = read_boundary(manifest.boundary);
    // The area's outline, kept for the board paper's map (within 20 m is plenty there).
    if (manifest.area_boundary || boundary) {
        auto outline = manifest.area_boundary ? read_boundary(manifest.area_boundary) : std::nullopt;
        reg.describe("boundary", (outline ? *outline : *boundary).outline_wkt(20));
    }
    for (const auto& src : manifest.sources) {
        ImportOptions o;
        o.source = src.file;
        o.profile = src.profile;
        o.owner = src.owner;
        o.layer = src.layer;
        o.series = src.series;
        o.complete = src.complete;
        o.confirmed = src.retire_many;
        o.boundary = boundary ? &*boundary : nullptr;
        o.cancel = options.cancel;
        if (options.progress) o.progress = options.progress(src);
        auto& done = result.imported.emplace_back(src.name, import_source(reg, o));
        if (options.imported) options.imported(src, done.second);
    }
    return result;
}

} // namespace estate::importing
