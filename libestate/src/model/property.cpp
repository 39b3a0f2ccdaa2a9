#include "estate/model/property.hpp"

#include "estate/error.hpp"
#include "estate/model/normalise.hpp"

namespace estate::model {

bool Vocabulary::contains(std::string_view code) const {
    for (const auto& [c, l] : entries)
        if (c == code) return true;
    return false;
}

std::string_view Vocabulary::label(std::string_view code) const {
    for (const auto& [c, l] : entries)
        if (c == code) return l;
    return code;
}

std::string Vocabulary::codes_joined(std::string_view separator) const {
    std::string out;
    for (const auto& [c, l] : entries) {
        if (!out.empty()) out += separator;
        out += c;
    }
    return out;
}

const Vocabulary& sectors() {
    static const Vocabulary v{"sector",
                              {{"local_government", "Local government"},
                               {"police", "Police"},
                               {"fire_and_rescue", "Fire and rescue"},
                               {"health", "Health"},
                               {"central_government", "Central government"},
                               {"education", "Education"},
                               {"other", "Other"}}};
    return v;
}

const Vocabulary& holding_types() {
    static const Vocabulary v{
        "holding_type", {{"land", "Land"}, {"buildings", "Buildings"}, {"land_and_buildings", "Land and buildings"}}};
    return v;
}

const Vocabulary& tenures() {
    static const Vocabulary v{"tenure",
                              {{"freehold", "Freehold"},
                               {"leasehold_in", "Leasehold in"},
                               {"leasehold_out", "Leasehold out"},
                               {"licence", "Licence"},
                               {"other", "Other"}}};
    return v;
}

const Vocabulary& uses() {
    static const Vocabulary v{"use",
                              {{"office", "Office"},
                               {"depot", "Depot"},
                               {"library", "Library"},
                               {"school", "School"},
                               {"clinic", "Clinic / health centre"},
                               {"hospital", "Hospital"},
                               {"police_station", "Police station"},
                               {"fire_station", "Fire station"},
                               {"crematorium_cemetery", "Crematorium / cemetery"},
                               {"car_park", "Car park"},
                               {"community_centre", "Community centre"},
                               {"leisure", "Leisure / sport"},
                               {"residential_care", "Residential care"},
                               {"housing", "Housing"},
                               {"retail", "Retail / market"},
                               {"industrial", "Industrial / workshop"},
                               {"allotments", "Allotments"},
                               {"open_space", "Park / open space"},
                               {"land", "Land"},
                               {"other", "Other"},
                               // Nothing says: no use column, and a name that names no use (or
                               // describes land, a former use or a part of something).
                               {"unknown", "Not known"}}};
    return v;
}

const Vocabulary& location_qualities() {
    static const Vocabulary v{
        "location_quality",
        {{"source", "Source coordinates"}, {"postcode", "Postcode centroid"}, {"unlocated", "Unlocated"}}};
    return v;
}

const Vocabulary& occupancies() {
    static const Vocabulary v{"occupancy",
                              {{"occupied", "Occupied"}, {"vacant", "Vacant"}, {"part_occupied", "Part occupied"}}};
    return v;
}

const Vocabulary& conditions() {
    static const Vocabulary v{"condition",
                              {{"A", "A (good)"}, {"B", "B (satisfactory)"}, {"C", "C (poor)"}, {"D", "D (bad)"}}};
    return v;
}

const Vocabulary& rag_statuses() {
    static const Vocabulary v{"rag_status",
                              {{"red", "Red: disposal unlikely"},
                               {"amber", "Amber: disposal possible"},
                               {"green", "Green: an opportunity"},
                               {"unassessed", "Not yet assessed"}}};
    return v;
}

std::string_view code_of(Rag status) {
    return rag_statuses().entries[static_cast<size_t>(status)].first;
}

std::optional<Rag> rag_of(std::string_view code) {
    const auto& e = rag_statuses().entries;
    for (size_t i = 0; i < e.size(); ++i)
        if (e[i].first == code) return static_cast<Rag>(i);
    return std::nullopt;
}

Rag check_tag(std::string_view code, std::string_view reason) {
    auto status = rag_of(code);
    if (!status)
        throw usage_error("status",
                          "status '" + std::string(code) + "' is not one of: " + rag_statuses().codes_joined());
    if (*status != Rag::unassessed && trim(reason).empty())
        throw usage_error("reason", "a " + std::string(code) +
                                        " status needs a reason: why, in words another officer "
                                        "will understand");
    return *status;
}

const Vocabulary& use_sources() {
    static const Vocabulary v{"use_source",
                              {{"source", "A column of the source file"},
                               {"name", "Guessed from the name"},
                               {"officer", "Set by an officer"}}};
    return v;
}

const Vocabulary& location_transforms() {
    static const Vocabulary v{"location_transform",
                              {{"OSTN15", "OSTN15 (to the millimetre)"},
                               {"Helmert", "Helmert (outside OSTN15's grid, about 5 m)"},
                               {"PROJ", "PROJ (another coordinate reference system)"}}};
    return v;
}

const std::vector<std::string>& correctable_fields() {
    static const std::vector<std::string> fields = {"use", "gia_m2", "market_value", "running_cost"};
    return fields;
}

const std::vector<FactColumn>& fact_columns() {
    using F = PropertyFacts;
    static const std::vector<FactColumn> columns = {
        {"uprn", "uprn", "Unique Property Reference Number (its digits, without leading zeros)", &F::uprn},
        {"name", "name", "property name", &F::name},
        {"address", "address", "address", &F::address},
        {"postcode", "postcode", "postcode", &F::postcode},
        {"holding_type", "hold_type", "land, buildings or land_and_buildings", &F::holding_type, &holding_types()},
        {"holding_type_detail", "hold_det", "holding type as the source said it", &F::holding_type_detail},
        {"tenure", "tenure", "freehold, leasehold_in, leasehold_out, licence or other", &F::tenure, &tenures()},
        {"tenure_detail", "tenure_det", "tenure as the source said it", &F::tenure_detail},
        {"use", "use", "office, library, school, ... (docs/register.md)", &F::use, &uses()},
        {"use_detail", "use_detail", "use as the source said it", &F::use_detail},
        {"use_source", "use_source",
         "where the use came from: source (a column of the file), name (guessed from the name), officer; empty "
         "when unknown",
         &F::use_source, &use_sources()},
        {"gia_m2", "gia_m2", "gross internal area, square metres", &F::gia_m2, nullptr, 0.0},
        {"land_area_ha", "land_ha", "land area, hectares", &F::land_area_ha, nullptr, 0.0},
        {"market_value", "mkt_value", "market value, pounds", &F::market_value, nullptr, 0.0},
        {"running_cost", "run_cost", "annual running cost, pounds", &F::running_cost, nullptr, 0.0},
        {"occupancy", "occupancy", "occupied, part_occupied or vacant", &F::occupancy, &occupancies()},
        {"utilisation", "utilisatn", "share of the space in use, 0 to 1", &F::utilisation, nullptr, 0.0, 1.0},
        {"condition", "condition", "condition A (good) to D (bad)", &F::condition, &conditions()},
        {"energy_rating", "energy", "energy rating", &F::energy_rating},
        {"effective_date", "eff_date", "date the source's figures apply from (ISO)", &F::effective_date},
        {"location_quality", "loc_qual", "source coordinates, postcode centroid or unlocated", &F::location_quality,
         &location_qualities()},
        {"location_transform", "loc_trans",
         "how the coordinates reached the grid: OSTN15, Helmert (about 5 m), PROJ; empty when none was needed",
         &F::location_transform, &location_transforms()},
        {"footprint_repaired", "fp_repair", "the footprint was mended on import", &F::footprint_repaired, nullptr,
         std::nullopt, std::nullopt, false},
    };
    return columns;
}

void check_facts(const Property& p) {
    auto fail = [&p](const char* column, std::string_view value) {
        check_invariant(false, p.owner + " " + p.ref + " would store " + column + " '" + std::string(value) +
                                   "', which the register does not allow");
    };
    if (p.uprn &&
        (p.uprn->empty() || p.uprn->size() > 12 || p.uprn->find_first_not_of("0123456789") != std::string::npos))
        fail("uprn", *p.uprn);
    for (const auto& c : fact_columns()) {
        if (auto text = std::get_if<FactColumn::Text>(&c.member)) {
            const auto& v = p.*(*text);
            if (c.codes && v && !c.codes->contains(*v)) fail(c.name, *v);
        } else if (auto code = std::get_if<FactColumn::Code>(&c.member)) {
            if (c.codes && !c.codes->contains(p.*(*code))) fail(c.name, p.*(*code));
        } else if (auto number = std::get_if<FactColumn::Number>(&c.member)) {
            const auto& v = p.*(*number);
            // NaN fails both: !(v >= min).
            if (v && ((c.min && !(*v >= *c.min)) || (c.max && !(*v <= *c.max)))) fail(c.name, std::to_string(*v));
        }
    }
}

bool status_set_by_person(std::string_view status, std::optional<std::string_view> source) {
    return status != code_of(Rag::unassessed) && source.value_or("person") != "rule";
}

std::string status_set_by_person_sql(const std::string& table) {
    const std::string t = table.empty() ? "" : table + ".";
    return "(" + t + "rag_status <> 'unassessed' AND ifnull(" + t + "rag_source, 'person') <> 'rule')";
}

} // namespace estate::model
