#pragma once
/// @file
/// The median, for "a building with no floor area recorded needs the median floor
/// area of its use in the register", as hubs and the receipts estimate both assume
/// (money::Benchmarks decides when there are enough values to trust one).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace estate::util {

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

} // namespace estate::util
