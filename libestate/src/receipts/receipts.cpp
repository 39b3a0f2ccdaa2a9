#include "estate/receipts/receipts.hpp"
#include "estate/receipts/money.hpp"

#include "estate/duplicates/duplicates.hpp"

#include "db/sqlite.hpp"
#include "estate/db/queries.hpp"
#include "estate/error.hpp"
#include "estate/hubs/runs.hpp"
#include "estate/util/format.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <sstream>

namespace estate::receipts {
namespace {

/// What the model needs of a property, read once.
struct Raw {
    std::int64_t id = 0;
    std::string owner, ref, name, status, tenure, use, holding_type, occupancy;
    bool by_officer = false;
    std::optional<double> gia, land_ha, value, running_cost;
    bool hub_member = false;
};

// Uses with no services to move: disposed of as land.
bool is_land(const Raw& r) {
    static const std::set<std::string> open = {"land", "open_space", "allotments", "car_park"};
    return r.holding_type == "land" || open.count(r.use) > 0;
}

/// The scenario's view of one property, before any money moves.
struct Assessment {
    double probability = 0;
    std::string kind;
    int lead = 0;               ///< years from the start to its release
    std::optional<double> value;
    bool estimated = false, sellable = false;
    std::string basis;
    Figure moving;              ///< floor area whose services move (occupied buildings)
    double moving_m2() const { return moving.known() ? moving.value : 0; }
};

double rate_for(const std::map<std::string, double>& rates, const std::string& use) {
    auto it = rates.find(use);
    if (it != rates.end()) return it->second;
    it = rates.find("default");
    return it == rates.end() ? 0 : it->second;
}

Assessment assess(const Scenario& s, const Raw& r, bool hub_mode, const Benchmarks& benchmarks) {
    Assessment a;
    auto prob = [&](const std::string& status) {
        auto it = s.probability.find(status);
        return it == s.probability.end() ? 0.0 : it->second;
    };
    if (hub_mode)
        a.probability = !r.hub_member ? 0 : r.status == "unassessed" ? s.unassessed_hub_member : prob(r.status);
    else
        a.probability = prob(r.status);
    if (is_land(r)) {
        a.kind = "land";
        a.lead = s.lead_land;
    } else if (r.occupancy == "vacant") {
        a.kind = "vacant building";
        a.lead = s.lead_vacant_building;
    } else {
        a.kind = "occupied building";
        a.lead = s.lead_occupied_building;
        a.moving = benchmarks.floor_area(r.use, r.gia);
    }
    a.sellable = std::find(s.sellable_tenures.begin(), s.sellable_tenures.end(), r.tenure) != s.sellable_tenures.end();
    if (r.value) {
        a.value = *r.value;
        a.basis = "recorded";
    } else if (a.kind == "land" && r.land_ha) {
        const double rate = rate_for(s.land_rate_per_ha, r.use);
        a.value = *r.land_ha * rate;
        a.estimated = true;
        a.basis = "estimated: " + util::thousands(*r.land_ha * 100) + "/100 ha x " + util::pounds(rate) + " per ha";
    } else if (a.kind != "land" && r.gia) {
        const double rate = rate_for(s.building_rate_per_m2, r.use);
        a.value = *r.gia * rate;
        a.estimated = true;
        a.basis = "estimated: " + util::thousands(*r.gia) + " m2 x " + util::pounds(rate) + " per m2";
    } else if (a.kind != "land" && r.land_ha) {
        const double rate = rate_for(s.land_rate_per_ha, r.use);
        a.value = *r.land_ha * rate;
        a.estimated = true;
        a.basis = "estimated from its land: " + util::thousands(*r.land_ha * 100) + "/100 ha x " + util::pounds(rate) +
                  " per ha";
    } else {
        a.basis = "no value recorded and no area to estimate one from";
    }
    return a;
}

/// The random draws of one Monte Carlo run: a 64-bit Mersenne Twister with our own
/// uniform and normal transforms, so the same seed gives the same numbers with any
/// standard library.
class Draws {
public:
    explicit Draws(std::uint64_t seed) : engine_(seed) {}
    double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; } // [0, 1)
    double normal() {                                                              // Box-Muller
        const double u1 = 1.0 - uniform(), u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
    }
    /// A lognormal factor with mean 1 and standard deviation about @p sd.
    double factor(double sd) {
        const double sigma = std::sqrt(std::log1p(sd * sd));
        return std::exp(sigma * normal() - sigma * sigma / 2);
    }

private:
    std::mt19937_64 engine_;
};

struct Model {
    const Scenario& s;
    std::vector<Raw> raw;
    std::vector<Assessment> assessed;
    bool programme_costs = true; ///< false: one property's own money (release_of)

