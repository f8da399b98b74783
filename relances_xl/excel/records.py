"""What issuing letters writes back: "Éditée" ticks and `Historique` lines.

Both are written in bulk (one read, one write per block), and only for letters
really produced. History lines are never duplicated: a letter issued again the same
day for the same invoice adds nothing, so the level cannot rise twice in one day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import xlwings as xw

from .. import layout
from ..model import HistoryEntry, Problem
from .sheets import read_block, read_table, read_values, sheet_or_none
from .text_cells import text_block

_EDITEE = [field for _, field in layout.TABLE_COLUMNS].index("editee")
_A_RELANCER = [field for _, field in layout.TABLE_COLUMNS].index("a_relancer")


def table_states(sheet: xw.Sheet) -> dict[tuple[str, str], tuple[bool, bool]]:
    """(tiers, société) -> ("A relancer", "Éditée") as the user left them on the sheet."""
    states = {}
    for row in read_table(sheet):
        key = (_text(row[0]), _text(row[1]))
        states[key] = (row[_A_RELANCER] is True, row[_EDITEE] is True)
    return states


def checkbox_problems(sheet: xw.Sheet) -> list[Problem]:
    """A warning per "A relancer" / "Éditée" cell holding anything but TRUE or FALSE.

    Such a cell (text "Oui", a number, an error) is read as not ticked: a row is
    never reminded on a doubtful tick, and the user is told which cell to fix.
    """
    first, last_col = layout.TABLE_FIRST_ROW, layout.TABLE_LAST_COLUMN
    used_last = sheet.used_range.last_cell.row
    if used_last < first:
        return []
    block = read_values(sheet.range(f"A{first}:{last_col}{used_last}"))
    headers = [header for header, _ in layout.TABLE_COLUMNS]
    problems = []
    for offset, row in enumerate(block):
        if row[0] in (None, ""):
            continue
        for index in (_A_RELANCER, _EDITEE):
            value = row[index]
            if value is None or isinstance(value, bool):
                continue
            problems.append(Problem(
                layout.RELANCES, first + offset, headers[index], value,
                "case à cocher contenant autre chose que VRAI/FAUX : lue comme non cochée",
                blocking=False))
    return problems


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def mark_editee(sheet: xw.Sheet, issued: Iterable[tuple[str, str]]) -> int:
    """Tick "Éditée" on the table rows of `issued` (tiers, société); returns how many."""
    keys = set(issued)
    rows = read_table(sheet)
    if not rows or not keys:
        return 0
    column = [[row[_EDITEE] is True or (_text(row[0]), _text(row[1])) in keys] for row in rows]
    letter = chr(ord("A") + _EDITEE)
    first = layout.TABLE_FIRST_ROW
    sheet.range(f"{letter}{first}").options(ndim=2).value = column
    return sum(1 for row in rows if (_text(row[0]), _text(row[1])) in keys)


def append_history(book: xw.Book, entries: list[HistoryEntry]) -> list[HistoryEntry]:
    """Add the lines not already there (same date, company and invoice); returns them.

    Lines go under the last one, in the sheet's own column order, and the Excel
    table is resized so they belong to it.
    """
    sheet = sheet_or_none(book, layout.HISTORIQUE)
    if sheet is None:
        raise KeyError(f"feuille {layout.HISTORIQUE} absente")
    block = read_block(book, layout.HISTORIQUE) or [[]]
    columns = _columns(block[0])
    data = _data_rows(block)
    seen = {_key(row, columns) for row in data}
    added = []
    for entry in entries:
        key = (entry.date, entry.societe, entry.piece)
        if key not in seen:
            seen.add(key)
            added.append(entry)
    if not added:
        return []
    width = max(len(block[0]), max(columns.values()) + 1)
    rows = []
    for entry in added:
        row: list[object] = [None] * width
        for field, index in columns.items():
            row[index] = getattr(entry, field)
        rows.append(row)
    start = len(data) + 2
    sheet.range((start, 1)).options(ndim=2).value = text_block(rows)  # "00042" stays text
    _resize_table(sheet, start + len(rows) - 1)
    return added


def _columns(header: list[object]) -> dict[str, int]:
    wanted = {layout.normalize_header(h): f for h, f in layout.HISTORIQUE_COLUMNS.items()}
    found = {}
    for index, text in enumerate(header):
        field = wanted.get(layout.normalize_header(text))
        if field and field not in found:
            found[field] = index
    missing = [h for h, f in layout.HISTORIQUE_COLUMNS.items() if f not in found]
    if missing:
        raise KeyError(f"{layout.HISTORIQUE} : colonne(s) absente(s) {', '.join(missing)}")
    return found


def _data_rows(block: list[list[object]]) -> list[list[object]]:
    rows = []
    for row in block[1:]:
        if all(value in (None, "") for value in row):
            break
        rows.append(row)
    return rows


def _key(row: list[object], columns: dict[str, int]) -> tuple[object, str, str]:
    on = row[columns["date"]]
    if isinstance(on, datetime):
        on = on.date()
    return on if isinstance(on, date) else None, _text(row[columns["societe"]]), _text(
        row[columns["piece"]])


def _resize_table(sheet: xw.Sheet, last_row: int) -> None:
    """Grow the Excel table down to `last_row`, keeping its columns (never shrinking it)."""
    name = layout.TABLE_NAMES[layout.HISTORIQUE]
    for table in sheet.tables:
        if table.name.lower() == name.lower():
            whole = table.range
            bottom = max(last_row, whole.row + whole.shape[0] - 1)
            right = whole.column + whole.shape[1] - 1
            table.resize(sheet.range((whole.row, whole.column), (bottom, right)))
