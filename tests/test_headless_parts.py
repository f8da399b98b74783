"""What the headless engine does to the parts of a package, on files written by hand
the way other programs write them: shared formulas, a namespace prefix, cells
without references, a calculation chain, column formats, sheet-level names.

Each test reads the saved file back with openpyxl, calamine or zipfile: another
program's reading, not the engine's own.
"""

from __future__ import annotations

import io
import random
import re
import threading
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine
import xlsxwriter

from relances_xl.headless import Options, zipraw
from relances_xl.headless import app as headless

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
TEXT_STYLE = 1  # the second xf of STYLES: number format "@"


def package(path: Path, sheet: str, extra_parts: dict[str, str] | None = None,
            workbook_extra: str = "", calc_chain: bool = False) -> Path:
    """A minimal .xlsx around one worksheet's XML, as a program other than Excel may
    write it."""
    rels = [f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>',
            f'<Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/>']
    overrides = ['<Override PartName="/xl/workbook.xml" ContentType="application/'
                 'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>',
                 '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
                 'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>',
                 '<Override PartName="/xl/styles.xml" ContentType="application/'
                 'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>']
    parts = {
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
                           '<sheet name="S" sheetId="1" r:id="rId1"/></sheets>'
                           f"{workbook_extra}</workbook>",
        "xl/worksheets/sheet1.xml": sheet,
        "xl/styles.xml": f'<styleSheet xmlns="{MAIN}"><fonts count="1"><font><sz val="11"/>'
                         '<name val="Calibri"/></font></fonts><fills count="1"><fill>'
                         '<patternFill patternType="none"/></fill></fills><borders count="1">'
                         '<border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                         '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
                         'borderId="0"/></cellStyleXfs>'
                         '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" '
                         'borderId="0"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" '
                         'applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle '
                         'name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
        "_rels/.rels": f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
                       f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    }
    if calc_chain:
        rels.append(f'<Relationship Id="rId3" Type="{REL}/calcChain" Target="calcChain.xml"/>')
        overrides.append('<Override PartName="/xl/calcChain.xml" ContentType="application/'
                         'vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/>')
        parts["xl/calcChain.xml"] = f'<calcChain xmlns="{MAIN}"><c r="B1" i="1"/></calcChain>'
    parts["xl/_rels/workbook.xml.rels"] = f'<Relationships xmlns="{PKG_REL}">{"".join(rels)}' \
                                          "</Relationships>"
    parts["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'{"".join(overrides)}</Types>')
    parts.update(extra_parts or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text)
    return path


def worksheet(rows: str, head: str = "", prefix: str = "") -> str:
    if prefix:
        return (f'<{prefix}:worksheet xmlns:{prefix}="{MAIN}">{head}<{prefix}:sheetData>{rows}'
                f"</{prefix}:sheetData></{prefix}:worksheet>")
    return f'<worksheet xmlns="{MAIN}">{head}<sheetData>{rows}</sheetData></worksheet>'


def opened(path: Path):
    return headless.open_book(path, Options(date_format="dd/mm/yyyy"))


def saved_sheet(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml").decode()


def test_a_sheet_with_a_namespace_prefix_is_read_and_written_with_it(tmp_path):
    rows = ('<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>'
            'un</x:t></x:is></x:c></x:row>')
    path = package(tmp_path / "x.xlsx", worksheet(rows, prefix="x"))
    book = opened(path)
    sheet = book.sheets["S"]
    assert sheet.range("A1:B1").value == [1.0, "un"]
    sheet.range("C1").value = "deux"
    sheet.range("A2").value = 2
    book.save()
    assert "<x:c r=\"C1\"" in saved_sheet(path) and "<c " not in saved_sheet(path)
    ws = openpyxl.load_workbook(path)["S"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [[1, "un", "deux"],
                                                                   [2, None, None]]


def test_cells_and_rows_without_references_take_the_next_place(tmp_path):
    rows = ('<row><c><v>1</v></c><c s="1" t="inlineStr"><is><t>b</t></is></c></row>'
            '<row><c r="C2"><v>3</v></c><c><v>4</v></c></row>')
    path = package(tmp_path / "noref.xlsx", worksheet(rows))
    book = opened(path)
    sheet = book.sheets["S"]
    assert sheet.range("A1:D2").value == [[1.0, "b", None, None], [None, None, 3.0, 4.0]]
    sheet.range("A3").value = "fin"
    assert sheet.range("B1").number_format == "@"  # the style of a cell with no reference
    book.save()
    ws = openpyxl.load_workbook(path)["S"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        [1, "b", None, None], [None, None, 3, 4], ["fin", None, None, None]]


def test_shared_formulas_are_written_out_when_the_sheet_is_written(tmp_path):
    rows = ('<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f t="shared" ref="B1:B3" si="0">A1*2'
            '</f><v>2</v></c></row><row r="2"><c r="A2"><v>2</v></c><c r="B2"><f t="shared" '
            'si="0"/><v>4</v></c></row><row r="3"><c r="A3"><v>3</v></c><c r="B3"><f t="shared" '
            'si="0"/><v>6</v></c></row>')
    path = package(tmp_path / "shared.xlsx", worksheet(rows))
    book = opened(path)
    sheet = book.sheets["S"]
    assert sheet.range("B1:B3").value == [2.0, 4.0, 6.0]  # the results Excel stored
    sheet.range("B1").value = 10  # the shared formula's first cell, overwritten
    sheet.range("B3").copy(sheet.range("C5"))
    book.save()
    assert 't="shared"' not in saved_sheet(path)
    ws = openpyxl.load_workbook(path)["S"]
    assert [ws["B1"].value, ws["B2"].value, ws["B3"].value] == [10, "=A2*2", "=A3*2"]
    assert ws["C5"].value == "=B5*2"  # the copy moved its reference


def test_a_reference_copied_off_the_sheet_is_a_ref_error_the_rest_kept(tmp_path):
    """As Excel: only the reference that left the sheet becomes #REF!."""
    rows = '<row r="2"><c r="A2"><f>A1+1</f><v>1</v></c></row>'
    path = package(tmp_path / "ref.xlsx", worksheet(rows))
    book = opened(path)
    book.sheets["S"].range("A2").copy(book.sheets["S"].range("A1"))
    book.save()
    assert openpyxl.load_workbook(path)["S"]["A1"].value == "=#REF!+1"


@pytest.mark.parametrize(("formula", "source", "target", "expected"), [
    ("INDEX(B:B,5)+A1", "C5", "C1", "=INDEX(B:B,5)+#REF!"),  # whole column: rows never move
    ("INDEX(B:B,5)", "C2", "E9", "=INDEX(D:D,5)"),
    ("SUM(2:2)*A1", "B2", "B1", "=SUM(1:1)*#REF!"),
    ("A1048575+1", "A1", "A3", "=#REF!+1"),  # below the last row
    ("XFC1&B1", "A1", "C1", "=#REF!&D1"),  # right of XFD
    ("SUM(B:B)", "A1", "XFD1", "=SUM(#REF!)"),
    ("Feuil2!A1+A2", "B2", "B1", "=Feuil2!#REF!+A1"),
    ("tblFactures[Montant TTC]*2", "B2", "B9", "=tblFactures[Montant TTC]*2"),
])
def test_formulas_moved_by_a_copy_follow_excel_at_the_sheets_edges(
        tmp_path, formula, source, target, expected):
    row = source.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    text = formula.replace("&", "&amp;")
    rows = f'<row r="{row}"><c r="{source}"><f>{text}</f><v>1</v></c></row>'
    path = package(tmp_path / "edge.xlsx", worksheet(rows))
    book = opened(path)
    book.sheets["S"].range(source).copy(book.sheets["S"].range(target))
    book.save()
    assert openpyxl.load_workbook(path)["S"][target].value == expected


def test_a_shared_formula_written_out_keeps_whole_columns_and_the_edges(tmp_path):
    """A shared formula whose cells are written out when the sheet is written: each
    cell's text as Excel reads it (the master's INDEX(B:B,…) unmoved, A1 above row 1
    gone to #REF! only in the cell where it would be)."""
    rows = ('<row r="1"><c r="C1"><f t="shared" ref="C1:C2" si="0">INDEX(B:B,2)+A1</f>'
            '<v>1</v></c></row><row r="2"><c r="C2"><f t="shared" si="0"/><v>1</v></c></row>')
    path = package(tmp_path / "shared.xlsx", worksheet(rows))
    book = opened(path)
    book.sheets["S"].range("A5").value = 1  # the sheet is written: sharing dropped
    book.save()
    ws = openpyxl.load_workbook(path)["S"]
    assert [ws["C1"].value, ws["C2"].value] == ["=INDEX(B:B,2)+A1", "=INDEX(B:B,2)+A2"]
    assert 't="shared"' not in saved_sheet(path)


def test_a_column_format_is_the_format_of_its_new_cells(tmp_path):
    head = '<cols><col min="2" max="2" width="12" style="1" customWidth="1"/></cols>'
    path = package(tmp_path / "cols.xlsx", worksheet("", head=head))
    book = opened(path)
    sheet = book.sheets["S"]
    sheet.range("A1:B1").value = ["00123", "00123"]  # B is formatted as text, as Excel does
    assert sheet.range("A1:B1").value == [123.0, "00123"]
    book.save()
    ws = openpyxl.load_workbook(path)["S"]
    assert (ws["A1"].value, ws["B1"].value, ws["B1"].number_format) == (123, "00123", "@")


def test_text_excel_cannot_hold_in_xml_is_written_as_excel_escapes_it(tmp_path):
    path = package(tmp_path / "text.xlsx", worksheet(""))
    book = opened(path)
    texts = ["a\x01b", "_x0041_ stays", "x & <y>", " lead", "trail ", "tab\tnew\nline",
             "\u00a0nbsp", "é€😀", "=", "#N/A?",
             # French text is not "printable" (no-break spaces) and may still need escapes
             "1\u202f234,56\u00a0€ & <b>", "\u00a0_x0041_", "\u00a0a\x02"]
    book.sheets["S"].range("A1").options(transpose=True).value = texts
    book.save()
    calamine = python_calamine.CalamineWorkbook.from_path(path).get_sheet_by_name("S")
    assert [row[0] for row in calamine.to_python()] == texts
    assert "_x0001_" in saved_sheet(path) and "_x005F_x0041_" in saved_sheet(path)


def test_changed_cells_drop_the_calculation_chain_and_ask_for_a_recalculation(tmp_path):
    rows = '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f>A1*2</f><v>2</v></c></row>'
    path = package(tmp_path / "calc.xlsx", worksheet(rows), calc_chain=True)
    book = opened(path)
    book.save()  # nothing changed: nothing touched
    with zipfile.ZipFile(path) as z:
        assert "xl/calcChain.xml" in z.namelist()
    book.sheets["S"].range("B1").value = 5  # a formula cell gone: the chain would name it
    book.save()
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        workbook = z.read("xl/workbook.xml").decode()
        assert "calcChain" not in z.read("xl/_rels/workbook.xml.rels").decode()
        assert "calcChain" not in z.read("[Content_Types].xml").decode()
    assert "xl/calcChain.xml" not in names
    assert re.search(r'<calcPr[^>]*fullCalcOnLoad="1"', workbook)
    assert openpyxl.load_workbook(path)["S"]["B1"].value == 5


def test_clearing_rows_shrinks_the_used_range_and_the_dimension(tmp_path):
    path = tmp_path / "shrink.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("S")
    for row in range(10):
        ws.write_row(row, 0, [f"r{row}", row, row * 1.5])
    wb.close()
    book = opened(path)
    sheet = book.sheets["S"]
    assert sheet.used_range.address == "$A$1:$C$10"
    sheet.range("A5:C10").clear()
    assert sheet.used_range.address == "$A$1:$C$4"
    sheet.range("D2").value = "x"
    assert sheet.used_range.address == "$A$1:$D$4"
    book.save()
    assert '<dimension ref="A1:D4"/>' in saved_sheet(path)
    assert openpyxl.load_workbook(path)["S"].max_row == 4


def test_a_sheet_added_before_others_keeps_their_local_names_on_them(tmp_path):
    names = ('<definedNames><definedName name="Zone" localSheetId="0">S!$A$1:$A$2'
             "</definedName></definedNames>")
    rows = '<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>'
    path = package(tmp_path / "names.xlsx", worksheet(rows), workbook_extra=names)
    book = opened(path)
    book.sheets.add("Avant", before=book.sheets["S"])
    assert book.sheets["S"].range("Zone").value == [1.0, 2.0]
    book.save()
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Avant", "S"]
    assert "Zone" in wb["S"].defined_names and wb.active.title == "Avant"


def test_a_zip_with_data_descriptors_is_copied_as_stored():
    """zipfile writing to a stream it cannot seek marks each part with a data descriptor
    (flag bit 3), as some programs do: the rewrite must copy those records whole."""

    class Unseekable(io.RawIOBase):
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, chunk) -> int:
            self.data += chunk
            return len(chunk)

    stream = Unseekable()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as z:
        for name in ("a.xml", "b.xml", "c.xml"):
            z.writestr(name, name.encode() * 50)
    original = bytes(stream.data)
    assert all(info.flag_bits & 0x08 for info in zipfile.ZipFile(io.BytesIO(original)).infolist())
    rewritten = zipraw.rewrite(original, {"b.xml": b"new", "d.xml": b"added", "c.xml": None})
    with zipfile.ZipFile(io.BytesIO(rewritten)) as z:
        assert z.testzip() is None
        assert z.namelist() == ["a.xml", "b.xml", "d.xml"]
        assert (z.read("a.xml"), z.read("b.xml")) == (b"a.xml" * 50, b"new")
    stored = {e.name: original[e.start:e.end] for e in zipraw.entries(original)}
    restored = {e.name: rewritten[e.start:e.end] for e in zipraw.entries(rewritten)}
    assert restored["a.xml"] == stored["a.xml"]  # header, data and descriptor, as they were


def test_large_parts_deflated_side_by_side_land_in_place_with_their_crc(monkeypatch):
    """Two parts of a megabyte or more are deflated at once, in two threads: each lands
    at its place in the package, with its own CRC and time, beside the small parts
    written, added and removed in the same save."""
    threads: set[str] = set()
    deflate = zipraw._deflated

    def watched(name, content, date_time):
        threads.add(threading.current_thread().name)
        return deflate(name, content, date_time)

    monkeypatch.setattr(zipraw, "_deflated", watched)
    source = io.BytesIO()
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as z:
        for name in ("a.xml", "big1.xml", "b.xml", "big2.xml", "c.xml"):
            z.writestr(zipfile.ZipInfo(name, (2023, 5, 17, 10, 30, 0)), name.encode() * 50)
    large = {name: bytes(random.Random(name).randbytes(1 << 19)) * 3
             for name in ("big1.xml", "big2.xml", "big3.xml")}
    changes = {**large, "b.xml": b"small", "c.xml": None}
    rewritten = zipraw.rewrite(source.getvalue(), changes)
    with zipfile.ZipFile(io.BytesIO(rewritten)) as z:
        assert z.testzip() is None
        assert z.namelist() == ["a.xml", "big1.xml", "b.xml", "big2.xml", "big3.xml"]
        assert [z.read(name) for name in large] == list(large.values())
        assert z.read("b.xml") == b"small" and z.read("a.xml") == b"a.xml" * 50
        assert z.getinfo("big2.xml").date_time == (2023, 5, 17, 10, 30, 0)
    assert any(name.startswith("relances-deflate") for name in threads)
    assert "MainThread" in threads  # the small ones, meanwhile
