// estate info, estate list, estate show, estate profiles: looking at the register.

#include "command.hpp"

#include "estate/util/format.hpp"

#include "estate/db/queries.hpp"
#include "estate/error.hpp"
#include "estate/io/profile.hpp"
#include "estate/model/property.hpp"
#include "estate/rag/audit.hpp"
#include "estate/rag/status.hpp"
#include "estate/util/csv.hpp"
#include "estate/util/json.hpp"

#include <cstdio>
#include <iostream>

namespace estate::cli {
namespace {

void add_format_options(po::options_description& o) {
    o.add_options()("json", "print JSON on stdout")("csv", "print CSV on stdout");
}

enum class Format { table, csv, json };
Format format_of(const po::variables_map& vm) {
    if (vm.count("json")) return Format::json;
    if (vm.count("csv")) return Format::csv;
    return Format::table;
}

void write_counts(util::JsonWriter& w, const char* key, const std::vector<db::CountRow>& rows) {
    w.key(key).begin_array();
    for (const auto& r : rows) {
        w.begin_object().field("key", r.key).field("properties", r.properties);
        write_recorded(w, "gia_m2", r.gia_m2);
        write_recorded(w, "market_value", r.market_value);
        w.end_object();
    }
    w.end_array();
}

class Info : public Command {
public:
    std::string name() const override { return "info"; }
    std::string synopsis() const override { return "estate info REGISTER [--json]"; }
    std::string description() const override {
        return "Counts of the register's properties by owner, sector, use, holding type, tenure\n"
               "and location quality, with floor area and value totals.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(), "the register file")("json",
                                                                                               "print JSON on stdout");
        p.add("register", 1);
    }
    int run(const po::variables_map& vm) override {
        auto reg = db::Register::open(vm["register"].as<std::string>(), true);
        auto info = db::register_info(reg);
        const auto audit = rag::audit_history(reg);
        if (vm.count("json")) {
            util::JsonWriter w(std::cout, true);
            w.begin_object()
                .field("register", info.path)
                .field("schema_version", info.schema_version)
                .field("area", info.area)
                .field("partnership", info.partnership)
                .field("statuses_by_officer", info.statuses_by_officer)
                .field("statuses_by_rules", info.statuses_by_rules)
                .field("history_guards_restored", info.history_guards_restored)
                .field("history_rows", audit.history_rows)
                .field("history_findings", static_cast<std::int64_t>(audit.findings.size()))
                .field("properties", info.properties)
                .field("owners", info.owners)
                .field("import_batches", info.batches)
                .field("rejected_rows", info.rejected_rows)
                .field("properties_with_warnings", info.properties_with_warnings)
                .field("retired", info.retired);
            w.key("warnings_by_reason").begin_object();
            for (const auto& [reason, n] : info.warnings_by_reason) w.field(reason, n);
            w.end_object();
            w.key("owners_named_by_code").begin_array();
            for (const auto& o : info.owners_named_by_code) w.value(o);
            w.end_array();
            write_counts(w, "by_owner", info.by_owner);
            write_counts(w, "by_sector", info.by_sector);
            write_counts(w, "by_use", info.by_use);
            write_counts(w, "by_holding_type", info.by_holding_type);
            write_counts(w, "by_tenure", info.by_tenure);
            write_counts(w, "by_location_quality", info.by_location_quality);
            write_counts(w, "by_location_transform", info.by_location_transform);
            w.end_object();
            std::cout << "\n";
            return exit_ok;
        }
        std::cout << "Register " << info.path << " (schema " << info.schema_version << ")\n";
        if (info.area || info.partnership)
            std::cout << "Area: " << info.area.value_or("not named")
                      << "; partnership: " << info.partnership.value_or("not named") << "\n";
        else
            std::cout << "Area and partnership not named: `estate init --area NAME --partnership NAME`, or the "
                         "manifest's area and partnership keys, name them for board papers\n";
        std::cout << info.properties << " properties of " << info.owners << " owners, from " << info.batches
                  << " import batches (" << info.rejected_rows << " rejected rows kept)\n"
                  << "Statuses: " << info.statuses_by_officer << " set by an officer, " << info.statuses_by_rules
                  << " suggested by the rules and not yet confirmed\n";
        std::cout << rag::describe(audit, info.path) << "\n";
        if (info.history_guards_restored)
            std::cout << "The RAG history's triggers were found removed and put back (" << *info.history_guards_restored
                      << "): status changes made while they were missing have no history\n";
        if (info.retired)
            std::cout << info.retired << " retired properties (no longer listed by a complete return of their "
                      << "series; kept, not counted below; estate list --include-retired shows them)\n";
        if (info.properties_with_warnings) {
            std::cout << info.properties_with_warnings << " properties stored with warnings (";
            for (size_t i = 0; i < info.warnings_by_reason.size(); ++i)
                std::cout << (i ? ", " : "") << info.warnings_by_reason[i].first << " "
                          << info.warnings_by_reason[i].second;
            std::cout << "); see the property_warnings table or each import's data-issues CSV\n";
        }
        for (const auto& o : info.owners_named_by_code)
            std::cout << "OWNER NAMED BY A CODE: '" << o << "' looks like a code, not a name; name it with: estate "
                      << "owners rename " << info.path << " '" << o << "' 'Full Name'\n";
        auto section = [](const char* title, const std::vector<db::CountRow>& rows, const model::Vocabulary* vocab) {
            std::cout << "\n" << title << "\n";
            std::vector<std::vector<std::string>> table;
            for (const auto& r : rows)
                table.push_back({vocab ? std::string(vocab->label(r.key)) : r.key, std::to_string(r.properties),
                                 util::recorded_text(r.gia_m2, r.properties),
                                 util::recorded_text(r.market_value, r.properties)});
            print_table(std::cout, {"", "properties", "GIA m2", "value £"}, table);
        };
        section("By owner", info.by_owner, nullptr);
        section("By sector", info.by_sector, &model::sectors());
        section("By use", info.by_use, &model::uses());
        section("By holding type", info.by_holding_type, &model::holding_types());
        section("By tenure", info.by_tenure, &model::tenures());
        section("By location quality", info.by_location_quality, &model::location_qualities());
        section("Located, by how the coordinates reached the grid (OSTN15: to the millimetre; Helmert: about 5 m)",
                info.by_location_transform, nullptr);
        return exit_ok;
    }
};

/// Writes properties as they come: JSON and CSV one at a time (a county of a million
/// in little memory), the table for people once all are in (its columns fit them).
class RecordWriter {
public:
    explicit RecordWriter(Format format) : format_(format), json_(std::cout, true) {
        if (format_ == Format::json) json_.begin_array();
        if (format_ == Format::csv) {
            std::vector<std::string> header;
            for (const auto& [k, v] : db::record_fields(db::PropertyRecord{})) header.push_back(k);
            util::write_csv_row(std::cout, header);
        }
    }
    void add(const db::PropertyRecord& r) {
        ++count_;
        if (format_ == Format::json) {
            json_.begin_object();
            db::write_record_fields(json_, r);
            json_.end_object();
        } else if (format_ == Format::csv) {
            row_.clear();
            for (auto& [k, v] : db::record_fields(r)) row_.push_back(std::move(v));
            util::write_csv_row(std::cout, row_);
        } else {
            rows_.push_back({std::to_string(r.id), r.owner, r.ref, r.name.value_or(""),
                             std::string(model::uses().label(r.use)),
                             r.tenure ? std::string(model::tenures().label(*r.tenure)) : "", r.postcode.value_or(""),
                             r.location_quality, r.rag_status});
        }
    }
    /// Ends the output; returns how many properties it holds.
    std::int64_t finish() {
        if (format_ == Format::json) {
            json_.end_array();
            std::cout << "\n";
        } else if (format_ == Format::table) {
            print_table(std::cout, {"id", "owner", "ref", "name", "use", "tenure", "postcode", "located", "RAG"},
                        rows_);
        }
        return count_;
    }

private:
    Format format_;
    util::JsonWriter json_;
    std::vector<std::string> row_;
    std::vector<std::vector<std::string>> rows_;
    std::int64_t count_ = 0;
};

class List : public Command {
public:
    std::string name() const override { return "list"; }
    std::string synopsis() const override {
        return "estate list REGISTER [--owner O] [--sector S] [--use U] [--tenure T] [--search TEXT] [--csv|--json]";
    }
    std::string description() const override {
        return "Lists properties, filtered. Codes for --sector, --use, --tenure, --holding-type\n"
               "and --located are those 'estate info' shows (e.g. --use library,\n"
               "--tenure leasehold_in, --located unlocated). --search matches name, address,\n"
               "postcode, reference and UPRN. A table for people; --csv and --json give every field.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(), "the register file");
        add_property_filter_options(o);
        add_format_options(o);
        p.add("register", 1);
    }
    int run(const po::variables_map& vm) override {
        const db::ListFilter f = read_property_filter(vm);
        auto reg = db::Register::open(vm["register"].as<std::string>(), true);
        RecordWriter out(format_of(vm));
        db::for_each_property(reg, f, false,
                              [&out](const db::PropertyRecord& r, const std::vector<unsigned char>&) { out.add(r); });
        std::cerr << out.finish() << " properties\n";
        return exit_ok;
    }
};

class Show : public Command {
public:
    std::string name() const override { return "show"; }
    std::string synopsis() const override { return "estate show REGISTER PROPERTY [--json]"; }
    std::string description() const override {
        return "Shows every field of one property, found by id, UPRN or owner's reference.\n"
               "When the key matches several properties (a shared UPRN), all are shown. A building\n"
               "listed twice (estate duplicates counts it once) names its other records: a tag on\n"
               "either tags the building.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(),
                        "the register file")("property", po::value<std::string>()->required(),
                                             "id, UPRN or owner's reference")("json", "print JSON on stdout");
        p.add("register", 1).add("property", 1);
    }
    int run(const po::variables_map& vm) override {
        auto reg = db::Register::open(vm["register"].as<std::string>(), true);
        auto key = vm["property"].as<std::string>();
        auto records = db::find_properties(reg, key);
        if (records.empty()) {
            std::cerr << "estate show: no property has id, UPRN or reference '" << key
                      << "'; 'estate list --search' finds by name\n";
            return exit_failure;
        }
        // A building listed twice (a duplicate group counted once) is one building: its
        // other records are named with it, told apart by owner, reference and address.
        std::vector<std::vector<db::PropertyRecord>> same_building;
        for (const auto& r : records) {
            auto& others = same_building.emplace_back();
            for (std::int64_t id : db::same_building_records(reg, r.id))
                others.push_back(db::property_with_id(reg, id));
        }
        auto words = [](const db::PropertyRecord& o) {
            return o.owner + " " + o.ref + " (" + o.name.value_or(o.ref) +
                   (o.address    ? ", " + *o.address
                    : o.postcode ? ", " + *o.postcode
                                 : std::string()) +
                   ", id " + std::to_string(o.id) + ")";
        };
        if (vm.count("json")) {
            util::JsonWriter w(std::cout, true);
            w.begin_array();
            for (size_t i = 0; i < records.size(); ++i) {
                w.begin_object();
                db::write_record_fields(w, records[i]);
                w.key("same_building").begin_array();
                for (const auto& o : same_building[i])
                    w.begin_object()
                        .field("id", o.id)
                        .field("owner", o.owner)
                        .field("ref", o.ref)
                        .field("name", o.name)
                        .field("address", o.address)
                        .end_object();
                w.end_array().end_object();
            }
            w.end_array();
            std::cout << "\n";
            return exit_ok;
        }
        for (size_t i = 0; i < records.size(); ++i) {
            if (i) std::cout << "\n";
            for (const auto& [k, v] : db::record_fields(records[i]))
                if (!v.empty()) std::cout << k << std::string(k.size() < 18 ? 18 - k.size() : 1, ' ') << v << "\n";
            for (const auto& o : same_building[i])
                std::cout << "also listed as    " << words(o) << ": the same building (estate duplicates)\n";
        }
        return exit_ok;
    }
};

