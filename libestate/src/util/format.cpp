#include "estate/util/format.hpp"

#include <cmath>
#include <cstdio>

namespace estate::util {

std::string fixed(double v, int decimals) {
    if (!std::isfinite(v)) return "";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string recorded_text(const RecordedSum& sum, std::int64_t of) {
    if (sum.recorded == 0) return "not recorded";
    if (sum.recorded < of)
        return thousands(sum.total) + " (" + std::to_string(sum.recorded) + " of " + std::to_string(of) + " record it)";
    return thousands(sum.total);
}

std::string thousands(double v) {
    if (!std::isfinite(v)) return "not known"; // never "nan" or "inf" in front of a reader
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    std::string s = buf;
    if (s == "-0") s = "0";
    const size_t digits_start = s[0] == '-' ? 1 : 0;
    for (int i = static_cast<int>(s.size()) - 3; i > static_cast<int>(digits_start); i -= 3)
        s.insert(static_cast<size_t>(i), ",");
    return s;
}

std::string pounds(double v) {
    if (!std::isfinite(v)) return "not known";
    std::string s = thousands(v);
    return s[0] == '-' ? "-£" + s.substr(1) : "£" + s;
}

std::string percent(double fraction) {
    if (!std::isfinite(fraction)) return "not known";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.1f", fraction * 100);
    std::string s = buf;
    if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
    if (s == "-0") s = "0";
    return s + "%";
}

std::string number_text(double v) {
    if (!std::isfinite(v)) return {};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.15g", v);
    return buf;
}

} // namespace estate::util
