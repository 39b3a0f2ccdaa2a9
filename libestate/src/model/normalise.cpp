#include "estate/model/normalise.hpp"

#include "estate/model/property.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <set>

namespace estate::model {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

Problem problem(std::string reason, std::string_view field, std::string message) {
    return Problem{std::move(reason), std::string(field), std::move(message), {}};
}

std::string quoted(std::string_view s) {
    return "'" + std::string(s) + "'";
}

} // namespace

const std::initializer_list<ReasonInfo>& reject_reasons() {
    static const std::initializer_list<ReasonInfo> list = {
        {"not_a_property", "a blank row, the header repeated, or a totals or notes row"},
        {"no_identity", "no reference, UPRN, name, address, postcode or location: nothing says which property"},
        {"duplicate_ref", "the same owner's reference occurs earlier in the same file"},
        {"malformed_record", "a CSV line that cannot be read as one record (a stray quote, more values than the "
                             "header): kept as it stands, the next lines read on"},
    };
    return list;
}

const std::initializer_list<ReasonInfo>& warning_reasons() {
    static const std::initializer_list<ReasonInfo> list = {
        {"missing_ref", "no owner's reference: stored under one made from the UPRN or the row's content"},
        {"missing_owner", "no owner in this row: stored under 'Owner not recorded'"},
        {"bad_uprn", "UPRN is not 1-12 digits: not stored as a UPRN"},
        {"mangled_uprn", "UPRN rounded by a spreadsheet (1.00012E+11): its digits are lost"},
        {"bad_postcode", "postcode is not a UK postcode, full or partial: not stored"},
        {"bad_number", "an area, value or cost is not a number: not stored"},
        {"negative_value", "an area, value or cost is negative: not stored"},
        {"implausible_value", "an area, value or cost over 10^12: not stored"},
        {"unknown_tenure", "tenure words not recognised: tenure empty, the words in tenure_detail"},
        {"unknown_holding_type", "holding type words not recognised: empty, the words in holding_type_detail"},
        {"unknown_use", "use words not recognised: use 'other', the words in use_detail"},
        {"unknown_sector", "sector not recognised: guessed from the owner's name"},
        {"bad_condition", "condition is not A-D or good/satisfactory/poor/bad: not stored"},
        {"bad_date", "a date that does not exist or is implausible: not stored"},
        {"bad_coordinates", "coordinates that are not numbers, or only one of the two: not used"},
        {"unknown_crs", "the row's coordinate reference system is not recognised: coordinates not used"},
        {"outside_grid", "location outside Great Britain's National Grid: not used"},
        {"outside_boundary", "location outside the area's boundary: not used"},
        {"swapped_coordinates", "latitude and longitude were swapped: corrected"},
        {"bad_grid_reference", "an OS grid reference that cannot be read: not used"},
        {"bad_footprint", "footprint geometry unreadable or beyond repair: not stored"},
        {"footprint_simplified", "a footprint of more vertices than a building's outline has (over 20,000): its "
                                 "convex hull kept, in bounded time"},
        {"unsupported_geometry", "geometry is not a point or polygon: not used"},
        {"unreadable_geometry", "a geometry GDAL cannot read (a coordinate not a number, an unknown type): not used"},
        {"conflicting_columns", "two source columns for one field disagree: the first is used"},
        {"control_characters", "a value held control characters (a NUL byte, a form feed, an escape): each read "
                               "as a space, the rest of the value and of the row kept"},
    };
    return list;
}

std::string_view trim_view(std::string_view s) {
    auto is_space = [](unsigned char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
    };
    auto byte = [&s](size_t i) { return static_cast<unsigned char>(s[i]); };
    size_t b = 0, e = s.size();
    while (b < e) {
        if (is_space(byte(b))) {
            ++b;
            continue;
        }
        if (e - b >= 2 && byte(b) == 0xC2 && byte(b + 1) == 0xA0) {
            b += 2;
            continue;
        } // no-break space
        if (e - b >= 3 && byte(b) == 0xEF && byte(b + 1) == 0xBB && byte(b + 2) == 0xBF) {
            b += 3;
            continue;
        } // BOM
        break;
    }
    while (e > b) {
        if (is_space(byte(e - 1))) {
            --e;
            continue;
        }
        if (e - b >= 2 && byte(e - 2) == 0xC2 && byte(e - 1) == 0xA0) {
            e -= 2;
            continue;
        }
        break;
    }
    return s.substr(b, e - b);
}

std::string trim(std::string_view s) {
    return std::string(trim_view(s));
}

