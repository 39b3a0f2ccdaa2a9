#pragma once
/// @file
/// A deterministic synthetic county for demos, tests and benchmarks: properties
/// of 12 public owners clustered around real Worcestershire town centres with a
/// rural scatter, with plausible uses, tenures, areas, values, running costs and
/// footprints. The same options give the same file, byte for byte.

#include <cstdint>
#include <ostream>

namespace estate::synth {

struct CountyOptions {
    std::int64_t properties = 1300; ///< rows to write
    std::uint64_t seed = 1;
    /// Properties per county copy. The first copy is Worcestershire itself; beyond
    /// it, further copies are tiled across the National Grid (10 x 20 copies about
    /// 69 x 63 km apart, around the real county) at the same density, as the peers'
    /// benchmarks do.
    std::int64_t per_county = 5000;
};

/// Writes the county as CSV (the built-in profile `synthetic-county` reads it).
/// Returns the number of rows written.
std::int64_t write_county_csv(std::ostream& out, const CountyOptions& options);

} // namespace estate::synth
