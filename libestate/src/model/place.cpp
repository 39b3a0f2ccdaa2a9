#include "estate/model/place.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace estate::model {
namespace {

std::string trimmed(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool has_digit(const std::string& s) {
    return std::any_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

std::vector<std::string> address_parts(const std::string& address) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= address.size()) {
        const size_t comma = address.find(',', start);
        const std::string part =
            trimmed(address.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (!part.empty()) parts.push_back(part);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return parts;
}

// A street, not a place: "Chester Road", "High Street".
bool is_street(const std::string& part) {
    static const std::vector<std::string> words = {" road",  " street", " lane",    " avenue",  " drive",    " way",
                                                   " close", " square", " place",   " terrace", " crescent", " grove",
                                                   " walk",  " parade", " gardens", " hill",    " row",      " court",
                                                   " mall",  " house",  " centre",  " precinct"};
    const std::string l = lower(part);
    return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
        return l.size() >= w.size() && l.compare(l.size() - w.size(), w.size(), w) == 0;
    });
}

// Whether @p word appears in @p text as whole words (any case).
bool names(const std::string& text, const std::string& word) {
    if (word.empty()) return false;
    const std::string t = lower(text), w = lower(word);
    for (size_t at = t.find(w); at != std::string::npos; at = t.find(w, at + 1)) {
        const bool starts = at == 0 || !std::isalnum(static_cast<unsigned char>(t[at - 1]));
        const size_t end = at + w.size();
        const bool ends = end == t.size() || !std::isalnum(static_cast<unsigned char>(t[end]));
        if (starts && ends) return true;
    }
    return false;
}

} // namespace

Place place_of(const std::string& address, const std::string& postcode) {
    Place p;
    for (const auto& part : address_parts(address))
        if (!has_digit(part) && !is_street(part)) p.town = part;
    const std::string pc = trimmed(postcode);
    if (!pc.empty()) {
        const auto space = pc.find(' ');
        std::string outward = space != std::string::npos ? pc.substr(0, space)
                              : pc.size() > 3            ? pc.substr(0, pc.size() - 3)
                                                         : pc;
        for (auto& c : outward) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        p.district = outward;
    }
    return p;
}

std::string name_with_place(const std::string& name, const std::string& address, const Place& place) {
    if (place.empty() || names(name, place.district)) return name;
    for (const auto& part : address_parts(address))
        if (!has_digit(part) && names(name, part)) return name;
    if (names(name, place.town)) return name;
    std::string out = name;
    if (!place.town.empty()) out += ", " + place.town;
    if (!place.district.empty()) out += " (" + place.district + ")";
    return out;
}

std::vector<std::string> distinguish(std::vector<std::string> labels, const std::vector<std::string>& addresses,
                                     const std::vector<std::string>& refs) {
    std::map<std::string, int> seen;
    for (const auto& l : labels) ++seen[l];
    for (size_t i = 0; i < labels.size(); ++i) {
        if (seen[labels[i]] < 2) continue;
        const std::string& address = i < addresses.size() ? addresses[i] : std::string();
        const std::string& ref = i < refs.size() ? refs[i] : std::string();
        if (!address.empty() && !names(labels[i], address))
            labels[i] += " (" + address + ")";
        else if (!ref.empty())
            labels[i] += " (ref " + ref + ")";
    }
    return labels;
}

} // namespace estate::model