std::vector<std::string> split_trimmed(std::string_view s, char separator) {
    std::vector<std::string> out;
    size_t start = 0;
    while (true) {
        size_t p = s.find(separator, start);
        std::string part = trim(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
        if (!part.empty()) out.push_back(part);
        if (p == std::string_view::npos) break;
        start = p + 1;
    }
    return out;
}

bool same_word(std::string_view text, std::string_view lower_word) {
    if (text.size() != lower_word.size()) return false;
    for (size_t i = 0; i < text.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(text[i])) != static_cast<unsigned char>(lower_word[i]))
            return false;
    return true;
}

std::string header_key(std::string_view s) {
    std::string out;
    for (unsigned char c : s)
        if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
    return out;
}

HeaderUnit header_unit(std::string_view header) {
    const std::string h = lower(header);
    static const std::pair<const char*, const char*> spellings[] = {
        {"square feet", "sq ft"}, {"square foot", "sq ft"},
        {"sq. ft", "sq ft"},      {"sq.ft", "sq ft"},
        {"sq ft", "sq ft"},       {"sqft", "sq ft"},
        {"ft\xC2\xB2", "sq ft"},  {"ft2", "sq ft"},
        {"hectares", "ha"},       {"hectare", "ha"},
        {"(ha)", "ha"},           {"acres", "acres"},
        {"acre", "acres"},        {"(ac)", "acres"},
        {"square metres", "m2"},  {"square meters", "m2"},
        {"sq metres", "m2"},      {"sq. m", "m2"},
        {"sq m", "m2"},           {"sqm", "m2"},
        {"m\xC2\xB2", "m2"},      {"m2", "m2"},
    };
    for (const auto& [spelling, unit] : spellings) {
        const size_t at = h.find(spelling);
        if (at == std::string::npos) continue;
        std::string rest = h.substr(0, at) + " " + h.substr(at + std::strlen(spelling));
        return {header_key(rest), unit};
    }
    // "Site Area ha": the unit as the last word.
    if (h.size() > 3 && h.compare(h.size() - 3, 3, " ha") == 0) return {header_key(h.substr(0, h.size() - 3)), "ha"};
    return {header_key(h), ""};
}

int find_header(const std::vector<std::string>& headers, std::initializer_list<const char*> keys) {
    for (const char* k : keys)
        for (size_t i = 0; i < headers.size(); ++i)
            if (header_key(headers[i]) == k) return static_cast<int>(i);
    return -1;
}

std::string canonical_uprn(std::string_view digits) {
    size_t first = digits.find_first_not_of('0');
    if (first == std::string_view::npos) return digits.empty() ? std::string() : std::string("0");
    return std::string(digits.substr(first));
}

