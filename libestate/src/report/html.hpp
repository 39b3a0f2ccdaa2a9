#pragma once
// What every part of the board paper writes with: escaping, numbers and money as a
// board reads them, chart ticks, and the colours of estate's QGIS styles.

#include <map>
#include <string>
#include <vector>

namespace estate::report::html {

/// Text made safe inside HTML and SVG (elements and attribute values).
std::string esc(const std::string& s);
/// A number with @p decimals after the point (SVG coordinates).
std::string num(double v, int decimals = 1);
/// Money as a board reads it: three significant figures, in thousands, millions or
/// billions ("£2.51m", "-£412k", "£950"); the exact figures are in the tables.
std::string short_money(double v);
/// The same with trailing zeros dropped ("£2m", "£2.5m"): for a chart's axis ticks.
std::string short_money_tick(double v);
/// Axis ticks a reader takes in at a glance: steps of 1, 2, 2.5 or 5 x 10^n, about
/// @p target of them across [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int target = 4);
/// The fill of each RAG status in estate's QGIS styles.
const std::map<std::string, std::string>& status_colour();
/// The ring of a hub by its host's fit (fits, too_small, unknown), as in styles/hubs.qml.
std::string hub_colour(const std::string& fit);

/// Label boxes placed so that none overlaps another (map numbers and place names).
class Placer {
public:
    struct Box {
        double x0, y0, x1, y1;
        bool overlaps(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
    };
    /// Takes the first of @p choices that overlaps nothing placed and lies within
    /// [0, width] x [0, height]; false when none does.
    bool place(const std::vector<Box>& choices, Box& chosen);
    double width = 1e9, height = 1e9;

private:
    std::vector<Box> placed_;
};

} // namespace estate::report::html
