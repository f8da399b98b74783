"""The openpyxl-backed xlwings engine as it was before `relances_xl.headless`
(commit ed9632c: excel/headless.py and excel/headless_range.py), kept as the oracle
of tests/test_headless_properties.py: the new engine must leave the same cells.

Only what the comparison needs was changed: the save is openpyxl's alone (the
xlsx post-processing put back parts that hold no cell values), and a book is opened
without becoming xlwings' caller.
"""

# ruff: noqa
from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable
from copy import copy
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any, NamedTuple

import openpyxl
import xlwings as xw
from openpyxl.formula.translate import Translator
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils import get_column_letter, range_boundaries
from xlwings import base_classes

from relances_xl.headless.typed import typed

DATE_FORMAT = "dd/mm/yyyy"
CHECKBOX_FORMAT = '"VRAI";"VRAI";"FAUX"'
Sheet = Any

MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384
_EPOCH = dt.datetime(1899, 12, 30)  # what Excel gives for a time-only cell's date part
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
        elif isinstance(value, str) and value.startswith("'"):  # (issue 32: as Excel types)
            cell.quotePrefix, value = True, value[1:] or None
        elif isinstance(value, str) and cell.number_format != "@":
            value = _typed(cell, value)
        elif not isinstance(value, str):
            cell.quotePrefix = False
        if isinstance(value, dt.date) and not is_date_format(cell.number_format):
            timed = isinstance(value, dt.datetime) and value.time() != dt.time()
            cell.number_format = DATE_FORMAT + (" hh:mm" if timed else "")
        cell.value = value
        if isinstance(value, str) and cell.number_format == "@":
            cell.data_type = "s"  # a text cell keeps "=..." as text (issue 32)
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
                    value = cell.value
                    if cell.data_type == "f" and isinstance(value, str):
                        value = Translator(value, cell.coordinate).translate_formula(
                            target.coordinate)
                    target.value = value
                    # the format after the value: openpyxl gives a date written into a
                    # cell without a date format one of its own, Excel's copy keeps the
                    # source's (a date formatted as text "@" stays a number shown as such)
                    target._style = copy(cell._style)
                    dest.sheet.book.written.add((dest.ws.title, row, col))


class Alert(NamedTuple):
    """One `app.alert(...)` call, as a headless run records it."""

    prompt: str
    title: str
    buttons: str
    mode: str | None
    answer: str


def _clean(value: Any, dates: Any, empty: Any, numbers: Any) -> Any:
    if value is None:
        return empty
    if isinstance(value, dt.datetime) and dates is not dt.datetime:
        return dates(year=value.year, month=value.month, day=value.day, hour=value.hour,
                     minute=value.minute, second=value.second, microsecond=value.microsecond)
    if numbers is not None and isinstance(value, float):
        return numbers(value)
    return value


class Engine:
    """Engine impl: the converters xlwings' pipelines call, and the one Apps."""

    name = "openpyxl"
    type = "desktop"  # a scalar written to a block fills it in one call, as in Excel

    def __init__(self) -> None:
        self.apps = Apps()

    @staticmethod
    def clean_value_data(data, datetime_builder, empty_as, number_builder, err_to_str):
        if datetime_builder is dt.datetime and empty_as is None and number_builder is None:
            return data  # the default options change nothing: no pass over every cell
        return [[_clean(v, datetime_builder, empty_as, number_builder) for v in row]
                for row in data]

    @staticmethod
    def prepare_xl_data_element(x: Any, options: Any) -> Any:
        return float(x) if isinstance(x, Decimal) else x  # Excel stores a double


class Apps(list, base_classes.Apps):
    """The pretend Excel instances (one is enough)."""

    def keys(self) -> list[int]:
        return [app.pid for app in self]

    def add(self, spec=None, add_book=None, xl=None, visible=None) -> App:
        self.insert(0, App())
        return self[0]

    @staticmethod
    def cleanup() -> None:
        pass


class App(base_classes.App):
    """A pretend Excel. Its settings are plain attributes (shadowing the abstract
    properties); alerts are recorded and answered from `answers`, else by the first
    button, since nobody is there to click."""

    _next_pid = -1
    pid, books = 0, None  # set per instance
    visible = False
    display_alerts = screen_updating = enable_events = interactive = True
    calculation = "automatic"
    cut_copy_mode = False
    version = "16.0"
    selection = None

    def __init__(self) -> None:
        self.pid = App._next_pid
        App._next_pid -= 1
        self.books = Books(self)
        self.alerts: list[Alert] = []
        self.answers: list[str] = []
        self._status: Any = False
        self.status_listeners: list[Callable[[Any], None]] = []  # e.g. a terminal progress bar

    @property
    def status_bar(self) -> Any:
        """The last value the code set (False: Excel's own text)."""
        return self._status

    @status_bar.setter
    def status_bar(self, value: Any) -> None:
        self._status = value
        for listener in self.status_listeners:
            listener(value)

    engine = property(lambda self: ENGINE)
    api = property(lambda self: self)

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None) -> str:
        answer = self.answers.pop(0) if self.answers else buttons.split("_")[0]
        self.alerts.append(Alert(prompt, title or "", buttons, mode, answer))
        print(f"[{title or 'Excel'}] {prompt}", file=sys.stderr)
        return answer

    def activate(self, steal_focus=False) -> None:
        pass


