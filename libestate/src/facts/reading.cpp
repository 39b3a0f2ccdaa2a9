#include "estate/facts/facts.hpp"

#include "db/sqlite.hpp"
#include "estate/duplicates/duplicates.hpp"
#include "estate/util/format.hpp"
#include "site_figures.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <unordered_map>

namespace estate::facts {

// The names below are in the order of the enums.
const char* column_of(Field f) {
    static const char* const columns[] = {"gia_m2", "land_area_ha", "market_value", "running_cost"};
    return columns[static_cast<size_t>(f)];
}

const char* words_of(Field f) {
    static const char* const words[] = {"floor area", "land area", "market value", "running cost"};
    return words[static_cast<size_t>(f)];
}

const char* code_of(Source s) {
    static const char* const codes[] = {"none", "recorded",     "other_record", "confirmed",
                                        "site", "not_a_figure", "out_of_range", "site_elsewhere"};
    return codes[static_cast<size_t>(s)];
}

Range Plausibility::for_use(const std::map<std::string, Range>& ranges, const std::string& use) {
    auto it = ranges.find(use);
    if (it == ranges.end()) it = ranges.find("default");
    return it == ranges.end() ? Range{} : it->second;
}

std::int64_t Reading::set_aside() const {
    std::int64_t n = 0;
    for (const auto& [source, count] : counts)
        if (!used(source)) n += count;
    return n;
}

namespace {

constexpr double largest_figure = 1e12;

std::string figure_words(Field f, double v) {
    switch (f) {
    case Field::floor_area:
        return util::thousands(v) + " m²";
    case Field::land_area:
        return util::number_text(v) + " ha";
    case Field::market_value:
    case Field::running_cost:
        break;
    }
    return util::pounds(v);
}

std::string range_words(const Range& r, const char* unit) {
    auto end = [](double v) { return std::isnan(v) ? std::string() : util::thousands(v); };
    return end(r.min) + ".." + end(r.max) + unit;
}

} // namespace

std::string set_aside_words(const Building& b, const Plausibility& plausible) {
    std::string out;
    for (Field f : all_fields) {
        if (!b.set_aside(f)) continue;
        if (!out.empty()) out += "; ";
        if (b.source_of(f) == Source::not_a_figure) { // no figure to print
            out += std::string(words_of(f)) + " not used: it is over 10^12, negative or not a number";
            continue;
        }
        out += std::string(words_of(f)) + " " + figure_words(f, b.written[static_cast<size_t>(f)]) + " not used: ";
        switch (b.source_of(f)) {
        case Source::site_elsewhere:
            out += "the same figure is written on 3 or more buildings of its site, and is used once, on the site's "
                   "main record";
            break;
        default: {
            // The range it was checked against: floor area, else value per m², else per ha.
            const bool area = f == Field::floor_area, per_m2 = !area && b.figure(Field::floor_area);
            const auto& ranges = area     ? plausible.floor_area_m2
                                 : per_m2 ? plausible.value_per_m2
                                          : plausible.value_per_ha;
            out += std::string("outside the plausible range for its use (") +
                   range_words(Plausibility::for_use(ranges, b.use), area     ? " m²"
                                                                     : per_m2 ? " £ per m²"
                                                                              : " £ per ha") +
                   "); an officer can confirm it with `estate set`";
        }
        }
    }
    return out;
}

namespace {

const std::string columns = "SELECT id, owner_id, rag_status, rag_source, use, ifnull(tenure, ''), "
                            "ifnull(holding_type = 'land', 0), ifnull(occupancy, ''), condition, utilisation, "
                            "gia_m2, land_area_ha, market_value, running_cost, geom IS NOT NULL, ref, name "
                            "FROM properties";

/// One record as read, before it is folded into its building.
struct Record {
    Building b;
    std::string occupancy;
    std::int64_t last_tag = 0; ///< its latest history row (records of a group only); 0: never tagged
};

Record record_of(db::Statement& st) {
    Record r;
    Building& b = r.b;
    b.id = st.int64(0);
    b.owner_id = st.int64(1);
    b.status = model::rag_of(st.view(2)).value_or(model::Rag::unassessed);
    b.status_by_officer = model::status_set_by_person(
        st.view(2), st.is_null(3) ? std::nullopt : std::optional<std::string_view>(st.view(3)));
    b.use = st.view(4);
    b.tenure = st.view(5);
    b.land = st.int64(6) != 0;
    r.occupancy = st.view(7);
    b.condition = st.is_null(8) ? 0 : st.view(8).front();
    b.utilisation = st.is_null(9) ? std::nan("") : st.real(9);
    for (size_t f = 0; f < field_count; ++f)
        b.written[f] = st.is_null(10 + int(f)) ? std::nan("") : st.real(10 + int(f));
    b.located = st.int64(14) != 0;
    return r;
}

/// The one plausibility check of every figure.
class Checker {
public:
    Checker(db::Register& reg, const Plausibility& p, const std::unordered_map<std::int64_t, std::int64_t>& main_of,
            Reading& reading)
        : plausible_(p), main_of_(main_of), reading_(reading) {
        // Figures whose latest correction by an officer is the figure in the register.
        const auto& correctable = model::correctable_fields();
        for (Field f : all_fields) {
            const std::string col = column_of(f);
            if (std::find(correctable.begin(), correctable.end(), col) == correctable.end()) continue;
            auto st = reg.connection().prepare(
                "SELECT k.property_id, k.new_value, p." + col +
                " FROM property_corrections k JOIN properties p ON p.id = k.property_id WHERE k.field = ?1 AND k.id IN "
                "(SELECT max(id) FROM property_corrections WHERE field = ?1 GROUP BY property_id)");
            st.bind(1, col);
            while (st.step())
                if (!st.is_null(2) && std::strtod(st.text(1).c_str(), nullptr) == st.real(2))
                    confirmed_.insert({st.int64(0), f});
        }
        sites_ = detail::find_site_figures(reg, main_of);
    }

