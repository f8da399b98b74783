"""The openpyxl-backed xlwings engine answers xlwings' public Range API as Excel would.

Each test builds a small real workbook with XlsxWriter, opens it headless and goes
through `xw.Book.caller()`, like the add-in does.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
import xlwings as xw

from relances_xl.excel import headless
from relances_xl.layout import CHECKBOX_FORMAT, DATE_FORMAT, MONEY_FORMAT


def build_workbook(path: Path) -> Path:
    wb = xlsxwriter.Workbook(path)
    money = wb.add_format({"num_format": MONEY_FORMAT})
    checkbox = wb.add_format({"num_format": CHECKBOX_FORMAT})
    day = wb.add_format({"num_format": DATE_FORMAT})
    text = wb.add_format({"num_format": "@"})
    iso = wb.add_format({"num_format": "yyyy-mm-dd"})
    bold = wb.add_format({"bold": True})

    ws = wb.add_worksheet("Relances")
    ws.write_row("A1", ["Titre", 5, 2.5])
    ws.write_datetime("D1", datetime(2024, 3, 31), day)
    ws.write_boolean("E1", True)
    ws.write_formula("F1", "=B1*2", None, 10)
    ws.write_formula("G1", "=NA()", None, "#N/A")
    ws.write_blank("H1", None, text)
    ws.write_blank("I1", None, iso)
    ws.write_column("A3", ["a", "b", "c", "d"])  # A3:A6, then a gap, then A8
    ws.write("A8", "e")
    ws.write_row("A14", ["Tiers", "Société", "Solde"], bold)
    ws.write("A15", "T1")
    ws.write_number("C15", 12.5, money)
    ws.insert_checkbox("G15", False, checkbox)
    ws.write_formula("J15", "=C15*2", None, 25)

    clients = wb.add_worksheet("Clients")
    clients.write_column("A1", ["Code tiers", "C1", "C2"])
    wb.define_name("ListeClients", "=Clients!$A$2:$A$3")
    wb.add_worksheet("Proposition").hide()
    wb.close()
    return path


@pytest.fixture
def book(tmp_path):
    opened = headless.open_book(build_workbook(tmp_path / "Relances.xlsx"))
    yield opened
    headless.close_book(opened)


def saved_and_reread(sheet: xw.Sheet) -> openpyxl.Workbook:
    """The book saved, as openpyxl reads the file (what another program would see)."""
    sheet.book.save()
    return openpyxl.load_workbook(sheet.book.fullname)


@pytest.fixture
def sheet(book):
    return xw.Book.caller().sheets["Relances"]


def test_caller_is_the_opened_book_until_closed(tmp_path):
    path = build_workbook(tmp_path / "Relances.xlsx")
    book = headless.open_book(path)
    caller = xw.Book.caller()
    assert caller.fullname == str(path.resolve())
    assert caller.name == "Relances.xlsx"
    assert [s.name for s in caller.sheets] == ["Relances", "Clients", "Proposition"]
    headless.close_book(book)
    assert not hasattr(xw.Book, "_mock_caller")
    with pytest.raises(Exception):  # noqa: B017  (outside Excel: no caller any more)
        xw.Book.caller()


def test_reads_as_excel_gives_them(sheet):
    assert sheet.range("A1").value == "Titre"
    number = sheet.range("B1").value
    assert number == 5.0 and type(number) is float
    assert sheet.range("D1").value == datetime(2024, 3, 31)
    assert sheet.range("E1").value is True
    assert sheet.range("Z99").value is None
    assert sheet.range("A1:C1").value == ["Titre", 5.0, 2.5]
    assert sheet.range("A1").options(ndim=2).value == [["Titre"]]
    assert sheet.range("A1:B2").options(ndim=2).value == [["Titre", 5.0], [None, None]]
    assert sheet.range("D1").options(dates=date).value == date(2024, 3, 31)


def test_formulas_read_as_their_last_result_errors_as_none(sheet):
    assert sheet.range("F1").value == 10.0  # the result Excel stored
    assert sheet.range("G1").value is None  # #N/A, as xlwings gives cell errors
    assert sheet.range("G1").options(err_to_str=True).value == "#N/A"
    sheet.range("F1").value = "=B1*3"  # no calculator headless: unknown, not stale
    assert sheet.range("F1").value is None


def test_writes_blocks_scalars_and_clears_with_none(sheet):
    sheet.range("A20").options(ndim=2).value = [[1, "x"], [Decimal("2.50"), True]]
    assert sheet.range("A20:B21").options(ndim=2).value == [[1.0, "x"], [2.5, True]]
    sheet.range("D20:E21").value = 7  # a scalar fills the whole range, as in Excel
    assert sheet.range("D20:E21").value == [[7.0, 7.0], [7.0, 7.0]]
    sheet.range("A20:B21").value = [[None, ""], [None, None]]
    assert sheet.range("A20:B21").value == [[None, None], [None, None]]


def test_dates_get_a_date_format_unless_they_have_one(sheet):
    sheet.range("A30").value = date(2024, 7, 27)
    sheet.range("B30").value = datetime(2024, 7, 27, 14, 30)
    sheet.range("I1").value = date(2024, 7, 27)  # already yyyy-mm-dd: kept
    assert sheet.range("A30").number_format == DATE_FORMAT
    assert sheet.range("B30").number_format == DATE_FORMAT + " hh:mm"
    assert sheet.range("I1").number_format == "yyyy-mm-dd"
    assert sheet.range("A30").value == datetime(2024, 7, 27)


def test_whole_number_text_becomes_a_number_unless_cell_is_text(sheet):
    sheet.range("A31").value = "00123"
    sheet.range("H1").value = "00123"  # formatted "@"
    assert sheet.range("A31").value == 123.0
    assert sheet.range("H1").value == "00123"


def test_corners_in_any_order_and_geometry(sheet):
    assert sheet.range("C3", "A1").address == "$A$1:$C$3"
    assert sheet.range((3, 3), (1, 1)).address == "$A$1:$C$3"
    assert sheet.range(sheet.range("J20"), sheet.range("A15")).address == "$A$15:$J$20"
    block = sheet.range("B2:D5")
    assert (block.row, block.column, block.shape) == (2, 2, (4, 3))
    assert block.last_cell.address == "$D$5"
    assert xw.Book.caller().sheets["Clients"].range("ListeClients").value == ["C1", "C2"]
    with pytest.raises(KeyError):  # the name is on another sheet, as Excel refuses too
        sheet.range("ListeClients")
    assert sheet.range("A1").get_address(False, False, include_sheetname=True) == "Relances!A1"


def test_clear_contents_keeps_formats_clear_drops_them(sheet):
    sheet.range("C15").clear_contents()
    assert sheet.range("C15").value is None
    assert sheet.range("C15").number_format == MONEY_FORMAT
    sheet.range("G15").clear()
    assert sheet.range("G15").value is None
    assert sheet.range("G15").number_format == "General"


def test_copy_one_row_fills_every_destination_row(sheet):
    sheet.range("A15:J15").copy(sheet.range("A15:J19"))  # overlapping, as the add-in does
    assert sheet.range("C15:C19").value == [12.5] * 5
    assert sheet.range("C19").number_format == MONEY_FORMAT
    assert sheet.range("G16:G19").number_format == CHECKBOX_FORMAT
    assert sheet.range("G19").value is False
    assert sheet.range("J19").value is None  # a formula written: no calculator headless
    assert sheet.range("A15").value == "T1"
    sheet.range("A14:B14").copy(sheet.range("D40"))  # one cell: pasted at its size
    assert sheet.range("D40:F40").value == ["Tiers", "Société", None]
    ws = saved_and_reread(sheet)["Relances"]
    assert ws["J19"].value == "=C19*2"  # references move with the copy
    assert ws["D40"].font.b and ws["E40"].font.b


def test_a_row_copied_with_empty_cells_removes_only_the_cells_it_empties(sheet):
    """A copy pastes the source's empty cells too: onto cells that hold nothing they
    remove nothing (the used range is not counted again at the save: a 10,000-row
    table copied down from its first row), onto the run's cells they remove them and
    the used range shrinks."""
    state = sheet.book.impl.state(sheet.impl.entry)
    sheet.range("A15:J15").copy(sheet.range("A16:J19"))  # B, D-F, H, I of row 15: empty
    assert not state.removed
    assert sheet.used_range.address == "$A$1:$J$19"
    sheet.range("A30:J30").copy(sheet.range("A16:J19"))  # the run's cells emptied
    assert state.removed
    assert sheet.used_range.address == "$A$1:$J$15"


def test_a_row_copied_with_empty_cells_onto_the_files_cells_removes_them(sheet):
    state = sheet.book.impl.state(sheet.impl.entry)
    sheet.range("A30:J30").copy(sheet.range("A15:J15"))  # the file's cells emptied
    assert state.removed
    assert sheet.used_range.address == "$A$1:$I$14"
    ws = saved_and_reread(sheet)["Relances"]
    assert ws.max_row == 14 and ws["A14"].value == "Tiers" and ws["C15"].value is None


def test_used_range_and_end(sheet):
    assert sheet.used_range.address == "$A$1:$J$15"
    assert sheet.range("A3").end("down").address == "$A$6"  # end of the block
    assert sheet.range("A6").end("down").address == "$A$8"  # next filled cell
    assert sheet.range("A8").end("down").address == "$A$14"
    assert sheet.range("A14").end("down").address == "$A$15"
    assert sheet.range("A15").end("down").address == "$A$1048576"  # the sheet's edge
    assert sheet.range("A1").end("right").address == "$G$1"  # H1 is only formatted
    assert sheet.range("A6").end("up").address == "$A$3"
    empty = xw.Book.caller().sheets["Proposition"]
    assert empty.used_range.address == "$A$1"


def test_reads_do_not_grow_the_used_range(sheet):
    sheet.range("A1:Z200").value  # noqa: B018
    sheet.range("A200").end("up")
    assert sheet.used_range.address == "$A$1:$J$15"


def test_sheets_add_after_and_hidden_sheets(book):
    caller = xw.Book.caller()
    added = caller.sheets.add("Contrôles", after=caller.sheets["Clients"])
    assert [s.name for s in caller.sheets] == ["Relances", "Clients", "Contrôles", "Proposition"]
    assert added.visible and caller.sheets.active.name == "Contrôles"
    assert caller.sheets["Proposition"].visible is False
    added.visible = False  # the active sheet: another becomes active, as in Excel
    assert caller.sheets.active.visible
    saved = saved_and_reread(caller.sheets.active)
    assert sum(bool(ws.sheet_view.tabSelected) for ws in saved.worksheets) == 1
    assert saved.active.title == caller.sheets.active.name
    assert saved["Contrôles"].sheet_state == "hidden"
    assert "contrôles" in caller.sheets  # names match ignoring case


def test_status_bar_and_alerts_are_recorded(book, capsys):
    app = xw.Book.caller().app
    earlier = len(app.impl.alerts)  # one App per process, as in Excel: other tests' alerts
    app.status_bar = "Calcul en cours..."
    assert app.status_bar == "Calcul en cours..."
    assert app.alert("12 relances prêtes", title="Relances") == "ok"
    app.impl.answers.append("no")
    assert app.alert("Sauver ?", title="Relances", buttons="yes_no_cancel") == "no"
    assert [(a.title, a.prompt, a.answer) for a in app.impl.alerts[earlier:]] == [
        ("Relances", "12 relances prêtes", "ok"), ("Relances", "Sauver ?", "no")]
    assert "12 relances prêtes" in capsys.readouterr().err


def test_written_true_reads_back_as_boolean_after_save(book, tmp_path):
    sheet = xw.Book.caller().sheets["Relances"]
    sheet.range("G16:H16").value = [True, False]
    book.save()
    reloaded = openpyxl.load_workbook(book.fullname)["Relances"]
    assert reloaded["G16"].value is True and reloaded["G16"].data_type == "b"
    again = headless.open_book(book.fullname)
    assert again.sheets["Relances"].range("G16:H16").value == [True, False]
    headless.close_book(again)