class Books(list, base_classes.Books):
    def __init__(self, app: App) -> None:
        super().__init__()
        self.app = app

    api = property(lambda self: self)
    active = property(lambda self: self[-1] if self else None)

    def open(self, fullname, *args: Any, **kwargs: Any) -> Book:
        """Load the file; a book of the same name is reloaded (Excel holds one per name)."""
        path = Path(fullname).resolve()
        for book in [b for b in self if b.name.lower() == path.name.lower()]:
            book.close()
        data = path.read_bytes()
        # keep_vba makes openpyxl declare the file macro-enabled: only for such files
        vba = path.suffix.lower() in (".xlsm", ".xltm", ".xlam")
        wb = openpyxl.load_workbook(BytesIO(data), keep_vba=vba, keep_links=True)
        self.append(Book(self, wb, path, data))
        return self[-1]

    def __call__(self, name_or_index):
        if isinstance(name_or_index, int):
            return self[name_or_index - 1]
        for book in self:
            if name_or_index.lower() in (book.name.lower(), book.fullname.lower()):
                return book
        raise KeyError(name_or_index)


class Book(base_classes.Book):
    """An openpyxl workbook plus the bytes it was read from: the source of formula
    results (no calculator here) and of the parts openpyxl drops on save."""

    def __init__(self, books: Books, wb: openpyxl.Workbook, path: Path, data: bytes) -> None:
        self.books, self.wb, self.path, self.original = books, wb, path, data
        self._values: openpyxl.Workbook | None = None
        self.written: set[tuple[str, int, int]] = set()  # (sheet, row, column)

    api = property(lambda self: self.wb)
    app = property(lambda self: self.books.app)
    name = property(lambda self: self.path.name)
    fullname = property(lambda self: str(self.path))
    sheets = property(lambda self: Sheets(self))

    def close(self) -> None:
        if self in self.books:
            self.books.remove(self)
        mock = getattr(xw.Book, "_mock_caller", None)
        if mock is not None and mock.impl is self:
            del xw.Book._mock_caller

    def save(self, path=None, password=None) -> None:
        if password:
            raise NotImplementedError("headless save cannot set a password")
        target = Path(path).resolve() if path else self.path
        self.wb.save(target)
        self.path = target  # as Excel's SaveAs: the book is now that file

    def cached_cell(self, sheet: str, row: int, column: int) -> Any:
        """The result Excel stored for a formula cell when it last saved the file (there
        is no calculator here); None for a formula written since."""
        if (sheet, row, column) in self.written:
            return None
        if self._values is None:
            self._values = openpyxl.load_workbook(BytesIO(self.original), data_only=True)
        if sheet not in self._values.sheetnames:
            return None
        return self._values[sheet]._cells.get((row, column))


def _activate(wb: openpyxl.Workbook, ws: Any) -> None:
    """Make `ws` the one selected tab (several tabSelected sheets are a group in Excel)."""
    for other in wb.worksheets:
        other.sheet_view.tabSelected = other is ws
    wb.active = ws


class Sheets(base_classes.Sheets):
    def __init__(self, book: Book) -> None:
        self.book = book

    api = property(lambda self: self.book.wb.worksheets)
    active = property(lambda self: Sheet(self.book, self.book.wb.active))

    def __call__(self, name_or_index):
        sheets = self.book.wb.worksheets
        if isinstance(name_or_index, int):
            return Sheet(self.book, sheets[name_or_index - 1])
        for ws in sheets:  # Excel matches sheet names ignoring case
            if ws.title.lower() == name_or_index.lower():
                return Sheet(self.book, ws)
        raise KeyError(name_or_index)

    def __contains__(self, name: str) -> bool:
        return name.lower() in (title.lower() for title in self.book.wb.sheetnames)

    def __len__(self) -> int:
        return len(self.book.wb.worksheets)

    def __iter__(self):
        return (Sheet(self.book, ws) for ws in self.book.wb.worksheets)

    def add(self, before=None, after=None, name=None) -> Sheet:
        wb = self.book.wb
        if after is not None:
            index = wb.worksheets.index(after.ws) + 1
        else:  # like Excel: before the given sheet, or else before the active one
            index = wb.worksheets.index((before or self.active).ws)
        ws = wb.create_sheet(name, index)
        _activate(wb, ws)
        return Sheet(self.book, ws)


