"""The `Balance âgée` and `Tableau de bord` sheets as the builder writes them.

The builder writes the headers, the formats and, on the dashboard, native Excel charts
(XlsxWriter) that read fixed blocks of cells; the **Balance âgée** button fills those
cells (`excel/aged_sheets.py`), so the charts redraw in Excel, or in LibreOffice, with
no Python drawing anything.
"""

from __future__ import annotations

from xlsxwriter.utility import quote_sheetname, xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .. import layout
from ..rules.aging import DEFAULT_LIMITS, bucket_labels
from ..rules.dashboard import DSO_FORMULA
from ..texts import money_format
from .styles import HEADER, MONEY, NOTE, SECTION, Styles

AGED_TITLE = "Balance âgée"
DASHBOARD_TITLE = "Tableau de bord des relances"
FIRST_MESSAGE = "Cliquez sur « Balance âgée » dans la feuille Relances pour remplir cette feuille."
BLOCK_TITLES = {
    "aged": "Balance âgée par société",
    "top": "Les dix plus gros retards",
    "dso": "Délai moyen de paiement (DSO) par société",
    "effect": "Efficacité des relances : part des montants relancés payée après la lettre",
    "promises": "Promesses de règlement (feuille Suivi) : montants promis par semaine",
}


def write_balance_agee(sheet: Worksheet, styles: Styles) -> None:
    """Title, the line the refresh fills with the date and filters, the header."""
    sheet.write_string(layout.AGED_TITLE_CELL, AGED_TITLE, styles({"bold": True,
                                                                   "font_size": 16}))
    sheet.write_string(layout.AGED_SUBTITLE_CELL, FIRST_MESSAGE, styles(NOTE))
    headers = (*layout.AGED_LEADING, *bucket_labels(DEFAULT_LIMITS), *layout.AGED_TRAILING)
    for col, header in enumerate(headers):
        sheet.write_string(layout.AGED_HEADER_ROW - 1, col, header, styles(HEADER))
    sheet.set_row(layout.AGED_HEADER_ROW - 1, 32)
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 32)
    sheet.set_column(2, 2, 12)
    sheet.set_column(3, 9, 15, styles(MONEY))
    sheet.set_column(10, 10, 8)
    sheet.freeze_panes(layout.AGED_FIRST_ROW - 1, 3)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(layout.AGED_HEADER_ROW - 1)


def write_tableau_de_bord(book: Workbook, sheet: Worksheet, styles: Styles) -> None:
    """The four blocks' titles and headers, the DSO formula, and one chart per block."""
    sheet.write_string(layout.DASHBOARD_TITLE_CELL, DASHBOARD_TITLE,
                       styles({"bold": True, "font_size": 16}))
    sheet.write_string(layout.DASHBOARD_SUBTITLE_CELL, FIRST_MESSAGE, styles(NOTE))
    for key, (title_cell, header_row, _, _, headers) in layout.DASHBOARD_BLOCKS.items():
        sheet.write_string(title_cell, BLOCK_TITLES[key], styles(SECTION))
        for col, header in enumerate(headers):
            sheet.write_string(header_row - 1, col, header, styles(HEADER))
        sheet.set_row(header_row - 1, 30)
    sheet.write_string(layout.DASHBOARD_DSO_NOTE_CELL, DSO_FORMULA, styles(NOTE))
    sheet.write_string(layout.DASHBOARD_KEPT_CELLS[0], "Part des promesses tenues",
                       styles(HEADER))
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 7, 15)
    anchors = {"aged": "J4", "top": "J18", "dso": "J32", "effect": "J46"}
    for key, chart in _charts(book).items():
        sheet.insert_chart(anchors[key], chart, {"x_scale": 1.3, "y_scale": 0.95})
    sheet.set_landscape()
    sheet.fit_to_pages(1, 1)


def _ref(column: int, key: str) -> list[object]:
    """[sheet, first row, column, last row, column] of a block's column (0-based)."""
    _, _, first, count, _ = layout.DASHBOARD_BLOCKS[key]
    return [layout.TABLEAU_DE_BORD, first - 1, column, first + count - 2, column]


def _header(column: int, key: str) -> str:
    header_row = layout.DASHBOARD_BLOCKS[key][1]
    return (f"={quote_sheetname(layout.TABLEAU_DE_BORD)}!"
            f"{xl_rowcol_to_cell(header_row - 1, column, True, True)}")


def _charts(book: Workbook) -> dict[str, object]:
    aged = book.add_chart({"type": "bar", "subtype": "stacked"})
    for column in range(1, 7):  # the five buckets and Non imputé (negative: leftwards)
        aged.add_series({"name": _header(column, "aged"), "categories": _ref(0, "aged"),
                         "values": _ref(column, "aged")})
    aged.set_title({"name": BLOCK_TITLES["aged"]})
    aged.set_y_axis({"reverse": True})
    aged.set_x_axis({"num_format": money_format(cents=False)})
    top = book.add_chart({"type": "bar"})
    top.add_series({"name": _header(2, "top"), "categories": _ref(1, "top"),
                    "values": _ref(2, "top"), "fill": {"color": "#C00000"}})
    top.set_title({"name": BLOCK_TITLES["top"]})
    top.set_y_axis({"reverse": True})
    top.set_legend({"none": True})
    dso = book.add_chart({"type": "column"})
    dso.add_series({"name": _header(3, "dso"), "categories": _ref(0, "dso"),
                    "values": _ref(3, "dso")})
    dso.set_title({"name": "DSO (jours) par société"})
    dso.set_legend({"none": True})
    effect = book.add_chart({"type": "column"})
    for column in (3, 6):
        effect.add_series({"name": _header(column, "effect"), "categories": _ref(0, "effect"),
                           "values": _ref(column, "effect")})
    effect.set_title({"name": "Part payée après une lettre, par niveau"})
    effect.set_y_axis({"num_format": "0%", "max": 1})
    for chart in (aged, top, dso, effect):
        chart.show_blanks_as("gap")
    return {"aged": aged, "top": top, "dso": dso, "effect": effect}


def block_range(key: str) -> str:
    """"A6:H15": the cells of a block the refresh fills."""
    _, _, first, count, headers = layout.DASHBOARD_BLOCKS[key]
    return f"A{first}:{xl_col_to_name(len(headers) - 1)}{first + count - 1}"
