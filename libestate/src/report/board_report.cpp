#include "estate/report/board_report.hpp"

#include "estate/util/paths.hpp"

#include "estate/db/queries.hpp"
#include "db/sqlite.hpp"
#include "db/styles.hpp"
#include "estate/error.hpp"
#include "estate/hubs/hubs.hpp"
#include "estate/hubs/runs.hpp"
#include "estate/io/source.hpp"
#include "estate/util/format.hpp"
#include "estate/util/time.hpp"
#include "util/staging.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>

namespace estate::report {
namespace {

std::string esc(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string num(double v, int decimals = 1) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

/// "£218.1m", "£412k", "£950": money for headlines and chart labels.
// Money as a board reads it: three significant figures, in thousands or millions
// (the exact figures are in the tables).
std::string short_money(double v) {
    const double a = std::fabs(v);
    const std::string sign = v < 0 ? "-" : "";
    auto three = [](double x) {
        std::string s = num(x, x >= 100 ? 0 : x >= 10 ? 1 : 2);
        if (s.find('.') != std::string::npos) { // 2.50 -> 2.5, 3.00 -> 3
            s.erase(s.find_last_not_of('0') + 1);
            if (s.back() == '.') s.pop_back();
        }
        return s;
    };
    if (a >= 1e9) return sign + "£" + three(a / 1e9) + "bn";
    if (a >= 1e6) return sign + "£" + three(a / 1e6) + "m";
    if (a >= 1e3) return sign + "£" + three(a / 1e3) + "k";
    return sign + "£" + num(a, 0);
}

// Axis ticks a reader takes in at a glance: steps of 1, 2, 2.5 or 5 x 10^n, about
// @p target of them across [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int target = 4) {
    const double span = hi - lo;
    if (!(span > 0)) return {lo};
    const double raw = span / target, power = std::pow(10, std::floor(std::log10(raw)));
    double step = power * 10;
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (raw <= m * power) {
            step = m * power;
            break;
        }
    std::vector<double> ticks;
    for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push_back(v == 0 ? 0 : v);
    return ticks;
}

using util::percent;

// The colours of estate's QGIS styles (chosen once, in styles/make_styles.py).
const std::map<std::string, std::string>& status_colour() {
    static const std::map<std::string, std::string> c = [] {
        std::map<std::string, std::string> m;
        for (const char* status : {"red", "amber", "green", "unassessed"})
            m[status] = db::style_fill("properties", status, "#808080");
        return m;
    }();
    return c;
}
std::string hub_colour(const std::string& fit) {
    return db::style_fill("hubs", fit, fit == "fits" ? "#0000ff" : fit == "too_small" ? "#ff8000" : "#800080");
}

// ---- SVG pieces ----------------------------------------------------------------

struct Point {
    double x, y;
    std::string status;
};

// The hubs the paper lists (numbered on the map too).
constexpr size_t listed_hubs = 5;

std::string map_svg(db::Connection& c, const std::vector<hubs::StoredHub>& hubs, std::string& note) {
    std::vector<Point> pts;
    auto st = c.prepare("SELECT X(geom), Y(geom), rag_status FROM properties WHERE geom IS NOT NULL AND "
                        "retired_at IS NULL ORDER BY id");
    while (st.step()) pts.push_back({st.real(0), st.real(1), st.text(2)});
    if (pts.empty()) {
        note = "No property has a location yet, so there is no map.";
        return "";
    }
    // The map covers the middle 98% of locations each way, so that one far-off
    // investment property does not shrink the county to a dot.
    auto bounds = [&](auto get) {
        std::vector<double> v;
        for (const auto& p : pts) v.push_back(get(p));
        std::sort(v.begin(), v.end());
        const size_t lo = v.size() / 100, hi = v.size() - 1 - v.size() / 100;
        return std::pair(v[lo], v[hi]);
    };
    auto [x0, x1] = bounds([](const Point& p) { return p.x; });
    auto [y0, y1] = bounds([](const Point& p) { return p.y; });
    const double pad = std::max({x1 - x0, y1 - y0, 500.0}) * 0.05;
    x0 -= pad, x1 += pad, y0 -= pad, y1 += pad;
    const double width = 640, scale = width / std::max(x1 - x0, 1.0);
    const double height = std::max(200.0, std::min(720.0, (y1 - y0) * scale));
    const double s = std::min(scale, height / std::max(y1 - y0, 1.0));
    auto sx = [&](double x) { return (x - x0) * s; };
    auto sy = [&](double y) { return height - (y - y0) * s; };
    // A county of a million points would make a file nobody can open: draw a fixed
    // share of them, evenly, and say so.
    const size_t step = std::max<size_t>(1, pts.size() / 20000);
    std::ostringstream svg;
    svg << "<svg class=\"map\" viewBox=\"0 0 " << num(width, 0) << " " << num(height, 0)
        << "\" role=\"img\" aria-label=\"Map of the estate by RAG status, with the hubs\">"
        << "<rect width=\"100%\" height=\"100%\" fill=\"#f7f7f4\"/>";
    size_t drawn = 0, outside = 0;
    // Unassessed first, so the coloured ones sit on top.
    for (const char* status : {"unassessed", "red", "amber", "green"}) {
        svg << "<g fill=\"" << status_colour().at(status) << "\" stroke=\"#333\" stroke-width=\"0.3\">";
        for (size_t i = 0; i < pts.size(); i += step) {
            const Point& p = pts[i];
            if (p.status != status) continue;
            if (p.x < x0 || p.x > x1 || p.y < y0 || p.y > y1) {
                ++outside;
                continue;
            }
            svg << "<circle cx=\"" << num(sx(p.x)) << "\" cy=\"" << num(sy(p.y)) << "\" r=\"2.4\"/>";
            ++drawn;
        }
        svg << "</g>";
    }
    // The hubs: a ring round each proposed hub's host (the first 200), and the number of
    // each hub the paper lists (the first five), placed beside its ring where it
    // overlaps no number already placed.
    struct Box {
        double x0, y0, x1, y1;
        bool overlaps(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
    };
    std::vector<Box> placed;
    std::ostringstream labels;
    size_t k = 0;
    for (const auto& h : hubs) {
        const auto& at = h.members.front().location; // the host
        if (!h.proposed) continue; // not worth it on these figures: not on the map
        if (!at || at->easting < x0 || at->easting > x1 || at->northing < y0 || at->northing > y1) continue;
        if (++k > 200) break;
        const double cx = sx(at->easting), cy = sy(at->northing);
        svg << "<circle cx=\"" << num(cx) << "\" cy=\"" << num(cy) << "\" r=\"7\" fill=\"none\" stroke=\""
            << hub_colour(h.fit) << "\" stroke-width=\"2\"/>";
        if (h.group_no > static_cast<std::int64_t>(listed_hubs)) continue;
        const double w = 8.0 * static_cast<double>(std::to_string(h.group_no).size()), lh = 12;
        for (auto [dx, dy] : {std::pair{9.0, 4.0}, {-9.0 - w, 4.0}, {-w / 2, -10.0}, {-w / 2, 18.0}, {9.0, 16.0},
                              {9.0, -8.0}}) {
            const Box b{cx + dx, cy + dy - lh + 2, cx + dx + w, cy + dy + 2};
            if (std::any_of(placed.begin(), placed.end(), [&](const Box& o) { return o.overlaps(b); })) continue;
            placed.push_back(b);
            labels << "<text x=\"" << num(cx + dx) << "\" y=\"" << num(cy + dy) << "\" class=\"hub-label\">"
                   << h.group_no << "</text>";
            break;
        }
    }
    svg << labels.str(); // numbers above every ring
    // A scale bar.
    const double bar_m = std::pow(10, std::floor(std::log10((x1 - x0) / 4)));
    svg << "<g class=\"scale\"><rect x=\"12\" y=\"" << num(height - 18) << "\" width=\"" << num(bar_m * s)
        << "\" height=\"4\" fill=\"#333\"/><text x=\"12\" y=\"" << num(height - 22) << "\">"
        << (bar_m >= 1000 ? num(bar_m / 1000, 0) + " km" : num(bar_m, 0) + " m") << "</text></g></svg>";
    std::ostringstream n;
    n << drawn << " located properties drawn";
    if (step > 1) n << " (1 in " << step << ")";
    if (outside) n << "; " << outside << " beyond the area shown not drawn (the map covers the middle 98% of locations each way, so that a far-off holding does not shrink the county)";
    n << ". Rings mark the hosts of the proposed hubs (blue: the host can house everyone; orange: too small, an extension or new build is needed; purple: the host's floor area is not recorded).";
    note = n.str();
    return svg.str();
}

/// Vertical bars of net receipts by year, with the P10-P90 band of each year.
std::string years_svg(const receipts::Estimate& e) {
    const size_t n = e.years.size();
    double lo = 0, hi = 0;
    for (size_t i = 0; i < n; ++i) {
        lo = std::min(lo, e.by_year[i].net);
        hi = std::max(hi, e.by_year[i].net);
        if (!e.net_by_year.empty()) {
            lo = std::min(lo, e.net_by_year[i].p10);
            hi = std::max(hi, e.net_by_year[i].p90);
        }
    }
    if (hi - lo <= 0) hi = lo + 1;
    const double w = 640, h = 260, left = 70, bottom = 30, top = 10;
    const double plot_h = h - bottom - top, band = (w - left - 10) / static_cast<double>(std::max<size_t>(n, 1));
    auto y = [&](double v) { return top + (hi - v) / (hi - lo) * plot_h; };
    std::ostringstream svg;
    svg << "<svg class=\"chart\" viewBox=\"0 0 " << num(w, 0) << " " << num(h, 0)
        << "\" role=\"img\" aria-label=\"Net receipts by year with the P10 to P90 range\">";
    for (double v : nice_ticks(lo, hi)) { // gridlines
        svg << "<line x1=\"" << left << "\" x2=\"" << w - 10 << "\" y1=\"" << num(y(v)) << "\" y2=\"" << num(y(v))
            << "\" stroke=\"#ddd\"/><text x=\"" << left - 6 << "\" y=\"" << num(y(v) + 4)
            << "\" text-anchor=\"end\" class=\"axis\">" << esc(short_money(v)) << "</text>";
    }
    for (size_t i = 0; i < n; ++i) {
        const double x = left + band * static_cast<double>(i);
        const double v = e.by_year[i].net;
        svg << "<rect class=\"bar\" x=\"" << num(x + band * 0.2) << "\" width=\"" << num(band * 0.6) << "\" y=\""
            << num(std::min(y(v), y(0))) << "\" height=\"" << num(std::fabs(y(v) - y(0)))
            << "\" fill=\"#4575b4\"><title>" << e.years[i] << ": " << esc(util::pounds(v)) << "</title></rect>";
        if (!e.net_by_year.empty()) {
            const auto& r = e.net_by_year[i];
            svg << "<rect class=\"band\" x=\"" << num(x + band * 0.35) << "\" width=\"" << num(band * 0.3) << "\" y=\""
                << num(y(r.p90)) << "\" height=\"" << num(std::max(1.0, y(r.p10) - y(r.p90)))
                << "\" fill=\"#fdae61\" fill-opacity=\"0.55\" stroke=\"#e66101\"><title>" << e.years[i]
                << " P10 " << esc(util::pounds(r.p10)) << ", P90 " << esc(util::pounds(r.p90)) << "</title></rect>";
        }
        svg << "<text x=\"" << num(x + band / 2) << "\" y=\"" << num(h - 10) << "\" text-anchor=\"middle\" class=\"axis\">"
            << e.years[i] << "</text>";
    }
    svg << "<line x1=\"" << left << "\" x2=\"" << w - 10 << "\" y1=\"" << num(y(0)) << "\" y2=\"" << num(y(0))
        << "\" stroke=\"#333\"/></svg>";
    return svg.str();
}

/// Horizontal bars of net receipts by a key (owner, status).
std::string bars_svg(const std::vector<std::pair<std::string, receipts::Totals>>& rows, const std::string& label,
                     bool status_colours) {
    const size_t shown = std::min<size_t>(rows.size(), 12);
    double lo = 0, hi = 0;
    for (size_t i = 0; i < shown; ++i) {
        lo = std::min(lo, rows[i].second.net);
        hi = std::max(hi, rows[i].second.net);
    }
    if (hi - lo <= 0) hi = lo + 1;
    const double w = 640, row_h = 22, left = 250, right = 90;
    const double h = row_h * static_cast<double>(shown) + 10;
    auto x = [&](double v) { return left + (v - lo) / (hi - lo) * (w - left - right); };
    std::ostringstream svg;
    svg << "<svg class=\"chart\" viewBox=\"0 0 " << num(w, 0) << " " << num(h, 0) << "\" role=\"img\" aria-label=\""
        << esc(label) << "\">";
    for (size_t i = 0; i < shown; ++i) {
        const auto& [key, t] = rows[i];
        const double yy = 5 + row_h * static_cast<double>(i);
        const std::string colour = status_colours && status_colour().count(key) ? status_colour().at(key) : "#4575b4";
        std::string name = key.size() > 38 ? key.substr(0, 36) + "…" : key;
        svg << "<text x=\"" << left - 6 << "\" y=\"" << num(yy + 15) << "\" text-anchor=\"end\" class=\"axis\">"
            << esc(name) << "</text><rect x=\"" << num(std::min(x(t.net), x(0))) << "\" y=\"" << num(yy + 3)
            << "\" width=\"" << num(std::fabs(x(t.net) - x(0))) << "\" height=\"" << row_h - 6 << "\" fill=\"" << colour
            << "\"/><text x=\"" << num(std::max(x(t.net), x(0)) + 4) << "\" y=\"" << num(yy + 15) << "\" class=\"axis\">"
            << esc(short_money(t.net)) << "</text>";
    }
    svg << "</svg>";
    if (rows.size() > shown) svg << "<p class=\"note\">" << rows.size() - shown << " more not shown.</p>";
    return svg.str();
}

const char* css = R"css(
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #222; max-width: 760px; margin: 24px auto; padding: 0 16px; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0; } h2 { font-size: 1.2em; border-bottom: 2px solid #4575b4; padding-bottom: 2px; margin-top: 1.6em; }
.subtitle { color: #555; margin-top: 4px; }
.headline { background: #eef3fa; border-left: 6px solid #4575b4; padding: 12px 16px; margin: 16px 0; }
.headline .big { font-size: 1.5em; font-weight: bold; }
.headline p { margin: 4px 0; }
svg { width: 100%; height: auto; display: block; }
.axis { font-size: 11px; fill: #333; } .hub-label { font-size: 11px; font-weight: bold; fill: #000; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.scale text { font-size: 10px; } .note { color: #555; font-size: 0.85em; }
.legend span { display: inline-block; margin-right: 12px; font-size: 0.85em; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 5px; margin-right: 4px; border: 1px solid #333; }
table { border-collapse: collapse; width: 100%; font-size: 0.85em; } td, th { border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }
td.n { text-align: right; white-space: nowrap; }
ol li { margin-bottom: 6px; } code { font-size: 0.9em; }
section { break-inside: avoid; }
@page { size: A4; margin: 15mm; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } }
)css";

} // namespace

std::string board_report_html(db::Register& reg, const Options& options, Written& about) {
    auto& c = reg.connection();
    receipts::Estimate e = receipts::estimate(reg, options.receipts);
    const auto& s = e.scenario;
    about.hub_run = hubs::hub_run(reg, options.hub_run);
    std::vector<hubs::StoredHub> hubs;
    if (about.hub_run) hubs = hubs::read_stored_hubs(reg, *about.hub_run, false);
    const std::string last_year = std::to_string(s.start_year + s.years - 1);
    std::ostringstream h;
    const auto area = reg.description("area");
    const auto partnership = reg.description("partnership");
    const std::string title = !options.title.empty() ? options.title
                              : area ? *area + " public estate: capital receipts and hubs"
                                     : "Public estate: capital receipts and hubs";
    h << "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>" << esc(title)
      << "</title><style>" << css << "</style></head><body>\n";
    h << "<h1>" << esc(title) << "</h1><p class=\"subtitle\">"
      << esc(partnership ? *partnership : area ? "" : "Area not named (estate init --area NAME)")
      << (partnership || !area ? " &middot; " : "") << s.start_year << "&ndash;" << last_year
      << " &middot; scenario " << esc(s.name) << " v" << s.version << " &middot; "
      << esc(util::utc_now_iso().substr(0, 10)) << "</p>\n";

    // The headline: a range a lay reader reads right, with what it rests on beside it.
    const auto& q = e.quality;
    const auto sources = db::status_sources(reg);
    h << "<section class=\"headline\" id=\"headline\">";
    if (q.counted == 0) {
        h << "<p class=\"big\">Nothing assessed yet</p><p>No property is tagged green or amber"
          << (e.hub_run ? " or released by hub run " + std::to_string(*e.hub_run) : std::string())
          << ", so there is nothing to estimate: the figures below are the programme's costs alone. Officers tag "
             "properties (<code>estate rag set</code>, or in QGIS), or apply the default rules for a first picture "
             "(<code>estate rag apply-rules</code>); then make this paper again.</p>";
    } else {
        // Counted at nothing: a sellable property with no value and no area. Then the
        // range is a floor, and the headline says so.
        std::int64_t sellable = 0, recorded = 0, estimated = 0, none = 0;
        for (const auto& p : e.properties) {
            if (!p.sellable) continue;
            ++sellable;
            ++(!p.value ? none : p.value_estimated ? estimated : recorded);
        }
        const std::string at_least = none > 0 ? ", or more" : "";
        const std::string why_more = none > 0 ? "<p><b>Or more: " + std::to_string(none) +
                                                    " of the properties counted have no value and no area, and "
                                                    "count at nothing.</b></p>"
                                              : "";
        if (e.runs > 0)
            h << "<p class=\"big\">Net capital receipts: " << esc(short_money(e.net_pv.p10)) << " to "
              << esc(short_money(e.net_pv.p90)) << esc(at_least) << "</p>" << why_more
              << "<p>In nine futures out of ten, at least "
              << esc(short_money(e.net_pv.p10)) << "; in one out of ten, more than " << esc(short_money(e.net_pv.p90))
              << " (present value; between the P10 and P90 of " << e.runs << " simulated futures). Central case <b>"
              << esc(short_money(e.total.net_pv)) << "</b> (" << esc(short_money(e.total.net)) << " in cash terms).</p>";
        else
            h << "<p class=\"big\">Net capital receipts: " << esc(short_money(e.total.net_pv)) << esc(at_least)
              << "</p>" << why_more << "<p>central case at present value (" << esc(short_money(e.total.net))
              << " in cash terms); no simulation was run, so no range.</p>";
        h << "<p><b>What it rests on.</b> " << q.counted << " properties counted (green, and amber at "
          << percent(s.probability.count("amber") ? s.probability.at("amber") : 0) << " likelihood"
          << (e.hub_run ? ", released by hub run " + std::to_string(*e.hub_run) : std::string()) << "); of the "
          << sellable << " that can be sold, " << recorded << " have a recorded value, " << estimated
          << " an estimated one (from floor or land area), and " << none << " none: "
          << (none ? "they count at nothing, so the true figure is higher than shown; valuations would close the gap."
                   : "every one is counted.")
          << " Statuses: " << sources.by_officer << " set by an officer, " << sources.by_rules
          << " suggested by the rules and not yet confirmed"
          << (sources.by_officer == 0 ? " (no officer has confirmed any yet)" : "") << ".</p>";
    }
    // Savings: unknown is not zero.
    if (q.counted > 0 && q.running_costs_recorded == 0)
        h << "<p>Running costs saved: <b>not known</b>: no counted property records its running cost.</p>";
    else
        h << "<p>Running costs saved: <b>" << (q.running_costs_recorded < q.counted ? "at least " : "")
          << esc(short_money(e.savings_per_year_at_end)) << " a year</b> once every release has been made; "
          << esc(short_money(e.total.savings)) << " over the " << s.years << " years " << s.start_year << "&ndash;"
          << last_year
          << (q.running_costs_recorded < q.counted
                  ? " (running costs recorded for " + std::to_string(q.running_costs_recorded) + " of the " +
                        std::to_string(q.counted) + " counted properties)"
                  : std::string())
          << ".</p>";
    h << "</section>\n";

    // What the board is asked to decide, from the data.
    {
        std::int64_t confirmed = 0, suggested = 0, no_value = 0, no_value_green = 0;
        double confirmed_net = 0;
        for (const auto& p : e.properties) {
            if (p.status == "green") ++(p.status_by_officer ? confirmed : suggested);
            if (p.status == "green" && p.status_by_officer) confirmed_net += p.net;
            if (p.sellable && !p.value) {
                ++no_value;
                no_value_green += p.status == "green" ? 1 : 0;
            }
        }
        std::int64_t ready = 0, to_survey = 0;
        for (const auto& hub : hubs) {
            if (!hub.proposed) continue;
            ready += hub.fit == "fits" ? 1 : 0;
            to_survey += hub.fit == "unknown" ? 1 : 0;
        }
        h << "<section id=\"decisions\"><h2>The board is asked to</h2><ol>";
        if (confirmed)
            h << "<li>approve the disposal of the " << confirmed << " green properties an officer has confirmed, "
              << "worth about " << esc(short_money(confirmed_net)) << " net (central case);</li>";
        if (suggested)
            h << "<li>note that " << suggested << " green properties are suggested by the rules only: an officer "
              << "reviews each (<code>estate rag set</code>) before any disposal is approved;</li>";
        if (no_value)
            h << "<li>commission valuations for the " << no_value << " properties counted with no value and no area"
              << (no_value_green && no_value_green < no_value ? ", the " + std::to_string(no_value_green) + " green ones first"
                                                               : std::string())
              << ": until then they count at nothing;</li>";
        if (ready)
            h << "<li>note the " << ready << " proposed hubs whose host can house everyone, ready for a business "
              << "case;</li>";
        if (to_survey)
            h << "<li>commission surveys of the hosts of " << to_survey << " proposed hubs whose floor area is not "
              << "recorded;</li>";
        h << "<li>agree the scenario's assumptions (" << esc(s.citation()) << ") or ask for local figures.</li>"
          << "</ol></section>\n";
    }

    // The map.
    std::string map_note;
    const std::string map = map_svg(c, hubs, map_note);
    h << "<section id=\"map\"><h2>The estate by status, with the hubs</h2>" << map << "<p class=\"legend\">";
    for (const char* st : {"green", "amber", "red", "unassessed"})
        h << "<span><i style=\"background:" << status_colour().at(st) << "\"></i>" << st << "</span>";
    h << "</p><p class=\"note\">" << esc(map_note) << "</p></section>\n";

    // The charts.
    h << "<section id=\"by-year\"><h2>Net receipts by year</h2>" << years_svg(e)
      << "<p class=\"note\">Blue bars: the central case, net of sales, moving, fit-out and programme costs (cash "
         "terms). Orange bands: P10 to P90 of the simulation; slipped disposals move money into later years, so "
         "a band can sit beside its bar.</p></section>\n";
    h << "<section id=\"by-owner\"><h2>By owner</h2>" << bars_svg(e.by_owner, "Net receipts by owner", false)
      << "</section>\n";
    h << "<section id=\"by-status\"><h2>By status</h2>" << bars_svg(e.by_status, "Net receipts by status", true)
      << "</section>\n";

    // Top hubs and disposals, one line each.
    h << "<section id=\"hubs\"><h2>Top hubs</h2>";
    if (!about.hub_run) {
        h << "<p>No hubs run in this register yet: <code>estate hubs REGISTER --radius 500</code> proposes them.</p>";
    } else if (hubs.empty()) {
        h << "<p>Hub run " << *about.hub_run << " found no hub.</p>";
    } else {
        h << "<ol>";
        size_t shown = 0, proposed = 0;
        auto money = [](const std::optional<double>& v) { return v ? util::pounds(*v) : std::string("not recorded"); };
        for (const auto& hub : hubs) {
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
        // Which order the run chose them in (stored with its parameters).
        auto rank = hubs::Rank::net_benefit;
        for (const auto& r : hubs::list_runs(reg))
            if (r.id == *about.hub_run && r.parameters.find("\"rank\":\"agencies\"") != std::string::npos)
                rank = hubs::Rank::agencies;
        h << "</ol><p class=\"note\">From hub run " << *about.hub_run << ", " << hubs::rank_words(rank) << " ("
          << proposed << " hubs proposed, "
          << hubs.size() - proposed << " not worth it on these figures). Each hub's full explanation, every "
             "assumed figure named, is in <code>estate hubs</code> and the QGIS exports.</p>";
    }
    h << "</section>\n<section id=\"disposals\"><h2>Top disposal opportunities</h2><ol>";
    // The ten largest, named with their place; two of one name told apart.
    std::vector<const receipts::PropertyEstimate*> top;
    for (const auto& p : e.properties)
        if (p.net > 0 && top.size() < 10) top.push_back(&p);
    std::vector<std::int64_t> top_ids;
    for (const auto* p : top) top_ids.push_back(p->id);
    const auto labels = db::labels_for_list(reg, top_ids);
    for (size_t i = 0; i < top.size(); ++i) {
        const auto& p = *top[i];
        h << "<li><b>" << esc(labels[i]) << "</b> (" << esc(p.owner) << "): " << esc(p.status) << ", " << esc(p.kind)
          << ", released " << p.release_year << "; about " << esc(util::pounds(p.net)) << " net"
          << (p.probability < 1 ? " (counted at " + percent(p.probability) + ")" : "")
          << (p.value_estimated ? "; value <i>estimated</i>" : "; value recorded") << ".</li>";
    }
    if (top.empty()) h << "<li>None yet: no green or amber property with a saleable value.</li>";
    h << "</ol></section>\n";

    // Assumptions, caveats, data quality.
    auto row = [&](const std::string& k, const std::string& v) { h << "<tr><td>" << esc(k) << "</td><td>" << esc(v) << "</td></tr>"; };
    h << "<section id=\"assumptions\"><h2>Assumptions</h2><table>";
    std::ostringstream probs;
    for (const auto& [st, p] : s.probability) probs << st << " " << percent(p) << "  ";
    row("Likelihood of disposal by status", probs.str());
    std::ostringstream sellable;
    for (const auto& t : s.sellable_tenures) sellable << t << " ";
    row("Tenures that can be sold (others save running costs only)", sellable.str());
    row("Sales costs", percent(s.sales_cost_rate) + " of the receipt");
    row("Moving services out / fitting out the host", util::pounds(s.moving_cost_per_m2) + " per m² / " +
                                                          util::pounds(s.fit_out_cost_per_m2) + " per m² needed (" +
                                                          percent(s.space_factor) + " of the floor area)");
    row("Programme costs", util::pounds(s.programme_cost) + " once, " + util::pounds(s.programme_cost_per_year) + " a year");
    row("Lead times (years from " + std::to_string(s.start_year) + ")",
        "land " + std::to_string(s.lead_land) + ", vacant building " + std::to_string(s.lead_vacant_building) +
            ", occupied building " + std::to_string(s.lead_occupied_building) + " (services move " +
            std::to_string(s.moving_before_sale) + " year(s) before)");
    row("Market value change a year", percent(s.growth_mean) + " on average, standard deviation " + percent(s.growth_sd));
    row("Discount rate (HM Treasury Green Book)", percent(s.discount_rate));
    row("Uncertainty of prices achieved", percent(s.price_sd) + " (recorded values), " + percent(s.estimated_price_sd) +
                                              " (estimated values); a disposal slips a year with probability " +
                                              percent(s.slip_probability));
    h << "</table><h3>Which assumptions matter most</h3><table><tr><th>assumption</th><th>low</th><th>high</th><th>swing</th></tr>";
    for (const auto& r : e.sensitivity)
        h << "<tr><td>" << esc(r.assumption) << "</td><td class=\"n\">" << esc(r.low_setting) << ": "
          << esc(short_money(r.net_pv_low)) << "</td><td class=\"n\">" << esc(r.high_setting) << ": "
          << esc(short_money(r.net_pv_high)) << "</td><td class=\"n\">" << esc(short_money(r.swing())) << "</td></tr>";
    h << "</table></section>\n";
    h << "<section id=\"caveats\"><h2>Caveats</h2><ul>"
         "<li>Market volatility: prices may fall as well as rise; the range above, not the central case, is the "
         "honest answer.</li>"
         "<li>Transitional costs: moving services and fitting out hosts cost money before any receipt arrives; "
         "the estimate counts them, but at indicative rates.</li>"
         "<li>Long lead times: occupied buildings are released only after their services have moved; slippage of "
         "a year is simulated.</li>"
         "<li>Estimated values come from indicative rates per m² or hectare, not valuations; get a valuer's figure "
         "before any decision on a property.</li>"
         "<li>Leased-in property raises no receipt; its release saves rent, counted with the running costs.</li>"
         "</ul></section>\n";
    h << "<section id=\"data-quality\"><h2>Data quality</h2><table>";
    row("Properties counted", std::to_string(q.counted));
    row("Values estimated (no market value recorded)", std::to_string(q.values_estimated));
    row("Sellable but no value and no area (counted at nothing)", std::to_string(q.no_value_basis));
    row("Not sellable (leased in, licence, tenure unknown): savings only", std::to_string(q.not_sellable));
    row("Counted with no tenure recorded", std::to_string(q.tenure_unknown));
    row("Moving costs from a typical floor area (none recorded)", std::to_string(q.transitional_estimated));
    row("Properties in the register with no location (not on the map, not in hubs)", std::to_string(q.unlocated));
    h << "</table><h3>When each owner's data was last imported</h3><table>";
    // Owners loaded together (one manifest) share a line, so the paper stays short.
    std::map<std::string, std::vector<std::string>> by_time;
    for (const auto& [owner, when] : q.last_import) by_time[when].push_back(owner);
    for (auto it = by_time.rbegin(); it != by_time.rend(); ++it) {
        const auto& owners = it->second;
        std::string names;
        for (size_t i = 0; i < owners.size() && i < 6; ++i) names += (i ? ", " : "") + owners[i];
        if (owners.size() > 6) names += " and " + std::to_string(owners.size() - 6) + " more";
        row(it->first.empty() ? "(import not finished)" : it->first,
            std::to_string(owners.size()) + (owners.size() == 1 ? " owner: " : " owners: ") + names);
    }
    h << "</table></section>\n";

    // Provenance: enough for anyone to make the same report again.
    const auto digest = io::digest_file(reg.path());
    h << "<section id=\"provenance\"><h2>What this report was made from</h2><table>";
    // The file's name, not where it sat on one machine: the digest identifies it.
    const std::string register_name = std::filesystem::path(reg.path()).filename().string();
    row("Register", register_name + " (SHA-256 " + digest.sha256 + ", " + util::thousands(static_cast<double>(digest.bytes)) +
                        " bytes, schema " + std::to_string(reg.schema_version()) + ")");
    if (about.hub_run) {
        auto params = c.prepare("SELECT parameters, created_at FROM analysis_runs WHERE id = ?");
        params.bind(1, *about.hub_run);
        if (params.step()) row("Hub run", std::to_string(*about.hub_run) + " of " + params.text(1) + ": " + params.text(0));
    } else {
        row("Hub run", "none");
    }
    row("Scenario", s.name + " version " + std::to_string(s.version) + " (" + s.origin + ", SHA-256 " + s.sha256 + ")");
    row("Simulation", std::to_string(e.runs) + " runs, seed " + std::to_string(e.seed));
    row("Made by", std::string("estate ") + ESTATE_VERSION_TEXT);
    std::ostringstream cmd;
    cmd << "estate report " << register_name;
    if (about.hub_run) cmd << " --hub-run " << *about.hub_run;
    if (s.origin != "built-in default") cmd << " --scenario " << s.origin;
    if (e.hub_run) cmd << " --receipts-hub-run " << *e.hub_run;
    cmd << " --runs " << e.runs << " --seed " << e.seed << " --out board.html";
    row("To make it again", cmd.str());
    h << "</table></section>\n</body></html>\n";
    about.estimate = std::move(e);
    return h.str();
}

Written write_board_report(db::Register& reg, const Options& options, const std::string& out_path) {
    namespace fs = std::filesystem;
    util::refuse_overwriting(out_path, reg.path(), {}, "--out");
    const fs::path out(out_path);
    util::StagingFolder staging(out, "report"); // refuses a missing folder before any work
    Written w;
    w.path = out_path;
    staging.write(out.filename().string(), board_report_html(reg, options, w));
    staging.move_all_into(out.parent_path().empty() ? fs::path(".") : out.parent_path());
    return w;
}

} // namespace estate::report
