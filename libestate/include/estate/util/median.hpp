#pragma once
/// @file
/// Medians by key: "a building with no floor area recorded needs the median floor
/// area of its use in the register", as hubs and the receipts estimate both assume
/// (receipts::Benchmarks decides when there are enough values to trust one).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <vector>

namespace estate::util {

struct Median {
    double value = 0;      ///< the middle value; the mean of the two middle ones of an even count
    std::size_t count = 0; ///< how many values it was taken from
};

/// The median of @p v (reordered in place); NaN when it is empty.
inline double median_of(std::vector<double>& v) {
    if (v.empty()) return std::nan("");
    const auto half = static_cast<std::ptrdiff_t>(v.size() / 2);
    std::nth_element(v.begin(), v.begin() + half, v.end());
    const double upper = v[static_cast<size_t>(half)];
    if (v.size() % 2) return upper;
    const double lower = *std::max_element(v.begin(), v.begin() + half);
    return lower + (upper - lower) / 2;
}

/// The median of the values of each key, NaN values skipped; keys with no value are
/// absent. @p keys and @p values are parallel.
template <class Key>
std::map<Key, Median> median_by(const std::vector<Key>& keys, const std::vector<double>& values) {
    std::map<Key, std::vector<double>> by;
    for (size_t i = 0; i < keys.size() && i < values.size(); ++i)
        if (!std::isnan(values[i])) by[keys[i]].push_back(values[i]);
    std::map<Key, Median> out;
    for (auto& [key, v] : by) out[key] = {median_of(v), v.size()};
    return out;
}

} // namespace estate::util
