#pragma once
// Private: the QGIS styles stored inside the register, so that QGIS opens the
// properties layer coloured by RAG status with the officers' edit form.

#include <optional>
#include <string>

namespace estate::db {
class Connection;

/// estate's style for a layer ("properties", "footprints", "hubs", "hub_links") as
/// QGIS QML ("qml") or OGC SLD ("sld"), compiled in from styles/.
std::optional<std::string> embedded_style(const std::string& layer, const std::string& kind);

/// The fill colour ("#d7191c") estate's style for @p layer gives the category
/// @p value (a RAG status; "1"/"0" for hubs), read from the compiled-in SLD, so that
/// the board report draws with the colours styles/make_styles.py chose. @p fallback
/// when the style has no such category.
std::string style_fill(const std::string& layer, const std::string& value, const std::string& fallback);

/// Creates QGIS's layer_styles table when missing, in the layout QGIS reads (in a
/// register or a GeoPackage alike).
void create_layer_styles_table(Connection& conn);

/// Creates QGIS's layer_styles table when missing and (re)writes estate's default
/// style rows: f_table_schema NULL for the native SpatiaLite provider and '' for the
/// OGR provider (QGIS 3.22 looks each up that way), the latter also under OGR's name for
/// a layer of a two-geometry table, "properties(geom)" (checked in tests/qgis).
void install_styles(Connection& conn);

} // namespace estate::db
