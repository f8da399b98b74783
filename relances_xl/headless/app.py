"""Excel without Excel: the xlwings engine's App and Book impls (its Sheet and Table
impls are in `sheet`).

xlwings reaches a workbook through impl classes (the ones `xlwings/base_classes.py`
describes). These answer them from the file: values read by python-calamine, writes
recorded over them (`grid`), and a save that writes again only the parts that
changed (`package`). Code written against xlwings' API runs here unchanged.

Not emulated: calculation (a formula reads as the result Excel last stored, None
once rewritten), the clipboard (`copy` needs a destination in the same workbook).
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any, NamedTuple

import python_calamine
import xlwings as xw
from xlwings import base_classes

from . import atomic
from .grid import SheetState, collector_paused
from .package import Package
from .read_ahead import ReadAhead
from .sheet import Sheet as Sheet  # re-exported, as Table and Tables: app names every impl
from .sheet import Sheets, column_name, format_address, parse_address
from .sheet import Table as Table
from .sheet import Tables as Tables
from .styles import Styles
from .values import BUILTIN_FORMATS
from .workbook import SheetEntry, Workbook
from .writes import Writer

_HEAD_CHUNK = 16_384


@dataclass(frozen=True)
class Options:
    """What the engine leaves to its caller.

    date_format: the number format a date gets when written to a cell that shows no
    date (Excel uses the system's short date).
    checkbox_format: the number format marking the caller's checkbox cells (see
    `styles`), or None.
    before_replace: called with the file's path just before a save replaces it (to
    keep a backup, say); it must not raise.
    """

    date_format: str = BUILTIN_FORMATS[14]
    checkbox_format: str | None = None
    before_replace: Callable[[Path], object] | None = field(default=None, compare=False)


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

    name = "headless"
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
        said = f"[{title or 'Excel'}] {prompt}"
        if buttons != "ok":  # a question nobody saw: the log says what was answered
            said += f" -> {answer}"
        print(said, file=sys.stderr)
        return answer

    def activate(self, steal_focus=False) -> None:
        pass


class Books(list, base_classes.Books):
    def __init__(self, app: App) -> None:
        super().__init__()
        self.app = app

    api = property(lambda self: self)
    active = property(lambda self: self[-1] if self else None)

    def open(self, fullname, *args: Any, options: Options | None = None, **kwargs: Any) -> Book:
        """Read the file; a book of the same name is reopened (Excel holds one per name)."""
        path = Path(fullname).resolve()
        for book in [b for b in self if b.name.lower() == path.name.lower()]:
            book.close()
        self.append(Book(self, path, path.read_bytes(), options or Options()))
        return self[-1]

    def __call__(self, name_or_index):
        if isinstance(name_or_index, int):
            return self[name_or_index - 1]
        for book in self:
            if name_or_index.lower() in (book.name.lower(), book.fullname.lower()):
                return book
        raise KeyError(name_or_index)


class Book(base_classes.Book):
    """A workbook file: its parts as read, the sheets' cells, what the run changed."""

    def __init__(self, books: Books, path: Path, data: bytes, options: Options) -> None:
        self.books, self.path, self.options = books, path, options
        self.package = Package(data)
        self.workbook = Workbook(self.package)
        self.styles = Styles(self.package, options.checkbox_format)
        self.writer = Writer(self.styles, options.date_format)
        self._readers: list[python_calamine.CalamineWorkbook] = []  # those not reading
        self._readers_lock = threading.Lock()
        self._ahead: ReadAhead[python_calamine.CalamineSheet] = ReadAhead(
            self._parse, self._stored_size)
        self.states = {id(entry): self._state(entry, new=False)
                       for entry in self.workbook.sheets}

    api = property(lambda self: self)
    app = property(lambda self: self.books.app)
    name = property(lambda self: self.path.name)
    fullname = property(lambda self: str(self.path))
    sheets = property(lambda self: Sheets(self))

    def state(self, entry: SheetEntry) -> SheetState:
        return self.states[id(entry)]

    def _state(self, entry: SheetEntry, new: bool) -> SheetState:
        name, part = entry.name, entry.part

        def values() -> tuple[list[list[Any]], tuple[int, int, int, int] | None]:
            if new:
                return [], None
            sheet = self._ahead.take(name)
            if sheet is None:
                sheet = self._parse(name)
            if sheet.start is None:
                return [], None
            rows = sheet.to_python(skip_empty_area=False)
            (r1, c1), (r2, c2) = sheet.start, sheet.end
            return rows, (r1 + 1, c1 + 1, r2 + 1, c2 + 1)

        return SheetState(values, lambda: self.package.read(part),
                          lambda: _part_head(self.package, part),
                          lambda: self.package.may_hold_errors(part))

    def _parse(self, name: str) -> python_calamine.CalamineSheet:
        """A sheet parsed by python-calamine, its Python values not made yet (without the
        interpreter's lock: `ReadAhead`)."""
        with self._values_reader() as reader:
            return reader.get_sheet_by_name(name)

    @contextmanager
    def _values_reader(self) -> Iterator[python_calamine.CalamineWorkbook]:
        """A python-calamine reader of the file, to this thread alone: a reader parses
        one sheet at a time, so a sheet asked for while the read-ahead parses another is
        read by a second reader, not after it."""
        with self._readers_lock:
            reader = self._readers.pop() if self._readers else None
        if reader is None:
            reader = python_calamine.CalamineWorkbook.from_filelike(BytesIO(self.package.data))
        try:
            yield reader
        finally:
            with self._readers_lock:
                self._readers.append(reader)

    def parsed_block(self, name: str) -> list[list[Any]] | None:
        """The sheet's used range from A1 as python-calamine parsed it, for a reader that
        takes its values as Excel's (`SheetState.parsed_block`); None if there is no such
        sheet, or when the range is to be read as Excel gives it."""
        entry = next((e for e in self.workbook.sheets if e.name == name), None)
        return None if entry is None else self.state(entry).parsed_block()

    def prefetch(self, names: Sequence[str]) -> None:
        """Have these sheets parsed in a thread of their own (`ReadAhead`), the largest
        first, then the others in this order: on two cores the largest sheet is parsed
        while the caller reads and works on the others (docs/performance.md). A sheet
        asked for before its turn is parsed in the asking thread, by a reader of its
        own; a name the book has no sheet for is left out."""
        found = {entry.name for entry in self.workbook.sheets}
        self._ahead.start([name for name in names if name in found])

    def _stored_size(self, name: str) -> int:
        """The size of a sheet's part as stored: what its parse will take, roughly."""
        entry = next(e for e in self.workbook.sheets if e.name == name)
        return self.package.stored_size(entry.part)

    def add_sheet(self, name: str, index: int) -> SheetEntry:
        entry = self.workbook.add_sheet(name, index)
        self.states[id(entry)] = self._state(entry, new=True)
        return entry

    def close(self) -> None:
        self._ahead.join()  # not left parsing a book nobody reads
        if self in self.books:
            self.books.remove(self)
        mock = getattr(xw.Book, "_mock_caller", None)
        if mock is not None and mock.impl is self:
            del xw.Book._mock_caller

    def save(self, path=None, password=None) -> None:
        """Write the file again: the changed sheets and parts anew, the rest as stored;
        atomically, after `before_replace` (the caller's backup)."""
        if password:
            raise NotImplementedError("headless save cannot set a password")
        target = Path(path).resolve() if path else self.path
        data = self.to_bytes()
        if self.options.before_replace is not None:
            self.options.before_replace(target)
        atomic.write(target, data)
        self.path = target  # as Excel's SaveAs: the book is now that file

    def to_bytes(self) -> bytes:
        with collector_paused():
            return self._to_bytes()

    def _to_bytes(self) -> bytes:
        cells_changed = False
        for entry in self.workbook.sheets:
            state = self.state(entry)
            if state.edits:
                self._match_table_headers(entry, state)
            if not state.changed:
                continue
            cells_changed |= bool(state.edits)
            dimension = None
            if state.edits:
                bounds = state.bounds()
                dimension = "A1" if bounds is None else format_address(bounds)
            self.package.write(entry.part, state.xml.render(state.edits, dimension,
                                                            state.selected))
        if cells_changed:
            self.workbook.cells_changed()
        return self.package.to_bytes()

    def _match_table_headers(self, entry: SheetEntry, state: SheetState) -> None:
        """Each table's column names made equal to its header cells, as Excel keeps them
        (a name that differs from its cell is a file Excel offers to repair). A header
        cell left empty gets a name, written into it, as Excel does ("Colonne1"); one
        that repeats another gets a number ("Total2")."""
        for table in self.workbook.tables(entry):
            if not table.header_rows or not table.ref:
                continue
            r1, c1, _, c2 = parse_address(table.ref)
            old = self.workbook.column_names(table)
            if len(old) != c2 - c1 + 1:
                continue  # a table Excel itself would repair: left as it is
            names: list[str] = []
            for offset in range(c2 - c1 + 1):
                value = state.value(r1, c1 + offset)
                text = column_name(value, names, position=offset + 1)
                if text != value:
                    state.write_row(r1, c1 + offset, [text], self.writer)
                names.append(text)
            if names != old:
                self.workbook.rename_columns(table, names)

    def activate_sheet(self, entry: SheetEntry) -> None:
        """Make `entry` the one selected tab (several selected tabs are a group in Excel)."""
        self.workbook.set_active(self.workbook.sheets.index(entry))
        for other in self.workbook.sheets:
            state = self.state(other)
            if state.tab_selected != (other is entry):
                state.selected = other is entry


