"""`Relances.xlsm` from source: sheets with XlsxWriter, then the VBA with pyOpenVBA.

The workbook is committed and rebuilt by `relances-xl build`, so the build is
byte-for-byte reproducible: XlsxWriter stamps every zip entry 1980-01-31 and the
document properties get a fixed date; pyOpenVBA rewrites only `vbaProject.bin` and
copies the other parts as they are. Two builds from the same sources are equal, and a
diff of the committed file means a source changed.

Everything named (sheets, headers, cells, buttons, macros) comes from `layout`; what is
only shown to the user (titles, hints) lives here.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import quote_sheetname, xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .. import sample
from . import layout, vba

BUILD_DATE = datetime(2026, 1, 1)  # document properties: fixed, for identical builds
TITLE = "Relances clients"
WARNING = "ATTENTION : Les relances prennent en compte uniquement les factures comptabilisées."
FILTERS_TITLE = "Filtres"
OPTIONS_TITLE = "Choix des paramètres"
FIRST_MESSAGE = "Renseignez les filtres puis cliquez sur « Appliquer »."
FILTER_HINT = ("Choisissez dans la liste, ou tapez plusieurs codes séparés par « ; » "
               "(ex. 1FRNEG; 2FRPAR). Vide : tous.")
RATES_NOTE = ("Taux professionnels : taux BCE + 10 points (art. L441-10 du Code de commerce) ; "
              "indemnité forfaitaire de 40 € par facture (art. D441-5 du Code de commerce).")
# Niveau, Jours de retard, Jours depuis relance précédente, Forme, Frais, Intérêts, Indemnité
DEFAULT_LEVELS: tuple[tuple[object, ...], ...] = (
    (1, 0, "", "LET01", 0, "Non", "Non"),
    (2, 15, 15, "LET02", 0, "Non", "Non"),
    (3, 30, 15, "LET03", 0, "Oui", "Oui"),
)
TABLE_STYLE = "Table Style Medium 2"

LEDGER_COLUMNS: dict[str, Mapping[str, str]] = {
    layout.CLIENTS: layout.CLIENTS_COLUMNS,
    layout.FACTURES: layout.FACTURES_COLUMNS,
    layout.REGLEMENTS: layout.REGLEMENTS_COLUMNS,
    layout.HISTORIQUE: layout.HISTORIQUE_COLUMNS,
}
# filter key -> (ledger sheet, field) whose distinct values fill its drop-down list
LIST_SOURCES: dict[str, tuple[tuple[str, str], ...]] = {
    "clients": ((layout.CLIENTS, "code"),),
    "familles": ((layout.CLIENTS, "famille"),),
    "representants": ((layout.CLIENTS, "representant"),),
    "modes": ((layout.CLIENTS, "mode_reglement"), (layout.FACTURES, "mode_reglement")),
    "societes": ((layout.FACTURES, "societe"),),
}

_HEADER = {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True,
           "valign": "vcenter", "align": "center"}
_SECTION = {"bold": True, "font_size": 12, "bottom": 1}
_INPUT = {"bg_color": "#FFF2CC", "border": 1}
_CHECKBOX = {"checkbox": True, "num_format": layout.CHECKBOX_FORMAT, "align": "center"}
_MONEY = {"num_format": layout.MONEY_FORMAT}
_DATE = {"num_format": layout.DATE_FORMAT}


class Styles:
    """XlsxWriter formats by their properties, each created once per workbook."""

    def __init__(self, book: Workbook) -> None:
        self._book = book
        self._made: dict[tuple[tuple[str, object], ...], Format] = {}

    def __call__(self, *parts: Mapping[str, object]) -> Format:
        props: dict[str, object] = {}
        for part in parts:
            props.update(part)
        key = tuple(sorted(props.items()))
        if key not in self._made:
            self._made[key] = self._book.add_format(props)
        return self._made[key]


def build_workbook(out: Path, *, rows: Mapping[str, list[list[object]]] | None = None,
                   companies: list[list[object]] | None = None) -> Path:
    """Write `out` (normally `workbook/Relances.xlsm`), the same bytes at every run.

    `rows` (by ledger sheet) and `companies` default to `relances_xl.sample`; tests
    pass their own to get small fixture workbooks through the real builder. The file
    appears whole or not at all: it is written next to `out`, then renamed.
    """
    rows = sample.sheet_rows() if rows is None else rows
    companies = sample.companies() if companies is None else companies
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".build-") as tmp:
        draft, done = Path(tmp) / "draft.xlsm", Path(tmp) / "done.xlsm"
        write_sheets(draft, rows, companies)
        vba.install_project_code(draft, done)
        os.replace(done, out)
    return out


def write_sheets(path: Path, rows: Mapping[str, list[list[object]]],
                 companies: list[list[object]]) -> None:
    """Every sheet, in the order the user sees them, with the quickstart VBA project."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                           "strings_to_urls": False})
    book.set_properties({"title": TITLE, "author": "relances_xl", "created": BUILD_DATE})
    styles = Styles(book)
    relances = book.add_worksheet(layout.RELANCES)
    vba.attach_quickstart_project(book, relances)
    for name in LEDGER_COLUMNS:
        write_ledger(book.add_worksheet(name), styles, name, rows.get(name, []))
    write_parametres(book.add_worksheet(layout.PARAMETRES), styles, companies)
    write_controles(book.add_worksheet(layout.CONTROLES), styles)
    write_listes(book, book.add_worksheet(layout.LISTES), rows)
    vba.write_conf_sheet(book.add_worksheet(layout.XLWINGS_CONF), styles({"bold": True}),
                         styles({"italic": True, "font_color": "#595959"}))
    write_relances(relances, styles)
    relances.activate()
    book.close()


