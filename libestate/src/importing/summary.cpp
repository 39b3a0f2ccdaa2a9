// What an import says when it is done: the summary every import prints, as text for a
// person and as JSON for a script (the "finish" stage's words; importer.cpp does the rest).

#include "estate/importing/importer.hpp"

#include "estate/model/property.hpp"
#include "estate/util/format.hpp"
#include "estate/util/json.hpp"

#include <ostream>
#include <string>

namespace estate::importing {

namespace {

std::string separator_name(char c) {
    switch (c) {
    case ';':
        return "semicolon";
    case '\t':
        return "tab";
    case '|':
        return "pipe";
    default:
        return "comma";
    }
}

// The profile section that would code a field's unrecognised words, for the user to
// fill in: "[values holding_type]" then "Car Parks = " and the codes to choose from.
std::string values_section(const UnrecognisedValues& u) {
    const model::Vocabulary& v = u.field == "holding_type" ? model::holding_types()
                                 : u.field == "tenure"     ? model::tenures()
                                 : u.field == "use"        ? model::uses()
                                 : u.field == "condition"  ? model::conditions()
                                                           : model::sectors();
    std::string out = "      [values " + u.field + "]\n";
    for (const auto& [words, n] : u.commonest) out += "      " + words + " = \n";
    out += "      (one of: " + v.codes_joined() + ")\n";
    return out;
}

} // namespace

void write_summary_json(std::ostream& out, const ImportSummary& s) {
    util::JsonWriter w(out);
    w.begin_object();
    w.field("dry_run", s.dry_run);
    w.field("batch", s.batch_id).field("source", s.source).field("layer", s.layer);
    w.field("profile", s.profile).field("sha256", s.sha256);
    w.key("inferred_columns").begin_array();
    for (const auto& c : s.inferred_columns)
        w.begin_object().field("field", c.field).field("columns", c.columns).field("reason", c.reason).end_object();
    w.end_array();
    w.field("no_reference_column", s.no_reference_column);
    w.field("read", s.read).field("inserted", s.inserted).field("updated", s.updated);
    w.field("unchanged", s.unchanged).field("rejected", s.rejected).field("stored", s.stored());
    w.field("stored_with_warnings", s.stored_with_warnings);
    w.field("postcode_located", s.postcode_located).field("unlocated", s.unlocated);
    w.field("unlocated_with_postcode", s.unlocated_with_postcode).field("locations_kept", s.locations_kept);
    w.field("postcodes_added", s.postcodes_added).field("postcodes_in_register", s.postcodes_in_register);
    w.field("footprints_repaired", s.footprints_repaired);
    w.key("series").begin_array();
    for (const auto& name : s.series) w.value(name);
    w.end_array();
    w.field("complete", s.complete).field("retired", s.retired).field("reinstated", s.reinstated);
    w.field("re_referenced", s.re_referenced).field("look_like_existing", s.look_like_existing);
    w.key("ambiguous_references").begin_array();
    for (const auto& a : s.ambiguous_references)
        w.begin_object().field("ref", a.ref).field("uprn", a.uprn).field("matches", a.matches).end_object();
    w.end_array();
    w.key("rejected_by_reason").begin_object();
    for (const auto& [k, v] : s.rejected_by_reason) w.field(k, v);
    w.end_object();
    w.key("warnings_by_reason").begin_object();
    for (const auto& [k, v] : s.warnings_by_reason) w.field(k, v);
    w.end_object();
    w.key("unrecognised_values").begin_object();
    for (const auto& u : s.unrecognised) {
        w.key(u.field).begin_object().field("rows", u.rows).field("distinct", u.distinct);
        w.key("commonest").begin_array();
        for (const auto& [words, n] : u.commonest) w.begin_object().field("value", words).field("rows", n).end_object();
        w.end_array().end_object();
    }
    w.end_object();
    w.key("similar_owners").begin_array();
    for (const auto& [name, existing] : s.similar_owners)
        w.begin_object().field("owner", name).field("looks_like", existing).end_object();
    w.end_array();
    w.key("owner_codes_learned").begin_array();
    for (const auto& [code, name] : s.owner_codes_learned)
        w.begin_object().field("code", code).field("owner", name).end_object();
    w.end_array();
    w.key("owners_merged_names").begin_array();
    for (const auto& [name, owner] : s.owners_merged_names)
        w.begin_object().field("name", name).field("owner", owner).end_object();
    w.end_array();
    w.key("owner_codes").begin_array();
    for (const auto& c : s.owner_codes) w.value(c);
    w.end_array();
    w.field("owners_named_from_column", s.owners_named_from_column);
    w.field("skipped_before_header", s.skipped_before_header).field("recoded_values", s.recoded_values);
    w.field("header_rows", s.header_rows).field("utf16", s.utf16).field("layer_note", s.layer_note);
    w.field("separator", separator_name(s.separator));
    w.key("transformed_by").begin_object();
    for (const auto& [how, n] : s.transformed_by) w.field(how, n);
    w.end_object();
    w.key("converted_units").begin_object();
    for (const auto& [field, unit] : s.converted_units) w.field(field, unit);
    w.end_object();
    w.key("shared_uprns").begin_array();
    for (const auto& su : s.shared_uprns) {
        w.begin_object().field("uprn", su.uprn).key("owners").begin_array();
        for (const auto& o : su.owners) w.value(o);
        w.end_array().end_object();
    }
    w.end_array();
    w.key("seconds").begin_object().field("rows", s.seconds_rows).field("index", s.seconds_index);
    w.field("commit", s.seconds_commit);
    w.key("cpu").begin_object().field("read", s.cpu_read).field("check", s.cpu_check);
    w.field("write", s.cpu_write).end_object().end_object();
    w.key("issues_file");
    if (s.issues_file)
        w.value(*s.issues_file);
    else
        w.null();
    w.end_object();
    out << '\n';
}

void write_summary_text(std::ostream& out, const ImportSummary& s) {
    if (s.dry_run)
        out << "Dry run: nothing was written. Importing " << s.source
            << (s.layer.empty() ? "" : " (layer " + s.layer + ")") << " would go as follows; " << s.profile_explanation
            << "\n";
    else
        out << "Imported " << s.source << (s.layer.empty() ? "" : " (layer " + s.layer + ")") << " as batch "
            << s.batch_id << ", " << s.profile_explanation << "\n";
    if (!s.inferred_columns.empty()) {
        out << "  columns inferred (keep them: estate profile guess " << s.source << " > my-profile.ini):\n";
        for (const auto& c : s.inferred_columns)
            out << "    " << c.field << std::string(c.field.size() < 14 ? 14 - c.field.size() : 1, ' ') << "<- "
                << c.columns << "  (" << c.reason << ")\n";
    }
    for (const auto& note : s.mapping_notes) out << "  " << note << "\n";
    if (s.no_reference_column)
        out << "  no column gives the owner's reference: each row is stored under a reference made from its UPRN,\n"
            << "    name, address and location (the same again on the next import while those stay the same)\n";
    if (s.separator != ',')
        out << "  values separated by " << separator_name(s.separator)
            << (s.separator == ';' ? "s (decimal commas read as decimal points)" : "s") << "\n";
    if (!s.layer_note.empty()) out << "  " << s.layer_note << "\n";
    if (s.utf16) out << "  text in UTF-16 (a byte-order mark says so): read as such, stored as UTF-8\n";
    if (s.header_rows == 2) out << "  the header spans two rows: their words joined into each column's name\n";
    if (s.skipped_before_header)
        out << "  the header row lies below " << s.skipped_before_header
            << " row(s) of title or notes, which were skipped\n";
    if (s.recoded_values)
        out << "  " << s.recoded_values << " values were not UTF-8: read as Windows-1252 (what Excel on Windows "
            << "writes) and stored as UTF-8\n";
    for (const auto& [field, unit] : s.converted_units)
        out << "  " << field << " read from a column in " << unit << ", converted (the figure as written kept in "
            << "source_attributes)\n";
    out << "  rows read          " << s.read << "\n";
    out << "  inserted           " << s.inserted << "\n";
    out << "  updated            " << s.updated << "\n";
    out << "  unchanged          " << s.unchanged << "\n";
    out << "  rejected           " << s.rejected << " (not properties, or not told apart from another row)\n";
    out << "  (read = stored " << s.stored() << " + rejected " << s.rejected << ")\n";
    if (s.re_referenced)
        out << "  renumbered         " << s.re_referenced
            << " (a new reference for the UPRN of one current property: that property updated, its old "
               "reference kept as an alias; counted in updated)\n";
    if (s.reinstated) out << "  reinstated         " << s.reinstated << " (retired, and listed again)\n";
    if (s.complete) {
        out << "  retired            " << s.retired << " (the series' properties this complete file no longer lists: "
            << "kept, left out of lists, analyses, exports and the report)\n";
        for (const auto& p : s.retiring_first) out << "    " << p << "\n";
        if (s.retired > std::int64_t(s.retiring_first.size())) out << "    ...\n";
    }
    for (const auto& a : s.ambiguous_references)
        out << "  reference " << a.ref << ": its UPRN " << a.uprn << " is held by " << a.matches
            << " current properties of the owner; not taken as a renumbering (check by hand)\n";
    out << "  stored with warnings " << s.stored_with_warnings
        << " (stored; the value at fault left empty or corrected, the words kept)\n";
    out << "  located by postcode " << s.postcode_located << " of the stored rows\n";
    out << "  unlocated          " << s.unlocated << " of the stored rows (kept; left out of spatial analysis)\n";
    if (s.postcodes_added)
        out << "  postcode lookup    " << s.postcodes_added << " postcodes of the file given added to the register's "
            << "lookup (" << s.postcodes_in_register << " now; later imports use them without --postcodes)\n";
    if (s.unlocated_with_postcode)
        out << "    " << s.unlocated_with_postcode
            << " of them have a full postcode and no postcode lookup placed them: "
            << "load one into the register (estate postcodes load REGISTER FILE, ONS Postcode Directory or "
            << "Code-Point Open) and import again\n";
    if (s.locations_kept)
        out << "  locations kept     " << s.locations_kept
            << " (rows that gave no location for a property the register had placed: its place kept, a warning)\n";
    if (s.footprints_repaired)
        out << "  footprints repaired " << s.footprints_repaired << " (flagged footprint_repaired)\n";
    for (const auto& [how, n] : s.transformed_by)
        out << "  to British National Grid by " << how << ": " << n
            << (how == "OSTN15"    ? " (Ordnance Survey's transformation, to the millimetre)"
                : how == "Helmert" ? " (outside OSTN15's grid: about 5 m)"
                                   : "")
            << "\n";
    for (const auto& [reason, n] : s.rejected_by_reason) out << "  rejected for " << reason << ": " << n << "\n";
    for (const auto& [reason, n] : s.warnings_by_reason) out << "  warning " << reason << ": " << n << "\n";
    for (const auto& u : s.unrecognised) {
        out << "  " << u.field << ": " << u.rows << " rows hold words the register does not recognise (" << u.distinct
            << " different); the commonest:\n";
        for (const auto& [words, n] : u.commonest) out << "    " << n << "  " << words << "\n";
        out << "    to code them, add to a profile (see docs/profile-format.md):\n" << values_section(u);
    }
    if (s.owners_named_from_column)
        out << "  owner: " << s.owners_named_from_column
            << " rows had a code in the owner column; the owner's name was taken from another column\n";
    if (!s.owner_codes.empty()) {
        out << "  OWNER LOOKS LIKE A CODE:";
        for (const auto& c : s.owner_codes) out << " '" << c << "'";
        out << " stored as the owner's name. Name it: estate owners rename REGISTER CODE 'Full Name'\n"
            << "    (or, when that owner is already in the register: estate owners merge REGISTER CODE 'Full Name' "
               "--by "
            << "'Your Name'),\n    and import this agency's files with --owner 'Full Name' (or owner = in a "
               "manifest).\n";
    }
    for (const auto& [name, owner] : s.owners_merged_names)
        out << "  owner '" << name << "' is '" << owner << "' (merged, or its code learned): its rows are stored "
            << "under it\n";
    for (const auto& [code, name] : s.owner_codes_learned)
        out << "  owner code '" << code << "' kept as another name of '" << name
            << "': a later file naming only the code lands on it\n";
    for (const auto& [name, existing] : s.similar_owners)
        out << "  OWNER '" << name << "' LOOKS LIKE '" << existing << "', already in the register. If they are one "
            << "body:\n    estate owners merge REGISTER '" << name << "' '" << existing << "' --by 'Your Name'\n";
    if (s.issues_file) out << "  data issues (rejected rows and warnings): " << *s.issues_file << "\n";
    for (const auto& note : s.notes) out << "  note: " << note << "\n";
    out << "  " << s.look_like_existing
        << " records look like buildings already in the register (estate duplicates lists them)\n";
    if (!s.shared_uprns.empty()) {
        out << "  shared sites (UPRN held by more than one owner): " << s.shared_uprns.size() << "\n";
        size_t shown = 0;
        for (const auto& su : s.shared_uprns) {
            if (++shown > 5) {
                out << "    ...\n";
                break;
            }
            out << "    " << su.uprn << ":";
            for (const auto& o : su.owners) out << " " << o << ";";
            out << "\n";
        }
    }
}

} // namespace estate::importing
