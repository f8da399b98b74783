"""xlwings' Range impl over a headless sheet: what a read gives and a write stores is
what Excel gives and stores (see `values`); the engine around it is `app`."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from xlwings import base_classes

from .grid import collector_paused
from .sheet_xml import GRID, Cell, column_letters, translate

if TYPE_CHECKING:
    from .sheet import Sheet

MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384


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
        with collector_paused():
            return self.state.block(r1, c1, r2, c2, self._err_to_str)

    @raw_value.setter
    def raw_value(self, data: Any) -> None:
        r1, c1, r2, c2 = self.bounds
        if not isinstance(data, list | tuple):  # a scalar fills the whole range
            data = [[data] * (c2 - c1 + 1)] * (r2 - r1 + 1)
        elif data and not isinstance(data[0], list | tuple):
            data = [data]
        write_row, writer = self.state.write_row, self.sheet.book.writer
        with collector_paused():
            for offset, values in enumerate(data):
                write_row(r1 + offset, c1, values, writer)

    # --- clearing and formats -----------------------------------------------------

    def clear_contents(self) -> None:
        with collector_paused():
            self.state.clear(*self.bounds, keep_format=True)

    def clear(self) -> None:
        with collector_paused():
            self.state.clear(*self.bounds, keep_format=False)

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
        with collector_paused():
            self.state.set_format(*self.bounds, value, self.sheet.book.styles)

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
        source = [[self._copied(r1 + i, c1 + j) for j in range(cols)] for i in range(rows)]
        if not any(formula for line in source for _, formula in line):
            # no reference to shift: each source row's cells are the same at every copy
            # (a table's first row copied down: paste keeps a dict of its own per row)
            lines = [{dest.column + tj * cols + j: cell for tj in range(times_c)
                      for j, (cell, _) in enumerate(line)} for line in source]
            with collector_paused():
                for ti in range(times_r):
                    for i, pasted in enumerate(lines):
                        dest.state.paste(dest.row + ti * rows + i, pasted)
            return
        with collector_paused():
            for ti in range(times_r):
                for i, line in enumerate(source):
                    row = dest.row + ti * rows + i
                    pasted: dict[int, Cell | None] = {}
                    for tj in range(times_c):
                        for j, (cell, formula) in enumerate(line):
                            col = dest.column + tj * cols + j
                            if formula is not None:
                                moved = translate(formula, (r1 + i, c1 + j), (row, col))
                                cell = Cell((cell.style, None, "f", moved))
                            pasted[col] = cell
                    dest.state.paste(row, pasted)

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
            value = state.file_value(row, column, err_to_str=True)
            cell = Cell((cell.style, value, cell.kind, cell.text))
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
