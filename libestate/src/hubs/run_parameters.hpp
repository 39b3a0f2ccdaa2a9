#pragma once
// The parameters every clusters and hubs run stores with itself (analysis_runs.parameters).

#include "estate/hubs/sites.hpp"
#include "estate/util/json.hpp"

#include <cstdint>

namespace estate::hubs {

/// The parameters every run shares, as fields of the open JSON object @p w.
void write_site_parameters(util::JsonWriter& w, double radius, std::int64_t min_agencies, const SiteFilter& filter);

} // namespace estate::hubs
