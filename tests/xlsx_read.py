#!/usr/bin/env python3
"""xlsx_read.py WORKBOOK [SHEET] - reads an .xlsx back with the standard library
(zipfile and the sheet XML), as a spreadsheet program would, for tests/report.sh.

Without SHEET: prints the sheet names, one a line. With SHEET: prints its rows as
JSON lines, each a list of cells, a number as a JSON number and a text as a
string; then one line "#frozen=1 autofilter=A1:J20 bold_header=1" saying whether
the first row is frozen, the range of the autofilter and whether every header
cell is bold."""
import json
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def main():
    z = zipfile.ZipFile(sys.argv[1])
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    sheets = [(s.get("name"), "xl/" + targets[s.get(REL)].lstrip("/").replace("xl/", ""))
              for s in wb.find("m:sheets", NS)]
    if len(sys.argv) < 3:
        for name, _ in sheets:
            print(name)
        return
    path = dict(sheets)[sys.argv[2]]
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    styles = ET.fromstring(z.read("xl/styles.xml"))
    fonts = styles.find("m:fonts", NS).findall("m:font", NS)
    xfs = styles.find("m:cellXfs", NS).findall("m:xf", NS)

    def bold(s):
        xf = xfs[int(s or 0)]
        return fonts[int(xf.get("fontId", 0))].find("m:b", NS) is not None

    sheet = ET.fromstring(z.read(path))
    all_bold = True
    for row in sheet.find("m:sheetData", NS).findall("m:row", NS):
        cells = {}
        for c in row.findall("m:c", NS):
            v = c.find("m:v", NS)
            if row.get("r") == "1" and not bold(c.get("s")):
                all_bold = False
            if v is None:
                continue
            if c.get("t") == "s":
                cells[col_index(c.get("r"))] = shared[int(v.text)]
            else:
                x = float(v.text)
                cells[col_index(c.get("r"))] = int(x) if x == int(x) else x
        width = max(cells) + 1 if cells else 0
        print(json.dumps([cells.get(i, "") for i in range(width)], ensure_ascii=False))
    pane = sheet.find(".//m:pane", NS)
    frozen = int(pane is not None and pane.get("state") == "frozen" and pane.get("ySplit") == "1")
    af = sheet.find("m:autoFilter", NS)
    print("#frozen=%d autofilter=%s bold_header=%d" % (frozen, af.get("ref") if af is not None else "",
                                                       int(all_bold)))


main()
