#include "importing/column_inference.hpp"

#include "estate/geo/crs.hpp"
#include "estate/model/normalise.hpp"
#include "importing/row_mapper.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <unordered_set>

namespace estate::importing {
namespace {

// ---------------------------------------------------------------------------------
// The header words agencies use for each field, as header_key()s (lower-case letters
// and digits): the Transparency Code, ePIMS, NHS ERIC and ODS, schools' GIAS
// (Edubase), library, fire and police station lists, INSPIRE layers, and the generic
// words of any property list.
// ---------------------------------------------------------------------------------

struct FieldWords {
    Field field;
    std::vector<std::string> keys;
};

// Words that name a thing a reference, a name or a code can belong to: "siteid",
// "libraryname", "stationcode" are made from these.
const char* const thing_words[] = {"asset",         "property", "site",     "building", "station",
                                   "library",       "school",   "facility", "premises", "location",
                                   "establishment", "practice", "surgery",  "hospital", "centre",
                                   "unit",          "estate",   "land",     "record",   "feature"};

const std::vector<FieldWords>& header_table() {
    static const std::vector<FieldWords> table = [] {
        std::vector<FieldWords> t = {
            {f_uprn,
             {"uprn", "uprnnumber", "uniquepropertyreferencenumber", "propertyuprn", "siteuprn", "buildinguprn",
              "osuprn", "uprnno", "uprncode"}},
            {f_ref,
             {"ref",
              "reference",
              "refno",
              "referencenumber",
              "id",
              "idnumber",
              "idno",
              "uniqueid",
              "uniquereference",
              "urn",
              "epimsid",
              "epimspropertyid",
              "epimsref",
              "callsign",
              "stationcallsign",
              "assetcode",
              "code",
              "odscode",
              "orgcode",
              "organisationcode",
              "practicecode",
              "laestab",
              "dfenumber",
              "dfeno",
              "toid",
              "objectid",
              "fid",
              "gid",
              "ogcfid",
              "localid",
              "inspireid"}},
            {f_name, {"name",
                      "title",
                      "placename",
                      "sitename",
                      "buildingname",
                      "establishmentname",
                      "schoolname",
                      "libraryname",
                      "stationname",
                      "practicename",
                      "surgeryname",
                      "hospitalname",
                      "propertyname",
                      "assetname",
                      "facilityname",
                      "premisesname",
                      "centrename",
                      "description",
                      "propertydescription",
                      "sitedescription"}},
            {f_address, {"address",       "siteaddress",   "fulladdress", "propertyaddress",
                         "postaladdress", "streetaddress", "address1",    "addressline1",
                         "addr1",         "add1",          "address2",    "addressline2",
                         "addr2",         "add2",          "address3",    "addressline3",
                         "addr3",         "add3",          "address4",    "addressline4",
                         "street",        "streetname",    "street1",     "road",
                         "locality",      "town",          "posttown",    "towncity",
                         "city",          "village",       "district",    "addr",
                         "location"}},
            {f_postcode,
             {"postcode", "postalcode", "pcode", "pc", "postcd", "postcod", "postcde", "pstcode", "sitepostcode",
              "propertypostcode"}},
            {f_x, {"easting",   "eastings",       "x",
                   "xcoord",    "xcoordinate",    "east",
                   "osx",       "geox",           "gridx",
                   "bngx",      "bngeasting",     "osgbx",
                   "lon",       "long",           "longitude",
                   "lng",       "xlong",          "longdd",
                   "wgs84long", "wgs84longitude", "longitudewgs84",
                   "locationx"}},
            {f_y, {"northing", "northings", "y",        "ycoord",        "ycoordinate",   "north",    "osy",
                   "geoy",     "gridy",     "bngy",     "bngnorthing",   "osgby",         "lat",      "latitude",
                   "ylat",     "latdd",     "wgs84lat", "wgs84latitude", "latitudewgs84", "locationy"}},
            {f_owner,
             {"owner",
              "ownername",
              "organisation",
              "organization",
              "organisationlabel",
              "organisationname",
              "organizationname",
              "authority",
              "localauthority",
              "localauthorityname",
              "laname",
              "council",
              "councilname",
              "trust",
              "trustname",
              "agency",
              "body",
              "publicbody",
              "department",
              "owningorganisation",
              "owningbody",
              "landlord",
              "freeholder",
              "fireauthority",
              "policeforce",
              "force",
              "provider",
              "providername"}},
            {f_sector, {"sector", "organisationtype", "ownersector"}},
            {f_gia_m2,
             {"gia", "giam2", "grossinternalarea", "floorarea", "buildingsize", "internalarea", "grossfloorarea",
              "gifa", "floorspace", "buildingarea"}},
            {f_land_area_ha, {"landarea", "sitearea", "hectares", "landareaha", "siteareaha", "areaha", "plotarea"}},
            {f_market_value,
             {"marketvalue", "value", "valuation", "assetvalue", "currentvalue", "openmarketvalue", "existingusevalue",
              "fairvalue", "capitalvalue"}},
            {f_running_cost,
             {"runningcost", "runningcosts", "annualcost", "annualrunningcost", "occupancycost", "totalcost",
              "revenuecost"}},
            {f_use,
             {"use", "propertyuse", "assettype", "propertytype", "type", "sitetype", "buildingtype",
              "establishmenttype", "typeofestablishment", "typeofestablishmentname", "category", "facilitytype",
              "primaryuse", "function", "service", "servicetype", "assetcategory", "landuse", "usage"}},
            {f_holding_type, {"holdingtype", "holding"}},
            {f_tenure, {"tenure", "tenuretype", "ownership", "ownershiptype", "interest"}},
            {f_tenure_detail, {"tenuredetail", "tenuredetails", "leasedetails"}},
            {f_occupancy,
             {"occupancy", "occupation", "status", "openclosed", "establishmentstatus", "establishmentstatusname",
              "operationalstatus", "occupied", "vacant"}},
            {f_utilisation, {"utilisation", "utilization", "occupancyrate", "percentused"}},
            {f_condition, {"condition", "conditionrating", "conditiongrade", "conditioncategory"}},
            {f_energy_rating, {"energyrating", "dec", "decrating", "epc", "epcrating", "energyperformance"}},
            {f_effective_date,
             {"effectivedate", "date", "asatdate", "valuationdate", "dateofvaluation", "lastupdated", "datevalid"}},
            {f_crs,
             {"crs", "srid", "epsg", "coordinatesystem", "coordinatereferencesystem", "spatialreference",
              "projection"}},
            {f_footprint_wkt,
             {"wkt", "geometry", "geom", "thegeom", "shape", "footprint", "footprintwkt", "wktgeometry", "polygon",
              "outline", "boundary", "geomwkt", "ewkt", "wkb"}},
            {f_grid_ref,
             {"gridreference", "gridref", "osgridref", "osgridreference", "ngr", "osgr", "nationalgridreference",
              "osgrid"}},
        };
        // "siteid", "stationref", "libraryname", "schoolpostcode": a thing's own word
        // before the field's.
        for (auto& fw : t) {
            const char* const* suffixes = nullptr;
            static const char* const ref_suffixes[] = {"id", "ref", "reference", "code", "number", "no", nullptr};
            static const char* const name_suffixes[] = {"name", nullptr};
            static const char* const address_suffixes[] = {"address", nullptr};
            static const char* const postcode_suffixes[] = {"postcode", nullptr};
            if (fw.field == f_ref) suffixes = ref_suffixes;
            if (fw.field == f_name) suffixes = name_suffixes;
            if (fw.field == f_address) suffixes = address_suffixes;
            if (fw.field == f_postcode) suffixes = postcode_suffixes;
            if (!suffixes) continue;
            for (const char* thing : thing_words)
                for (const char* const* s = suffixes; *s; ++s) fw.keys.push_back(std::string(thing) + *s);
        }
        return t;
    }();
    return table;
}

// How sure a header match is: exactly a table word, a Shapefile's cut-off form of
// one ("establis00"), or a word inside it ("Library name").
enum class HeaderMatch { none = 0, contains = 1, truncated = 2, exact = 3 };

struct HeaderCandidate {
    Field field;
    HeaderMatch how;
    std::string word; // the table word it matched
};

// Every field the header @p key could name, best first.
std::vector<HeaderCandidate> header_candidates(const std::string& key) {
    std::vector<HeaderCandidate> out;
    if (key.empty()) return out;
    for (const auto& fw : header_table())
        for (const auto& k : fw.keys)
            if (k == key) out.push_back({fw.field, HeaderMatch::exact, k});
    if (!out.empty()) return out;
    // A Shapefile keeps ten characters and numbers repeats ("Establis_1", "ESTABLIS00").
    if (key.size() <= 10) {
        std::string stem = key;
        while (!stem.empty() && std::isdigit(static_cast<unsigned char>(stem.back()))) stem.pop_back();
        if (stem.size() >= 5) {
            std::set<Field> seen;
            for (const auto& fw : header_table())
                for (const auto& k : fw.keys)
                    if (k.size() > stem.size() && k.compare(0, stem.size(), stem) == 0 && seen.insert(fw.field).second)
                        out.push_back({fw.field, HeaderMatch::truncated, k});
            if (!out.empty()) return out;
        }
    }
    // Words inside a longer header: "Library name", "Site Postcode (if known)", "Full UPRN".
    static const std::pair<Field, const char*> inside[] = {
        {f_uprn, "uprn"},        {f_postcode, "postcode"},  {f_owner, "organisation"},
        {f_owner, "authority"},  {f_owner, "owner"},        {f_address, "address"},
        {f_grid_ref, "gridref"}, {f_x, "easting"},          {f_y, "northing"},
        {f_x, "longitude"},      {f_y, "latitude"},         {f_gia_m2, "floorarea"},
        {f_gia_m2, "gia"},       {f_market_value, "value"}, {f_tenure, "tenure"},
        {f_name, "name"},        {f_ref, "reference"},      {f_effective_date, "date"},
        {f_use, "type"}};
    for (const auto& [field, word] : inside) {
        if (key.find(word) == std::string::npos) continue;
        // "email address", "web address" are not where a building is.
        if (field == f_address && (key.find("email") != std::string::npos || key.find("web") != std::string::npos))
            continue;
        if (std::none_of(out.begin(), out.end(), [f = field](const HeaderCandidate& c) { return c.field == f; }))
            out.push_back({field, HeaderMatch::contains, word});
    }
    return out;
}

// ---------------------------------------------------------------------------------
// What a column holds, from the first rows.
// ---------------------------------------------------------------------------------

bool parse_number(std::string_view s, double& v) {
    s = model::trim_view(s);
    std::string plain;
    for (char c : s)
        if (c != ',' && c != ' ') plain += c;
    if (plain.empty()) return false;
    auto [end, ec] = std::from_chars(plain.data(), plain.data() + plain.size(), v);
    return ec == std::errc{} && end == plain.data() + plain.size() && std::isfinite(v);
}

bool looks_like_wkt(std::string_view s) {
    s = model::trim_view(s);
    if (s.size() > 5 && (s.substr(0, 5) == "SRID=" || s.substr(0, 5) == "srid=")) {
        const size_t semi = s.find(';');
        if (semi == std::string_view::npos) return false;
        s = model::trim_view(s.substr(semi + 1));
    }
    std::string head;
    for (char c : s.substr(0, 20)) head += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (const char* kind :
         {"POINT", "POLYGON", "MULTIPOLYGON", "MULTIPOINT", "GEOMETRYCOLLECTION", "LINESTRING", "MULTILINESTRING"})
        if (head.rfind(kind, 0) == 0) return true;
    return false;
}

bool has_letter(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](unsigned char c) { return std::isalpha(c); });
}

