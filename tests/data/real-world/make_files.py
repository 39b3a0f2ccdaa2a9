#!/usr/bin/env python3
"""Makes the small files in this folder: each one a shape real agencies' files come in
(what Excel on Windows writes, semicolons and decimal commas, a spreadsheet with a title
and a totals row, a zipped Shapefile with a numeric UPRN, ...). The files are committed;
run this again only to change them:  python3 tests/data/real-world/make_files.py

Every name, place and figure here is made up, but each property sits where its
postcode or grid reference says (Worcestershire and Trafford), inside the National Grid.
Needs: python3 and GDAL's ogr2ogr (gdal-bin) for the Shapefile.
"""
import os
import shutil
import subprocess
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


TC_HEADER = ("OrganisationLabel,AssetCode,UPRN,PropertyName,PostCode,GeoX,GeoY,TenureType,"
             "HoldingType,BuildingSize,Market Value\r\n")


def windows_1252():
    """What Excel on Windows writes: Windows-1252 bytes, CRLF, amounts as people type them."""
    rows = [
        "Wyre Forest District Council,WF001,100120654321,Caf\u00e9 on the Green,DY10 1AA,383500,276500,"
        "Freehold,Buildings,415,\"\u00a31,250,000\"",
        "Wyre Forest District Council,WF002,100120654322,Bewdley Museum \u2013 store,DY12 2AH,378600,275300,"
        "Freehold,Buildings,1200,1.2m",
        "Wyre Forest District Council,WF003,,Land off Stourport Road,,381000,271900,Freehold,Land,,\u00a3119k",
        "Wyre Forest District Council,WF004,,Kidderminster Town Hall,DY10 1DB,383200,276700,Freehold,Buildings,"
        "3100,Nil",
        "Wyre Forest District Council,WF005,,Depot \u2018North\u2019,DY11 7QT,381900,277900,Freehold,Buildings,"
        "650,-",
    ]
    write("windows-1252.csv", (TC_HEADER + "\r\n".join(rows) + "\r\n").encode("cp1252"))


def semicolon_decimal_comma():
    """A continental export: semicolons, decimal commas, dots grouping thousands."""
    text = (
        "OrganisationLabel;AssetCode;PropertyName;PostCode;GeoX;GeoY;TenureType;BuildingSize;Market Value\n"
        "Malvern Hills District Council;MH1;Council House;WR14 3AF;377512,35;245836,50;Freehold;1250,5;1.250.000,00\n"
        "Malvern Hills District Council;MH2;Priory Park Pavilion;WR14 3AT;377300,00;245700,00;Freehold;210,75;"
        "\u00a3 95.000\n"
        "Malvern Hills District Council;MH3;Land at Barnards Green;;378900;245400;Freehold;;\n"
    )
    write("semicolon-decimal-comma.csv", text.encode("utf-8"))


def xlsx(name, rows=None, sheets=None):
    """A minimal Office Open XML workbook of inline strings (no dependency): one sheet
    'Assets' of @rows, or the sheets of @sheets ({name: rows}, in order)."""
    sheets = sheets or {"Assets": rows}
    def col(i):
        s = ""
        i += 1
        while i:
            i, r = divmod(i - 1, 26)
            s = chr(65 + r) + s
        return s

    def esc(v):
        return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def sheet_xml(rows):
        sheet_rows = []
        for r, cells in enumerate(rows, start=1):
            xml_cells = "".join(
                f'<c r="{col(c)}{r}" t="inlineStr"><is><t>{esc(v)}</t></is></c>'
                for c, v in enumerate(cells) if v != "")
            sheet_rows.append(f'<row r="{r}">{xml_cells}</row>')
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                + "".join(sheet_rows) + '</sheetData></worksheet>')

    n = len(sheets)
    files = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      for i in range(1, n + 1)) +
            '</Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets>' + "".join(f'<sheet name="{esc(sheet)}" sheetId="{i}" r:id="rId{i}"/>'
                                 for i, sheet in enumerate(sheets, start=1)) + '</sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" '
                      'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                      f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1)) +
            '</Relationships>',
    }
    for i, sheet_rows in enumerate(sheets.values(), start=1):
        files[f"xl/worksheets/sheet{i}.xml"] = sheet_xml(sheet_rows)
    path = os.path.join(HERE, name)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in files.items():
            info = zipfile.ZipInfo(n, date_time=(2026, 1, 1, 0, 0, 0))  # the same bytes every time
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def title_and_totals():
    """A spreadsheet as a finance team sends it: a title, a blank row, the header,
    the properties, a blank row, a totals row and a note."""
    xlsx("title-and-totals.xlsx", [
        ["Wychavon District Council: land and buildings, 31 March 2024"],
        [],
        ["Asset Code", "Property Name", "Post Code", "Tenure", "Holding Type", "Building Size",
         "Market Value", "Organisation"],
        ["WY01", "Civic Centre", "WR10 1PT", "Freehold", "Buildings", "4200", "3100000",
         "Wychavon District Council"],
        ["WY02", "Evesham Leisure Centre", "WR11 4TS", "Freehold", "Land/Buildings", "2800", "1850000",
         "Wychavon District Council"],
        ["WY03", "Droitwich Spa Depot", "WR9 8DS", "Leasehold (out)", "Buildings", "900", "400000",
         "Wychavon District Council"],
        ["WY04", "Pershore Car Park", "WR10 1BU", "Freehold", "Land", "", "250000",
         "Wychavon District Council"],
        [],
        ["Total", "", "", "", "", "7900", "5600000", ""],
        ["Source: Wychavon District Council asset register, published under the Open Government Licence"],
    ])


