#pragma once
/// @file
/// Postcode centroids from an ONS-Postcode-Directory-style CSV, for locating rows
/// that have an address but no coordinates.

#include "estate/model/property.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

namespace estate::io {

class PostcodeIndex {
public:
    PostcodeIndex() = default;
    /// Adds every postcode of @p path. Recognised columns: postcode (pcds, pcd, pcd7,
    /// pcd8, postcode) and either lat/long (lat, latitude, long, lon, longitude;
    /// WGS84) or eastings/northings (oseast1m, osnrth1m, easting, northing;
    /// EPSG:27700). ONSPD's "no grid reference" rows (lat 99.999999) are skipped.
    /// Throws source_error naming the file when those columns are missing.
    void load(const std::string& path);
    /// The centroid of a full postcode (any spacing or case), or nullopt.
    std::optional<model::GridPoint> find(const std::string& postcode) const;
    size_t size() const { return index_.size(); }
    /// Adds one centroid (replacing what the index had for the postcode).
    void add(const std::string& postcode, const model::GridPoint& centroid);
    /// Adds every postcode of @p other; @p other's centroid wins where both have one.
    void add(const PostcodeIndex& other);
    /// Each postcode (compact upper case: "WA141PF") and its centroid.
    const std::unordered_map<std::string, model::GridPoint>& entries() const { return index_; }
    /// The rows of the last load() that were not postcodes with a usable place.
    std::int64_t skipped() const { return skipped_; }

private:
    std::unordered_map<std::string, model::GridPoint> index_; // key: compact upper case
    std::int64_t skipped_ = 0;
};

} // namespace estate::io
