"""The hidden `Listes` sheet (the filter drop-downs) is written only when its lists
change (issue 30): a second Appliquer on the same ledger leaves it as it is, a new
customer or a stale line left below the lists rewrites it whole."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
from test_edited_rows import cli

from relances_xl import layout


def listes_part(path: Path) -> bytes:
    """The Listes worksheet part as stored in the file."""
    book = openpyxl.load_workbook(path, read_only=True, keep_vba=True)
    index = book.sheetnames.index(layout.LISTES)
    book.close()
    with zipfile.ZipFile(path) as package:
        names = sorted((n for n in package.namelist()
                        if n.startswith("xl/worksheets/sheet") and n.endswith(".xml")),
                       key=lambda n: int(n.removeprefix("xl/worksheets/sheet")[:-4]))
        return package.read(names[index])


def offered(path: Path) -> list[list[object]]:
    ws = openpyxl.load_workbook(path)[layout.LISTES]
    return [list(row) for row in ws.iter_rows(values_only=True)]


def test_appliquer_on_the_ledger_the_lists_were_made_from_leaves_listes_as_it_was(
        workbook, capsys):
    before = listes_part(workbook)
    assert cli(capsys, "appliquer", workbook, "--date", "2022-07-27")[0] == 0
    assert listes_part(workbook) == before
    assert cli(capsys, "appliquer", workbook, "--date", "2022-08-31")[0] == 0
    assert listes_part(workbook) == before


def test_a_new_customer_and_a_stale_line_rewrite_the_lists(workbook, capsys):
    book = openpyxl.load_workbook(workbook, keep_vba=True)
    clients = book[layout.CLIENTS]
    new_row = clients.max_row + 1
    for column in range(1, clients.max_column + 1):  # a copy of the last customer...
        clients.cell(new_row, column, clients.cell(new_row - 1, column).value)
    clients.cell(new_row, 1, "ZZNOUVEAU")  # ...under a code of its own
    clients.cell(new_row, 2, "Nouveau client")
    stale_row = book[layout.LISTES].max_row + 3
    book[layout.LISTES].cell(stale_row, 1, "ANCIEN — plus dans le grand livre")
    book.save(workbook)
    assert cli(capsys, "appliquer", workbook, "--date", "2022-07-27")[0] == 0
    lists = offered(workbook)
    customers = [row[0] for row in lists[1:] if row[0]]
    assert "ZZNOUVEAU — Nouveau client" in customers
    assert customers == sorted(customers)
    assert all(not str(cell).startswith("ANCIEN") for row in lists for cell in row if cell)
