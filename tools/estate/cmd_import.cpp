// estate import, estate load: bringing sources into the register.

#include "command.hpp"

#include "estate/db/postcode_lookup.hpp"
#include "estate/db/register.hpp"
#include "estate/error.hpp"
#include "estate/geo/crs.hpp"
#include "estate/geo/geometry.hpp"
#include "estate/importing/importer.hpp"
#include "estate/importing/manifest.hpp"
#include "estate/io/postcodes.hpp"
#include "estate/io/source.hpp"
#include "estate/util/json.hpp"

#include <filesystem>
#include <memory>
#include <optional>

#include <iostream>
#include <unistd.h>

namespace estate::cli {
namespace {

std::optional<std::string> opt_string(const po::variables_map& vm, const char* key) {
    if (!vm.count(key)) return std::nullopt;
    return vm[key].as<std::string>();
}

// An empty register in the temporary folder, for a dry run into a register not made yet.
struct ScratchRegister {
    std::string path;
    ScratchRegister() {
        path = (std::filesystem::temp_directory_path() / ("estate-dry-run-" + std::to_string(::getpid()) + ".sqlite"))
                   .string();
        remove();
        db::Register::create(path);
    }
    ~ScratchRegister() { remove(); }
    ScratchRegister(const ScratchRegister&) = delete;
    ScratchRegister& operator=(const ScratchRegister&) = delete;
    void remove() const {
        std::error_code ec;
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix, ec);
    }
};

class Import : public Command {
public:
    std::string name() const override { return "import"; }
    std::string synopsis() const override {
        return "estate import REGISTER SOURCE [--profile NAME|FILE] [--owner NAME] [--layer L] [--source NAME] "
               "[--complete [--yes]] [--dry-run] [--json]";
    }
    std::string description() const override {
        return "Imports one source (CSV, GeoJSON, Shapefile, GeoPackage, XLSX, ... anything GDAL\n"
               "reads) into the register, in one transaction. Each row is inserted, updated\n"
               "(same owner + owner's reference), left unchanged, or rejected with a reason;\n"
               "rows read = stored + rejected, always. Only rows that are not properties (blank,\n"
               "a repeated header, totals or notes) or that repeat another row's reference are\n"
               "rejected: a row with a bad or unknown value is stored with a warning, the value\n"
               "left empty (or corrected, e.g. swapped latitude/longitude) and its words kept.\n"
               "Rejections and warnings are kept in the register and written to one data-issues\n"
               "CSV. Reads CSV separated by , ; tab or |, Windows-1252 text, a header below a\n"
               "title, zipped Shapefiles (.zip). Without --profile the format is recognised from\n"
               "its headers ('estate profiles' lists them), and any column no profile maps is\n"
               "inferred from its header words and its values (postcodes, eastings, WKT, ...):\n"
               "the summary names each inferred column and why; --dry-run shows it all and\n"
               "writes nothing; 'estate profile guess SOURCE' writes it as a profile to edit.\n"
               "A file with no reference column is stored under references made from each\n"
               "row's content; rows sharing a reference but naming different buildings are\n"
               "both stored (a repeated_reference warning).\n"
               "Yearly returns: imports of one source form a series (--source NAME; default the\n"
               "profile and the owner). --complete says the file is the whole series now: its\n"
               "properties the file no longer lists are retired (kept, never deleted) and come\n"
               "back if listed again; a row with a new reference and the UPRN of exactly one\n"
               "current property of its owner renumbers that property (old reference kept).\n"
               "When --complete would retire more than 10% of the series, nothing is written and\n"
               "the first 20 are listed: give --yes if the file really is the whole series.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(), "the register file")(
            "file", po::value<std::string>()->required(), "the file to import (SOURCE)")(
            "profile", po::value<std::string>(), "built-in profile name or profile file")(
            "owner", po::value<std::string>(), "owner of every row (overrides the file)")(
            "layer", po::value<std::string>(), "layer of a multi-layer source")(
            "postcodes", po::value<std::vector<std::string>>()->composing(),
            "postcode lookup CSV (ONS Postcode Directory style) for rows with no coordinates; repeatable")(
            "boundary", po::value<std::string>(), "locations outside this polygon file are not used (a warning)")(
            "issues", po::value<std::string>(),
            "where to write the data-issues CSV (rejected rows and warnings; default beside the register)")(
            "rejects", po::value<std::string>(), "the same as --issues (its former name)")(
            "source", po::value<std::string>(),
            "the series this file belongs to (default: the profile and each row's owner)")(
            "complete", "the file is the whole of its series now: retire the series' properties it does not "
                        "list (kept, left out of lists, analyses, exports and the report)")(
            "yes", "with --complete: retire however many the file no longer lists (without it, more than "
                   "10% of the series stops the import)")(
            "dry-run",
            "check every row and print what the import would do (the mapping, the counts); write "
            "nothing, not even the data-issues CSV")("json", "print the summary as one JSON object on stdout");
        add_progress_options(o);
        p.add("register", 1).add("file", 1);
    }
    int run(const po::variables_map& vm) override {
        const std::string path = vm["register"].as<std::string>();
        const bool dry_run = vm.count("dry-run") > 0;
        // A dry run before the register exists: into a scratch register, removed after.
        std::optional<ScratchRegister> scratch;
        if (dry_run && !std::filesystem::exists(path)) scratch.emplace();
        auto reg = scratch ? db::Register::open(scratch->path) : db::Register::open(path);
        io::PostcodeIndex postcodes;
        if (vm.count("postcodes")) importing::read_postcodes(postcodes, vm["postcodes"].as<std::vector<std::string>>());
        auto boundary = importing::read_boundary(opt_string(vm, "boundary"));
        importing::ImportOptions o;
        o.source = vm["file"].as<std::string>();
        o.profile = opt_string(vm, "profile");
        o.owner = opt_string(vm, "owner");
        o.layer = opt_string(vm, "layer");
        o.issues_path = opt_string(vm, "issues");
        if (!o.issues_path) o.issues_path = opt_string(vm, "rejects");
        o.series = opt_string(vm, "source");
        o.complete = vm.count("complete") > 0;
        o.confirmed = vm.count("yes") > 0;
        o.dry_run = dry_run;
        o.postcodes = postcodes.size() ? &postcodes : nullptr;
        o.boundary = boundary ? &*boundary : nullptr;
        o.cancel = interrupt_flag();
        ProgressLine progress(vm, "import " + o.source);
        o.progress = progress.counter("rows");
        install_interrupt_handler();
        auto s = importing::import_source(reg, o);
        progress.finish();
        if (vm.count("json"))
            importing::write_summary_json(std::cout, s);
        else
            importing::write_summary_text(std::cerr, s);
        return exit_ok;
    }
};

