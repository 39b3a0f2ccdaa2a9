#include "estate/receipts/receipts.hpp"
#include "estate/receipts/money.hpp"

#include "db/sqlite.hpp"
#include "estate/db/queries.hpp"
#include "estate/duplicates/duplicates.hpp"
#include "estate/error.hpp"
#include "estate/hubs/runs.hpp"
#include "estate/util/format.hpp"
#include "receipts/draws.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <set>
#include <string_view>
#include <thread>
#include <unordered_map>

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

double probability_of(const Scenario& s, std::string_view status) {
    auto it = s.probability.find(std::string(status));
    return it == s.probability.end() ? 0.0 : it->second;
}

// The likelihood a property counts with: its status's, or with a hub run, only if the
// run releases it (an unassessed member at the scenario's own likelihood).
double probability_of(const Scenario& s, std::string_view status, bool hub_mode, bool hub_member) {
    if (!hub_mode) return probability_of(s, status);
    return !hub_member ? 0 : status == "unassessed" ? s.unassessed_hub_member : probability_of(s, status);
}

double probability_of(const Scenario& s, const Raw& r, bool hub_mode) {
    return probability_of(s, r.status, hub_mode, r.hub_member);
}

enum class Kind : std::uint8_t { land, vacant_building, occupied_building };
const char* kind_words(Kind k) {
    return k == Kind::land ? "land" : k == Kind::vacant_building ? "vacant building" : "occupied building";
}

double rate_for(const std::map<std::string, double>& rates, const std::string& use) {
    auto it = rates.find(use);
    if (it != rates.end()) return it->second;
    it = rates.find("default");
    return it == rates.end() ? 0 : it->second;
}

/// What a property brings to the model whatever the scenario's rates, leads and
/// likelihoods: worked out once per estimate (the sensitivity table re-runs the model
/// eighteen times).
struct Facts {
    Kind kind = Kind::occupied_building;
    bool sellable = false;
    Figure moving;  ///< floor area whose services move (occupied buildings)
    Figure running; ///< running cost a year, recorded or assumed (double running)
    double moving_m2() const { return moving.known() ? moving.value : 0; }
};

Facts facts_of(const Scenario& s, const Raw& r, const Benchmarks& benchmarks) {
    Facts f;
    f.kind = is_land(r) ? Kind::land : r.occupancy == "vacant" ? Kind::vacant_building : Kind::occupied_building;
    f.sellable = std::find(s.sellable_tenures.begin(), s.sellable_tenures.end(), r.tenure) != s.sellable_tenures.end();
    if (f.kind == Kind::occupied_building) {
        f.moving = benchmarks.floor_area(r.use, r.gia, false);
        f.running = benchmarks.running_cost(r.use, r.running_cost, f.moving, false);
    }
    return f;
}

/// The scenario's view of one property, before any money moves.
struct Assessment {
    double probability = 0;
    int lead = 0; ///< years from the start to its release
    std::optional<double> value;
    bool estimated = false;
};

int lead_of(const Scenario& s, Kind k) {
    return k == Kind::land              ? s.lead_land
           : k == Kind::vacant_building ? s.lead_vacant_building
                                        : s.lead_occupied_building;
}

Assessment assess(const Scenario& s, const Raw& r, const Facts& f, bool hub_mode) {
    Assessment a;
    a.probability = probability_of(s, r, hub_mode);
    a.lead = lead_of(s, f.kind);
    if (r.value) {
        a.value = *r.value;
    } else if (f.kind == Kind::land && r.land_ha) {
        a.value = *r.land_ha * rate_for(s.land_rate_per_ha, r.use);
    } else if (f.kind != Kind::land && r.gia) {
        a.value = *r.gia * rate_for(s.building_rate_per_m2, r.use);
    } else if (f.kind != Kind::land && r.land_ha) {
        a.value = *r.land_ha * rate_for(s.land_rate_per_ha, r.use);
    }
    a.estimated = a.value && !r.value;
    return a;
}