    double discount(int i) const { return discount_factor(s, i); }
    /// Services leave an occupied building this year (its moving and fit-out costs fall).
    int moving_index(int lead) const { return std::max(0, lead - s.moving_before_sale); }

    /// The money of every year. Central case when @p draws is null (each property
    /// weighted by its probability); otherwise one Monte Carlo run (each property
    /// disposed of or not, values, timing and costs drawn). @p out, when given,
    /// receives each counted property's central figures.
    std::vector<Totals> flows(Draws* draws, std::vector<PropertyEstimate>* out) const {
        const int n_years = s.years;
        std::vector<Totals> years(static_cast<size_t>(n_years));
        // Market growth: each year's drawn in a run; the mean in the central case.
        std::vector<double> growth_to(static_cast<size_t>(n_years) + 2, 1.0); // value factor at year index i
        for (int i = 1; i < n_years + 2; ++i)
            growth_to[static_cast<size_t>(i)] =
                growth_to[static_cast<size_t>(i - 1)] * (1 + (draws ? s.growth_mean + s.growth_sd * draws->normal() : s.growth_mean));
        if (programme_costs) {
            years[0].programme_costs += s.programme_cost;
            for (auto& y : years) y.programme_costs += s.programme_cost_per_year;
        }
        for (size_t k = 0; k < raw.size(); ++k) {
            const Raw& r = raw[k];
            const Assessment& a = assessed[k];
            double weight = a.probability, price = s.achieved_factor, cost = 1;
            int lead = a.lead;
            if (draws) { // four draws per property whatever happens, so runs stay aligned
                const double u = draws->uniform();
                price *= draws->factor(a.estimated ? s.estimated_price_sd : s.price_sd);
                lead += draws->uniform() < s.slip_probability ? 1 : 0;
                cost = draws->factor(s.cost_sd);
                weight = u < a.probability ? 1 : 0;
            }
            if (weight <= 0) continue;
            PropertyEstimate e;
            e.id = r.id;
            e.owner = r.owner;
            e.ref = r.ref;
            e.name = r.name;
            e.status = r.status;
            e.status_by_officer = r.by_officer;
            e.kind = a.kind;
            e.probability = a.probability;
            e.sellable = a.sellable;
            e.value_estimated = a.estimated;
            e.value = a.value;
            e.value_basis = a.basis;
            e.release_year = s.start_year + lead;
            e.transitional_estimated = a.moving.assumed();
            if (lead < n_years) {
                Totals& y = years[static_cast<size_t>(lead)];
                if (a.sellable && a.value) {
                    e.gross = weight * *a.value * price * growth_to[static_cast<size_t>(lead)];
                    e.sales_costs = e.gross * s.sales_cost_rate;
                    y.gross += e.gross;
                    y.sales_costs += e.sales_costs;
                }
                if (a.moving_m2() > 0) {
                    const int when = moving_index(lead);
                    e.transitional_costs = weight * cost *
                                           (a.moving_m2() * s.moving_cost_per_m2 +
                                            a.moving_m2() * s.space_factor * s.fit_out_cost_per_m2);
                    years[static_cast<size_t>(when)].transitional_costs += e.transitional_costs;
                    e.net_pv -= e.transitional_costs * discount(when);
                }
                e.net = e.gross - e.sales_costs - e.transitional_costs;
                e.net_pv += (e.gross - e.sales_costs) * discount(lead);
                if (r.running_cost) {
                    e.saving_per_year = weight * *r.running_cost;
                    for (int i = lead; i < n_years; ++i) years[static_cast<size_t>(i)].savings += e.saving_per_year;
                }
                y.properties += 1;
            }
            if (out) out->push_back(std::move(e));
        }
        for (int i = 0; i < n_years; ++i) {
            Totals& y = years[static_cast<size_t>(i)];
            y.net = y.gross - y.sales_costs - y.transitional_costs - y.programme_costs;
            y.net_pv = y.net * discount(i);
            y.savings_pv = y.savings * discount(i);
        }
        return years;
    }

