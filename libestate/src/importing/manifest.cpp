#include "estate/importing/manifest.hpp"
#include "estate/model/normalise.hpp"

#include "estate/error.hpp"
#include "estate/io/ini.hpp"

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
                if (e.key == "postcodes") m.postcodes.push_back(resolve(e.value));
                else if (e.key == "boundary") m.boundary = resolve(e.value);
                else if (e.key == "area_boundary") m.area_boundary = resolve(e.value);
                else if (e.key == "area") m.area = e.value;
                else if (e.key == "partnership") m.partnership = e.value;
                else
                    throw config_error(path + " line " + std::to_string(e.line) + ": unknown key '" +
                                       e.key + "' in [manifest] (postcodes, boundary, area_boundary, area, partnership)");
            }
        } else if (section.name.rfind("source ", 0) == 0) {
            ManifestSource s;
            s.name = section.name.substr(7);
            for (const auto& e : section.entries) {
                if (e.key == "file") s.file = resolve(e.value);
                else if (e.key == "profile") s.profile = e.value;
                else if (e.key == "owner") s.owner = e.value;
                else if (e.key == "layer") s.layer = e.value;
                else if (e.key == "series") s.series = e.value;
                else if (e.key == "complete") {
                    const std::string v = model::header_key(e.value);
                    if (v != "yes" && v != "no" && v != "true" && v != "false")
                        throw config_error(path + " line " + std::to_string(e.line) + ": complete = " + e.value +
                                           ": write yes or no");
                    s.complete = v == "yes" || v == "true";
                } else
                    throw config_error(path + " line " + std::to_string(e.line) + ": unknown key '" +
                                       e.key + "' in [" + section.name +
                                       "] (file, profile, owner, layer, series, complete)");
            }
            if (s.file.empty())
                throw config_error(path + " line " + std::to_string(section.line) + ": [" +
                                   section.name + "] needs 'file = PATH'");
            m.sources.push_back(s);
        } else if (!(section.name.empty() && section.entries.empty())) {
            throw config_error(path + " line " + std::to_string(section.line) + ": unknown section [" +
                               section.name + "] (manifest, source NAME)");
        }
    }
    if (m.sources.empty()) throw config_error(path + ": no [source NAME] sections");
    return m;
}

} // namespace estate::importing
