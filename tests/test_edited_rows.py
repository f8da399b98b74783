"""Rows found by what they are, not where they are (issue 24 §2).

A user clears a row in the middle of a sheet (the Delete key on a selected row),
and the next command must neither write over the rows below it nor put a tick on
the wrong customer. Each test makes the edit through the headless engine (what
Excel's Delete key leaves: empty cells, formats kept), runs the real command line
and reads the saved file back with openpyxl.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from fec_writer import write_fec
from test_fec_import import VIGNE_FEC, year_2023

from relances_xl import layout
from relances_xl.cli import main
from relances_xl.excel import headless

ON = datetime(2022, 7, 27)


def cli(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def clear(path: Path, sheet: str, address: str) -> None:
    """The user selects cells and presses Delete, then saves."""
    book = headless.open_book(path)
    try:
        book.sheets[sheet].range(address).clear_contents()
        headless.save_book(book)
    finally:
        headless.close_book(book)


def sheet_rows(path: Path, sheet: str, first: int, width: int) -> dict[int, tuple]:
    """Excel row -> values, for every row holding anything."""
    ws = openpyxl.load_workbook(path)[sheet]
    return {row[0].row: tuple(c.value for c in row)
            for row in ws.iter_rows(min_row=first, max_col=width)
            if any(c.value is not None for c in row)}


def test_a_row_cleared_in_historique_makes_lettres_append_below_the_last_line(
        applied, tmp_path, capsys):
    clear(applied, layout.HISTORIQUE, "A3:F3")
    before = sheet_rows(applied, layout.HISTORIQUE, 2, 6)
    assert 3 not in before and len(before) >= 2  # lines below the hole
    code, _, err = cli(capsys, "lettres", applied, "--sortie", "texte", "--dossier", tmp_path)
    assert code == 0, err
    after = sheet_rows(applied, layout.HISTORIQUE, 2, 6)
    assert {row: after[row] for row in before} == before  # not one line overwritten
    assert 3 not in after  # the hole is left as the user made it
    added = [row for row in after if row not in before]
    assert added and min(added) == max(before) + 1
    assert all(after[row][0] == ON for row in added)


def test_editee_is_written_on_the_issued_customers_rows_when_a_table_row_was_cleared(
        applied, tmp_path, capsys):
    first = layout.TABLE_FIRST_ROW
    table = sheet_rows(applied, layout.RELANCES, first, len(layout.TABLE_COLUMNS))
    cleared = first + 1
    cleared_key = table[cleared][:2]
    clear(applied, layout.RELANCES, f"A{cleared}:{layout.TABLE_LAST_COLUMN}{cleared}")
    code, _, err = cli(capsys, "lettres", applied, "--sortie", "texte", "--dossier", tmp_path)
    assert code == 0, err
    after = sheet_rows(applied, layout.RELANCES, first, len(layout.TABLE_COLUMNS))
    fields = [column[1] for column in layout.TABLE_COLUMNS]  # (header, field, …)
    editee = fields.index("editee")
    ticked = fields.index("a_relancer")
    assert cleared not in after  # the empty row got no tick
    for row, values in table.items():
        if row == cleared:
            continue
        assert after[row][:2] == values[:2]  # every row where it was
        assert after[row][editee] is values[ticked], values[:2]  # issued = ticked
    history = {(r[1], r[2]) for r in sheet_rows(applied, layout.HISTORIQUE, 2, 6).values()
               if r[0] == ON}
    assert (cleared_key[1], cleared_key[0]) not in history  # its row was gone: no letter


def test_the_fec_import_reads_a_sheet_with_a_hole_and_adds_below_the_last_row(
        empty, tmp_path, capsys):
    fec = write_fec(tmp_path / VIGNE_FEC, year_2023())
    assert cli(capsys, "import-fec", fec, empty)[0] == 0
    pieces = sheet_rows(empty, layout.FACTURES, 2, 2)
    clear(empty, layout.FACTURES, "A3:J3")  # FA23-002's row, emptied by the user
    code, out, err = cli(capsys, "import-fec", fec, empty)
    assert code == 0, err + out
    after = sheet_rows(empty, layout.FACTURES, 2, 2)
    assert 3 not in after
    assert Counter(after.values()) == Counter(pieces.values())  # each piece once, again
    assert after[max(after)] == pieces[3]  # the missing one added under the last row
    assert {row: after[row] for row in pieces if row != 3} == {
        row: v for row, v in pieces.items() if row != 3}


