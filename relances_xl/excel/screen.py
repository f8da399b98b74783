"""The `Relances` sheet: the guide's screen, written by the builder.

Filters with their drop-downs, the print options of "Choix des paramètres", the
buttons, the message line and the table header whose first row is the format
template the add-in copies to every row it writes.
"""

from __future__ import annotations

from datetime import date

from xlsxwriter.worksheet import Worksheet

from .. import layout
from ..config import Sortie
from . import vba_project as vba
from .styles import CHECKBOX, DATE, HEADER, INPUT, MONEY, NOTE, SECTION, TEXT, Styles

TITLE = "Relances clients"
WARNING = "ATTENTION : Les relances prennent en compte uniquement les factures comptabilisées."
FILTERS_TITLE = "Filtres"
OPTIONS_TITLE = "Choix des paramètres"
FIRST_MESSAGE = "Renseignez les filtres puis cliquez sur « Appliquer »."
# filter key -> (what several of them are called, agreeing words, an example of two),
# for the input message each filter cell shows when selected
FILTER_HINTS: dict[str, tuple[str, str, str, str]] = {
    "clients": ("codes clients", "séparés", "tous", "1FRNEG; 2FRPAR"),
    "familles": ("familles", "séparées", "toutes", "NEGOCE; CHR"),
    "representants": ("représentants", "séparés", "tous", "REP01; REP02"),
    "modes": ("modes de règlement", "séparés", "tous", "VIR; CHQ"),
    "societes": ("sociétés", "séparées", "toutes", "VIGNE; ZNEG"),
}


def filter_hint(key: str) -> str:
    """"Famille(s) client(s) : NEGOCE; CHR…": the input message of one filter cell."""
    label = layout.FILTERS[key][2]
    kind, separated, every, example = FILTER_HINTS[key]
    return (f"{label} : {example}. Choisissez dans la liste, ou tapez plusieurs {kind} "
            f"{separated} par « ; ». Vide : {every}.")


def write_relances(sheet: Worksheet, styles: Styles) -> None:
    """The guide's screen: filters, print options, buttons, message, table header."""
    sheet.write_string(layout.TITLE_CELL, TITLE, styles({"bold": True, "font_size": 16}))
    sheet.write_string(layout.WARNING_CELL, WARNING, styles({"bold": True,
                                                             "font_color": "#C00000"}))
    write_filters(sheet, styles)
    write_options(sheet, styles)
    vba.insert_buttons(sheet)
    sheet.write_string(layout.MESSAGE_CELL, FIRST_MESSAGE,
                       styles(NOTE))
    write_table_template(sheet, styles)
    for col, width in enumerate((24, 22, 16, 32, 16, 12, 17, 15, 40, 40)):  # G:H: buttons
        sheet.set_column(col, col, width)
    set_print(sheet)


def set_print(sheet: Worksheet) -> None:
    """A4 landscape, all columns on one page wide, the table's header on every page."""
    sheet.set_paper(9)  # A4
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)  # one page wide, as many pages high as the table needs
    sheet.repeat_rows(layout.TABLE_HEADER_ROW - 1)
    sheet.center_horizontally()
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer("&L&A&RPage &P / &N")


def write_filters(sheet: Worksheet, styles: Styles) -> None:
    """Filter cells: a drop-down fed by `Listes`, but free text allowed (several codes)."""
    sheet.write_string(layout.FILTERS_TITLE_CELL, FILTERS_TITLE, styles(SECTION))
    for key, (label_cell, value_cell, label, list_name) in layout.FILTERS.items():
        sheet.write_string(label_cell, label)
        sheet.write_blank(value_cell, None, styles(INPUT, TEXT))
        if list_name:
            sheet.data_validation(value_cell, {
                "validate": "list", "source": f"={list_name}", "show_error": False,
                "input_title": label[:32], "input_message": filter_hint(key),
            })
    sheet.write_string(layout.DATE_LABEL_CELL, layout.DATE_LABEL)
    sheet.write_blank(layout.DATE_CELL, None, styles(INPUT, DATE))
    sheet.data_validation(layout.DATE_CELL, {
        "validate": "date", "criteria": "between", "minimum": date(2000, 1, 1),
        "maximum": date(2099, 12, 31), "input_title": layout.DATE_LABEL[:32],
        "input_message": "Une date (jj/mm/aaaa). Vide : aujourd'hui.",
        "error_message": "Tapez une date, par exemple 27/07/2022.",
    })
    sheet.write_string(layout.LETTERS_DATE_LABEL_CELL, layout.LETTERS_DATE_LABEL)
    sheet.write_blank(layout.LETTERS_DATE_CELL, None, styles(INPUT, DATE))
    sheet.data_validation(layout.LETTERS_DATE_CELL, {
        "validate": "date", "criteria": "between", "minimum": date(2000, 1, 1),
        "maximum": date(2099, 12, 31), "input_title": layout.LETTERS_DATE_LABEL[:32],
        "input_message": "La date que portent les lettres (jj/mm/aaaa), au plus tôt celle "
                         "des échéances : intérêts et délai de la mise en demeure en partent. "
                         "Vide : la date des échéances.",
        "error_message": "Tapez une date, par exemple 01/08/2022.",
    })


def write_options(sheet: Worksheet, styles: Styles) -> None:
    """Print options of the guide's "Choix des paramètres" window, with their defaults."""
    sheet.write_string(layout.OPTIONS_TITLE_CELL, OPTIONS_TITLE, styles(SECTION))
    for label_cell, value_cell, label in layout.OPTIONS.values():
        sheet.write_string(label_cell, label)
        sheet.write_blank(value_cell, None, styles(INPUT))
    cells = {key: value_cell for key, (_, value_cell, _) in layout.OPTIONS.items()}
    sheet.insert_checkbox(cells["defaut"], True, styles(CHECKBOX, INPUT))
    sheet.data_validation(cells["forme"], {
        "validate": "list", "source": list(layout.FORMES), "error_type": "warning",
        "input_message": "Vide : la forme du niveau de relance."})
    sheet.write_number(cells["exemplaires"], 1, styles(INPUT))
    sheet.data_validation(cells["exemplaires"], {
        "validate": "integer", "criteria": "between", "minimum": 1, "maximum": 99,
        "error_message": "Un nombre entier de 1 à 99."})
    sheet.write_string(cells["sortie"], layout.SORTIE_LABELS[Sortie.PDF], styles(INPUT))
    sheet.data_validation(cells["sortie"], {"validate": "list",
                                            "source": list(layout.SORTIE_LABELS.values())})
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
    formats = {"money": MONEY, "checkbox": CHECKBOX, "code": TEXT}
    for col, column in enumerate(layout.TABLE_COLUMNS):
        sheet.write_string(header_row, col, column.header, styles(HEADER))
        if column.kind in formats:
            sheet.write_blank(first_row, col, None, styles(formats[column.kind]))
    sheet.set_row(header_row, 32)
    sheet.freeze_panes(first_row, 0)
