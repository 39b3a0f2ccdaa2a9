#include "estate/money/model.hpp"

#include "estate/model/property.hpp"
#include "estate/util/format.hpp"
#include "estate/util/median.hpp"

#include <algorithm>
#include <cctype>

namespace estate::money {
namespace {

double by_use(const std::map<std::string, double>& figures, const std::string& use) {
    auto it = figures.find(use);
    if (it == figures.end()) it = figures.find("default");
    return it == figures.end() ? std::nan("") : it->second;
}

// "an office", "a clinic / health centre": the use's label in running text.
std::string a_use(const std::string& use) {
    std::string label(model::uses().label(use));
    for (auto& c : label) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool vowel = !label.empty() && std::string("aeiou").find(label.front()) != std::string::npos;
    return (vowel ? "an " : "a ") + label;
}

std::string area_words(double m2) {
    return util::thousands(m2) + " m²";
}

} // namespace

Benchmarks::Benchmarks(const Scenario& s, std::map<std::string, std::vector<double>> areas_by_use)
    : typical_area_(s.typical_floor_area_m2), cost_per_m2_(s.running_cost_per_m2), source_(s.benchmark_source),
      min_recorded_(static_cast<std::size_t>(std::max(1, s.min_recorded_for_median))),
      extension_cost_per_m2_(s.extension_cost_per_m2), citation_(s.citation()) {
    for (auto& [use, areas] : areas_by_use) {
        areas.erase(std::remove_if(areas.begin(), areas.end(), [](double v) { return std::isnan(v); }), areas.end());
        if (!areas.empty()) median_[use] = {util::median_of(areas), areas.size()};
    }
}

namespace {
std::map<std::string, std::vector<double>> grouped_by_use(const std::vector<std::string>& uses,
                                                          const std::vector<double>& areas) {
    std::map<std::string, std::vector<double>> out;
    for (size_t i = 0; i < uses.size() && i < areas.size(); ++i) out[uses[i]].push_back(areas[i]);
    return out;
}
} // namespace

Benchmarks::Benchmarks(const Scenario& s, const std::vector<std::string>& uses, const std::vector<double>& areas)
    : Benchmarks(s, grouped_by_use(uses, areas)) {}

const char* Figure::basis_code() const {
    switch (basis) {
    case Basis::recorded:
        return "recorded";
    case Basis::register_median:
        return "register_median";
    case Basis::typical:
        return "typical";
    case Basis::unknown:
        break;
    }
    return "unknown";
}

Figure Benchmarks::floor_area(const std::string& use, std::optional<double> recorded, bool words) const {
    Figure f;
    if (recorded) {
        f.value = *recorded;
        f.basis = Figure::Basis::recorded;
        return f;
    }
    if (auto it = median_.find(use); it != median_.end() && it->second.second >= min_recorded_) {
        f.value = it->second.first;
        f.basis = Figure::Basis::register_median;
        if (words)
            f.words = "assumed " + area_words(f.value) + ", the median floor area of the " +
                      std::to_string(it->second.second) + " buildings of its use (" +
                      std::string(model::uses().label(use)) + ") that record one in the register";
        return f;
    }
    const double typical = by_use(typical_area_, use);
    if (std::isnan(typical)) return f;
    f.value = typical;
    f.basis = Figure::Basis::typical;
    if (words) f.words = "assumed " + area_words(typical) + ", typical for " + a_use(use) + " (" + citation_ + ")";
    return f;
}

Figure Benchmarks::running_cost(const std::string& use, std::optional<double> recorded, const Figure& area,
                                bool words) const {
    Figure f;
    if (recorded) {
        f.value = *recorded;
        f.basis = Figure::Basis::recorded;
        return f;
    }
    const double per_m2 = by_use(cost_per_m2_, use);
    if (!area.known() || std::isnan(per_m2)) return f;
    f.value = area.value * per_m2;
    f.basis = Figure::Basis::typical;
    if (words)
        f.words = "assumed " + util::pounds(f.value) + " a year: " + (area.assumed() ? "the assumed " : "its ") +
                  area_words(area.value) + " at " + util::pounds(per_m2) + " per m², typical for " + a_use(use) + " (" +
                  citation_ + ")";
    return f;
}

std::string Benchmarks::extension_source() const {
    auto it = source_.find("extension");
    return util::pounds(extension_cost_per_m2_) + " per m² (" + citation_ +
           (it == source_.end() ? "" : "; " + it->second) + ")";
}

double discount_factor(const Scenario& s, int index) {
    return 1.0 / std::pow(1.0 + s.discount_rate, index);
}

} // namespace estate::money