    /// Sets every figure's source on @p b (a record as read).
    void check(Building& b) {
        for (Field f : all_fields) {
            const size_t i = static_cast<size_t>(f);
            b.source[i] = check_one(b, f);
            if (b.source[i] != Source::recorded && b.source[i] != Source::none) ++reading_.counts[b.source[i]];
        }
    }

private:
    Source check_one(const Building& b, Field f) const {
        const size_t i = static_cast<size_t>(f);
        const double v = b.written[i];
        if (std::isnan(v)) return Source::none; // NULL (SQLite stores no NaN)
        if (confirmed_.count({b.id, f})) return Source::confirmed;
        if (!std::isfinite(v) || v < 0 || v > largest_figure) return Source::not_a_figure;
        Source source = Source::recorded;
        if (i < sites_.size()) {
            const auto& roles = sites_[i];
            auto main = main_of_.find(b.id);
            auto it = roles.find(main == main_of_.end() ? b.id : main->second);
            if (it != roles.end()) {
                if (!it->second) return Source::site_elsewhere;
                source = Source::site;
            }
        }
        return in_range(b, f, v) ? source : Source::out_of_range;
    }

    bool in_range(const Building& b, Field f, double v) const {
        switch (f) {
        case Field::floor_area:
            return Plausibility::for_use(plausible_.floor_area_m2, b.use).holds(v);
        case Field::market_value: {
            // Against the record's own floor area, else (land) its land area, where checked.
            const double area = b.written[static_cast<size_t>(Field::floor_area)];
            if (area > 0 && used(check_one(b, Field::floor_area)))
                return Plausibility::for_use(plausible_.value_per_m2, b.use).holds(v / area);
            const double ha = b.written[static_cast<size_t>(Field::land_area)];
            if (ha > 0 && used(check_one(b, Field::land_area)))
                return Plausibility::for_use(plausible_.value_per_ha, b.use).holds(v / ha);
            return true;
        }
        case Field::land_area:
        case Field::running_cost:
            break;
        }
        return true;
    }

