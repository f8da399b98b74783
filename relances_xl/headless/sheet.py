"""xlwings' Sheets, Sheet, Tables and Table impls: a book's sheets and Excel tables as
code written for Excel reaches them (`book.sheets["Relances"]`, `sheet.range("A1")`,
`sheet.tables[0].data_body_range`).

Its own module because these hold nothing: a Sheet is a view of the book's entry for
it (`workbook`) and of its cells (`grid`), made anew at each access, so it answers
what the book holds now; the file's lifetime (opening, reading ahead, saving) is
`app`'s. The addresses ("A1:C3", "A:C") these take and the column names Excel gives a
table's headers are here too.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from xlwings import base_classes

from .range import MAX_COLUMNS, MAX_ROWS, Range
from .sheet_xml import column_letters, column_number

if TYPE_CHECKING:
    from .app import Book
    from .workbook import SheetEntry, TableEntry

_EMPTY_HEADER = "Colonne"  # French Excel's name for a table column without a header


class Sheets(base_classes.Sheets):
    """A book's worksheets, in tab order; made at each `book.sheets`, so always the
    workbook's current list."""

    def __init__(self, book: Book) -> None:
        self.book = book

    api = property(lambda self: self)

    @property
    def active(self) -> Sheet:
        entries = self.book.workbook.sheets
        return Sheet(self.book, entries[self.book.workbook.active])

    def __call__(self, name_or_index):
        entries = self.book.workbook.sheets
        if isinstance(name_or_index, int):
            return Sheet(self.book, entries[name_or_index - 1])
        for entry in entries:  # Excel matches sheet names ignoring case
            if entry.name.lower() == name_or_index.lower():
                return Sheet(self.book, entry)
        raise KeyError(name_or_index)

    def __contains__(self, name: str) -> bool:
        return name.lower() in (entry.name.lower() for entry in self.book.workbook.sheets)

    def __len__(self) -> int:
        return len(self.book.workbook.sheets)

    def __iter__(self):
        return (Sheet(self.book, entry) for entry in list(self.book.workbook.sheets))

    def add(self, before=None, after=None, name=None) -> Sheet:
        entries = self.book.workbook.sheets
        if after is not None:
            index = entries.index(after.entry) + 1
        else:  # like Excel: before the given sheet, or else before the active one
            index = entries.index((before or self.active).entry)
        if name is None:
            taken = {entry.name.lower() for entry in entries}
            number = len(entries) + 1
            while f"sheet{number}" in taken:
                number += 1
            name = f"Sheet{number}"
        entry = self.book.add_sheet(name, index)
        self.book.activate_sheet(entry)
        return Sheet(self.book, entry)


class Sheet(base_classes.Sheet):
    """One worksheet: its entry in the workbook and its cells' state, both the book's;
    two Sheets of the same entry are equal, as xlwings expects of one sheet reached
    twice."""

    book = None  # set per instance

    def __init__(self, book: Book, entry: SheetEntry) -> None:
        self.book, self.entry = book, entry
        self.state = book.state(entry)

    api = property(lambda self: self)
    index = property(lambda self: self.book.workbook.sheets.index(self.entry) + 1)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sheet) and other.entry is self.entry

    def __hash__(self) -> int:
        return id(self.entry)

    @property
    def name(self) -> str:
        return self.entry.name

    @name.setter
    def name(self, value: str) -> None:
        self.book.workbook.rename(self.entry, value)

    @property
    def visible(self) -> bool:
        return not self.entry.hidden

    @visible.setter
    def visible(self, value: bool) -> None:
        workbook = self.book.workbook
        if not value and workbook.sheets[workbook.active] is self.entry:
            others = [e for e in workbook.sheets if e is not self.entry and not e.hidden]
            if not others:  # Excel moves the selection on first, if it can
                raise ValueError("a workbook must keep at least one visible sheet")
            self.book.activate_sheet(others[0])
        workbook.set_hidden(self.entry, not value)

    def range(self, arg1, arg2=None) -> Range:
        r1, c1, r2, c2 = self._bounds(arg1)
        if arg2 is not None:  # the two corners may come in any order
            s1, d1, s2, d2 = self._bounds(arg2)
            r1, c1, r2, c2 = min(r1, s1), min(c1, d1), max(r2, s2), max(c2, d2)
        return Range(self, (r1, c1, r2, c2))

    def _bounds(self, arg: Any) -> tuple[int, int, int, int]:
        if isinstance(arg, Range):
            return arg.bounds
        if isinstance(arg, tuple):
            row, col, *size = arg
            rows, cols = size or (1, 1)
            return row, col, row + max(rows, 1) - 1, col + max(cols, 1) - 1
        found = parse_address(arg)
        return found if found is not None else self._name_bounds(arg)

    def _name_bounds(self, name: str) -> tuple[int, int, int, int]:
        for sheet, ref in self.book.workbook.name_destinations(name, self.index - 1):
            if sheet == self.name:
                return self._bounds(ref)
        raise KeyError(f"no cell or range named {name!r} on sheet {self.name!r}")

    @property
    def cells(self) -> Range:
        return Range(self, (1, 1, MAX_ROWS, MAX_COLUMNS))

    @property
    def used_range(self) -> Range:
        return Range(self, self.state.bounds() or (1, 1, 1, 1))  # Excel's A1 when empty

    def clear_contents(self) -> None:
        self.cells.clear_contents()

    def clear(self) -> None:
        self.cells.clear()

    def delete(self) -> None:
        self.book.workbook.delete_sheet(self.entry)

    @property
    def tables(self) -> Tables:
        return Tables(self)


