"""Text stays text (issues 24 §1 and 32): Excel reads a string written to a General
cell as if typed ("00042" -> 42, "2022-07" -> a date, "=..." -> a formula); the
headless engine does the same, and the add-in writes every string from data with
Excel's leading apostrophe, so names, addresses, FEC labels, codes and pièces read
back as the text they were, in the file, in Excel and in LibreOffice."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest
from conftest import soffice_or_skip
from fec_writer import Ln, payment, sale, write_fec
from hypothesis import given, settings
from hypothesis import strategies as st
from test_fec_import import VIGNE_FEC
from test_lettres import cli

from relances_xl import layout
from relances_xl.excel import headless
from relances_xl.excel.text_cells import as_text
from relances_xl.headless.typed import typed

# what Excel makes of each typed into a General cell
HOSTILE = ['=HYPERLINK("http://example.com/x","Cliquez ici")', "=MME X", "-2+3",
           "@SUM(A1)", "+33 1 23", "00042", "2022-07", "1E5"]


# --- the engine reads a written string as Excel does ------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("00042", ("number", 42.0)),
    ("1E5", ("number", 100000.0)),
    ("1,5", ("number", 1.5)),
    ("1.5", ("number", 1.5)),
    (" 42 ", ("number", 42.0)),
    ("-0,5", ("number", -0.5)),
    ("5%", ("percent", 0.05)),
    ("1234567890123456789", ("number", 1.23456789012346e18)),  # 15 significant digits
    ("2022-07-15", ("date", date(2022, 7, 15))),
    ("2022-07", ("date", date(2022, 7, 1))),
    ("15/07/2022", ("date", date(2022, 7, 15))),
    ("15/07/29", ("date", date(2029, 7, 15))),
    ("15/07/30", ("date", date(1930, 7, 15))),
    ("12:30", ("time", time(12, 30))),
    ("=1+1", ("formula", "1+1")),
    ("-2+3", ("formula", "-2+3")),
    ("+33 1 23", ("formula", "+33 1 23")),
    ("@SUM(A1)", ("formula", "SUM(A1)")),
    ("VRAI", ("bool", True)),
    ("false", ("bool", False)),
    ("#N/A", ("error", "#N/A")),
    ("2022-13-01", ("text", "2022-13-01")),
    ("31/02/2022", ("text", "31/02/2022")),
    ("1E999", ("text", "1E999")),
    ("-", ("text", "-")),
    ("=", ("text", "=")),
    ("@", ("text", "@")),
    ("FA23-001", ("text", "FA23-001")),
    ("1FRNEG", ("text", "1FRNEG")),
])
def test_a_typed_text_is_read_as_excel_reads_it(text, expected):
    assert typed(text) == expected


@pytest.fixture
def book(workbook: Path):
    opened = headless.open_book(workbook)
    yield opened
    headless.close_book(opened)


def test_strings_written_to_general_cells_read_back_as_excel_types_them(book):
    sheet = book.sheets[layout.HISTORIQUE]
    target = sheet.range("H2:H6")
    target.options(transpose=True).value = ["00042", "2022-07-15", "1E5", "=1+1", "VRAI"]
    got = target.options(transpose=True).value
    assert got[0] == 42.0 and got[2] == 100000.0 and got[4] is True
    assert got[1] == datetime(2022, 7, 15)
    assert sheet.range("H3").number_format == layout.DATE_FORMAT  # a date shows as one
    assert got[3] is None  # a formula: no value until Excel calculates it
    state = sheet.impl.state
    assert state.cell(5, 8).kind == "f" and state.cell(5, 8).text == "1+1"


def test_the_apostrophe_keeps_text_and_marks_the_cell_quote_prefixed(book, tmp_path):
    sheet = book.sheets[layout.HISTORIQUE]
    sheet.range("H2").options(transpose=True).value = ["'" + text for text in HOSTILE]
    assert sheet.range(f"H2:H{1 + len(HOSTILE)}").options(transpose=True).value == HOSTILE
    sheet.range("H3").value = 7  # a value typed without it: the mark goes
    saved = tmp_path / "saved.xlsm"
    headless.save_book(book, saved)
    ws = openpyxl.load_workbook(saved)[layout.HISTORIQUE]
    assert [ws[f"H{row}"].value for row in (2, 4)] == [HOSTILE[0], HOSTILE[2]]
    assert ws["H2"].quotePrefix and ws["H4"].quotePrefix
    assert ws["H3"].value == 7 and not ws["H3"].quotePrefix


def test_a_cell_formatted_as_text_keeps_a_formula_as_text(book):
    sheet = book.sheets[layout.HISTORIQUE]
    sheet.range("H2").number_format = "@"
    sheet.range("H2").value = "=1+1"
    assert sheet.range("H2").value == "=1+1"


@settings(max_examples=100, deadline=None)
@given(texts=st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=6))
def test_any_text_written_as_text_reads_back_unchanged(built_workbook, texts):
    texts = [t for t in texts if t.strip() and "\x00" not in t] or ["x"]
    book = headless.open_book(built_workbook)
    try:
        target = book.sheets[layout.HISTORIQUE].range((2, 8), (1 + len(texts), 8))
        target.options(transpose=True).value = [as_text(t) for t in texts]
        got = target.options(transpose=True, ndim=1).value
        assert got == texts
    finally:
        headless.close_book(book)


# --- the add-in's writes ---------------------------------------------------------------


def _formulas(path: Path) -> dict[str, list[str]]:
    """Each worksheet part's formulas (<f> elements), by part name."""
    with zipfile.ZipFile(path) as archive:
        return {name: re.findall(rb"<f[ >][^<]*</f>|<f>[^<]*</f>", archive.read(name))
                for name in archive.namelist() if name.startswith("xl/worksheets/sheet")}