/// How the value was arrived at, in words (only for the properties printed).
std::string value_basis(const Scenario& s, const Raw& r, const Facts& f) {
    if (r.value) return "recorded";
    if (f.kind == Kind::land && r.land_ha)
        return "estimated: " + util::thousands(*r.land_ha * 100) + "/100 ha x " +
               util::pounds(rate_for(s.land_rate_per_ha, r.use)) + " per ha";
    if (f.kind != Kind::land && r.gia)
        return "estimated: " + util::thousands(*r.gia) + " m2 x " +
               util::pounds(rate_for(s.building_rate_per_m2, r.use)) + " per m2";
    if (f.kind != Kind::land && r.land_ha)
        return "estimated from its land: " + util::thousands(*r.land_ha * 100) + "/100 ha x " +
               util::pounds(rate_for(s.land_rate_per_ha, r.use)) + " per ha";
    return "no value recorded and no area to estimate one from";
}

/// What the market takes each year. Sales planned for year i that the market cannot
/// take slip to the next year (growing with the market meanwhile) and queue with that
/// year's own; each year sells the same share of everything queued.
/// share(i, j): the part of year i's planned sales (in year i's money) sold in year j,
/// in year j's money.
class Absorption {
public:
    Absorption(const Scenario& s, const std::vector<double>& planned_value, const std::vector<double>& planned_count,
               const std::vector<double>& growth_to)
        : n_(planned_value.size()), share_(n_ * n_, 0.0), deferred_(n_, 0.0) {
        std::vector<double> left(n_, 0.0); // share of year i's sales not yet sold
        for (size_t j = 0; j < n_; ++j) {
            left[j] = 1;
            double value = 0, count = 0;
            for (size_t i = 0; i <= j; ++i) {
                value += planned_value[i] * left[i] * growth_to[j] / growth_to[i];
                count += planned_count[i] * left[i];
            }
            double f = 1;
            if (s.market_max_value_per_year && value > *s.market_max_value_per_year)
                f = std::min(f, *s.market_max_value_per_year / value);
            if (s.market_max_sales_per_year && count > *s.market_max_sales_per_year)
                f = std::min(f, *s.market_max_sales_per_year / count);
            for (size_t i = 0; i <= j; ++i) {
                share_[i * n_ + j] = f * left[i] * growth_to[j] / growth_to[i];
                left[i] *= 1 - f;
            }
            deferred_[j] = (1 - f) * value;
        }
        for (size_t i = 0; i < n_; ++i) beyond_ += planned_value[i] * left[i] * growth_to[n_] / growth_to[i];
    }
    double share(size_t i, size_t j) const { return share_[i * n_ + j]; }
    double deferred(size_t j) const { return deferred_[j]; }
    double beyond() const { return beyond_; } ///< in the money of the year after the horizon

private:
    size_t n_;
    std::vector<double> share_, deferred_;
    double beyond_ = 0;
};

/// One property as the simulation sees it: everything fixed before the runs.
struct Item {
    double probability, sale, moving, double_running, saving;
    int lead;
    bool estimated, sells, released;
};

struct RunTotals {
    double net = 0, net_pv = 0;
    std::vector<double> net_by_year;
};

struct Model {
    const Scenario& s;
    const std::vector<Raw>& raw;
    const std::vector<Facts>& facts;
    std::vector<Assessment> assessed;
    bool programme = true;      ///< false: one property's own money (release_of)
    double extension_costs = 0; ///< the hub run's extensions, in the year services move

