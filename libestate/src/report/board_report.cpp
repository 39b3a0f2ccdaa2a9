#include "estate/report/board_report.hpp"

#include "db/sqlite.hpp"
#include "estate/db/queries.hpp"
#include "estate/hubs/hubs.hpp"
#include "estate/io/source.hpp"
#include "estate/model/property.hpp"
#include "estate/report/history.hpp"
#include "estate/runs/runs.hpp"
#include "estate/util/format.hpp"
#include "estate/util/paths.hpp"
#include "estate/util/time.hpp"
#include "estate/version.hpp"
#include "report/charts.hpp"
#include "report/html.hpp"
#include "report/map.hpp"
#include "util/staging.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

namespace estate::report {
namespace {

using html::esc;
using html::short_money;
using util::percent;

const char* css = R"css(
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #222; max-width: 760px; margin: 24px auto; padding: 0 16px; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0; } h2 { font-size: 1.2em; border-bottom: 2px solid #4575b4; padding-bottom: 2px; margin-top: 1.6em; }
.subtitle { color: #555; margin-top: 4px; }
.headline { background: #eef3fa; border-left: 6px solid #4575b4; padding: 12px 16px; margin: 16px 0; }
.headline .big { font-size: 1.5em; font-weight: bold; }
.headline p { margin: 4px 0; }
svg { width: 100%; height: auto; display: block; }
.axis { font-size: 11px; fill: #333; } .hub-label { font-size: 11px; font-weight: bold; fill: #000; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.scale text { font-size: 10px; } .town { font-size: 11px; font-style: italic; fill: #333; paint-order: stroke; stroke: #fff; stroke-width: 3px; } .note { color: #555; font-size: 0.85em; }
.legend span { display: inline-block; margin-right: 12px; font-size: 0.85em; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 5px; margin-right: 4px; border: 1px solid #333; }
table { border-collapse: collapse; width: 100%; font-size: 0.85em; } td, th { border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }
td.n { text-align: right; white-space: nowrap; }
ol li { margin-bottom: 6px; } code { font-size: 0.9em; }
section { break-inside: avoid; } section.long { break-inside: auto; }
.legend b { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
@page { size: A4; margin: 15mm; }
@media print { body { margin: 0; max-width: none; font-size: 10pt; } h2 { break-after: avoid; } tr { break-inside: avoid; }
  svg.map { max-height: 118mm; width: auto; margin: 0 auto; } svg.chart { max-height: 80mm; width: auto; margin: 0 auto; } }
)css";

/// Everything the sections of one paper share.
struct Paper {
    db::Register& reg;
    const Options& options;
    receipts::Estimate& e;
    std::optional<std::int64_t> hub_run;
    std::vector<runs::StoredHub> hubs;
    Headline now;
    std::optional<Change> change;
    std::string area;
    std::ostringstream h;

    const money::Scenario& s() const { return e.scenario; }
    std::string last_year() const { return std::to_string(s().start_year + s().years - 1); }
    std::string years_words() const { return std::to_string(s().start_year) + "&ndash;" + last_year(); }
    void row(const std::string& k, const std::string& v) {
        h << "<tr><td>" << esc(k) << "</td><td>" << esc(v) << "</td></tr>";
    }
};

void title(Paper& p, const std::string& text) {
    const auto partnership = p.reg.description("partnership");
    const bool named = p.reg.description("area").has_value();
    p.h << "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>" << esc(text)
        << "</title><style>" << css << "</style></head><body>\n";
    p.h << "<h1>" << esc(text) << "</h1><p class=\"subtitle\">"
        << esc(partnership ? *partnership
               : named     ? ""
                           : "Area not named (estate init --area NAME)")
        << (partnership || !named ? " &middot; " : "") << p.years_words() << " &middot; " << esc(p.s().citation())
        << " &middot; " << esc(p.now.made_at.substr(0, 10)) << "</p>\n";
}

/// What the central case rests on most: its largest single contributions, said plainly
/// when one estimated figure carries more than a quarter of it; and when the money arrives.
void rests_most_on(Paper& p) {
    const auto& e = p.e;
    auto& h = p.h;
    std::vector<const receipts::PropertyEstimate*> largest;
    for (const auto& q : e.properties)
        if (q.net_pv > 0) largest.push_back(&q);
    std::sort(largest.begin(), largest.end(), [](const auto* a, const auto* b) { return a->net_pv > b->net_pv; });
    if (largest.size() > 3) largest.resize(3);
    if (!largest.empty() && e.total.net_pv > 0) {
        std::vector<std::int64_t> ids;
        for (const auto* q : largest) ids.push_back(q->id);
        const auto labels = db::labels_for_list(p.reg, ids);
        h << "<p>Its largest single contributions (present value, share of the central case): ";
        for (size_t i = 0; i < largest.size(); ++i)
            h << (i ? "; " : "") << esc(labels[i]) << " " << esc(short_money(largest[i]->net_pv)) << ", "
              << percent(largest[i]->net_pv / e.total.net_pv)
              << (largest[i]->value_estimated ? ", value estimated" : ", value recorded");
        h << ".</p>";
        const auto* top = largest.front();
        const std::string& basis = top->value_basis; // "estimated: 1,299 m2 x £1,000 per m2"
        const auto colon = basis.find(": ");
        if (top->value_estimated && top->net_pv > 0.25 * e.total.net_pv)
            h << "<p><b>One estimated figure carries " << percent(top->net_pv / e.total.net_pv)
              << " of the central case</b>: the value of " << esc(labels[0]) << " is estimated ("
              << esc(colon == std::string::npos ? basis : basis.substr(colon + 2))
              << "), not a valuer's. Commission its valuation before relying on the total.</p>";
    }
    // When the money arrives: the years that receive most of the sales (cash).
    std::vector<size_t> years(e.by_year.size());
    std::iota(years.begin(), years.end(), 0);
    std::stable_sort(years.begin(), years.end(),
                     [&](size_t a, size_t b) { return e.by_year[a].gross > e.by_year[b].gross; });
    if (!years.empty() && e.total.gross > 0) {
        h << "<p>The sales arrive above all in ";
        for (size_t i = 0; i < years.size() && i < 2 && e.by_year[years[i]].gross > 0; ++i)
            h << (i ? " and " : "") << e.years[years[i]] << " (" << esc(short_money(e.by_year[years[i]].gross))
              << " cash)";
        h << " of " << esc(short_money(e.total.gross)) << " in all over " << p.years_words() << ".</p>";
    }
}

/// The headline: a range a lay reader reads right, with what it rests on beside it.
void headline(Paper& p) {
    const auto& e = p.e;
    const auto& q = e.quality;
    const auto& n = p.now;
    auto& h = p.h;
    h << "<section class=\"headline\" id=\"headline\">";
    if (q.counted == 0) {
        h << "<p class=\"big\">Nothing assessed yet</p><p>No property is tagged green or amber"
          << (e.hub_run ? " or released by hub run " + std::to_string(*e.hub_run) : std::string())
          << ", so there is nothing to estimate: the figures below are the programme's costs alone. Officers tag "
             "properties (<code>estate rag set</code>, or in QGIS), or apply the default rules for a first picture "
             "(<code>estate rag apply-rules --by NAME</code>); then make this paper again.</p>";
    } else {
        // Counted at nothing: a sellable property with no value and no area. Then the
        // range is a floor, and the headline says so.
        const std::string at_least = n.values_none > 0 ? ", or more" : "";
        const std::string why_more = n.values_none > 0 ? "<p><b>Or more: " + std::to_string(n.values_none) +
                                                             " of the properties counted have no value and no area, "
                                                             "and count at nothing.</b></p>"
                                                       : "";
        if (e.runs > 0)
            h << "<p class=\"big\">Net capital receipts: <span class=\"figure\">" << esc(short_money(e.net_pv.p10))
              << "</span> to <span class=\"figure\">" << esc(short_money(e.net_pv.p90)) << "</span>" << esc(at_least)
              << "</p>" << why_more << "<p>In nine futures out of ten, at least <span class=\"figure\">"
              << esc(short_money(e.net_pv.p10)) << "</span>; in one out of ten, more than <span class=\"figure\">"
              << esc(short_money(e.net_pv.p90)) << "</span> (present value; between the P10 and P90 of " << e.runs
              << " simulated futures). Central case <b class=\"figure\">" << esc(short_money(e.total.net_pv))
              << "</b> (<span class=\"figure\">" << esc(short_money(e.total.net)) << "</span> in cash terms).</p>";
        else
            h << "<p class=\"big\">Net capital receipts: <span class=\"figure\">" << esc(short_money(e.total.net_pv))
              << "</span>" << esc(at_least) << "</p>" << why_more
              << "<p>central case at present value (<span class=\"figure\">" << esc(short_money(e.total.net))
              << "</span> in cash terms); no simulation was run, so no range.</p>";
        const auto sellable = n.values_recorded + n.values_estimated + n.values_none;
        h << "<p><b>What it rests on.</b> " << q.counted << " properties counted (green, and amber at "
          << percent(p.s().probability.count("amber") ? p.s().probability.at("amber") : 0) << " likelihood"
          << (e.hub_run ? ", released by hub run " + std::to_string(*e.hub_run) : std::string()) << "); of the "
          << sellable << " that can be sold, " << n.values_recorded << " have a recorded value, " << n.values_estimated
          << " an estimated one (from floor or land area), and " << n.values_none << " none: "
          << (n.values_none ? "they count at nothing, so the true figure is higher than shown; valuations would close "
                              "the gap."
                            : "every one is counted.")
          << " Statuses: " << n.by_officer << " set by an officer, " << n.by_rules
          << " suggested by the rules and not yet confirmed"
          << (n.by_officer == 0 ? " (no officer has confirmed any yet)" : "") << ".</p>";
    }
    rests_most_on(p);
    // Savings, by one rule everywhere (a running cost recorded, else assumed from the
    // building's floor area); unknown is not zero.
    const std::int64_t known = q.running_costs_recorded + q.running_costs_assumed;
    if (q.counted > 0 && known == 0)
        h << "<p>Running costs saved: <b>not known</b>: no counted property records its running cost or a floor "
             "area to assume one from.</p>";
    else
        h << "<p>Running costs saved: <b>" << (known < q.counted ? "at least " : "about ") << "<span class=\"figure\">"
          << esc(short_money(e.savings_per_year_at_end)) << "</span> a year</b> once every "
          << "release has been made; <span class=\"figure\">" << esc(short_money(e.total.savings))
          << "</span> cash over the " << p.s().years << " years " << p.years_words() << " (running costs recorded for "
          << q.running_costs_recorded << " of the " << q.counted << " counted properties"
          << (q.running_costs_assumed ? ", assumed from typical costs per m² for " +
                                            std::to_string(q.running_costs_assumed) + " (" + p.s().citation() + ")"
                                      : std::string())
          << (known < q.counted ? ", not known for " + std::to_string(q.counted - known) : std::string()) << ").</p>";
    if (p.change)
        h << "<p>Since the last estimate (" << esc(p.change->previous.made_at.substr(0, 10)) << "): the central case "
          << (p.change->net_pv >= 0 ? "rose" : "fell") << " by <span class=\"figure\">"
          << esc(short_money(std::abs(p.change->net_pv))) << "</span>"
          << (p.change->causes.empty() ? std::string(".")
                                       : ", above all from " + esc(p.change->causes.front().what) + " (see below).")
          << "</p>";
    h << "</section>\n";
}

/// What the board is asked to decide, from the data.
void decisions(Paper& p) {
    std::int64_t confirmed = 0, suggested = 0, no_value = 0;
    double confirmed_net = 0;
    for (const auto& q : p.e.properties) {
        if (q.status == "green") ++(q.status_by_officer ? confirmed : suggested);
        if (q.status == "green" && q.status_by_officer) confirmed_net += q.net;
        no_value += q.sellable && !q.value ? 1 : 0;
    }
    std::int64_t ready = 0, to_survey = 0;
    for (const auto& hub : p.hubs) {
        if (!hub.proposed) continue;
        ready += hub.fit == "fits" ? 1 : 0;
        to_survey += hub.fit == "unknown" ? 1 : 0;
    }
    auto& h = p.h;
    h << "<section id=\"decisions\"><h2>The board is asked to</h2><ol>";
    if (confirmed)
        h << "<li>approve the disposal of the " << confirmed << " green properties an officer has confirmed, "
          << "worth about " << esc(short_money(confirmed_net)) << " net (central case);</li>";
    if (suggested)
        h << "<li>note that " << suggested << " green properties are suggested by the rules only: an officer "
          << "reviews each (<code>estate rag set</code>) before any disposal is approved;</li>";
    if (no_value)
        h << "<li>commission valuations for the " << no_value << " properties counted with no value and no area, "
          << "the largest gaps first (listed below): until then they count at nothing;</li>";
    if (ready)
        h << "<li>note the " << ready
          << " proposed hubs whose host can house everyone, ready for a business case;</li>";
    if (to_survey)
        h << "<li>commission surveys of the hosts of " << to_survey << " proposed hubs whose floor area is not "
          << "recorded;</li>";
    h << "<li>agree the scenario's assumptions (" << esc(p.s().citation()) << ") or ask for local figures.</li>"
      << "</ol></section>\n";
}

void map_section(Paper& p) {
    const Map m = estate_map(p.reg, p.hubs);
    p.h << "<section id=\"map\"><h2>The estate by status, with the hubs</h2>" << m.svg << "<p class=\"legend\">";
    for (const char* st : {"green", "amber", "red", "unassessed"})
        p.h << "<span><i style=\"background:" << html::status_colour().at(st) << "\"></i>" << st << "</span>";
    // What the map cannot show: the properties with no location, and how many of them
    // the estimate counts (said in the map's own note: page 1 has no room for more).
    std::set<std::int64_t> unlocated;
    for (auto st = p.reg.connection().prepare("SELECT id FROM properties WHERE geom IS NULL AND retired_at IS NULL");
         st.step();)
        unlocated.insert(st.int64(0));
    std::int64_t counted = 0;
    for (const auto& q : p.e.properties) counted += unlocated.count(q.id);
    p.h << "</p><p class=\"note\">" << esc(m.note);
    if (!unlocated.empty())
        p.h << " Not on the map: " << unlocated.size() << " with no location, " << counted
            << " of them counted in the estimate.";
    p.h << "</p>";
    p.h << "</section>\n";
}

void by_year(Paper& p) {
    const auto& e = p.e;
    std::vector<int> outside;
    const std::string chart = years_svg(e, outside);
    auto& h = p.h;
    h << "<section id=\"by-year\"><h2>Net receipts by year</h2>" << chart
      << "<p class=\"note\">Blue bars: the central case, net of sales, moving, fit-out, double-running, extension and "
         "programme costs (cash terms): every property weighted by its likelihood, with the slippage the simulation "
         "expects. Orange bands: P10 to P90 of the simulated futures of each year.";
    if (!outside.empty()) {
        h << " <b>Footnote:</b> in ";
        for (size_t i = 0; i < outside.size(); ++i) h << (i ? ", " : "") << outside[i];
        h << " the bar lies outside its band: a few large disposals dominate that year, and most futures either "
             "sell them or do not, so the average of the futures lies where few futures fall.";
    }
    h << "</p>";
    // The headline's figures, to the pound: every one printed rounded above is here.
    h << "<table class=\"exact\"><tr><th>the headline, to the pound</th><th>present value</th><th>cash terms</th></tr>";
    auto line = [&](const std::string& what, double pv, std::optional<double> cash) {
        h << "<tr><td>" << esc(what) << "</td><td class=\"n\">" << esc(util::pounds(pv)) << "</td><td class=\"n\">"
          << (cash ? esc(util::pounds(*cash)) : "") << "</td></tr>";
    };
    if (e.runs > 0) {
        line("P10 (nine futures in ten at least this)", e.net_pv.p10, e.net.p10);
        line("P50", e.net_pv.p50, e.net.p50);
        line("P90 (one future in ten more than this)", e.net_pv.p90, e.net.p90);
    }
    line("Central case", e.total.net_pv, e.total.net);
    line("Running costs saved over the years", e.total.savings_pv, e.total.savings);
    line("Running costs saved a year, once every release is made", e.savings_per_year_at_end, std::nullopt);
    if (p.change) line("Change since the last estimate", p.change->net_pv, std::nullopt);
    h << "</table></section>\n";
}

void cash_flow(Paper& p) {
    const auto& e = p.e;
    const auto& s = p.s();
    auto& h = p.h;
    h << "<section id=\"cash-flow\" class=\"long\"><h2>Cash flow: costs come before receipts</h2>" << cash_flow_svg(e)
      << "<p class=\"legend\"><span><b style=\"background:#4575b4\"></b>receipts, net of sales costs</span><span><b "
         "style=\"background:#d73027\"></b>costs</span><span>- - cumulative net position</span></p>"
      << "<table><tr><th>year</th><th>receipts net of sales costs</th><th>moving and fit-out</th><th>double "
         "running</th><th>extensions</th><th>programme</th><th>net</th><th>cumulative</th></tr>";
    double cumulative = 0, lowest = 0;
    int lowest_year = s.start_year;
    for (size_t i = 0; i < e.years.size(); ++i) {
        const auto& y = e.by_year[i];
        cumulative += y.net;
        if (cumulative < lowest) lowest = cumulative, lowest_year = e.years[i];
        h << "<tr><td>" << e.years[i] << "</td>";
        for (double v : {y.gross - y.sales_costs, y.transitional_costs, y.double_running, y.extension_costs,
                         y.programme_costs, y.net, cumulative})
            h << "<td class=\"n\">" << esc(util::pounds(v)) << "</td>";
        h << "</tr>";
    }
    h << "</table><p class=\"note\">";
    if (lowest < 0)
        h << "The programme is furthest in deficit in " << lowest_year << " (" << esc(util::pounds(lowest))
          << " cumulative): the partners fund that before the receipts arrive. ";
    h << "Double running: " << util::thousands(s.double_running_months)
      << " months of each vacated building's running cost while its services move"
      << (e.quality.double_running_unknown
              ? " (not known for " + std::to_string(e.quality.double_running_unknown) + " buildings, not counted)"
              : std::string())
      << ". Programme: " << esc(util::pounds(s.programme_cost)) << " to set up, "
      << esc(util::pounds(s.programme_cost_per_year)) << " a year for " << s.programme_years << " years, "
      << esc(util::pounds(s.programme_cost_per_disposal)) << " for each disposal.";
    if (e.hub_run)
        h << " Extensions: the hosts too small in hub run " << *e.hub_run
          << (e.extensions_unknown ? " (" + std::to_string(e.extensions_unknown) +
                                         " hosts' floor area not recorded: their extensions are not known and not "
                                         "counted)"
                                   : std::string())
          << ".";
    else
        h << " Extensions are counted only when the receipts follow a hub run (<code>--receipts-hub-run</code>).";
    h << "</p>";
    // The market's limit: what slips, and where to.
    if (e.total.deferred > 0) {
        h << "<p><b>What the market takes.</b> The scenario assumes " << esc(p.area.empty() ? "the area" : p.area)
          << "'s market takes at most "
          << (s.market_max_value_per_year ? esc(short_money(*s.market_max_value_per_year)) : std::string("any value"))
          << (s.market_max_sales_per_year ? " and " + util::thousands(*s.market_max_sales_per_year) + " sales"
                                          : std::string())
          << " a year. Sales planned beyond that slip to the next year: ";
        bool first = true;
        for (size_t i = 0; i < e.years.size(); ++i) {
            if (e.by_year[i].deferred <= 0.5) continue;
            h << (first ? "" : "; ") << esc(short_money(e.by_year[i].deferred)) << " waiting at the end of "
              << e.years[i];
            first = false;
        }
        h << ".";
        if (e.beyond_horizon > 0.5)
            h << " " << esc(short_money(e.beyond_horizon)) << " is not sold by " << p.last_year()
              << " and is not counted.";
        h << "</p>";
    }
    h << "</section>\n";
}

/// Who receives each receipt and whose consent a disposal needs, by owner sector.
void sectors(Paper& p) {
    static const std::map<std::string, std::pair<std::string, std::string>> rules = {
        {"local_government",
         {"the council", "the council's own decision (cabinet or the delegated officer), at best "
                         "consideration (Local Government Act 1972, s.123)"}},
        {"health",
         {"the NHS trust or NHS Property Services", "NHS England and DHSC rules on surplus land: declared "
                                                    "surplus, offered to the wider public sector first"}},
        {"education",
         {"the academy trust (or the council for a maintained school)",
          "Department for Education consent (and for playing fields, the Secretary of State)"}},
        {"police", {"the police and crime commissioner", "the police and crime commissioner's decision"}},
        {"fire_and_rescue", {"the fire and rescue authority", "the fire and rescue authority's decision"}},
        {"central_government",
         {"the department", "the department's own surplus process (Government Property Agency "
                            "and the Cabinet Office's rules)"}},
        {"other", {"the owner", "the owner's own governance"}},
    };
    std::map<std::string, std::string> sector_of;
    for (auto st = p.reg.connection().prepare("SELECT name, sector FROM owners"); st.step();)
        sector_of[st.text(0)] = st.text(1);
    struct Sum {
        std::int64_t properties = 0;
        std::set<std::string> owners;
        double gross = 0, net = 0;
    };
    std::map<std::string, Sum> by;
    for (const auto& q : p.e.properties) {
        auto& s = by[sector_of.count(q.owner) ? sector_of[q.owner] : "other"];
        ++s.properties;
        s.owners.insert(q.owner);
        s.gross += q.gross;
        s.net += q.net;
    }
    auto& h = p.h;
    h << "<section id=\"sectors\"><h2>Who receives what, and whose consent it needs</h2>";
    if (by.empty()) {
        h << "<p>Nothing counted yet.</p></section>\n";
        return;
    }
    h << "<table><tr><th>sector</th><th>properties (owners)</th><th>gross</th><th>net</th><th>receives "
         "it</th><th>consent "
         "to dispose</th></tr>";
    std::vector<std::pair<std::string, Sum>> rows(by.begin(), by.end());
    std::stable_sort(rows.begin(), rows.end(),
                     [](const auto& a, const auto& b) { return a.second.net > b.second.net; });
    double gross = 0, net = 0;
    for (const auto& [sector, sum] : rows) {
        const auto& rule = rules.count(sector) ? rules.at(sector) : rules.at("other");
        h << "<tr><td>" << esc(std::string(model::sectors().label(sector))) << "</td><td class=\"n\">" << sum.properties
          << " (" << sum.owners.size() << ")</td><td class=\"n\">" << esc(util::pounds(sum.gross))
          << "</td><td class=\"n\">" << esc(util::pounds(sum.net)) << "</td><td>" << esc(rule.first) << "</td><td>"
          << esc(rule.second) << "</td></tr>";
        gross += sum.gross;
        net += sum.net;
    }
    h << "<tr><td><b>all</b></td><td></td><td class=\"n\"><b>" << esc(util::pounds(gross))
      << "</b></td><td class=\"n\"><b>" << esc(util::pounds(net))
      << "</b></td><td colspan=\"2\">Central case, cash terms, before the programme's own "
         "costs (which the partners share).</td></tr></table></section>\n";
}

void owners_and_statuses(Paper& p) {
    p.h << "<section id=\"by-owner\"><h2>By owner</h2>" << bars_svg(p.e.by_owner, "Net receipts by owner", false)
        << "</section>\n";
    p.h << "<section id=\"by-status\"><h2>By status</h2>" << bars_svg(p.e.by_status, "Net receipts by status", true);
    // A status below nothing needs a word why, or a board reads it as a loss.
    for (const auto& [status, totals] : p.e.by_status) {
        if (totals.net >= 0) continue;
        std::int64_t no_value = 0;
        for (const auto& q : p.e.properties) no_value += q.status == status && !(q.sellable && q.value) ? 1 : 0;
        p.h << "<p class=\"note\">" << esc(status) << " is below nothing (" << esc(short_money(totals.net))
            << " cash): its " << totals.properties << " properties' moving, fit-out and double-running costs ("
            << esc(short_money(totals.transitional_costs + totals.double_running)) << ") are counted, but " << no_value
            << " of them bring no sale: leased in, or with no value and no area "
            << "recorded. Their running costs saved (" << esc(short_money(totals.savings))
            << " over the years) are counted apart, not in this figure.</p>";
    }
    p.h << "</section>\n";
}

void top_hubs(Paper& p) {
    auto& h = p.h;
    h << "<section id=\"hubs\"><h2>Top hubs</h2>";
    if (!p.hub_run) {
        h << "<p>No hubs run in this register yet: <code>estate hubs REGISTER --radius 500</code> proposes them.</p>";
    } else if (p.hubs.empty()) {
        h << "<p>Hub run " << *p.hub_run << " found no hub.</p>";
    } else {
        h << "<ol>";
        size_t shown = 0, proposed = 0;
        auto money = [](const std::optional<double>& v) { return v ? util::pounds(*v) : std::string("not recorded"); };
        for (const auto& hub : p.hubs) {
            if (!hub.proposed) continue;
            ++proposed;
            if (shown == listed_hubs) continue;
            ++shown;
            const auto& host = hub.members.front();
            h << "<li><b>" << esc(host.name) << "</b> (" << esc(host.owner) << ") could bring " << hub.agencies
              << " agencies together from " << hub.member_count << " buildings; " << esc(hub.verdict)
              << "; net benefit " << esc(money(hub.net_benefit)) << "; running costs saved "
              << esc(money(hub.running_cost_saved)) << " a year";
            if (hub.running_costs_recorded && *hub.running_costs_recorded < hub.member_count - 1)
                h << " (recorded for " << *hub.running_costs_recorded << " of " << hub.member_count - 1
                  << " members, the rest assumed)";
            h << "; sales could raise " << esc(money(hub.value_released)) << ".</li>";
        }
        const auto run = runs::find_run(p.reg, *p.hub_run);
        const auto rank = hubs::parse_rank(run ? run->rank : "net");
        h << "</ol><p class=\"note\">From hub run " << *p.hub_run << ", " << hubs::rank_words(rank) << " (" << proposed
          << " hubs proposed, " << p.hubs.size() - proposed
          << " not worth it on these figures). Each hub's full explanation, every assumed figure named, is in "
             "<code>estate hubs</code> and the QGIS exports.</p>";
    }
    h << "</section>\n";
}

/// A list of properties as a person reads it: each named with its place.
template <class Pick>
std::vector<const receipts::PropertyEstimate*> first_ten(const std::vector<receipts::PropertyEstimate>& all,
                                                         Pick pick) {
    std::vector<const receipts::PropertyEstimate*> out;
    for (const auto& q : all)
        if (pick(q)) out.push_back(&q);
    return out;
}

void top_disposals(Paper& p) {
    auto top = first_ten(p.e.properties, [](const auto& q) { return q.net > 0; });
    if (top.size() > 10) top.resize(10);
    std::vector<std::int64_t> ids;
    for (const auto* q : top) ids.push_back(q->id);
    const auto labels = db::labels_for_list(p.reg, ids);
    auto& h = p.h;
    h << "<section id=\"disposals\"><h2>Top disposal opportunities</h2><ol>";
    for (size_t i = 0; i < top.size(); ++i) {
        const auto& q = *top[i];
        h << "<li><b>" << esc(labels[i]) << "</b> (" << esc(q.owner) << "): " << esc(q.status) << ", " << esc(q.kind)
          << ", released " << q.release_year << "; about " << esc(util::pounds(q.net)) << " net"
          << (q.probability < 1 ? " (counted at " + percent(q.probability) + ")" : "")
          << (q.value_estimated ? "; value <i>estimated</i>" : "; value recorded") << ".</li>";
    }
    if (top.empty()) h << "<li>None yet: no green or amber property with a saleable value.</li>";
    h << "</ol></section>\n";
}

/// The counted properties with no value, largest gap first: what a valuation could add.
void valuations(Paper& p) {
    auto gaps = first_ten(p.e.properties,
                          [](const auto& q) { return q.sellable && (!q.value || !q.figures_set_aside.empty()); });
    if (gaps.empty()) return;
    std::stable_sort(gaps.begin(), gaps.end(), [](const auto* a, const auto* b) {
        return a->value_gap.value_or(-1) > b->value_gap.value_or(-1);
    });
    const size_t all = gaps.size();
    if (gaps.size() > 10) gaps.resize(10);
    std::vector<std::int64_t> ids;
    for (const auto* q : gaps) ids.push_back(q->id);
    const auto labels = db::labels_for_list(p.reg, ids);
    auto& h = p.h;
    h << "<section id=\"valuations\"><h2>Valuations to commission, largest gaps first</h2><table><tr><th>property</th>"
         "<th>owner</th><th>status</th><th>why</th><th>if typical of its use</th></tr>";
    for (size_t i = 0; i < gaps.size(); ++i) {
        const auto& q = *gaps[i];
        h << "<tr><td>" << esc(labels[i]) << "</td><td>" << esc(q.owner) << "</td><td>" << esc(q.status) << "</td><td>"
          << esc(q.figures_set_aside.empty() ? std::string("no value and no area recorded")
                                             : q.figures_set_aside + (q.value ? "; valued on what remains" : ""))
          << "</td><td class=\"n\">"
          << (q.value       ? "valued at " + esc(util::pounds(*q.value))
              : q.value_gap ? "about " + esc(util::pounds(*q.value_gap))
                            : std::string("not known (land, no area)"))
          << "</td></tr>";
    }
    h << "</table><p class=\"note\">" << all
      << " counted properties can be sold but have no value and no area, so they count at nothing, or have a "
         "figure no analysis uses until an officer confirms or corrects it. The last column is a guess to order the "
         "work by, never counted: the typical floor "
         "area of the use (the register's median, else the scenario's) at the use's indicative rate, weighted by the "
         "likelihood of disposal.</p></section>\n";
}

void since_last(Paper& p) {
    auto& h = p.h;
    h << "<section id=\"since\"><h2>Since the last estimate</h2>";
    if (!p.change) {
        h << "<p>This is the first estimate this register keeps"
          << (p.options.record ? "; the next paper will say what changed and why."
                               : " (and this one is not kept: --no-record).")
          << "</p></section>\n";
        return;
    }
    const auto& c = *p.change;
    h << "<p>Last estimate: " << esc(c.previous.made_at.substr(0, 10)) << ", " << esc(c.previous.scenario)
      << ", central case " << esc(short_money(c.previous.net_pv)) << " at present value, " << c.previous.counted
      << " properties counted, " << c.previous.by_officer
      << " statuses set by an officer. Now: " << esc(short_money(p.now.net_pv)) << ", " << p.now.counted << " counted, "
      << p.now.by_officer << " set by an officer. Change: " << esc(util::pounds(c.net_pv)) << ".</p>";
    if (!c.causes.empty()) {
        h << "<table><tr><th>cause</th><th>properties</th><th>change, present value</th></tr>";
        for (const auto& cause : c.causes)
            h << "<tr><td>" << esc(cause.what) << "</td><td class=\"n\">"
              << (cause.properties ? std::to_string(cause.properties) : "") << "</td><td class=\"n\">"
              << esc(util::pounds(cause.net_pv)) << "</td></tr>";
        h << "</table>";
    }
    h << "</section>\n";
}

void assumptions(Paper& p) {
    const auto& s = p.s();
    auto& h = p.h;
    h << "<section id=\"assumptions\"><h2>Assumptions</h2><table>";
    std::ostringstream probs;
    for (const auto& [st, v] : s.probability) probs << st << " " << percent(v) << "  ";
    p.row("Likelihood of disposal by status", probs.str());
    std::ostringstream sellable;
    for (const auto& t : s.sellable_tenures) sellable << t << " ";
    p.row("Tenures that can be sold (others save running costs only)", sellable.str());
    p.row("Sales costs", percent(s.sales_cost_rate) + " of the receipt");
    p.row("Moving services out / fitting out the host",
          util::pounds(s.moving_cost_per_m2) + " per m² / " + util::pounds(s.fit_out_cost_per_m2) + " per m² needed (" +
              percent(s.space_factor) + " of the floor area); " + util::thousands(s.double_running_months) +
              " months of running both buildings");
    p.row("Programme costs", util::pounds(s.programme_cost) + " once, " + util::pounds(s.programme_cost_per_year) +
                                 " a year for " + std::to_string(s.programme_years) + " years, " +
                                 util::pounds(s.programme_cost_per_disposal) + " a disposal");
    p.row("Lead times (years from " + std::to_string(s.start_year) + ")",
          "land " + std::to_string(s.lead_land) + ", vacant building " + std::to_string(s.lead_vacant_building) +
              ", occupied building " + std::to_string(s.lead_occupied_building) + " (services move " +
              std::to_string(s.moving_before_sale) + " year(s) before)");
    p.row("Market value change a year",
          percent(s.growth_mean) + " on average, standard deviation " + percent(s.growth_sd));
    p.row("What the market takes a year",
          (s.market_max_value_per_year ? util::pounds(*s.market_max_value_per_year) : std::string("no limit")) +
              (s.market_max_sales_per_year ? ", " + util::thousands(*s.market_max_sales_per_year) + " sales"
                                           : std::string()));
    p.row("Discount rate (HM Treasury Green Book)", percent(s.discount_rate));
    p.row("Uncertainty of prices achieved",
          percent(s.price_sd) + " (recorded values), " + percent(s.estimated_price_sd) +
              " (estimated values); a disposal slips a year with probability " + percent(s.slip_probability));
    h << "</table><h3>Which assumptions matter "
         "most</h3><table><tr><th>assumption</th><th>low</th><th>high</th><th>swing</th></tr>";
    for (const auto& r : p.e.sensitivity)
        h << "<tr><td>" << esc(r.assumption) << "</td><td class=\"n\">" << esc(r.low_setting) << ": "
          << esc(short_money(r.net_pv_low)) << "</td><td class=\"n\">" << esc(r.high_setting) << ": "
          << esc(short_money(r.net_pv_high)) << "</td><td class=\"n\">" << esc(short_money(r.swing())) << "</td></tr>";
    h << "</table></section>\n";
}

void caveats(Paper& p) {
    p.h << "<section id=\"caveats\"><h2>Caveats</h2><ul>"
           "<li>Market volatility: prices may fall as well as rise; the range above, not the central case, is the "
           "honest answer.</li>"
           "<li>Transitional costs: moving services, fitting out hosts and running two buildings at once cost money "
           "before any receipt arrives; the estimate counts them, but at indicative rates.</li>"
           "<li>Long lead times: occupied buildings are released only after their services have moved; slippage of "
           "a year is simulated and expected in the central case.</li>"
           "<li>Estimated values come from indicative rates per m² or hectare, not valuations; get a valuer's figure "
           "before any decision on a property.</li>"
           "<li>Leased-in property raises no receipt; its release saves rent, counted with the running costs.</li>"
           "</ul></section>\n";
}

void data_quality(Paper& p) {
    const auto& q = p.e.quality;
    auto& h = p.h;
    h << "<section id=\"data-quality\"><h2>Data quality</h2><table>";
    p.row("Properties counted", std::to_string(q.counted));
    p.row("Values estimated from floor or land area (sellable, no market value recorded)",
          std::to_string(q.values_estimated));
    p.row("Sellable but no value and no area (counted at nothing)", std::to_string(q.no_value_basis));
    p.row("Not sellable (leased in, licence, tenure unknown): savings only", std::to_string(q.not_sellable));
    p.row("Counted with no tenure recorded", std::to_string(q.tenure_unknown));
    p.row("Moving costs from a typical floor area (none recorded)", std::to_string(q.transitional_estimated));
    p.row("Counted with a running cost recorded", std::to_string(q.running_costs_recorded));
    p.row("Counted with a running cost assumed from its floor area (typical cost per m²)",
          std::to_string(q.running_costs_assumed));
    p.row("A site's floor area, land area or value written on each of its buildings: used once, on the site's main "
          "record",
          std::to_string(q.site_figures));
    p.row("Figures outside the plausible range for their use: not used until an officer confirms them",
          std::to_string(q.out_of_range));
    if (q.implausible_ignored)
        p.row("Figures in the register over 10^12, negative or not numbers (edited in by hand): not used",
              std::to_string(q.implausible_ignored));
    if (q.confirmed)
        p.row("Figures an officer set or confirmed (used whatever the checks say)", std::to_string(q.confirmed));
    p.row("Properties in the register with no location (not on the map, not in hubs)", std::to_string(q.unlocated));
    h << "</table><h3>When each owner's data was last imported</h3><table>";
    // Owners loaded together (one manifest) share a line, so the paper stays short.
    std::map<std::string, std::vector<std::string>> by_time;
    for (const auto& [owner, when] : q.last_import) by_time[when].push_back(owner);
    for (auto it = by_time.rbegin(); it != by_time.rend(); ++it) {
        const auto& owners = it->second;
        std::string names;
        for (size_t i = 0; i < owners.size() && i < 6; ++i) names += (i ? ", " : "") + owners[i];
        if (owners.size() > 6) names += " and " + std::to_string(owners.size() - 6) + " more";
        p.row(it->first.empty() ? "(import not finished)" : it->first,
              std::to_string(owners.size()) + (owners.size() == 1 ? " owner: " : " owners: ") + names);
    }
    h << "</table></section>\n";
}

/// Enough for anyone to make the same report again.
void provenance(Paper& p) {
    const auto& e = p.e;
    const auto& s = p.s();
    const auto digest = p.reg.file_digest();
    p.h << "<section id=\"provenance\"><h2>What this report was made from</h2><table>";
    // The file's name, not where it sat on one machine: the digest identifies it.
    const std::string register_name = std::filesystem::path(p.reg.path()).filename().string();
    p.row("Register", register_name + " (SHA-256 " + digest.sha256 + ", " +
                          util::thousands(static_cast<double>(digest.bytes)) + " bytes, schema " +
                          std::to_string(p.reg.schema_version()) + ")");
    if (p.hub_run) {
        if (const auto run = runs::find_run(p.reg, *p.hub_run))
            p.row("Hub run", std::to_string(run->id) + " of " + run->created_at + ": " + run->parameters);
    } else {
        p.row("Hub run", "none");
    }
    p.row("Scenario",
          s.name + " version " + std::to_string(s.version) + " (" + s.origin + ", SHA-256 " + s.sha256 + ")");
    p.row("Simulation", std::to_string(e.runs) + " runs, seed " + std::to_string(e.seed));
    p.row("Made by", std::string("estate ") + version());
    std::ostringstream cmd;
    cmd << "estate report " << register_name;
    if (p.hub_run) cmd << " --hub-run " << *p.hub_run;
    if (s.origin != "built-in default") cmd << " --scenario " << s.origin;
    if (e.hub_run) cmd << " --receipts-hub-run " << *e.hub_run;
    cmd << " --runs " << e.runs << " --seed " << e.seed << " --out board.html";
    p.row("To make it again", cmd.str());
    p.h << "</table></section>\n</body></html>\n";
}

} // namespace

std::string board_report_html(db::Register& reg, const Options& options, Written& about) {
    receipts::Estimate e = receipts::estimate(reg, options.receipts);
    about.hub_run = runs::hub_run(reg, options.hub_run);
    Paper p{reg, options, e, about.hub_run, {}, headline_of(reg, e), std::nullopt, reg.description("area").value_or(""),
            {}};
    if (p.hub_run) p.hubs = runs::read_stored_hubs(reg, *p.hub_run, false);
    p.change = change_since_last(reg, e, p.now);
    const std::string text = !options.title.empty() ? options.title
                             : !p.area.empty()      ? p.area + " public estate: capital receipts and hubs"
                                                    : "Public estate: capital receipts and hubs";
    title(p, text);
    headline(p);
    decisions(p);
    map_section(p);
    by_year(p);
    cash_flow(p);
    sectors(p);
    owners_and_statuses(p);
    top_hubs(p);
    top_disposals(p);
    valuations(p);
    since_last(p);
    assumptions(p);
    caveats(p);
    data_quality(p);
    provenance(p);
    about.headline = p.now;
    std::string out = p.h.str();
    about.estimate = std::move(e);
    return out;
}

Written write_board_report(db::Register& reg, const Options& options, const std::string& out_path) {
    namespace fs = std::filesystem;
    db::refuse_overwriting(reg, out_path, "out");
    const fs::path out(out_path);
    util::StagingFolder staging(out, "report"); // refuses a missing folder before any work
    Written w;
    w.path = out_path;
    staging.write(out.filename().string(), board_report_html(reg, options, w));
    staging.move_all_into(out.parent_path().empty() ? fs::path(".") : out.parent_path());
    // Kept once the paper is written, so that the next one can say what changed.
    if (options.record) {
        record_estimate(reg, w.estimate, w.headline);
        w.recorded = true;
    }
    return w;
}

} // namespace estate::report
