"""Excel's COM object model, stood in over the headless engine, for xlwings' own
Windows engine (`xlwings/_xlwindows.py`, 0.37.8) to run on.

The platform modules `_xlwindows` imports (pywintypes, win32api, win32com...) are
stubbed in `sys.modules` only while it is imported, then taken away again (other
code must not believe it runs on Windows). The objects below answer what the
add-in's calls reach through xlwings: `Application`, `Workbook`, `Worksheet`,
`Range`, `ListObject`, with COM's conventions: a block is a tuple of row tuples, a
single cell a scalar, an empty cell None, a date a pywintypes time (a datetime
with a time zone), an error cell the int Excel gives (-2146826246 for #N/A). A
string written is read as Excel reads it typed: the headless engine's writer, which
does just that, stores it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
import types
from pathlib import Path
from typing import Any

from relances_xl.headless import app as headless_app
from relances_xl.headless.values import CellError

ERROR_INTS = {"#DIV/0!": -2146826281, "#N/A": -2146826246, "#NAME?": -2146826259,
              "#NULL!": -2146826288, "#NUM!": -2146826252, "#REF!": -2146826265,
              "#VALUE!": -2146826273}
MB_ANSWERS = {"ok": 1, "cancel": 2, "yes": 6, "no": 7}
MB_BUTTONS = {0: "ok", 1: "ok_cancel", 4: "yes_no", 3: "yes_no_cancel"}


class ComError(Exception):
    """pywintypes.com_error."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.hresult = args[0] if args else None


def _stub_modules() -> dict[str, types.ModuleType]:
    def module(name: str, **attrs: Any) -> types.ModuleType:
        made = types.ModuleType(name)
        made.__dict__.update(attrs)
        return made

    class TimeType(dt.datetime):
        pass

    class Dispatch:  # the classes whose results the retry wrapper wraps: none of ours
        pass

    win32com = module("win32com")
    client = module("win32com.client", CDispatch=Dispatch, CoClassBaseClass=Dispatch,
                    DispatchBaseClass=Dispatch, Dispatch=None, DispatchEx=None,
                    dynamic=module("win32com.client.dynamic"))
    win32com.client = client
    utc = dt.UTC
    return {
        "pywintypes": module("pywintypes", com_error=ComError, TimeType=TimeType,
                             IID=lambda text: text),
        "win32api": module("win32api", MessageBox=_message_box),
        "win32con": module("win32con", MB_OK=0, MB_OKCANCEL=1, MB_YESNO=4,
                           MB_YESNOCANCEL=3, MB_ICONINFORMATION=64, MB_ICONWARNING=48),
        "pythoncom": module("pythoncom", CoInitialize=lambda: None, ole_error=ComError,
                            __file__="pythoncom.pyd",
                            com_error=ComError),
        "win32com": win32com, "win32com.client": client,
        "win32com.client.dynamic": client.dynamic,
        "win32gui": module("win32gui"),
        "win32process": module("win32process",
                               GetWindowThreadProcessId=lambda hwnd: (0, 4242)),
        "win32timezone": module("win32timezone",
                                TimeZoneInfo=types.SimpleNamespace(utc=lambda: utc)),
    }


def load_xlwindows() -> types.ModuleType:
    """xlwings' own `_xlwindows`, imported over the stubs (which are then taken away)."""
    if "xlwings._xlwindows" in sys.modules:
        return sys.modules["xlwings._xlwindows"]
    stubs = _stub_modules()
    saved = {name: sys.modules.get(name) for name in stubs}
    sys.modules.update(stubs)
    import ctypes

    missing = [name for name in ("windll", "oledll") if not hasattr(ctypes, name)]
    for name in missing:  # Windows' DLL loaders, never called here
        setattr(ctypes, name, types.SimpleNamespace(
            user32=types.SimpleNamespace(GetForegroundWindow=lambda: 1,
                                         SetForegroundWindow=lambda hwnd: None,
                                         SetWindowPos=lambda *args: None),
            ole32=types.SimpleNamespace(CLSIDFromString=lambda *args: 0)))
    py_dll = ctypes.PyDLL
    ctypes.PyDLL = lambda path: types.SimpleNamespace(
        PyCom_PyObjectFromIUnknown=types.SimpleNamespace())
    try:
        return importlib.import_module("xlwings._xlwindows")
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
        for name in missing:
            delattr(ctypes, name)
        ctypes.PyDLL = py_dll


_APPS: list[Application] = []


def _message_box(hwnd: int, prompt: str, title: str, style: int) -> int:
    """win32api.MessageBox: answered by the headless app (its answers, else button one)."""
    application = _APPS[-1]
    buttons = MB_BUTTONS[style & 0x0F]
    mode = {64: "info", 48: "critical"}.get(style & 0xF0)
    return MB_ANSWERS[application.impl.alert(prompt, title, buttons, mode)]