def service_categories():
    """A council that put service categories in its Holding Type column, and tenures
    no list of tenures has."""
    text = (
        "Organisation,Asset Code,Property Name,Post Code,Tenure,Holding Type,GeoX,GeoY\n"
        "Bromsgrove District Council,BR1,Churchfields Car Park,B61 8DD,Freehold,Car Parks,395700,270800\n"
        "Bromsgrove District Council,BR2,Sanders Park,B61 7BX,Freehold,\"Parks, Gardens and open space\",395000,271500\n"
        "Bromsgrove District Council,BR3,Parkside Suite,B61 8DA,Freehold,Miscellaneous Operational,395800,270600\n"
        "Bromsgrove District Council,BR4,Former Depot,B60 1AA,Leasehold (out),Buildings Declared Surplus,396200,269900\n"
        "Bromsgrove District Council,BR5,Market Hall Kiosk,B61 8AB,Chattel,Buildings,395650,270700\n"
        "Bromsgrove District Council,BR6,Footpath to Recreation Ground,B61 7AA,Right of way,Land,395100,271000\n"
    )
    write("service-categories.csv", text.encode("utf-8"))


def excel_uprns_and_owner_codes():
    """UPRNs Excel turned into rounded numbers, and an owner column holding a GSS code
    while the name sits in another column."""
    text = (
        "Organisation,Organisation Name,Asset Code,UPRN,Property Name,Post Code,Tenure\n"
        "E07000238,Wychavon District Council,WY10,1.00121E+11,Evesham Town Hall,WR11 4RS,Freehold\n"
        "E07000238,Wychavon District Council,WY11,100120632146.0,Abbey Park,WR11 4BG,Freehold\n"
        "E07000238,Wychavon District Council,WY12,000100120632147,Zero-padded to fifteen,WR11 4BG,Freehold\n"
        "E07000238,Wychavon District Council,WY13,000000012345,Zero-padded UPRN,WR11 4BG,Freehold\n"
    )
    write("excel-uprns-owner-codes.csv", text.encode("utf-8"))
    only_code = (
        "Organisation,Asset Code,Property Name,Post Code\n"
        "47UG,WF10,Stourport Civic Centre,DY13 8UJ\n"
        "47UG,WF11,Hartlebury Road Depot,DY13 9LP\n"
    )
    write("owner-code-only.csv", only_code.encode("utf-8"))


def pipe_grid_references():
    """A '|'-separated export: OS grid references for locations, areas in square feet
    and acres, addresses with line breaks and the postcode at their end, no-break spaces."""
    nbsp = "\u00a0"
    text = (
        "ref|name|address|grid reference|floor area (sq ft)|site area (acres)|owner\n"
        f"HW1|Worcester{nbsp}{nbsp}Fire Station|\"Deansway,\nWorcester WR1 2JD\"|SO 8493 5486|10764|0.5|"
        "Hereford & Worcester Fire and Rescue Service\n"
        "HW2|Evesham Fire Station|\"Merstow Green\r\nEvesham\r\nWR11 4BD\"|SP037436|5382|1|"
        "Hereford & Worcester Fire and Rescue Service\n"
        "HW3|Training ground|Hindlip|SO8792458745||12.25|Hereford & Worcester Fire and Rescue Service\n"
        "HW4|Somewhere unreadable|Nowhere|ZZ 1234 5678|||Hereford & Worcester Fire and Rescue Service\n"
    )
    write("pipe-grid-references.txt", text.encode("utf-8"))


def tab_lat_long():
    """Tab-separated, latitude and longitude in columns named Lat and Long, one row the
    wrong way round, a header row repeated half-way (two files joined), a blank row."""
    text = (
        "Ref\tName\tLat\tLong\tOwner\n"
        "P1\tStretford Police Station\t53.4466\t-2.3087\tGreater Manchester Police\n"
        "P2\tAltrincham Police Station\t-2.3489\t53.3870\tGreater Manchester Police\n"
        "Ref\tName\tLat\tLong\tOwner\n"
        "\t\t\t\t\n"
        "P3\tSale Police Station\t53.4245\t-2.3210\tGreater Manchester Police\n"
    )
    write("tab-lat-long.tsv", text.encode("utf-8"))


def numeric_uprn_shapefile():
    """A zipped Shapefile whose UPRN is a numeric (Real) field, as GIS exports often are."""
    tmp = tempfile.mkdtemp()
    try:
        csv = os.path.join(tmp, "libraries.csv")
        with open(csv, "w") as f:
            f.write("ref,name,uprn,x,y\n"
                    "L1,Hive Library,100120795123,384700,255200\n"
                    "L2,Malvern Library,100120603456,377600,245900\n")
        with open(csv + "t", "w") as f:
            f.write("String,String,Real(20.1),Real,Real\n")
        out = os.path.join(tmp, "libraries.shp")
        subprocess.run(["ogr2ogr", "-q", "-f", "ESRI Shapefile", out, csv, "-a_srs", "EPSG:27700",
                        "-oo", "X_POSSIBLE_NAMES=x", "-oo", "Y_POSSIBLE_NAMES=y", "-lco", "ENCODING=UTF-8"],
                       check=True)
        path = os.path.join(HERE, "libraries-shapefile.zip")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for ext in ("shp", "shx", "dbf", "prj", "cpg"):
                member = os.path.join(tmp, "libraries." + ext)
                if os.path.exists(member):
                    info = zipfile.ZipInfo("libraries." + ext, date_time=(2026, 1, 1, 0, 0, 0))
                    info.compress_type = zipfile.ZIP_DEFLATED
                    with open(member, "rb") as f:
                        z.writestr(info, f.read())
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    windows_1252()
    semicolon_decimal_comma()
    title_and_totals()
    service_categories()
    excel_uprns_and_owner_codes()
    pipe_grid_references()
    tab_lat_long()
    numeric_uprn_shapefile()
