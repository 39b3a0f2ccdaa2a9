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
    // Code-Point Open's CSVs have no header: postcode, quality, eastings, northings, ...
    // (GDAL names the columns field_1, field_2, ... when it sees the first line is data.)
    const bool generated_names = !h.empty() && h[0] == "field_1";
    const bool code_point = pc < 0 && h.size() >= 4 && (generated_names || model::normalise_postcode(h[0]).full);
    if (code_point) {
        pc = 0;
        east = 2;
        north = 3;
        grid = true;
    }
    if (pc < 0 || (!grid && (lat < 0 || lon < 0)))
        throw source_error("postcode lookup " + path +
                           " needs a postcode column (pcds, pcd or postcode) and either lat/long "
                           "or oseast1m/osnrth1m columns (the ONS Postcode Directory's), or to be a Code-Point "
                           "Open CSV (no header: postcode, quality, eastings, northings)");
    geo::ToGrid to_grid(grid ? "EPSG:27700" : "EPSG:4326");
    int xcol = grid ? east : lon, ycol = grid ? north : lat;
    SourceRow row;
    skipped_ = 0;
    bool header_is_a_row = code_point && !generated_names;
    auto next = [&] {
        if (!header_is_a_row) return reader.next(row);
        row.values = h;
        header_is_a_row = false;
        return true;
    };
    while (next()) {
        const std::string& xs = row.values[static_cast<size_t>(xcol)];
        const std::string& ys = row.values[static_cast<size_t>(ycol)];
        const auto checked = model::normalise_postcode(row.values[static_cast<size_t>(pc)]);
        double x = std::atof(xs.c_str()), y = std::atof(ys.c_str());
        // ONSPD: 99.999999 (or no easting) = no grid reference; terminated postcodes keep theirs.
        auto p = xs.empty() || ys.empty() || (!grid && y > 90) ? std::nullopt : to_grid.transform(x, y);
        if (!checked.full || !p || !geo::inside_gb_grid(*p)) {
            ++skipped_;
            continue;
        }
        index_[compact(*checked.value)] = *p;
    }
}

void PostcodeIndex::add(const std::string& postcode, const model::GridPoint& centroid) {
    index_[compact(postcode)] = centroid;
}

void PostcodeIndex::add(const PostcodeIndex& other) {
    for (const auto& [pc, point] : other.index_) index_[pc] = point;
}

std::optional<model::GridPoint> PostcodeIndex::find(const std::string& postcode) const {
    auto it = index_.find(compact(postcode));
    if (it == index_.end()) return std::nullopt;
    return it->second;
}

} // namespace estate::io