# --- the object model ------------------------------------------------------------------


class Application:
    Version, Hwnd, Interactive, Calculation, CutCopyMode = "16.0", 1, True, -4105, False

    def __init__(self, impl: headless_app.App) -> None:
        self.impl = impl
        self.ScreenUpdating = self.DisplayAlerts = self.EnableEvents = True
        self.writes_with_events: list[str] = []  # sheets written while EnableEvents
        _APPS.append(self)

    @property
    def StatusBar(self) -> Any:
        return self.impl.status_bar

    @StatusBar.setter
    def StatusBar(self, value: Any) -> None:
        self.impl.status_bar = value

    @property
    def Workbooks(self) -> Workbooks:
        return Workbooks(self)

    @property
    def ActiveWorkbook(self) -> Workbook:
        return Workbook(self, self.impl.books.active)


class Workbooks:
    def __init__(self, application: Application) -> None:
        self.Application = application

    @property
    def Count(self) -> int:
        return len(self.Application.impl.books)

    def __call__(self, key: Any) -> Workbook:
        return Workbook(self.Application, self.Application.impl.books(key))

    def __iter__(self):
        return (Workbook(self.Application, book) for book in list(self.Application.impl.books))


class Workbook:
    FileFormat = 52  # xlOpenXMLWorkbookMacroEnabled

    def __init__(self, application: Application, impl: headless_app.Book,
                 full_name: str | None = None) -> None:
        self.Application, self.impl = application, impl
        self._full_name = full_name

    Name = property(lambda self: self.impl.name)
    FullName = property(lambda self: self._full_name or self.impl.fullname)
    Path = property(lambda self: str(Path(self.impl.fullname).parent))
    Worksheets = property(lambda self: Worksheets(self))
    Sheets = Worksheets

    @property
    def ActiveSheet(self) -> Worksheet:
        return Worksheet(self, self.impl.sheets.active)

    def Save(self) -> None:
        self.impl.save()

    def SaveAs(self, path: str, FileFormat: int | None = None, Password: Any = None) -> None:
        self.impl.save(path)

    def Close(self, SaveChanges: bool = False) -> None:
        self.impl.close()

    def Activate(self) -> None:
        pass

    def ExportAsFixedFormat(self, Type: int, Filename: str, **options: Any) -> None:
        """The visible sheets as one PDF: printed by LibreOffice from a saved copy (the
        project's own headless way), as Excel prints them."""
        from relances_xl.letters import sheet_pdf

        copy = Path(Filename).with_suffix(".source.xlsm")
        copy.write_bytes(self.impl.to_bytes())
        shown = [s.name for s in self.impl.sheets if s.visible]
        sheet_pdf.sheet_to_pdf(copy, shown[0], Path(Filename))
        copy.unlink()


class Worksheets:
    def __init__(self, workbook: Workbook) -> None:
        self.Parent = workbook

    Count = property(lambda self: len(self.Parent.impl.sheets))

    def __call__(self, key: Any) -> Worksheet:
        try:
            return Worksheet(self.Parent, self.Parent.impl.sheets(key))
        except (KeyError, IndexError) as error:
            raise ComError(-2147352567, "Invalid index", None, None) from error

    Item = __call__

    def __iter__(self):
        return (Worksheet(self.Parent, sheet) for sheet in self.Parent.impl.sheets)

    def Add(self, Before: Worksheet | None = None, After: Worksheet | None = None
            ) -> Worksheet:
        made = self.Parent.impl.sheets.add(before=Before and Before.impl,
                                           after=After and After.impl)
        return Worksheet(self.Parent, made)


class Worksheet:
    def __init__(self, workbook: Workbook, impl: headless_app.Sheet) -> None:
        self.Parent, self.impl = workbook, impl

    Application = property(lambda self: self.Parent.Application)
    Index = property(lambda self: self.impl.index)
    UsedRange = property(lambda self: Range(self, self.impl.used_range))
    ListObjects = property(lambda self: ListObjects(self))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Worksheet) and other.impl == self.impl

    def __hash__(self) -> int:
        return hash(self.impl)

    @property
    def Name(self) -> str:
        return self.impl.name

    @Name.setter
    def Name(self, value: str) -> None:
        self.impl.name = value

    @property
    def Visible(self) -> int:
        return -1 if self.impl.visible else 0  # xlSheetVisible, xlSheetHidden

    @Visible.setter
    def Visible(self, value: int) -> None:
        self.impl.visible = bool(value)

    def Range(self, first: Any, second: Any = None) -> Range:
        if isinstance(first, Range) and second is None:
            return first
        first = first.impl if isinstance(first, Range) else first
        second = second.impl if isinstance(second, Range) else second
        return Range(self, self.impl.range(first, second))

    def Cells(self, row: int | None = None, column: int | None = None) -> Range:
        if row is None:
            return Range(self, self.impl.cells)
        return Range(self, self.impl.range((row, column)))

    def Activate(self) -> None:
        self.impl.book.activate_sheet(self.impl.entry)

    def Delete(self) -> None:
        self.impl.delete()


