"""The hidden `Proposition` sheet, read and written in bulk through xlwings.

It holds the saved proposal (see `proposal.py`) and the flag the close prompt
reads: VRAI when the table changed since the proposal was saved.
"""

from __future__ import annotations

import xlwings as xw

from .. import layout
from ..model import Problem, SavedProposal
from ..proposal import from_cells, to_cells
from .sheets import read_block, sheet_or_none
from .text_cells import as_text, text_block


def _sheet(book: xw.Book) -> xw.Sheet:
    """The hidden sheet, made if an older workbook lacks it."""
    sheet = sheet_or_none(book, layout.PROPOSITION)
    if sheet is None:
        sheet = book.sheets.add(layout.PROPOSITION, after=book.sheets[len(book.sheets) - 1])
        sheet.visible = False
    return sheet


def _index(address: str) -> tuple[int, int]:
    return int(address[1:]) - 1, ord(address[0]) - ord("A")


def read_saved(book: xw.Book) -> tuple[SavedProposal | None, list[Problem], str]:
    """The saved proposal (None if there is none), its problems, its table's fingerprint."""
    block = read_block(book, layout.PROPOSITION) or []
    width = max((len(row) for row in block), default=0)
    block = [list(row) + [None] * (width - len(row)) for row in block]
    values: dict[str, object] = {}
    for key, (_, value_cell, _) in layout.PROPOSAL_CELLS.items():
        row, column = _index(value_cell)
        values[key] = block[row][column] if row < len(block) and column < width else None
    rows = block[layout.PROPOSAL_HEADER_ROW - 1:]
    saved, problems = from_cells(values, rows or [[]])
    return saved, problems, str(values.get("fingerprint") or "")


def write_saved(book: xw.Book, saved: SavedProposal | None) -> None:
    """Keep `saved` (or drop the saved proposal when None); the table is then unchanged."""
    sheet = _sheet(book)
    sheet.used_range.clear_contents()
    head: list[list[object]] = [[layout.PROPOSAL_TITLE, None]]
    values, rows = to_cells(saved, changed=False) if saved else ({"changed": False}, [])
    for key, (_, _, label) in layout.PROPOSAL_CELLS.items():
        head.append([label, as_text(values.get(key))])  # codes and fingerprint stay text
    sheet.range("A1").options(ndim=2).value = head
    if rows:
        sheet.range((layout.PROPOSAL_HEADER_ROW, 1)).options(ndim=2).value = (
            rows[:1] + text_block(rows[1:]))


def set_changed(book: xw.Book, changed: bool) -> None:
    """The flag the close prompt reads (Excel also sets it when a user ticks a box)."""
    sheet = _sheet(book)
    cell = layout.PROPOSAL_CELLS["changed"]
    sheet.range(cell[0]).value = cell[2]
    sheet.range(cell[1]).value = changed


def close_choice(book: xw.Book) -> str | None:
    """What the user answered at the last close ("sauver", "abandonner"), not yet acted
    on; None when nothing is pending (ThisWorkbook's close prompt writes it)."""
    sheet = sheet_or_none(book, layout.PROPOSITION)
    if sheet is None:
        return None
    value = sheet.range(layout.PROPOSAL_CELLS["a_la_fermeture"][1]).value
    text = str(value).strip().lower() if value is not None else ""
    return text if text in (layout.CLOSE_SAVE, layout.CLOSE_DROP) else None


def clear_close_choice(book: xw.Book) -> None:
    sheet = sheet_or_none(book, layout.PROPOSITION)
    if sheet is not None:
        sheet.range(layout.PROPOSAL_CELLS["a_la_fermeture"][1]).value = None
