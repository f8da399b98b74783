"""The VBA side of `Relances.xlsm`: xlwings' standalone project, our module, the conf sheet.

The project starts from the one of xlwings' standalone quickstart, shipped inside the
installed xlwings package: its `xlwings` module names the exact xlwings version (DLL
names, XLWINGS_VERSION), so the workbook's VBA and the pinned Python package cannot
drift apart. That module is left untouched. pyOpenVBA then removes the quickstart's demo
module, adds our standard module `Relances` (one macro per `layout.MACROS` entry) and
sets the code of `ThisWorkbook` (the guide's right-click entries). The VBA sources are
templates in `excel/vba/`, completed here from `layout` so no caption, sheet or Python
call is written twice.

The `xlwings.conf` sheet (read by RunPython: keys in column A from A1 down to the first
empty cell, values in column B, keys compared upper-cased) holds:

- `Interpreter_Win` = `%RELANCES_XL_PYTHON%`. xlwings expands it with WScript.Shell,
  which reads Excel's own environment, and each macro sets that variable first
  (`PreparePython`): the venv in the workbook's folder (`.venv`), else the user's venv
  (`%USERPROFILE%\\.venvs\\relances-xl`), else `python` from the PATH. A fixed path
  could not say "next to the workbook"; xlwings has no placeholder for that folder.
- `Interpreter_Mac` = `$HOME/.venvs/relances-xl/bin/python`: VBA on macOS cannot set
  an environment variable, and xlwings expands only `$HOME`-like prefixes there.
- `ADD_WORKBOOK_TO_PYTHONPATH` = `false` (the text, as xlwings reads it): the package
  is installed in the interpreter's venv, so the workbook's folder has nothing to add
  to `sys.path`, and on OneDrive or SharePoint that folder is a URL xlwings cannot
  turn into a path without more keys. No `PYTHONPATH` key is written: an empty one
  would hide the value a user may set in `%USERPROFILE%\\.xlwings\\xlwings.conf`, since
  the sheet wins.
- `Show Console` and `Use UDF Server` = FALSE: the buttons run in the background and
  no UDF server is needed.

The sheet is hidden: xlwings reads it hidden (`GetConfigFromSheet` reads its cells, it
never selects it), and a user has no reason to see it. `relances-xl installer` writes
the interpreter's full path there when the venv beside the workbook cannot be found
from Excel (macOS, OneDrive).
"""

from __future__ import annotations

import io
import re
import zipfile
from importlib import resources
from pathlib import Path

import pyopenvba
import xlwings
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .. import layout

VBA_MODULE = "Relances"  # the standard module holding the macros of layout.MACROS
MENU_TAG = "RelancesXL"  # tag of the right-click entries, by which they are removed
PYTHON_VARIABLE = "RELANCES_XL_PYTHON"
WORKBOOK_VENV = ".venv"  # a venv in the workbook's folder
USER_VENV = (".venvs", "relances-xl")  # a venv under the user's home folder

XLWINGS_CONF: tuple[tuple[str, object], ...] = (
    ("Interpreter_Win", f"%{PYTHON_VARIABLE}%"),
    ("Interpreter_Mac", "$HOME/" + "/".join(USER_VENV) + "/bin/python"),
    ("ADD_WORKBOOK_TO_PYTHONPATH", "false"),
    ("Show Console", False),
    ("Use UDF Server", False),
)

_QUICKSTART = "quickstart_standalone.xlsm"
_DEMO_MARKER = "Sub SampleCall"  # the quickstart's demo macro, not wanted here
_MARKER = re.compile(r"\{\{(\w+)\}\}")


def quickstart_vba_project() -> bytes:
    """`vbaProject.bin` of the quickstart shipped with the installed (pinned) xlwings."""
    path = Path(xlwings.__file__).parent / _QUICKSTART
    with zipfile.ZipFile(path) as package:
        return package.read("xl/vbaProject.bin")


def attach_quickstart_project(book: Workbook, first_sheet: Worksheet) -> None:
    """Give the XlsxWriter book the quickstart project and its code names.

    ThisWorkbook and Sheet1 are the quickstart's document modules; later sheets get
    XlsxWriter's Sheet2..SheetN, and Excel adds the modules it misses on opening.
    """
    book.add_vba_project(io.BytesIO(quickstart_vba_project()), is_stream=True)
    book.set_vba_name("ThisWorkbook")
    first_sheet.set_vba_name("Sheet1")


# the buttons' size in pixels: two grid columns (G:H and I) and rows two cells apart
# (40 px), so a 229 px wide pair of columns and 30 px high buttons leave a margin. The
# longest caption, "Imprimer toutes les lettres", is 200 px in DejaVu Sans 11 pt, what
# LibreOffice draws for Calibri without Carlito (165 px in Calibri): it fits with 8 px
# on each side (tests/test_build.py measures every caption)
BUTTON_WIDTH, BUTTON_HEIGHT = 220, 30


def insert_buttons(sheet: Worksheet) -> None:
    """The buttons of layout.BUTTONS, each bound to its macro of the `Relances` module,
    all of one size on a grid whose cells are far enough apart not to overlap."""
    for caption, (macro, cell) in layout.BUTTONS.items():
        sheet.insert_button(cell, {"macro": macro, "caption": caption,
                                   "width": BUTTON_WIDTH, "height": BUTTON_HEIGHT})