Checked normalise_uprn(std::string_view text) {
    std::string_view t = trim_view(text);
    if (is_placeholder_identifier(t)) return {};
    // Spreadsheets turn a UPRN into a number: "100012797623.0" keeps every digit...
    if (t.size() > 2 && t.substr(t.size() - 2) == ".0") t.remove_suffix(2);
    // Digits, at most 12 once leading zeros (of any padding) are dropped.
    const size_t significant = t.find_first_not_of('0');
    bool digits = !t.empty() && significant != std::string_view::npos && t.size() - significant <= 12 &&
                  std::all_of(t.begin(), t.end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
    if (digits) return {canonical_uprn(t), std::nullopt};
    // ... but "1.00012E+11" (Excel's display of a 12-digit number) has lost its last
    // digits for good: no UPRN can be made of it.
    const bool scientific =
        t.find_first_of("eE") != std::string_view::npos && std::all_of(t.begin(), t.end(), [](unsigned char c) {
            return std::isdigit(c) || c == '.' || c == 'e' || c == 'E' || c == '+';
        });
    if (scientific)
        return {std::nullopt,
                problem("mangled_uprn", "uprn",
                        "UPRN " + quoted(text) +
                            " was rounded by a spreadsheet (scientific notation): its last digits are "
                            "lost, so it is not stored as a UPRN; export the column as text and import again")};
    return {std::nullopt, problem("bad_uprn", "uprn",
                                  "UPRN " + quoted(text) +
                                      " is not 1-12 digits (and not all zeros); it is not stored as a UPRN: "
                                      "correct it in the source")};
}

namespace {
bool letter(char ch) {
    return ch >= 'A' && ch <= 'Z';
}
bool digit(char ch) {
    return ch >= '0' && ch <= '9';
}

// True when the whole of @p c (compact, upper case) is an outward code: one or two
// letters, a digit, then an optional digit or letter ("M1", "M33", "WA14", "EC1A").
bool is_outward(std::string_view c) {
    size_t i = 0;
    while (i < c.size() && i < 2 && letter(c[i])) ++i;
    if (i == 0 || i >= c.size() || !digit(c[i])) return false;
    ++i;
    return c.size() == i || (c.size() == i + 1 && (letter(c[i]) || digit(c[i])));
}
} // namespace

PostcodeCheck normalise_postcode(std::string_view text) {
    const std::string_view trimmed = trim_view(text);
    char compact[16];
    size_t n = 0;
    for (unsigned char ch : trimmed) {
        if (std::isspace(ch)) continue;
        if (n == sizeof compact) {
            n = 0;
            break;
        } // far too long: not a postcode
        compact[n++] = static_cast<char>(std::toupper(ch));
    }
    if (trimmed.empty()) return {};
    const std::string_view c(compact, n);
    // Full: an outward code, then a digit and two letters ("WA141PF" -> "WA14 1PF").
    if (c.size() >= 5) {
        const size_t inward = c.size() - 3;
        if (is_outward(c.substr(0, inward)) && digit(c[inward]) && letter(c[inward + 1]) && letter(c[inward + 2]))
            return {std::string(c.substr(0, inward)) + " " + std::string(c.substr(inward)), true, {}};
    }
    // Outward code only ("M33", "WA14").
    if (is_outward(c)) return {std::string(c), false, {}};
    // "WA14 1" (a sector) only when the source wrote the space: "WA141" is ambiguous.
    if (c.size() >= 2 && digit(c.back()) && is_outward(c.substr(0, c.size() - 1)) &&
        trimmed.find(' ') != std::string_view::npos)
        return {std::string(c.substr(0, c.size() - 1)) + " " + c.back(), false, {}};
    return {std::nullopt, false,
            problem("bad_postcode", "postcode",
                    "postcode " + quoted(text) +
                        " is not a UK postcode (full like 'WA14 1PF' or partial like 'M33'); it is not stored")};
}

namespace {

// Words people write for "no figure": the value is unknown, not zero.
bool says_no_value(std::string_view t) {
    static const std::string_view words[] = {"-",         "--",  "\xE2\x80\x93", "\xE2\x80\x94", "n/a", "na",
                                             "n.a.",      "nil", "none",         "tbc",          "tba", "unknown",
                                             "not known", "?",   "not available"};
    for (std::string_view w : words)
        if (same_word(t, w)) return true;
    return false;
}

} // namespace

std::string owner_key(std::string_view name) {
    static const std::set<std::string> dropped = {"the",    "council",  "borough",      "city",    "of",
                                                  "county", "district", "metropolitan", "unitary", "authority"};
    std::string key, word;
    auto flush = [&] {
        if (!word.empty() && !dropped.count(word)) key += (key.empty() ? "" : " ") + word;
        word.clear();
    };
    for (unsigned char c : name) {
        if (c == '&') {
            flush();
            word = "and";
            flush();
        } else if (std::isalnum(c) || c >= 0x80) {
            word += static_cast<char>(std::tolower(c));
        } else if (c != '\'' && c != '.') { // "St. Helens", "King's Lynn": one word
            flush();
        }
    }
    flush();
    return key;
}

bool is_placeholder_identifier(std::string_view text) {
    const std::string_view t = trim_view(text);
    if (t.empty() || says_no_value(t)) return true;
    for (std::string_view w : {"null", "blank", "not applicable", "n\\a", "none given", "not assigned"})
        if (same_word(t, w)) return true;
    // "0", "0000", "0.0": a number field's way of writing nothing.
    return std::all_of(t.begin(), t.end(), [](char c) { return c == '0' || c == '.'; });
}

namespace {

// True when every group after the first of @p digits split at @p mark has three
// digits: "1.250.000" is 1250000 written with dots, "1.2.3" is not a number.
bool thousands_groups(std::string_view s, char mark) {
    size_t p = s.find(mark);
    if (p == std::string_view::npos || p == 0) return false;
    while (p != std::string_view::npos) {
        size_t next = s.find(mark, p + 1);
        size_t group = (next == std::string_view::npos ? s.size() : next) - p - 1;
        if (group != 3) return false;
        for (size_t i = p + 1; i < p + 1 + group; ++i)
            if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
        p = next;
    }
    return true;
}

// A multiplier written after the number: "1.2m", "£750k", "3 million".
double strip_multiplier(std::string_view& s) {
    size_t end = s.size();
    while (end > 0 && std::isalpha(static_cast<unsigned char>(s[end - 1]))) --end;
    const std::string word = lower(s.substr(end));
    double factor = 0;
    if (word == "m" || word == "mn" || word == "million" || word == "millions")
        factor = 1e6;
    else if (word == "k" || word == "thousand")
        factor = 1e3;
    else if (word == "bn" || word == "billion")
        factor = 1e9;
    if (factor == 0) return 1;
    s = trim_view(s.substr(0, end));
    return factor;
}

} // namespace

CheckedNumber parse_amount(std::string_view text, std::string_view field, bool decimal_comma) {
    std::string_view t = trim_view(text);
    if (t.empty()) return {};
    // Plain figures ("415.05", "1250000"), nearly all of a large file's, at once.
    if (std::isdigit(static_cast<unsigned char>(t.front())) && std::isdigit(static_cast<unsigned char>(t.back())) &&
        !(decimal_comma && t.find_first_of(",.") != std::string_view::npos)) {
        double v = 0;
        auto [stop, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (ec == std::errc{} && stop == t.data() + t.size() && v <= 1e12 && t.find('.') == t.rfind('.'))
            return {v, std::nullopt};
    }
    if (says_no_value(t)) return {};
    auto not_a_number = [&] {
        return CheckedNumber{std::nullopt, problem("bad_number", field,
                                                   std::string(field) + " " + quoted(text) +
                                                       " is not a number; it is not stored (write digits, "
                                                       "e.g. 1250.5, £1.2m or 750k)")};
    };
    // Accountants' negatives: "(1,000)".
    bool parenthesised = t.size() > 2 && t.front() == '(' && t.back() == ')';
    if (parenthesised) t = trim_view(t.substr(1, t.size() - 2));
    // Digits with their pound sign, spaces and thousands separators taken out, on the stack.
    char cleaned[64];
    size_t n = 0;
    bool too_long = false;
    std::string_view body = t;
    double factor = 1;
    if (!t.empty() && std::isalpha(static_cast<unsigned char>(t.back()))) factor = strip_multiplier(body);
    // Which mark is the decimal one: the last of two kinds ("1.250.000,00"), a comma
    // in files whose values are separated by semicolons, dots grouping thousands.
    const size_t last_comma = body.rfind(','), last_dot = body.rfind('.');
    const bool has_comma = last_comma != std::string_view::npos, has_dot = last_dot != std::string_view::npos;
    char decimal = '.';
    if (has_comma && has_dot)
        decimal = last_comma > last_dot ? ',' : '.';
    else if (has_comma && decimal_comma)
        decimal = ',';
    else if (has_dot && !has_comma && thousands_groups(body, '.') && (decimal_comma || body.find('.') != last_dot))
        decimal = ','; // "1.250.000"; and "95.000" where commas are the decimal mark
    const char grouping = decimal == ',' ? '.' : ',';
    for (size_t i = 0; i < body.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(body[i]);
        if (c == static_cast<unsigned char>(grouping) || c == ' ') continue;
        if (c == 0xC2 && i + 1 < body.size() &&
            (static_cast<unsigned char>(body[i + 1]) == 0xA3 || static_cast<unsigned char>(body[i + 1]) == 0xA0)) {
            ++i; // UTF-8 pound sign or no-break space
            continue;
        }
        if (n + 1 == sizeof cleaned) {
            too_long = true;
            break;
        }
        cleaned[n++] = static_cast<char>(c == static_cast<unsigned char>(decimal) ? '.' : c);
    }
    cleaned[n] = 0;
    // from_chars reads plain decimals fastest; strtod, whose rounding is the same
    // (both correct), also reads what it does not ("+5").
    double v = 0;
    auto [stop, ec] = std::from_chars(cleaned, cleaned + n, v);
    const char* end = stop;
    if (ec != std::errc{} || stop != cleaned + n) {
        char* strtod_end = nullptr;
        v = std::strtod(cleaned, &strtod_end);
        end = strtod_end;
    }
    if (too_long || n == 0 || end != cleaned + n || !std::isfinite(v)) return not_a_number();
    v *= factor;
    if (parenthesised) v = -v;
    if (v < 0)
        return {std::nullopt, problem("negative_value", field,
                                      std::string(field) + " " + quoted(text) + " is negative; it is not stored")};
    // A trillion pounds, square metres or hectares is a typing or export error; stored
    // it would turn every total built on it into nonsense.
    if (v > 1e12)
        return {std::nullopt, problem("implausible_value", field,
                                      std::string(field) + " " + quoted(text) +
                                          " is beyond any plausible figure (over 10^12); it is not stored")};
    return {v, std::nullopt};
}

CheckedNumber parse_fraction(std::string_view text, std::string_view field) {
    std::string_view t = trim_view(text);
    bool percent = !t.empty() && t.back() == '%';
    if (percent) t.remove_suffix(1);
    CheckedNumber n = parse_amount(t, field);
    if (!n.ok() || !n.value) return n;
    double v = *n.value;
    if (percent || v > 1.0) v /= 100.0;
    if (v > 1.0)
        return {std::nullopt,
                problem("bad_number", field,
                        std::string(field) + " " + quoted(text) + " is over 100%; give a share from 0 to 100%")};
    return {v, std::nullopt};
}

void clean_text_into(std::string_view s, std::string& out) {
    s = trim_view(s);
    // Most values need nothing: no line break, tab, no-break space or double space.
    bool plain = true;
    for (size_t i = 0; i < s.size() && plain; ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        plain = c != '\n' && c != '\r' && c != '\t' && c != 0xC2 && !(c == ' ' && i + 1 < s.size() && s[i + 1] == ' ');
    }
    out.assign(plain ? s : std::string_view());
    if (plain) return;
    bool pending_space = false, pending_break = false;
    for (size_t i = 0; i < s.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == '\n' || c == '\r') {
            pending_break = true;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\v' || c == '\f') {
            pending_space = true;
            continue;
        }
        if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
            ++i;
            pending_space = true;
            continue;
        }
        if (!out.empty()) {
            if (pending_break) {
                while (!out.empty() && (out.back() == ',' || out.back() == ' ')) out.pop_back();
                if (c != ',') out += ", ";
            } else if (pending_space) {
                out += ' ';
            }
        }
        pending_space = pending_break = false;
        out += static_cast<char>(c);
    }
}

