"""Excel without Excel: an xlwings engine backed by openpyxl.

The add-in reaches the workbook only through xlwings' public API (`xw.Book.caller()`,
`sheet.range(...).value`, ...). On Linux, in CI and from the command line there is no
Excel, so this module registers an xlwings engine whose impl classes (the ones
`xlwings/base_classes.py` describes) read and write the file with openpyxl. The code
under test is then the very code that runs behind the Excel buttons, and what a read
gives is what Excel would give: numbers as float, dates as datetime, empty as None.

Saving is atomic and puts back what openpyxl drops (see `xlsx_patch`).

Not emulated: calculation (a formula reads as the result Excel last stored, None once
rewritten), the clipboard (`copy` needs a destination in the same workbook), and of
Excel's parsing of written text only "whole number -> number".
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any, NamedTuple

import openpyxl
import xlwings as xw
from openpyxl.utils import range_boundaries
from xlwings import base_classes

from ..layout import CHECKBOX_FORMAT
from . import backup, xlsx_patch
from .headless_range import MAX_COLUMNS, MAX_ROWS, Range


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
        stream = BytesIO()
        self.wb.save(stream)
        data = xlsx_patch.restore(stream.getvalue(), self.original, CHECKBOX_FORMAT)
        backup.keep_backup(target)  # Relances.xlsm.bak: the file before this save
        xlsx_patch.atomic_write(target, data)
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


def activate() -> None:
    """Make the openpyxl engine xlwings' active engine (by object: by name, xlwings
    would ask for a PRO licence)."""
    xw.engines.active = xw.main.Engine(impl=ENGINE)


def open_book(path: str | Path) -> xw.Book:
    """Open the workbook headless and make it what `xw.Book.caller()` returns, so the
    add-in's entry points run on it unchanged."""
    activate()
    app = ENGINE.apps[0] if len(ENGINE.apps) else ENGINE.apps.add()
    book = xw.Book(impl=app.books.open(path))
    book.set_mock_caller()
    return book


def save_book(book: xw.Book, path: str | Path | None = None) -> None:
    """Save atomically, keeping everything the file had (VBA, buttons, checkboxes...)."""
    book.impl.save(path)


def close_book(book: xw.Book) -> None:
    """Forget the book (and the mock caller if it was this book); nothing is saved."""
    book.impl.close()
