#!/usr/bin/python3
"""Opens every export format estate writes in QGIS itself (PyQGIS, headless) and
checks what a planner would see: the feature count, the CRS (EPSG:27700; WGS84 for
GeoJSON), the field names and a value, that the default style was applied (inside
the GeoPackage, the .qml beside a Shapefile) with its categories, and renders the
GeoPackage's layers to a PNG.

    check_exports.py ESTATE_BINARY MANIFEST WORKDIR [PNG_OUT]

The register is the bundled Trafford data with the default RAG rules applied and a
hubs run at 1000 m. PNG_OUT defaults to WORKDIR/trafford-export.png.
"""
import os
import shutil
import subprocess
import sys

failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


RAG_COLOURS = {"red": "#d7191c", "amber": "#fdae61", "green": "#1a9641", "unassessed": "#b0b0b0"}


def run(estate, *args):
    subprocess.run([estate, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def check_rag_style(layer, how):
    renderer = layer.renderer()
    ok = renderer is not None and renderer.type() == "categorizedSymbol" and renderer.classAttribute() == "rag_status"
    check(ok, f"{how}: styled by rag_status on opening (renderer {renderer.type() if renderer else None})")
    if ok:
        # (Footprints are filled translucent; the colour itself is the same.)
        colours = {c.value(): c.symbol().color().name() for c in renderer.categories()}
        check(colours == RAG_COLOURS, f"{how}: the four RAG colours ({colours})")


def main():
    estate, manifest, work = sys.argv[1:4]
    png = sys.argv[4] if len(sys.argv) > 4 else os.path.join(work, "trafford-export.png")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    register = os.path.join(work, "trafford.sqlite")
    run(estate, "load", register, manifest, "--no-progress")
    run(estate, "officers", "add", register, "Programme Team", "--agency", "Trafford Council", "--partnership-wide")
    run(estate, "rag", "apply-rules", register, "--by", "Programme Team")
    run(estate, "hubs", register, "--radius", "1000")
    gpkg = os.path.join(work, "trafford.gpkg")
    run(estate, "export", register, "--format", "gpkg", "--out", gpkg)
    run(estate, "export", register, "--format", "shp", "--out", os.path.join(work, "shp"),
        "--layer", "properties", "--layer", "footprints", "--layer", "hubs", "--layer", "hub-links")
    run(estate, "export", register, "--format", "geojson", "--out", os.path.join(work, "properties.geojson"))
    run(estate, "export", register, "--format", "csv", "--out", os.path.join(work, "properties.csv"))
    run(estate, "export", register, "--format", "xlsx", "--out", os.path.join(work, "properties.xlsx"))

    from qgis.core import (QgsApplication, QgsExpression, QgsExpressionContext, QgsExpressionContextUtils,
                           QgsFillSymbol, QgsMapRendererParallelJob, QgsMapSettings,
                           QgsRectangle, QgsVectorLayer)
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor
    app = QgsApplication([], False)
    app.initQgis()

    expected = {"properties": 754, "footprints": 26, "hubs": 5, "hub_links": 11}
    opened = {}
    for name, count in expected.items():
        for how, uri in (("GeoPackage", f"{gpkg}|layername={name}"),
                         ("Shapefile", os.path.join(work, "shp", name + ".shp"))):
            label = f"{how} {name}"
            layer = QgsVectorLayer(uri, name, "ogr")
            check(layer.isValid(), f"{label}: opens")
            if not layer.isValid():
                continue
            check(layer.featureCount() == count, f"{label}: {count} features (got {layer.featureCount()})")
            check(layer.crs().authid() == "EPSG:27700", f"{label}: EPSG:27700 (got {layer.crs().authid()})")
            fields = [f.name() for f in layer.fields()]
            if name in ("properties", "footprints"):
                check_rag_style(layer, label)
                value_field = "market_value" if how == "GeoPackage" else "mkt_value"
                check({"owner", "sector", "rag_status", value_field} <= set(fields), f"{label}: fields {fields[:6]}...")
                names = {f["name"] for f in layer.getFeatures()}
                check("Altrincham Town Hall" in names or name == "footprints", f"{label}: Altrincham Town Hall is there")
                if how == "Shapefile":
                    check(all(len(f) <= 10 for f in fields), f"{label}: field names of at most 10 characters")
            elif name == "hubs":
                renderer = layer.renderer()
                rules = renderer.rootRule().children() if renderer.type() == "RuleRenderer" else []
                wheres = [r.filterExpression() for r in rules]
                check(len(rules) == 4 and "\"proposed\" = 0" in wheres
                      and all(f"\"fit\" = '{fit}'" in " ".join(wheres) for fit in ("fits", "too_small", "unknown")),
                      f"{label}: hub outlines by the host's fit, and hubs not worth it apart ({wheres})")
                # Every hub is drawn, by exactly one rule.
                context = QgsExpressionContext()
                context.appendScopes(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
                drawn = []
                for feature in layer.getFeatures():
                    context.setFeature(feature)
                    drawn.append(sum(1 for w in wheres if QgsExpression(w).evaluate(context)))
                check(drawn and all(n == 1 for n in drawn), f"{label}: each hub drawn by one rule ({drawn})")
                hosts = {f["host_name"] for f in layer.getFeatures()}
                check("Fire station, Altrincham (WA14)" in hosts,
                      f"{label}: the Altrincham fire station hosts a hub, named with its place ({sorted(hosts)})")
                explain = "explanation" if how == "GeoPackage" else "explain"
                verdicts = [f[explain] for f in layer.getFeatures()]
                check(all(v.startswith(("Host", "Not worth it")) for v in verdicts),
                      f"{label}: each explanation starts with its verdict")
                fits = {f["fit"] for f in layer.getFeatures()}
                check(fits <= {"fits", "too_small", "unknown"} and "unknown" in fits,
                      f"{label}: a host whose floor area is not recorded has an unknown fit ({sorted(fits)})")
            else:
                renderer = layer.renderer()
                check(renderer.type() == "singleSymbol" and renderer.symbol().color().name() == "#404096",
                      f"{label}: member-to-host links drawn in the link colour")
            if how == "GeoPackage":
                opened[name] = layer

    geojson = QgsVectorLayer(os.path.join(work, "properties.geojson"), "geojson", "ogr")
    check(geojson.isValid() and geojson.featureCount() == 754, f"GeoJSON: 754 features ({geojson.featureCount()})")
    check(geojson.crs().authid() == "EPSG:4326", f"GeoJSON: WGS84 (got {geojson.crs().authid()})")
    extent = geojson.extent()
    check(-3 < extent.xMinimum() < extent.xMaximum() < 0 and 53 < extent.yMinimum() < 54.5,
          f"GeoJSON: Trafford in longitude/latitude ({extent.toString(3)}; two investment properties lie in "
          "Wigan and Warrington)")

    csv = QgsVectorLayer(os.path.join(work, "properties.csv"), "csv", "ogr")
    check(csv.isValid() and csv.featureCount() == 754, f"CSV: 754 rows ({csv.featureCount()})")
    check({"owner", "sector", "easting", "northing"} <= {f.name() for f in csv.fields()}, "CSV: owner, sector and coordinates")
    xlsx = QgsVectorLayer(os.path.join(work, "properties.xlsx") + "|layername=properties", "xlsx", "ogr")
    check(xlsx.isValid() and xlsx.featureCount() == 754, f"XLSX: 754 rows ({xlsx.featureCount()})")

    # What a planner sees: the GeoPackage's layers in the styles they carry, over the
    # hubs' surroundings (Altrincham to Sale).
    if len(opened) == 4:
        settings = QgsMapSettings()
        layers = [opened["hub_links"], opened["properties"], opened["footprints"], opened["hubs"]]
        boundary_file = os.path.join(os.path.dirname(manifest), "trafford_boundary.geojson")
        if os.path.exists(boundary_file):  # the borough, for orientation
            boundary = QgsVectorLayer(boundary_file, "boundary", "ogr")
            boundary.renderer().setSymbol(QgsFillSymbol.createSimple(
                {"color": "245,245,240,255", "outline_color": "#777777", "outline_width": "0.6"}))
            layers.append(boundary)
        settings.setLayers(layers)
        settings.setDestinationCrs(opened["properties"].crs())
        settings.setBackgroundColor(QColor("white"))
        settings.setOutputSize(QSize(1200, 900))
        area = QgsRectangle(opened["hubs"].extent())
        area.grow(600)
        settings.setExtent(area)
        job = QgsMapRendererParallelJob(settings)
        job.start()
        job.waitForFinished()
        image = job.renderedImage()
        os.makedirs(os.path.dirname(os.path.abspath(png)), exist_ok=True)
        check(image.save(png, "PNG"), f"rendered the exports to {png}")
        colours = {QColor(image.pixel(x, y)).name() for x in range(0, 1200, 3) for y in range(0, 900, 3)}
        check(len(colours & set(RAG_COLOURS.values())) >= 2, "the rendered map shows RAG colours")

    print(f"{len(failures)} failed")
    sys.stdout.flush()
    os._exit(1 if failures else 0)  # PyQGIS 3.22 can crash at interpreter exit after exitQgis()


if __name__ == "__main__":
    main()
