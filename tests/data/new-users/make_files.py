#!/usr/bin/env python3
"""Makes the small files in this folder: each one the shape of a real public file a new
user brings on their first day, with no profile written for it (a fire brigade's station
list keyed by callsign with eastings and northings, a national libraries dataset keyed by
a messy UPRN, a city's list whose only identifier is the name, schools as GeoJSON with a
Shapefile's shortened field names, building outlines as WKT in British National Grid, a
list whose headers say nothing). The files are committed; run this again only to change
them:  python3 tests/data/new-users/make_files.py

Every name and figure is made up; each place sits where its coordinates or postcode say
(Greater Manchester and Worcestershire), inside the National Grid. Needs python3 and
GDAL's ogr2ogr (gdal-bin) for the GeoPackage, MapInfo and ODS files.
The expected counts, person by person, are in tests/importing/test_new_users_files.cpp.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, text, encoding="utf-8"):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(text.encode(encoding))


def fire_stations():
    """A brigade's list: callsign, station, address, E and N; no owner column (--owner)."""
    write("fire-stations-callsigns.csv",
          "Callsign,Station,Address,Postcode,E,N\n"
          "G41,Altrincham,Manchester Road,WA14 4PG,376970,388590\n"
          "G42,Sale,Washway Road,M33 7RE,378690,391830\n"
          "G43,Stretford,Park Road,M32 8PH,379050,395110\n"
          "G44,Partington,Central Road,M31 4FL,371830,391300\n"
          "G45,Urmston,Crofts Bank Road,M41 0UZ,376210,394890\n")


def libraries_england():
    """A national dataset keyed by UPRN, as published: placeholders (N/A, n/a, 0), one
    council's UPRN given to two different libraries, owners named in a column, no
    coordinates (postcodes only), and one row that is the row above it again."""
    rows = [
        ("Altrincham Library", "Trafford", "Pott Street", "Altrincham", "WA14 1AH", "100011234501"),
        ("Sale Library", "Trafford", "Tatton Road", "Sale", "M33 7YH", "N/A"),
        ("Stretford Library", "Trafford", "Kingsway", "Stretford", "M32 8AP", "n/a"),
        ("Urmston Library", "Trafford", "Golden Way", "Urmston", "M41 0NA", "0"),
        ("Coppice Library", "Trafford", "Coppice Avenue", "Sale", "M33 4ND", "100011234505"),
        ("Bewdley Library", "Worcestershire", "Load Street", "Bewdley", "DY12 2AE", "100120999001"),
        # The county's reused UPRN: two libraries a mile apart under one number.
        ("Kidderminster Library", "Worcestershire", "Market Street", "Kidderminster", "DY10 1AD", "100120999002"),
        ("Stourport Library", "Worcestershire", "Worcester Road", "Stourport-on-Severn", "DY13 9PG", "100120999002"),
        ("Malvern Library", "Worcestershire", "Graham Road", "Malvern", "WR14 2HU", ""),
        # A copy-and-paste slip: Bewdley again, word for word.
        ("Bewdley Library", "Worcestershire", "Load Street", "Bewdley", "DY12 2AE", "100120999001"),
    ]
    lines = ["Library name,Local authority,Address 1,Town,Postcode,UPRN"]
    lines += [",".join(r) for r in rows]
    write("libraries-england-uprn.csv", "\n".join(lines) + "\n")


def city_libraries():
    """A city's own list: no identifier but the name; its new Central Library (opened
    2022) beside the closed one it replaced, the same name at another address."""
    write("city-libraries-names-only.csv",
          "Library,Address,Postcode,Opened,Status\n"
          "Central Library,St Peter's Square,M2 5PD,1934,Closed\n"
          "Central Library,Mount Street,M2 5NT,2022,Open\n"
          "Didsbury Library,Wilmslow Road,M20 6DN,1915,Open\n"
          "Longsight Library,Stockport Road,M13 0FX,2014,Open\n")


