"""The cells of the headless engine: xlwings' Range impl over an openpyxl worksheet.

What a read gives is what Excel gives (numbers as float, dates as datetime, empty
as None); a write stores values the way Excel stores them. See `headless` for the
engine around it.
"""

from __future__ import annotations

import datetime as dt
import re
from copy import copy
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from openpyxl.formula.translate import Translator
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils import get_column_letter
from xlwings import base_classes

from ..layout import DATE_FORMAT

if TYPE_CHECKING:
    from .headless import Sheet

MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384
_EPOCH = dt.datetime(1899, 12, 30)  # what Excel gives for a time-only cell's date part
_INTEGER = re.compile(r"[+-]?\d{1,15}")  # Excel turns such text into a number on write
_PLAIN, _PLAIN_KINDS = {str, float, dt.datetime}, {"n", "s", "d"}  # see Range._read_row


class Range(base_classes.Range):
    """A rectangle of cells; reads never create cells, so used_range stays Excel's."""

    options: dict | None = None  # set by xlwings.main.Range
    has_array = False

    def __init__(self, sheet: Sheet, bounds: tuple[int, int, int, int]) -> None:
        self.sheet, self.bounds = sheet, bounds
        self.ws = sheet.ws

    api = property(lambda self: self.ws)  # truthy, or xlwings skips writes
    row = property(lambda self: self.bounds[0])
    column = property(lambda self: self.bounds[1])
    shape = property(lambda self: (self.bounds[2] - self.bounds[0] + 1,
                                   self.bounds[3] - self.bounds[1] + 1))
    coords = property(lambda self: (self.ws.title, self.row, self.column, *self.shape))

    def __len__(self) -> int:
        rows, cols = self.shape
        return rows * cols

    def __call__(self, arg1: int, arg2: int | None = None) -> Range:
        if arg2 is None:  # Excel's Item(k): row-major over the range
            arg1, arg2 = (arg1 - 1) // self.shape[1] + 1, (arg1 - 1) % self.shape[1] + 1
        row, col = self.row + arg1 - 1, self.column + arg2 - 1
        return Range(self.sheet, (row, col, row, col))

    def _existing(self):
        """The cells that exist in the rectangle, without creating any."""
        r1, c1, r2, c2 = self.bounds
        cells = self.ws._cells
        if len(self) <= len(cells):
            return [cells[k] for k in ((r, c) for r in range(r1, r2 + 1)
                                       for c in range(c1, c2 + 1)) if k in cells]
        return [cell for (r, c), cell in list(cells.items()) if r1 <= r <= r2 and c1 <= c <= c2]

    def _read(self, row: int, column: int) -> Any:
        cell = self.ws._cells.get((row, column))
        if cell is not None and cell.data_type == "f":
            cell = self.sheet.book.cached_cell(self.ws.title, row, column)
        if cell is None:
            return None
        value = cell.value
        if cell.data_type == "e":
            return value if (self.options or {}).get("err_to_str") else None
        if isinstance(value, bool | None | dt.datetime):
            return value
        if isinstance(value, int | float):
            return float(value)  # Excel holds every number as a double
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day)
        if isinstance(value, dt.time):
            return dt.datetime.combine(_EPOCH.date(), value)
        if isinstance(value, dt.timedelta):
            return _EPOCH + value
        return value if value != "" else None

    @property
    def raw_value(self) -> Any:
        r1, c1, r2, c2 = self.bounds
        if len(self) == 1:
            return self._read(r1, c1)
        return [self._read_row(r, c1, c2) for r in range(r1, r2 + 1)]

    def _read_row(self, row: int, c1: int, c2: int) -> list[Any]:
        """`_read` of each cell of one row, with the common cells (empty, text, float,
        datetime) answered inline: a ledger of 100,000 rows reads a million cells."""
        get, read = self.ws._cells.get, self._read
        values = []
        for column in range(c1, c2 + 1):
            cell = get((row, column))
            if cell is None:
                values.append(None)
                continue
            value = cell.value
            if type(value) is int and cell.data_type == "n":
                value = float(value)  # Excel holds every number as a double
            elif type(value) not in _PLAIN or cell.data_type not in _PLAIN_KINDS or value == "":
                value = read(row, column)  # formulas, errors, dates, bools...
            values.append(value)
        return values

    @raw_value.setter
    def raw_value(self, data: Any) -> None:
        r1, c1, r2, c2 = self.bounds
        if not isinstance(data, list | tuple):  # a scalar fills the whole range
            data = [[data] * (c2 - c1 + 1)] * (r2 - r1 + 1)
        elif data and not isinstance(data[0], list | tuple):
            data = [data]
        for i, row in enumerate(data):
            for j, value in enumerate(row):
                self._write(r1 + i, c1 + j, value)

    def _write(self, row: int, column: int, value: Any) -> None:
        """Store one value the way Excel would: empty clears, text that is a whole
        number becomes a number (unless the cell is formatted as text), a date in a
        cell without a date format gets dd/mm/yyyy."""
        if value is None or value == "":
            if (row, column) in self.ws._cells:
                self.ws._cells[(row, column)].value = None
            return
        cell = self.ws.cell(row, column)
        if isinstance(value, Decimal):
            value = float(value)
        elif isinstance(value, str) and cell.number_format != "@" and _INTEGER.fullmatch(value):
            value = int(value)
        elif isinstance(value, dt.date) and not is_date_format(cell.number_format):
            timed = isinstance(value, dt.datetime) and value.time() != dt.time()
            cell.number_format = DATE_FORMAT + (" hh:mm" if timed else "")
        cell.value = value
        self.sheet.book.written.add((self.ws.title, row, column))

    def clear_contents(self) -> None:
        for cell in self._existing():
            cell.value = None

    def clear(self) -> None:
        for cell in self._existing():
            del self.ws._cells[(cell.row, cell.column)]

    @property
    def number_format(self) -> str | None:
        """One format, or None when the cells differ (as Excel answers)."""
        cells = self._existing()
        formats = {cell.number_format for cell in cells}
        if len(cells) < len(self):
            formats.add("General")
        return formats.pop() if len(formats) == 1 else None

    @number_format.setter
    def number_format(self, value: str) -> None:
        r1, c1, r2, c2 = self.bounds
        for row in range(r1, r2 + 1):
            for col in range(c1, c2 + 1):
                self.ws.cell(row, col).number_format = value

    def end(self, direction: str) -> Range:
        """Ctrl+arrow: to the edge of the filled block, or to the next filled cell, or
        to the sheet's edge."""
        dr, dc = {"d": (1, 0), "u": (-1, 0), "r": (0, 1), "l": (0, -1)}[direction[0].lower()]
        cells, ws = self.ws._cells, self.ws

        def filled(r: int, c: int) -> bool:
            cell = cells.get((r, c))
            return cell is not None and cell.value not in (None, "")

        def can_step(r: int, c: int) -> bool:
            return 1 <= r + dr <= MAX_ROWS and 1 <= c + dc <= MAX_COLUMNS

        r, c = self.row, self.column
        if filled(r, c) and can_step(r, c) and filled(r + dr, c + dc):
            while can_step(r, c) and filled(r + dr, c + dc):
                r, c = r + dr, c + dc
            return self.sheet.range((r, c))
        while can_step(r, c):
            r, c = r + dr, c + dc
            if filled(r, c):
                return self.sheet.range((r, c))
            if (dr > 0 and r >= ws.max_row) or (dc > 0 and c >= ws.max_column):
                break  # nothing is filled further on
        edge_r = {1: MAX_ROWS, -1: 1}.get(dr, r)
        edge_c = {1: MAX_COLUMNS, -1: 1}.get(dc, c)
        return self.sheet.range((edge_r, edge_c))

    def get_address(self, row_absolute=True, col_absolute=True, external=False) -> str:
        rd, cd = ("$" if row_absolute else ""), ("$" if col_absolute else "")
        r1, c1, r2, c2 = self.bounds
        address = f"{cd}{get_column_letter(c1)}{rd}{r1}"
        if len(self) > 1:
            address += f":{cd}{get_column_letter(c2)}{rd}{r2}"
        if not external:
            return address
        book, sheet = self.sheet.book.name, self.ws.title
        if re.fullmatch(r"\w+", sheet) and re.fullmatch(r"[\w.]+", book):
            return f"[{book}]{sheet}!{address}"
        return f"'[{book}]{sheet}'!{address}"

    address = property(lambda self: self.get_address())

    def copy(self, destination: Any = None) -> None:
        """Range.Copy Destination: values, formulas (references shifted) and formats;
        a destination that is a multiple of the source in size is filled with copies."""
        if destination is None:
            raise NotImplementedError("there is no clipboard headless")
        dest = getattr(destination, "impl", destination)
        if dest.sheet.book is not self.sheet.book:
            raise NotImplementedError("headless copy stays within one workbook")
        rows, cols = self.shape
        d_rows, d_cols = dest.shape
        times_r = d_rows // rows if d_rows % rows == 0 else 1
        times_c = d_cols // cols if d_cols % cols == 0 else 1
        r1, c1, _, _ = self.bounds
        source = [(r - r1, c - c1, self.ws._cells.get((r, c)))
                  for r in range(r1, r1 + rows) for c in range(c1, c1 + cols)]
        for ti in range(times_r):
            for tj in range(times_c):
                for i, j, cell in source:
                    row, col = dest.row + ti * rows + i, dest.column + tj * cols + j
                    if cell is None:
                        dest.ws._cells.pop((row, col), None)
                        continue
                    target = dest.ws.cell(row, col)
                    target._style = copy(cell._style)
                    value = cell.value
                    if cell.data_type == "f" and isinstance(value, str):
                        value = Translator(value, cell.coordinate).translate_formula(
                            target.coordinate)
                    target.value = value
                    dest.sheet.book.written.add((dest.ws.title, row, col))
