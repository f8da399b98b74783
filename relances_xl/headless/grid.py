"""One sheet's cells during a run: the file's values, read once by python-calamine,
under the cells the run wrote.

Values come from the file as a grid of rows, read on the first read of the sheet (a
sheet never read costs nothing). What a run writes, clears or formats is recorded
per row and column over that grid (`edits`); the worksheet part is opened only for
what the grid does not hold: formats, formulas, error texts, and, at save, the rows
to write again. A sheet nobody wrote to is saved as it was.
"""

from __future__ import annotations

import gc
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .sheet_xml import GRID, Cell, SheetXml, column_number, error_cells
from .styles import Styles
from .values import CellError, as_read

if TYPE_CHECKING:
    from .writes import Writer

_ABSENT = object()
_NO_CELLS: dict[int, Cell] = {}
_COLUMN_STYLE = re.compile(rb"<(?:[\w.-]+:)?col\b([^>]*)>")
_ATTR = re.compile(rb'(min|max|style)="(\d+)"')
_SELECTED = re.compile(rb'<(?:[\w.-]+:)?sheetView\b[^>]*\btabSelected="(?:1|true)"')
Bounds = tuple[int, int, int, int]  # first row, first column, last row, last column
_DIMENSION = re.compile(rb'<(?:[\w.-]+:)?dimension\b[^>]*?\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run bulk cell work with the cyclic garbage collector paused: it makes a million
    objects and no reference cycle, so the collector's passes would only visit them
    (what they drop is still freed by reference counting)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
                 load_part: Callable[[], bytes], load_head: Callable[[], bytes],
                 may_hold_errors: Callable[[], bool] = lambda: True) -> None:
        self._load_values, self._load_part, self._load_head = load_values, load_part, load_head
        self._may_hold_errors = may_hold_errors
        self._loading = threading.Lock()
        self._values: list[list[Any]] | None = None
        self._value_bounds: Bounds | None = None
        # the file's rows as python-calamine parsed them, until Excel's values are made
        # from them (`parsed_rows`, `load`); None before the load and after
        self._parsed: list[list[Any]] | None = None
        self.removed = False  # a cell was removed: the used range may have shrunk
        self._unshared = False  # shared formulas written out, at the first write
        self._written: Bounds | None = None  # the cells written, for the used range
        self._column_style: dict[int, int] = {}
        self._xml: SheetXml | None = None
        self._errors: dict[tuple[int, int], CellError] | None = None
        self._column_styles: list[tuple[int, int, int]] | None = None
        self.edits: dict[int, dict[int, Cell | None]] = {}
        self.selected: bool | None = None  # the tab's selection, when the run changed it

    # --- the file -----------------------------------------------------------------

    @property
    def values(self) -> list[list[Any]]:
        if self._values is None:
            self.load()
        return self._values

    def load(self) -> None:
        """Read the file's values, once, whichever thread asks first; the other waits for
        them. With the cyclic collector paused: a sheet is a million objects and no
        cycle."""
        with self._loading:
            if self._values is None:
                with collector_paused():
                    rows = self._parsed if self._parsed is not None else self._read()
                    self._parsed = None
                    self._values = read_grid(rows)

    def parsed_rows(self) -> list[list[Any]] | None:
        """The file's rows as python-calamine gives them ("" for an empty cell, a date as
        a date, an error cell as ""), for a reader whose parsers take these as they take
        Excel's (the ledger's: `parse_memo`), without the pass that makes Excel's values;
        None once those are made (read them then). The rows are the sheet's own: read
        them, do not change them. Excel's values, when asked for later, are made from
        these same lists, in place."""
        with self._loading:
            if self._values is not None:
                return None
            if self._parsed is None:
                with collector_paused():
                    self._parsed = self._read()
            return self._parsed

    def parsed_block(self) -> list[list[Any]] | None:
        """The used range from A1 as `parsed_rows` holds it, each error cell's text in
        place (in a copy of its row): what `block(1, 1, last row, last column,
        err_to_str=True)` gives, but python-calamine's values, and without a copy of
        every row. None, for the range to be read as Excel gives it, when the run wrote
        in the sheet, made its Excel values already, or the used range is not exactly
        the rows read (formatted cells beyond them)."""
        if self.edits or self.removed:
            return None
        rows = self.parsed_rows()
        bounds = self.bounds()
        if rows is None or bounds is None:
            return None
        last_row, last_column = bounds[2], bounds[3]
        if len(rows) != last_row or set(map(len, rows)) != {last_column}:
            return None
        block = list(rows)
        for (row, column), text in self.errors().items():
            if row <= last_row and column <= last_column:
                if block[row - 1] is rows[row - 1]:
                    block[row - 1] = list(rows[row - 1])
                block[row - 1][column - 1] = text
        return block

    def _read(self) -> list[list[Any]]:
        rows, self._value_bounds = self._load_values()
        return rows

    @property
    def xml(self) -> SheetXml:
        if self._xml is None:
            self._xml = SheetXml(self._load_part())
        return self._xml

    def errors(self) -> dict[tuple[int, int], CellError]:
        """The error cells' texts (python-calamine reads errors as empty), from the
        part, which is not kept for a sheet only read."""
        if self._errors is None:
            if self._xml is None and not self._may_hold_errors():
                self._errors = {}
            else:
                self._errors = error_cells(self._xml.data if self._xml is not None
                                           else self._load_part())
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
        """The format index of a cell (see `new_style` for a cell not there)."""
        cell = self.cell(row, column)
        return cell.style if cell is not None else self.new_style(row, column)

    def new_style(self, row: int, column: int) -> int:
        """The format Excel gives a new cell: its row's format, else its column's."""
        row_style = self.xml.row_style(row) if row in self.xml.rows() else None
        return row_style if row_style is not None else self.column_style(column)

    def column_style(self, column: int) -> int:
        found = self._column_style.get(column)
        if found is None:
            found = 0
            for first, last, style in self.column_styles():
                if first <= column <= last:
                    found = style
            self._column_style[column] = found
        return found

    def _row_to_write(self, row: int) -> tuple[dict[int, Cell | None], dict[int, Cell], int | None]:
        """The run's cells of a row (made if needed), the file's, and the row's format."""
        if not self._unshared:
            self._first_write()
        changes = self.edits.get(row)
        if changes is None:
            changes = self.edits[row] = {}
        if row in self._file_rows:
            return changes, self.xml.cells(row), self.xml.row_style(row)
        return changes, _NO_CELLS, None

    @property
    def _file_rows(self) -> dict[int, tuple[int, int]]:
        return self.xml.rows()

    def write_row(self, row: int, first: int, values: list[Any], writer: Writer) -> None:
        """Values written from column `first` on, by the rules of `writer`."""
        changes, file_cells, row_style = self._row_to_write(row)
        new_style = self.column_style if row_style is None else lambda column: row_style
        made = writer.row(changes, file_cells, new_style, first, values)
        if made is not None:
            self._grow(row, made[0], row, made[1])

    def set_format(self, r1: int, c1: int, r2: int, c2: int, code: str, styles: Styles) -> None:
        """Give every cell of a rectangle the number format `code` (making the missing
        cells, as Excel does)."""
        made: dict[int, int] = {}

        def shown(style: int) -> int:
            found = made.get(style)
            if found is None:
                found = made[style] = styles.with_format(style, code)
            return found

        self._first_write()
        self._grow(r1, c1, r2, c2)
        file_rows, edits, columns = self._file_rows, self.edits, range(c1, c2 + 1)
        # rows the file does not have, in a sheet without column formats: a new cell
        # there has format 0, and the run's cells are all there is
        blank = None if self.column_styles() else emptied(shown(0))
        for row in range(r1, r2 + 1):
            changes = edits.get(row)
            if blank is not None and row not in file_rows:
                if changes is None:
                    edits[row] = dict.fromkeys(columns, blank)
                    continue
                for column in columns:
                    cell = changes.get(column)
                    changes[column] = blank if cell is None else cell.restyled(shown(cell[0]))
                continue
            changes, file_cells, row_style = self._row_to_write(row)
            for column in columns:
                cell = changes.get(column, _ABSENT)
                if cell is _ABSENT:
                    cell = file_cells.get(column)
                if cell is not None:
                    changes[column] = cell.restyled(shown(cell[0]))
                else:
                    style = row_style if row_style is not None else self.column_style(column)
                    changes[column] = emptied(shown(style))

    def _grow(self, r1: int, c1: int, r2: int, c2: int) -> None:
        """The run wrote cells in this rectangle: the used range covers it."""
        self._written = _join(self._written, (r1, c1, r2, c2))

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

    def _first_write(self) -> None:
        """Before the first write: shared formulas written out (see SheetXml)."""
        if not self._unshared:
            self._unshared = True
            for (row, column), expanded in self.xml.shared_formula_cells().items():
                self.put(row, column, expanded)

    def put(self, row: int, column: int, cell: Cell | None) -> None:
        """Record the run's cell (None: the cell removed)."""
        self._first_write()
        changes = self.edits.get(row)
        if changes is None:
            changes = self.edits[row] = {}
        changes[column] = cell
        if cell is None:
            self.removed = True
        else:
            self._grow(row, column, row, column)

    def _rows_in(self, r1: int, c1: int, r2: int, c2: int
                 ) -> Iterator[tuple[int, dict[int, Cell]]]:
        """Each row of a rectangle holding cells there, with those cells."""
        file_rows, edits = self._file_rows, self.edits
        if len(file_rows) + len(edits) < r2 - r1 + 1:
            rows = sorted(row for row in file_rows.keys() | edits.keys() if r1 <= row <= r2)
        else:
            rows = [row for row in range(r1, r2 + 1) if row in file_rows or row in edits]
        for row in rows:
            cells = dict(self.xml.cells(row)) if row in file_rows else {}
            cells.update(edits.get(row, ()))
            inside = {c: cell for c, cell in cells.items()
                      if cell is not None and c1 <= c <= c2}
            if inside:
                yield row, inside

    def paste(self, row: int, cells: dict[int, Cell | None]) -> None:
        """Cells of one row replaced at once (None: removed), as a copy pastes them."""
        self._first_write()
        changes = self.edits.setdefault(row, {})
        kept = [column for column, cell in cells.items() if cell is not None]
        if len(kept) < len(cells) and not self.removed:
            self.removed = self._removes(row, changes, cells)
        changes.update(cells)
        if kept:
            self._grow(row, min(kept), row, max(kept))

    def _removes(self, row: int, changes: dict[int, Cell | None],
                 cells: dict[int, Cell | None]) -> bool:
        """Whether pasting `cells` empties a cell the row holds (the run's, else the
        file's): a copy of a row with empty cells onto empty cells removes nothing, and
        the used range need not be counted again at the save (a table of 10,000 rows
        copied down from its first one, docs/performance.md)."""
        file_cells = self.xml.cells(row) if row in self._file_rows else _NO_CELLS
        if not changes and not file_cells:
            return False
        return any(cell is None and (changes[column] is not None if column in changes
                                     else column in file_cells)
                   for column, cell in cells.items())

    def clear(self, r1: int, c1: int, r2: int, c2: int, keep_format: bool) -> None:
        """The cells of a rectangle emptied (their format kept) or removed."""
        self._first_write()
        for row, cells in list(self._rows_in(r1, c1, r2, c2)):
            changes = self.edits.setdefault(row, {})
            if keep_format:
                for column, cell in cells.items():
                    changes[column] = emptied(cell[0])
            else:
                changes.update(dict.fromkeys(cells))
                self.removed = True

    # --- bounds ---------------------------------------------------------------------

    def bounds(self) -> Bounds | None:
        """First row, first column, last row, last column holding a cell (a value or a
        format), None for an empty sheet."""
        if not self.removed:  # the file's range, grown by the cells written
            return _join(self.file_bounds(), self._written)
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
        if self._values is None:
            self.parsed_rows()  # the value range, read with the rows (not made Excel's yet)
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




_EMPTY_CELLS: dict[int, Cell] = {}


def emptied(style: int) -> Cell:
    """An empty cell of format `style` (one shared object per format: cells are values)."""
    cell = _EMPTY_CELLS.get(style)
    if cell is None:
        cell = _EMPTY_CELLS[style] = Cell((style, None, "", None))
    return cell
