"""Reading and writing the workbook through xlwings' public API, in bulk.

The same calls run in Excel (COM / AppleScript) and headless (the openpyxl engine
of `headless.py`). Every block is one `.value` read or write: an Appliquer makes a
handful of range operations whatever the number of rows, which keeps Excel quick.

Blocks are read with `err_to_str=True`: a cell showing an Excel error (`#N/A`,
`#REF!`…) reads as that text, which the parsers refuse naming sheet, row and column.
Without it xlwings reads an error as empty, and a `#N/A` amount would be reported as
missing, or an error in an optional column silently taken as blank.

Two bugs of xlwings 0.37.8's macOS engine (`_xlmac`) are worked around here (see
docs/excel.md; tests/test_xlwings_engines.py fails when a later xlwings fixes them):
`sheet.range("A1", other_range)` reads `.row` of the string "A1" (so ranges are made
from two cells' (row, column)), and `err_to_str=True` on two rows or more gives
None to its own loop (so `read_values` reads the errors' text itself there).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from itertools import chain
from operator import attrgetter

import xlwings as xw

from .. import layout
from ..headless.values import ERROR_CODES
from ..ledger import READ_BY_COLUMN, Block
from ..model import DEFAULT_CURRENCY, Filters, Ledger, Problem, ReminderRow
from ..texts import money_format
from .text_cells import as_text, texts

# The top of the Relances sheet (filters, options, message) is read in one go.
_TOP_LEFT, _TOP_RIGHT = "A1", f"{layout.TABLE_LAST_COLUMN}{layout.MESSAGE_CELL[1:]}"


def sheet_or_none(book: xw.Book, name: str) -> xw.Sheet | None:
    for sheet in book.sheets:
        if sheet.name == name:
            return sheet
    return None


def read_block(book: xw.Book, name: str) -> Block | None:
    """The whole used area of a sheet from A1, as rows of values; None if no such sheet."""
    sheet = sheet_or_none(book, name)
    if sheet is None:
        return None
    last = sheet.used_range.last_cell
    # corners as (row, column): _xlmac cannot pair the string "A1" with a Range
    return read_values(sheet.range((1, 1), (last.row, last.column)))


def read_values(cells: xw.Range) -> list[list[object]]:
    """The cells as a list of row lists (made for this read: no copy needed), an error
    as its text ("#N/A").

    On macOS, xlwings 0.37.8's err_to_str fails on two rows or more (its `ensure_2d`
    returns None for a list of lists): the values are read plainly and the errors'
    text taken from the cells' shown text, as xlwings meant to do."""
    if type(cells.impl).__module__ != "xlwings._xlmac":
        return cells.options(ndim=2, err_to_str=True).value
    values = cells.options(ndim=2).value
    rows, columns = cells.shape
    shown = cells.api.string_value.get()
    if not isinstance(shown, list):
        shown = [[shown]]
    elif rows == 1 and shown and not isinstance(shown[0], list):
        shown = [shown]
    for row, row_shown in zip(values, shown, strict=False):
        for column, text in enumerate(row_shown[:columns]):
            if text in ERROR_CODES:
                row[column] = text
    return values


LEDGER_SHEETS = (layout.CLIENTS, layout.FACTURES, layout.REGLEMENTS, layout.HISTORIQUE,
                 layout.PARAMETRES, layout.SUIVI)  # in the order Appliquer works on them


class LedgerBlocks(Mapping[str, Block | None]):
    """The sheets Appliquer reads, each read when first asked for (then kept), totals
    rows emptied; None for a sheet the workbook lacks.

    Read when asked for, so that the headless engine parses the next sheets in a thread
    of its own (`prefetch`) while `read_ledger` turns the first ones into the ledger:
    a year of invoices is read in the time of the parse, not the parse and then the
    rows (docs/performance.md). In Excel each sheet is one bulk read either way.
    """

    def __init__(self, book: xw.Book) -> None:
        self._book, self._read = book, {}
        prefetch = getattr(book.impl, "prefetch", None)
        if prefetch is not None:
            prefetch(LEDGER_SHEETS)

    def __getitem__(self, name: str) -> Block | None:
        if name not in LEDGER_SHEETS:
            raise KeyError(name)
        if name not in self._read:
            # the ledger's own sheets, headless: python-calamine's values, without the
            # pass over every cell that makes Excel's (docs/performance.md)
            parsed = getattr(self._book.impl, "parsed_block", None)
            block = parsed(name) if parsed is not None and name in READ_BY_COLUMN else None
            if block is None:
                block = read_block(self._book, name)
            if block and name in layout.TABLE_NAMES:
                without_totals(sheet_or_none(self._book, name), block)
            self._read[name] = block
        return self._read[name]

    def __iter__(self) -> Iterator[str]:
        return iter(LEDGER_SHEETS)

    def __len__(self) -> int:
        return len(LEDGER_SHEETS)


