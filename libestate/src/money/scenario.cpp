// Reading scenario files: every key known and checked, so that a typo is an error
// naming the file and line, never a silently ignored assumption.

#include "estate/money/scenario.hpp"
#include "estate/error.hpp"
#include "estate/io/ini.hpp"
#include "estate/model/normalise.hpp"
#include "estate/model/property.hpp"
#include "util/sha256.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

namespace estate::embedded {
// Generated from libestate/scenarios/*.ini.
extern const std::vector<std::pair<const char*, const char*>>& builtin_scenario_texts();
} // namespace estate::embedded

namespace estate::money {
namespace {

std::string sha256_of(const std::string& text) {
    util::Sha256 h;
    h.update(reinterpret_cast<const unsigned char*>(text.data()), text.size());
    return h.hex_digest();
}

class Reader {
public:
    explicit Reader(const io::IniFile& ini) : ini_(ini) {}

    [[noreturn]] void fail(const io::IniEntry& e, const std::string& what) const {
        throw config_error(ini_.origin + " line " + std::to_string(e.line) + ": " + e.key + " = " + e.value + ": " +
                           what);
    }

    double number(const io::IniEntry& e, double min, double max) const {
        const char* begin = e.value.c_str();
        char* end = nullptr;
        errno = 0;
        const double v = std::strtod(begin, &end);
        if (end == begin || *end != 0 || errno != 0 || !std::isfinite(v))
            fail(e, "not a number (write it like 0.035 or 1500)");
        if (v < min || v > max) {
            std::ostringstream range;
            range << "must lie between " << min << " and " << max;
            fail(e, range.str());
        }
        return v;
    }
    /// "min..max", "min..", "..max": a plausible range of non-negative figures.
    facts::Range range(const io::IniEntry& e) const {
        const auto dots = e.value.find("..");
        if (dots == std::string::npos) fail(e, "not a range (write it like 5..500, 5.. or ..500)");
        facts::Range out;
        auto end_of = [&](std::string text, double& field) {
            text = model::trim(text);
            if (text.empty()) return;
            io::IniEntry part = e;
            part.value = text;
            field = number(part, 0, 1e12);
        };
        end_of(e.value.substr(0, dots), out.min);
        end_of(e.value.substr(dots + 2), out.max);
        if (out.min > out.max) fail(e, "the range's lower end is above its upper end");
        return out;
    }
    int whole(const io::IniEntry& e, int min, int max) const {
        const double v = number(e, min, max);
        if (v != std::floor(v)) fail(e, "must be a whole number");
        return static_cast<int>(v);
    }

private:
    const io::IniFile& ini_;
};

Scenario parse(const std::string& text, const std::string& origin, Scenario s) {
    const io::IniFile ini = io::parse_ini(text, origin);
    Reader r(ini);
    bool named = false, versioned = false;
    s.origin = origin;
    s.sha256 = sha256_of(text);
    using Setter = std::function<void(const io::IniEntry&)>;
    auto fraction = [&](double& field) { return Setter([&](const io::IniEntry& e) { field = r.number(e, 0, 1); }); };
    auto money = [&](double& field) { return Setter([&](const io::IniEntry& e) { field = r.number(e, 0, 1e12); }); };
    auto years = [&](int& field) { return Setter([&](const io::IniEntry& e) { field = r.whole(e, 0, 100); }); };
    // A limit that may be absent: "none".
    auto limit = [&](std::optional<double>& field, double max) {
        return Setter([&field, &r, max](const io::IniEntry& e) {
            if (e.value == "none")
                field.reset();
            else
                field = r.number(e, 1, max);
        });
    };
    const std::map<std::string, std::map<std::string, Setter>> known = {
        {"scenario",
         {{"name",
           [&](const io::IniEntry& e) {
               s.name = e.value;
               named = true;
           }},
          {"description", [&](const io::IniEntry& e) { s.description = e.value; }},
          {"version",
           [&](const io::IniEntry& e) {
               s.version = r.whole(e, 1, 1000000);
               versioned = true;
           }},
          {"start_year", [&](const io::IniEntry& e) { s.start_year = r.whole(e, 1900, 2200); }},
          {"years", [&](const io::IniEntry& e) { s.years = r.whole(e, 1, 100); }},
          {"discount_rate", fraction(s.discount_rate)}}},
        {"disposal",
         {{"green", fraction(s.probability["green"])},
          {"amber", fraction(s.probability["amber"])},
          {"red", fraction(s.probability["red"])},
          {"unassessed", fraction(s.probability["unassessed"])},
          {"unassessed_hub_member", fraction(s.unassessed_hub_member)}}},
        {"value",
         {{"sellable_tenures",
           [&](const io::IniEntry& e) {
               s.sellable_tenures = model::split_trimmed(e.value, ',');
               for (const auto& t : s.sellable_tenures)
                   if (!model::tenures().contains(t))
                       r.fail(e, "unknown tenure '" + t + "'; the tenures are " + model::tenures().codes_joined());
           }},
          {"achieved_factor", [&](const io::IniEntry& e) { s.achieved_factor = r.number(e, 0, 10); }}}},
        {"costs",
         {{"sales_cost_rate", fraction(s.sales_cost_rate)},
          {"moving_cost_per_m2", money(s.moving_cost_per_m2)},
          {"fit_out_cost_per_m2", money(s.fit_out_cost_per_m2)},
          {"space_factor", [&](const io::IniEntry& e) { s.space_factor = r.number(e, 0, 10); }},
          {"programme_cost", money(s.programme_cost)},
          {"programme_cost_per_year", money(s.programme_cost_per_year)},
          {"programme_years", years(s.programme_years)},
          {"programme_cost_per_disposal", money(s.programme_cost_per_disposal)},
          {"double_running_months", [&](const io::IniEntry& e) { s.double_running_months = r.number(e, 0, 120); }}}},
        {"timing",
         {{"land", years(s.lead_land)},
          {"vacant_building", years(s.lead_vacant_building)},
          {"occupied_building", years(s.lead_occupied_building)},
          {"moving_before_sale", years(s.moving_before_sale)}}},
        {"market",
         {{"growth_mean", [&](const io::IniEntry& e) { s.growth_mean = r.number(e, -0.5, 0.5); }},
          {"growth_sd", [&](const io::IniEntry& e) { s.growth_sd = r.number(e, 0, 0.5); }},
          {"max_sales_value_per_year", limit(s.market_max_value_per_year, 1e15)},
          {"max_sales_per_year", limit(s.market_max_sales_per_year, 1e9)}}},
        {"uncertainty",
         {{"price_sd", [&](const io::IniEntry& e) { s.price_sd = r.number(e, 0, 2); }},
          {"estimated_price_sd", [&](const io::IniEntry& e) { s.estimated_price_sd = r.number(e, 0, 2); }},
          {"slip_probability", fraction(s.slip_probability)},
          {"cost_sd", [&](const io::IniEntry& e) { s.cost_sd = r.number(e, 0, 2); }}}},
        {"hubs",
         {{"default_utilisation", fraction(s.default_utilisation)},
          {"min_recorded_for_median",
           [&](const io::IniEntry& e) { s.min_recorded_for_median = r.whole(e, 1, 1000000); }},
          {"extension_cost_per_m2", money(s.extension_cost_per_m2)}}},
    };
    for (const auto& section : ini.sections) {
        if (section.name.empty() && section.entries.empty()) continue;
        // Sections keyed by use: a figure (or a source) per use, and a default.
        std::map<std::string, double>* rates = section.name == "building rates per m2"        ? &s.building_rate_per_m2
                                               : section.name == "land rates per ha"          ? &s.land_rate_per_ha
                                               : section.name == "typical floor area m2"      ? &s.typical_floor_area_m2
                                               : section.name == "running cost per m2 a year" ? &s.running_cost_per_m2
                                                                                              : nullptr;
        // Plausible ranges by use: "min..max", either end may be left open.
        std::map<std::string, facts::Range>* ranges =
            section.name == "plausible floor area m2"  ? &s.plausible.floor_area_m2
            : section.name == "plausible value per m2" ? &s.plausible.value_per_m2
            : section.name == "plausible value per ha" ? &s.plausible.value_per_ha
                                                       : nullptr;
        if (ranges) {
            for (const auto& e : section.entries) {
                if (e.key != "default" && !model::uses().contains(e.key))
                    r.fail(e, "unknown use; the uses are " + model::uses().codes_joined() + ", and default");
                (*ranges)[e.key] = r.range(e);
            }
            continue;
        }
        const bool sources = section.name == "benchmark sources";
        if (rates || sources) {
            for (const auto& e : section.entries) {
                if (e.key != "default" && !model::uses().contains(e.key) &&
                    !(sources && (e.key == "extension" || e.key == "plausible")))
                    r.fail(e, "unknown use; the uses are " + model::uses().codes_joined() + ", and default" +
                                  (sources ? " (and extension, plausible)" : ""));
                if (rates)
                    (*rates)[e.key] = r.number(e, 0, 1e9);
                else if (e.key == "plausible")
                    s.plausible.source = e.value;
                else
                    s.benchmark_source[e.key] = e.value;
            }
            continue;
        }
        auto keys = known.find(section.name);
        if (keys == known.end())
            throw config_error(origin + " line " + std::to_string(section.line) + ": unknown section [" + section.name +
                               "]; docs/receipts.md lists the sections");
        for (const auto& e : section.entries) {
            auto setter = keys->second.find(e.key);
            if (setter == keys->second.end())
                r.fail(e, "unknown key in [" + section.name + "]; docs/receipts.md lists the keys");
            setter->second(e);
        }
    }
    // A scenario is cited by name and version in every output: each file gives its own.
    if (!named || !versioned || s.name.empty())
        throw config_error(origin + ": [scenario] needs its own name and version (they are printed in every "
                                    "output, so that a board paper can cite them)");
    return s;
}

} // namespace

std::string default_scenario_text() {
    for (const auto& [name, text] : embedded::builtin_scenario_texts())
        if (std::string(name) == "default") return text;
    throw error("the built-in default scenario is missing from this build");
}

Scenario default_scenario() {
    return parse(default_scenario_text(), "built-in default", Scenario{});
}

Scenario parse_scenario(const std::string& text, const std::string& origin) {
    return parse(text, origin, default_scenario());
}

Scenario read_scenario(const std::string& path) {
    if (!std::filesystem::exists(path))
        throw file_error("cannot read the scenario file " + path +
                         ": no such file; `estate receipts "
                         "--print-scenario` prints the default one to start from");
    return parse_scenario(io::read_text_file(path, "scenario file"), path);
}

} // namespace estate::money
