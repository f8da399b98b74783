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
from ..model import DEFAULT_CURRENCY, HistoryEntry, Problem
from .sheets import (
    add_header,
    read_block,
    read_table,
    read_values,
    sheet_or_none,
    without_totals,
)
from .text_cells import text_block

_INDEX = {field: index for index, field in enumerate(layout.TABLE_FIELDS)}
_TIERS, _SOCIETE, _DEVISE = (_INDEX[field] for field in layout.TABLE_IDENTITY)
_EDITEE = _INDEX["editee"]
_CHECKBOXES = [(_INDEX[c.field], c.header) for c in layout.TABLE_COLUMNS if c.kind == "checkbox"]


def table_states(sheet: xw.Sheet) -> dict[tuple[str, str, str], dict[str, object]]:
    """(tiers, société, devise) -> the columns the user types (`layout.TABLE_COLUMNS`' typed
    ones: "A relancer", "Éditée") as they left them on the sheet, by field. A tick is
    only TRUE: anything else reads as not ticked (see `checkbox_problems`)."""
    states = {}
    for row in read_table(sheet):
        states[_row_key(row)] = {field: row[_INDEX[field]] is True
                                 for field in layout.TYPED_FIELDS}
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
    problems = []
    for offset, row in enumerate(block):
        if row[0] in (None, ""):
            continue
        for index, header in _CHECKBOXES:
            value = row[index]
            if value is None or isinstance(value, bool):
                continue
            problems.append(Problem(
                layout.RELANCES, first + offset, header, value,
                "case à cocher contenant autre chose que VRAI/FAUX : lue comme non cochée",
                blocking=False))
    return problems


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def mark_editee(sheet: xw.Sheet, issued: Iterable[tuple[str, str, str]]) -> int:
    """Tick "Éditée" on the table rows of `issued` (tiers, société, devise); returns how many.

    Each row is found by its customer and company, wherever it stands: a row the user
    cleared or moved leaves the others where they are, and only the issued rows change.
    """
    keys = set(issued)
    first = layout.TABLE_FIRST_ROW
    used_last = sheet.used_range.last_cell.row
    if used_last < first or not keys:
        return 0
    letter = layout.table_letter("editee")
    block = read_values(sheet.range(f"A{first}:{layout.TABLE_LAST_COLUMN}{used_last}"))
    found = [offset for offset, row in enumerate(block) if _row_key(row) in keys]
    if not found:
        return 0
    # one write, from the first row issued to the last; other rows keep what they hold
    column = [[True if _row_key(row) in keys else row[_EDITEE]]
              for row in block[found[0]:found[-1] + 1]]
    sheet.range(f"{letter}{first + found[0]}").options(ndim=2).value = column
    return len(found)


def _row_key(row: list[object]) -> tuple[str, str, str]:
    """A row's identity as `ReminderRow.key` has it: an empty Devise is the euro."""
    return (_text(row[_TIERS]), _text(row[_SOCIETE]),
            _text(row[_DEVISE]).upper() or DEFAULT_CURRENCY)


def append_history(book: xw.Book, entries: list[HistoryEntry]) -> list[HistoryEntry]:
    """Add the lines not already there (same date, company and invoice); returns them.

    Lines go under the last row holding anything (never into a row the user emptied
    in the middle, which would overwrite the lines below it), in the sheet's own
    column order, and the Excel table is resized so they belong to it. A workbook made
    before the optional "Lettre archivée" column gets its header right of the last
    one, the first time a line names an archived letter (the table keeps its columns).
    """
    sheet = sheet_or_none(book, layout.HISTORIQUE)
    if sheet is None:
        raise KeyError(f"feuille {layout.HISTORIQUE} absente")
    block = read_block(book, layout.HISTORIQUE) or [[]]
    totals = without_totals(sheet, block) if block[0] else []
    columns = _columns(block[0])
    data = _data_rows(block)
    if "lettre" not in columns and any(entry.lettre for entry in entries):
        columns["lettre"] = add_header(sheet, list(block[0]),
                                       layout.header(layout.HISTORIQUE_COLUMNS, "lettre"))
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
    end = len(block)  # the last row holding anything: a cleared row above is left as is
    while end > 1 and all(value in (None, "") for value in block[end - 1]):
        end -= 1
    rows = []
    for entry in added:
        row: list[object] = [None] * width
        for field, index in columns.items():
            row[index] = getattr(entry, field)
        rows.append(row)
    start = end + 1
    last = start + len(rows) - 1
    if totals and totals[-1] >= start:  # the table's totals row moves down, under the lines
        last = _move_row(sheet, totals[-1], last + 1, width)
    sheet.range((start, 1)).options(ndim=2).value = text_block(rows)  # "00042" stays text
    _resize_table(sheet, last)
    return added


def _move_row(sheet: xw.Sheet, row: int, to: int, width: int) -> int:
    """A row's cells (values, formulas, formats) copied to row `to`, then emptied; `to`."""
    source = sheet.range((row, 1), (row, width))
    source.copy(sheet.range((to, 1), (to, width)))
    source.clear_contents()
    return to


def _columns(header: list[object]) -> dict[str, int]:
    wanted = {layout.normalize_header(h): f for h, f in layout.HISTORIQUE_COLUMNS.items()}
    found = {}
    for index, text in enumerate(header):
        field = wanted.get(layout.normalize_header(text))
        if field and field not in found:
            found[field] = index
    missing = [h for h in layout.HISTORIQUE_REQUIRED
               if layout.HISTORIQUE_COLUMNS[h] not in found]
    if missing:
        raise KeyError(f"{layout.HISTORIQUE} : colonne(s) absente(s) {', '.join(missing)}")
    return found


def _data_rows(block: list[list[object]]) -> list[list[object]]:
    """Every row holding something (an emptied row between them is no line)."""
    return [row for row in block[1:] if not all(value in (None, "") for value in row)]


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