    Totals sum(const std::vector<Totals>& years) const {
        Totals t;
        for (const auto& y : years) {
            t.gross += y.gross;
            t.sales_costs += y.sales_costs;
            t.transitional_costs += y.transitional_costs;
            t.programme_costs += y.programme_costs;
            t.net += y.net;
            t.net_pv += y.net_pv;
            t.savings += y.savings;
            t.savings_pv += y.savings_pv;
            t.properties += y.properties;
        }
        return t;
    }
};

// Nearest-rank percentile of @p v (sorted in place).
double percentile(std::vector<double>& v, double p) {
    std::sort(v.begin(), v.end());
    if (v.empty()) return 0;
    const size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
    return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
}

std::vector<Raw> read_properties(db::Register& reg, std::optional<std::int64_t> hub_run) {
    std::set<std::int64_t> members;
    if (hub_run) {
        hubs::hub_run(reg, hub_run); // a usage_error unless it is one
        // Members of the hubs the run proposes (not those "not worth it on these figures").
        auto st = reg.connection().prepare(
            "SELECT m.property_id FROM analysis_members m JOIN analysis_groups g ON g.run_id = m.run_id AND "
            "g.group_no = m.group_no WHERE m.run_id = ? AND m.role = 'member' AND ifnull(g.proposed, 1) = 1");
        st.bind(1, *hub_run);
        while (st.step()) members.insert(st.int64(0));
    }
    std::vector<Raw> out;
    db::for_each_property(reg, {}, false, [&](const db::PropertyRecord& p, const std::vector<unsigned char>&) {
        Raw r;
        r.id = p.id;
        r.owner = p.owner;
        r.ref = p.ref;
        r.name = p.name.value_or(p.ref);
        r.status = p.rag_status;
        r.by_officer = p.rag_source && *p.rag_source == "person";
        r.tenure = p.tenure.value_or("");
        r.use = p.use;
        r.holding_type = p.holding_type.value_or("");
        r.occupancy = p.occupancy.value_or("");
        r.gia = p.gia_m2;
        r.land_ha = p.land_area_ha;
        r.value = p.market_value;
        r.running_cost = p.running_cost;
        r.hub_member = members.count(p.id) > 0;
        out.push_back(std::move(r));
    });
    std::sort(out.begin(), out.end(), [](const Raw& a, const Raw& b) { return a.id < b.id; });
    // A building in two files is sold once: its main record, its gaps filled from the
    // other records, which then leave the estimate.
    auto index_of = [&out](std::int64_t id) {
        auto it = std::lower_bound(out.begin(), out.end(), id, [](const Raw& r, std::int64_t v) { return r.id < v; });
        return it != out.end() && it->id == id ? static_cast<std::ptrdiff_t>(it - out.begin()) : -1;
    };
    std::set<std::int64_t> folded;
    for (const auto& [main_id, others] : duplicates::counted_once(reg)) {
        const auto m = index_of(main_id);
        if (m < 0) continue;
        Raw& main = out[static_cast<size_t>(m)];
        for (std::int64_t id : others) {
            const auto o = index_of(id);
            if (o < 0) continue;
            const Raw& other = out[static_cast<size_t>(o)];
            if (main.tenure.empty()) main.tenure = other.tenure;
            if ((main.use == "unknown" || main.use == "other") && other.use != "unknown") main.use = other.use;
            if (main.occupancy.empty()) main.occupancy = other.occupancy;
            if (!main.gia) main.gia = other.gia;
            if (!main.land_ha) main.land_ha = other.land_ha;
            if (!main.value) main.value = other.value;
            if (!main.running_cost) main.running_cost = other.running_cost;
            main.hub_member = main.hub_member || other.hub_member;
            folded.insert(id);
        }
    }
    out.erase(std::remove_if(out.begin(), out.end(), [&folded](const Raw& r) { return folded.count(r.id) > 0; }),
              out.end());
    return out;
}

// A building with no floor area recorded is assumed to have the median of its use, or
// the scenario's typical area (as hubs assume); worked out once per estimate.
Benchmarks benchmarks_of(const Scenario& s, const std::vector<Raw>& raw) {
    std::vector<std::string> uses;
    std::vector<double> gia;
    for (const auto& r : raw) {
        uses.push_back(r.use);
        gia.push_back(r.gia ? *r.gia : std::nan(""));
    }
    return Benchmarks(s, uses, gia);
}

std::vector<Assessment> assess_all(const Scenario& s, const std::vector<Raw>& raw, bool hub_mode,
                                   const Benchmarks& benchmarks) {
    std::vector<Assessment> out;
    out.reserve(raw.size());
    for (const auto& r : raw) out.push_back(assess(s, r, hub_mode, benchmarks));
    return out;
}

double central_net_pv(const Scenario& s, const std::vector<Raw>& raw, bool hub_mode, const Benchmarks& benchmarks) {
    Model m{s, raw, assess_all(s, raw, hub_mode, benchmarks)};
    return m.sum(m.flows(nullptr, nullptr)).net_pv;
}

/// Which assumptions move the total most: each moved to a low and a high setting,
/// everything else as in the scenario.
std::vector<SensitivityRow> sensitivity(const Scenario& base, const std::vector<Raw>& raw, bool hub_mode,
                                        const Benchmarks& benchmarks) {
    struct Move {
        std::string name;
        std::function<void(Scenario&)> low, high;
        std::string low_text, high_text;
    };
    auto scale_rates = [](Scenario& s, double f) {
        for (auto* rates : {&s.building_rate_per_m2, &s.land_rate_per_ha})
            for (auto& [use, rate] : *rates) rate *= f;
    };
    const std::vector<Move> moves = {
        {"Market growth a year", [](Scenario& s) { s.growth_mean -= 0.02; }, [](Scenario& s) { s.growth_mean += 0.02; },
         util::percent(base.growth_mean - 0.02), util::percent(base.growth_mean + 0.02)},
        {"Amber disposal probability", [](Scenario& s) { s.probability["amber"] = 0.25; },
         [](Scenario& s) { s.probability["amber"] = 0.75; }, "25%", "75%"},
        {"Price achieved against value", [](Scenario& s) { s.achieved_factor *= 0.85; },
         [](Scenario& s) { s.achieved_factor *= 1.15; }, "85%", "115%"},
        {"Indicative rates (estimated values)", [&](Scenario& s) { scale_rates(s, 0.75); },
         [&](Scenario& s) { scale_rates(s, 1.25); }, "75%", "125%"},
        {"Sales costs", [](Scenario& s) { s.sales_cost_rate = 0.01; }, [](Scenario& s) { s.sales_cost_rate = 0.04; },
         "1%", "4%"},
        {"Moving and fit-out costs", [](Scenario& s) { s.moving_cost_per_m2 *= 1.5; s.fit_out_cost_per_m2 *= 1.5; },
         [](Scenario& s) { s.moving_cost_per_m2 *= 0.5; s.fit_out_cost_per_m2 *= 0.5; }, "150%", "50%"},
        {"Lead times", [](Scenario& s) { s.lead_land += 1; s.lead_vacant_building += 1; s.lead_occupied_building += 1; },
         [](Scenario& s) {
             s.lead_land = std::max(0, s.lead_land - 1);
             s.lead_vacant_building = std::max(0, s.lead_vacant_building - 1);
             s.lead_occupied_building = std::max(0, s.lead_occupied_building - 1);
         },
         "a year longer", "a year shorter"},
        {"Discount rate", [](Scenario& s) { s.discount_rate += 0.01; }, [](Scenario& s) { s.discount_rate = std::max(0.0, s.discount_rate - 0.01); },
         util::percent(base.discount_rate + 0.01), util::percent(std::max(0.0, base.discount_rate - 0.01))},
        {"Programme costs", [](Scenario& s) { s.programme_cost *= 2; s.programme_cost_per_year *= 2; },
         [](Scenario& s) { s.programme_cost *= 0.5; s.programme_cost_per_year *= 0.5; }, "double", "half"},
    };
    std::vector<SensitivityRow> rows;
    for (const auto& m : moves) {
        Scenario low = base, high = base;
        m.low(low);
        m.high(high);
        rows.push_back({m.name, m.low_text, m.high_text, central_net_pv(low, raw, hub_mode, benchmarks),
                        central_net_pv(high, raw, hub_mode, benchmarks)});
    }
    std::stable_sort(rows.begin(), rows.end(), [](const SensitivityRow& a, const SensitivityRow& b) { return a.swing() > b.swing(); });
    return rows;
}

std::vector<std::pair<std::string, Totals>> group(const std::vector<PropertyEstimate>& props,
                                                  const std::function<std::string(const PropertyEstimate&)>& key,
                                                  const Scenario& s) {
    std::map<std::string, Totals> by;
    for (const auto& p : props) {
        Totals& t = by[key(p)];
        t.gross += p.gross;
        t.sales_costs += p.sales_costs;
        t.transitional_costs += p.transitional_costs;
        t.net += p.net;
        t.net_pv += p.net_pv;
        for (int year = std::max(p.release_year, s.start_year); year < s.start_year + s.years; ++year) {
            t.savings += p.saving_per_year;
            t.savings_pv += p.saving_per_year / std::pow(1 + s.discount_rate, year - s.start_year);
        }
        t.properties += 1;
    }
    std::vector<std::pair<std::string, Totals>> out(by.begin(), by.end());
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second.net > b.second.net; });
    return out;
}

} // namespace