def _libreoffice_csv(path: Path, tmp_path: Path) -> dict[str, list[list[str]]]:
    """Every sheet as LibreOffice shows it (formatted text), by sheet name."""
    soffice = soffice_or_skip()
    out = tmp_path / "csv"
    out.mkdir()
    source = out / "book.xlsx"
    shutil.copyfile(path, source)
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--headless", "--norestore", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,"
                    "false,-1", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    sheets = {}
    for file in out.glob("book-*.csv"):
        with file.open(encoding="utf-8", newline="") as stream:
            sheets[file.stem.removeprefix("book-")] = list(csv.reader(stream))
    return sheets


def _shown(sheets: dict[str, list[list[str]]], name: str) -> set[str]:
    return {cell for row in sheets[name] for cell in row}


HOSTILE_LABEL = HOSTILE[0]


def test_import_fec_writes_hostile_labels_codes_and_pieces_as_text(empty, tmp_path,
                                                                   capsys):
    lines = [
        *sale("1", "20230105", "00042", HOSTILE_LABEL, "2022-07", "1200,00"),
        *sale("2", "20230110", "1E5", "=MME X", "00042", "600,00"),
        *sale("3", "20230201", "MARTIN", "-2+3", "@SUM(A1)", "300,00"),
        *payment("1", "20230204", "MARTIN", "-2+3", "100,00"),
        Ln("VT", "4", "20230210", "411000", Debit="50,00", CompAuxNum="DURAND",
           CompAuxLib="+33 1 23", PieceRef="FA-4", EcritureLib=HOSTILE_LABEL),
        Ln("VT", "4", "20230210", "706000", Credit="50,00", PieceRef="FA-4"),
    ]
    fec = write_fec(tmp_path / VIGNE_FEC, lines)
    code, _, err = cli(capsys, "import-fec", str(fec), str(empty))
    assert code == 0, err
    book = openpyxl.load_workbook(empty)
    clients = {row[0]: row[1] for row in book[layout.CLIENTS].iter_rows(min_row=2,
                                                                         values_only=True)
               if row[0] is not None}
    assert clients == {"00042": HOSTILE_LABEL, "1E5": "=MME X", "MARTIN": "-2+3",
                       "DURAND": "+33 1 23"}
    pieces = [row[1] for row in book[layout.FACTURES].iter_rows(min_row=2, values_only=True)
              if row[0] is not None]
    assert pieces == ["2022-07", "00042", "@SUM(A1)", "FA-4"]
    assert _formulas(empty) == {name: [] for name in _formulas(empty)}
    shown = _libreoffice_csv(empty, tmp_path)
    assert {HOSTILE_LABEL, "=MME X", "-2+3", "+33 1 23", "00042", "1E5"} <= _shown(
        shown, layout.CLIENTS)
    assert {"2022-07", "00042", "@SUM(A1)"} <= _shown(shown, layout.FACTURES)


