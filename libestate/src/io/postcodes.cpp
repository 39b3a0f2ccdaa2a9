#include "estate/io/postcodes.hpp"

#include "estate/error.hpp"
#include "estate/geo/crs.hpp"
#include "estate/io/source.hpp"
#include "estate/model/normalise.hpp"

#include <cctype>
#include <cstdlib>

namespace estate::io {
namespace {

std::string compact(const std::string& s) {
    std::string out;
    for (unsigned char c : s)
        if (!std::isspace(c)) out += static_cast<char>(std::toupper(c));
    return out;
}

} // namespace

void PostcodeIndex::load(const std::string& path) {
    SourceReader reader(path);
    const auto& h = reader.headers();
    int pc = model::find_header(h, {"pcds", "pcd", "pcd7", "pcd8", "postcode"});
    int lat = model::find_header(h, {"lat", "latitude"});
    int lon = model::find_header(h, {"long", "lon", "longitude", "lng"});
    int east = model::find_header(h, {"oseast1m", "easting", "eastings"});
    int north = model::find_header(h, {"osnrth1m", "northing", "northings"});
    bool grid = east >= 0 && north >= 0;
    if (pc < 0 || (!grid && (lat < 0 || lon < 0)))
        throw source_error("postcode lookup " + path +
                           " needs a postcode column (pcds, pcd or postcode) and either lat/long "
                           "or oseast1m/osnrth1m columns");
    geo::ToGrid to_grid(grid ? "EPSG:27700" : "EPSG:4326");
    int xcol = grid ? east : lon, ycol = grid ? north : lat;
    SourceRow row;
    while (reader.next(row)) {
        const std::string& xs = row.values[static_cast<size_t>(xcol)];
        const std::string& ys = row.values[static_cast<size_t>(ycol)];
        if (xs.empty() || ys.empty()) continue;
        double x = std::atof(xs.c_str()), y = std::atof(ys.c_str());
        if (!grid && y > 90) continue; // ONSPD: 99.999999 = no grid reference
        auto p = to_grid.transform(x, y);
        if (p && geo::inside_gb_grid(*p)) index_[compact(row.values[static_cast<size_t>(pc)])] = *p;
    }
}

std::optional<model::GridPoint> PostcodeIndex::find(const std::string& postcode) const {
    auto it = index_.find(compact(postcode));
    if (it == index_.end()) return std::nullopt;
    return it->second;
}

} // namespace estate::io
