#include "command.hpp"

#include "estate/util/format.hpp"

#include "estate/error.hpp"
#include "estate/model/property.hpp"
#include "estate/rag/status.hpp"

#include <csignal>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace estate::cli {
namespace {

std::atomic<bool> interrupted{false};

extern "C" void on_signal(int) {
    interrupted.store(true);
}

} // namespace

std::vector<std::unique_ptr<Command>> all_commands() {
    std::vector<std::unique_ptr<Command>> c;
    c.push_back(make_init());
    c.push_back(make_import());
    c.push_back(make_load());
    c.push_back(make_postcodes_load());
    c.push_back(make_info());
    c.push_back(make_verify());
    c.push_back(make_list());
    c.push_back(make_show());
    c.push_back(make_clusters());
    c.push_back(make_hubs());
    c.push_back(make_nearest());
    c.push_back(make_runs());
    c.push_back(make_export());
    c.push_back(make_receipts());
    c.push_back(make_report());
    c.push_back(make_officers_add());
    c.push_back(make_officers_list());
    c.push_back(make_officers_remove());
    c.push_back(make_officers_password());
    c.push_back(make_serve());
    c.push_back(make_rag_set());
    c.push_back(make_set());
    c.push_back(make_duplicates());
    c.push_back(make_duplicates_confirm());
    c.push_back(make_duplicates_reject());
    c.push_back(make_rag_bulk());
    c.push_back(make_rag_history());
    c.push_back(make_rag_summary());
    c.push_back(make_rag_suggest());
    c.push_back(make_rag_apply_rules());
    c.push_back(make_rag_rules());
    c.push_back(make_profiles());
    c.push_back(make_profile_guess());
    c.push_back(make_synth());
    c.push_back(make_migrate());
    c.push_back(make_owners_rename());
    c.push_back(make_owners_merge());
    return c;
}

void add_progress_options(po::options_description& opts) {
    opts.add_options()("progress", "show progress on stderr even when it is not a terminal")("no-progress",
                                                                                             "never show progress");
}

bool show_progress(const po::variables_map& vm) {
    if (vm.count("no-progress")) return false;
    if (vm.count("progress")) return true;
    return isatty(STDERR_FILENO) != 0;
}

ProgressLine::ProgressLine(const po::variables_map& vm, std::string label)
    : on_(show_progress(vm)), label_(std::move(label)) {}

void ProgressLine::show(const std::string& what, std::int64_t done, std::int64_t total) {
    if (!on_) return;
    if (what != step_) finish();
    step_ = what;
    std::cerr << "\r" << label_ << ": " << util::thousands(static_cast<double>(done));
    if (total > 0) std::cerr << " of " << util::thousands(static_cast<double>(total));
    std::cerr << " " << what << std::flush;
}

void ProgressLine::finish() {
    if (!step_.empty()) std::cerr << "\n";
    step_.clear();
}

std::function<void(std::int64_t, std::optional<std::int64_t>)> ProgressLine::counter(std::string unit) {
    if (!on_) return {};
    return [this, unit](std::int64_t done, std::optional<std::int64_t> total) {
        if (total && done >= *total && finished_at_ == done) return; // said already
        show(unit, done, total.value_or(0));
        if (total && done >= *total) { // all done: what follows starts on a line of its own
            finish();
            finished_at_ = done;
        }
    };
}

std::function<void(const std::string&, std::int64_t, std::int64_t)> ProgressLine::steps() {
    if (!on_) return {};
    return [this](const std::string& what, std::int64_t done, std::int64_t total) { show(what, done, total); };
}

const std::atomic<bool>* interrupt_flag() {
    return &interrupted;
}

void install_interrupt_handler() {
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
}

void add_property_filter_options(po::options_description& o) {
    o.add_options()("owner", po::value<std::string>(),
                    "owner name (exact, any case)")("sector", po::value<std::string>(), "sector code")(
        "use", po::value<std::string>(), "use code")("tenure", po::value<std::string>(), "tenure code")(
        "holding-type", po::value<std::string>(),
        "land, buildings or land_and_buildings")("located", po::value<std::string>(), "source, postcode or unlocated")(
        "use-source", po::value<std::string>(),
        "where the use came from: source, name (the review list of guesses) or officer")(
        "status", po::value<std::string>(), "RAG status: red, amber, green or unassessed")(
        "search", po::value<std::string>(), "text to look for in name, address, postcode, reference, UPRN")(
        "limit", po::value<std::int64_t>(),
        "at most this many")("include-retired", "also properties a complete return no longer lists (retired)");
}

