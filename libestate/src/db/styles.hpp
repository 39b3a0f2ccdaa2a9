#pragma once
// Private: the QGIS styles stored inside the register, so that QGIS opens the
// properties layer coloured by RAG status with the officers' edit form.

namespace estate::db {
class Connection;

/// Creates QGIS's layer_styles table when missing and (re)writes estate's default
/// style rows: f_table_schema NULL for the native SpatiaLite provider and '' for the
/// OGR provider (../shared/docs/QGIS_NOTES.md), the latter also under OGR's name for
/// a layer of a two-geometry table, "properties(geom)" (checked in tests/qgis).
void install_styles(Connection& conn);

} // namespace estate::db