    const Plausibility& plausible_;
    const std::unordered_map<std::int64_t, std::int64_t>& main_of_;
    Reading& reading_;
    std::set<std::pair<std::int64_t, Field>> confirmed_;
    std::array<detail::SiteRoles, 3> sites_; ///< floor area, land area, market value
};

/// Fills @p main's gaps from @p other, a record of the same building.
void fold(Record& main, const Record& other) {
    Building& m = main.b;
    const Building& o = other.b;
    m.other_records.push_back(o.id);
    // One building, one status: its latest tag, on whichever record it was given (an
    // officer tags their own agency's records of a building that spans owners).
    if (other.last_tag > main.last_tag) {
        m.status = o.status;
        m.status_by_officer = o.status_by_officer;
        main.last_tag = other.last_tag;
    }
    if (m.tenure.empty()) m.tenure = o.tenure;
    if ((m.use == "unknown" || m.use == "other") && o.use != "unknown") m.use = o.use;
    if (main.occupancy.empty()) main.occupancy = other.occupancy;
    for (size_t f = 0; f < field_count; ++f) {
        if (used(m.source[f]) || !used(o.source[f])) continue;
        m.written[f] = o.written[f];
        m.source[f] = Source::other_record;
    }
}

} // namespace

Reading read_buildings(db::Register& reg, const ReadOptions& options, const std::function<void(Building&&)>& visit) {
    Reading reading;
    auto& c = reg.connection();
    // A building counted once: its main record and the others, read first (few).
    std::unordered_map<std::int64_t, std::int64_t> main_of;
    std::unordered_map<std::int64_t, std::vector<std::int64_t>> others_of;
    for (auto& [main_id, others] : duplicates::counted_once(reg)) {
        for (std::int64_t o : others) main_of[o] = main_id;
        others_of[main_id] = std::move(others);
    }
    Checker checker(reg, options.plausible, main_of, reading);
    // The order of tags within a group: the history's (two tags can share a second).
    auto last_tag_st = c.prepare("SELECT ifnull(max(id), 0) FROM rag_history WHERE property_id = ?");
    auto last_tag = [&last_tag_st](std::int64_t id) {
        last_tag_st.bind(1, id);
        last_tag_st.step();
        const std::int64_t v = last_tag_st.int64(0);
        last_tag_st.reset();
        return v;
    };
    std::unordered_map<std::int64_t, Record> other_records;
    {
        auto st = c.prepare(columns + " WHERE id = ? AND retired_at IS NULL");
        for (const auto& [id, main_id] : main_of) {
            st.bind(1, id);
            if (st.step()) {
                Record r = record_of(st);
                r.last_tag = last_tag(id);
                checker.check(r.b);
                other_records.emplace(id, std::move(r));
            }
            st.reset();
        }
    }
    auto st = c.prepare(columns + " WHERE retired_at IS NULL ORDER BY id");
    while (st.step()) {
        const std::int64_t id = st.int64(0);
        if (main_of.count(id)) continue; // counted under its building's main record
        Record r = record_of(st);
        checker.check(r.b);
        if (auto it = others_of.find(id); it != others_of.end()) {
            r.last_tag = last_tag(id);
            for (std::int64_t o : it->second)
                if (auto rec = other_records.find(o); rec != other_records.end()) fold(r, rec->second);
        }
        Building& b = r.b;
        b.vacant = r.occupancy == "vacant";
        ++reading.buildings;
        if (auto area = b.figure(Field::floor_area)) reading.floor_areas_by_use[b.use].push_back(*area);
        if (options.wanted && !options.wanted(b)) continue;
        if (options.names) { // only for those visited: a million names cost
            b.ref = st.text(15);
            b.name = st.is_null(16) ? b.ref : st.text(16);
        }
        visit(std::move(b));
    }
    return reading;
}

std::vector<Building> read_all(db::Register& reg, const ReadOptions& options, Reading* reading) {
    std::vector<Building> out;
    Reading r = read_buildings(reg, options, [&out](Building&& b) { out.push_back(std::move(b)); });
    if (reading) *reading = std::move(r);
    return out;
}

} // namespace estate::facts
