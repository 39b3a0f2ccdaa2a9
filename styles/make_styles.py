#!/usr/bin/python3
"""Makes styles/properties.qml with QGIS itself (PyQGIS), so the file is exactly
what QGIS 3.22 writes. The RAG colours are defined here and nowhere else.

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 styles/make_styles.py REGISTER.sqlite

REGISTER is any register made by `estate init` (its properties layer gives the fields).
estate compiles the .qml into every register's layer_styles table.
"""
import os
import sys

from qgis.core import (QgsApplication, QgsCategorizedSymbolRenderer, QgsEditorWidgetSetup,
                       QgsFieldConstraints, QgsMarkerSymbol, QgsPalLayerSettings,
                       QgsRendererCategory, QgsTextFormat, QgsVectorLayer,
                       QgsVectorLayerSimpleLabeling)
from qgis.PyQt.QtGui import QColor

# The single source of truth for the RAG colours (ColorBrewer RdYlGn).
RAG = [
    ("red", "#d7191c", "Red: disposal unlikely"),
    ("amber", "#fdae61", "Amber: disposal possible"),
    ("green", "#1a9641", "Green: an opportunity"),
    ("unassessed", "#b0b0b0", "Unassessed"),
]


def properties_style(layer):
    categories = []
    for value, colour, label in RAG:
        symbol = QgsMarkerSymbol.createSimple(
            {"name": "circle", "color": colour, "outline_color": "#232323", "size": "3"})
        categories.append(QgsRendererCategory(value, symbol, label))
    layer.setRenderer(QgsCategorizedSymbolRenderer("rag_status", categories))

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

    # Names as labels once zoomed in to street level.
    labels = QgsPalLayerSettings()
    labels.fieldName = "name"
    labels.scaleVisibility = True
    labels.maximumScale = 1
    labels.minimumScale = 10000
    text = QgsTextFormat()
    text.setSize(8)
    labels.setFormat(text)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(labels))
    layer.setLabelsEnabled(True)


def main():
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        os._exit(2)
    register = sys.argv[1]
    app = QgsApplication([], False)
    app.initQgis()
    layer = QgsVectorLayer(f"dbname='{register}' table=\"properties\" (geom)", "properties", "spatialite")
    if not layer.isValid():
        sys.stderr.write(f"make_styles: cannot open the properties layer of {register}\n")
        os._exit(1)
    properties_style(layer)
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "properties.qml")
    message, ok = layer.saveNamedStyle(out)
    if not ok:
        sys.stderr.write(f"make_styles: cannot write {out}: {message}\n")
        os._exit(1)
    print(out)
    os._exit(0)  # PyQGIS can crash at interpreter exit after exitQgis (QGIS_NOTES.md)


if __name__ == "__main__":
    main()