def schools_geojson():
    """Schools as a Shapefile's columns in GeoJSON: names cut to ten characters and
    numbered (establis00, establis01), two schools whose URN is 0."""
    schools = [
        ("105906", "Altrincham Grammar School for Boys", "Academy converter", -2.3459, 53.3822),
        ("106355", "Sale Grammar School", "Academy converter", -2.3186, 53.4208),
        ("0", "Stretford High School", "Community school", -2.3131, 53.4470),
        ("0", "Urmston Grammar", "Academy converter", -2.3570, 53.4480),
        ("106371", "Flixton Girls School", "Foundation school", -2.3850, 53.4430),
    ]
    features = [{
        "type": "Feature",
        "properties": {"URN": urn, "establis00": name, "typeofesta": kind, "la_name": "Trafford"},
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    } for urn, name, kind, lon, lat in schools]
    write("schools-truncated-names.geojson",
          json.dumps({"type": "FeatureCollection", "features": features}, indent=1) + "\n")


def os_buildings_wkt():
    """Building outlines as WKT in British National Grid, with no CRS column; one as EWKT."""
    def square(x, y, size=20):
        return (f"POLYGON(({x} {y},{x + size} {y},{x + size} {y + size},{x} {y + size},{x} {y}))")
    rows = [
        ("osgb1000021594701", square(383200, 276700), "Buildings"),
        ("osgb1000021594702", square(383300, 276700), "Buildings"),
        ("osgb1000021594703", square(383400, 276700, 35), "Buildings"),
        ("osgb1000021594704", "SRID=27700;" + square(383500, 276700), "Buildings"),
    ]
    lines = ["TOID,WKT,descriptiveGroup"] + [f'{t},"{w}",{g}' for t, w, g in rows]
    write("os-buildings-wkt-bng.csv", "\n".join(lines) + "\n")


def headers_say_nothing():
    """Columns named col1..col5 by an export tool: what they hold says what they are."""
    write("headers-say-nothing.csv",
          "col1,col2,col3,col4,col5\n"
          "Kidderminster Town Hall,Vicar Street Kidderminster,DY10 1DB,383200,276700\n"
          "Bewdley Museum,Load Street Bewdley,DY12 2AH,378600,275300\n"
          "Stourport Civic Centre,New Street Stourport,DY13 8UJ,381000,271200\n"
          "Wyre Forest House,Finepoint Way Kidderminster,DY11 7WF,382300,277500\n")


def real_world_helpers():
    """The workbook writer of tests/data/real-world/make_files.py (one piece of code)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "real_world", os.path.join(HERE, "..", "real-world", "make_files.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.HERE = HERE
    return module


def workbook_second_sheet():
    """A workbook whose first sheet is notes: the properties are on the second."""
    real_world_helpers().xlsx("workbook-properties-on-sheet-2.xlsx", sheets={
        "About": [["Asset list 2025-26"], ["Published under the Local Government Transparency Code"],
                  ["Contact: estates@example.gov.uk"]],
        "Property list": [["Asset ref", "Property name", "Postcode", "Easting", "Northing"],
                          ["WF101", "Kidderminster Town Hall", "DY10 1DB", "383200", "276700"],
                          ["WF102", "Bewdley Museum", "DY12 2AH", "378600", "275300"],
                          ["WF103", "Stourport Civic Centre", "DY13 8UJ", "381000", "271200"]],
    })


def two_row_header():
    """A header of two rows: a group row ("Location" over Easting and Northing) above the names."""
    write("two-row-header.csv",
          "Site,,Location,\n"
          "Reference,Name,Easting,Northing\n"
          "K1,Kidderminster Library,383150,276800\n"
          "K2,Stourport Library,381320,271080\n"
          "K3,Bewdley Library,378640,275330\n")


def utf16_text():
    """Excel's "Unicode text": UTF-16 with a byte-order mark, tabs, CRLF."""
    rows = ["Ref\tName\tPostcode\tEasting\tNorthing",
            "U1\tCaf\u00e9 Pavilion \u2013 Brinton Park\tDY11 6AZ\t382700\t276100",
            "U2\tSt Mary\u2019s Hall\tDY10 2AB\t383400\t276900"]
    write("utf16-unicode-text.txt", "\ufeff" + "\r\n".join(rows) + "\r\n", encoding="utf-16-le")


KML_FOLDER = """  <Folder><name>{name}</name>
{places}  </Folder>
"""
KML_PLACE = """    <Placemark><name>{name}</name><description>{ref}</description>
      <Point><coordinates>{lon},{lat},0</coordinates></Point></Placemark>
"""