class Load : public Command {
public:
    std::string name() const override { return "load"; }
    std::string synopsis() const override { return "estate load REGISTER MANIFEST [--json]"; }
    std::string description() const override {
        return "Imports every source a manifest lists (each its own batch and transaction),\n"
               "with the manifest's postcode lookup and boundary. The register is created\n"
               "when it does not exist. Loading the same manifest again changes nothing.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(),
                        "the register file")("manifest", po::value<std::string>()->required(), "the manifest (.ini)")(
            "json", "print a JSON array of import summaries on stdout");
        add_progress_options(o);
        p.add("register", 1).add("manifest", 1);
    }
    int run(const po::variables_map& vm) override {
        auto path = vm["register"].as<std::string>();
        auto manifest = importing::read_manifest(vm["manifest"].as<std::string>());
        const bool json = vm.count("json") > 0;
        importing::LoadOptions o;
        o.cancel = interrupt_flag();
        // A progress line for each source, alive as long as the callback the import holds.
        o.progress = [&vm](const importing::ManifestSource& src) {
            auto line = std::make_shared<ProgressLine>(vm, "load " + src.name);
            auto count = line->counter("rows");
            return count ? [line, count](std::int64_t done, std::optional<std::int64_t> total) { count(done, total); }
                         : decltype(count){};
        };
        bool first = true;
        o.imported = [&](const importing::ManifestSource& src, const importing::ImportSummary& s) {
            if (json) {
                std::cout << (first ? "[" : ",");
                importing::write_summary_json(std::cout, s);
            } else {
                std::cerr << "[" << src.name << "] ";
                importing::write_summary_text(std::cerr, s);
            }
            first = false;
        };
        if (!std::filesystem::exists(path)) std::cerr << "Creating register " << path << "\n";
        install_interrupt_handler();
        importing::load_manifest(path, manifest, o);
        if (json) std::cout << (first ? "[" : "");
        if (json) std::cout << "]\n";
        return exit_ok;
    }
};

} // namespace

