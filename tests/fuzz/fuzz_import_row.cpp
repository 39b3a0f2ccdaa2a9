// libFuzzer: importing one record. The input is one row under the header of the real
// Trafford asset list, imported with its profile into a register kept for the run. A
// row may be stored (with warnings), or rejected; the accounting must hold (read =
// stored + rejected) and anything but an estate::error is a bug.
#include "estate/db/register.hpp"
#include "estate/error.hpp"
#include "estate/importing/importer.hpp"

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <unistd.h>

namespace {
const char* header =
    "OrganisationLabel,OrganisationURI,EffectiveDate,UPRN,AssetCode,PropertyName,StreetNumber,StreetName,PostTown,"
    "PostCode,CoordinateReferenceSystem,GeoX,GeoY,TenureType,TenureDetail,OtherDetail,HoldingType,BuildingSize,"
    "LandArea,EnergyRating\n";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string dir = "/tmp/estate-fuzz-import-" + std::to_string(::getpid());
    static std::unique_ptr<estate::db::Register> reg = [] {
        std::filesystem::create_directories(dir);
        std::filesystem::remove(dir + "/r.sqlite");
        return std::make_unique<estate::db::Register>(estate::db::Register::create(dir + "/r.sqlite"));
    }();
    const std::string csv = dir + "/row.csv";
    {
        std::ofstream out(csv, std::ios::binary);
        out << header;
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
        out << "\n";
    }
    estate::importing::ImportOptions o;
    o.source = csv;
    o.profile = "transparency-code";
    o.issues_path = dir + "/issues.csv";
    try {
        const auto s = estate::importing::import_source(*reg, o);
        if (s.read != s.inserted + s.updated + s.unchanged + s.rejected) std::abort();
    } catch (const estate::error&) {
    }
    return 0;
}