std::string clean_text(std::string_view s) {
    std::string out;
    clean_text_into(s, out);
    return out;
}

bool same_header_key(std::string_view a, std::string_view b) {
    size_t i = 0, j = 0;
    auto next = [](std::string_view s, size_t& k) {
        while (k < s.size() && !std::isalnum(static_cast<unsigned char>(s[k]))) ++k;
        return k < s.size();
    };
    while (true) {
        const bool more_a = next(a, i), more_b = next(b, j);
        if (!more_a || !more_b) return more_a == more_b;
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[j])))
            return false;
        ++i;
        ++j;
    }
}

std::optional<std::string> postcode_at_end(std::string_view address) {
    std::string_view a = trim_view(address);
    while (!a.empty() && (a.back() == '.' || a.back() == ',')) a = trim_view(a.substr(0, a.size() - 1));
    // The last two words ("M33 7DZ"), else the last one ("M337DZ"); a full postcode only.
    auto word_start = [&](size_t end) {
        size_t b = end;
        while (b > 0 && a[b - 1] != ' ' && a[b - 1] != ',') --b;
        return b;
    };
    const size_t last = word_start(a.size());
    if (last == a.size()) return std::nullopt;
    if (last > 1) {
        size_t before_end = last;
        while (before_end > 0 && a[before_end - 1] == ' ') --before_end;
        if (before_end > 0 && a[before_end - 1] != ',') {
            auto two = normalise_postcode(a.substr(word_start(before_end)));
            if (two.full) return two.value;
        }
    }
    auto one = normalise_postcode(a.substr(last));
    if (one.full) return one.value;
    return std::nullopt;
}

