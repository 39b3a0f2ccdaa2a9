#include "db/styles.hpp"

#include "db/sqlite.hpp"
#include "estate/util/time.hpp"

#include <string>
#include <utility>
#include <vector>

namespace estate::embedded {
// Generated from styles/*.qml and styles/*.sld.
extern const std::vector<std::pair<const char*, const char*>>& builtin_style_texts();
extern const std::vector<std::pair<const char*, const char*>>& builtin_sld_texts();
} // namespace estate::embedded

namespace estate::db {

void create_layer_styles_table(Connection& conn) {
    conn.exec(R"sql(
CREATE TABLE IF NOT EXISTS layer_styles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    f_table_catalog TEXT,
    f_table_schema TEXT,
    f_table_name TEXT,
    f_geometry_column TEXT,
    styleName TEXT,
    styleQML TEXT,
    styleSLD TEXT,
    useAsDefault BOOLEAN,
    description TEXT,
    owner TEXT,
    ui TEXT,
    update_time TEXT
))sql");
}

void install_styles(Connection& conn) {
    create_layer_styles_table(conn);
    conn.exec("DELETE FROM layer_styles WHERE owner = 'estate'");
    auto insert = conn.prepare(
        "INSERT INTO layer_styles(f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, "
        "styleQML, styleSLD, useAsDefault, description, owner, update_time) "
        "VALUES ('', ?, ?, ?, ?, ?, '', 1, ?, 'estate', ?)");
    const std::string now = util::utc_now_iso();
    // QGIS looks a style up by schema and layer name, differently per provider: the
    // native SpatiaLite provider with schema NULL and the table's name; the OGR
    // provider with schema '' and OGR's layer name, which for a table with two
    // geometry columns is "<table>(<column>)" (or "<table>" for the first one, when
    // opened as the first sublayer).
    struct Row {
        bool native;
        const char* layer_name;
        const char* column;
        const char* style;
    };
    // The register's own styles draw retired properties apart (exports leave them out).
    const Row rows[] = {{true, "properties", "geom", "properties_register"},
                        {false, "properties", "geom", "properties_register"},
                        {false, "properties(geom)", "geom", "properties_register"},
                        {true, "properties", "footprint", "footprints_register"},
                        {false, "properties(footprint)", "footprint", "footprints_register"}};
    for (const auto& row : rows) {
        auto qml = embedded_style(row.style, "qml");
        if (!qml) continue;
        if (row.native)
            insert.bind_null(1);
        else
            insert.bind(1, "");
        const std::string style(row.style);
        insert.bind(2, row.layer_name)
            .bind(3, row.column)
            .bind(4, "estate " + style.substr(0, style.find("_register")));
        insert.bind(5, *qml).bind(
            6, "estate's default style: colours by RAG status (retired properties hollow grey), status "
               "drop-down, reason required");
        insert.bind(7, now).run();
    }
}

std::optional<std::string> embedded_style(const std::string& layer, const std::string& kind) {
    const auto& texts = kind == "sld" ? embedded::builtin_sld_texts() : embedded::builtin_style_texts();
    for (const auto& [name, text] : texts)
        if (layer == name) return std::string(text);
    return std::nullopt;
}

std::string style_fill(const std::string& layer, const std::string& value, const std::string& fallback) {
    const auto sld = embedded_style(layer, "sld");
    if (!sld) return fallback;
    const auto rule = sld->find("<ogc:Literal>" + value + "</ogc:Literal>");
    if (rule == std::string::npos) return fallback;
    const std::string key = "<se:SvgParameter name=\"fill\">";
    const auto fill = sld->find(key, rule);
    if (fill == std::string::npos || sld->compare(fill + key.size(), 1, "#") != 0) return fallback;
    return sld->substr(fill + key.size(), 7);
}

} // namespace estate::db
