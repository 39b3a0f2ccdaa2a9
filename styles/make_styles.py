#!/usr/bin/python3
"""Makes the QGIS styles in styles/ with QGIS itself (PyQGIS), so the files are
exactly what QGIS 3.22 writes: a .qml and its OGC SLD twin (.sld, for GeoServer and
other tools) for each layer estate writes: properties (points), footprints
(polygons), hubs (hub outlines) and hub_links (member-to-host lines). The colours are
defined here and nowhere else.

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 styles/make_styles.py REGISTER.sqlite

REGISTER is any register made by `estate init` (its properties layer gives the fields).
estate compiles the styles into every register's layer_styles table and into every
styled export (GeoPackage layer_styles, Shapefile sidecars).
"""
import os
import sys

from qgis.core import (QgsApplication, QgsCategorizedSymbolRenderer, QgsEditorWidgetSetup,
                       QgsFieldConstraints, QgsFillSymbol, QgsLineSymbol, QgsMarkerSymbol,
                       QgsPalLayerSettings, QgsRendererCategory, QgsRuleBasedRenderer, QgsSingleSymbolRenderer,
                       QgsTextFormat, QgsVectorLayer, QgsVectorLayerSimpleLabeling)
from qgis.PyQt.QtGui import QColor

# The single source of truth for the RAG colours (ColorBrewer RdYlGn).
RAG = [
    ("red", "#d7191c", "Red: disposal unlikely"),
    ("amber", "#fdae61", "Amber: disposal possible"),
    ("green", "#1a9641", "Green: an opportunity"),
    ("unassessed", "#b0b0b0", "Unassessed"),
]


# Hubs by the host's fit: it can house everyone; it is too small (an extension or new
# build is needed); its floor area is not recorded, so nobody knows yet.
HUB_FITS = [
    ("fits", "#2b83ba", "solid", "Hub: the host can house the services moving in"),
    ("too_small", "#e66101", "dash", "Hub: host too small; extension or new build needed"),
    ("unknown", "#7b3294", "dot", "Hub: host's floor area not recorded; fit unknown"),
    # Listed, not proposed: grey whatever its fit, so a planner never mistakes it for one.
    ("not_worth_it", "#8c8c8c", "dash dot", "Not worth it on these figures (listed, not proposed)"),
]

LINK_COLOUR = "#404096"


def translucent(colour, alpha):
    """'#d7191c', 153 -> '215,25,28,153' (QGIS reads 8-digit hex as #AARRGGBB)."""
    return ",".join(str(int(colour[i:i + 2], 16)) for i in (1, 3, 5)) + f",{alpha}"


def rag_renderer(symbol_of):
    """Categories by rag_status, one symbol per RAG colour."""
    categories = [QgsRendererCategory(value, symbol_of(colour), label) for value, colour, label in RAG]
    return QgsCategorizedSymbolRenderer("rag_status", categories)


def name_labels(layer, expression="name", max_scale_denominator=10000):
    """Labels once zoomed in (street scale)."""
    labels = QgsPalLayerSettings()
    labels.fieldName = expression
    labels.isExpression = expression != "name"
    labels.scaleVisibility = True
    labels.maximumScale = 1
    labels.minimumScale = max_scale_denominator
    text = QgsTextFormat()
    text.setSize(8)
    labels.setFormat(text)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(labels))
    layer.setLabelsEnabled(True)


def properties_style(layer):
    layer.setRenderer(rag_renderer(lambda colour: QgsMarkerSymbol.createSimple(
        {"name": "circle", "color": colour, "outline_color": "#232323", "size": "3"})))
    officer_form(layer)
    name_labels(layer)


def retired_symbol(kind):
    """Retired properties (no longer listed by their owner's complete return): hollow grey."""
    if kind == "point":
        return QgsMarkerSymbol.createSimple(
            {"name": "circle", "color": "255,255,255,0", "outline_color": "#8c8c8c", "size": "2"})
    return QgsFillSymbol.createSimple({"color": "255,255,255,0", "outline_color": "#8c8c8c", "outline_width": "0.2",
                                       "outline_style": "dot"})


def register_renderer(symbol_of, kind):
    """The register's own layers hold retired properties too: those are drawn apart, never
    in their last status's colour (exports leave them out unless asked, so their styles
    need no rule for them)."""
    root = QgsRuleBasedRenderer.Rule(None)
    root.appendChild(QgsRuleBasedRenderer.Rule(retired_symbol(kind), 0, 0, "\"retired_at\" IS NOT NULL",
                                               "Retired: no longer listed by its owner"))
    for value, colour, label in RAG:
        root.appendChild(QgsRuleBasedRenderer.Rule(
            symbol_of(colour), 0, 0, f"\"retired_at\" IS NULL AND \"rag_status\" = '{value}'", label))
    return QgsRuleBasedRenderer(root)


def properties_register_style(layer):
    properties_style(layer)
    layer.setRenderer(register_renderer(lambda colour: QgsMarkerSymbol.createSimple(
        {"name": "circle", "color": colour, "outline_color": "#232323", "size": "3"}), "point"))