class _Count:
    def __init__(self, count: int) -> None:
        self.Count = count


class Range:
    def __init__(self, sheet: Worksheet, impl: Any) -> None:
        self.Worksheet, self.impl = sheet, impl

    Application = property(lambda self: self.Worksheet.Application)
    Row = property(lambda self: self.impl.row)
    Column = property(lambda self: self.impl.column)
    Rows = property(lambda self: _Count(self.impl.shape[0]))
    Columns = property(lambda self: _Count(self.impl.shape[1]))
    Count = property(lambda self: len(self.impl))
    Address = property(lambda self: self.impl.get_address())

    def __call__(self, row: int, column: int | None = None) -> Range:  # Range.Item
        return Range(self.Worksheet, self.impl(row, column))

    Item = __call__

    def GetAddress(self, row_absolute=True, col_absolute=True, style=1, external=False) -> str:
        return self.impl.get_address(row_absolute, col_absolute, external)

    @property
    def Value(self) -> Any:
        self.impl.options = {"err_to_str": True}
        value = self.impl.raw_value
        if len(self.impl) == 1:
            return _to_com(value)
        return tuple(tuple(_to_com(v) for v in row) for row in value)

    @Value.setter
    def Value(self, data: Any) -> None:
        self.Application.writes_with_events += [self.Worksheet.Name] * bool(
            self.Application.EnableEvents)
        if isinstance(data, list | tuple):
            data = [[_from_com(v) for v in row] if isinstance(row, list | tuple)
                    else _from_com(row) for row in data]
        else:
            data = _from_com(data)
        self.impl.raw_value = data

    @property
    def NumberFormat(self) -> Any:
        return self.impl.number_format

    @NumberFormat.setter
    def NumberFormat(self, value: str) -> None:
        self.impl.number_format = value

    def ClearContents(self) -> None:
        self.impl.clear_contents()

    def Clear(self) -> None:
        self.impl.clear()

    def Copy(self, Destination: Range | None = None) -> None:
        self.impl.copy(Destination.impl if Destination is not None else None)

    def End(self, direction: int) -> Range:
        letter = {-4121: "d", -4162: "u", -4161: "r", -4159: "l"}[direction]
        return Range(self.Worksheet, self.impl.end(letter))


def _to_com(value: Any) -> Any:
    if type(value) is CellError or (isinstance(value, str) and value in ERROR_INTS
                                    and type(value) is not str):
        return ERROR_INTS[value]
    if isinstance(value, dt.datetime):
        time_type = sys.modules["xlwings._xlwindows"].pywintypes.TimeType
        return time_type(value.year, value.month, value.day, value.hour, value.minute,
                         value.second, value.microsecond, tzinfo=dt.UTC)
    return value


def _from_com(value: Any) -> Any:
    if value == "":
        return None
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


class ListObjects:
    def __init__(self, sheet: Worksheet) -> None:
        self.Parent = sheet

    Count = property(lambda self: len(self.Parent.impl.tables))

    def Item(self, key: Any) -> ListObject:
        try:
            return ListObject(self.Parent, self.Parent.impl.tables(key))
        except (KeyError, IndexError) as error:
            raise ComError(-2147352567, "Invalid index", None, None) from error

    def __iter__(self):
        return (ListObject(self.Parent, table) for table in self.Parent.impl.tables)


class ListObject:
    def __init__(self, sheet: Worksheet, impl: headless_app.Table) -> None:
        self.Parent, self.impl = sheet, impl

    Name = property(lambda self: self.impl.name)
    DisplayName = property(lambda self: self.impl.display_name)
    Range = property(lambda self: Range(self.Parent, self.impl.range))
    HeaderRowRange = property(lambda self: Range(self.Parent, self.impl.header_row_range))
    ShowTotals = property(lambda self: self.impl.show_totals)

    @property
    def TotalsRowRange(self) -> Range:
        totals = self.impl.totals_row_range
        if totals is None:  # Excel raises when the table shows no totals row
            raise ComError(-2147352567, "TotalsRowRange", None, None)
        return Range(self.Parent, totals)

    @property
    def DataBodyRange(self) -> Range | None:
        body = self.impl.data_body_range
        return None if body is None else Range(self.Parent, body)

    def Resize(self, target: Range) -> None:
        self.impl.resize(target.impl)


def open_book(xlwindows: types.ModuleType, impl: headless_app.Book,
              full_name: str | None = None) -> Any:
    """An xlwings Book over `impl` through `_xlwindows` (full_name: what FullName says,
    a OneDrive URL say)."""
    import xlwings as xw

    application = Application(impl.app)
    return xw.Book(impl=xlwindows.Book(xl=Workbook(application, impl, full_name)))