// Words that end the street part of an address.
bool has_street_word(std::string_view value) {
    std::string v = " ";
    for (char c : value) v += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : ' ';
    v += ' ';
    for (const char* w :
         {" road ",  " street ", " st ",       " lane ",    " avenue ", " way ",     " drive ",  " close ",
          " place ", " court ",  " crescent ", " terrace ", " hill ",   " gardens ", " square ", " walk ",
          " rd ",    " ave ",    " parade ",   " row ",     " green ",  " grove "})
        if (v.find(w) != std::string::npos) return true;
    return false;
}

bool says_organisation(std::string_view value) {
    std::string v;
    for (char c : value) v += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* w :
         {"council", "trust", "police", "fire", "nhs", "authority", "service", "ministry", "department", "university",
          "college", "agency", "borough", "county", "government", "commissioner", "health board", "integrated care"})
        if (v.find(w) != std::string::npos) return true;
    return false;
}

struct ColumnFacts {
    size_t filled = 0, distinct = 0;
    size_t numbers = 0, integers = 0, postcodes = 0, full_postcodes = 0, wkt = 0, grid_refs = 0, money = 0;
    size_t uprn_like = 0, with_letters = 0, with_spaces = 0, street_words = 0, organisations = 0;
    size_t lat_range = 0, lon_range = 0, easting_range = 0, northing_range = 0, small_fraction = 0;
    double length_sum = 0;