def vba_string(text: str) -> str:
    """A VBA string literal: quotes doubled, as the VBA editor wants them."""
    return '"' + text.replace('"', '""') + '"'


def render(template: str, values: dict[str, str]) -> str:
    """Fill a template of `excel/vba/` and give it CRLF line ends, as VBA stores them.

    An unknown marker raises KeyError: a template and this module must agree.
    """
    text = resources.files(__package__).joinpath("vba", template).read_text(encoding="utf-8")
    text = _MARKER.sub(lambda match: values[match.group(1)], text)
    return "\r\n".join(text.splitlines()) + "\r\n"


def relances_module_source() -> str:
    """Source of the `Relances` module: helpers, then one Sub per layout.MACROS entry."""
    macros = []
    for macro, call in layout.MACROS.items():
        if macro in layout.FILE_PICKERS:
            macros.append(file_macro(macro, call, *layout.FILE_PICKERS[macro]))
            continue
        macros.append(f"Public Sub {macro}()\n    PreparePython\n"
                      f"    RunPython {vba_string(call)}\nEnd Sub\n")
    return render("Relances.bas", {
        "module": VBA_MODULE,
        "python_variable": PYTHON_VARIABLE,
        "workbook_venv": WORKBOOK_VENV,
        "user_venv": "\\".join(USER_VENV),
        "macros": "\n".join(macros),
    })


def file_macro(macro: str, call: str, file_filter: str, title: str) -> str:
    """A macro that first asks for a file (Cancel: nothing runs), then passes its path
    to Python as the string literal `PythonString` makes, in place of `{path}`."""
    before, after = call.split("{path}")
    return (f"Public Sub {macro}()\n    Dim chosen As Variant\n#If Mac Then\n"
            f"    chosen = Application.GetOpenFilename(, , {vba_string(title)})\n#Else\n"
            f"    chosen = Application.GetOpenFilename({vba_string(file_filter)}, , "
            f"{vba_string(title)})\n#End If\n"
            "    If VarType(chosen) = vbBoolean Then Exit Sub\n    PreparePython\n"
            f"    RunPython {vba_string(before)} & PythonString(CStr(chosen)) & "
            f"{vba_string(after)}\nEnd Sub\n")


def this_workbook_source() -> str:
    """Body of `ThisWorkbook`: the context menu of the Relances sheet, from layout."""
    entries = []
    for index, (caption, macro) in enumerate(layout.CONTEXT_MENU.items()):
        first = "True" if index == 0 else "False"  # a separator above the first entry
        entries.append(f"    AddMenuEntry {vba_string(caption)}, {vba_string(macro)}, {first}")
    return render("ThisWorkbook.cls", {
        "menu_tag": MENU_TAG,
        "sheet": layout.RELANCES,
        "module": VBA_MODULE,
        "menu_entries": "\n".join(entries),
        "proposal_sheet": layout.PROPOSITION,
        "changed_cell": layout.PROPOSAL_CELLS["changed"][1],
        "table_area": f"A{layout.TABLE_FIRST_ROW}:{layout.TABLE_LAST_COLUMN}1048576",
        "close_prompt": layout.CLOSE_PROMPT,
        "choice_cell": layout.PROPOSAL_CELLS["a_la_fermeture"][1],
        "close_save": layout.CLOSE_SAVE,
        "close_drop": layout.CLOSE_DROP,
    })


def install_project_code(source: Path, dest: Path) -> None:
    """Put our code into the quickstart project of `source`, writing `dest`.

    Only `vbaProject.bin` changes; pyOpenVBA copies every other part of the package
    as it is, so the XlsxWriter output keeps its fixed timestamps.
    """
    with pyopenvba.ExcelFile(source) as book:
        project = book.vba_project()
        for name in list(project.module_names()):
            if _DEMO_MARKER in book.get_module(name):
                project.delete_module(name)
        project.add_module(VBA_MODULE, relances_module_source())
        book.set_module("ThisWorkbook", this_workbook_source())
        book.save(dest)
    with pyopenvba.ExcelFile(dest) as written:  # checked as saved: added modules are
        problems = written.validate()  # only streams once written
    if problems:
        raise RuntimeError(f"VBA project inconsistent after pyOpenVBA: {problems}")


def write_conf_sheet(sheet: Worksheet, bold: Format, note: Format) -> None:
    """The `xlwings.conf` sheet: key/value pairs from A1, contiguous, then a note aside."""
    for row, (key, value) in enumerate(XLWINGS_CONF):
        sheet.write_string(row, 0, key, bold)
        sheet.write(row, 1, value)
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, 40)
    sheet.set_column(3, 3, 90, note)
    sheet.write_string(0, 3, "Réglages lus par xlwings (RunPython). Interpreter_Win : "
                       f"%{PYTHON_VARIABLE}% désigne le venv « {WORKBOOK_VENV} » du dossier "
                       "du classeur, sinon %USERPROFILE%\\" + "\\".join(USER_VENV)
                       + ", sinon python. Remplacez-le par un chemin complet si besoin.")
    sheet.write_string(1, 3, "Les clés se lisent de A1 jusqu'à la première cellule vide : "
                       "ne laissez pas de ligne vide entre elles.")
    sheet.hide()
