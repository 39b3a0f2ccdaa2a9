#include "report/html.hpp"

#include "estate/util/format.hpp"

#include "db/styles.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace estate::report::html {

std::string esc(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string num(double v, int decimals) {
    return util::fixed(v, decimals);
}

std::string short_money(double v) {
    if (!std::isfinite(v)) return "not known";
    const double a = std::fabs(v);
    const std::string sign = v < 0 ? "-" : "";
    // Three significant figures, as the paper promises: £4.40m, £3.00m, £850k.
    auto three = [](double x) { return num(x, x >= 100 ? 0 : x >= 10 ? 1 : 2); };
    if (a >= 1e9) return sign + "£" + three(a / 1e9) + "bn";
    if (a >= 1e6) return sign + "£" + three(a / 1e6) + "m";
    if (a >= 1e3) return sign + "£" + three(a / 1e3) + "k";
    return sign + "£" + num(a, 0);
}

std::string short_money_tick(double v) {
    std::string s = short_money(v);
    const size_t dot = s.find('.');
    if (dot == std::string::npos) return s;
    size_t end = dot + 1;
    while (end < s.size() && std::isdigit(static_cast<unsigned char>(s[end]))) ++end;
    size_t keep = end;
    while (keep > dot + 1 && s[keep - 1] == '0') --keep; // 2.50 -> 2.5, 3.00 -> 3
    if (keep == dot + 1) keep = dot;
    return s.substr(0, keep) + s.substr(end);
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
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

bool Placer::place(const std::vector<Box>& choices, Box& chosen) {
    for (const Box& b : choices) {
        if (b.x0 < 0 || b.y0 < 0 || b.x1 > width || b.y1 > height) continue;
        if (std::any_of(placed_.begin(), placed_.end(), [&](const Box& o) { return o.overlaps(b); })) continue;
        placed_.push_back(b);
        chosen = b;
        return true;
    }
    return false;
}

} // namespace estate::report::html
