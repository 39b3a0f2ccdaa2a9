#include "report/charts.hpp"

#include "estate/util/format.hpp"
#include "report/html.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace estate::report {

using html::esc;
using html::nice_ticks;
using html::num;
using html::short_money;
using html::short_money_tick;

namespace {

/// A chart of money by year: the frame, gridlines at readable ticks, the year labels
/// and the zero line shared by the by-year and cash-flow charts.
class YearChart {
public:
    YearChart(const std::vector<int>& years, double lo, double hi, const std::string& label)
        : years_(years), lo_(lo), hi_(hi - lo <= 0 ? lo + 1 : hi),
          band_((w - left - 10) / static_cast<double>(std::max<size_t>(years.size(), 1))) {
        svg << "<svg class=\"chart\" viewBox=\"0 0 " << num(w, 0) << " " << num(h, 0) << "\" role=\"img\" aria-label=\""
            << esc(label) << "\">";
        for (double v : nice_ticks(lo_, hi_))
            svg << "<line x1=\"" << left << "\" x2=\"" << w - 10 << "\" y1=\"" << num(y(v)) << "\" y2=\"" << num(y(v))
                << "\" stroke=\"#ddd\"/><text x=\"" << left - 6 << "\" y=\"" << num(y(v) + 4)
                << "\" text-anchor=\"end\" class=\"axis\">" << esc(short_money_tick(v)) << "</text>";
    }
    double y(double v) const { return top + (hi_ - v) / (hi_ - lo_) * (h - bottom - top); }
    double x(size_t i) const { return left + band_ * static_cast<double>(i); }
    double band() const { return band_; }
    /// A bar from 0 to @p v in year @p i, @p share of the band wide, centred.
    void bar(size_t i, double v, double share, const std::string& fill, const std::string& title) {
        svg << "<rect x=\"" << num(x(i) + band_ * (1 - share) / 2) << "\" width=\"" << num(band_ * share) << "\" y=\""
            << num(std::min(y(v), y(0))) << "\" height=\"" << num(std::fabs(y(v) - y(0))) << "\" fill=\"" << fill
            << "\"><title>" << esc(title) << "</title></rect>";
    }
    std::string finish(const std::string& extra = "") {
        for (size_t i = 0; i < years_.size(); ++i)
            svg << "<text x=\"" << num(x(i) + band_ / 2) << "\" y=\"" << num(h - 10)
                << "\" text-anchor=\"middle\" class=\"axis\">" << years_[i] << "</text>";
        svg << "<line x1=\"" << left << "\" x2=\"" << w - 10 << "\" y1=\"" << num(y(0)) << "\" y2=\"" << num(y(0))
            << "\" stroke=\"#333\"/>" << extra << "</svg>";
        return svg.str();
    }
    std::ostringstream svg;

private:
    static constexpr double w = 640, h = 260, left = 70, bottom = 30, top = 10;
    const std::vector<int>& years_;
    double lo_, hi_, band_;
};

} // namespace

/// Vertical bars of net receipts by year, with the P10-P90 band of each year.
std::string years_svg(const receipts::Estimate& e, std::vector<int>& outside) {
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
    YearChart chart(e.years, lo, hi, "Net receipts by year with the P10 to P90 range");
    for (size_t i = 0; i < n; ++i) {
        const double v = e.by_year[i].net;
        chart.bar(i, v, 0.6, "#4575b4", std::to_string(e.years[i]) + ": " + util::pounds(v));
        if (e.net_by_year.empty()) continue;
        const auto& r = e.net_by_year[i];
        // Beyond a pound's rounding either way.
        if (v < r.p10 - 0.5 || v > r.p90 + 0.5) outside.push_back(e.years[i]);
        chart.svg << "<rect class=\"band\" x=\"" << num(chart.x(i) + chart.band() * 0.35) << "\" width=\""
                  << num(chart.band() * 0.3) << "\" y=\"" << num(chart.y(r.p90)) << "\" height=\""
                  << num(std::max(1.0, chart.y(r.p10) - chart.y(r.p90)))
                  << "\" fill=\"#fdae61\" fill-opacity=\"0.55\" stroke=\"#e66101\"><title>" << e.years[i] << " P10 "
                  << esc(util::pounds(r.p10)) << ", P90 " << esc(util::pounds(r.p90)) << "</title></rect>";
    }
    return chart.finish();
}

std::string cash_flow_svg(const receipts::Estimate& e) {
    const size_t n = e.years.size();
    std::vector<double> in(n), out(n), cumulative(n);
    double running = 0, lo = 0, hi = 0;
    for (size_t i = 0; i < n; ++i) {
        const auto& y = e.by_year[i];
        in[i] = y.gross - y.sales_costs;
        out[i] = y.costs();
        running += y.net;
        cumulative[i] = running;
        lo = std::min({lo, -out[i], running});
        hi = std::max({hi, in[i], running});
    }
    YearChart chart(e.years, lo, hi, "Cash flow by year: receipts, costs and the cumulative net position");
    std::ostringstream line;
    for (size_t i = 0; i < n; ++i) {
        const std::string year = std::to_string(e.years[i]);
        chart.bar(i, in[i], 0.6, "#4575b4", year + " receipts net of sales costs " + util::pounds(in[i]));
        chart.bar(i, -out[i], 0.6, "#d73027", year + " costs " + util::pounds(out[i]));
        line << (i ? " L" : "M") << num(chart.x(i) + chart.band() / 2) << " " << num(chart.y(cumulative[i]));
    }
    return chart.finish("<path d=\"" + line.str() +
                        "\" fill=\"none\" stroke=\"#222\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/>");
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
        const std::string colour =
            status_colours && html::status_colour().count(key) ? html::status_colour().at(key) : "#4575b4";
        std::string name = key.size() > 38 ? key.substr(0, 36) + "…" : key;
        svg << "<text x=\"" << left - 6 << "\" y=\"" << num(yy + 15) << "\" text-anchor=\"end\" class=\"axis\">"
            << esc(name) << "</text><rect x=\"" << num(std::min(x(t.net), x(0))) << "\" y=\"" << num(yy + 3)
            << "\" width=\"" << num(std::fabs(x(t.net) - x(0))) << "\" height=\"" << row_h - 6 << "\" fill=\"" << colour
            << "\"/><text x=\"" << num(std::max(x(t.net), x(0)) + 4) << "\" y=\"" << num(yy + 15)
            << "\" class=\"axis\">" << esc(short_money(t.net)) << "</text>";
    }
    svg << "</svg>";
    if (rows.size() > shown) svg << "<p class=\"note\">" << rows.size() - shown << " more not shown.</p>";
    return svg.str();
}

} // namespace estate::report
