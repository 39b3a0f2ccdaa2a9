#include "estate/synth/county.hpp"

#include "estate/error.hpp"
#include "estate/util/format.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace estate::synth {
namespace {

// Our own generator and distributions: <random>'s distributions differ between
// standard libraries, and the same seed must give the same file everywhere.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    double uniform() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    int below(int n) { return static_cast<int>(uniform() * n); }
    double normal() { // Box-Muller
        double u1 = uniform(), u2 = uniform();
        if (u1 < 1e-300) u1 = 1e-300;
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }
    template <class T>
    const T& pick(const std::vector<std::pair<T, double>>& weighted) {
        double total = 0;
        for (const auto& w : weighted) total += w.second;
        double r = uniform() * total;
        for (const auto& w : weighted) {
            if (r < w.second) return w.first;
            r -= w.second;
        }
        return weighted.back().first;
    }

private:
    std::uint64_t state_;
};

struct Town {
    const char* name;
    double e, n;   // town centre, EPSG:27700
    double weight; // share of the county's properties
    double spread; // metres (standard deviation around the centre)
    int district;  // index into districts
    const char* postcode_area;
};

// Town centres of Worcestershire (British National Grid, rounded to 100 m).
const std::vector<Town> towns = {
    {"Worcester", 385000, 254800, 0.20, 900, 1, "WR1"},      {"Redditch", 404100, 267600, 0.12, 800, 5, "B97"},
    {"Kidderminster", 383000, 276700, 0.12, 800, 6, "DY10"}, {"Bromsgrove", 395800, 270800, 0.09, 700, 4, "B61"},
    {"Malvern", 377600, 245700, 0.08, 800, 3, "WR14"},       {"Evesham", 403800, 243700, 0.07, 600, 2, "WR11"},
    {"Droitwich", 389900, 263400, 0.07, 600, 2, "WR9"},      {"Stourport", 381200, 271200, 0.05, 500, 6, "DY13"},
    {"Pershore", 394800, 245800, 0.035, 400, 2, "WR10"},     {"Bewdley", 378700, 275400, 0.03, 400, 6, "DY12"},
    {"Tenbury", 359500, 268400, 0.02, 350, 3, "WR15"},       {"Upton upon Severn", 385200, 240600, 0.02, 350, 3, "WR8"},
};
constexpr double rural_share = 0.12;
// The county's extent, for rural scatter and for tiling copies.
constexpr double county_w = 355000, county_s = 234000, county_width = 70000, county_height = 65000;

const char* districts[] = {"Worcestershire County Council",  "Worcester City Council",      "Wychavon District Council",
                           "Malvern Hills District Council", "Bromsgrove District Council", "Redditch Borough Council",
                           "Wyre Forest District Council"};

struct Owner {
    const char* name; // nullptr: the town's district council
    const char* sector;
    double weight;
    std::vector<std::pair<const char*, double>> uses;
};

const std::vector<Owner> owners = {
    {"Worcestershire County Council",
     "local_government",
     0.22,
     {{"school", 5},
      {"library", 2},
      {"office", 2},
      {"depot", 1},
      {"residential_care", 1},
      {"land", 2},
      {"community_centre", 1}}},
    {nullptr,
     "local_government",
     0.30,
     {{"office", 2},
      {"car_park", 3},
      {"leisure", 1},
      {"community_centre", 2},
      {"depot", 1},
      {"crematorium_cemetery", 0.3},
      {"land", 3},
      {"retail", 1},
      {"allotments", 0.5},
      {"housing", 1}}},
    {"West Mercia Police", "police", 0.06, {{"police_station", 4}, {"office", 1}, {"land", 0.5}}},
    {"Hereford & Worcester Fire and Rescue Service", "fire_and_rescue", 0.04, {{"fire_station", 5}, {"office", 0.5}}},
    {"Worcestershire Acute Hospitals NHS Trust",
     "health",
     0.05,
     {{"hospital", 2}, {"clinic", 2}, {"office", 1}, {"car_park", 1}}},
    {"Herefordshire and Worcestershire Health and Care NHS Trust",
     "health",
     0.07,
     {{"clinic", 4}, {"office", 1}, {"residential_care", 1}}},
    {"Department for Work and Pensions", "central_government", 0.03, {{"office", 1}}},
    {"HM Courts & Tribunals Service", "central_government", 0.02, {{"office", 1}}},
    {"Heart of Worcestershire College", "education", 0.03, {{"school", 3}, {"land", 1}}},
    {"Worcestershire Multi Academy Trust", "education", 0.10, {{"school", 4}, {"land", 1}}},
};

