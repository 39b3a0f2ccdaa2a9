#pragma once
/// @file
/// Medians by key: "a building with no floor area recorded needs the median floor
/// area of its use", as hubs and the receipts estimate both assume.

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

namespace estate::util {

/// The median of the values of each key (the upper middle one of an even count),
/// NaN values skipped; keys with no value are absent. @p keys and @p values are parallel.
template <class Key> std::map<Key, double> median_by(const std::vector<Key>& keys, const std::vector<double>& values) {
    std::map<Key, std::vector<double>> by;
    for (size_t i = 0; i < keys.size() && i < values.size(); ++i)
        if (!std::isnan(values[i])) by[keys[i]].push_back(values[i]);
    std::map<Key, double> out;
    for (auto& [key, v] : by) {
        auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
        std::nth_element(v.begin(), mid, v.end());
        out[key] = *mid;
    }
    return out;
}

} // namespace estate::util