bool looks_like_code(std::string_view owner) {
    std::string_view t = trim_view(owner);
    auto all = [](std::string_view s, auto pred) {
        return std::all_of(s.begin(), s.end(), [&](unsigned char c) { return pred(c); });
    };
    auto is_digit = [](unsigned char c) { return std::isdigit(c) != 0; };
    auto is_upper = [](unsigned char c) { return c >= 'A' && c <= 'Z'; };
    if (t.rfind("http://", 0) == 0 || t.rfind("https://", 0) == 0 || t.rfind("urn:", 0) == 0) return true;
    // GSS: a country letter and eight digits ("E07000235", "W06000015", "S12000033").
    if (t.size() == 9 && std::strchr("EWSNK", t[0]) && all(t.substr(1), is_digit)) return true;
    // The older ONS codes: two digits and two or four letters ("47UD", "00BU", "23UBAA").
    if ((t.size() == 4 || t.size() == 6) && all(t.substr(0, 2), is_digit) && all(t.substr(2), is_upper)) return true;
    return false;
}

Checked normalise_tenure(std::string_view type, std::string_view detail) {
    // "Leasehold (out)", "Leasehold - In", "leasehold/out": punctuation is a space.
    auto words = [](std::string_view s) {
        std::string out;
        for (unsigned char c : lower(trim(s))) {
            const char w = std::isalnum(c) ? static_cast<char>(c) : ' ';
            if (w == ' ' && (out.empty() || out.back() == ' ')) continue;
            out += w;
        }
        while (!out.empty() && out.back() == ' ') out.pop_back();
        return out;
    };
    std::string t = words(type);
    std::string d = words(detail);
    // Typos seen in published registers.
    for (std::string* s : {&t, &d}) {
        for (auto [bad, good] : {std::pair{"leashold", "leasehold"},
                                 {"lease hold", "leasehold"},
                                 {"free hold", "freehold"},
                                 {"license", "licence"}}) {
            size_t p;
            while ((p = s->find(bad)) != std::string::npos) s->replace(p, std::strlen(bad), good);
        }
    }
    auto says_out = [](const std::string& s) {
        return contains(s, "leasehold out") || contains(s, "leased out") || contains(s, "let out") || s == "let" ||
               s == "out";
    };
    auto says_in = [](const std::string& s) {
        return contains(s, "leasehold in") || contains(s, "leased in") || s == "in";
    };
    if (says_out(d) || says_out(t)) return {"leasehold_out", std::nullopt};
    if (says_in(d) || says_in(t)) return {"leasehold_in", std::nullopt};
    if (contains(t, "freehold")) return {"freehold", std::nullopt};
    // A council "holding" a leasehold holds it from someone else: leased in.
    if (contains(t, "leasehold") || contains(t, "lease")) return {"leasehold_in", std::nullopt};
    if (contains(t, "licence") || contains(d, "licence")) return {"licence", std::nullopt};
    if (t == "other" || t == "n a" || t == "na") return {"other", std::nullopt};
    if (t.empty()) {
        if (contains(d, "freehold")) return {"freehold", std::nullopt};
        return {}; // not stated: unknown, not wrong
    }
    return {std::nullopt, problem("unknown_tenure", "tenure",
                                  "tenure " + quoted(type) +
                                      " is not freehold, leasehold (in/out), licence or other; stored with the tenure "
                                      "empty and these words in tenure_detail (map them with a [values tenure] "
                                      "section of a profile)")};
}