# --- ledger sheets -------------------------------------------------------------------


def cell_value(value: object) -> object:
    """What XlsxWriter should write: Decimal as float, a date as a datetime, "" as blank."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    if value == "":
        return None
    return value


def column_layout(header: str, values: list[object]) -> tuple[dict[str, object], float]:
    """Style and width of a ledger column: dates and Decimals get their formats."""
    present = [v for v in values if v not in (None, "")]
    style = (_DATE if present and isinstance(present[0], date)
             else _MONEY if present and isinstance(present[0], Decimal) else {})
    shown = [10 if isinstance(v, date) else len(f"{v:,.2f} €") if isinstance(v, Decimal)
             else len(str(v)) for v in present]
    return style, float(min(45, max([len(header) + 4, *shown]) + 2))


def write_ledger(sheet: Worksheet, styles: Styles, name: str, rows: list[list[object]]) -> None:
    """Headers in layout order on row 1, then the rows, as one Excel table.

    A table (ListObject) grows when users paste rows under it, keeping its formats.
    An empty ledger still gets one blank row, as Excel tables need one.
    """
    headers = list(LEDGER_COLUMNS[name])
    columns_values = [[row[i] if i < len(row) else None for row in rows]
                      for i in range(len(headers))]
    columns = []
    for col, (header, values) in enumerate(zip(headers, columns_values, strict=True)):
        style, width = column_layout(header, values)
        columns.append({"header": header, "format": styles(style) if style else None})
        sheet.set_column(col, col, width)
    data = [[cell_value(v) for v in row] for row in rows]
    sheet.add_table(0, 0, max(1, len(data)), len(headers) - 1, {
        "name": layout.TABLE_NAMES[name], "style": TABLE_STYLE, "columns": columns,
        "data": data,
    })
    sheet.freeze_panes(1, 0)


# --- Paramètres, Contrôles, Listes ---------------------------------------------------------


def write_parametres(sheet: Worksheet, styles: Styles, companies: list[list[object]]) -> None:
    """Settings (label, value), then the levels and the companies, each under a title.

    The reader finds settings by label and the two tables by their header rows, so
    this order is the builder's choice, not a contract.
    """
    section = styles(_SECTION)
    for row, (label, default, num_format) in enumerate(layout.PARAMETRES_SETTINGS.values()):
        fmt = layout.MONEY_FORMAT if num_format == "money" else num_format
        sheet.write_string(row, 0, label)
        sheet.write(row, 1, cell_value(default), styles(_INPUT, {"num_format": fmt} if fmt
                                                        else {}))
    keys = list(layout.PARAMETRES_SETTINGS)
    sheet.write_string(keys.index("taux_annuel"), 2, RATES_NOTE,
                       styles({"italic": True, "font_color": "#595959"}))
    for key, choices, error_type in (("sortie_defaut", layout.SORTIES, "stop"),
                                     ("forme_defaut", layout.FORMES, "warning")):
        sheet.data_validation(keys.index(key), 1, keys.index(key), 1, {
            "validate": "list", "source": list(choices), "error_type": error_type})
    row = len(keys) + 1
    sheet.write_string(row, 0, layout.PARAMETRES_LEVELS_TITLE, section)
    fields = list(layout.PARAMETRES_LEVELS_COLUMNS.values())
    money = {fields.index("frais")}
    _write_block(sheet, styles, row + 1, list(layout.PARAMETRES_LEVELS_COLUMNS),
                 DEFAULT_LEVELS, money)
    row += len(DEFAULT_LEVELS) + 3
    sheet.write_string(row, 0, layout.PARAMETRES_COMPANIES_TITLE, section)
    _write_block(sheet, styles, row + 1, list(layout.PARAMETRES_COMPANIES_COLUMNS),
                 companies, set())
    sheet.set_column(0, 0, 32)
    sheet.set_column(1, 1, 26)
    sheet.set_column(2, 6, 22)


def _write_block(sheet: Worksheet, styles: Styles, row: int, headers: list[str],
                 data: Sequence[Sequence[object]], money: set[int]) -> None:
    """A header row and its rows, money columns formatted."""
    for col, header in enumerate(headers):
        sheet.write_string(row, col, header, styles(_HEADER))
    for offset, values in enumerate(data, start=1):
        for col, value in enumerate(values):
            style = styles(_MONEY) if col in money else None
            sheet.write(row + offset, col, cell_value(value), style)


def write_controles(sheet: Worksheet, styles: Styles) -> None:
    """Only the header: Appliquer lists the ledger's problems under it."""
    for col, header in enumerate(layout.CONTROLES_COLUMNS):
        sheet.write_string(0, col, header, styles(_HEADER))
    sheet.set_column(0, 4, 16)
    sheet.set_column(5, 5, 70)
    sheet.freeze_panes(1, 0)


