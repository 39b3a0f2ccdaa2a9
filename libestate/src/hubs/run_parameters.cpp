#include "run_parameters.hpp"

namespace estate::hubs {

void write_site_parameters(util::JsonWriter& w, double radius, std::int64_t min_agencies, const SiteFilter& filter) {
    w.field("radius_m", radius).field("min_agencies", min_agencies);
    w.field("exclude_red", filter.exclude_red).field("points_only", filter.points_only);
    w.key("owners").begin_array();
    for (const auto& o : filter.owners) w.value(o);
    w.end_array();
}

} // namespace estate::hubs