const char* use_label(const std::string& use) {
    static const std::vector<std::pair<std::string, const char*>> labels = {{"school", "School"},
                                                                            {"library", "Library"},
                                                                            {"office", "Offices"},
                                                                            {"depot", "Depot"},
                                                                            {"residential_care", "Care Home"},
                                                                            {"land", "Land"},
                                                                            {"community_centre", "Community Centre"},
                                                                            {"car_park", "Car Park"},
                                                                            {"leisure", "Leisure Centre"},
                                                                            {"crematorium_cemetery", "Cemetery"},
                                                                            {"retail", "Market Hall"},
                                                                            {"allotments", "Allotments"},
                                                                            {"housing", "Housing"},
                                                                            {"police_station", "Police Station"},
                                                                            {"fire_station", "Fire Station"},
                                                                            {"hospital", "Hospital"},
                                                                            {"clinic", "Health Centre"}};
    for (const auto& [u, l] : labels)
        if (u == use) return l;
    return "Property";
}

// Typical gross internal area (m2) and value per m2 by use.
struct UseFacts {
    double gia_median, value_per_m2, cost_per_m2;
};
UseFacts facts(const std::string& use) {
    if (use == "school") return {2500, 1400, 45};
    if (use == "hospital") return {9000, 2200, 120};
    if (use == "clinic") return {900, 1800, 70};
    if (use == "office") return {1200, 1600, 55};
    if (use == "library") return {600, 1300, 50};
    if (use == "depot") return {1500, 700, 30};
    if (use == "police_station") return {1400, 1500, 60};
    if (use == "fire_station") return {900, 1200, 50};
    if (use == "leisure") return {3000, 1100, 80};
    if (use == "community_centre") return {400, 1000, 40};
    if (use == "residential_care") return {1800, 1300, 65};
    if (use == "retail") return {800, 1500, 40};
    if (use == "housing") return {300, 2000, 20};
    if (use == "crematorium_cemetery") return {300, 500, 30};
    return {0, 0, 0}; // land, car parks, allotments: no building
}

std::string money(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
}

// A rotated rectangle of the given area around (e, n), as WKT.
std::string footprint(Rng& rng, double e, double n, double area) {
    double ratio = rng.uniform(1.0, 2.5);
    double w = std::sqrt(area / ratio), h = w * ratio;
    double a = rng.uniform(0, 3.141592653589793);
    double c = std::cos(a), s = std::sin(a);
    const double corners[5][2] = {{-w / 2, -h / 2}, {w / 2, -h / 2}, {w / 2, h / 2}, {-w / 2, h / 2}, {-w / 2, -h / 2}};
    std::string wkt = "POLYGON((";
    for (int i = 0; i < 5; ++i) {
        if (i) wkt += ",";
        wkt += util::fixed(e + corners[i][0] * c - corners[i][1] * s, 2) + " " +
               util::fixed(n + corners[i][0] * s + corners[i][1] * c, 2);
    }
    return wkt + "))";
}