Checked normalise_holding_type(std::string_view text) {
    std::string t = lower(trim(text));
    if (t.empty()) return {};
    bool land = contains(t, "land") || contains(t, "site");
    bool building = contains(t, "building") || t == "b" || contains(t, "property");
    if (t == "l&b" || t == "land & buildings" || (land && building)) return {"land_and_buildings", std::nullopt};
    if (land || t == "l") return {"land", std::nullopt};
    if (building) return {"buildings", std::nullopt};
    return {std::nullopt, problem("unknown_holding_type", "holding_type",
                                  "holding type " + quoted(text) +
                                      " is not Land, Buildings or Land/Buildings; stored with the holding type "
                                      "empty and these words in holding_type_detail (map them with a "
                                      "[values holding_type] section of a profile)")};
}

namespace {

// Words that say what a property is used for. Order matters: the first keyword found
// wins ("school playing field" is a school).
const std::vector<std::pair<std::string_view, std::string_view>>& use_keywords() {
    static const std::vector<std::pair<std::string_view, std::string_view>> keywords = {
        {"crematori", "crematorium_cemetery"},
        {"cemeter", "crematorium_cemetery"},
        {"burial", "crematorium_cemetery"},
        {"fire station", "fire_station"},
        {"police", "police_station"},
        {"hospital", "hospital"},
        {"clinic", "clinic"},
        {"health centre", "clinic"},
        {"surgery", "clinic"},
        {"medical", "clinic"},
        {"library", "library"},
        {"school", "school"},
        {"academy", "school"},
        {"college", "school"},
        {"nursery", "school"},
        {"depot", "depot"},
        {"car park", "car_park"},
        {"parking", "car_park"},
        {"children's centre", "community_centre"},
        {"childrens centre", "community_centre"},
        {"community", "community_centre"},
        {"youth", "community_centre"},
        {"village hall", "community_centre"},
        {"leisure", "leisure"},
        {"sport", "leisure"},
        {"swimming", "leisure"},
        {"golf", "leisure"},
        {"bowls", "leisure"},
        {"clubhouse", "leisure"},
        {"changing room", "leisure"},
        {"pavilion", "leisure"},
        {"care home", "residential_care"},
        {"residential", "residential_care"},
        {"housing", "housing"},
        {"dwelling", "housing"},
        {"flat", "housing"},
        {"market", "retail"},
        {"shop", "retail"},
        {"retail", "retail"},
        {"industrial", "industrial"},
        {"workshop", "industrial"},
        {"allotment", "allotments"},
        {"park", "open_space"},
        {"open space", "open_space"},
        {"playing field", "open_space"},
        {"recreation ground", "open_space"},
        {"memorial", "open_space"},
        {"town hall", "office"},
        {"office", "office"},
        {"civic", "office"},
        {"jobcentre", "office"},
        {"land", "land"},
        {"verge", "land"},
        {"plot", "land"},
    };
    return keywords;
}

} // namespace

