"""The functions behind the buttons of the `Relances` sheet.

Each is what the VBA `RunPython "import relances_xl.addin as a; a.appliquer()"`
calls: it takes the workbook from `xw.Book.caller()`, so the same function runs
from Excel, from the command line (headless engine + mock caller) and in tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import xlwings as xw

from .engine import compute_reminders, euros
from .excel import layout, sheets
from .ledger import read_ledger
from .model import ZERO, Problem, ReminderRow
from .parametres import read_filters, read_settings


@dataclass
class Outcome:
    """What an action did, for the command line to print and tests to check."""

    rows: list[ReminderRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    message: str = ""

    @property
    def blocked(self) -> bool:
        return any(p.blocking for p in self.problems)


def appliquer(today: date | None = None) -> Outcome:
    """Appliquer: read the ledger and the filters, fill the table, list problems.

    With any blocking problem the table is left as it was: a half-right table of
    money to chase is worse than none, and Contrôles says what to fix.
    """
    book = xw.Book.caller()
    relances = book.sheets[layout.RELANCES]
    book.app.status_bar = "Relances : lecture du grand livre…"
    blocks = sheets.read_ledger_blocks(book)
    ledger, problems = read_ledger(blocks)
    settings, found = read_settings(blocks[layout.PARAMETRES])
    problems += found
    filters, found = read_filters(sheets.read_top(relances), today or date.today())
    problems += found
    outcome = Outcome(problems=problems)
    if not outcome.blocked:
        outcome.rows, found = compute_reminders(ledger, settings, filters)
        outcome.problems += found
    sheets.write_controls(book, outcome.problems)
    if outcome.blocked:
        count = sum(p.blocking for p in outcome.problems)
        outcome.message = (f"Appliquer impossible : {count} problème(s) bloquant(s) dans le "
                           f"grand livre, voir la feuille {layout.CONTROLES}.")
        sheets.write_message(relances, outcome.message)
        book.app.status_bar = False
        book.app.alert(_alert_text(outcome), title="Relances clients", buttons="ok",
                       mode="critical")
        return outcome
    sheets.write_table(relances, outcome.rows)
    sheets.write_lists(book, ledger)
    outcome.message = _summary(outcome.rows, filters.date)
    sheets.write_message(relances, outcome.message)
    book.app.status_bar = False
    return outcome


def _summary(rows: list[ReminderRow], on: date) -> str:
    ticked = [r for r in rows if r.a_relancer]
    total = sum((r.encours_relance for r in ticked), start=ZERO)
    return (f"Échéances échues au {on:%d/%m/%Y} : {len(rows)} ligne(s), {len(ticked)} à "
            f"relancer pour {euros(total)}.")


def _alert_text(outcome: Outcome, limit: int = 15) -> str:
    blocking = [str(p) for p in outcome.problems if p.blocking]
    shown = "\n".join(blocking[:limit])
    more = f"\n… et {len(blocking) - limit} autre(s)" if len(blocking) > limit else ""
    return f"{outcome.message}\n\n{shown}{more}"


def _not_yet(action: str) -> None:
    """Buttons whose work comes in a later version say so plainly instead of failing."""
    book = xw.Book.caller()
    book.app.alert(f"« {action} » n'est pas encore disponible dans cette version.",
                   title="Relances clients", buttons="ok", mode="info")


def imprimer_proposition() -> None:
    _not_yet("Imprimer la proposition")


def imprimer_lettres() -> None:
    _not_yet("Imprimer toutes les lettres")


def sauver_proposition() -> None:
    _not_yet("Sauver la proposition")