    double share(size_t n) const { return filled ? double(n) / double(filled) : 0; }
    bool mostly(size_t n) const { return filled > 0 && share(n) >= 0.8; }
    double average_length() const { return filled ? length_sum / double(filled) : 0; }
    bool unique() const { return filled > 0 && distinct == filled; }
};

ColumnFacts facts_of(const std::vector<io::SourceRow>& sample, size_t column) {
    ColumnFacts f;
    std::set<std::string> values;
    for (const auto& row : sample) {
        if (column >= row.values.size() || !row.malformed.empty()) continue;
        std::string_view v = model::trim_view(row.values[column]);
        if (model::is_placeholder_identifier(v)) continue; // blank, "N/A", "0": says nothing
        ++f.filled;
        f.length_sum += double(v.size());
        values.emplace(v);
        double n = 0;
        const bool pound = v.rfind("\xC2\xA3", 0) == 0;
        if (pound) ++f.money;
        if (parse_number(pound ? v.substr(2) : v, n)) {
            ++f.numbers;
            const bool whole = n == std::floor(n) && v.find('.') == std::string_view::npos;
            if (whole) ++f.integers;
            if (whole && v.size() >= 6 && v.size() <= 12 &&
                std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); }))
                ++f.uprn_like;
            if (!whole) ++f.small_fraction;
            if (n >= 49.5 && n <= 61.0 && !whole) ++f.lat_range;
            if (n >= -8.8 && n <= 2.0 && !whole) ++f.lon_range;
            if (n >= 1000 && n <= 700000) ++f.easting_range;
            if (n >= 1000 && n <= 1250000) ++f.northing_range;
        }
        auto pc = model::normalise_postcode(v);
        if (pc.value && !pc.problem) {
            ++f.postcodes;
            f.full_postcodes += pc.full;
        }
        if (looks_like_wkt(v)) ++f.wkt;
        if (has_letter(v) && geo::parse_grid_reference(v)) ++f.grid_refs;
        if (has_letter(v)) ++f.with_letters;
        if (v.find(' ') != std::string_view::npos) ++f.with_spaces;
        if (has_street_word(v)) ++f.street_words;
        if (says_organisation(v)) ++f.organisations;
    }
    f.distinct = values.size();
    return f;
}

