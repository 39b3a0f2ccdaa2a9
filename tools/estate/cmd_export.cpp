// estate export: the register's layers for QGIS and beyond.

#include "command.hpp"

#include "estate/error.hpp"
#include "estate/exporting/export.hpp"

#include <iostream>

namespace estate::cli {
namespace {

class Export : public Command {
public:
    std::string name() const override { return "export"; }
    std::string synopsis() const override {
        return "estate export REGISTER --format gpkg|shp|geojson|csv|xlsx --out PATH "
               "[--layer properties|footprints|hubs|hub-links]... [--hub-run N] [filters] [--wkt]";
    }
    std::string description() const override {
        return "Writes the register's layers for QGIS and other tools:\n"
               "  properties  one point per property (unlocated ones with no geometry: never dropped)\n"
               "  footprints  building outlines, for properties that have one\n"
               "  hubs        the outline of each hub of a hubs run (--hub-run N; default the newest)\n"
               "  hub-links   a line from each hub member to its host\n"
               "gpkg: every layer in one GeoPackage with its QGIS style inside (layer_styles).\n"
               "shp: one Shapefile per layer (.shp .shx .dbf .prj .cpg UTF-8), a .qml style QGIS\n"
               "loads with it, an .sld for other tools, and a .fields.csv mapping the short\n"
               "(10-character) field names. --out is a folder, or a .shp file for one layer.\n"
               "geojson: WGS84 per RFC 7946. csv: easting/northing columns (--wkt adds geometry\n"
               "as WKT). xlsx: a sheet per layer. Default layers: all for gpkg, properties otherwise.\n"
               "The filters (--owner, --status, --use, ...) choose the properties, as `estate list`.\n"
               "Everything is written beside the destination first and moved into place when\n"
               "complete: a failure leaves no half-written file.";
    }
    void options(po::options_description& o, po::positional_options_description& p) override {
        o.add_options()("register", po::value<std::string>()->required(), "the register file")(
            "format", po::value<std::string>()->required(), "gpkg, shp, geojson, csv or xlsx")(
            "out", po::value<std::string>()->required(), "the file or folder to write")(
            "layer", po::value<std::vector<std::string>>(), "properties, footprints, hubs or hub-links (repeatable)")(
            "hub-run", po::value<std::int64_t>(),
            "the hubs run for the hub layers (default: the newest)")("wkt", "CSV: add each geometry as WKT");
        add_property_filter_options(o);
        p.add("register", 1);
    }
    int run(const po::variables_map& vm) override {
        exporting::Options o;
        o.format = exporting::parse_format(vm["format"].as<std::string>());
        o.out = vm["out"].as<std::string>();
        if (vm.count("layer"))
            for (const auto& l : vm["layer"].as<std::vector<std::string>>())
                o.layers.push_back(exporting::parse_layer(l));
        if (vm.count("hub-run")) o.hub_run = vm["hub-run"].as<std::int64_t>();
        o.wkt = vm.count("wkt") > 0;
        o.filter = read_property_filter(vm);
        auto reg = db::Register::open(vm["register"].as<std::string>(), true);
        auto result = exporting::export_register(reg, o);
        for (const auto& l : result.layers)
            std::cerr << "  " << l.layer << ": " << l.features << " features -> " << l.path << "\n";
        if (result.hub_run) std::cerr << "  hub layers from run " << *result.hub_run << "\n";
        for (const auto& n : result.notes) std::cerr << "  note: " << n << "\n";
        // The files written, one per line, on stdout (for scripts).
        for (const auto& f : result.files) std::cout << f << "\n";
        return exit_ok;
    }
};

} // namespace

std::unique_ptr<Command> make_export() {
    return std::make_unique<Export>();
}

} // namespace estate::cli
