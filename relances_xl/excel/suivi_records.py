"""Writes of issue 26: a line added to `Suivi`, and the `Fiche client` sheet filled.

Through xlwings' public API, so the same calls run in Excel and headless.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import xlwings as xw

from .. import layout
from ..letters.call_list import Call
from ..rules.timeline import Event
from .sheets import add_header, read_block, sheet_or_none


def append_followup(book: xw.Book, values: Sequence[object]) -> int:
    """Write one line (`layout.SUIVI_COLUMNS` order) under the last row holding anything,
    in the sheet's own column order; the Excel table grows to take it. A column the
    sheet lacks (made before "N° recommandé") gets its header right of the others when
    the line fills it. Returns its row."""
    sheet = sheet_or_none(book, layout.SUIVI)
    if sheet is None:  # a workbook made before the sheet: it is added with its headers
        sheet = book.sheets.add(layout.SUIVI, after=book.sheets[len(book.sheets) - 1])
        sheet.range("A1").options(ndim=2).value = [list(layout.SUIVI_COLUMNS)]
    block = read_block(book, layout.SUIVI) or [[]]
    wanted = {layout.normalize_header(h): n for n, h in enumerate(layout.SUIVI_COLUMNS)}
    places = {wanted[k]: i for i, text in enumerate(block[0])
              if (k := layout.normalize_header(text)) in wanted}
    header = list(block[0])
    for source, name in enumerate(layout.SUIVI_COLUMNS):  # an older sheet lacks a column
        if source not in places and values[source] not in (None, ""):
            places[source] = add_header(sheet, header, name)
    width = max(len(header), 1)
    row: list[object] = [None] * width
    for source, index in places.items():
        value = values[source]
        row[index] = float(value) if isinstance(value, Decimal) else value
    end = len(block)
    while end > 1 and all(v in (None, "") for v in block[end - 1]):
        end -= 1
    sheet.range((end + 1, 1)).options(ndim=2).value = [row]
    _grow_table(sheet, end + 1)
    return end + 1


def _grow_table(sheet: xw.Sheet, last_row: int) -> None:
    name = layout.TABLE_NAMES[layout.SUIVI].lower()
    for table in sheet.tables:
        if table.name.lower() == name:
            whole = table.range
            bottom = max(last_row, whole.row + whole.shape[0] - 1)
            right = whole.column + whole.shape[1] - 1
            table.resize(sheet.range((whole.row, whole.column), (bottom, right)))


def fiche_request(book: xw.Book) -> tuple[str, str]:
    """(code tiers, société) typed in the `Fiche client` sheet; empty when absent."""
    sheet = sheet_or_none(book, layout.FICHE_CLIENT)
    if sheet is None:
        return "", ""
    found = []
    for key in ("tiers", "societe"):
        value = sheet.range(layout.FICHE_CELLS[key][1]).value
        found.append("" if value is None else str(value).strip().removesuffix(".0"))
    return found[0], found[1]


def write_fiche(book: xw.Book, tiers: str, societe: str, events: list[Event],
                message: str) -> None:
    """The sheet (made when absent): the customer's cells, a message, the story."""
    sheet = sheet_or_none(book, layout.FICHE_CLIENT)
    if sheet is None:
        sheet = book.sheets.add(layout.FICHE_CLIENT, after=book.sheets[len(book.sheets) - 1])
    sheet.used_range.clear_contents()
    for key, value in (("tiers", tiers), ("societe", societe)):
        label_cell, value_cell, label = layout.FICHE_CELLS[key]
        sheet.range(label_cell).value = label
        sheet.range(value_cell).value = value
    sheet.range(layout.FICHE_MESSAGE_CELL).value = message
    block: list[list[object]] = [list(layout.FICHE_COLUMNS)]
    for event in events:
        montant = None if event.montant is None else float(event.montant)
        block.append([event.date, event.societe, event.kind, event.piece, montant, event.text,
                      event.state])
    sheet.range((layout.FICHE_HEADER_ROW, 1)).options(ndim=2).value = block


def write_calls(book: xw.Book, found: list[Call], on: date) -> None:
    """The `Appels` sheet (made when absent): the call list of the last `lettres`."""
    sheet = sheet_or_none(book, layout.APPELS)
    if sheet is None:
        sheet = book.sheets.add(layout.APPELS, after=book.sheets[len(book.sheets) - 1])
    sheet.used_range.clear_contents()
    block: list[list[object]] = [[f"Appels de relance du {on:%d/%m/%Y}"],
                                 list(layout.APPELS_COLUMNS)]
    for call in found:
        row = call.row
        block.append([row.tiers, row.societe, call.nom, call.telephone, call.email,
                      ", ".join(line.invoice.piece for line in row.lines),
                      float(row.a_regler), row.niveau, call.demande, None])
    width = len(layout.APPELS_COLUMNS)
    sheet.range("A1").options(ndim=2).value = [line + [None] * (width - len(line))
                                               for line in block]
