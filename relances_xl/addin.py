"""The functions behind the buttons of the `Relances` sheet.

Each is what the VBA `RunPython "import relances_xl.addin as a; a.appliquer()"`
calls: it takes the workbook from `xw.Book.caller()`, so the same function runs
from Excel, from the command line (headless engine + mock caller) and in tests.
What the buttons share is in `buttons`; Imprimer les lettres is `impression`'s, named
here too, where the workbook's macro calls it.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import xlwings as xw

from . import layout
from .buttons import (
    TITLE,
    Inputs,
    Outcome,
    events_off,
    in_excel,
    open_in_word,
    prepare_output,
    prepare_print,
    print_options,
    read_inputs,
    replay_journal,
    show,
    status_progress,
    stop,
    table_rows,
)
from .excel import sheets
from .excel.saved import (
    clear_close_choice,
    close_choice,
    read_saved,
    set_changed,
    write_saved,
)
from .followup_sheet import as_row, read_followups
from .impression import imprimer_lettres
from .long_lived import built_to_last, long_lived
from .model import Problem, ReminderRow
from .proposal import fingerprint, restore, snapshot
from .rules import dashboard
from .rules.aging import balance_agee as aged_balance
from .rules.aging import echu_net, totals_by_currency
from .rules.currencies import euros_note, in_euros
from .rules.followup import FollowUp, promise_figures
from .rules.timeline import timeline
from .texts import amounts_text, by_currency

if TYPE_CHECKING:
    from .fec.importer import ImportOutcome

__all__ = [
    "Outcome",
    "abandonner_proposition",
    "ajouter_suivi",
    "appliquer",
    "balance_agee",
    "fiche_client",
    "importer_fec",
    "imprimer_lettres",
    "imprimer_proposition",
    "releves_de_compte",
    "sauver_proposition",
]


@events_off
def appliquer(today: date | None = None) -> Outcome:
    """Appliquer: read the ledger and the filters, fill the table, list problems.

    With any blocking problem the table is left as it was: a half-right table of
    money to chase is worse than none, and Contrôles says what to fix. The answer
    given to the close prompt last time, if any, is acted on first.
    """
    book = xw.Book.caller()
    relances = book.sheets[layout.RELANCES]
    _act_on_close_choice(book, today)
    replay_journal(book)
    with long_lived():  # the ledger, once read
        inputs, problems = read_inputs(book, today)
        return _apply(book, relances, inputs, problems)


def _act_on_close_choice(book: xw.Book, today: date | None) -> None:
    """Keep or drop the proposal as the user answered when closing the workbook (the
    workbook's VBA wrote the answer: Python could not act while Excel closed it)."""
    choice = close_choice(book)
    if choice == layout.CLOSE_SAVE:
        sauver_proposition.__wrapped__(today)
    elif choice == layout.CLOSE_DROP:
        write_saved(book, None)
    if choice is not None:
        clear_close_choice(book)


def _apply(book: xw.Book, relances: xw.Sheet, inputs: Inputs, problems: list[Problem]
           ) -> Outcome:
    """The table computed and written, or, with a blocking problem, only Contrôles."""
    outcome = Outcome(problems=problems)
    if not outcome.blocked:
        outcome.rows, found = table_rows(inputs)
        outcome.problems += found
    sheets.write_controls(book, outcome.problems)
    if outcome.blocked:
        return stop(book, outcome, "Appliquer impossible")
    with built_to_last():  # the cells written, until the save
        restored_text = _restore_saved(book, outcome, inputs.filters.date)
        sheets.write_table(relances, outcome.rows)
        sheets.write_lists(book, inputs.ledger,
                           {c.societe: c.raison_sociale for c in inputs.settings.companies})
    imputed = (f"{inputs.imputed} règlement(s) ou avoir(s) non lettré(s) imputé(s) sur les "
               "plus anciennes factures." if inputs.imputed else "")
    outcome.message = " ".join(filter(None, [_summary(outcome.rows, inputs.filters.date),
                                             imputed, _missing_rates(outcome.rows),
                                             restored_text]))
    show(book, outcome.message)
    return outcome


def _missing_rates(rows: list[ReminderRow]) -> str:
    """"Taux absents : 1er semestre 2027 (…)": the half-years whose rate stops letters."""
    missing = sorted({row.taux_manquant for row in rows if row.taux_manquant})
    if not missing:
        return ""
    return (f"Taux absent(s) : {', '.join(missing)} ; ajoutez-les dans la feuille "
            f"{layout.PARAMETRES}, table {layout.PARAMETRES_RATES_TITLE} (relances-xl taux), "
            "puis Appliquer : les lettres qui réclament des intérêts sur ces jours attendent.")


def _restore_saved(book: xw.Book, outcome: Outcome, on: date) -> str:
    """Put a saved proposal's choices back on the fresh rows; set the close prompt's flag.

    A saved proposal that cannot be read is reported (as a warning) and left aside:
    it must not stop the user from working.
    """
    saved, found, saved_fingerprint = read_saved(book)
    outcome.problems += [replace(p, blocking=False) for p in found]
    text = ""
    if saved is not None:
        outcome.rows, restored = restore(outcome.rows, saved, on)
        text = restored.message()
    set_changed(book, fingerprint(outcome.rows, on) != saved_fingerprint
                if saved else bool(outcome.rows))
    return text


def _summary(rows: list[ReminderRow], on: date) -> str:
    ticked = [r for r in rows if r.a_relancer]
    # what the letters ask, agios aside, per currency
    total = amounts_text(by_currency((r.devise, r.a_regler) for r in ticked))
    return (f"Échéances échues au {on:%d/%m/%Y} : {len(rows)} ligne(s), {len(ticked)} à "
            f"relancer pour {total}.")


@events_off
def imprimer_proposition(today: date | None = None) -> Outcome:
    """The proposal (invoices to remind per ticked customer) to an output; records nothing."""
    from .excel.dashboard_pdf import DashboardPage, dashboard_page
    from .letters import envelope, run
    book = xw.Book.caller()
    outcome, inputs, options = prepare_output(book, today,
                                              "Impression de la proposition impossible")
    if inputs is None or options is None:
        return outcome
    ticked = [row for row in outcome.rows if row.a_relancer]
    with tempfile.TemporaryDirectory(prefix="relances-tableau-") as work:
        page = (dashboard_page(book, inputs.filters, Path(work))
                if options.sortie.output.needs_pdf and options.sortie.output.proposal
                else DashboardPage(""))
        try:
            outcome.files = run.print_proposal(outcome.rows, inputs.ledger, inputs.settings,
                                               inputs.filters.date, options,
                                               progress=status_progress(book),
                                               filters=inputs.filters, appendix=page.pdf,
                                               followups=list(inputs.followups))
        finally:
            page.pdf()  # LibreOffice done before its folder goes
    customers = {c.tiers: c for c in inputs.ledger.customers}
    missing = envelope.copy_notes(ticked, [customers[r.tiers] for r in ticked],
                                  inputs.settings)
    outcome.message = (f"Proposition de relance ({len(ticked)} client(s)) vers "
                       f"« {layout.SORTIE_LABELS.get(options.sortie, options.sortie)} » : "
                       f"{outcome.files[0]}" + (f". {page.note}" if page.note else "")
                       + "".join(f"\n{note}" for note in missing))
    outcome.note = page.note
    show(book, outcome.message)
    if options.sortie.output.document == "docx" and in_excel(book):
        open_in_word(book, outcome.files[0])
    return outcome


@events_off
def sauver_proposition(today: date | None = None) -> Outcome:
    """Keep the table (choices, date, filters, invoices covered) for the next Appliquer."""
    book = xw.Book.caller()
    outcome, inputs = prepare_print(book, today, "Sauvegarde de la proposition impossible")
    if inputs is None:
        return outcome
    with built_to_last():  # the proposal and its cells, kept to the save
        saved = snapshot(outcome.rows, inputs.filters, datetime.now().replace(microsecond=0),
                         outcome.proposed)
        write_saved(book, saved)
    outcome.message = (f"Proposition sauvée le {saved.saved_at:%d/%m/%Y à %H:%M} : "
                       f"{len(saved.rows)} ligne(s), échéances échues au "
                       f"{inputs.filters.date:%d/%m/%Y}.")
    show(book, outcome.message)
    return outcome


@events_off
def abandonner_proposition() -> Outcome:
    """Drop the saved proposal: the next Appliquer starts from the rules alone."""
    book = xw.Book.caller()
    write_saved(book, None)
    outcome = Outcome(message="Proposition sauvée abandonnée : le prochain « Appliquer » "
                              "repartira des règles de relance.")
    sheets.write_message(book.sheets[layout.RELANCES], outcome.message)
    return outcome


@events_off
def importer_fec(path: str | None = None, *, societe: str | None = None,
                 delai_jours: int | None = None, journaux: tuple[str, ...] = (),
                 comptes: tuple[str, ...] | None = None, alert: bool = True
                 ) -> ImportOutcome:
    """Importer un FEC: its customer lines into Clients, Factures and Règlements.

    The button's macro passes the file picked in Excel; the company is then the one
    whose SIRET starts with the SIREN of the file's name. The command line may name
    the company, the payment term, the sales journals and the customer accounts (else
    Paramètres' "Comptes clients du FEC"; see `fec.plan`), and reports itself
    (`alert=False`).
    """
    from .fec.importer import import_fec
    from .fec.plan import DEFAULT_DELAY, FecOptions
    options = FecOptions(societe, DEFAULT_DELAY if delai_jours is None else delai_jours,
                         tuple(journaux), comptes)
    return import_fec(xw.Book.caller(), path, options, alert=alert)


@events_off
def balance_agee(today: date | None = None) -> Outcome:
    """Balance âgée: the aged balance and the dashboard, with Appliquer's filters and date.

    Like Appliquer, a ledger with a blocking problem writes nothing but Contrôles: an
    aged balance on wrong figures would mislead more than none.
    """
    from .excel import aged_sheets
    book = xw.Book.caller()
    inputs, problems = read_inputs(book, today)
    outcome = Outcome(problems=problems)
    if outcome.blocked:
        sheets.write_controls(book, outcome.problems)
        return stop(book, outcome, "Balance âgée impossible")
    on, limits = inputs.filters.date, inputs.settings.tranches_balance
    with built_to_last():  # the balance, the dashboard's figures and their cells
        outcome.aged = aged_balance(inputs.ledger, inputs.settings, inputs.filters)
        aged_sheets.write_balance_agee(book.sheets[layout.BALANCE_AGEE], outcome.aged, limits,
                                       inputs.filters)
        # the charts add customers and companies together: in euros, through Taux de change
        converted, _ = in_euros(inputs.ledger, inputs.settings)
        aged = (outcome.aged if converted is inputs.ledger
                else aged_balance(converted, inputs.settings, inputs.filters))
        aged_sheets.write_dashboard(
            book.sheets[layout.TABLEAU_DE_BORD], aged_sheets.aged_by_company(aged),
            dashboard.top_overdue(aged), dashboard.dso(aged, converted, on),
            dashboard.reminder_effect(converted, on), inputs.filters, limits,
            euros_note(inputs.ledger, inputs.settings))
        aged_sheets.write_promises(book.sheets[layout.TABLEAU_DE_BORD], promise_figures(
            inputs.followups, inputs.ledger, on, inputs.settings.jours_grace))
    # per currency, never added across
    total = amounts_text({d: t for d, (_, _, t) in totals_by_currency(outcome.aged).items()})
    echus = amounts_text(by_currency((row.devise, echu_net(row)) for row in outcome.aged))
    outcome.message = (f"Balance âgée au {on:%d/%m/%Y} : {len(outcome.aged)} ligne(s), "
                       f"{total} au total dont {echus} échus ; "
                       f"voir les feuilles {layout.BALANCE_AGEE} et {layout.TABLEAU_DE_BORD}.")
    show(book, outcome.message)
    return outcome


def releves_de_compte(today: date | None = None, now: datetime | None = None) -> Outcome:
    """Relevés de compte: a statement for every customer with a balance that the filters
    select, at the table's date, to the output of the print options.

    Not a reminder: no level, no "Éditée", no `Historique`; each run is one line of the
    journal of statements beside the workbook (`statements_journal`).
    """
    from .letters import statements_run
    book = xw.Book.caller()
    inputs, problems = read_inputs(book, today)
    outcome = Outcome(problems=problems)
    if not outcome.blocked:
        options = print_options(book, inputs, outcome)
    if outcome.blocked:
        sheets.write_controls(book, outcome.problems)
        return stop(book, outcome, "Relevés de compte impossibles")
    report = statements_run.issue_statements(inputs.ledger, inputs.settings, inputs.filters,
                                             options, status_progress(book))
    outcome.statements, outcome.files = report, report.files
    with statements_journal(book).open("a", encoding="utf-8") as journal_file:
        journal_file.write(statements_run.log_line(report, inputs.filters.date,
                                                   now or datetime.now()))
    output = options.sortie.output.label
    where = f" : {report.files[0].parent}" if report.files and options.sortie.output.delivery \
        == "folder" else ""
    failed = f", {len(report.failed)} en échec" if report.failed else ""
    outcome.message = (f"{len(report.done)} relevé(s) de compte au {inputs.filters.date:%d/%m/%Y}"
                       f" vers « {output} »{failed}{where}.")
    show(book, outcome.message)
    if report.failed:
        book.app.alert(outcome.message + "\n\n" + "\n".join(
            f"{tiers} / {societe} : {why}" for tiers, societe, why in report.failed),
            title=TITLE, buttons="ok", mode="critical")
    return outcome


def statements_journal(book: xw.Book) -> Path:
    """`<classeur>.releves.log` beside the workbook: one line per Relevés de compte run."""
    path = Path(book.fullname).resolve()
    return path.with_name(f"{path.stem}.releves.log")


def fiche_client(today: date | None = None, tiers: str | None = None,
                 societe: str | None = None, write: bool = True) -> Outcome:
    """Fiche client: the story of the customer named in the `Fiche client` sheet (or
    given), by date, up to the Relances sheet's date; written on that sheet when
    `write` (the command line's `suivi` only prints it)."""
    from .excel import suivi_records
    book = xw.Book.caller()
    typed = suivi_records.fiche_request(book)
    tiers = typed[0] if tiers is None else tiers
    societe = typed[1] if societe is None else societe
    inputs, problems = read_inputs(book, today)
    outcome = Outcome(problems=[replace(p, blocking=False) for p in problems])
    if tiers not in {c.tiers for c in inputs.ledger.customers}:
        outcome.problems.append(Problem(layout.FICHE_CLIENT, None, "Code tiers", tiers or None,
                                        "code tiers absent de la feuille Clients"))
        outcome.message = (f"Fiche client : tapez en {layout.FICHE_CELLS['tiers'][1]} un code "
                           f"tiers de la feuille {layout.CLIENTS}.")
    else:
        outcome.events = timeline(inputs.ledger, inputs.followups, tiers, inputs.filters.date,
                                  societe, inputs.settings.jours_grace)
        outcome.message = (f"Fiche client {tiers} au {inputs.filters.date:%d/%m/%Y} : "
                           f"{len(outcome.events)} événement(s).")
    if write:
        suivi_records.write_fiche(book, tiers, societe, outcome.events, outcome.message)
    show(book, outcome.message)
    return outcome


def ajouter_suivi(line: FollowUp, today: date | None = None) -> Outcome:
    """Add one line to `Suivi` (the command line's `suivi --ajouter`), after the checks
    a typed line gets at Appliquer: a refused line is said and nothing is written. An
    empty Société is the customer's only company."""
    from .excel import suivi_records
    book = xw.Book.caller()
    inputs, _ = read_inputs(book, today)
    outcome = Outcome()
    if not line.societe:
        companies = sorted({i.societe for i in inputs.ledger.invoices if i.tiers == line.tiers})
        if len(companies) == 1:
            line = replace(line, societe=companies[0])
        elif companies:
            outcome.problems = [Problem(layout.SUIVI, None, "Société", None,
                                        f"client présent dans plusieurs sociétés "
                                        f"({', '.join(companies)}) : préciser la société")]
            outcome.message = f"Ligne non ajoutée à {layout.SUIVI}."
            return outcome
    header = list(layout.SUIVI_COLUMNS)
    _, found = read_followups([header, as_row(line)], inputs.ledger)
    outcome.problems = [replace(p, row=None) for p in found]
    if outcome.blocked:
        outcome.message = f"Ligne non ajoutée à {layout.SUIVI}."
        return outcome
    row = suivi_records.append_followup(book, as_row(line))
    outcome.message = f"{layout.SUIVI}, ligne {row} : {line.action} ({line.tiers}, {line.societe})."
    show(book, outcome.message)
    return outcome