    int n() const { return s.years; }
    double discount(int i) const { return discount_factor(s, i); }
    /// Services leave an occupied building this year (its moving and fit-out costs fall).
    int moving_index(int release) const { return std::max(0, release - s.moving_before_sale); }
    double moving_cost(const Facts& f) const {
        return f.moving_m2() * s.moving_cost_per_m2 + f.moving_m2() * s.space_factor * s.fit_out_cost_per_m2;
    }
    double double_running(const Facts& f) const {
        return f.running.known() ? f.running.value * s.double_running_months / 12.0 : 0;
    }
    std::vector<double> growth_to(detail::Stream* draws) const {
        std::vector<double> g(static_cast<size_t>(n()) + 2, 1.0);
        for (size_t i = 1; i < g.size(); ++i)
            g[i] = g[i - 1] * (1 + (draws ? s.growth_mean + s.growth_sd * draws->normal() : s.growth_mean));
        return g;
    }
    /// The year-level costs that belong to the programme, not to any property.
    void programme_costs(std::vector<Totals>& years, const std::vector<double>& disposals) const {
        if (!programme) return;
        years[0].programme_costs += s.programme_cost;
        for (int i = 0; i < n() && i < s.programme_years; ++i)
            years[static_cast<size_t>(i)].programme_costs += s.programme_cost_per_year;
        for (int i = 0; i < n(); ++i)
            years[static_cast<size_t>(i)].programme_costs +=
                disposals[static_cast<size_t>(i)] * s.programme_cost_per_disposal;
        const int when = moving_index(s.lead_occupied_building);
        if (when < n()) years[static_cast<size_t>(when)].extension_costs += extension_costs;
    }
    void close(std::vector<Totals>& years) const {
        for (int i = 0; i < n(); ++i) {
            Totals& y = years[static_cast<size_t>(i)];
            y.net = y.gross - y.sales_costs - y.costs();
            y.net_pv = y.net * discount(i);
            y.savings_pv = y.savings * discount(i);
        }
    }

    /// The central case: each property weighted by its probability, released in its
    /// year with (1 - slip) and a year later with the rest, at the mean growth, sales
    /// held to what the market takes. @p out, when given, receives each counted
    /// property's figures.
    std::vector<Totals> central(std::vector<PropertyEstimate>* out, double* beyond) const {
        const size_t N = static_cast<size_t>(n());
        std::vector<Totals> years(N);
        const auto growth = growth_to(nullptr);
        std::vector<double> disc(N + 1);
        for (size_t i = 0; i <= N; ++i) disc[i] = discount(static_cast<int>(i));
        const double slip = s.slip_probability;
        auto parts = [&](int lead) {
            return std::array<std::pair<int, double>, 2>{{{lead, 1 - slip}, {lead + 1, slip}}};
        };
        // First what each year plans to sell, to know what the market takes.
        std::vector<double> planned(N, 0.0), count(N, 0.0), disposals(N, 0.0);
        for (size_t k = 0; k < raw.size(); ++k) {
            const Assessment& a = assessed[k];
            if (a.probability <= 0) continue;
            for (auto [year, share] : parts(a.lead)) {
                if (share <= 0 || year >= n()) continue;
                const double w = a.probability * share;
                disposals[static_cast<size_t>(year)] += w;
                if (!facts[k].sellable || !a.value) continue;
                planned[static_cast<size_t>(year)] +=
                    w * *a.value * s.achieved_factor * growth[static_cast<size_t>(year)];
                count[static_cast<size_t>(year)] += w;
            }
        }
        const Absorption market(s, planned, count, growth);
        if (beyond) *beyond = market.beyond();
        for (size_t j = 0; j < N; ++j) years[j].deferred = market.deferred(j);
        programme_costs(years, disposals);
        for (size_t k = 0; k < raw.size(); ++k) {
            const Raw& r = raw[k];
            const Facts& f = facts[k];
            const Assessment& a = assessed[k];
            if (a.probability <= 0) continue;
            PropertyEstimate e;
            e.probability = a.probability;
            e.release_year = s.start_year + a.lead;
            for (auto [year, share] : parts(a.lead)) {
                if (share <= 0 || year >= n()) continue;
                const double w = a.probability * share;
                const size_t i = static_cast<size_t>(year);
                if (f.sellable && a.value) {
                    const double at_plan = w * *a.value * s.achieved_factor * growth[i];
                    for (size_t j = i; j < N; ++j) {
                        const double gross = at_plan * market.share(i, j);
                        if (gross == 0) continue;
                        years[j].gross += gross;
                        years[j].sales_costs += gross * s.sales_cost_rate;
                        e.gross += gross;
                        e.net_pv += gross * (1 - s.sales_cost_rate) * disc[j];
                    }
                }
                const int when = moving_index(year);
                const double moving = w * moving_cost(f), doubled = w * double_running(f);
                years[static_cast<size_t>(when)].transitional_costs += moving;
                years[static_cast<size_t>(when)].double_running += doubled;
                e.transitional_costs += moving;
                e.double_running += doubled;
                e.net_pv -= (moving + doubled) * disc[static_cast<size_t>(when)];
                if (r.running_cost) {
                    const double saving = w * *r.running_cost;
                    for (size_t j = i; j < N; ++j) {
                        years[j].savings += saving;
                        e.savings += saving;
                        e.savings_pv += saving * disc[j];
                    }
                }
            }
            e.sales_costs = e.gross * s.sales_cost_rate;
            e.net = e.gross - e.sales_costs - e.transitional_costs - e.double_running;
            if (r.running_cost) e.saving_per_year = a.probability * *r.running_cost;
            if (!out) continue;
            e.id = r.id;
            e.owner = r.owner;
            e.ref = r.ref;
            e.name = r.name;
            e.status = r.status;
            e.status_by_officer = r.by_officer;
            e.kind = kind_words(f.kind);
            e.sellable = f.sellable;
            e.value_estimated = a.estimated;
            e.value = a.value;
            e.value_basis = value_basis(s, r, f);
            e.transitional_estimated = f.moving.assumed();
            out->push_back(std::move(e));
        }
        // A property released over two years is counted in its planned year.
        for (size_t k = 0; k < raw.size(); ++k)
            if (assessed[k].probability > 0 && assessed[k].lead < n())
                ++years[static_cast<size_t>(assessed[k].lead)].properties;
        close(years);
        return years;
    }

