"""The real Relances.xlsm, applied and saved headless, opens in LibreOffice with its
table, its checkboxes, its buttons and its Excel tables.

LibreOffice converts the saved file to .ods; what it read is then taken from the
.ods's content.xml: the Relances table cell by cell, the ledger's tables (database
ranges), the buttons and the macros they call, the hidden sheets.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
import zipfile
from xml.etree import ElementTree

import pytest
from conftest import soffice_or_skip

from relances_xl import layout, sample
from relances_xl.cli import apply_workbook
from relances_xl.model import Filters

NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "form": "urn:oasis:names:tc:opendocument:xmlns:form:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "script": "urn:oasis:names:tc:opendocument:xmlns:script:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
}


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def sheet_values(table: ElementTree.Element, rows: int, columns: int) -> list[list[object]]:
    """The first cells of an .ods sheet as values (repeated rows and cells expanded)."""
    found: list[list[object]] = []
    for row in table.iter(_q("table:table-row")):
        cells: list[object] = []
        for cell in row:
            if cell.tag not in (_q("table:table-cell"), _q("table:covered-table-cell")):
                continue
            kind = cell.get(_q("office:value-type"))
            formula = cell.get(_q("table:formula"))
            value: object
            if formula in ("of:=TRUE()", "of:=FALSE()"):  # how LibreOffice 7 reads a
                value = formula == "of:=TRUE()"  # boolean cell of a custom number format
            elif kind == "boolean":
                value: object = cell.get(_q("office:boolean-value")) == "true"
            elif kind in ("float", "currency", "percentage"):
                value = float(cell.get(_q("office:value")))
            elif kind == "string":
                value = "\n".join("".join(p.itertext()) for p in cell.iter(_q("text:p")))
            elif kind == "date":
                value = cell.get(_q("office:date-value"))
            else:
                value = None
            repeat = int(cell.get(_q("table:number-columns-repeated"), "1"))
            cells.extend([value] * min(repeat, columns - len(cells)))
            if len(cells) >= columns:
                break
        repeat = int(row.get(_q("table:number-rows-repeated"), "1"))
        found.extend([cells + [None] * (columns - len(cells))] * min(repeat, rows - len(found)))
        if len(found) >= rows:
            break
    return found


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> tuple[ElementTree.Element, list]:
    soffice = soffice_or_skip()
    from relances_xl.excel.build import build_workbook

    folder = tmp_path_factory.mktemp("lo")
    workbook = build_workbook(folder / "Relances.xlsm")
    outcome = apply_workbook(workbook, Filters(date=sample.DEMO_DATE))
    assert len(outcome.rows) == 9 and not outcome.blocked
    profile = folder / f"lo-{uuid.uuid4().hex}"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}",
                    "--convert-to", "ods", "--outdir", str(folder), str(workbook)],
                   check=True, capture_output=True, timeout=240)
    shutil.rmtree(profile, ignore_errors=True)
    with zipfile.ZipFile(folder / "Relances.ods") as ods:
        return ElementTree.fromstring(ods.read("content.xml")), outcome.rows


def _sheet(content: ElementTree.Element, name: str) -> ElementTree.Element:
    for table in content.iter(_q("table:table")):
        if table.get(_q("table:name")) == name:
            return table
    raise AssertionError(f"no sheet {name!r} in LibreOffice's reading")


def test_the_table_written_headless_reads_back_in_libreoffice(converted):
    content, rows = converted
    last = layout.TABLE_FIRST_ROW - 1 + len(rows)
    block = sheet_values(_sheet(content, layout.RELANCES), last + 1, len(layout.TABLE_COLUMNS))
    header = block[layout.TABLE_HEADER_ROW - 1]
    assert header == [c.header for c in layout.TABLE_COLUMNS]
    table, after = block[layout.TABLE_FIRST_ROW - 1:last], block[last]
    assert after == [None] * len(layout.TABLE_COLUMNS)  # the table ends with its rows
    assert [line[0] for line in table] == [row.tiers for row in rows]
    fields = list(layout.TABLE_FIELDS)
    for line, row in zip(table, rows, strict=True):
        assert line[fields.index("encours_relance")] == float(row.encours_relance)
        # the checkboxes: booleans, ticked as the table says
        assert line[fields.index("a_relancer")] is row.a_relancer
        assert line[fields.index("editee")] is row.editee
    assert any(row.a_relancer for row in rows) and not all(row.a_relancer for row in rows)


def test_buttons_still_call_their_macros_in_libreoffice(converted):
    content, _ = converted
    buttons = {button.get(_q("form:label")): button for button in content.iter(_q("form:button"))}
    assert set(buttons) == set(layout.BUTTONS)
    for caption, (macro, _) in layout.BUTTONS.items():
        links = [listener.get(_q("xlink:href"))
                 for listener in buttons[caption].iter(_q("script:event-listener"))]
        assert any(f".{macro}?language=Basic" in link for link in links), (caption, links)


def test_excel_tables_and_hidden_sheets_survive_in_libreoffice(converted):
    content, _ = converted
    ranges = {r.get(_q("table:name")): r.get(_q("table:target-range-address"))
              for r in content.iter(_q("table:database-range"))}
    for sheet, name in layout.TABLE_NAMES.items():
        assert ranges.get(name, "").startswith(f"{sheet}.A1:"), (name, ranges)
    hidden_styles = {style.get(_q("style:name")) for style in content.iter(_q("style:style"))
                     for props in style.iter(_q("style:table-properties"))
                     if props.get(_q("table:display")) == "false"}
    for name in (layout.LISTES, layout.PROPOSITION):
        assert _sheet(content, name).get(_q("table:style-name")) in hidden_styles
    assert _sheet(content, layout.RELANCES).get(_q("table:style-name")) not in hidden_styles