def list_values(rows: Mapping[str, list[list[object]]]) -> dict[str, list[str]]:
    """Distinct sorted values of each filter's drop-down, by list name."""
    lists: dict[str, list[str]] = {}
    for key, (_, _, _, list_name) in layout.FILTERS.items():
        if list_name is None:
            continue
        found: set[str] = set()
        for sheet, field in LIST_SOURCES[key]:
            index = list(LEDGER_COLUMNS[sheet].values()).index(field)
            found.update(str(r[index]) for r in rows.get(sheet, [])
                         if index < len(r) and r[index] not in (None, ""))
        lists[list_name] = sorted(found)
    return lists


def write_listes(book: Workbook, sheet: Worksheet, rows: Mapping[str, list[list[object]]]) -> None:
    """The hidden lists, one column each (name on row 1), and a dynamic name per list.

    The names grow with the column (OFFSET/COUNTA), so the add-in refreshing the
    lists at each Appliquer never has to touch the names or the validations.
    """
    quoted = quote_sheetname(layout.LISTES)
    for col, (list_name, values) in enumerate(list_values(rows).items()):
        sheet.write_string(0, col, list_name)
        sheet.write_column(1, col, values)
        letter = xl_col_to_name(col)
        book.define_name(list_name, f"=OFFSET({quoted}!${letter}$2,0,0,"
                                    f"MAX(1,COUNTA({quoted}!${letter}:${letter})-1),1)")
        sheet.set_column(col, col, 20)
    sheet.hide()


# --- Relances ------------------------------------------------------------------------------


def write_relances(sheet: Worksheet, styles: Styles) -> None:
    """The guide's screen: filters, print options, buttons, message, table header."""
    sheet.write_string(layout.TITLE_CELL, TITLE, styles({"bold": True, "font_size": 16}))
    sheet.write_string(layout.WARNING_CELL, WARNING, styles({"bold": True,
                                                             "font_color": "#C00000"}))
    write_filters(sheet, styles)
    write_options(sheet, styles)
    vba.insert_buttons(sheet)
    sheet.write_string(layout.MESSAGE_CELL, FIRST_MESSAGE,
                       styles({"italic": True, "font_color": "#595959"}))
    write_table_template(sheet, styles)
    for col, width in enumerate((24, 22, 16, 32, 16, 12, 12, 10, 40, 40)):
        sheet.set_column(col, col, width)