class Sheet(base_classes.Sheet):
    book = None  # set per instance

    def __init__(self, book: Book, ws: Any) -> None:
        self.book, self.ws = book, ws

    api = property(lambda self: self.ws)
    index = property(lambda self: self.book.wb.worksheets.index(self.ws) + 1)

    @property
    def name(self) -> str:
        return self.ws.title

    @name.setter
    def name(self, value: str) -> None:
        self.ws.title = value

    @property
    def visible(self) -> bool:
        return self.ws.sheet_state == "visible"

    @visible.setter
    def visible(self, value: bool) -> None:
        wb = self.book.wb
        if not value and wb.active is self.ws:  # Excel moves the selection on first
            others = [ws for ws in wb.worksheets if ws is not self.ws and
                      ws.sheet_state == "visible"]
            if not others:
                raise ValueError("a workbook must keep at least one visible sheet")
            _activate(wb, others[0])
        self.ws.sheet_state = "visible" if value else "hidden"

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
        try:
            c1, r1, c2, r2 = range_boundaries(arg)
        except ValueError:
            return self._name_bounds(arg)
        if r1 is None:  # whole columns, "A:C"
            r1, r2 = 1, MAX_ROWS
        if c1 is None:  # whole rows, "1:3"
            c1, c2 = 1, MAX_COLUMNS
        return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)

    def _name_bounds(self, name: str) -> tuple[int, int, int, int]:
        for names in (self.ws.defined_names, self.book.wb.defined_names):
            if name in names:
                for title, ref in names[name].destinations:
                    if title == self.ws.title:
                        return self._bounds(ref.replace("$", ""))
        raise KeyError(f"no cell or range named {name!r} on sheet {self.ws.title!r}")

    @property
    def cells(self) -> Range:
        return Range(self, (1, 1, MAX_ROWS, MAX_COLUMNS))

    @property
    def used_range(self) -> Range:
        if not self.ws._cells:
            return Range(self, (1, 1, 1, 1))  # Excel's answer for an empty sheet
        # ws.min_row, max_row... as openpyxl computes them, in one pass, not four
        rows, columns = zip(*self.ws._cells, strict=True)
        return Range(self, (min(rows), min(columns), max(rows), max(columns)))

    def clear_contents(self) -> None:
        self.cells.clear_contents()

    def clear(self) -> None:
        self.cells.clear()

    def delete(self) -> None:
        self.book.wb.remove(self.ws)

    @property
    def tables(self) -> Tables:
        return Tables(self)


class Tables:
    """The Excel tables (ListObjects) of a sheet, as openpyxl keeps them."""

    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet

    api = property(lambda self: self.sheet.ws.tables)

    def __call__(self, name_or_index):
        tables = list(self.sheet.ws.tables.values())
        if isinstance(name_or_index, int):
            return Table(self.sheet, tables[name_or_index - 1])
        for table in tables:  # Excel matches table names ignoring case
            if table.name.lower() == name_or_index.lower():
                return Table(self.sheet, table)
        raise KeyError(name_or_index)

    def __len__(self) -> int:
        return len(self.sheet.ws.tables)

    def __iter__(self):
        return (Table(self.sheet, t) for t in list(self.sheet.ws.tables.values()))

    def __contains__(self, name: str) -> bool:
        return name.lower() in (n.lower() for n in self.sheet.ws.tables)


class Table:
    """One Excel table: its range, and `resize` so appended rows belong to it."""

    def __init__(self, sheet: Sheet, table: Any) -> None:
        self.sheet, self.table = sheet, table

    api = property(lambda self: self.table)
    parent = property(lambda self: self.sheet)
    name = property(lambda self: self.table.name)
    display_name = property(lambda self: self.table.displayName)

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
        return Range(self.sheet, (r1 + 1, c1, r2, c2)) if r2 > r1 else None

    def resize(self, range: Any) -> None:
        """New rows or a new size; the columns must stay those of the table."""
        impl = getattr(range, "impl", range)
        ref = impl.get_address(row_absolute=False, col_absolute=False)
        self.table.ref = ref
        if self.table.autoFilter is not None:
            self.table.autoFilter.ref = ref


ENGINE = Engine()


def open_book(path: str | Path) -> xw.Book:
    """Open a file with this engine (not as the caller: the new engine may be active)."""
    app = ENGINE.apps[0] if len(ENGINE.apps) else ENGINE.apps.add()
    return xw.Book(impl=app.books.open(path))


def _typed(cell: Any, text: str) -> Any:
    """A text as Excel reads it typed (the new engine's `typed`, issue 32); the
    apostrophe's mark goes, as typing a value takes it away."""
    cell.quotePrefix = False
    kind, read = typed(text)
    if kind == "formula":
        return "=" + read
    if kind == "percent" and cell.number_format == "General":
        cell.number_format = "0%"
    elif kind == "time":
        cell.number_format = "h:mm:ss"
    elif kind == "number" and read.is_integer() and abs(read) < 10**15:
        return int(read)
    return read