    std::vector<Item> items() const {
        std::vector<Item> out;
        for (size_t k = 0; k < raw.size(); ++k) {
            const Assessment& a = assessed[k];
            if (a.probability <= 0) continue;
            const Facts& f = facts[k];
            const bool sells = f.sellable && a.value;
            out.push_back({a.probability, sells ? *a.value * s.achieved_factor : 0, moving_cost(f), double_running(f),
                           raw[k].running_cost.value_or(0), a.lead, a.estimated, static_cast<bool>(sells), true});
        }
        return out;
    }

    /// One simulated future: each property disposed of or not (with its probability),
    /// its price, its slippage and its costs drawn; growth drawn each year.
    RunTotals run(detail::Stream& draws, const std::vector<Item>& items, const detail::FactorTable& recorded_price,
                  const detail::FactorTable& estimated_price, const detail::FactorTable& cost) const {
        const size_t N = static_cast<size_t>(n());
        const auto growth = growth_to(&draws);
        const std::uint64_t slip16 = static_cast<std::uint64_t>(std::llround(s.slip_probability * 65536.0));
        std::vector<double> planned(N, 0.0), count(N, 0.0), disposals(N, 0.0), moving(N, 0.0), doubled(N, 0.0),
            saving_from(N + 1, 0.0);
        for (const Item& it : items) {
            if (draws.uniform() >= it.probability) continue;
            const std::uint64_t bits = draws.next();
            const int year = it.lead + ((bits & 0xFFFF) < slip16 ? 1 : 0);
            if (year >= n()) continue;
            const size_t i = static_cast<size_t>(year);
            disposals[i] += 1;
            if (it.sells) {
                planned[i] += it.sale * (it.estimated ? estimated_price : recorded_price)[bits >> 16] * growth[i];
                count[i] += 1;
            }
            const size_t when = static_cast<size_t>(moving_index(year));
            moving[when] += it.moving * cost[bits >> 32];
            doubled[when] += it.double_running;
            saving_from[i] += it.saving;
        }
        std::vector<Totals> years(N);
        const Absorption market(s, planned, count, growth);
        programme_costs(years, disposals);
        double saving = 0;
        for (size_t j = 0; j < N; ++j) {
            for (size_t i = 0; i <= j; ++i) years[j].gross += planned[i] * market.share(i, j);
            years[j].sales_costs = years[j].gross * s.sales_cost_rate;
            years[j].transitional_costs = moving[j];
            years[j].double_running = doubled[j];
            saving += saving_from[j];
            years[j].savings = saving;
        }
        close(years);
        RunTotals t;
        for (const auto& y : years) {
            t.net += y.net;
            t.net_pv += y.net_pv;
            t.net_by_year.push_back(y.net);
        }
        return t;
    }
};