def write_filters(sheet: Worksheet, styles: Styles) -> None:
    """Filter cells: a drop-down fed by `Listes`, but free text allowed (several codes)."""
    sheet.write_string(layout.FILTERS_TITLE_CELL, FILTERS_TITLE, styles(_SECTION))
    for label_cell, value_cell, label, list_name in layout.FILTERS.values():
        sheet.write_string(label_cell, label)
        sheet.write_blank(value_cell, None, styles(_INPUT))
        if list_name:
            sheet.data_validation(value_cell, {
                "validate": "list", "source": f"={list_name}", "show_error": False,
                "input_title": label[:32], "input_message": FILTER_HINT,
            })
    sheet.write_string(layout.DATE_LABEL_CELL, layout.DATE_LABEL)
    sheet.write_blank(layout.DATE_CELL, None, styles(_INPUT, _DATE))
    sheet.data_validation(layout.DATE_CELL, {
        "validate": "date", "criteria": "between", "minimum": date(2000, 1, 1),
        "maximum": date(2099, 12, 31), "input_title": layout.DATE_LABEL[:32],
        "input_message": "Une date (jj/mm/aaaa). Vide : aujourd'hui.",
        "error_message": "Tapez une date, par exemple 27/07/2022.",
    })


def write_options(sheet: Worksheet, styles: Styles) -> None:
    """Print options of the guide's "Choix des paramètres" window, with their defaults."""
    sheet.write_string(layout.OPTIONS_TITLE_CELL, OPTIONS_TITLE, styles(_SECTION))
    for label_cell, value_cell, label in layout.OPTIONS.values():
        sheet.write_string(label_cell, label)
        sheet.write_blank(value_cell, None, styles(_INPUT))
    cells = {key: value_cell for key, (_, value_cell, _) in layout.OPTIONS.items()}
    sheet.insert_checkbox(cells["defaut"], True, styles(_CHECKBOX, _INPUT))
    sheet.data_validation(cells["forme"], {
        "validate": "list", "source": list(layout.FORMES), "error_type": "warning",
        "input_message": "Vide : la forme du niveau de relance."})
    sheet.write_number(cells["exemplaires"], 1, styles(_INPUT))
    sheet.data_validation(cells["exemplaires"], {
        "validate": "integer", "criteria": "between", "minimum": 1, "maximum": 99,
        "error_message": "Un nombre entier de 1 à 99."})
    sheet.write_string(cells["sortie"], next(iter(layout.SORTIES)), styles(_INPUT))
    sheet.data_validation(cells["sortie"], {"validate": "list",
                                            "source": list(layout.SORTIES)})
    sheet.data_validation(cells["dossier"], {
        "validate": "any", "input_message": "Dossier des fichiers produits. "
                                            "Vide : le dossier par défaut de Paramètres."})


def write_table_template(sheet: Worksheet, styles: Styles) -> None:
    """The table header, and the first row's formats that the add-in copies to each row.

    Checkbox cells also carry CHECKBOX_FORMAT: the marker by which a headless save
    finds the checkbox styles that openpyxl drops, and VRAI/FAUX where cell
    checkboxes are unknown.
    """
    header_row, first_row = layout.TABLE_HEADER_ROW - 1, layout.TABLE_FIRST_ROW - 1
    for col, (header, _) in enumerate(layout.TABLE_COLUMNS):
        sheet.write_string(header_row, col, header, styles(_HEADER))
        letter = xl_col_to_name(col)
        if letter in layout.MONEY_COLUMNS:
            sheet.write_blank(first_row, col, None, styles(_MONEY))
        elif letter in layout.CHECKBOX_COLUMNS:
            sheet.write_blank(first_row, col, None, styles(_CHECKBOX))
    sheet.set_row(header_row, 32)
    sheet.freeze_panes(first_row, 0)