def read_ledger_blocks(book: xw.Book) -> Mapping[str, Block | None]:
    """Clients, Factures, Règlements, Historique, Paramètres and Suivi as blocks, each
    read when first asked for (`LedgerBlocks`)."""
    return LedgerBlocks(book)


def without_totals(sheet: xw.Sheet, block: Block) -> list[int]:
    """Empty, in the block read, the totals rows of the sheet's Excel tables; returns
    their Excel row numbers. A totals row ("Ligne Total" of a table) sums the data, it
    is none: read as a row it would be an invoice without number or date."""
    found = []
    for table in sheet.tables:
        if not table.show_totals:
            continue
        totals = table.totals_row_range
        row, first, width = totals.row, totals.column, totals.shape[1]
        if row <= len(block):
            line = block[row - 1] = list(block[row - 1])  # a row of the sheet's own, unchanged
            for column in range(first - 1, min(first - 1 + width, len(line))):
                line[column] = None
            found.append(row)
    return found


def _cell_index(address: str) -> tuple[int, int]:
    """"B10" -> (9, 1): zero-based row and column inside the top block."""
    letters = "".join(ch for ch in address if ch.isalpha())
    column = 0
    for ch in letters:
        column = column * 26 + ord(ch.upper()) - 64
    return int(address[len(letters):]) - 1, column - 1


def read_top(sheet: xw.Sheet) -> dict[str, object]:
    """Filter cells and print options of the Relances sheet, by key, in one read."""
    block = read_values(sheet.range(_TOP_LEFT, _TOP_RIGHT))
    cells = {key: value_cell for key, (_, value_cell, _, _) in layout.FILTERS.items()}
    cells["date"] = layout.DATE_CELL
    cells["lettres"] = layout.LETTERS_DATE_CELL
    cells.update({key: value_cell for key, (_, value_cell, _) in layout.OPTIONS.items()})
    values = {}
    for key, address in cells.items():
        row, column = _cell_index(address)
        values[key] = block[row][column]
    return values


def write_filters(sheet: xw.Sheet, filters: Filters | None, on: date | None) -> None:
    """Put filters into their cells (the command line's way of filling the screen)."""
    for key, (_, value_cell, _, _) in layout.FILTERS.items():
        codes = sorted(getattr(filters, key)) if filters else []
        sheet.range(value_cell).value = as_text("; ".join(codes)) or None
    sheet.range(layout.DATE_CELL).value = on
    sheet.range(layout.LETTERS_DATE_CELL).value = filters.lettres if filters else None


_TABLE_FIELDS = attrgetter(*(column.field for column in layout.TABLE_COLUMNS))
_MONEY_AT = [i for i, column in enumerate(layout.TABLE_COLUMNS) if column.kind == "money"]


def table_values(rows: Iterable[ReminderRow]) -> list[list[object]]:
    """Rows as cells: money as numbers (the cell format shows "11 063,80 €"), text marked
    as text (`text_cells`: a name "=MME X" stays a name)."""
    values = []
    for row in rows:
        cells = list(_TABLE_FIELDS(row))
        for at in _MONEY_AT:
            cells[at] = float(cells[at])
        values.append(texts(cells))
    return values


def write_table(sheet: xw.Sheet, rows: list[ReminderRow]) -> None:
    """Replace the table: old rows go (with their formats), row one's format is copied down."""
    first, last_col = layout.TABLE_FIRST_ROW, layout.TABLE_LAST_COLUMN
    used_last = max(sheet.used_range.last_cell.row, first)
    template = sheet.range(f"A{first}:{last_col}{first}")
    if used_last > first:
        sheet.range(f"A{first + 1}:{last_col}{used_last}").clear()
    template.clear_contents()
    if not rows:
        return
    if len(rows) > 1:
        template.copy(sheet.range(f"A{first + 1}:{last_col}{first + len(rows) - 1}"))
    sheet.range(f"A{first}").options(ndim=2).value = table_values(rows)
    _currency_formats(sheet, rows)


def _currency_formats(sheet: xw.Sheet, rows: list[ReminderRow]) -> None:
    """The money cells of a row in another currency show its symbol ("1 234,56 $US"),
    not the euro's the copied format carries; the euro rows keep theirs."""
    first = layout.TABLE_FIRST_ROW
    for offset, row in enumerate(rows):
        if row.devise == DEFAULT_CURRENCY:
            continue
        for letter in layout.MONEY_COLUMNS:
            sheet.range(f"{letter}{first + offset}").number_format = money_format(row.devise)


def add_header(sheet: xw.Sheet, header: list[object], name: str) -> int:
    """Write the header of a column an older sheet lacks right of its last header cell
    (`header`, the sheet's first row as read, takes it too); its index."""
    while header and header[-1] in (None, ""):
        header.pop()
    sheet.range((1, len(header) + 1)).value = name
    header.append(name)
    return len(header) - 1


