#include <catch2/catch.hpp>

#include "db/sqlite.hpp"
#include "estate/db/queries.hpp"
#include "estate/db/register.hpp"
#include "estate/io/profile.hpp"
#include "estate/model/property.hpp"
#include "support.hpp"

#include <algorithm>
#include <regex>
#include <set>
#include <string>

using namespace estate;

// The register's schema is its migrations (fixed once released); everything else is
// made from model::fact_columns(). These must agree, or an import would write what
// the register refuses, or a query would miss a column.
TEST_CASE("The fact columns and the register's schema agree: columns, codes and ranges", "[db]") {
    test::TempDir tmp;
    auto reg = db::Register::create(tmp.path("r.sqlite"));
    auto& c = reg.connection();
    std::set<std::string> columns;
    auto info = c.prepare("SELECT name FROM pragma_table_info('properties')");
    while (info.step()) columns.insert(info.text(0));
    const std::string table = *c.scalar_text("SELECT sql FROM sqlite_master WHERE name = 'properties'");
    // The codes a CHECK constraint allows: every "column = 'code'" in the table's SQL.
    auto allowed = [&table](const std::string& column) {
        std::set<std::string> codes;
        const std::regex literal("\\b" + column + " = '([^']*)'");
        for (auto it = std::sregex_iterator(table.begin(), table.end(), literal); it != std::sregex_iterator(); ++it)
            codes.insert((*it)[1]);
        return codes;
    };
    auto codes_of = [](const model::Vocabulary& v) {
        std::set<std::string> codes;
        for (const auto& [code, label] : v.entries) codes.insert(std::string(code));
        return codes;
    };
    auto number = [](double v) { return std::to_string(static_cast<int>(v)); }; // the ranges are whole
    for (const auto& f : model::fact_columns()) {
        INFO(f.name);
        CHECK(columns.count(f.name) == 1);
        if (f.codes)
            CHECK(allowed(f.name) == codes_of(*f.codes));
        else
            CHECK(allowed(f.name).empty());
        if (f.min && f.max)
            CHECK(table.find(std::string(f.name) + " BETWEEN " + number(*f.min) + " AND " + number(*f.max)) !=
                  std::string::npos);
        else if (f.min)
            CHECK(table.find(std::string(f.name) + " >= " + number(*f.min)) != std::string::npos);
    }
    CHECK(allowed("rag_status") == codes_of(model::rag_statuses()));
    // Every field a profile maps that the register stores is a fact column of that name.
    for (const auto& field : io::mappable_fields()) {
        if (field == "owner" || field == "sector" || field == "ref" || field == "x" || field == "y" || field == "crs" ||
            field == "footprint_wkt" || field == "grid_ref")
            continue; // who holds it, and where: not facts
        INFO(field);
        CHECK(std::any_of(model::fact_columns().begin(), model::fact_columns().end(),
                          [&](const model::FactColumn& f) { return field == f.name; }));
    }
    // Every fact is a field of `estate show`, `list` and the exports (footprint_repaired
    // within "footprint").
    for (const auto& f : model::fact_columns()) {
        if (!f.exported) continue;
        INFO(f.name);
        CHECK(std::any_of(db::property_fields().begin(), db::property_fields().end(),
                          [&](const db::PropertyField& p) { return std::string(p.name) == f.name; }));
    }
}
