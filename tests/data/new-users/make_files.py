#!/usr/bin/env python3
"""Makes the small files in this folder: each one the shape of a real public file a new
user brings on their first day, with no profile written for it (a fire brigade's station
list keyed by callsign with eastings and northings, a national libraries dataset keyed by
a messy UPRN, a city's list whose only identifier is the name, schools as GeoJSON with a
Shapefile's shortened field names, building outlines as WKT in British National Grid, a
list whose headers say nothing). The files are committed; run this again only to change
them:  python3 tests/data/new-users/make_files.py

Every name and figure is made up; each place sits where its coordinates or postcode say
(Greater Manchester and Worcestershire), inside the National Grid. Needs only python3.
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


if __name__ == "__main__":
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