std::string csv(const std::string& s) {
    if (s.find_first_of(",\"") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += (c == '"') ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

} // namespace

// Where copy `tile` of the county goes, as an offset from the real county. Copy 0
// is Worcestershire itself; the 200 copies fill a 10 x 20 grid around it, spaced a
// little closer than the county's 70 x 65 km so that every copy stays inside the
// National Grid (0-700 km east, 0-1300 km north): 5 columns west of home and 4
// east, 3 rows south and 16 north.
std::pair<double, double> tile_offset(std::int64_t tile) {
    constexpr double column_step = 68750, row_step = 62500;
    std::int64_t c = tile % 10, r = tile / 10;
    std::int64_t column = c < 5 ? c : 4 - c; // 0..4, then -1..-5
    std::int64_t row = r < 17 ? r : 16 - r;  // 0..16, then -1..-3
    return {double(column) * column_step, double(row) * row_step};
}

std::int64_t write_county_csv(std::ostream& out, const CountyOptions& o) {
    if (o.properties < 0) throw usage_error("properties", "the number of properties cannot be negative");
    if (o.per_county < 1) throw usage_error("per-county", "properties per county must be at least 1");
    std::int64_t tiles = (o.properties + o.per_county - 1) / o.per_county;
    if (tiles > 200)
        throw usage_error("per-county", "at most 200 county copies fit the National Grid: raise the properties "
                                        "per county to at least " +
                                            std::to_string((o.properties + 199) / 200));
    Rng rng(o.seed);
    std::vector<std::pair<int, double>> town_weights;
    for (size_t i = 0; i < towns.size(); ++i) town_weights.emplace_back(static_cast<int>(i), towns[i].weight);
    town_weights.emplace_back(-1, rural_share);
    std::vector<std::pair<int, double>> owner_weights;
    for (size_t i = 0; i < owners.size(); ++i) owner_weights.emplace_back(static_cast<int>(i), owners[i].weight);
    const std::vector<std::pair<std::string, double>> tenure_weights = {
        {"Freehold", 0.78}, {"Leasehold in", 0.12}, {"Leasehold out", 0.06}, {"Licence", 0.04}};
    const std::vector<std::pair<std::string, double>> occupancy_weights = {
        {"Occupied", 0.80}, {"Vacant", 0.12}, {"Part occupied", 0.08}};
    const std::vector<std::pair<std::string, double>> condition_weights = {
        {"A", 0.2}, {"B", 0.45}, {"C", 0.27}, {"D", 0.08}};

    out << "owner,sector,ref,uprn,name,address,postcode,holding_type,tenure,use,gia_m2,"
           "land_area_ha,market_value,running_cost,occupancy,utilisation,condition,easting,"
           "northing,footprint_wkt\n";
    for (std::int64_t i = 0; i < o.properties; ++i) {
        auto [off_e, off_n] = tile_offset(i / o.per_county);

        int t = rng.pick(town_weights);
        double e, n;
        const Town* town = nullptr;
        if (t < 0) {
            e = rng.uniform(county_w, county_w + county_width);
            n = rng.uniform(county_s, county_s + county_height);
        } else {
            town = &towns[static_cast<size_t>(t)];
            e = town->e + rng.normal() * town->spread;
            n = town->n + rng.normal() * town->spread;
        }
        const Owner& owner = owners[static_cast<size_t>(rng.pick(owner_weights))];
        std::string owner_name = owner.name ? owner.name : districts[town ? town->district : 1 + rng.below(6)];
        std::string use;
        {
            std::vector<std::pair<std::string, double>> uw;
            for (const auto& [u, w] : owner.uses) uw.emplace_back(u, w);
            use = rng.pick(uw);
        }
        UseFacts f = facts(use);
        bool building = f.gia_median > 0;
        double gia = building ? f.gia_median * std::exp(rng.normal() * 0.5) : 0;
        double land_ha = building ? gia / 10000.0 * rng.uniform(1.5, 4) : rng.uniform(0.05, 3);
        std::string tenure = rng.pick(tenure_weights);
        double value = building ? gia * f.value_per_m2 * std::exp(rng.normal() * 0.3)
                                : land_ha * (use == "car_park" ? 600000 : 250000) * std::exp(rng.normal() * 0.4);
        double cost = building ? gia * f.cost_per_m2 * std::exp(rng.normal() * 0.3) : land_ha * 2000;
        std::string place = town ? town->name : "Rural";
        std::string name = place + " " + use_label(use) + " " + std::to_string(i + 1);
        const char* area = town ? town->postcode_area : "WR6";
        char postcode[48];
        std::snprintf(postcode, sizeof postcode, "%s %d%c%c", area, 1 + rng.below(9),
                      "ABDEFGHJLNPQRSTUWXY"[rng.below(19)], "ABDEFGHJLNPQRSTUWXYZ"[rng.below(20)]);
        std::string uprn = rng.uniform() < 0.1
                               ? ""
                               : std::to_string(100000000000LL + static_cast<long long>(rng.next() % 899999999999ULL));
        char ref[32];
        std::snprintf(ref, sizeof ref, "SYN%07lld", static_cast<long long>(i + 1));
        std::string occupancy = building ? rng.pick(occupancy_weights) : "";
        std::string utilisation = building && rng.uniform() < 0.7 ? util::fixed(rng.uniform(0.3, 1.0), 2) : "";
        std::string condition = building ? rng.pick(condition_weights) : "";
        e += off_e;
        n += off_n;
        std::string fp = building ? footprint(rng, e, n, gia / (1 + rng.below(2))) : "";
        out << csv(owner_name) << ',' << owner.sector << ',' << ref << ',' << uprn << ',' << csv(name) << ','
            << csv(std::to_string(1 + rng.below(200)) + " High Street, " + place) << ',' << postcode << ','
            << (building ? "Land/Buildings" : "Land") << ',' << tenure << ',' << use << ','
            << (building ? util::fixed(gia, 1) : "") << ',' << util::fixed(land_ha, 3) << ',' << money(value) << ','
            << money(cost) << ',' << occupancy << ',' << utilisation << ',' << condition << ',' << util::fixed(e, 1)
            << ',' << util::fixed(n, 1) << ',' << (fp.empty() ? "" : "\"" + fp + "\"") << '\n';
    }
    return o.properties;
}

} // namespace estate::synth