def _set_customer(path: Path, code: str, **values: str) -> None:
    book = openpyxl.load_workbook(path, keep_vba=True)
    sheet = book[layout.CLIENTS]
    headers = [c.value for c in sheet[1]]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == code)
    for header, value in values.items():
        cell = sheet.cell(row, headers.index(header) + 1)
        cell.value, cell.data_type = value, "s"  # text, as the file holds it ("=" too)
    book.save(path)


def _rename_customer(path: Path, old: str, new: str) -> None:
    """The customer's code changed everywhere it is used (Clients, Factures, Règlements)."""
    book = openpyxl.load_workbook(path, keep_vba=True)
    for name in (layout.CLIENTS, layout.FACTURES, layout.REGLEMENTS, layout.HISTORIQUE):
        for row in book[name].iter_rows():
            for cell in row:
                if cell.value == old:
                    cell.value = new
    book.save(path)


def _table(path: Path) -> dict[str, tuple]:
    sheet = openpyxl.load_workbook(path)[layout.RELANCES]
    return {row[0]: row for row in sheet.iter_rows(min_row=layout.TABLE_FIRST_ROW,
                                                    values_only=True) if row[0] is not None}


def test_appliquer_and_lettres_keep_names_addresses_motifs_and_codes_as_text(
        workbook, tmp_path, capsys):
    _rename_customer(workbook, "1FRNEG", "00042")
    _set_customer(workbook, "00042", **{"Nom": "=MME X", "Adresse 1": "-2+3",
                                        "Adresse 2": "@SUM(A1)", "Ville": "+33 1 23",
                                        "Code postal": "2022-07", "E-mail": "=HYPERLINK(1)"})
    _set_customer(workbook, "4HUE", **{"Bloqué relance": "Oui"})  # a motif
    assert cli(capsys, "appliquer", str(workbook), "--date", "2022-07-27")[0] == 0
    row = _table(workbook)["00042"]
    assert row[0] == "00042"
    assert row[8] == "=MME X - 2022-07 +33 1 23"  # name, postcode and town: text
    assert _table(workbook)["4HUE"][9]  # a motif, written as text
    lists = openpyxl.load_workbook(workbook)[layout.LISTES]
    assert "00042 — =MME X" in {c.value for row in lists.iter_rows() for c in row}
    code, _, err = cli(capsys, "lettres", str(workbook), "--sortie", "texte", "--dossier",
                       str(tmp_path / "out"))
    assert code == 0, err
    history = openpyxl.load_workbook(workbook)[layout.HISTORIQUE]
    codes = {row[2] for row in history.iter_rows(min_row=2, values_only=True) if row[0]}
    assert "00042" in codes and 42 not in codes
    assert _formulas(workbook) == {name: [] for name in _formulas(workbook)}
    shown = _libreoffice_csv(workbook, tmp_path)
    assert "00042" in _shown(shown, layout.HISTORIQUE)
    assert "=MME X - 2022-07 +33 1 23" in _shown(shown, layout.RELANCES)
    assert "00042 — =MME X" in _shown(shown, layout.LISTES)


def test_a_hostile_value_reported_in_controles_is_shown_as_text(workbook, tmp_path, capsys):
    book = openpyxl.load_workbook(workbook, keep_vba=True)
    factures = book[layout.FACTURES]
    headers = [c.value for c in factures[1]]
    for row, text in ((2, "=1+1"), (3, "-2+3"), (4, "@SUM(A1)")):
        cell = factures.cell(row, headers.index("Montant TTC") + 1)
        cell.value, cell.data_type = text, "s"
    book.save(workbook)
    assert cli(capsys, "appliquer", str(workbook), "--date", "2022-07-27")[0] == 2
    controles = openpyxl.load_workbook(workbook)[layout.CONTROLES]
    values = {row[4] for row in controles.iter_rows(min_row=2, values_only=True)}
    assert {"=1+1", "-2+3", "@SUM(A1)"} <= values
    assert _formulas(workbook) == {name: [] for name in _formulas(workbook)}