std::optional<std::string> classify_use(std::string_view text) {
    std::string t = lower(trim(text));
    if (t.empty()) return std::nullopt;
    for (const auto& [code, label] : uses().entries)
        if (t == code || t == lower(label)) return std::string(code);
    for (const auto& [word, code] : use_keywords())
        if (contains(t, word)) return std::string(code);
    return std::string("other");
}

std::optional<std::string> guess_use_from_name(std::string_view name) {
    // Lower case, punctuation as spaces, one space between words, one at each end: so
    // that " word " finds a whole word wherever the name has it.
    std::string t = " ";
    for (unsigned char c : trim(name)) {
        const char w = std::isalnum(c) || c == '\'' || c == '&' ? static_cast<char>(std::tolower(c)) : ' ';
        if (w == ' ' && t.back() == ' ') continue;
        t += w;
    }
    if (t.back() != ' ') t += ' ';
    auto has = [&t](std::string_view w) { return t.find(w) != std::string::npos; };
    // Land named as such ("Land at Moss Lane", "Land east side of Flixton Road").
    if (t.rfind(" land ", 0) == 0 && !has(" former ")) return std::string("land");
    // Names that describe land, a former use, or a part or the surroundings of
    // something: the use words in them are not the property's use.
    static const std::string_view not_a_use[] = {
        " former ",        " formerly ",   " site ",         " land ",    " plot ",          " plots ",
        " frontage ",      " foot path ",  " footpath ",     " verge ",   " rear of ",       " r o ",
        " north of ",      " south of ",   " east of ",      " west of ", " adjacent ",      " adjoining ",
        " adj ",           " part of ",    " ground lease ", " toilets ", " toilet ",        " lodge ",
        " garage ",        " garages ",    " store ",        " stores ",  " shed ",          " annexe ",
        " caretaker ",     " caretakers ", " flat ",         " rooftop ", " apparatus ",     " substation ",
        " sub station ",   " kiosk ",      " access ",       " strip ",   " basement ",      " integrated ",
        " incorporated ",  " derelict ",   " demolished ",   " of the ",  " plant nursery ", " tree nursery ",
        " garden centre ",
    };
    for (std::string_view w : not_a_use)
        if (has(w)) return std::nullopt;
    // Every use the name's words name, each keyword at the start of a word and not the
    // first word of a street's name ("School Road", "Market Street", "Chapel Road").
    static const std::string_view streets[] = {"road",  "rd",  "street", "st",    "lane",  "avenue", "ave",
                                               "drive", "way", "close",  "place", "grove", "walk",   "terrace"};
    std::vector<std::string_view> found;
    for (const auto& [word, code] : use_keywords()) {
        for (size_t at = t.find(word); at != std::string::npos; at = t.find(word, at + 1)) {
            if (t[at - 1] != ' ') continue; // inside a word: "Oaklands" holds no land
            size_t end = t.find(' ', at + word.size());
            size_t next_end = t.find(' ', end + 1);
            const std::string_view next = next_end == std::string::npos
                                              ? std::string_view()
                                              : std::string_view(t).substr(end + 1, next_end - end - 1);
            if (std::find(std::begin(streets), std::end(streets), next) != std::end(streets)) continue;
            if (std::find(found.begin(), found.end(), code) == found.end()) found.push_back(code);
            break;
        }
    }
    // None, or two different ones ("Longford Park, Barn: Parks, Trafford College"): no guess.
    if (found.size() != 1) return std::nullopt;
    // "Humphrey Park, Centre", "Abbotsfield Park (Model Railway Buildings)": a building
    // in a park is not the park.
    const std::string whole = trim(name);
    const size_t comma = whole.find_first_of(",(");
    if (comma != std::string::npos && found[0] == "open_space") {
        const std::string tail = " " + lower(whole.substr(comma + 1)) + " ";
        for (std::string_view b :
             {"centre", "house", "barn", "stables", "building", "block", "rooms", "shelter", "hall"})
            if (tail.find(b) != std::string::npos) return std::nullopt;
    }
    return std::string(found[0]);
}