def _part_head(package: Package, part: str) -> bytes:
    """The beginning of a worksheet part, up to its cells, without inflating it all."""
    if not package.has(part):
        return b""
    if part in package.changed():
        data = package.read(part)
        return data[:data.find(b"sheetData") + 1 or len(data)]
    head = b""
    with package.open(part) as stream:
        while b"sheetData" not in head:
            chunk = stream.read(_HEAD_CHUNK)
            if not chunk:
                break
            head += chunk
    return head


ENGINE = Engine()


def activate() -> None:
    """Make this engine xlwings' active engine (by object: by name, xlwings would ask
    for a PRO licence)."""
    xw.engines.active = xw.main.Engine(impl=ENGINE)


def open_book(path: str | Path, options: Options | None = None) -> xw.Book:
    """Open a workbook file and make it what `xw.Book.caller()` returns, so code written
    for a button runs on it unchanged."""
    activate()
    app = ENGINE.apps[0] if len(ENGINE.apps) else ENGINE.apps.add()
    book = xw.Book(impl=app.books.open(path, options=options))
    book.set_mock_caller()
    return book


def save_book(book: xw.Book, path: str | Path | None = None) -> None:
    """Save atomically: the changed parts anew, every other part as it was."""
    book.impl.save(path)


def close_book(book: xw.Book) -> None:
    """Forget the book (and the mock caller if it was this book); nothing is saved."""
    book.impl.close()

