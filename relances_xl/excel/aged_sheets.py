"""The **Balance âgée** button's writes: the aged balance and the dashboard's blocks.

Through xlwings' API in bulk, as every other sheet: one block per table, the money and
rate formats set on the written ranges. The dashboard's charts are the builder's; they
read the blocks written here, so nothing is drawn from Python.
"""

from __future__ import annotations

from decimal import Decimal

import xlwings as xw

from .. import layout
from ..model import DEFAULT_CURRENCY, Filters
from ..rules.aging import BUCKET_KEYS, AgedRow, bucket_labels, totals, totals_by_currency
from ..rules.dashboard import Dso, LevelEffect, Overdue
from ..rules.followup import PromiseFigures
from ..texts import money_format
from .dashboard_sheets import block_range
from .text_cells import as_text, text_block

TOTAL_ROW_LABEL = "Total"


def filters_text(filters: Filters) -> str:
    """"au 30/06/2024 ; Société : A ; Famille(s) client(s) : GROS": what the sheet covers."""
    parts = [f"au {filters.date:%d/%m/%Y}"]
    for key, (_, _, label, _) in layout.FILTERS.items():
        codes = sorted(getattr(filters, key))
        if codes:
            parts.append(f"{label} : {'; '.join(codes)}")
    return " ; ".join(parts)


def dashboard_subtitle(filters: Filters) -> str:
    """The dashboard's second line, which also tells the figures' date and filters."""
    return f"Chiffres {filters_text(filters)}."


def write_balance_agee(sheet: xw.Sheet, rows: list[AgedRow], limits: tuple[int, int, int],
                       filters: Filters) -> None:
    """The header with the buckets of Paramètres, one row per customer, company and
    currency, then a total row per currency (amounts of two currencies are never added);
    the previous rows go."""
    first = layout.AGED_FIRST_ROW
    headers = [*layout.AGED_LEADING, *bucket_labels(limits), *layout.AGED_TRAILING,
               layout.AGED_CURRENCY]
    last_column = chr(ord("A") + len(headers) - 1)
    sheet.range(layout.AGED_SUBTITLE_CELL).value = as_text(
        f"Balance âgée {filters_text(filters)} : {len(rows)} ligne(s).")
    sheet.range((layout.AGED_HEADER_ROW, 1)).value = [headers]
    used_last = max(sheet.used_range.last_cell.row, first)
    sheet.range(f"A{first}:{last_column}{used_last}").clear_contents()
    block = [[r.tiers, r.nom, r.societe, *map(float, r.buckets), float(r.non_impute),
              float(r.total), "Oui" if r.litige else None, r.devise] for r in rows]
    devises = [r.devise for r in rows]
    for devise, (buckets, non_impute, total) in (totals_by_currency(rows)
                                                  or {DEFAULT_CURRENCY: totals([])}).items():
        block.append([TOTAL_ROW_LABEL, None, None, *map(float, buckets), float(non_impute),
                      float(total), None, devise])
        devises.append(devise)
    end = first + len(block) - 1
    sheet.range(f"A{first}:C{end}").number_format = "@"
    sheet.range(f"D{first}:J{end}").number_format = layout.MONEY_FORMAT
    for offset, devise in enumerate(devises):  # a row in dollars shows "$US"
        if devise != DEFAULT_CURRENCY:
            number = first + offset
            sheet.range(f"D{number}:J{number}").number_format = money_format(devise)
    sheet.range(f"A{first}").options(ndim=2).value = text_block(block)


