#!/usr/bin/python3
"""Opens an estate register in QGIS itself (PyQGIS, headless) the two ways a user
can, and checks what an estates officer would see and do: the layer styled by RAG
status, the status drop-down, and that an edit made in QGIS lands in the RAG
history (and one without a reason is refused).

    check_register.py ESTATE_BINARY MANIFEST WORKDIR
"""
import os
import sqlite3
import subprocess
import sys

failures = []
checked = 0


def check(condition, what):
    global checked
    checked += 1
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


def check_register_style(layer, how):
    """The register's own style: each status in its colour, and a retired property (no
    longer listed by its owner) drawn apart, never in its last status's colour."""
    from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextUtils, QgsFeature
    renderer = layer.renderer()
    rules = renderer.rootRule().children() if renderer.type() == "RuleRenderer" else []
    colours = {r.filterExpression(): r.symbol().color().name() for r in rules}
    expected = {f"\"retired_at\" IS NULL AND \"rag_status\" = '{s}'": c for s, c in
                (("red", "#d7191c"), ("amber", "#fdae61"), ("green", "#1a9641"), ("unassessed", "#b0b0b0"))}
    check(all(colours.get(k) == v for k, v in expected.items()) and "\"retired_at\" IS NOT NULL" in colours,
          f"{how}: the default style colours by rag_status, retired apart ({colours})")
    context = QgsExpressionContext()
    context.appendScopes(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    feature = QgsFeature(layer.fields())
    feature.setAttribute("rag_status", "green")
    feature.setAttribute("retired_at", "2026-04-01T00:00:00Z")
    context.setFeature(feature)
    drawn_by = [r.label() for r in rules if QgsExpression(r.filterExpression()).evaluate(context)]
    check(drawn_by == ["Retired: no longer listed by its owner"],
          f"{how}: a retired green property is drawn as retired, not green ({drawn_by})")


def main():
    estate, manifest, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    register = os.path.join(work, "qgis-check.sqlite")
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(register + suffix):
            os.remove(register + suffix)
    subprocess.run([estate, "load", register, manifest, "--no-progress"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    from qgis.core import QgsApplication, QgsVectorLayer
    app = QgsApplication([], False)
    app.initQgis()

    uris = {
        "spatialite provider": (f"dbname='{register}' table=\"properties\" (geom)", "spatialite"),
        "OGR provider": (f"{register}|layername=properties(geom)", "ogr"),
    }
    for how, (uri, provider) in uris.items():
        layer = QgsVectorLayer(uri, "properties", provider)
        check(layer.isValid(), f"{how}: the properties layer opens")
        if not layer.isValid():
            continue
        check(layer.featureCount() == 754, f"{how}: 754 properties (got {layer.featureCount()})")
        check(layer.crs().authid() == "EPSG:27700", f"{how}: CRS EPSG:27700 (got {layer.crs().authid()})")
        check_register_style(layer, how)
        widget = layer.editorWidgetSetup(layer.fields().indexOf("rag_status"))
        check(widget.type() == "ValueMap", f"{how}: rag_status edits with a drop-down ({widget.type()})")

    # The footprints (the register's second geometry column) open styled too, both ways.
    for how, (uri, provider) in {
            "spatialite provider": (f"dbname='{register}' table=\"properties\" (footprint)", "spatialite"),
            "OGR provider": (f"{register}|layername=properties(footprint)", "ogr")}.items():
        layer = QgsVectorLayer(uri, "footprints", provider)
        check(layer.isValid(), f"{how}: the footprints layer opens")
        if layer.isValid():
            check_register_style(layer, how + ", footprints")

    # An officer edits the attribute table in QGIS (native SpatiaLite provider).
    layer = QgsVectorLayer(uris["spatialite provider"][0], "properties", "spatialite")
    feature = next(layer.getFeatures("\"ref\" = 'TMBC0001/T0000003'"))
    status, reason = layer.fields().indexOf("rag_status"), layer.fields().indexOf("rag_reason")
    layer.startEditing()
    layer.changeAttributeValue(feature.id(), status, "green")
    layer.changeAttributeValue(feature.id(), reason, "Vacant since the move to Sale")
    check(layer.commitChanges(), "a status and reason edited in QGIS are saved")

    other = next(layer.getFeatures("\"ref\" = 'TMBC0004'"))
    layer.startEditing()
    layer.changeAttributeValue(other.id(), status, "red")
    saved = layer.commitChanges()
    check(not saved, "a red status with no reason edited in QGIS is refused by the register")
    if not saved:
        layer.rollBack()

    db = sqlite3.connect(register)
    rows = db.execute("SELECT p.ref, h.old_status, h.new_status, h.reason, h.changed_by FROM rag_history h "
                      "JOIN properties p ON p.id = h.property_id").fetchall()
    check(rows == [("TMBC0001/T0000003", "unassessed", "green", "Vacant since the move to Sale",
                    "unidentified direct edit")], f"the QGIS edit is in the RAG history: {rows}")
    db.close()

    # Refused, then corrected: the officer adds the reason to the refused edit and saves
    # again, through each provider. The save must be written (QGIS 3.22's SpatiaLite
    # provider kept a savepoint open after the refusal and its next "successful" save
    # was never committed), with exactly one history row.
    for how, (uri, provider), ref in (("spatialite provider", uris["spatialite provider"], "TMBC0005/TN000076"),
                                      ("OGR provider", uris["OGR provider"], "TMBC0006/TN000077")):
        layer = QgsVectorLayer(uri, "properties", provider)
        f = next(layer.getFeatures(f"\"ref\" = '{ref}'"))
        status, reason = layer.fields().indexOf("rag_status"), layer.fields().indexOf("rag_reason")
        layer.startEditing()
        layer.changeAttributeValue(f.id(), status, "green")
        refused = not layer.commitChanges(False)
        layer.changeAttributeValue(f.id(), reason, "Surplus after the move")
        saved = layer.commitChanges()
        del layer  # the provider's connection closes
        db = sqlite3.connect(register)
        stored = db.execute("SELECT rag_status, rag_reason FROM properties WHERE ref = ?", (ref,)).fetchone()
        history = db.execute("SELECT count(*) FROM rag_history h JOIN properties p ON p.id = h.property_id "
                             "WHERE p.ref = ?", (ref,)).fetchone()[0]
        db.close()
        check(refused and saved and stored == ("green", "Surplus after the move") and history == 1,
              f"{how}: refused without a reason, then saved with one: written, one history row "
              f"(refused {refused}, saved {saved}, stored {stored}, history {history})")

    print(f"{checked - len(failures)} passed, {len(failures)} failed")
    os._exit(1 if failures else 0)  # PyQGIS 3.22 can crash at interpreter exit after exitQgis()


if __name__ == "__main__":
    main()
