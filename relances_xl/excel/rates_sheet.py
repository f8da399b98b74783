"""`relances-xl taux`: the half-years the workbook ships, added to an existing table.

A user's `Paramètres` is theirs: a new version never rewrites it. The rows of
`rates_table.SHIPPED_RATES` the table "Taux par période" lacks (by Début) are appended
under its last row, and said; the user's own rows, values and notes stay as they are.
"""

from __future__ import annotations

from datetime import datetime, time

import xlwings as xw

from .. import layout
from ..config import RatePeriod
from ..model import Problem
from ..parametres import read_settings
from ..rules.interest import half_year_label
from ..rules.rates_table import missing_periods
from .sheets import read_block


def add_missing_rates(book: xw.Book) -> tuple[list[RatePeriod], list[Problem]]:
    """(the rows added, in date order; the problems that stopped it)."""
    block = read_block(book, layout.PARAMETRES)
    settings, problems = read_settings(block)
    blocking = [p for p in problems if p.blocking]
    if blocking:
        return [], blocking
    assert block is not None
    found = _header(block)
    if found is None:
        return [], [Problem(layout.PARAMETRES, None, layout.PARAMETRES_RATES_TITLE, None,
                            "table absente : en-tête « Début » introuvable")]
    header_row, columns = found
    missing = missing_periods(settings.taux_periodes)
    row = header_row + 1
    first = columns["debut"]
    while row < len(block) and first < len(block[row]) and block[row][first] not in (None, ""):
        row += 1
    sheet = book.sheets[layout.PARAMETRES]
    for offset, period in enumerate(missing):
        at = row + offset + 1  # 1-based sheet row
        for field, column in columns.items():
            value = getattr(period, field)
            cell = sheet.range((at, column + 1))
            cell.value = (datetime.combine(value, time()) if field == "debut"
                          else float(value))
    return missing, []


def _header(block: list[list[object]]) -> tuple[int, dict[str, int]] | None:
    """(row index, field -> column index) of the table's header row, found by "Début"."""
    wanted = {layout.normalize_header(h): f for h, f in layout.PARAMETRES_RATES_READ.items()}
    anchor = layout.normalize_header("Début")
    for index, row in enumerate(block):
        texts = [layout.normalize_header(text) for text in row or ()]
        if anchor in texts:
            start = texts.index(anchor)
            return index, {wanted[t]: c for c, t in enumerate(texts)
                           if c >= start and t in wanted}
    return None


def added_text(added: list[RatePeriod]) -> str:
    """What the command says it did."""
    if not added:
        return (f"Aucun semestre à ajouter : la table {layout.PARAMETRES_RATES_TITLE} a déjà "
                "tous les semestres fournis.")
    names = ", ".join(half_year_label(period.debut) for period in added)
    return (f"{len(added)} semestre(s) ajouté(s) à la table {layout.PARAMETRES_RATES_TITLE} "
            f"(feuille {layout.PARAMETRES}) : {names}.")