def read_table(sheet: xw.Sheet) -> list[list[object]]:
    """The table's rows as the sheet holds them now (the user may have unticked some)."""
    first, last_col = layout.TABLE_FIRST_ROW, layout.TABLE_LAST_COLUMN
    used_last = sheet.used_range.last_cell.row
    if used_last < first:
        return []
    block = read_values(sheet.range(f"A{first}:{last_col}{used_last}"))
    return [row for row in block if row[0] not in (None, "")]


def write_controls(book: xw.Book, problems: list[Problem]) -> None:
    """List every problem of the last Appliquer in the Contrôles sheet, blocking ones first."""
    sheet = sheet_or_none(book, layout.CONTROLES)
    if sheet is None:
        sheet = book.sheets.add(layout.CONTROLES, after=book.sheets[len(book.sheets) - 1])
    sheet.used_range.clear_contents()
    ordered = sorted(problems, key=lambda p: not p.blocking)
    block: list[list[object]] = [list(layout.CONTROLES_COLUMNS)]
    for p in ordered:
        value = None if p.value is None else str(p.value)
        block.append(texts(["Bloquant" if p.blocking else "Avertissement", p.sheet, p.row,
                            p.column, value, p.message]))
    sheet.range("A1").options(ndim=2).value = block


def write_lists(book: xw.Book, ledger: Ledger,
                company_names: Mapping[str, str] | None = None) -> None:
    """Refresh the hidden `Listes` sheet that feeds the filter drop-downs.

    One column per list, in the order of layout.FILTERS: the workbook's names
    (ListeClients…) point at these columns and grow with them. A sheet that already
    holds these lists (the ledger's customers did not change since the last Appliquer)
    is left as it is: rewriting 5,000 names was a tenth of a second at 100,000
    invoices, and in Excel a write of every cell.
    """
    sheet = sheet_or_none(book, layout.LISTES)
    if sheet is None:
        return
    lists = drop_down_lists(ledger, company_names)
    height = max(len(values) for values in lists.values()) + 1
    block: list[list[object]] = [[None] * len(lists) for _ in range(height)]
    for column, (header, values) in enumerate(lists.items()):
        block[0][column] = header
        for offset, value in enumerate(values, start=1):
            block[offset][column] = value
    if read_block(book, layout.LISTES) == block:
        return  # the drop-downs already offer these: the sheet is left as it is
    sheet.used_range.clear_contents()
    sheet.range("A1").options(ndim=2).value = [block[0], *map(texts, block[1:])]


_TIERS, _FAMILLE, _REPRESENTANT = (attrgetter("tiers"), attrgetter("famille"),
                                   attrgetter("representant"))
_MODE, _SOCIETE = attrgetter("mode_reglement"), attrgetter("societe")
# filter key -> the ledger values its drop-down offers (`map`: the invoices' 100,000
# values gathered without a Python step each)
_LIST_SOURCES: dict[str, Callable[[Ledger], Iterable[str]]] = {
    "clients": lambda ledger: map(_TIERS, ledger.customers),
    "familles": lambda ledger: map(_FAMILLE, ledger.customers),
    "representants": lambda ledger: map(_REPRESENTANT, ledger.customers),
    "modes": lambda ledger: chain(map(_MODE, ledger.customers), map(_MODE, ledger.invoices)),
    "societes": lambda ledger: map(_SOCIETE, ledger.invoices),
}


def drop_down_lists(ledger: Ledger, company_names: Mapping[str, str] | None = None
                    ) -> dict[str, list[str]]:
    """Distinct values of each filter's drop-down, sorted by code, by list name, in FILTERS
    order. Customers and companies show their name after the code ("1FRNEG — MME
    toulouse amelie"), which the filter reads back as the code (`split_codes`)."""
    names = {"clients": {c.tiers: c.nom for c in ledger.customers},
             "societes": dict(company_names or {})}
    return {
        list_name: [_with_name(code, names.get(key, {}).get(code))
                    for code in sorted(set(filter(None, _LIST_SOURCES[key](ledger))))]
        for key, (_, _, _, list_name) in layout.FILTERS.items()
        if list_name
    }


def _with_name(code: str, name: str | None) -> str:
    """"1FRNEG — MME toulouse amelie"; separators of a filter cell left out of the name."""
    if not name:
        return code
    for separator in layout.FILTER_SEPARATORS:
        name = name.replace(separator, " ")
    return f"{code}{layout.CODE_NAME_SEPARATOR}{' '.join(name.split())}"


def write_message(sheet: xw.Sheet, text: str) -> None:
    sheet.range(layout.MESSAGE_CELL).value = as_text(text)