def parse_address(text: str) -> tuple[int, int, int, int] | None:
    """"B2", "A1:C3", "A:C" (whole columns), "2:4" (whole rows), with or without "$"."""
    corners = text.replace("$", "").upper().split(":")
    if not 1 <= len(corners) <= 2:
        return None
    parsed = []
    for corner in corners:
        found = re.fullmatch(r"([A-Z]{1,3})?(\d+)?", corner)
        if not found or not corner:
            return None
        parsed.append((int(found.group(2)) if found.group(2) else None,
                       column_number(found.group(1)) if found.group(1) else None))
    (r1, c1), (r2, c2) = parsed[0], parsed[-1]
    if len(parsed) == 1 and (r1 is None or c1 is None):
        return None
    if (r1 is None) != (r2 is None) or (c1 is None) != (c2 is None):
        return None
    if r1 is None:
        r1, r2 = 1, MAX_ROWS
    if c1 is None:
        c1, c2 = 1, MAX_COLUMNS
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def format_address(bounds: tuple[int, int, int, int]) -> str:
    """`parse_address`'s inverse for a block of cells: "B2", or "A1:C3" (no "$", as a
    sheet's dimension and a table's ref are written)."""
    r1, c1, r2, c2 = bounds
    first = f"{column_letters(c1)}{r1}"
    return first if (r1, c1) == (r2, c2) else f"{first}:{column_letters(c2)}{r2}"


class Tables:
    """The Excel tables (ListObjects) of a sheet."""

    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet

    def _all(self) -> list[TableEntry]:
        return self.sheet.book.workbook.tables(self.sheet.entry)

    api = property(lambda self: self._all())

    def __call__(self, name_or_index):
        tables = self._all()
        if isinstance(name_or_index, int):
            return Table(self.sheet, tables[name_or_index - 1])
        for table in tables:  # Excel matches table names ignoring case
            if table.name.lower() == name_or_index.lower():
                return Table(self.sheet, table)
        raise KeyError(name_or_index)

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self):
        return (Table(self.sheet, t) for t in self._all())

    def __contains__(self, name: str) -> bool:
        return name.lower() in (t.name.lower() for t in self._all())


class Table:
    """One Excel table: its range, and `resize` so appended rows belong to it."""

    def __init__(self, sheet: Sheet, table: TableEntry) -> None:
        self.sheet, self.table = sheet, table

    api = property(lambda self: self.table)
    parent = property(lambda self: self.sheet)
    name = property(lambda self: self.table.name)
    display_name = property(lambda self: self.table.display_name)

    @property
    def range(self) -> Range:
        return self.sheet.range(self.table.ref)

    @property
    def header_row_range(self) -> Range:
        r1, c1, _, c2 = self.range.bounds
        return Range(self.sheet, (r1, c1, r1, c2))

    @property
    def data_body_range(self) -> Range | None:
        r1, c1, r2, c2 = self.range.bounds
        r1 += self.table.header_rows
        r2 -= self.table.totals_rows
        return Range(self.sheet, (r1, c1, r2, c2)) if r2 >= r1 else None

    @property
    def show_totals(self) -> bool:
        return self.table.totals_rows > 0

    @property
    def totals_row_range(self) -> Range | None:
        """The totals row (Excel's "Ligne Total"), None when the table shows none."""
        if not self.table.totals_rows:
            return None
        _, c1, r2, c2 = self.range.bounds
        return Range(self.sheet, (r2, c1, r2, c2))

    def resize(self, range: Any) -> None:
        """New rows or a new size; the columns must stay those of the table."""
        impl = getattr(range, "impl", range)
        ref = impl.get_address(row_absolute=False, col_absolute=False)
        self.sheet.book.workbook.resize_table(self.table, ref)


def column_name(value: Any, taken: list[str], position: int) -> str:
    """The name Excel gives a table column whose header cell holds `value`, the
    columns before it being named `taken` and this one the `position`-th (from 1): the
    cell's text; for an empty cell "Colonne<position>" (or the next number free); for a
    text another column has (ignoring case) that text numbered from 2 ("Total2")."""
    text = _header_text(value)
    if not text:
        return _unique(_EMPTY_HEADER, taken, start=position)
    if text.lower() in (name.lower() for name in taken):
        return _unique(text, taken, start=2)
    return text


def _header_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _unique(base: str, taken: list[str], start: int) -> str:
    """`base` followed by the first number from `start` that no name has yet."""
    lowered = {name.lower() for name in taken}
    number = start
    while f"{base}{number}".lower() in lowered:
        number += 1
    return f"{base}{number}"
