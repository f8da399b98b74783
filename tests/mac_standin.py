"""Excel's AppleScript object model, stood in over the headless engine, for xlwings'
own macOS engine (`xlwings/_xlmac.py`, 0.37.8) to run on.

appscript, aem, osax and psutil are stubbed in `sys.modules` only while `_xlmac`
is imported. The objects below are appscript references as far as the add-in's
calls reach: properties with `.get()` / `.set()`, elements by `[name or index]`,
commands as methods. Conventions as Excel for Mac gives them: a single cell a
scalar, a single row a flat list, more rows a list of row lists; an empty cell
"" ; an error cell `missing value` in `value` and its text ("#N/A") in
`string_value`. A string written is read as Excel reads it typed (the headless
engine's writer does just that).
"""

from __future__ import annotations

import datetime as dt
import importlib
import struct
import sys
import types
from collections.abc import Callable
from typing import Any

from relances_xl.headless import app as headless_app
from relances_xl.headless.values import CellError


class Keyword:
    """appscript's k.name."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Keyword) and other.name == self.name

    def __hash__(self) -> int:
        return hash(("k", self.name))

    def __repr__(self) -> str:
        return f"k.{self.name}"


class _Keywords:
    def __getattr__(self, name: str) -> Keyword:
        return Keyword(name)


k = _Keywords()


class CommandError(Exception):
    pass


def _stub_modules() -> dict[str, types.ModuleType]:
    def module(name: str, **attrs: Any) -> types.ModuleType:
        made = types.ModuleType(name)
        made.__dict__.update(attrs)
        return made

    reference = module("appscript.reference", CommandError=CommandError, Reference=object)
    mactypes = module("mactypes", Alias=lambda path: types.SimpleNamespace(hfspath=path))
    appscript = module("appscript", app=None, its=None, k=k, mactypes=mactypes,
                       reference=reference)
    return {"appscript": appscript, "appscript.reference": reference,
            "aem": module("aem", kae=types.SimpleNamespace(typeKernelProcessID=b"kpid")),
            "osax": module("osax", OSAX=_Osax),
            "psutil": module("psutil", process_iter=lambda: []),  # no Excel to clean up
            "mactypes": mactypes}


def load_xlmac() -> types.ModuleType:
    """xlwings' own `_xlmac`, imported over the stubs (which are then taken away)."""
    if "xlwings._xlmac" in sys.modules:
        return sys.modules["xlwings._xlmac"]
    stubs = _stub_modules()
    saved = {name: sys.modules.get(name) for name in stubs}
    sys.modules.update(stubs)
    try:
        return importlib.import_module("xlwings._xlmac")
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


_APPS: list[Application] = []


class _Osax:
    """StandardAdditions' display alert: answered by the headless app."""

    def __init__(self, pid: int) -> None:
        self.application = _APPS[-1]

    def activate(self) -> None:
        pass

    def display_alert(self, title: str, message: str, buttons: Any, as_: Keyword) -> dict:
        shown = {"OK": "ok", ("Cancel", "OK"): "ok_cancel", ("No", "Yes"): "yes_no",
                 ("Cancel", "No", "Yes"): "yes_no_cancel"}[
            buttons if isinstance(buttons, str) else tuple(buttons)]
        mode = "critical" if as_ == k.critical else "info"
        answer = self.application.impl.alert(message, title, shown, mode)
        return {k.button_returned: answer.capitalize() if answer != "ok" else "OK"}


class Prop:
    """An appscript property reference."""

    def __init__(self, get: Callable[[], Any], set: Callable[[Any], None] | None = None
                 ) -> None:
        self._get, self._set = get, set

    def get(self) -> Any:
        return self._get()

    def set(self, value: Any) -> None:
        if self._set is None:
            raise CommandError("read-only property")
        self._set(value)


class Elements:
    """An appscript elements reference: `[name or index]`."""

    def __init__(self, item: Callable[[Any], Any]) -> None:
        self._item = item

    def __getitem__(self, key: Any) -> Any:
        return self._item(key)


class _Missing:
    def exists(self) -> bool:
        return False


