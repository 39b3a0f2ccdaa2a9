#include "report/map.hpp"

#include "db/sqlite.hpp"
#include "estate/model/place.hpp"
#include "report/html.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <sstream>

namespace estate::report {
namespace {

using html::esc;
using html::num;

struct Point {
    double x, y;
    std::string status;
    std::string town; ///< of sampled points only
};

using Ring = std::vector<std::pair<double, double>>;

// The rings of a POLYGON or MULTIPOLYGON's WKT (as Boundary::outline_wkt writes it).
std::vector<Ring> rings_of(const std::string& wkt) {
    std::vector<Ring> rings;
    const char* p = wkt.c_str();
    while (*p) {
        if (*p == '(' && (std::isdigit(static_cast<unsigned char>(p[1])) || p[1] == '-')) {
            Ring ring;
            ++p;
            while (*p && *p != ')') {
                char* end = nullptr;
                const double x = std::strtod(p, &end);
                if (end == p) break;
                p = end;
                const double y = std::strtod(p, &end);
                if (end == p) break;
                p = end;
                ring.emplace_back(x, y);
                while (*p == ',' || *p == ' ') ++p;
            }
            if (ring.size() >= 3) rings.push_back(std::move(ring));
        }
        if (*p) ++p;
    }
    return rings;
}

/// The main towns: the map cut into a grid; each cell's commonest town among the
/// properties drawn, each town once, the busiest first.
struct TownLabel {
    std::string town;
    double x, y;
    size_t count;
};
std::vector<TownLabel> towns(const std::vector<Point>& pts, double x0, double y0, double cell) {
    std::map<std::pair<long, long>, std::map<std::string, std::vector<const Point*>>> cells;
    for (const auto& p : pts)
        if (!p.town.empty())
            cells[{std::lround(std::floor((p.x - x0) / cell)), std::lround(std::floor((p.y - y0) / cell))}][p.town]
                .push_back(&p);
    std::map<std::string, TownLabel> best;
    for (const auto& [key, by_town] : cells) {
        auto top = std::max_element(by_town.begin(), by_town.end(),
                                    [](const auto& a, const auto& b) { return a.second.size() < b.second.size(); });
        if (top->second.size() < 3) continue;
        double sx = 0, sy = 0;
        for (const Point* p : top->second) sx += p->x, sy += p->y;
        const double n = static_cast<double>(top->second.size());
        auto& b = best[top->first];
        if (top->second.size() > b.count) b = {top->first, sx / n, sy / n, top->second.size()};
    }
    std::vector<TownLabel> out;
    for (auto& [t, l] : best) out.push_back(l);
    std::sort(out.begin(), out.end(), [](const TownLabel& a, const TownLabel& b) { return a.count > b.count; });
    return out;
}

} // namespace

Map estate_map(db::Register& reg, const std::vector<runs::StoredHub>& hubs) {
    Map out;
    auto& c = reg.connection();
    std::vector<Point> pts;
    {
        const auto located =
            c.scalar_int("SELECT count(*) FROM properties WHERE geom IS NOT NULL AND retired_at IS NULL").value_or(0);
        // A county of a million points would make a file nobody can open: draw a fixed
        // share of them, evenly, and say so.
        const std::int64_t step = std::max<std::int64_t>(1, located / 20000);
        auto st = c.prepare("SELECT X(geom), Y(geom), rag_status, address, postcode FROM properties WHERE geom IS NOT "
                            "NULL AND retired_at IS NULL ORDER BY id");
        for (std::int64_t i = 0; st.step(); ++i) {
            if (i % step) continue;
            Point p{st.real(0), st.real(1), st.text(2), {}};
            p.town = model::place_of(std::string(st.view(3)), std::string(st.view(4))).town;
            pts.push_back(std::move(p));
        }
        if (step > 1)
            out.note =
                "1 in " + std::to_string(step) + " of the " + std::to_string(located) + " located properties drawn";
    }
    if (pts.empty()) {
        out.note = "No property has a location yet, so there is no map.";
        return out;
    }
    // The map covers the middle 98% of locations each way, so that one far-off
    // investment property does not shrink the county to a dot; the area's outline,
    // when the register has one, is drawn whole within it.
    auto bounds = [&](auto get) {
        std::vector<double> v;
        for (const auto& p : pts) v.push_back(get(p));
        std::sort(v.begin(), v.end());
        const size_t lo = v.size() / 100, hi = v.size() - 1 - v.size() / 100;
        return std::pair(v[lo], v[hi]);
    };
    // Plain variables, not structured bindings: the lambdas below capture them.
    const auto xs = bounds([](const Point&p) { return p.x; }), ys = bounds([](const Point&p) { return p.y; });
    double x0 = xs.first, x1 = xs.second, y0 = ys.first, y1 = ys.second;
    const auto rings = rings_of(reg.description("boundary").value_or(""));
    for (const auto& ring : rings)
        for (auto [x, y] : ring) {
            x0 = std::min(x0, x), x1 = std::max(x1, x);
            y0 = std::min(y0, y), y1 = std::max(y1, y);
        }
    const double pad = std::max({x1 - x0, y1 - y0, 500.0}) * 0.04;
    x0 -= pad, x1 += pad, y0 -= pad, y1 += pad;
    const double width = 640, scale = width / std::max(x1 - x0, 1.0);
    const double height = std::max(200.0, std::min(720.0, (y1 - y0) * scale));
    const double s = std::min(scale, height / std::max(y1 - y0, 1.0));
    auto sx = [&](double x) { return (x - x0) * s; };
    auto sy = [&](double y) { return height - (y - y0) * s; };
    std::ostringstream svg;
    svg << "<svg class=\"map\" viewBox=\"0 0 " << num(width, 0) << " " << num(height, 0)
        << "\" role=\"img\" aria-label=\"Map of the estate by RAG status, with the hubs\">"
        << "<rect width=\"100%\" height=\"100%\" fill=\"#f7f7f4\"/>";
    if (!rings.empty()) {
        svg << "<path class=\"boundary\" fill=\"#ffffff\" stroke=\"#555\" stroke-width=\"1.2\" d=\"";
        for (const auto& ring : rings) {
            for (size_t i = 0; i < ring.size(); ++i)
                svg << (i ? "L" : "M") << num(sx(ring[i].first)) << " " << num(sy(ring[i].second));
            svg << "Z";
        }
        svg << "\"/>";
    }
    size_t drawn = 0, outside = 0;
    // Unassessed first, so the coloured ones sit on top.
    for (const char* status : {"unassessed", "red", "amber", "green"}) {
        svg << "<g class=\"status-" << status << "\" fill=\"" << html::status_colour().at(status)
            << "\" stroke=\"#333\" stroke-width=\"0.3\">";
        for (const auto& p : pts) {
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
    // each hub the paper lists, placed beside its ring where it overlaps no other label.
    html::Placer placer;
    placer.width = width;
    placer.height = height;
    std::ostringstream labels;
    size_t k = 0;
    for (const auto& h : hubs) {
        const auto& at = h.members.front().location; // the host
        if (!h.proposed) continue;                   // not worth it on these figures: not on the map
        if (!at || at->easting < x0 || at->easting > x1 || at->northing < y0 || at->northing > y1) continue;
        if (++k > 200) break;
        const double cx = sx(at->easting), cy = sy(at->northing);
        svg << "<circle cx=\"" << num(cx) << "\" cy=\"" << num(cy) << "\" r=\"7\" fill=\"none\" stroke=\""
            << html::hub_colour(h.fit) << "\" stroke-width=\"2\"/>";
        if (h.group_no > static_cast<std::int64_t>(listed_hubs)) continue;
        const double w = 8.0 * static_cast<double>(std::to_string(h.group_no).size()), lh = 12;
        std::vector<html::Placer::Box> choices;
        for (auto [dx, dy] : {std::pair{9.0, 4.0},
                              {-9.0 - w, 4.0},
                              {-w / 2, -10.0},
                              {-w / 2, 18.0},
                              {9.0, 16.0},
                              {9.0, -8.0},
                              {14.0, 24.0},
                              {-14.0 - w, -14.0}})
            choices.push_back({cx + dx, cy + dy - lh + 2, cx + dx + w, cy + dy + 2});
        html::Placer::Box b{};
        if (placer.place(choices, b))
            labels << "<text x=\"" << num(b.x0) << "\" y=\"" << num(b.y1 - 2) << "\" class=\"hub-label label\">"
                   << h.group_no << "</text>";
    }
    // The main towns, where their names overlap no hub number and no other name.
    const auto named = towns(pts, x0, y0, (x1 - x0) / 5);
    size_t towns_named = 0;
    for (const auto& t : named) {
        if (towns_named == 10) break;
        const double w = 6.4 * static_cast<double>(t.town.size()), cx = sx(t.x), cy = sy(t.y);
        html::Placer::Box b{};
        if (!placer.place({{cx - w / 2, cy - 22, cx + w / 2, cy - 10},
                           {cx - w / 2, cy + 10, cx + w / 2, cy + 22},
                           {cx + 8, cy - 6, cx + 8 + w, cy + 6},
                           {cx - 8 - w, cy - 6, cx - 8, cy + 6}},
                          b))
            continue;
        ++towns_named;
        labels << "<text x=\"" << num((b.x0 + b.x1) / 2) << "\" y=\"" << num(b.y1 - 2)
               << "\" text-anchor=\"middle\" class=\"town label\">" << esc(t.town) << "</text>";
    }
    svg << labels.str(); // labels above every point and ring
    // A scale bar: 1, 2 or 5 x 10^n metres, about a fifth of the map.
    const double target = (x1 - x0) / 5, power = std::pow(10, std::floor(std::log10(target)));
    const double bar_m = target >= 5 * power ? 5 * power : target >= 2 * power ? 2 * power : power;
    svg << "<g class=\"scale\"><rect x=\"12\" y=\"" << num(height - 18) << "\" width=\"" << num(bar_m * s)
        << "\" height=\"4\" fill=\"#333\"/><text x=\"12\" y=\"" << num(height - 22) << "\">"
        << (bar_m >= 1000 ? num(bar_m / 1000, 0) + " km" : num(bar_m, 0) + " m") << "</text></g></svg>";
    std::ostringstream n;
    n << (out.note.empty() ? std::to_string(drawn) + " located properties drawn" : out.note);
    if (outside)
        n << "; " << outside
          << " beyond the area shown not drawn (the map covers the middle 98% of locations each way, so that a far-off "
             "holding does not shrink the area)";
    n << (rings.empty() ? "" : "; the line is the area's boundary")
      << ". Rings mark the hosts of the proposed hubs (blue: the host can house everyone; orange: too small, an "
         "extension or new build is needed; purple: the host's floor area is not recorded); numbers are the hubs "
         "listed below; names are the commonest town of each part of the map.";
    out.note = n.str();
    out.svg = svg.str();
    return out;
}

} // namespace estate::report
