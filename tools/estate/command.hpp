#pragma once
// The `estate` program is a set of commands, each a thin shell over libestate:
// parse options (usage errors -> exit 2), call the library, print. Data goes to
// stdout, messages and progress to stderr.

#include "estate/db/queries.hpp"
#include "estate/util/format.hpp"
#include "estate/util/json.hpp"

#include <boost/program_options.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace estate::cli {

namespace po = boost::program_options;

/// Exit codes, documented in --help and docs/cli.md.
enum ExitCode { exit_ok = 0, exit_failure = 1, exit_usage = 2 };

class Command {
public:
    virtual ~Command() = default;
    /// One word ("import") or two ("rag set").
    virtual std::string name() const = 0;
    /// One line: "estate import REGISTER SOURCE [OPTIONS]".
    virtual std::string synopsis() const = 0;
    /// What it does, for --help (several lines allowed).
    virtual std::string description() const = 0;
    virtual void options(po::options_description& opts, po::positional_options_description& pos) = 0;
    virtual int run(const po::variables_map& vm) = 0;
};

/// Every command, in the order `estate --help` lists them.
std::vector<std::unique_ptr<Command>> all_commands();

// Command factories (one per cmd_*.cpp).
std::unique_ptr<Command> make_init();
std::unique_ptr<Command> make_migrate();
std::unique_ptr<Command> make_owners_rename();
std::unique_ptr<Command> make_owners_merge();
std::unique_ptr<Command> make_import();
std::unique_ptr<Command> make_load();
std::unique_ptr<Command> make_postcodes_load();
std::unique_ptr<Command> make_info();
std::unique_ptr<Command> make_list();
std::unique_ptr<Command> make_show();
std::unique_ptr<Command> make_profiles();
std::unique_ptr<Command> make_profile_guess();
std::unique_ptr<Command> make_synth();
std::unique_ptr<Command> make_clusters();
std::unique_ptr<Command> make_hubs();
std::unique_ptr<Command> make_nearest();
std::unique_ptr<Command> make_runs();
std::unique_ptr<Command> make_export();
std::unique_ptr<Command> make_receipts();
std::unique_ptr<Command> make_report();
std::unique_ptr<Command> make_rag_set();
std::unique_ptr<Command> make_rag_history();
std::unique_ptr<Command> make_rag_bulk();
std::unique_ptr<Command> make_rag_summary();
std::unique_ptr<Command> make_rag_suggest();
std::unique_ptr<Command> make_rag_apply_rules();
std::unique_ptr<Command> make_rag_rules();
std::unique_ptr<Command> make_officers_add();
std::unique_ptr<Command> make_set();
std::unique_ptr<Command> make_duplicates();
std::unique_ptr<Command> make_duplicates_confirm();
std::unique_ptr<Command> make_duplicates_reject();
std::unique_ptr<Command> make_officers_list();
std::unique_ptr<Command> make_officers_remove();
std::unique_ptr<Command> make_officers_password();
std::unique_ptr<Command> make_serve();
std::unique_ptr<Command> make_verify();

/// Whether to draw progress on stderr: --progress / --no-progress, else only on a terminal.
bool show_progress(const po::variables_map& vm);
/// The one progress printer of every command: on stderr, when wanted (show_progress), one
/// line redrawn for each step ("import x.csv: 12,000 of 608,000 rows"); a new step, or
/// finish(), ends the line. Its callbacks take the library's shapes of progress.
class ProgressLine {
public:
    ProgressLine(const po::variables_map& vm, std::string label);
    ~ProgressLine() { finish(); }
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;
    /// @p done of @p total (0 or less: not known) of @p what.
    void show(const std::string& what, std::int64_t done, std::int64_t total);
    void finish();
    /// For work counted in one unit (import's rows, receipts' runs); empty when off.
    std::function<void(std::int64_t, std::optional<std::int64_t>)> counter(std::string unit);
    /// For work of several steps (clusters, hubs); empty when off.
    std::function<void(const std::string&, std::int64_t, std::int64_t)> steps();

private:
    bool on_;
    std::string label_, step_;
    std::int64_t finished_at_ = -1; // the count a counter() finished at
};
/// Adds --progress/--no-progress.
void add_progress_options(po::options_description& opts);

/// The property filters of `list` and `export`: --owner, --sector, --use, --tenure,
/// --holding-type, --located, --status, --search, --limit.
void add_property_filter_options(po::options_description& opts);
/// Reads them, checking each code against its vocabulary (usage_error otherwise).
db::ListFilter read_property_filter(const po::variables_map& vm);

/// Set by SIGINT/SIGTERM; long commands pass it to the library to stop cleanly.
const std::atomic<bool>* interrupt_flag();
void install_interrupt_handler();

/// Prints @p text as lines of at most @p width characters, each after @p indent.
void print_wrapped(std::ostream& out, const std::string& text, const std::string& indent, size_t width);

/// Prints rows as an aligned text table.
/// A total of what some properties record, in JSON: KEY (null when none records it) and
/// KEY_recorded (how many do); in CSV the same two cells (the first empty when none).
void write_recorded(util::JsonWriter& w, const std::string& key, const util::RecordedSum& sum);
std::vector<std::string> recorded_cells(const util::RecordedSum& sum);

void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows);

} // namespace estate::cli
