"""One sheet's cells during a run: the file's values, read once by python-calamine,
under the cells the run wrote.

Values come from the file as a grid of rows, read on the first read of the sheet (a
sheet never read costs nothing). What a run writes, clears or formats is recorded
per row and column over that grid (`edits`); the worksheet part is opened only for
what the grid does not hold: formats, formulas, error texts, and, at save, the rows
to write again. A sheet nobody wrote to is saved as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from .sheet_xml import GRID, Cell, SheetXml, column_number, error_cells
from .values import CellError, as_read

_COLUMN_STYLE = re.compile(rb"<(?:[\w.-]+:)?col\b([^>]*)>")
_ATTR = re.compile(rb'(min|max|style)="(\d+)"')
_SELECTED = re.compile(rb'<(?:[\w.-]+:)?sheetView\b[^>]*\btabSelected="(?:1|true)"')
Bounds = tuple[int, int, int, int]  # first row, first column, last row, last column
_DIMENSION = re.compile(rb'<(?:[\w.-]+:)?dimension\b[^>]*?\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def read_grid(rows: list[list[Any]]) -> list[list[Any]]:
    """python-calamine's rows made what Excel gives, in place: "" -> None, dates ->
    datetime (one object per distinct date), int -> float."""
    made: dict[Any, Any] = {}
    for row in rows:
        for index, value in enumerate(row):
            kind = type(value)
            if kind is str:
                if not value:
                    row[index] = None
            elif kind is not float and kind is not bool:
                found = made.get(value)
                if found is None:
                    found = made[value] = as_read(value)
                row[index] = found
    return rows


class SheetState:
    """The cells of one sheet: the file's (grid, part) and the run's (edits)."""

    def __init__(self, load_values: Callable[[], tuple[list[list[Any]], Bounds | None]],
                 load_part: Callable[[], bytes], load_head: Callable[[], bytes]) -> None:
        self._load_values, self._load_part, self._load_head = load_values, load_part, load_head
        self._values: list[list[Any]] | None = None
        self._value_bounds: Bounds | None = None
        self.removed = False  # a cell was removed: the used range may have shrunk
        self._unshared = False  # shared formulas written out, at the first write
        self._xml: SheetXml | None = None
        self._errors: dict[tuple[int, int], CellError] | None = None
        self._column_styles: list[tuple[int, int, int]] | None = None
        self.edits: dict[int, dict[int, Cell | None]] = {}
        self.selected: bool | None = None  # the tab's selection, when the run changed it

    # --- the file -----------------------------------------------------------------

    @property
    def values(self) -> list[list[Any]]:
        if self._values is None:
            rows, self._value_bounds = self._load_values()
            self._values = read_grid(rows)
        return self._values

    @property
    def xml(self) -> SheetXml:
        if self._xml is None:
            self._xml = SheetXml(self._load_part())
        return self._xml

    def errors(self) -> dict[tuple[int, int], CellError]:
        if self._errors is None:
            self._errors = error_cells(self.xml.data)
        return self._errors

    @property
    def changed(self) -> bool:
        return bool(self.edits) or self.selected is not None

    # --- cells --------------------------------------------------------------------

    def cell(self, row: int, column: int) -> Cell | None:
        """The cell as it stands now (None: there is no cell)."""
        changes = self.edits.get(row)
        if changes is not None and column in changes:
            return changes[column]
        return self.xml.cells(row).get(column) if row in self.xml.rows() else None

    def value(self, row: int, column: int, err_to_str: bool = False) -> Any:
        changes = self.edits.get(row)
        if changes is not None and column in changes:
            cell = changes[column]
            if cell is None:
                return None
            if cell.value is not GRID:
                return _shown(cell.value, err_to_str)
        return self.file_value(row, column, err_to_str)

    def file_value(self, row: int, column: int, err_to_str: bool) -> Any:
        if err_to_str and (row, column) in self.errors():
            return self.errors()[(row, column)]
        values = self.values
        if row <= len(values):
            line = values[row - 1]
            if column <= len(line):
                return line[column - 1]
        return None

    def block(self, r1: int, c1: int, r2: int, c2: int, err_to_str: bool) -> list[list[Any]]:
        """The values of a rectangle, row by row (fresh lists: the caller may keep them)."""
        values, width = self.values, c2 - c1 + 1
        rows = []
        for row in range(r1, min(r2, len(values)) + 1):
            line = values[row - 1][c1 - 1:c2]
            if len(line) < width:
                line.extend([None] * (width - len(line)))
            rows.append(line)
        rows.extend([None] * width for _ in range(max(0, r2 - max(r1 - 1, len(values)))))
        if err_to_str:
            for (row, column), text in self.errors().items():
                if r1 <= row <= r2 and c1 <= column <= c2:
                    rows[row - r1][column - c1] = text
        edited = self.edits.keys() if len(self.edits) < r2 - r1 + 1 else range(r1, r2 + 1)
        for row in edited:
            changes = self.edits.get(row)
            if changes is None or not r1 <= row <= r2:
                continue
            line = rows[row - r1]
            for column, cell in changes.items():
                if c1 <= column <= c2:
                    line[column - c1] = self.value(row, column, err_to_str) if cell else None
        return rows

    def style(self, row: int, column: int) -> int:
        """The format index of a cell; for a cell not there, the one Excel gives a new
        cell there: its row's format, else its column's."""
        cell = self.cell(row, column)
        if cell is not None:
            return cell.style
        if row in self.xml.rows():
            row_style = self.xml.row_style(row)
            if row_style is not None:
                return row_style
        for first, last, style in self.column_styles():
            if first <= column <= last:
                return style
        return 0

    def column_styles(self) -> list[tuple[int, int, int]]:
        if self._column_styles is None:
            head = self.xml.data[:self.xml.head_end]
            self._column_styles = []
            for match in _COLUMN_STYLE.finditer(head):
                attrs = {name: int(value) for name, value in _ATTR.findall(match.group(1))}
                if attrs.get(b"style"):
                    self._column_styles.append((attrs.get(b"min", 1), attrs.get(b"max", 1),
                                                attrs[b"style"]))
        return self._column_styles

    def put(self, row: int, column: int, cell: Cell | None) -> None:
        """Record the run's cell (None: the cell removed)."""
        if not self._unshared:
            self._unshared = True
            for (r, c), expanded in self.xml.shared_formula_cells().items():
                self.put(r, c, expanded)
        changes = self.edits.get(row)
        if changes is None:
            changes = self.edits[row] = {}
        changes[column] = cell
        if cell is None:
            self.removed = True

    def existing(self, r1: int, c1: int, r2: int, c2: int) -> Iterator[tuple[int, int, Cell]]:
        """(row, column, cell) of the cells there are in a rectangle."""
        file_rows = self.xml.rows()
        if len(file_rows) + len(self.edits) < r2 - r1 + 1:
            rows = sorted(row for row in file_rows.keys() | self.edits.keys() if r1 <= row <= r2)
        else:
            rows = [row for row in range(r1, r2 + 1) if row in file_rows or row in self.edits]
        for row in rows:
            columns = set(self.xml.cells(row)) if row in file_rows else set()
            columns.update(self.edits.get(row, ()))
            for column in sorted(columns):
                if c1 <= column <= c2:
                    cell = self.cell(row, column)
                    if cell is not None:
                        yield row, column, cell

    # --- bounds ---------------------------------------------------------------------

    def bounds(self) -> Bounds | None:
        """First row, first column, last row, last column holding a cell (a value or a
        format), None for an empty sheet."""
        if not self.removed:  # the file's range, grown by the cells written
            found = self.file_bounds()
            for row, changes in self.edits.items():
                if changes:
                    found = _join(found, (row, min(changes), row, max(changes)))
            return found
        found = None  # cells were removed: every row counted again
        for row in self.xml.rows().keys() | self.edits.keys():
            if row in self.edits:
                changes = self.edits[row]
                columns = [c for c in self.xml.cells(row) if changes.get(c, 0) is not None]
                columns += [c for c, cell in changes.items() if cell is not None]
                extent = (min(columns), max(columns)) if columns else None
            else:
                extent = self.xml.extent(row)
            if extent is not None:
                found = _join(found, (row, extent[0], row, extent[1]))
        return found

    def file_bounds(self) -> Bounds | None:
        """The used range of the file as read: its `<dimension>` (Excel counts the
        formatted cells in it) joined with the range of the cells holding a value."""
        self.values  # noqa: B018  (reads the value range too)
        return _join(self._value_bounds, self._dimension())

    def _dimension(self) -> Bounds | None:
        match = _DIMENSION.search(self.head())
        if match is None:
            return None
        c1, r1 = column_number(match.group(1)), int(match.group(2))
        c2, r2 = ((column_number(match.group(3)), int(match.group(4))) if match.group(3)
                  else (c1, r1))
        if (r1, c1, r2, c2) == (1, 1, 1, 1):
            return None  # what writers say of an empty sheet; a value in A1 is counted anyway
        return r1, c1, r2, c2

    def head(self) -> bytes:
        """The part up to its cells (without inflating the rest when it can)."""
        if self._xml is not None:
            return self._xml.data[:self._xml.head_end]
        return self._load_head()

    @property
    def tab_selected(self) -> bool:
        if self.selected is not None:
            return self.selected
        return _SELECTED.search(self.head()) is not None


def _join(a: Bounds | None, b: Bounds | None) -> Bounds | None:
    if a is None or b is None:
        return a or b
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def _shown(value: Any, err_to_str: bool) -> Any:
    if type(value) is CellError and not err_to_str:
        return None
    return value


