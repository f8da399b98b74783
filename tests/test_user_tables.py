"""The user's own Excel tables and totals rows over the sheets the project writes
(issue 24 §3).

The tables are made with openpyxl, as a user's "Mettre sous forme de tableau" leaves
them in the file (a table part, its column names, an autoFilter); the commands run
through the real command line; the saved file is read back with openpyxl and its
tables compared with their header cells, the rule whose breach makes Excel repair.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from fec_writer import write_fec
from openpyxl.worksheet.table import Table
from test_edited_rows import cli
from test_fec_import import VIGNE_FEC, year_2023

from relances_xl import layout
from relances_xl.excel.headless import close_book, open_book
from relances_xl.excel.sheets import read_ledger_blocks


def add_table(path: Path, sheet: str, ref: str, name: str) -> None:
    book = openpyxl.load_workbook(path, keep_vba=True)
    book[sheet].add_table(Table(displayName=name, ref=ref))
    book.save(path)


def show_totals(path: Path, sheet: str, table: str, column: str, function: str = "sum",
                label_column: str = "A") -> int:
    """Tick "Ligne Total" on a table: one more row, a label, a SUBTOTAL; its row."""
    book = openpyxl.load_workbook(path, keep_vba=True)
    ws = book[sheet]
    found = ws.tables[table]
    start, end = found.ref.split(":")
    last = int("".join(ch for ch in end if ch.isdigit())) + 1
    end_column = "".join(ch for ch in end if ch.isalpha())
    found.ref = f"{start}:{end_column}{last}"
    found.autoFilter.ref = found.ref
    found.totalsRowCount = 1
    columns = {openpyxl.utils.column_index_from_string(column) - 1}
    for index, table_column in enumerate(found.tableColumns):
        if index in columns:
            table_column.totalsRowFunction = function
        elif index == 0:
            table_column.totalsRowLabel = "Total"
    ws[f"{label_column}{last}"] = "Total"
    header = ws[f"{column}1"].value
    ws[f"{column}{last}"] = f"=SUBTOTAL(109,{table}[{header}])"
    book.save(path)
    return last


def tables_match_their_headers(path: Path) -> dict[str, list[str]]:
    """table -> its column names, after checking each equals its header cell."""
    book = openpyxl.load_workbook(path)
    names = {}
    for ws in book:
        for table in ws.tables.values():
            first = ws[table.ref.split(":")[0]]
            cells = [ws.cell(first.row, first.column + i).value
                     for i in range(len(table.tableColumns))]
            columns = [c.name for c in table.tableColumns]
            assert columns == [str(c) for c in cells], (ws.title, table.name, columns, cells)
            names[table.name] = columns
    return names


def set_setting(path: Path, key: str, value: object) -> None:
    book = openpyxl.load_workbook(path, keep_vba=True)
    label = layout.PARAMETRES_SETTINGS[key][0]
    for row in book[layout.PARAMETRES].iter_rows(min_col=1, max_col=2):
        if row[0].value == label:
            row[1].value = value
    book.save(path)


def test_a_user_table_over_the_aged_balance_follows_other_bucket_limits(workbook, capsys):
    assert cli(capsys, "balance-agee", workbook, "--date", "2022-07-27")[0] == 0
    width = len(layout.AGED_LEADING) + 5 + len(layout.AGED_TRAILING)
    last_column = openpyxl.utils.get_column_letter(width)
    add_table(workbook, layout.BALANCE_AGEE, f"A{layout.AGED_HEADER_ROW}:{last_column}12",
              "MaBalance")
    set_setting(workbook, "tranches_balance", "15/45/120")
    code, _, err = cli(capsys, "balance-agee", workbook, "--date", "2022-07-27")
    assert code == 0, err
    names = tables_match_their_headers(workbook)["MaBalance"]
    assert "0 à 15 jours" in names and "0 à 30 jours" not in names


def test_a_header_the_command_clears_gets_a_name_as_excel_gives_it(workbook, capsys):
    """Contrôles is rewritten at each Appliquer; the user's table over it has a column
    of their own ("Suite donnée") whose header the rewrite clears: the cell and the
    table column get the name Excel gives an empty header."""
    assert cli(capsys, "appliquer", workbook, "--date", "2022-07-27")[0] == 0
    book = openpyxl.load_workbook(workbook, keep_vba=True)
    ws = book[layout.CONTROLES]
    extra = len(layout.CONTROLES_COLUMNS) + 1
    ws.cell(1, extra, "Suite donnée")
    last = max(ws.max_row, 2)
    ref = f"A1:{openpyxl.utils.get_column_letter(extra)}{last}"
    ws.add_table(Table(displayName="MesControles", ref=ref))
    book.save(workbook)
    assert cli(capsys, "appliquer", workbook, "--date", "2022-07-27")[0] == 0
    names = tables_match_their_headers(workbook)["MesControles"]
    assert names[:len(layout.CONTROLES_COLUMNS)] == list(layout.CONTROLES_COLUMNS)
    assert names[-1] == f"Colonne{extra}"


@pytest.mark.parametrize(("sheet", "table", "column"), [
    (layout.FACTURES, "tblFactures", "G"),
    (layout.REGLEMENTS, "tblReglements", "E"),
    (layout.CLIENTS, "tblClients", "P"),
])
def test_a_totals_row_on_a_ledger_table_is_not_data(workbook, capsys, sheet, table, column):
    code, out, _ = cli(capsys, "appliquer", workbook, "--date", "2022-07-27", "--json")
    assert code == 0
    before = json.loads(out)
    show_totals(workbook, sheet, table, column)
    code, out, err = cli(capsys, "appliquer", workbook, "--date", "2022-07-27", "--json")
    assert code == 0, err
    assert json.loads(out) == before
    assert "ERREUR" not in err and "attention" not in err
    lists = openpyxl.load_workbook(workbook)[layout.LISTES]
    offered = {str(c.value) for row in lists.iter_rows() for c in row if c.value}
    assert not any(text.startswith("Total") for text in offered)  # no customer "Total"


def test_letters_append_history_above_its_totals_row(applied, tmp_path, capsys):
    totals = show_totals(applied, layout.HISTORIQUE, "tblHistorique", "E", "count")
    code, _, err = cli(capsys, "lettres", applied, "--sortie", "texte", "--dossier", tmp_path)
    assert code == 0, err
    ws = openpyxl.load_workbook(applied)[layout.HISTORIQUE]
    table = ws.tables["tblHistorique"]
    last = ws.max_row
    assert table.ref == f"A1:G{last}" and table.totalsRowCount == 1
    assert ws[f"A{last}"].value == "Total" and ws[f"E{last}"].value.startswith("=SUBTOTAL")
    lines = [r for r in ws.iter_rows(min_row=2, max_row=last - 1, max_col=6, values_only=True)]
    assert all(r[0] is not None for r in lines)  # no hole, no totals among the lines
    assert len(lines) == totals - 2 + 9  # the sample's lines and one per invoice issued


def test_the_fec_import_stops_before_writing_under_a_totals_row(workbook, tmp_path, capsys):
    show_totals(workbook, layout.FACTURES, "tblFactures", "G")
    before = workbook.read_bytes()
    fec = write_fec(tmp_path / VIGNE_FEC, year_2023())
    code, out, err = cli(capsys, "import-fec", fec, workbook)
    assert code == 2
    assert "Ligne Total" in out + err and "Factures" in out + err
    assert workbook.read_bytes() == before


def test_the_ledger_read_empties_the_totals_row_in_its_block_not_in_the_sheet(workbook):
    """The totals row is emptied in the block the ledger reads (`without_totals`), a
    copy of it: the sheet's own row, which the ledger's read shares headless, still
    says "Total" to whoever reads the sheet after."""
    last = show_totals(workbook, layout.FACTURES, "tblFactures", "G")
    book = open_book(workbook)
    try:
        block = read_ledger_blocks(book)[layout.FACTURES]
        assert block[last - 1][0] is None
        assert book.sheets[layout.FACTURES].range(f"A{last}").value == "Total"
    finally:
        close_book(book)
