#include "estate/receipts/receipts.hpp"
#include "estate/money/model.hpp"

#include "db/sqlite.hpp"
#include "estate/db/queries.hpp"
#include "estate/duplicates/duplicates.hpp"
#include "estate/error.hpp"
#include "estate/runs/runs.hpp"
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

using money::Scenario;
using money::Terms;

/// A building the estimate counts, as the one reading of facts gives it.
struct Raw {
    facts::Building b;
    std::string_view status; ///< its code
    bool hub_member = false; ///< one of its records is released by the hub run
};

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

/// The scenario's view of one property, before any money moves.
struct Assessment {
    double probability = 0;
    money::Valuation valuation;
};

Assessment assess(const Scenario& s, const Raw& r, const money::Terms& t, bool hub_mode) {
    return {probability_of(s, r, hub_mode), money::value_of(s, r.b, t.kind)};
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
    const std::vector<Terms>& terms;
    std::vector<Assessment> assessed;
    const std::unordered_map<std::int64_t, std::string>& owners;
    double extension_costs = 0; ///< the hub run's extensions, in the year services move

    int n() const { return s.years; }
    double discount(int i) const { return money::discount_factor(s, i); }
    /// What its release saves a year: its running cost, recorded or assumed (money::Terms).
    double saving(size_t k) const { return terms[k].running.known() ? terms[k].running.value : 0; }
    std::vector<double> growth_to(detail::Stream* draws) const {
        if (!draws) return money::mean_growth(s);
        std::vector<double> g(static_cast<size_t>(n()) + 2, 1.0);
        for (size_t i = 1; i < g.size(); ++i) g[i] = g[i - 1] * (1 + s.growth_mean + s.growth_sd * draws->normal());
        return g;
    }
    /// The year-level costs that belong to the programme, not to any property.
    void programme_costs(std::vector<Totals>& years, const std::vector<double>& disposals) const {
        years[0].programme_costs += s.programme_cost;
        for (int i = 0; i < n() && i < s.programme_years; ++i)
            years[static_cast<size_t>(i)].programme_costs += s.programme_cost_per_year;
        for (int i = 0; i < n(); ++i)
            years[static_cast<size_t>(i)].programme_costs +=
                disposals[static_cast<size_t>(i)] * s.programme_cost_per_disposal;
        const int when = money::moving_index(s, s.lead_occupied_building);
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
    /// held to what the market takes (money::central_flows). @p out, when given,
    /// receives each counted property's figures.
    std::vector<Totals> central(std::vector<PropertyEstimate>* out, double* beyond) const {
        const size_t N = static_cast<size_t>(n());
        std::vector<Totals> years(N);
        const auto growth = growth_to(nullptr);
        std::vector<double> disc(N + 1);
        for (size_t i = 0; i <= N; ++i) disc[i] = discount(static_cast<int>(i));
        // First what each year plans to sell, to know what the market takes.
        std::vector<double> planned(N, 0.0), count(N, 0.0), disposals(N, 0.0);
        double past_horizon = 0; // releases planned (or slipped) after the last year
        for (size_t k = 0; k < raw.size(); ++k) {
            const Assessment& a = assessed[k];
            if (a.probability <= 0) continue;
            for (auto [year, share] : money::release_parts(s, a.valuation.lead)) {
                if (share <= 0) continue;
                const double w = a.probability * share;
                const bool sells = terms[k].sellable && a.valuation.value;
                if (year >= n()) { // in the money of the year after the horizon, as the market's remainder
                    if (sells) past_horizon += w * *a.valuation.value * s.achieved_factor * growth[N];
                    continue;
                }
                disposals[static_cast<size_t>(year)] += w;
                if (!sells) continue;
                planned[static_cast<size_t>(year)] +=
                    w * *a.valuation.value * s.achieved_factor * growth[static_cast<size_t>(year)];
                count[static_cast<size_t>(year)] += w;
            }
        }
        const Absorption market(s, planned, count, growth);
        if (beyond) *beyond = market.beyond() + past_horizon;
        for (size_t j = 0; j < N; ++j) years[j].deferred = market.deferred(j);
        programme_costs(years, disposals);
        for (size_t k = 0; k < raw.size(); ++k) {
            const Raw& r = raw[k];
            const Terms& t = terms[k];
            const Assessment& a = assessed[k];
            if (a.probability <= 0) continue;
            PropertyEstimate e;
            e.probability = a.probability;
            e.release_year = s.start_year + a.valuation.lead;
            money::central_flows(s, t, a.valuation, a.probability, saving(k), growth, market,
                                 [&](money::Flow flow, size_t j, double amount) {
                                     Totals& y = years[j];
                                     switch (flow) {
                                     case money::Flow::gross:
                                         y.gross += amount;
                                         y.sales_costs += amount * s.sales_cost_rate;
                                         e.gross += amount;
                                         e.net_pv += amount * (1 - s.sales_cost_rate) * disc[j];
                                         break;
                                     case money::Flow::transitional:
                                         y.transitional_costs += amount;
                                         e.transitional_costs += amount;
                                         e.net_pv -= amount * disc[j];
                                         break;
                                     case money::Flow::double_running:
                                         y.double_running += amount;
                                         e.double_running += amount;
                                         e.net_pv -= amount * disc[j];
                                         break;
                                     case money::Flow::saving:
                                         y.savings += amount;
                                         e.savings += amount;
                                         e.savings_pv += amount * disc[j];
                                         break;
                                     }
                                 });
            e.sales_costs = e.gross * s.sales_cost_rate;
            e.net = e.gross - e.sales_costs - e.transitional_costs - e.double_running;
            e.saving_per_year = a.probability * saving(k);
            if (!out) continue;
            e.id = r.b.id;
            e.owner = owners.at(r.b.owner_id);
            e.ref = r.b.ref;
            e.name = r.b.name;
            e.status = r.status;
            e.status_by_officer = r.b.status_by_officer;
            e.kind = money::kind_words(t.kind);
            e.sellable = t.sellable;
            e.value_estimated = a.valuation.estimated;
            e.value = a.valuation.value;
            e.value_basis = money::value_basis(s, r.b, t.kind);
            e.transitional_estimated = t.moving.assumed();
            e.figures_set_aside = facts::set_aside_words(r.b, s.plausible);
            out->push_back(std::move(e));
        }
        // A property released over two years is counted in its planned year.
        for (size_t k = 0; k < raw.size(); ++k)
            if (assessed[k].probability > 0 && assessed[k].valuation.lead < n())
                ++years[static_cast<size_t>(assessed[k].valuation.lead)].properties;
        close(years);
        return years;
    }

    std::vector<Item> items() const {
        std::vector<Item> out;
        for (size_t k = 0; k < raw.size(); ++k) {
            const Assessment& a = assessed[k];
            if (a.probability <= 0) continue;
            const Terms& t = terms[k];
            const auto& v = a.valuation;
            const bool sells = t.sellable && v.value;
            out.push_back({a.probability, sells ? *v.value * s.achieved_factor : 0, money::moving_cost(s, t),
                           money::double_running(s, t), saving(k), v.lead, v.estimated, sells, true});
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
            // Services move before the sale: their costs fall within the horizon even
            // when the sale does not.
            const int when = money::moving_index(s, year);
            if (when < n()) {
                moving[static_cast<size_t>(when)] += it.moving * cost[bits >> 32];
                doubled[static_cast<size_t>(when)] += it.double_running;
            }
            if (year >= n()) continue;
            const size_t i = static_cast<size_t>(year);
            disposals[i] += 1;
            if (it.sells) {
                planned[i] += it.sale * (it.estimated ? estimated_price : recorded_price)[bits >> 16] * growth[i];
                count[i] += 1;
            }
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

/// The register as the estimate reads it: the buildings that count, in full.
struct Read {
    std::vector<Raw> raw;
    facts::Reading reading;
    std::unordered_map<std::int64_t, std::string> owners; ///< by id
};

Read read_properties(db::Register& reg, const Scenario& s, std::optional<std::int64_t> hub_run) {
    const std::set<std::int64_t> members = hub_run ? runs::proposed_members(reg, *hub_run) : std::set<std::int64_t>{};
    Read out;
    for (auto st = reg.connection().prepare("SELECT id, name FROM owners"); st.step();)
        out.owners[st.int64(0)] = st.text(1);
    auto member = [&members](const facts::Building& b) {
        if (members.count(b.id)) return true;
        return std::any_of(b.other_records.begin(), b.other_records.end(),
                           [&](std::int64_t id) { return members.count(id) > 0; });
    };
    facts::ReadOptions o;
    o.plausible = s.plausible;
    o.names = true;
    o.wanted = [&](const facts::Building& b) {
        return probability_of(s, model::code_of(b.status), hub_run.has_value(), member(b)) > 0;
    };
    out.reading = facts::read_buildings(reg, o, [&](facts::Building&& b) {
        Raw r;
        r.status = model::code_of(b.status);
        r.hub_member = member(b);
        r.b = std::move(b);
        out.raw.push_back(std::move(r));
    });
    return out;
}

/// Assessments under another scenario; the same ones when nothing they rest on moved.
std::vector<Assessment> assess_all(const Scenario& s, const std::vector<Raw>& raw, const std::vector<Terms>& terms,
                                   bool hub_mode) {
    std::vector<Assessment> out;
    out.reserve(raw.size());
    for (size_t k = 0; k < raw.size(); ++k) out.push_back(assess(s, raw[k], terms[k], hub_mode));
    return out;
}

bool same_assessments(const Scenario& a, const Scenario& b) {
    return a.probability == b.probability && a.unassessed_hub_member == b.unassessed_hub_member &&
           a.building_rate_per_m2 == b.building_rate_per_m2 && a.land_rate_per_ha == b.land_rate_per_ha &&
           a.lead_land == b.lead_land && a.lead_vacant_building == b.lead_vacant_building &&
           a.lead_occupied_building == b.lead_occupied_building;
}

double central_net_pv(const Scenario& s, const Model& base, bool hub_mode) {
    Model m{s,           base.raw,
            base.terms,  same_assessments(s, base.s) ? base.assessed : assess_all(s, base.raw, base.terms, hub_mode),
            base.owners, base.extension_costs};
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
        // Every programme cost: set-up, the team, and each disposal's surveys and title.
        {"Programme costs",
         [](Scenario& s) {
             s.programme_cost *= 2;
             s.programme_cost_per_year *= 2;
             s.programme_cost_per_disposal *= 2;
         },
         [](Scenario& s) {
             s.programme_cost *= 0.5;
             s.programme_cost_per_year *= 0.5;
             s.programme_cost_per_disposal *= 0.5;
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

std::vector<Terms> terms_of_all(const Scenario& s, const std::vector<Raw>& raw, const money::Benchmarks& b) {
    std::vector<Terms> out;
    out.reserve(raw.size());
    for (const auto& r : raw) out.push_back(money::terms_of(s, r.b, b));
    return out;
}

} // namespace

Estimate estimate(db::Register& reg, const Options& options) {
    Estimate est;
    est.scenario = options.scenario ? *options.scenario : money::default_scenario();
    est.hub_run = options.hub_run;
    est.runs = std::max(0, options.runs);
    est.seed = options.seed;
    const Scenario& s = est.scenario;
    const bool hub_mode = options.hub_run.has_value();
    Read read = read_properties(reg, s, options.hub_run);
    const money::Benchmarks benchmarks(s, read.reading.floor_areas_by_use);
    const std::vector<Terms> terms = terms_of_all(s, read.raw, benchmarks);
    Model model{s, read.raw, terms, assess_all(s, read.raw, terms, hub_mode), read.owners};
    if (hub_mode) {
        const auto extensions = runs::proposed_extensions(reg, *options.hub_run);
        model.extension_costs = est.extension_costs = extensions.cost;
        est.extensions_unknown = extensions.fit_unknown;
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
        const facts::Building& f = read.raw[k].b;
        if (terms[k].kind == money::Kind::land) continue; // no typical land area
        const money::Figure area = benchmarks.floor_area(f.use, std::nullopt, false);
        if (area.known()) p.value_gap = p.probability * area.value * money::rate_for(s.building_rate_per_m2, f.use);
    }
    std::stable_sort(est.properties.begin(), est.properties.end(),
                     [](const PropertyEstimate& a, const PropertyEstimate& b) { return a.net > b.net; });
    est.by_owner = group(est.properties, [](const PropertyEstimate& p) { return p.owner; });
    est.by_status = group(est.properties, [](const PropertyEstimate& p) { return p.status; });

    if (est.runs > 0) simulate(model, options, est);
    est.sensitivity = sensitivity(model, hub_mode);

    // Data quality, for the caveats.
    DataQuality& q = est.quality;
    auto count = [&read](facts::Source source) {
        auto it = read.reading.counts.find(source);
        return it == read.reading.counts.end() ? std::int64_t{0} : it->second;
    };
    q.implausible_ignored = count(facts::Source::not_a_figure);
    q.out_of_range = count(facts::Source::out_of_range);
    q.site_figures = count(facts::Source::site_elsewhere);
    q.confirmed = count(facts::Source::confirmed);
    for (const auto& p : est.properties) {
        ++q.counted;
        q.values_estimated += p.sellable && p.value_estimated ? 1 : 0;
        q.no_value_basis += p.sellable && !p.value ? 1 : 0;
        q.not_sellable += p.sellable ? 0 : 1;
        q.transitional_estimated += p.transitional_estimated ? 1 : 0;
    }
    for (size_t k = 0; k < read.raw.size(); ++k) {
        if (model.assessed[k].probability <= 0) continue;
        if (read.raw[k].b.tenure.empty()) ++q.tenure_unknown;
        if (read.raw[k].b.figure(facts::Field::running_cost))
            ++q.running_costs_recorded;
        else if (terms[k].running.known())
            ++q.running_costs_assumed;
        if (terms[k].kind == money::Kind::occupied_building && !terms[k].running.known()) ++q.double_running_unknown;
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