class Profiles : public Command {
public:
    std::string name() const override { return "profiles"; }
    std::string synopsis() const override { return "estate profiles [NAME]"; }
    std::string description() const override {
        return "Lists the built-in mapping profiles, or prints one (a starting point for your own:\n"
               "save it, edit it, pass the file to 'estate import --profile FILE').";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("name", po::value<std::string>(), "profile to print");
        p.add("name", 1);
    }
    int run(const po::variables_map& vm) override;
};

} // namespace

int Profiles::run(const po::variables_map& vm) {
    if (vm.count("name")) {
        auto name = vm["name"].as<std::string>();
        if (auto text = io::builtin_profile_text(name)) {
            std::cout << *text;
            return exit_ok;
        }
        throw usage_error("no built-in profile '" + name + "'; 'estate profiles' lists them");
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : io::builtin_profiles())
        rows.push_back({p.name, p.detect.empty() ? "no" : "yes", p.description});
    print_table(std::cout, {"profile", "recognised", "description"}, rows);
    return exit_ok;
}

std::unique_ptr<Command> make_info() {
    return std::make_unique<Info>();
}
std::unique_ptr<Command> make_list() {
    return std::make_unique<List>();
}
std::unique_ptr<Command> make_show() {
    return std::make_unique<Show>();
}
std::unique_ptr<Command> make_profiles() {
    return std::make_unique<Profiles>();
}

} // namespace estate::cli