// Whether a column's values fit the field a header names: a header says "X" but the
// column holds words, or "Postcode" over a column of towns, is not taken at its word.
std::optional<std::string> content_refutes(Field field, const ColumnFacts& f) {
    if (f.filled < 3) return std::nullopt; // too few values to say
    switch (field) {
    case f_x:
    case f_y:
        if (f.share(f.numbers) < 0.5 && f.share(f.grid_refs) < 0.5) return "its values are not numbers";
        break;
    case f_postcode:
        if (f.share(f.postcodes) < 0.5) return "its values are not postcodes";
        break;
    case f_uprn:
        if (f.share(f.integers) < 0.5) return "its values are not whole numbers";
        break;
    case f_footprint_wkt:
        if (f.share(f.wkt) < 0.5) return "its values are not WKT geometries";
        break;
    case f_grid_ref:
        if (f.share(f.grid_refs) < 0.5) return "its values are not OS grid references";
        break;
    default:
        break;
    }
    return std::nullopt;
}

std::string percent(size_t n, size_t of) {
    return std::to_string(n) + " of " + std::to_string(of);
}

// ---------------------------------------------------------------------------------
// Choosing each field's column.
// ---------------------------------------------------------------------------------

class Inference {
public:
    Inference(const std::vector<std::string>& headers, const std::vector<io::SourceRow>& sample,
              std::vector<bool> taken, std::vector<bool> filled)
        : headers_(headers), taken_(std::move(taken)), filled_(std::move(filled)) {
        for (size_t c = 0; c < headers_.size(); ++c) facts_.push_back(facts_of(sample, c));
        rows_ = sample.size();
    }

    void run() {
        by_header();
        by_content();
    }

    std::vector<ColumnChoice> choices;
    std::map<Field, std::vector<size_t>> columns; // field -> its column(s) (several: address parts)
    std::vector<std::string> notes;

private:
    bool free(size_t c) const { return !taken_[c]; }

