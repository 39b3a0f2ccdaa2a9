// estate synth: the deterministic synthetic county.

#include "command.hpp"

#include "estate/error.hpp"
#include "estate/synth/county.hpp"

#include <fstream>
#include <iostream>

namespace estate::cli {
namespace {

class Synth : public Command {
public:
    std::string name() const override { return "synth"; }
    std::string synopsis() const override {
        return "estate synth OUT.csv [--properties N] [--seed S] [--per-county N]";
    }
    std::string description() const override {
        return "Writes a synthetic county (12 owners around Worcestershire's towns) as CSV,\n"
               "for demos and benchmarks; import it with the built-in profile\n"
               "'synthetic-county'. The same options always give the same file. OUT '-' = stdout.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("out", po::value<std::string>()->required(), "CSV file to write, or - for stdout")(
            "properties", po::value<std::int64_t>()->default_value(1300),
            "how many properties")("seed", po::value<std::uint64_t>()->default_value(1),
                                   "random seed")("per-county", po::value<std::int64_t>()->default_value(5000),
                                                  "properties per county copy; more are tiled across Great Britain");
        p.add("out", 1);
    }
    int run(const po::variables_map& vm) override {
        synth::CountyOptions o;
        o.properties = vm["properties"].as<std::int64_t>();
        o.seed = vm["seed"].as<std::uint64_t>();
        o.per_county = vm["per-county"].as<std::int64_t>();
        auto out_path = vm["out"].as<std::string>();
        if (out_path == "-") {
            synth::write_county_csv(std::cout, o);
            return exit_ok;
        }
        std::ofstream out(out_path, std::ios::binary);
        if (!out) throw output_error("cannot write " + out_path);
        auto n = synth::write_county_csv(out, o);
        out.close();
        if (!out) throw error("writing " + out_path + " failed (disk full?)");
        std::cerr << "Wrote " << n << " properties to " << out_path << "\n";
        return exit_ok;
    }
};

} // namespace

std::unique_ptr<Command> make_synth() {
    return std::make_unique<Synth>();
}

} // namespace estate::cli