def footprints_register_style(layer):
    footprints_style(layer)
    layer.setRenderer(register_renderer(lambda colour: QgsFillSymbol.createSimple(
        {"color": translucent(colour, 153), "outline_color": colour, "outline_width": "0.4"}), "polygon"))


def footprints_style(layer):
    layer.setRenderer(rag_renderer(lambda colour: QgsFillSymbol.createSimple(
        {"color": translucent(colour, 153), "outline_color": colour, "outline_width": "0.4"})))
    officer_form(layer)
    name_labels(layer)


def hubs_style(layer):
    # Rules, not categories: a hub not worth it is drawn apart whatever its fit, and each
    # rule's filter is plain enough for the SLD twin (GeoServer) to read.
    root = QgsRuleBasedRenderer.Rule(None)
    for value, colour, line, label in HUB_FITS:
        symbol = QgsFillSymbol.createSimple({
            "color": translucent(colour, 51), "outline_color": colour, "outline_width": "0.8",
            "outline_style": line})
        where = "\"proposed\" = 0" if value == "not_worth_it" else f"\"proposed\" = 1 AND \"fit\" = '{value}'"
        root.appendChild(QgsRuleBasedRenderer.Rule(symbol, 0, 0, where, label))
    layer.setRenderer(QgsRuleBasedRenderer(root))
    name_labels(layer, "'Hub ' || \"hub\" || ': ' || \"host_name\"", 50000)


def hub_links_style(layer):
    layer.setRenderer(QgsSingleSymbolRenderer(QgsLineSymbol.createSimple(
        {"line_color": LINK_COLOUR, "line_width": "0.5", "line_style": "solid"})))


def officer_form(layer):
    # Officers edit the status from a drop-down; the reason is required unless unassessed.
    status = layer.fields().indexOf("rag_status")
    layer.setEditorWidgetSetup(status, QgsEditorWidgetSetup(
        "ValueMap", {"map": [{label: value} for value, _, label in RAG]}))
    reason = layer.fields().indexOf("rag_reason")
    layer.setConstraintExpression(
        reason, "\"rag_status\" = 'unassessed' OR length(trim(\"rag_reason\")) > 0",
        "A red, amber or green status needs a reason")
    layer.setFieldConstraint(reason, QgsFieldConstraints.ConstraintExpression,
                             QgsFieldConstraints.ConstraintStrengthHard)
    # Fields estate and the database maintain are read-only in the form.
    for name in ("rag_set_by", "rag_set_at", "rag_source", "version", "batch_id", "content_hash"):
        i = layer.fields().indexOf(name)
        if i >= 0:
            form = layer.editFormConfig()
            form.setReadOnly(i, True)
            layer.setEditFormConfig(form)



HUB_FIELDS = ("field=run:integer&field=hub:integer&field=host_id:integer&field=host_name:string"
              "&field=host_owner:string&field=agencies:integer&field=members:integer"
              "&field=proposed:integer&field=verdict:string&field=fit:string&field=host_fits:integer"
              "&field=need_m2:double&field=spare_m2:double&field=shortfall_m2:double"
              "&field=value_released:double&field=saving_a_year:double&field=saving_recorded:double"
              "&field=costs_recorded:integer&field=moving_costs:double&field=extension_cost:double"
              "&field=net_benefit:double&field=explanation:string")
LINK_FIELDS = ("field=run:integer&field=hub:integer&field=member_id:integer&field=member_name:string"
               "&field=member_owner:string&field=host_id:integer&field=host_name:string"
               "&field=distance_m:double")


def main():
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        os._exit(2)
    register = sys.argv[1]
    app = QgsApplication([], False)
    app.initQgis()
    here = os.path.dirname(os.path.abspath(__file__))
    layers = [
        ("properties", QgsVectorLayer(f"dbname='{register}' table=\"properties\" (geom)", "properties",
                                      "spatialite"), properties_style),
        ("footprints", QgsVectorLayer(f"dbname='{register}' table=\"properties\" (footprint)", "footprints",
                                      "spatialite"), footprints_style),
        ("properties_register", QgsVectorLayer(f"dbname='{register}' table=\"properties\" (geom)", "properties",
                                               "spatialite"), properties_register_style),
        ("footprints_register", QgsVectorLayer(f"dbname='{register}' table=\"properties\" (footprint)",
                                               "footprints", "spatialite"), footprints_register_style),
        ("hubs", QgsVectorLayer(f"Polygon?crs=EPSG:27700&{HUB_FIELDS}", "hubs", "memory"), hubs_style),
        ("hub_links", QgsVectorLayer(f"LineString?crs=EPSG:27700&{LINK_FIELDS}", "hub_links", "memory"),
         hub_links_style),
    ]
    for name, layer, style in layers:
        if not layer.isValid():
            sys.stderr.write(f"make_styles: cannot open the {name} layer (register {register})\n")
            os._exit(1)
        style(layer)
        for extension, save in ((".qml", layer.saveNamedStyle), (".sld", layer.saveSldStyle)):
            out = os.path.join(here, name + extension)
            message, ok = save(out)
            if not ok:
                sys.stderr.write(f"make_styles: cannot write {out}: {message}\n")
                os._exit(1)
            print(out)
    os._exit(0)  # PyQGIS 3.22 can crash at interpreter exit after exitQgis()


if __name__ == "__main__":
    main()
