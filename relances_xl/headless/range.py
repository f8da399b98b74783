"""xlwings' Range impl over a headless sheet: what a read gives and a write stores is
what Excel gives and stores (see `values`); the engine around it is `app`."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from xlwings import base_classes

from .sheet_xml import GRID, Cell, column_letters, translate
from .values import (
    DURATION_FORMAT,
    EPOCH,
    ERROR_CODES,
    INTEGER,
    MAX_TEXT,
    TIME_FORMAT,
    CellError,
    is_date_format,
    number_text,
    plain,
    serial,
)

if TYPE_CHECKING:
    from .app import Sheet

MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384
_EMPTY = ""


class Range(base_classes.Range):
    """A rectangle of cells; reads never create cells, so used_range stays Excel's."""

    options: dict | None = None  # set by xlwings.main.Range
    has_array = False

    def __init__(self, sheet: Sheet, bounds: tuple[int, int, int, int]) -> None:
        self.sheet, self.bounds = sheet, bounds
        self.state = sheet.state

    api = property(lambda self: self.sheet)  # truthy, or xlwings skips writes
    row = property(lambda self: self.bounds[0])
    column = property(lambda self: self.bounds[1])
    shape = property(lambda self: (self.bounds[2] - self.bounds[0] + 1,
                                   self.bounds[3] - self.bounds[1] + 1))
    coords = property(lambda self: (self.sheet.name, self.row, self.column, *self.shape))

    def __len__(self) -> int:
        rows, cols = self.shape
        return rows * cols

    def __call__(self, arg1: int, arg2: int | None = None) -> Range:
        if arg2 is None:  # Excel's Item(k): row-major over the range
            arg1, arg2 = (arg1 - 1) // self.shape[1] + 1, (arg1 - 1) % self.shape[1] + 1
        row, col = self.row + arg1 - 1, self.column + arg2 - 1
        return Range(self.sheet, (row, col, row, col))

    # --- values -------------------------------------------------------------------

    @property
    def _err_to_str(self) -> bool:
        return bool((self.options or {}).get("err_to_str"))

    @property
    def raw_value(self) -> Any:
        r1, c1, r2, c2 = self.bounds
        if len(self) == 1:
            return self.state.value(r1, c1, self._err_to_str)
        return self.state.block(r1, c1, r2, c2, self._err_to_str)

    @raw_value.setter
    def raw_value(self, data: Any) -> None:
        r1, c1, r2, c2 = self.bounds
        if not isinstance(data, list | tuple):  # a scalar fills the whole range
            data = [[data] * (c2 - c1 + 1)] * (r2 - r1 + 1)
        elif data and not isinstance(data[0], list | tuple):
            data = [data]
        write = self._write
        for i, row in enumerate(data):
            for j, value in enumerate(row):
                write(r1 + i, c1 + j, value)

    def _write(self, row: int, column: int, value: Any) -> None:
        """Store one value the way Excel would (see `values`); empty clears the value
        and keeps the format."""
        state = self.state
        if value is None or value == _EMPTY:
            cell = state.cell(row, column)
            if cell is not None:
                state.put(row, column, Cell(cell.style, None, "", None))
            return
        style = state.style(row, column)
        state.put(row, column, self._cell(style, plain(value)))

    def _cell(self, style: int, value: Any) -> Cell:
        kind = type(value)
        if kind is str:
            return self._text_cell(style, value)
        if kind is bool:
            return Cell(style, value, "b", None)
        if kind is float or kind is int:
            if value != value or value in (float("inf"), float("-inf")):
                return Cell(style, None, "", None)  # Excel holds no NaN nor infinity
            return Cell(style, float(value), "n", number_text(value))
        if isinstance(value, dt.date | dt.time | dt.timedelta):
            return self._date_cell(style, value)
        raise TypeError(f"cannot write {value!r} ({kind.__name__}) to a cell")

    def _text_cell(self, style: int, value: str) -> Cell:
        if len(value) > 1 and value[0] == "=":
            return Cell(style, None, "f", value[1:])
        styles = self.sheet.book.styles
        if INTEGER.fullmatch(value) and styles.format_code(style) != "@":
            number = int(value)
            return Cell(style, float(number), "n", number_text(number))
        if value in ERROR_CODES:
            return Cell(style, CellError(value), "e", value)
        value = value[:MAX_TEXT]
        return Cell(style, value, "s", value)

    def _date_cell(self, style: int, value: dt.date | dt.time | dt.timedelta) -> Cell:
        if getattr(value, "tzinfo", None) is not None:
            raise TypeError(f"Excel holds no time zone: {value!r}")
        book = self.sheet.book
        if not is_date_format(book.styles.format_code(style)):
            if isinstance(value, dt.timedelta):
                code = DURATION_FORMAT
            elif isinstance(value, dt.time):
                code = TIME_FORMAT
            else:
                timed = isinstance(value, dt.datetime) and value.time() != dt.time()
                code = book.options.date_format + (" hh:mm" if timed else "")
            style = book.styles.with_format(style, code)
        if isinstance(value, dt.datetime):
            read = value
        elif isinstance(value, dt.date):
            read = dt.datetime(value.year, value.month, value.day)
        elif isinstance(value, dt.time):
            read = dt.datetime.combine(EPOCH.date(), value)
        else:
            read = EPOCH + value
        return Cell(style, read, "n", number_text(serial(value)))

    # --- clearing and formats -----------------------------------------------------

    def clear_contents(self) -> None:
        for row, column, cell in list(self.state.existing(*self.bounds)):
            self.state.put(row, column, Cell(cell.style, None, "", None))

    def clear(self) -> None:
        for row, column, _ in list(self.state.existing(*self.bounds)):
            self.state.put(row, column, None)

    @property
    def number_format(self) -> str | None:
        """One format, or None when the cells differ (as Excel answers)."""
        styles, state = self.sheet.book.styles, self.state
        r1, c1, r2, c2 = self.bounds
        formats = {styles.format_code(state.style(r, c))
                   for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        return formats.pop() if len(formats) == 1 else None

    @number_format.setter
    def number_format(self, value: str) -> None:
        styles, state = self.sheet.book.styles, self.state
        r1, c1, r2, c2 = self.bounds
        for row in range(r1, r2 + 1):
            for column in range(c1, c2 + 1):
                cell = state.cell(row, column)
                style = styles.with_format(state.style(row, column), value)
                state.put(row, column, cell._replace(style=style) if cell is not None
                          else Cell(style, None, "", None))

    # --- copy -----------------------------------------------------------------------

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
        source = [(i, j, self._copied(r1 + i, c1 + j)) for i in range(rows) for j in range(cols)]
        target = dest.state
        for ti in range(times_r):
            for tj in range(times_c):
                for i, j, (cell, formula) in source:
                    row, col = dest.row + ti * rows + i, dest.column + tj * cols + j
                    if formula is not None:
                        moved = translate(formula, (r1 + i, c1 + j), (row, col))
                        cell = Cell(cell.style, None, "f", moved)
                    target.put(row, col, cell)

    def _copied(self, row: int, column: int) -> tuple[Cell | None, str | None]:
        """A source cell as its copies get it (its value read now) and its formula."""
        state = self.state
        cell = state.cell(row, column)
        if cell is None:
            return None, None
        if cell.kind == "f":
            return cell, cell.text
        if cell.kind == "raw":
            formula = state.xml.formula_at(row, column, cell)
            if formula is not None:
                return cell, formula
        if cell.value is GRID:
            cell = cell._replace(value=state.file_value(row, column, err_to_str=True))
        return cell, None

    # --- navigation -------------------------------------------------------------------

    def end(self, direction: str) -> Range:
        """Ctrl+arrow: to the edge of the filled block, or to the next filled cell, or
        to the sheet's edge."""
        dr, dc = {"d": (1, 0), "u": (-1, 0), "r": (0, 1), "l": (0, -1)}[direction[0].lower()]
        state = self.state
        bounds = state.bounds() or (1, 1, 1, 1)

        def filled(r: int, c: int) -> bool:
            return state.value(r, c, err_to_str=True) not in (None, "")  # errors count

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
            if (dr > 0 and r >= bounds[2]) or (dc > 0 and c >= bounds[3]):
                break  # nothing is filled further on
        edge_r = {1: MAX_ROWS, -1: 1}.get(dr, r)
        edge_c = {1: MAX_COLUMNS, -1: 1}.get(dc, c)
        return self.sheet.range((edge_r, edge_c))

    def get_address(self, row_absolute=True, col_absolute=True, external=False) -> str:
        rd, cd = ("$" if row_absolute else ""), ("$" if col_absolute else "")
        r1, c1, r2, c2 = self.bounds
        address = f"{cd}{column_letters(c1)}{rd}{r1}"
        if len(self) > 1:
            address += f":{cd}{column_letters(c2)}{rd}{r2}"
        if not external:
            return address
        book, sheet = self.sheet.book.name, self.sheet.name
        if re.fullmatch(r"\w+", sheet) and re.fullmatch(r"[\w.]+", book):
            return f"[{book}]{sheet}!{address}"
        return f"'[{book}]{sheet}'!{address}"

    address = property(lambda self: self.get_address())