Totals sum(const std::vector<Totals>& years) {
    Totals t;
    for (const auto& y : years) {
        t.gross += y.gross;
        t.sales_costs += y.sales_costs;
        t.transitional_costs += y.transitional_costs;
        t.double_running += y.double_running;
        t.extension_costs += y.extension_costs;
        t.programme_costs += y.programme_costs;
        t.net += y.net;
        t.net_pv += y.net_pv;
        t.savings += y.savings;
        t.savings_pv += y.savings_pv;
        t.deferred += y.deferred;
        t.properties += y.properties;
    }
    return t;
}

// Nearest-rank percentile of @p v (sorted in place).
double percentile(std::vector<double>& v, double p) {
    std::sort(v.begin(), v.end());
    if (v.empty()) return 0;
    const size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
    return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
}

/// The register as the estimate reads it: every property's use and floor area (for the
/// medians), and in full only those that count (or lend a duplicate their figures).
struct Read {
    std::vector<Raw> raw;
    std::map<std::string, std::vector<double>> areas_by_use;
    std::int64_t implausible = 0;
};

Read read_properties(db::Register& reg, const Scenario& s, std::optional<std::int64_t> hub_run) {
    auto& c = reg.connection();
    std::set<std::int64_t> members;
    if (hub_run) {
        hubs::hub_run(reg, hub_run); // a usage_error unless it is one
        // Members of the hubs the run proposes (not those "not worth it on these figures").
        auto st =
            c.prepare("SELECT m.property_id FROM analysis_members m JOIN analysis_groups g ON g.run_id = m.run_id AND "
                      "g.group_no = m.group_no WHERE m.run_id = ? AND m.role = 'member' AND ifnull(g.proposed, 1) = 1");
        st.bind(1, *hub_run);
        while (st.step()) members.insert(st.int64(0));
    }
    const auto once = duplicates::counted_once(reg);
    std::set<std::int64_t> in_groups;
    for (const auto& [main_id, others] : once) {
        in_groups.insert(main_id);
        in_groups.insert(others.begin(), others.end());
    }
    std::unordered_map<std::int64_t, std::string> owners;
    for (auto st = c.prepare("SELECT id, name FROM owners"); st.step();) owners[st.int64(0)] = st.text(1);

    Read out;
    // A figure no property can have (over 10^12, or not a number: written into the
    // register by hand, since imports refuse them) is not used, and counted.
    auto plausible = [&out](std::optional<double> v) -> std::optional<double> {
        if (v && (!std::isfinite(*v) || std::fabs(*v) > 1e12)) {
            ++out.implausible;
            return std::nullopt;
        }
        return v;
    };
    std::map<std::string, std::vector<double>*, std::less<>> area_list;
    auto st = c.prepare("SELECT id, owner_id, rag_status, rag_source, use, gia_m2, ref, name, tenure, holding_type, "
                        "occupancy, land_area_ha, market_value, running_cost FROM properties WHERE retired_at IS NULL "
                        "ORDER BY id");
    while (st.step()) {
        const std::int64_t id = st.int64(0);
        const std::string_view use = st.view(4);
        auto slot = area_list.find(use);
        if (slot == area_list.end())
            slot = area_list.emplace(std::string(use), &out.areas_by_use[std::string(use)]).first;
        const auto gia = plausible(st.opt_real(5));
        slot->second->push_back(gia ? *gia : std::nan(""));
        const bool member = members.count(id) > 0;
        const std::string_view status = st.view(2);
        const double p = probability_of(s, status, hub_run.has_value(), member);
        if (p <= 0 && !in_groups.count(id)) continue;
        Raw r;
        r.id = id;
        r.owner = owners[st.int64(1)];
        r.status = status;
        r.by_officer = model::status_set_by_person(status, st.is_null(3) ? std::nullopt
                                                                         : std::optional<std::string_view>(st.view(3)));
        r.use = use;
        r.gia = gia;
        r.ref = st.text(6);
        r.name = st.is_null(7) ? r.ref : st.text(7);
        r.tenure = st.text(8);
        r.holding_type = st.text(9);
        r.occupancy = st.text(10);
        r.land_ha = plausible(st.opt_real(11));
        r.value = plausible(st.opt_real(12));
        r.running_cost = plausible(st.opt_real(13));
        r.hub_member = member;
        out.raw.push_back(std::move(r));
    }
    // A building in two files is sold once: its main record, its gaps filled from the
    // other records, which then leave the estimate.
    auto index_of = [&out](std::int64_t id) {
        auto it =
            std::lower_bound(out.raw.begin(), out.raw.end(), id, [](const Raw& r, std::int64_t v) { return r.id < v; });
        return it != out.raw.end() && it->id == id ? static_cast<std::ptrdiff_t>(it - out.raw.begin()) : -1;
    };
    std::set<std::int64_t> folded;
    for (const auto& [main_id, others] : once) {
        const auto m = index_of(main_id);
        if (m < 0) continue;
        Raw& main = out.raw[static_cast<size_t>(m)];
        for (std::int64_t id : others) {
            const auto o = index_of(id);
            if (o < 0) continue;
            const Raw& other = out.raw[static_cast<size_t>(o)];
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
    out.raw.erase(std::remove_if(out.raw.begin(), out.raw.end(),
                                 [&](const Raw& r) {
                                     return folded.count(r.id) > 0 || probability_of(s, r, hub_run.has_value()) <= 0;
                                 }),
                  out.raw.end());
    return out;
}

/// Assessments under another scenario; the same ones when nothing they rest on moved.
std::vector<Assessment> assess_all(const Scenario& s, const std::vector<Raw>& raw, const std::vector<Facts>& facts,
                                   bool hub_mode) {
    std::vector<Assessment> out;
    out.reserve(raw.size());
    for (size_t k = 0; k < raw.size(); ++k) out.push_back(assess(s, raw[k], facts[k], hub_mode));
    return out;
}

bool same_assessments(const Scenario& a, const Scenario& b) {
    return a.probability == b.probability && a.unassessed_hub_member == b.unassessed_hub_member &&
           a.building_rate_per_m2 == b.building_rate_per_m2 && a.land_rate_per_ha == b.land_rate_per_ha &&
           a.lead_land == b.lead_land && a.lead_vacant_building == b.lead_vacant_building &&
           a.lead_occupied_building == b.lead_occupied_building;
}

double central_net_pv(const Scenario& s, const Model& base, bool hub_mode) {
    Model m{s,          base.raw,
            base.facts, same_assessments(s, base.s) ? base.assessed : assess_all(s, base.raw, base.facts, hub_mode),
            true,       base.extension_costs};
    return sum(m.central(nullptr, nullptr)).net_pv;
}

/// Which assumptions move the total most: each moved to a low and a high setting,
/// everything else as in the scenario.
std::vector<SensitivityRow> sensitivity(const Model& model, bool hub_mode) {
    const Scenario& base = model.s;
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
        {"Moving and fit-out costs",
         [](Scenario& s) {
             s.moving_cost_per_m2 *= 1.5;
             s.fit_out_cost_per_m2 *= 1.5;
         },
         [](Scenario& s) {
             s.moving_cost_per_m2 *= 0.5;
             s.fit_out_cost_per_m2 *= 0.5;
         },
         "150%", "50%"},
        {"Lead times",
         [](Scenario& s) {
             s.lead_land += 1;
             s.lead_vacant_building += 1;
             s.lead_occupied_building += 1;
         },
         [](Scenario& s) {
             s.lead_land = std::max(0, s.lead_land - 1);
             s.lead_vacant_building = std::max(0, s.lead_vacant_building - 1);
             s.lead_occupied_building = std::max(0, s.lead_occupied_building - 1);
         },
         "a year longer", "a year shorter"},
        {"Discount rate", [](Scenario& s) { s.discount_rate += 0.01; },
         [](Scenario& s) { s.discount_rate = std::max(0.0, s.discount_rate - 0.01); },
         util::percent(base.discount_rate + 0.01), util::percent(std::max(0.0, base.discount_rate - 0.01))},
        {"Programme costs",
         [](Scenario& s) {
             s.programme_cost *= 2;
             s.programme_cost_per_year *= 2;
         },
         [](Scenario& s) {
             s.programme_cost *= 0.5;
             s.programme_cost_per_year *= 0.5;
         },
         "double", "half"},
    };
    std::vector<SensitivityRow> rows;
    for (const auto& m : moves) {
        Scenario low = base, high = base;
        m.low(low);
        m.high(high);
        rows.push_back({m.name, m.low_text, m.high_text, central_net_pv(low, model, hub_mode),
                        central_net_pv(high, model, hub_mode)});
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const SensitivityRow& a, const SensitivityRow& b) { return a.swing() > b.swing(); });
    return rows;
}