db::ListFilter read_property_filter(const po::variables_map& vm) {
    db::ListFilter f;
    auto get = [&](const char* k) -> std::optional<std::string> {
        if (!vm.count(k)) return std::nullopt;
        return vm[k].as<std::string>();
    };
    // The coded filters: each option, the filter it sets and the codes it takes.
    struct Coded {
        const char* option;
        std::optional<std::string> db::ListFilter::*filter;
        const model::Vocabulary& codes;
    };
    const Coded coded[] = {{"sector", &db::ListFilter::sector, model::sectors()},
                           {"use", &db::ListFilter::use, model::uses()},
                           {"tenure", &db::ListFilter::tenure, model::tenures()},
                           {"holding-type", &db::ListFilter::holding_type, model::holding_types()},
                           {"located", &db::ListFilter::location_quality, model::location_qualities()},
                           {"use-source", &db::ListFilter::use_source, model::use_sources()},
                           {"status", &db::ListFilter::rag_status, model::rag_statuses()}};
    for (const auto& c : coded) {
        auto& v = f.*c.filter;
        v = get(c.option);
        if (v && !c.codes.contains(*v))
            throw usage_error(c.option, "'" + *v + "' is not one of: " + c.codes.codes_joined());
    }
    f.owner = get("owner");
    f.text = get("search");
    if (vm.count("limit")) f.limit = vm["limit"].as<std::int64_t>();
    f.include_retired = vm.count("include-retired") > 0;
    return f;
}

void print_wrapped(std::ostream& out, const std::string& text, const std::string& indent, size_t width) {
    std::istringstream words(text);
    std::string word, line;
    auto length = [](const std::string& s) { // UTF-8 code points
        size_t n = 0;
        for (unsigned char c : s) n += (c & 0xC0) != 0x80;
        return n;
    };
    while (words >> word) {
        if (!line.empty() && length(indent + line + " " + word) > width) {
            out << indent << line << "\n";
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
    }
    if (!line.empty()) out << indent << line << "\n";
}

void write_recorded(util::JsonWriter& w, const std::string& key, const util::RecordedSum& sum) {
    w.key(key);
    if (sum.recorded)
        w.value(sum.total);
    else
        w.null();
    w.field(key + "_recorded", sum.recorded);
}

std::vector<std::string> recorded_cells(const util::RecordedSum& sum) {
    return {sum.recorded ? util::fixed(sum.total, 2) : "", std::to_string(sum.recorded)};
}

void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows) {
    std::vector<size_t> width(header.size());
    auto measure = [](const std::string& s) {
        size_t n = 0; // count UTF-8 code points, not bytes
        for (unsigned char c : s) n += (c & 0xC0) != 0x80;
        return n;
    };
    for (size_t i = 0; i < header.size(); ++i) width[i] = measure(header[i]);
    for (const auto& r : rows)
        for (size_t i = 0; i < r.size() && i < width.size(); ++i)
            width[i] = std::max(width[i], std::min<size_t>(measure(r[i]), 40));
    auto line = [&](const std::vector<std::string>& r) {
        for (size_t i = 0; i < r.size(); ++i) {
            std::string cell = r[i];
            if (measure(cell) > 40) {
                // cut at a code point boundary
                size_t n = 0, b = 0;
                for (; b < cell.size() && n < 39; ++b) n += (static_cast<unsigned char>(cell[b]) & 0xC0) != 0x80;
                while (b < cell.size() && (static_cast<unsigned char>(cell[b]) & 0xC0) == 0x80) ++b;
                cell = cell.substr(0, b) + "…";
            }
            out << cell;
            if (i + 1 < r.size()) out << std::string(width[i] - measure(cell) + 2, ' ');
        }
        out << '\n';
    };
    line(header);
    for (const auto& r : rows) line(r);
}

} // namespace estate::cli