std::optional<std::string> occupancy_from_text(std::string_view text) {
    std::string t = lower(trim(text));
    if (contains(t, "part")) return std::string("part_occupied");
    if (contains(t, "vacant") || contains(t, "empty") || contains(t, "surplus")) return std::string("vacant");
    if (contains(t, "occupied") || contains(t, "in use") || contains(t, "operational")) return std::string("occupied");
    return std::nullopt;
}

Checked normalise_condition(std::string_view text) {
    std::string t = lower(trim(text));
    if (t.empty()) return {};
    if (t.size() == 1 && t[0] >= 'a' && t[0] <= 'd')
        return {std::string(1, static_cast<char>(std::toupper(t[0]))), std::nullopt};
    if (t == "good") return {"A", std::nullopt};
    if (t == "satisfactory" || t == "fair") return {"B", std::nullopt};
    if (t == "poor") return {"C", std::nullopt};
    if (t == "bad" || t == "very poor") return {"D", std::nullopt};
    return {std::nullopt, problem("bad_condition", "condition",
                                  "condition " + quoted(text) +
                                      " is not A-D or good/satisfactory/poor/bad; stored with no condition")};
}

Checked normalise_date(std::string_view text) {
    std::string t = trim(text);
    if (t.empty()) return {};
    int y = 0, m = 0, d = 0;
    char tail = 0;
    // Try each layout afresh: a failed attempt may have filled some fields.
    auto attempt = [&](const char* format, int* a, int* b, int* c) {
        y = m = d = 0;
        tail = 0;
        return std::sscanf(t.c_str(), format, a, b, c, &tail) >= 3;
    };
    bool parsed = (attempt("%4d-%2d-%2d%c", &y, &m, &d) && y >= 1000) ||
                  (attempt("%4d/%2d/%2d%c", &y, &m, &d) && y >= 1000) || attempt("%2d/%2d/%4d%c", &d, &m, &y);
    // A time part after the date ("2023-09-29T00:00:00") is allowed, other tails are not.
    if (parsed && tail != 0 && tail != 'T' && tail != ' ') parsed = false;
    auto bad = [&](const std::string& why) {
        return Checked{std::nullopt, problem("bad_date", "effective_date",
                                             "date " + quoted(text) + " " + why + "; it is not stored")};
    };
    if (!parsed) return bad("is not a date; write YYYY-MM-DD");
    static const int days_in_month[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m < 1 || m > 12) return bad("has no month " + std::to_string(m));
    int dim = days_in_month[m - 1] + (m == 2 && leap ? 1 : 0);
    if (d < 1 || d > dim) return bad("does not exist (that month has " + std::to_string(dim) + " days)");
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    int this_year = utc.tm_year + 1900;
    if (y < 1800 || y > this_year + 1)
        return bad("is implausible (year outside 1800-" + std::to_string(this_year + 1) + ")");
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return {std::string(buf), std::nullopt};
}

Checked normalise_sector(std::string_view text) {
    std::string t = lower(trim(text));
    if (t.empty()) return {};
    for (const auto& [code, label] : sectors().entries)
        if (t == code || t == lower(label)) return {std::string(code), std::nullopt};
    std::string g = guess_sector(t);
    if (g != "other" || t == "other") return {g, std::nullopt};
    return {std::nullopt, problem("unknown_sector", "sector",
                                  "sector " + quoted(text) + " is not one of: " + sectors().codes_joined() +
                                      "; the sector is guessed from the owner's name")};
}

std::string guess_sector(std::string_view owner_name) {
    std::string t = lower(owner_name);
    static const std::vector<std::pair<std::string_view, std::string_view>> words = {
        {"fire", "fire_and_rescue"},
        {"police", "police"},
        {"constabulary", "police"},
        {"nhs", "health"},
        {"hospital", "health"},
        {"health", "health"},
        {"clinical commissioning", "health"},
        {"ambulance", "health"},
        {"trust", "education"},
        {"department for", "central_government"},
        {"dwp", "central_government"},
        {"hmrc", "central_government"},
        {"ministry", "central_government"},
        {"government", "central_government"},
        {"home office", "central_government"},
        {"academy", "education"},
        {"school", "education"},
        {"college", "education"},
        {"university", "education"},
        {"learning trust", "education"},
        {"education", "education"},
        {"council", "local_government"},
        {"borough", "local_government"},
        {"county", "local_government"},
        {"district", "local_government"},
        {"combined authority", "local_government"},
        {"local government", "local_government"},
    };
    for (const auto& [w, code] : words)
        if (contains(t, w)) return std::string(code);
    return "other";
}

} // namespace estate::model
