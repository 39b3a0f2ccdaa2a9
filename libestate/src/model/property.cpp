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
    static const Vocabulary v{"holding_type",
                              {{"land", "Land"},
                               {"buildings", "Buildings"},
                               {"land_and_buildings", "Land and buildings"}}};
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
    static const Vocabulary v{"location_quality",
                              {{"source", "Source coordinates"},
                               {"postcode", "Postcode centroid"},
                               {"unlocated", "Unlocated"}}};
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
        throw usage_error("status", "status '" + std::string(code) + "' is not one of: " + rag_statuses().codes_joined());
    if (*status != Rag::unassessed && trim(reason).empty())
        throw usage_error("reason", "a " + std::string(code) + " status needs a reason: why, in words another officer "
                                    "will understand");
    return *status;
}

} // namespace estate::model