class Application:
    def __init__(self, impl: headless_app.App) -> None:
        self.impl = impl
        self._settings = {"screen_updating": True, "display_alerts": True,
                          "enable_events": True, "calculation": k.calculation_automatic}
        for name in self._settings:
            setattr(self, name, self._setting(name))
        self.writes_with_events: list[str] = []  # sheets written while events were on
        self.status_bar = Prop(lambda: impl.status_bar,
                               lambda value: setattr(impl, "status_bar", value))
        self.version = Prop(lambda: "16.0")
        self.workbooks = Elements(self._workbook)
        self.active_workbook = _Lazy(lambda: Workbook(self, impl.books.active))
        self.AS_appdata = types.SimpleNamespace(target=lambda: types.SimpleNamespace(
            addressdesc=types.SimpleNamespace(
                coerce=lambda kind: types.SimpleNamespace(data=struct.pack("i", 4242)))))
        _APPS.append(self)

    def _setting(self, name: str) -> Prop:
        return Prop(lambda: self._settings[name],
                    lambda value: self._settings.__setitem__(name, value))

    def _workbook(self, key: Any) -> Any:
        try:
            return Workbook(self, self.impl.books(key))
        except (KeyError, IndexError):
            return _Missing()

    def count(self, each: Keyword) -> int:
        return len(self.impl.books)


class _Lazy:
    """A reference resolved when used (appscript's are)."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make = make

    def __getattr__(self, name: str) -> Any:
        return getattr(self._make(), name)


class Workbook:
    def __init__(self, application: Application, impl: headless_app.Book,
                 full_name: str | None = None) -> None:
        self.application, self.impl = application, impl
        self._full_name = full_name
        self.name = Prop(lambda: impl.name)
        self.worksheets = self.sheets = Elements(self._sheet)
        self.active_sheet = _Lazy(lambda: Worksheet(self, impl.sheets.active))

    def exists(self) -> bool:
        return True

    def _sheet(self, key: Any) -> Worksheet:
        return Worksheet(self, self.impl.sheets(key))

    def count(self, each: Keyword) -> int:
        return len(self.impl.sheets)

    def properties(self) -> dict:
        return {k.full_name: self._full_name or self.impl.fullname,
                k.path: str(self.impl.path.parent), k.file_format: k.macro_enabled_XML_file_format}

    def save(self, timeout: int = -1, in_: str | None = None, as_: Keyword | None = None
             ) -> None:
        if as_ == k.PDF_file_format:
            self._pdf(in_)
            return
        self.impl.save()

    def _pdf(self, hfs_path: str) -> None:
        """Excel for Mac's sandbox: it writes only in its container (mactypes stands in
        the folder as it is, so the "HFS path" is "folder:name")."""
        from pathlib import Path

        from relances_xl.excel.dashboard_pdf import mac_container
        from relances_xl.letters import sheet_pdf

        folder, name = hfs_path.rsplit(":", 1)
        if not Path(folder).resolve().is_relative_to(mac_container().resolve()):
            raise CommandError(f"Parameter error (OSERROR: -50): {folder} is outside the "
                               "sandbox")
        path = Path(folder) / name
        copy = path.with_suffix(".source.xlsm")
        copy.write_bytes(self.impl.to_bytes())
        shown = [s.name for s in self.impl.sheets if s.visible]
        sheet_pdf.sheet_to_pdf(copy, shown[0], path)
        copy.unlink()

    def close(self, saving: Keyword) -> None:
        self.impl.close()

    def activate_object(self) -> None:
        pass

    def make(self, new: Keyword, at: Any) -> Worksheet:
        where, sheet = at
        made = self.impl.sheets.add(before=sheet.impl if where == "before" else None,
                                    after=sheet.impl if where == "after" else None)
        return Worksheet(self, made)


class Worksheet:
    def __init__(self, workbook: Workbook, impl: headless_app.Sheet) -> None:
        self.workbook, self.impl = workbook, impl
        self.name = Prop(lambda: impl.name, lambda value: setattr(impl, "name", value))
        self.entry_index = Prop(lambda: impl.index)
        self.visible = Prop(lambda: k.sheet_visible if impl.visible else k.sheet_hidden,
                            lambda value: setattr(impl, "visible", bool(value)))
        self.cells = Elements(lambda address: Range(self, impl.range(address)))
        self.rows = Elements(lambda row: types.SimpleNamespace(columns=Elements(
            lambda column: Range(self, impl.range((row, column))))))
        self.list_objects = Elements(self._table)
        self.before, self.after = ("before", self), ("after", self)

    @property
    def used_range(self) -> Range:
        return Range(self, self.impl.used_range)

    def _table(self, key: Any) -> Any:
        try:
            return ListObject(self, self.impl.tables(key))
        except (KeyError, IndexError):
            return _Missing()

    def count(self, each: Keyword) -> int:
        if each == k.list_object:
            return len(self.impl.tables)
        return {k.row: 1_048_576, k.column: 16_384}[each]

    def activate_object(self) -> None:
        self.impl.book.activate_sheet(self.impl.entry)

    def delete(self) -> None:
        self.impl.delete()


class Range:
    def __init__(self, sheet: Worksheet, impl: Any) -> None:
        self.sheet, self.impl = sheet, impl
        self.value = Prop(self._values, self._write)
        self.string_value = Prop(lambda: self._shape(self._cells(_shown)))
        self.number_format = Prop(self._format, self._set_format)
        self.first_row_index = Prop(lambda: impl.row)
        self.first_column_index = Prop(lambda: impl.column)

    def count(self, each: Keyword) -> int:
        return self.impl.shape[0] if each == k.row else self.impl.shape[1]

    def get_address(self, row_absolute: bool = True, column_absolute: bool = True,
                    external: bool = False) -> str:
        return self.impl.get_address(row_absolute, column_absolute, external)

    def _cells(self, shown: Callable[[Any], Any]) -> list[list[Any]]:
        self.impl.options = {"err_to_str": True}
        value = self.impl.raw_value
        rows = [[value]] if len(self.impl) == 1 else value
        return [[shown(v) for v in row] for row in rows]

    def _shape(self, rows: list[list[Any]]) -> Any:
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        return rows[0] if len(rows) == 1 else rows

    def _values(self) -> Any:
        return self._shape(self._cells(_as_value))

    def _write(self, data: Any) -> None:
        application = self.sheet.workbook.application
        if application._settings["enable_events"]:
            application.writes_with_events.append(self.impl.sheet.name)
        if isinstance(data, list | tuple):
            data = [[None if v == "" else v for v in row] if isinstance(row, list | tuple)
                    else (None if row == "" else row) for row in data]
        elif data == "":
            data = None
        self.impl.raw_value = data

    def _format(self) -> Any:
        found = self.impl.number_format
        return k.missing_value if found is None else found

    def _set_format(self, value: str) -> None:
        self.impl.number_format = value

    def clear_contents(self) -> None:
        self.impl.clear_contents()

    def clear_range(self) -> None:
        self.impl.clear()

    def copy_range(self, destination: Range | None = None) -> None:
        self.impl.copy(destination.impl if destination is not None else None)


def _as_value(value: Any) -> Any:
    if type(value) is CellError:
        return k.missing_value
    if value is None:
        return ""
    return value


def _shown(value: Any) -> Any:
    """A cell's text as shown (only what the errors' test needs: the error's text)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    return str(value)


