#pragma once
// Private: the register fields a profile can fill, in one list. io::mappable_fields()
// (their names) and importing's Field enum (their indexes) are both made from it, so
// the two cannot drift apart.
//
// X(name) once per field, in the order the fields are stored and listed.
#define ESTATE_MAPPABLE_FIELDS(X)                                                                                      \
    X(owner)                                                                                                           \
    X(sector)                                                                                                          \
    X(ref)                                                                                                             \
    X(uprn)                                                                                                            \
    X(name)                                                                                                            \
    X(address)                                                                                                         \
    X(postcode)                                                                                                        \
    X(holding_type)                                                                                                    \
    X(tenure)                                                                                                          \
    X(tenure_detail)                                                                                                   \
    X(use)                                                                                                             \
    X(gia_m2)                                                                                                          \
    X(land_area_ha)                                                                                                    \
    X(market_value)                                                                                                    \
    X(running_cost)                                                                                                    \
    X(occupancy)                                                                                                       \
    X(utilisation)                                                                                                     \
    X(condition)                                                                                                       \
    X(energy_rating)                                                                                                   \
    X(effective_date)                                                                                                  \
    X(x)                                                                                                               \
    X(y)                                                                                                               \
    X(crs)                                                                                                             \
    X(footprint_wkt)                                                                                                   \
    X(grid_ref)