def write_dashboard(sheet: xw.Sheet, aged_by_company: list[list[object]], top: list[Overdue],
                    dso: list[Dso], effects: list[LevelEffect], filters: Filters,
                    limits: tuple[int, int, int], euros_note: str = "") -> None:
    """The four blocks, each cut to its size (the charts read fixed ranges); under the
    subtitle, `euros_note`: how other currencies became the euros shown."""
    sheet.range(layout.DASHBOARD_SUBTITLE_CELL).value = as_text(dashboard_subtitle(filters))
    sheet.range(layout.DASHBOARD_EUROS_NOTE_CELL).value = as_text(euros_note) or None
    aged_headers = ["Société", *bucket_labels(limits), "Non imputé", "Total"]
    sheet.range((layout.DASHBOARD_BLOCKS["aged"][1], 1)).value = [aged_headers]
    _fill(sheet, "aged", aged_by_company, layout.MONEY_FORMAT, "B:H")
    _fill(sheet, "top", [[o.tiers, o.nom, float(o.echu)] for o in top], layout.MONEY_FORMAT,
          "C:C")
    _fill(sheet, "dso", [[d.societe, float(d.encours), float(d.ventes),
                          None if d.jours is None else float(d.jours)] for d in dso],
          layout.MONEY_FORMAT, "B:C")
    _fill(sheet, "effect", [_effect_cells(e) for e in effects], layout.MONEY_FORMAT,
          "B:C", "E:F")
    first, count = layout.DASHBOARD_BLOCKS["effect"][2], layout.DASHBOARD_BLOCKS["effect"][3]
    for column in ("D", "G"):
        sheet.range(f"{column}{first}:{column}{first + count - 1}").number_format = (
            layout.PERCENT_FORMAT)
    first, count = layout.DASHBOARD_BLOCKS["dso"][2], layout.DASHBOARD_BLOCKS["dso"][3]
    sheet.range(f"D{first}:D{first + count - 1}").number_format = layout.DAYS_FORMAT


def write_promises(sheet: xw.Sheet, figures: PromiseFigures) -> None:
    """The promises' block: the amounts promised per week ahead, the share kept."""
    _fill(sheet, "promises", [[monday, float(amount)] for monday, amount in figures.weeks],
          layout.MONEY_FORMAT, "B:B")
    first, count = layout.DASHBOARD_BLOCKS["promises"][2], layout.DASHBOARD_BLOCKS["promises"][3]
    sheet.range(f"A{first}:A{first + count - 1}").number_format = layout.DATE_FORMAT
    share = figures.part_tenue
    cell = sheet.range(layout.DASHBOARD_KEPT_CELLS[1])
    cell.value = (None if share is None else float(share))
    cell.number_format = layout.PERCENT_FORMAT


def _fill(sheet: xw.Sheet, key: str, cells: list[list[object]], money_format: str,
          *money_columns: str) -> None:
    _, _, first, count, headers = layout.DASHBOARD_BLOCKS[key]
    target = sheet.range(block_range(key))
    target.clear_contents()
    for columns in money_columns:
        start, end = columns.split(":")
        sheet.range(f"{start}{first}:{end}{first + count - 1}").number_format = money_format
    shown = cells[:count]
    if shown:
        padded = [row + [None] * (len(headers) - len(row)) for row in shown]
        sheet.range(f"A{first}").options(ndim=2).value = text_block(padded)


def _effect_cells(effect: LevelEffect) -> list[object]:
    cells: list[object] = [effect.niveau]
    for index, window in enumerate((15, 30)):
        share = effect.taux(window)
        cells += [float(effect.relance[index]), float(effect.paye[index]),
                  None if share is None else float(share)]
    return cells


def aged_by_company(rows: list[AgedRow]) -> list[list[object]]:
    """The aged balance summed per company: the stacked bars' rows."""
    companies: dict[str, list[Decimal]] = {}
    for row in rows:
        sums = companies.setdefault(row.societe, [Decimal(0)] * 7)
        for index, amount in enumerate((*row.buckets, row.non_impute, row.total)):
            sums[index] += amount
    return [[societe, *map(float, sums)] for societe, sums in sorted(companies.items())]


def as_json(rows: list[AgedRow]) -> list[dict[str, object]]:
    """The --json output: the keys the README names, amounts as "1234.50"."""
    return [{"tiers": r.tiers, "nom": r.nom, "societe": r.societe,
             **{k: f"{v:.2f}" for k, v in zip(BUCKET_KEYS, r.buckets, strict=True)},
             "non_impute": f"{r.non_impute:.2f}", "total": f"{r.total:.2f}",
             "devise": r.devise} for r in rows]