    void take(Field field, std::vector<size_t> cols, std::string reason) {
        std::string names;
        for (size_t c : cols) {
            taken_[c] = true;
            names += (names.empty() ? "" : " + ") + headers_[c];
        }
        filled_[field] = true;
        choices.push_back({io::mappable_fields()[field], names, std::move(reason)});
        columns[field] = std::move(cols);
    }

    void by_header() {
        struct Candidate {
            size_t column;
            HeaderCandidate c;
        };
        std::map<Field, std::vector<Candidate>> by_field;
        for (size_t col = 0; col < headers_.size(); ++col) {
            if (!free(col)) continue;
            auto cands = header_candidates(model::header_key(model::header_unit(headers_[col]).key));
            if (cands.empty()) cands = header_candidates(model::header_key(headers_[col]));
            const ColumnFacts& f = facts_[col];
            // A cut-off header that could be several fields ("establis" of establishment
            // name, number, type, status): what the column holds decides.
            if (cands.size() > 1 && cands[0].how == HeaderMatch::truncated) {
                Field pick = cands[0].field;
                bool found = false;
                for (const auto& c : cands) {
                    const bool fits =
                        (c.field == f_name && f.share(f.with_letters) >= 0.8 && f.distinct * 2 > f.filled) ||
                        (c.field == f_ref && f.mostly(f.integers) && f.unique()) ||
                        (c.field == f_postcode && f.mostly(f.postcodes));
                    if (fits) {
                        pick = c.field;
                        found = true;
                        break;
                    }
                }
                if (!found) continue;
                for (const auto& c : cands)
                    if (c.field == pick) {
                        cands = {c};
                        break;
                    }
            }
            for (auto& c : cands) {
                // An owner column names few owners; one naming a different body on most
                // rows ("Organisation Name" of a GP list) is the building's name.
                if (c.field == f_owner && f.filled >= 4 && f.distinct * 2 > f.filled) c.field = f_name;
                if (auto why = content_refutes(c.field, f)) {
                    notes.push_back("column '" + headers_[col] + "' is named like " + io::mappable_fields()[c.field] +
                                    " but " + *why + ": kept as an attribute");
                    continue;
                }
                by_field[c.field].push_back({col, c});
            }
        }
        // Address parts join in file order ("Address1 + Address2 + Town"); every other
        // field takes its best-matched column (the first of equals).
        for (auto& [field, cands] : by_field) {
            if (filled_[field]) continue;
            std::stable_sort(cands.begin(), cands.end(),
                             [](const Candidate& a, const Candidate& b) { return a.c.how > b.c.how; });
            if (field == f_address) {
                std::vector<size_t> parts;
                for (const auto& c : cands)
                    if (free(c.column) && c.c.how == cands.front().c.how) parts.push_back(c.column);
                std::sort(parts.begin(), parts.end());
                if (!parts.empty()) take(field, parts, parts.size() > 1 ? "headers (the parts joined)" : "header");
                continue;
            }
            for (const auto& c : cands) {
                if (!free(c.column)) continue;
                take(field, {c.column},
                     c.c.how == HeaderMatch::exact       ? "header"
                     : c.c.how == HeaderMatch::truncated ? "header, the start of '" + c.c.word + "'"
                                                         : "header word '" + c.c.word + "'");
                break;
            }
        }
    }

