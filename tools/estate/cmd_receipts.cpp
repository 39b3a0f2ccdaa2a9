// estate receipts: the capital receipts estimate, with its range and sensitivities.

#include "command.hpp"

#include "estate/error.hpp"
#include "estate/receipts/receipts.hpp"
#include "estate/receipts/serialise.hpp"
#include "estate/report/board_report.hpp"
#include "estate/report/pdf.hpp"
#include "estate/util/csv.hpp"
#include "estate/util/format.hpp"
#include "estate/util/json.hpp"
#include "estate/util/paths.hpp"

#include <cstdio>
#include <filesystem>
#include <iostream>

namespace estate::cli {
namespace {

// The Monte Carlo's progress on @p line: the long step of receipts and report.
std::function<void(std::int64_t, std::int64_t)> simulation_progress(ProgressLine& line) {
    auto count = line.counter("runs");
    if (!count) return {};
    return [count](std::int64_t done, std::int64_t total) { count(done, total); };
}

class Receipts : public Command {
public:
    std::string name() const override { return "receipts"; }
    std::string synopsis() const override {
        return "estate receipts REGISTER [--scenario FILE] [--hub-run N] [--runs N] [--seed S] [--json|--csv]";
    }
    std::string description() const override {
        return "The capital receipts estimate: what releasing property could raise, by year, by owner\n"
               "and by status, gross and net of sales, moving, fit-out and programme costs, nominal\n"
               "and at present value (Green Book 3.5%), with the running costs saved each year.\n"
               "Green property counts, amber at half (the scenario says); only freehold and let-out\n"
               "property raises a receipt; a value not recorded is estimated from the floor or land\n"
               "area and flagged. The central case is deterministic; a seeded Monte Carlo (--runs,\n"
               "--seed; the same seed gives the same numbers) gives P10/P50/P90; a sensitivity table\n"
               "shows which assumptions move the total most. Every assumption is in the scenario\n"
               "file (--print-scenario shows the default; docs/receipts.md explains each).";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>(), "the register file")(
            "scenario", po::value<std::string>(), "a scenario file (default: the built-in one)")(
            "hub-run", po::value<std::int64_t>(), "count only the properties this hubs run releases")(
            "runs", po::value<int>()->default_value(1000), "Monte Carlo runs (0: central case only)")(
            "seed", po::value<std::uint64_t>()->default_value(1),
            "Monte Carlo seed")("print-scenario", "print the built-in default scenario file and stop")(
            "json", "print JSON on stdout")("csv", "print CSV on stdout (by year, by owner, by status)");
        add_progress_options(o);
        p.add("register", 1);
    }
    int run(const po::variables_map& vm) override {
        if (vm.count("print-scenario")) {
            std::cout << money::default_scenario_text();
            return exit_ok;
        }
        if (!vm.count("register")) throw usage_error("the register file is required");
        receipts::Options o;
        if (vm.count("scenario")) o.scenario = money::read_scenario(vm["scenario"].as<std::string>());
        if (vm.count("hub-run")) o.hub_run = vm["hub-run"].as<std::int64_t>();
        o.runs = vm["runs"].as<int>();
        if (o.runs < 0) throw usage_error("--runs must be 0 or more");
        o.seed = vm["seed"].as<std::uint64_t>();
        ProgressLine progress(vm, "simulating");
        o.progress = simulation_progress(progress);
        auto reg = db::Register::open(vm["register"].as<std::string>(), true);
        const auto e = receipts::estimate(reg, o);
        const auto& s = e.scenario;
        if (vm.count("json")) {
            receipts::write_estimate_json(std::cout, e, reg.path());
            return exit_ok;
        }
        if (vm.count("csv")) {
            receipts::write_estimate_csv(std::cout, e);
            return exit_ok;
        }
        // For people: the headline, then the tables.
        std::cout << "Capital receipts estimate: " << reg.path() << ", scenario " << s.name << " v" << s.version
                  << (e.hub_run ? ", hub run " + std::to_string(*e.hub_run) : std::string()) << ", " << s.start_year
                  << "-" << s.start_year + s.years - 1 << "\n\n";
        std::cout << "Net receipts (central case): " << util::pounds(e.total.net) << " nominal, "
                  << util::pounds(e.total.net_pv) << " at present value\n";
        if (e.runs > 0)
            std::cout << "Range (" << e.runs << " runs, seed " << e.seed << "): P10 " << util::pounds(e.net_pv.p10)
                      << ", P50 " << util::pounds(e.net_pv.p50) << ", P90 " << util::pounds(e.net_pv.p90)
                      << " at present value (nominal P10-P90 " << util::pounds(e.net.p10) << " - "
                      << util::pounds(e.net.p90) << ")\n";
        std::cout << "Running costs saved: " << util::pounds(e.savings_per_year_at_end)
                  << " a year once all releases are made; " << util::pounds(e.total.savings) << " over the " << s.years
                  << " years\n\n";
        std::vector<std::vector<std::string>> years;
        for (size_t i = 0; i < e.years.size(); ++i) {
            const auto& y = e.by_year[i];
            years.push_back(
                {std::to_string(e.years[i]), util::thousands(y.gross), util::thousands(y.sales_costs + y.costs()),
                 util::thousands(y.net), util::thousands(y.net_pv),
                 e.runs > 0 ? util::thousands(e.net_by_year[i].p10) + " - " + util::thousands(e.net_by_year[i].p90)
                            : "",
                 util::thousands(y.savings)});
        }
        print_table(std::cout, {"year", "gross", "costs", "net", "net PV", "net P10 - P90", "savings"}, years);
        if (e.total.deferred > 0)
            std::cout << "The market takes at most "
                      << (s.market_max_value_per_year ? util::pounds(*s.market_max_value_per_year)
                                                      : std::string("no limit"))
                      << (s.market_max_sales_per_year
                              ? " and " + util::thousands(*s.market_max_sales_per_year) + " sales"
                              : "")
                      << " a year (the scenario's [market]): sales beyond it slip to later years"
                      << (e.beyond_horizon > 0 ? "; " + util::pounds(e.beyond_horizon) + " of them fall beyond " +
                                                     std::to_string(s.start_year + s.years - 1)
                                               : std::string())
                      << ".\n";
        for (const auto& [title, groups] : {std::pair{"owner", &e.by_owner}, std::pair{"status", &e.by_status}}) {
            std::cout << "\n";
            std::vector<std::vector<std::string>> rows;
            for (const auto& [name, t] : *groups)
                rows.push_back({name, std::to_string(t.properties), util::thousands(t.gross), util::thousands(t.net),
                                util::thousands(t.net_pv), util::thousands(t.savings)});
            print_table(std::cout, {title, "properties", "gross", "net", "net PV", "savings"}, rows);
        }
        std::cout << "\nWhich assumptions move the net present value most:\n";
        std::vector<std::vector<std::string>> sens;
        for (const auto& r : e.sensitivity)
            sens.push_back({r.assumption, r.low_setting + ": " + util::pounds(r.net_pv_low),
                            r.high_setting + ": " + util::pounds(r.net_pv_high), util::pounds(r.swing())});
        print_table(std::cout, {"assumption", "low", "high", "swing"}, sens);
        const auto& q = e.quality;
        std::cout << "\n"
                  << q.counted << " properties counted; " << q.values_estimated
                  << " values estimated from floor or land area; " << q.no_value_basis
                  << " sellable with no value and no area (counted at nothing); " << q.not_sellable
                  << " not sellable (leased in, licence, tenure unknown: savings only); " << q.unlocated
                  << " properties in the register have no location\n";
        if (q.implausible_ignored + q.out_of_range + q.site_figures > 0)
            std::cout << "Figures in the register not used (by any analysis): " << q.site_figures
                      << " a site's figure written on its other buildings (used once, on the site's main record), "
                      << q.out_of_range << " outside the plausible range for their use, " << q.implausible_ignored
                      << " over 10^12, negative or not numbers; `estate set` confirms one\n";
        return exit_ok;
    }
};

class Report : public Command {
public:
    std::string name() const override { return "report"; }
    std::string synopsis() const override {
        return "estate report REGISTER --out board.html|--pdf board.pdf [--hub-run N] [--scenario FILE] "
               "[--receipts-hub-run N] [--runs N] [--seed S] [--title TEXT] [--no-record]";
    }
    std::string description() const override {
        return "The board report: one self-contained HTML file (no scripts, nothing fetched; opens\n"
               "offline and prints cleanly to PDF from a browser) for a board member who reads for ten\n"
               "minutes: net receipts as a range (P10-P90) and the central case, running costs saved,\n"
               "a map of the estate by status with the hubs, receipts by year with the P10-P90 band, by\n"
               "owner and by status, the top hubs and disposals in plain English, the assumptions,\n"
               "caveats and data quality, and the register, hub run, scenario and seed it came from.\n"
               "--hub-run picks the hubs shown (default: the newest hubs run); --receipts-hub-run counts\n"
               "only what a hub run releases in the receipts (default: every green and amber property).\n"
               "--pdf prints it to PDF through chromium, headless (A4, no browser header or footer).\n"
               "Each paper keeps its headline figures in the register so that the next one says what\n"
               "changed since and why (--no-record: not this one).";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(), "the register file")(
            "out", po::value<std::string>(), "the HTML file to write")("pdf", po::value<std::string>(),
                                                                       "the PDF file to print it to (needs chromium)")(
            "hub-run", po::value<std::int64_t>(), "the hubs run shown (default: the newest)")(
            "scenario", po::value<std::string>(), "a scenario file (default: the built-in one)")(
            "receipts-hub-run", po::value<std::int64_t>(), "count only what this hubs run releases")(
            "runs", po::value<int>()->default_value(1000),
            "Monte Carlo runs")("seed", po::value<std::uint64_t>()->default_value(1), "Monte Carlo seed")(
            "title", po::value<std::string>(), "the report's title (default: the register's area)")(
            "no-record", "do not keep this paper's headline figures in the register (the next paper then "
                         "compares with the one before)");
        add_progress_options(o);
        p.add("register", 1);
    }
    int run(const po::variables_map& vm) override {
        report::Options o;
        if (vm.count("scenario")) o.receipts.scenario = money::read_scenario(vm["scenario"].as<std::string>());
        if (vm.count("receipts-hub-run")) o.receipts.hub_run = vm["receipts-hub-run"].as<std::int64_t>();
        if (vm.count("hub-run")) o.hub_run = vm["hub-run"].as<std::int64_t>();
        o.receipts.runs = vm["runs"].as<int>();
        if (o.receipts.runs < 0) throw usage_error("--runs must be 0 or more");
        o.receipts.seed = vm["seed"].as<std::uint64_t>();
        if (vm.count("title")) o.title = vm["title"].as<std::string>();
        o.record = !vm.count("no-record");
        ProgressLine progress(vm, "simulating");
        o.receipts.progress = simulation_progress(progress);
        // Writing its headline figures back needs the register open for writing.
        if (!vm.count("out") && !vm.count("pdf"))
            throw usage_error("say where the paper goes: --out FILE.html, --pdf FILE.pdf or both");
        const std::string register_path = vm["register"].as<std::string>();
        std::optional<std::string> pdf;
        if (vm.count("pdf")) {
            pdf = vm["pdf"].as<std::string>();
            util::refuse_overwriting(*pdf, register_path, {}, "pdf");
            if (report::find_chromium().empty())
                throw error("--pdf needs chromium: install it (apt-get install chromium) or set ESTATE_CHROMIUM");
        }
        // With --pdf alone the HTML is written beside the PDF, printed, then removed.
        const std::string html = vm.count("out") ? vm["out"].as<std::string>() : *pdf + ".html";
        auto reg = db::Register::open(register_path, !o.record);
        const auto w = report::write_board_report(reg, o, html);
        if (pdf) {
            report::print_pdf(w.path, *pdf);
            if (!vm.count("out")) std::filesystem::remove(w.path);
        }
        std::cerr << "Board report: " << (vm.count("out") ? w.path : *pdf)
                  << (pdf && vm.count("out") ? " and " + *pdf : "") << " (scenario " << w.estimate.scenario.name << " v"
                  << w.estimate.scenario.version << ", " << w.estimate.runs << " runs, seed " << w.estimate.seed
                  << (w.hub_run ? ", hub run " + std::to_string(*w.hub_run) : std::string(", no hubs run")) << ")\n";
        if (vm.count("out")) std::cout << w.path << "\n";
        if (pdf) std::cout << *pdf << "\n";
        return exit_ok;
    }
};

} // namespace

std::unique_ptr<Command> make_report() {
    return std::make_unique<Report>();
}

std::unique_ptr<Command> make_receipts() {
    return std::make_unique<Receipts>();
}

} // namespace estate::cli
