#include "estate/money/model.hpp"

#include "estate/util/format.hpp"

#include <algorithm>
#include <set>

namespace estate::money {
namespace {

// Uses with no services to move: disposed of as land.
bool is_land(const facts::Building& p) {
    static const std::set<std::string> open = {"land", "open_space", "allotments", "car_park"};
    return p.land || open.count(p.use) > 0;
}

int lead_of(const Scenario& s, Kind k) {
    return k == Kind::land              ? s.lead_land
           : k == Kind::vacant_building ? s.lead_vacant_building
                                        : s.lead_occupied_building;
}

/// The figures a valuation rests on, as used.
struct Figures {
    explicit Figures(const facts::Building& b)
        : gia_m2(b.figure(facts::Field::floor_area)), land_ha(b.figure(facts::Field::land_area)),
          market_value(b.figure(facts::Field::market_value)), use(b.use) {}
    std::optional<double> gia_m2, land_ha, market_value;
    const std::string& use;
};

/// A market that takes every sale in its planned year (one release: the market's limit
/// belongs to the programme).
struct UnlimitedMarket {
    double share(size_t i, size_t j) const { return i == j ? 1.0 : 0.0; }
};

} // namespace

const char* kind_words(Kind k) {
    return k == Kind::land ? "land" : k == Kind::vacant_building ? "vacant building" : "occupied building";
}

double rate_for(const std::map<std::string, double>& rates, const std::string& use) {
    auto it = rates.find(use);
    if (it != rates.end()) return it->second;
    it = rates.find("default");
    return it == rates.end() ? 0 : it->second;
}

Terms terms_of(const Scenario& s, const facts::Building& p, const Benchmarks& b, bool words) {
    Terms t;
    t.kind = is_land(p) ? Kind::land : p.vacant ? Kind::vacant_building : Kind::occupied_building;
    t.sellable = std::find(s.sellable_tenures.begin(), s.sellable_tenures.end(), p.tenure) != s.sellable_tenures.end();
    // One rule for running costs everywhere: recorded, else a building's floor area
    // (recorded or assumed) at the scenario's cost per m² for its use, said so.
    const Figure area =
        t.kind == Kind::land ? Figure{} : b.floor_area(p.use, p.figure(facts::Field::floor_area), words);
    t.running = b.running_cost(p.use, p.figure(facts::Field::running_cost), area, words);
    if (t.kind == Kind::occupied_building) t.moving = area;
    return t;
}

Valuation value_of(const Scenario& s, const facts::Building& b, Kind kind) {
    const Figures p(b);
    Valuation v;
    v.lead = lead_of(s, kind);
    if (p.market_value) {
        v.value = *p.market_value;
    } else if (kind == Kind::land && p.land_ha) {
        v.value = *p.land_ha * rate_for(s.land_rate_per_ha, p.use);
    } else if (kind != Kind::land && p.gia_m2) {
        v.value = *p.gia_m2 * rate_for(s.building_rate_per_m2, p.use);
    } else if (kind != Kind::land && p.land_ha) {
        v.value = *p.land_ha * rate_for(s.land_rate_per_ha, p.use);
    }
    v.estimated = v.value && !p.market_value;
    return v;
}

std::string value_basis(const Scenario& s, const facts::Building& b, Kind kind) {
    const Figures p(b);
    if (p.market_value) return "recorded";
    if (kind == Kind::land && p.land_ha)
        return "estimated: " + util::thousands(*p.land_ha * 100) + "/100 ha x " +
               util::pounds(rate_for(s.land_rate_per_ha, p.use)) + " per ha";
    if (kind != Kind::land && p.gia_m2)
        return "estimated: " + util::thousands(*p.gia_m2) + " m2 x " +
               util::pounds(rate_for(s.building_rate_per_m2, p.use)) + " per m2";
    if (kind != Kind::land && p.land_ha)
        return "estimated from its land: " + util::thousands(*p.land_ha * 100) + "/100 ha x " +
               util::pounds(rate_for(s.land_rate_per_ha, p.use)) + " per ha";
    return "no value recorded and no area to estimate one from";
}

int moving_index(const Scenario& s, int release) {
    return std::max(0, release - s.moving_before_sale);
}

double moving_cost(const Scenario& s, const Terms& t) {
    return t.moving_m2() * s.moving_cost_per_m2 + t.moving_m2() * s.space_factor * s.fit_out_cost_per_m2;
}

double double_running(const Scenario& s, const Terms& t) {
    if (t.kind != Kind::occupied_building) return 0; // nobody moves out of land or an empty building
    return t.running.known() ? t.running.value * s.double_running_months / 12.0 : 0;
}

std::array<std::pair<int, double>, 2> release_parts(const Scenario& s, int lead) {
    return {{{lead, 1 - s.slip_probability}, {lead + 1, s.slip_probability}}};
}

std::vector<double> mean_growth(const Scenario& s) {
    std::vector<double> g(static_cast<size_t>(std::max(0, s.years)) + 2, 1.0);
    for (size_t i = 1; i < g.size(); ++i) g[i] = g[i - 1] * (1 + s.growth_mean);
    return g;
}

Release release_of(const Scenario& s, const Benchmarks& b, const facts::Building& p) {
    const Terms t = terms_of(s, p, b);
    const Valuation v = value_of(s, p, t.kind);
    Release out;
    out.sellable = t.sellable;
    out.value = v.value;
    out.value_estimated = v.estimated;
    out.value_basis = value_basis(s, p, t.kind);
    if (t.kind == Kind::occupied_building) out.moving_area = b.floor_area(p.use, p.figure(facts::Field::floor_area));
    out.release_index = v.lead;
    out.moving_index = moving_index(s, v.lead);
    const double saving = t.running.known() ? t.running.value : 0;
    out.saving_per_year = saving;
    central_flows(s, t, v, 1.0, saving, mean_growth(s), UnlimitedMarket{}, [&](Flow flow, size_t year, double amount) {
        const double pv = amount * discount_factor(s, static_cast<int>(year));
        switch (flow) {
        case Flow::gross:
            out.gross += amount;
            out.sales_costs += amount * s.sales_cost_rate;
            out.receipt_pv += pv * (1 - s.sales_cost_rate);
            break;
        case Flow::transitional:
            out.transitional_costs += amount;
            out.receipt_pv -= pv;
            break;
        case Flow::double_running:
            out.double_running += amount;
            out.receipt_pv -= pv;
            break;
        case Flow::saving:
            out.savings_pv += pv;
            break;
        }
    });
    return out;
}

} // namespace estate::money