class ListObject:
    def __init__(self, sheet: Worksheet, impl: headless_app.Table) -> None:
        self.sheet, self.impl = sheet, impl
        self.name = Prop(lambda: impl.name)
        self.range_object = Range(sheet, impl.range)
        self.total = Prop(lambda: impl.show_totals)
        self.total_row = _TotalRow(sheet, impl)

    def exists(self) -> bool:
        return True

    def resize(self, range: Range) -> None:
        self.impl.resize(range.impl)


class _TotalRow:
    """A table's `total row`: its reference answers `missing value` when there is none."""

    def __init__(self, sheet: Worksheet, impl: headless_app.Table) -> None:
        self.sheet, self.impl = sheet, impl

    def get(self) -> Any:
        totals = self.impl.totals_row_range
        return k.missing_value if totals is None else Range(self.sheet, totals)

    def get_address(self) -> str:
        return self.impl.totals_row_range.get_address()


def open_book(xlmac: types.ModuleType, impl: headless_app.Book,
              full_name: str | None = None) -> Any:
    """An xlwings Book over `impl` through `_xlmac` (full_name: what the book's full
    name says, a OneDrive URL say)."""
    import xlwings as xw

    application = Application(impl.app)
    app = xlmac.App(xl=application)
    book = xlmac.Book(app, impl.name)
    book.xl = Workbook(application, impl, full_name)
    return xw.Book(impl=book)