Release release_of(const Scenario& s, const Benchmarks& b, const PropertyFigures& p) {
    Raw r;
    r.status = "green"; // weighed for certain below
    r.use = p.use;
    r.tenure = p.tenure;
    r.holding_type = p.holding_type;
    r.occupancy = p.occupancy;
    r.gia = p.gia_m2;
    r.land_ha = p.land_ha;
    r.value = p.market_value;
    if (p.running_cost.known()) r.running_cost = p.running_cost.value;
    Assessment a = assess(s, r, false, b);
    a.probability = 1;
    Release out;
    out.sellable = a.sellable;
    out.value = a.value;
    out.value_estimated = a.estimated;
    out.value_basis = a.basis;
    out.moving_area = a.moving;
    out.release_index = a.lead;
    Model m{s, {std::move(r)}, {std::move(a)}, false};
    out.moving_index = m.moving_index(out.release_index);
    std::vector<PropertyEstimate> one;
    const Totals t = m.sum(m.flows(nullptr, &one));
    out.gross = t.gross;
    out.sales_costs = t.sales_costs;
    out.transitional_costs = t.transitional_costs;
    out.saving_per_year = one.empty() ? 0 : one.front().saving_per_year;
    out.receipt_pv = t.net_pv;
    out.savings_pv = t.savings_pv;
    return out;
}