std::vector<std::pair<std::string, Totals>> group(const std::vector<PropertyEstimate>& props,
                                                  const std::function<std::string(const PropertyEstimate&)>& key) {
    std::map<std::string, Totals> by;
    for (const auto& p : props) {
        Totals& t = by[key(p)];
        t.gross += p.gross;
        t.sales_costs += p.sales_costs;
        t.transitional_costs += p.transitional_costs;
        t.double_running += p.double_running;
        t.net += p.net;
        t.net_pv += p.net_pv;
        t.savings += p.savings;
        t.savings_pv += p.savings_pv;
        t.properties += 1;
    }
    std::vector<std::pair<std::string, Totals>> out(by.begin(), by.end());
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second.net > b.second.net; });
    return out;
}

/// The Monte Carlo: runs shared among threads, each run its own random stream, so the
/// same seed gives the same numbers whatever the thread count.
void simulate(const Model& model, const Options& options, Estimate& est) {
    const Scenario& s = model.s;
    const auto items = model.items();
    const detail::FactorTable recorded(s.price_sd), estimated(s.estimated_price_sd), cost(s.cost_sd);
    const int runs = est.runs;
    std::vector<double> net(static_cast<size_t>(runs)), net_pv(static_cast<size_t>(runs));
    std::vector<std::vector<double>> by_year(static_cast<size_t>(s.years),
                                             std::vector<double>(static_cast<size_t>(runs)));
    // Every core unless told otherwise; ESTATE_THREADS=N (benchmarks, checks) caps it.
    int wanted =
        options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    if (const char* env = std::getenv("ESTATE_THREADS"); env && options.threads <= 0 && std::atoi(env) > 0)
        wanted = std::atoi(env);
    const int threads = std::max(1, std::min(runs, wanted));
    std::atomic<int> next{0}, done{0};
    auto work = [&](bool reports) {
        for (int run; (run = next.fetch_add(1)) < runs;) {
            detail::Stream draws(options.seed, static_cast<std::uint64_t>(run));
            const RunTotals t = model.run(draws, items, recorded, estimated, cost);
            const size_t r = static_cast<size_t>(run);
            net[r] = t.net;
            net_pv[r] = t.net_pv;
            for (size_t i = 0; i < t.net_by_year.size(); ++i) by_year[i][r] = t.net_by_year[i];
            const int finished = done.fetch_add(1) + 1;
            if (reports && options.progress && (finished % 20 == 0 || finished == runs))
                options.progress(finished, runs);
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(work, false);
    work(true);
    for (auto& t : pool) t.join();
    if (options.progress) options.progress(runs, runs);
    est.net = {percentile(net, 0.1), percentile(net, 0.5), percentile(net, 0.9)};
    est.net_pv = {percentile(net_pv, 0.1), percentile(net_pv, 0.5), percentile(net_pv, 0.9)};
    for (auto& v : by_year) est.net_by_year.push_back({percentile(v, 0.1), percentile(v, 0.5), percentile(v, 0.9)});
}

std::vector<Facts> facts_of_all(const Scenario& s, const std::vector<Raw>& raw, const Benchmarks& b) {
    std::vector<Facts> out;
    out.reserve(raw.size());
    for (const auto& r : raw) out.push_back(facts_of(s, r, b));
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
    std::vector<Raw> raw{std::move(r)};
    Facts f = facts_of(s, raw[0], b);
    if (p.running_cost.known()) f.running = p.running_cost; // as the caller assumed it
    const std::vector<Facts> facts{f};
    Assessment a = assess(s, raw[0], f, false);
    a.probability = 1;
    // The market's limit belongs to the programme, not to one release.
    Scenario unlimited = s;
    unlimited.market_max_value_per_year.reset();
    unlimited.market_max_sales_per_year.reset();
    Model m{unlimited, raw, facts, {a}, false};
    Release out;
    out.sellable = f.sellable;
    out.value = a.value;
    out.value_estimated = a.estimated;
    out.value_basis = value_basis(s, raw[0], f);
    out.moving_area = b.floor_area(p.use, p.gia_m2);
    if (f.kind != Kind::occupied_building) out.moving_area = Figure{};
    out.release_index = a.lead;
    out.moving_index = m.moving_index(out.release_index);
    std::vector<PropertyEstimate> one;
    const Totals t = sum(m.central(&one, nullptr));
    out.gross = t.gross;
    out.sales_costs = t.sales_costs;
    out.transitional_costs = t.transitional_costs;
    out.double_running = t.double_running;
    out.saving_per_year = one.empty() ? 0 : one.front().saving_per_year;
    out.receipt_pv = t.net_pv; // the years' net holds no savings
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
    Read read = read_properties(reg, s, options.hub_run);
    const Benchmarks benchmarks(s, std::move(read.areas_by_use));
    const std::vector<Facts> facts = facts_of_all(s, read.raw, benchmarks);
    Model model{s, read.raw, facts, assess_all(s, read.raw, facts, hub_mode)};
    if (hub_mode) {
        auto st = reg.connection().prepare("SELECT total(extension_cost), total(fit = 'unknown') FROM analysis_groups "
                                           "WHERE run_id = ? AND ifnull(proposed, 1) = 1");
        st.bind(1, *options.hub_run);
        if (st.step()) {
            model.extension_costs = est.extension_costs = st.real(0);
            est.extensions_unknown = static_cast<std::int64_t>(st.real(1));
        }
    }
    for (int i = 0; i < s.years; ++i) est.years.push_back(s.start_year + i);

    // The central case.
    est.by_year = model.central(&est.properties, &est.beyond_horizon);
    est.total = sum(est.by_year);
    for (const auto& p : est.properties)
        if (p.release_year < s.start_year + s.years) est.savings_per_year_at_end += p.saving_per_year;
    // What a property with no value might be worth, were it typical of its use.
    for (size_t k = 0, e = 0; k < read.raw.size(); ++k) {
        if (model.assessed[k].probability <= 0) continue;
        PropertyEstimate& p = est.properties[e++];
        if (!p.sellable || p.value) continue;
        const Raw& r = read.raw[k];
        if (facts[k].kind == Kind::land) continue; // no typical land area
        const Figure area = benchmarks.floor_area(r.use, std::nullopt, false);
        if (area.known()) p.value_gap = p.probability * area.value * rate_for(s.building_rate_per_m2, r.use);
    }
    std::stable_sort(est.properties.begin(), est.properties.end(),
                     [](const PropertyEstimate& a, const PropertyEstimate& b) { return a.net > b.net; });
    est.by_owner = group(est.properties, [](const PropertyEstimate& p) { return p.owner; });
    est.by_status = group(est.properties, [](const PropertyEstimate& p) { return p.status; });

    if (est.runs > 0) simulate(model, options, est);
    est.sensitivity = sensitivity(model, hub_mode);

    // Data quality, for the caveats.
    DataQuality& q = est.quality;
    q.implausible_ignored = read.implausible;
    for (const auto& p : est.properties) {
        ++q.counted;
        q.values_estimated += p.value_estimated ? 1 : 0;
        q.no_value_basis += p.sellable && !p.value ? 1 : 0;
        q.not_sellable += p.sellable ? 0 : 1;
        q.transitional_estimated += p.transitional_estimated ? 1 : 0;
    }
    for (size_t k = 0; k < read.raw.size(); ++k) {
        if (model.assessed[k].probability <= 0) continue;
        if (read.raw[k].tenure.empty()) ++q.tenure_unknown;
        if (read.raw[k].running_cost) ++q.running_costs_recorded;
        if (facts[k].kind == Kind::occupied_building && !facts[k].running.known()) ++q.double_running_unknown;
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