class ProfileGuess : public Command {
public:
    std::string name() const override { return "profile guess"; }
    std::string synopsis() const override {
        return "estate profile guess SOURCE [--owner NAME] [--layer L] [--profile NAME|FILE] > my-profile.ini";
    }
    std::string description() const override {
        return "Prints the mapping 'estate import' would use for SOURCE as a profile to edit:\n"
               "each register field's column, with why it was taken (a built-in profile that\n"
               "recognises the file, a header word, or what the column holds). Edit it, then\n"
               "import with --profile my-profile.ini. Reads only the first 1,000 rows.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("file", po::value<std::string>()->required(), "the file (SOURCE)")(
            "owner", po::value<std::string>(), "owner of every row: written as a fixed value")(
            "layer", po::value<std::string>(), "layer of a multi-layer source")(
            "profile", po::value<std::string>(), "start from this profile (built-in name or file)");
        p.add("file", 1);
    }
    int run(const po::variables_map& vm) override {
        importing::ImportOptions o;
        o.source = vm["file"].as<std::string>();
        o.owner = opt_string(vm, "owner");
        o.layer = opt_string(vm, "layer");
        o.profile = opt_string(vm, "profile");
        std::cout << importing::guess_profile_text(o);
        return exit_ok;
    }
};

class PostcodesLoad : public Command {
public:
    std::string name() const override { return "postcodes load"; }
    std::string synopsis() const override { return "estate postcodes load REGISTER FILE [FILE]..."; }
    std::string description() const override {
        return "Keeps a postcode lookup in the register: the ONS Postcode Directory (pcds with\n"
               "lat/long or oseast1m/osnrth1m) or Ordnance Survey's Code-Point Open CSVs (OGL).\n"
               "Every later import places rows that have a postcode and no coordinates by it,\n"
               "with no --postcodes; loading again adds to it and moves centroids that changed.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(), "the register file")(
            "file", po::value<std::vector<std::string>>()->required()->composing(), "postcode lookup CSV(s)");
        p.add("register", 1).add("file", -1);
    }
    int run(const po::variables_map& vm) override {
        auto reg = db::Register::open(vm["register"].as<std::string>());
        io::PostcodeIndex index;
        std::int64_t skipped = 0;
        for (const auto& f : vm["file"].as<std::vector<std::string>>()) {
            io::PostcodeIndex one;
            one.load(f);
            if (one.size() == 0)
                throw file_error("postcode lookup " + f + " holds no postcode with a place: nothing loaded");
            skipped += one.skipped();
            index.add(one);
        }
        const auto kept = db::keep_postcodes(reg, index);
        std::cerr << "Postcode lookup: " << index.size() << " postcodes read (" << kept.added << " new, "
                  << kept.replaced << " moved"
                  << (skipped ? ", " + std::to_string(skipped) +
                                    " rows without a "
                                    "usable place skipped"
                              : "")
                  << "); the register holds " << kept.total << ". Imports now place rows by postcode without "
                  << "--postcodes.\n";
        return exit_ok;
    }
};

std::unique_ptr<Command> make_import() {
    return std::make_unique<Import>();
}
std::unique_ptr<Command> make_postcodes_load() {
    return std::make_unique<PostcodesLoad>();
}
std::unique_ptr<Command> make_profile_guess() {
    return std::make_unique<ProfileGuess>();
}
std::unique_ptr<Command> make_load() {
    return std::make_unique<Load>();
}

} // namespace estate::cli