    void by_content() {
        auto first_free = [&](auto&& fits) -> std::optional<size_t> {
            for (size_t c = 0; c < headers_.size(); ++c)
                if (free(c) && facts_[c].filled > 0 && fits(facts_[c])) return c;
            return std::nullopt;
        };
        if (!filled_[f_footprint_wkt] && !filled_[f_x])
            if (auto c = first_free([](const ColumnFacts& f) { return f.mostly(f.wkt); }))
                take(f_footprint_wkt, {*c}, said(*c, facts_[*c].wkt, "WKT geometries"));
        if (!filled_[f_postcode])
            if (auto c = first_free([](const ColumnFacts& f) { return f.mostly(f.postcodes) && f.full_postcodes > 0; }))
                take(f_postcode, {*c}, said(*c, facts_[*c].postcodes, "UK postcodes"));
        if (!filled_[f_grid_ref] && !filled_[f_x])
            if (auto c = first_free([](const ColumnFacts& f) { return f.mostly(f.grid_refs); }))
                take(f_grid_ref, {*c}, said(*c, facts_[*c].grid_refs, "OS grid references"));
        if (!filled_[f_x] && !filled_[f_y] && !filled_[f_grid_ref]) coordinates();
        if (!filled_[f_uprn])
            if (auto c = first_free(
                    [](const ColumnFacts& f) { return f.mostly(f.uprn_like) && f.share(f.easting_range) < 0.5; }))
                take(f_uprn, {*c}, said(*c, facts_[*c].uprn_like, "whole numbers of 6-12 digits, as UPRNs are"));
        if (!filled_[f_owner])
            if (auto c = first_free([](const ColumnFacts& f) {
                    return f.mostly(f.organisations) && (f.distinct <= 3 || f.distinct * 5 <= f.filled);
                }))
                take(f_owner, {*c}, said(*c, facts_[*c].organisations, "the names of public bodies, few different"));
        if (!filled_[f_address])
            if (auto c = first_free([](const ColumnFacts& f) {
                    return f.share(f.street_words) >= 0.6 && f.share(f.with_letters) >= 0.9;
                }))
                take(f_address, {*c}, said(*c, facts_[*c].street_words, "street addresses"));
        if (!filled_[f_name])
            if (auto c = first_free([](const ColumnFacts& f) {
                    return f.mostly(f.with_letters) && f.share(f.numbers) < 0.2 && f.distinct * 10 >= f.filled * 7 &&
                           f.average_length() >= 4 && f.average_length() <= 80 && f.share(f.with_spaces) >= 0.5;
                }))
                take(f_name, {*c},
                     "values: " + std::to_string(facts_[*c].distinct) + " different words of " +
                         std::to_string(facts_[*c].filled) + " rows, the first such column");
    }

    // Two columns of numbers that are, together, a place: eastings and northings in the
    // grid's range, or longitudes and latitudes of Great Britain. The first column of a
    // pair is x, as files write them.
    void coordinates() {
        for (size_t a = 0; a < headers_.size(); ++a) {
            if (!free(a) || !facts_[a].mostly(facts_[a].numbers)) continue;
            for (size_t b = a + 1; b < headers_.size() && b <= a + 2; ++b) {
                if (!free(b) || !facts_[b].mostly(facts_[b].numbers)) continue;
                const ColumnFacts &x = facts_[a], &y = facts_[b];
                if (x.mostly(x.easting_range) && y.mostly(y.northing_range) && x.distinct > 1 && y.distinct > 1 &&
                    x.integers + x.small_fraction == x.filled && x.length_sum / double(x.filled) >= 5) {
                    take(f_x, {a}, said(a, x.easting_range, "eastings in the British National Grid's range"));
                    take(f_y, {b}, said(b, y.northing_range, "northings in its range"));
                    return;
                }
                if (x.mostly(x.lon_range) && y.mostly(y.lat_range)) {
                    take(f_x, {a}, said(a, x.lon_range, "longitudes of Great Britain"));
                    take(f_y, {b}, said(b, y.lat_range, "latitudes of Great Britain"));
                    return;
                }
                if (x.mostly(x.lat_range) && y.mostly(y.lon_range)) {
                    take(f_y, {a}, said(a, x.lat_range, "latitudes of Great Britain"));
                    take(f_x, {b}, said(b, y.lon_range, "longitudes of Great Britain"));
                    return;
                }
            }
        }
    }
    // Why a column was taken for what it holds: "values: 40 of 40 are UK postcodes".
    std::string said(size_t col, size_t n, const std::string& what) const {
        return "values: " + percent(n, facts_[col].filled) + " are " + what;
    }

    const std::vector<std::string>& headers_;
    std::vector<bool> taken_, filled_;
    std::vector<ColumnFacts> facts_;
    size_t rows_ = 0;
};

} // namespace

// Every header word of the table, for finding a header row (asked of up to 50 rows).
static const std::unordered_set<std::string>& known_header_keys() {
    static const std::unordered_set<std::string> keys = [] {
        std::unordered_set<std::string> out;
        for (const auto& fw : header_table()) out.insert(fw.keys.begin(), fw.keys.end());
        return out;
    }();
    return keys;
}

int inferred_header_cells(const std::vector<std::string>& cells) {
    int n = 0;
    for (const auto& c : cells) {
        const std::string key = model::header_key(c);
        if (key.empty()) continue;
        n += known_header_keys().count(key) > 0;
    }
    return n;
}