def kml_folders():
    """A KML of two folders (libraries, children's centres), and the same zipped as KMZ."""
    folders = {
        "Libraries": [("Sale Library", "L1", -2.3219, 53.4238), ("Urmston Library", "L2", -2.3540, 53.4478)],
        "Children's centres": [("Partington Children's Centre", "C1", -2.4290, 53.4190)],
    }
    body = "".join(KML_FOLDER.format(name=f, places="".join(
        KML_PLACE.format(name=n, ref=r, lon=lon, lat=lat) for n, r, lon, lat in places))
        for f, places in folders.items())
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>\n'
            + body + "</Document></kml>\n")
    write("sites-two-folders.kml", text)
    import zipfile
    with zipfile.ZipFile(os.path.join(HERE, "sites-two-folders.kmz"), "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("doc.kml", date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, text)


def gdal_formats():
    """A GeoPackage in Web Mercator, a MapInfo table in British National Grid and an ODS
    sheet, written by GDAL's own drivers (ogr2ogr) from one small list."""
    import subprocess
    import tempfile
    csv = ("ref,name,postcode,lon,lat\n"
           "D1,Woodrow Depot,DY10 1AA,-2.2400,52.3800\n"
           "D2,Hoobrook Depot,DY10 1XX,-2.2350,52.3700\n")
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "depots.csv")
        with open(src, "w") as f:
            f.write(csv)
        opts = ["-oo", "X_POSSIBLE_NAMES=lon", "-oo", "Y_POSSIBLE_NAMES=lat", "-s_srs", "EPSG:4326"]
        # The GeoPackage and the MapInfo table place their rows by their geometry alone.
        geometry_only = ["-select", "ref,name,postcode"]
        for out, driver, extra in [("depots-web-mercator.gpkg", "GPKG", ["-t_srs", "EPSG:3857"] + geometry_only),
                                   ("mapinfo/depots.tab", "MapInfo File", ["-t_srs", "EPSG:27700"] + geometry_only),
                                   ("depots.ods", "ODS", ["-t_srs", "EPSG:4326"])]:
            path = os.path.join(HERE, out)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            for old in [path] + [path[:-4] + e for e in (".dat", ".map", ".id")] * out.endswith(".tab"):
                if os.path.exists(old):
                    os.remove(old)
            subprocess.run(["ogr2ogr", "-q", "-f", driver, path, src] + opts + extra
                           + ["-nln", "depots"] * (driver != "MapInfo File"), check=True)


if __name__ == "__main__":
    workbook_second_sheet()
    two_row_header()
    utf16_text()
    kml_folders()
    gdal_formats()
    fire_stations()
    libraries_england()
    city_libraries()
    schools_geojson()
    os_buildings_wkt()
    headers_say_nothing()


def postcode_lookups():
    """Two lookups for the postcodes above: ONS Postcode Directory columns (pcds, lat,
    long; one postcode with ONSPD's 'no grid reference' 99.999999) and Code-Point Open's
    headerless CSV (postcode, quality, eastings, northings, ...)."""
    onspd = [
        ("WA14 1AH", 53.3871, -2.3522), ("M33 7YH", 53.4238, -2.3219), ("M32 8AP", 53.4455, -2.3129),
        ("M41 0NA", 53.4478, -2.3540), ("M33 4ND", 53.4160, -2.3400), ("M2 5PD", 53.4780, -2.2440),
        ("M2 5NT", 53.4783, -2.2453), ("M20 6DN", 53.4160, -2.2310), ("M13 0FX", 53.4560, -2.2030),
        ("ZZ99 3WZ", 99.999999, 0.0),
    ]
    lines = ["pcds,lat,long"] + [f"{pc},{lat},{lon}" for pc, lat, lon in onspd]
    write("postcodes-onspd.csv", "\n".join(lines) + "\n")
    code_point = [
        ("DY12 2AE", 378640, 275330), ("DY10 1AD", 383150, 276800), ("DY13 9PG", 381320, 271080),
        ("WR14 2HU", 377600, 246100),
    ]
    lines = [f'"{pc}",10,{e},{n},"E92000001","E19000001","E18000005","E07000239","E05007854"'
             for pc, e, n in code_point]
    write("postcodes-code-point.csv", "\n".join(lines) + "\n")


if __name__ == "__main__":
    postcode_lookups()
