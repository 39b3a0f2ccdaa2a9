#include "db/styles.hpp"

#include "db/sqlite.hpp"
#include "estate/util/time.hpp"

#include <string>
#include <utility>
#include <vector>

namespace estate::embedded {
// Generated from styles/*.qml.
extern const std::vector<std::pair<const char*, const char*>>& builtin_style_texts();
} // namespace estate::embedded

namespace estate::db {

void install_styles(Connection& conn) {
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
    conn.exec("DELETE FROM layer_styles WHERE owner = 'estate'");
    auto insert = conn.prepare(
        "INSERT INTO layer_styles(f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, "
        "styleQML, styleSLD, useAsDefault, description, owner, update_time) "
        "VALUES ('', ?, ?, ?, ?, ?, '', 1, ?, 'estate', ?)");
    const std::string now = util::utc_now_iso();
    for (const auto& [name, qml] : embedded::builtin_style_texts()) {
        // styles/<table>.qml styles that table's geometry column `geom`. QGIS looks
        // the style up by schema and layer name, differently per provider: the native
        // SpatiaLite provider with schema NULL and the table's name; the OGR provider
        // with schema '' and OGR's layer name, which for a table with two geometry
        // columns is "<table>(geom)" (or "<table>" when opened as the first sublayer).
        const std::string table = name;
        const std::pair<bool, std::string> rows[] = {
            {true, table}, {false, table}, {false, table + "(geom)"}};
        for (const auto& [native, layer_name] : rows) {
            if (native) insert.bind_null(1);
            else insert.bind(1, "");
            insert.bind(2, layer_name).bind(3, "geom").bind(4, std::string("estate ") + name);
            insert.bind(5, qml).bind(6, "estate's default style: colours by RAG status, status drop-down, reason required");
            insert.bind(7, now).run();
        }
    }
}

} // namespace estate::db