Mapping choose_mapping(const std::vector<std::string>& headers, const std::vector<io::SourceRow>& sample,
                       const std::optional<io::Profile>& asked, bool owner_given) {
    Mapping m;
    if (asked) {
        m.profile = *asked;
        m.explanation = "profile '" + asked->name + "' as asked";
        return m;
    }
    const io::Detection d = io::detect_profile(headers);
    if (d.profile) {
        m.profile = *d.profile;
        m.explanation = d.explanation;
    } else {
        m.profile.name = "inferred";
        m.profile.description = "columns inferred from the file's headers and values";
        m.profile.origin = "inferred";
        m.profile.use_from_name = true;
        m.explanation = "no built-in profile recognises the file";
    }
    // What the base profile already fills, and from which columns.
    const RowMapper base(m.profile, headers, owner_given ? std::optional<std::string>("given") : std::nullopt);
    std::vector<bool> taken(headers.size()), filled(field_count);
    for (size_t c = 0; c < headers.size(); ++c) taken[c] = base.maps_column(c);
    for (int f = 0; f < field_count; ++f) filled[static_cast<size_t>(f)] = base.can_fill(static_cast<Field>(f));

    Inference inference(headers, sample, taken, filled);
    inference.run();
    m.notes = inference.notes;
    for (const auto& [field, cols] : inference.columns) {
        io::FieldSource src;
        std::vector<std::string> parts;
        for (size_t c : cols) parts.push_back(headers[c]);
        src.alternatives.push_back(parts);
        m.profile.columns[io::mappable_fields()[field]] = src;
    }
    m.columns = inference.choices;
    m.inferred = !m.columns.empty();
    if (m.inferred)
        m.explanation += d.profile ? "; columns it does not map inferred from the headers and values"
                                   : ": columns inferred from the headers and values";
    return m;
}

std::string mapping_profile_text(const Mapping& m, const std::string& source) {
    std::ostringstream out;
    out << "; A mapping profile for " << source << ", written by 'estate profile guess'.\n"
        << "; " << m.explanation << ".\n"
        << "; Edit it (docs/profile-format.md), then: estate import REGISTER FILE --profile THIS.ini\n"
        << "[profile]\n"
        << "name = " << (m.profile.name == "inferred" ? "my-file" : m.profile.name) << "\n"
        << "description = " << (m.profile.description.empty() ? "columns of " + source : m.profile.description) << "\n";
    if (m.profile.use_from_name) out << "use_from_name = yes\n";
    if (!m.profile.null_values.empty()) {
        out << "null_values = ";
        for (size_t i = 0; i < m.profile.null_values.size(); ++i) out << (i ? ", " : "") << m.profile.null_values[i];
        out << "\n";
    }
    out << "\n[columns]\n";
    std::map<std::string, std::string> why;
    for (const auto& c : m.columns) why[c.field] = c.reason;
    for (const auto& field : io::mappable_fields()) {
        auto it = m.profile.columns.find(field);
        if (it == m.profile.columns.end()) continue;
        if (auto w = why.find(field); w != why.end())
            out << "; " << field << ": inferred from its " << w->second << "\n";
        out << field << " = ";
        for (size_t a = 0; a < it->second.alternatives.size(); ++a) {
            out << (a ? " | " : "");
            for (size_t p = 0; p < it->second.alternatives[a].size(); ++p)
                out << (p ? " + " : "") << it->second.alternatives[a][p];
        }
        out << "\n";
    }
    for (const char* field : {"ref", "owner"})
        if (!m.profile.columns.count(field) && !m.profile.fixed.count(field))
            out << "; " << field << " = (no column found"
                << (std::string(field) == "ref"
                        ? ": rows are stored under references made from their content)\n"
                        : ": give --owner NAME when importing, or write owner = under [fixed])\n");
    for (const auto& [section, values] :
         {std::pair{"fixed", &m.profile.fixed}, std::pair{"defaults", &m.profile.defaults}}) {
        if (values->empty()) continue;
        out << "\n[" << section << "]\n";
        for (const auto& [k, v] : *values) out << k << " = " << v << "\n";
    }
    for (const auto& [field, map] : m.profile.derive) {
        out << "\n[derive " << field << "]\nfrom = " << map.from_column << "\n";
        for (const auto& [k, v] : map.entries) out << k << " = " << v << "\n";
    }
    for (const auto& [field, map] : m.profile.values) {
        out << "\n[values " << field << "]\n";
        for (const auto& [k, v] : map) out << k << " = " << v << "\n";
    }
    for (const auto& note : m.notes) out << "; note: " << note << "\n";
    return out.str();
}

} // namespace estate::importing