Estimate estimate(db::Register& reg, const Options& options) {
    Estimate est;
    est.scenario = options.scenario ? *options.scenario : default_scenario();
    est.hub_run = options.hub_run;
    est.runs = std::max(0, options.runs);
    est.seed = options.seed;
    const Scenario& s = est.scenario;
    const bool hub_mode = options.hub_run.has_value();
    Model model{s, read_properties(reg, options.hub_run), {}};
    const Benchmarks benchmarks = benchmarks_of(s, model.raw);
    model.assessed = assess_all(s, model.raw, hub_mode, benchmarks);
    for (int i = 0; i < s.years; ++i) est.years.push_back(s.start_year + i);

    // The central case.
    est.by_year = model.flows(nullptr, &est.properties);
    est.total = model.sum(est.by_year);
    for (const auto& p : est.properties)
        if (p.release_year < s.start_year + s.years) est.savings_per_year_at_end += p.saving_per_year;
    std::stable_sort(est.properties.begin(), est.properties.end(),
                     [](const PropertyEstimate& a, const PropertyEstimate& b) { return a.net > b.net; });
    est.by_owner = group(est.properties, [](const PropertyEstimate& p) { return p.owner; }, s);
    est.by_status = group(est.properties, [](const PropertyEstimate& p) { return p.status; }, s);

    // The Monte Carlo: the same seed gives the same numbers.
    if (est.runs > 0) {
        Draws draws(options.seed);
        std::vector<double> net, net_pv;
        std::vector<std::vector<double>> by_year(static_cast<size_t>(s.years));
        for (int run = 0; run < est.runs; ++run) {
            if (options.progress && (run % 50 == 0 || run + 1 == est.runs)) options.progress(run + 1, est.runs);
            const auto years = model.flows(&draws, nullptr);
            const Totals t = model.sum(years);
            net.push_back(t.net);
            net_pv.push_back(t.net_pv);
            for (size_t i = 0; i < years.size(); ++i) by_year[i].push_back(years[i].net);
        }
        est.net = {percentile(net, 0.1), percentile(net, 0.5), percentile(net, 0.9)};
        est.net_pv = {percentile(net_pv, 0.1), percentile(net_pv, 0.5), percentile(net_pv, 0.9)};
        for (auto& v : by_year) est.net_by_year.push_back({percentile(v, 0.1), percentile(v, 0.5), percentile(v, 0.9)});
    }
    est.sensitivity = sensitivity(s, model.raw, hub_mode, benchmarks);

    // Data quality, for the caveats.
    DataQuality& q = est.quality;
    for (const auto& p : est.properties) {
        ++q.counted;
        q.values_estimated += p.value_estimated ? 1 : 0;
        q.no_value_basis += p.sellable && !p.value ? 1 : 0;
        q.not_sellable += p.sellable ? 0 : 1;
        q.transitional_estimated += p.transitional_estimated ? 1 : 0;
    }
    for (size_t k = 0; k < model.raw.size(); ++k) {
        if (model.assessed[k].probability <= 0) continue;
        if (model.raw[k].tenure.empty()) ++q.tenure_unknown;
        if (model.raw[k].running_cost) ++q.running_costs_recorded;
    }
    auto& c = reg.connection();
    q.unlocated = c.scalar_int("SELECT count(*) FROM properties WHERE geom IS NULL AND retired_at IS NULL").value_or(0);
    auto st = c.prepare("SELECT o.name, max(b.finished_at) FROM properties p JOIN owners o ON o.id = p.owner_id "
                        "JOIN import_batches b ON b.id = p.batch_id WHERE p.retired_at IS NULL GROUP BY o.name "
                        "ORDER BY o.name");
    while (st.step()) q.last_import.emplace_back(st.text(0), st.is_null(1) ? "" : st.text(1));
    return est;
}

} // namespace estate::receipts
