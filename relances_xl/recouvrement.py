"""The **Dossier de recouvrement** button and `relances-xl recouvrement`: after an
unanswered mise en demeure, the recovery file of one customer in one company (the
customer of the selected table row, or the one named), then a `Suivi` line that stops
its reminders and one `Historique` line per invoice it claims.

The rules are `rules.recovery`'s, the folder `letters.recovery_file`'s; here the
workbook is read, the refusal said, the lines written.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import xlwings as xw

from . import cells, layout
from .buttons import Inputs, Outcome, events_off, read_inputs, show
from .config import Company
from .excel import records, suivi_records
from .excel.sheets import read_values
from .followup_sheet import as_row
from .letters.archive import reference
from .letters.recovery_file import make_recovery_file
from .model import HistoryEntry, Problem
from .rules.followup import FollowUp, holds
from .rules.recovery import Procedure, RecoveryRefused, build_claim, customer_named
from .texts import euros

WHAT = "Dossier de recouvrement"
DEFAULT_FOLDER = "Dossiers de recouvrement"  # beside the workbook, when none is given
PROCEDURES = {
    Procedure.PETITES_CREANCES: "procédure simplifiée de recouvrement des petites créances",
    Procedure.INJONCTION: "requête en injonction de payer",
    Procedure.REFERE_PROVISION: "requête en référé-provision",
}
NO_ROW = ("Dossier de recouvrement : sélectionnez une ligne du tableau de la feuille "
          f"{layout.RELANCES} (le client à recouvrer), puis cliquez sur le bouton.")


@events_off
def dossier_de_recouvrement(today: date | None = None, tiers: str | None = None,
                            societe: str | None = None, dossier: Path | None = None,
                            apres_echec: bool = False) -> Outcome:
    """Make the recovery file of the customer of the selected table row (or `tiers`,
    `societe`) on `today` (default: the sheet's "Échéances échues au"), into `dossier`
    (default: "Dossiers de recouvrement" beside the workbook). `apres_echec`: the
    procédure simplifiée was tried and failed, the injonction de payer follows."""
    book = xw.Book.caller()
    if tiers is None:
        tiers, societe = selected_row(book)
        if not tiers:
            outcome = Outcome(message=NO_ROW)
            outcome.problems.append(Problem(layout.RELANCES, None, None, None, NO_ROW))
            show(book, NO_ROW)
            return outcome
    inputs, problems = read_inputs(book, today)
    outcome = Outcome(problems=problems)
    if outcome.blocked:
        outcome.message = f"{WHAT} impossible : le classeur a des problèmes bloquants."
        show(book, outcome.message)
        return outcome
    on = today or inputs.filters.date
    try:
        customer = customer_named(inputs.ledger.customers, tiers)
        societe = societe or _only_company(inputs, customer.tiers)
        hold = holds(inputs.followups, inputs.ledger.payments, on).get(societe, {}).get(
            customer.tiers)
        disputed = frozenset(hold.disputed) if hold is not None else frozenset()
        claim = build_claim(inputs.ledger, inputs.settings, customer, societe, on,
                            apres_echec, disputed)
    except RecoveryRefused as refused:
        return _refuse(book, outcome, str(refused))
    company = next((c for c in inputs.settings.companies if c.societe == societe),
                   Company(societe))
    workbook_dir = Path(book.fullname).resolve().parent
    parent = Path(dossier) if dossier else workbook_dir / DEFAULT_FOLDER
    made = make_recovery_file(claim, inputs.ledger, inputs.settings, customer, company,
                              inputs.followups, workbook_dir, parent)
    suivi_records.append_followup(book, as_row(FollowUp(
        on, customer.tiers, societe, "", layout.SUIVI_DOSSIER,
        commentaire=f"{PROCEDURES[claim.procedure]} : {made.archive.name}")))
    decompte = reference(made.folder / "01_decompte.pdf", workbook_dir)
    records.append_history(book, [
        HistoryEntry(on, societe, customer.tiers, line.piece, 0, layout.SUIVI_DOSSIER,
                     decompte) for line in claim.lines])
    outcome.files = [made.folder, made.archive, *made.files]
    missing = sum(1 for exhibit in made.exhibits if exhibit.manque)
    outcome.message = (
        f"{WHAT} {customer.tiers} / {societe} au {on:%d/%m/%Y} : {euros(claim.total)} "
        f"({len(claim.lines)} facture(s)), {PROCEDURES[claim.procedure]} ; "
        f"{len(made.exhibits)} pièce(s) dont {missing} à joindre ; "
        f"prescription au plus tôt le {claim.prescription:%d/%m/%Y} ; {made.archive}")
    outcome.problems += [Problem(WHAT, None, None, None, note, blocking=False)
                         for note in made.notes]
    show(book, outcome.message)
    return outcome


def _refuse(book: xw.Book, outcome: Outcome, why: str) -> Outcome:
    outcome.problems.append(Problem(WHAT, None, None, None, why))
    outcome.message = f"{WHAT} non établi : {why}"
    show(book, outcome.message)
    return outcome


def _only_company(inputs: Inputs, tiers: str) -> str:
    """The customer's one company in `Factures`; refused when it has several."""
    companies = sorted({i.societe for i in inputs.ledger.invoices if i.tiers == tiers})
    if len(companies) == 1:
        return companies[0]
    raise RecoveryRefused(
        f"{tiers} : client présent dans plusieurs sociétés ({', '.join(companies)}) : "
        "préciser la société." if companies else f"{tiers} : aucune facture.")


def selected_row(book: xw.Book) -> tuple[str, str]:
    """(code tiers, société) of the table row holding Excel's selection; ("", "") when
    the selection is not on a row of the Relances table (or there is none, headless)."""
    selection = book.app.selection
    if selection is None:
        return "", ""
    try:
        sheet, row = selection.sheet.name, selection.row
    except (AttributeError, TypeError):
        return "", ""
    if sheet != layout.RELANCES or row < layout.TABLE_FIRST_ROW:
        return "", ""
    relances = book.sheets[layout.RELANCES]
    first, last = layout.table_letter("tiers"), layout.TABLE_LAST_COLUMN
    values = read_values(relances.range(f"{first}{row}:{last}{row}"))[0]
    fields = layout.TABLE_FIELDS[layout.TABLE_FIELDS.index("tiers"):]
    found = dict(zip(fields, values, strict=False))
    return _code(found.get("tiers")), _code(found.get("societe"))


def _code(value: object) -> str:
    """A code as the ledger reads it (`cells.parse_text`: 42.0 -> "42"); "" for an
    error cell."""
    return cells.parse_text(value)[0] or ""

