"""The functions behind the buttons of the `Relances` sheet.

Each is what the VBA `RunPython "import relances_xl.addin as a; a.appliquer()"`
calls: it takes the workbook from `xw.Book.caller()`, so the same function runs
from Excel, from the command line (headless engine + mock caller) and in tests.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import xlwings as xw

from . import layout
from .excel import journal, records, sheets
from .excel.saved import (
    clear_close_choice,
    close_choice,
    read_saved,
    set_changed,
    write_saved,
)
from .followup_sheet import as_row, read_followups
from .ledger import read_ledger
from .long_lived import acyclic, hold_what_exists, long_lived
from .model import (
    Filters,
    Ledger,
    PrintOptions,
    Problem,
    ReminderRow,
    Settings,
)
from .parametres import read_filters, read_print_options, read_settings
from .proposal import fingerprint, restore, snapshot
from .rules import dashboard
from .rules.aging import AgedRow, echu_net, totals_by_currency
from .rules.aging import balance_agee as aged_balance
from .rules.allocation import allocate_oldest_first
from .rules.currencies import euros_note, in_euros
from .rules.engine import compute_reminders
from .rules.findings import annotate_rows
from .rules.followup import FollowUp, promise_figures
from .rules.timeline import Event, timeline
from .texts import amounts_text, by_currency

if TYPE_CHECKING:
    from .fec.importer import ImportOutcome
    from .letters import run, statements_run

# Each button is a Python started by RunPython, which imports this module first: what
# only the letters, the proposal, the FEC import or the Fiche client need (docxtpl,
# python-docx, pypdf, Pillow, LibreOffice's driver) is imported in the function that
# uses it, so that Appliquer does not wait for it (0.5 s of imports down to 0.2 s,
# docs/performance.md; tests/test_button_imports.py).

TITLE = "Relances clients"
# xlwings maps a OneDrive / SharePoint address to the synced folder, or raises
NOT_LOCAL = ("Classeur ouvert depuis OneDrive ou SharePoint : son dossier sur cet "
             "ordinateur est introuvable, or les lettres et le journal s'écrivent à côté "
             "du classeur. Ouvrez le classeur depuis le dossier OneDrive synchronisé "
             "(Explorateur ou Finder), ou indiquez ce dossier dans la feuille xlwings.conf "
             "(ONEDRIVE_CONSUMER_WIN/_MAC, ONEDRIVE_COMMERCIAL_WIN/_MAC, SHAREPOINT_WIN/_MAC).")
NOT_LOCAL_SHEET = "Classeur"


@dataclass
class Outcome:
    """What an action did, for the command line to print and tests to check."""

    rows: list[ReminderRow] = field(default_factory=list)
    aged: list[AgedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    message: str = ""
    note: str = ""  # beside the message: the proposal's dashboard page, joined or why not
    report: run.RunReport | None = None
    statements: statements_run.StatementReport | None = None  # Relevés de compte
    # letters not issued, (code tiers, société) -> why (see `_refused`)
    refused: dict[tuple[str, str, str], str] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    # (tiers, société) -> the "A relancer" the rules give, before the sheet's ticks
    proposed: dict[tuple[str, str], bool] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)  # a customer's story (Fiche client)

    @property
    def blocked(self) -> bool:
        return any(p.blocking for p in self.problems)


@dataclass(frozen=True)
class _Inputs:
    ledger: Ledger
    settings: Settings
    filters: Filters
    top: dict[str, object]
    imputed: int = 0  # credits allocated to the oldest invoices (Paramètres' choice)
    followups: tuple[FollowUp, ...] = ()  # the Suivi sheet's lines


def _read_inputs(book: xw.Book, today: date | None) -> tuple[_Inputs, list[Problem]]:
    """Ledger, Paramètres and the filter cells, each sheet in one bulk read.

    The read runs with the cyclic collector paused: it builds the ledger's hundreds of
    thousands of objects and no cycle, and the full passes it would set off visit the
    whole ledger each (docs/performance.md)."""
    book.app.status_bar = "Relances : lecture du grand livre…"
    not_local = _not_local(book)
    if not_local is not None:  # nothing is read: nothing could be written beside it
        return _Inputs(Ledger(), Settings(levels=()), Filters(date=today or date.today()), {}), [
            not_local]
    with acyclic():
        blocks = sheets.read_ledger_blocks(book)
        ledger, problems = read_ledger(blocks)
        settings, found = read_settings(blocks[layout.PARAMETRES])
        problems += found
        followups, found = read_followups(blocks.get(layout.SUIVI), ledger)
        problems += found
        del blocks  # the cells: freed now, not held
        hold_what_exists()  # the ledger, until the action ends
    settings = _beside_workbook(settings, book)
    top = sheets.read_top(book.sheets[layout.RELANCES])
    filters, found = read_filters(top, today or date.today())
    problems += found
    imputed = 0
    if settings.imputer_non_lettres and not any(p.blocking for p in problems):
        ledger, imputed = allocate_oldest_first(ledger, filters.date)  # in memory only
    return _Inputs(ledger, settings, filters, top, imputed, tuple(followups)), problems


def _not_local(book: xw.Book) -> Problem | None:
    """The workbook's path cannot be had (a OneDrive / SharePoint address xlwings
    cannot map to the synced folder): a blocking problem saying what to do."""
    try:
        _ = book.fullname
    except xw.XlwingsError:
        return Problem(NOT_LOCAL_SHEET, None, None, None, NOT_LOCAL)
    return None


def _beside_workbook(settings: Settings, book: xw.Book) -> Settings:
    """Signature images named relative to the workbook's folder, as the user sees it."""
    try:
        folder = Path(book.fullname).resolve().parent
    except (TypeError, ValueError, xw.XlwingsError):
        return settings
    companies = tuple(replace(c, signature=str(folder / c.signature)) if c.signature else c
                      for c in settings.companies)
    other = tuple((key, str(folder / value) if key == layout.INVOICES_FOLDER and value.strip()
                   else value) for key, value in settings.other)
    return replace(settings, companies=companies, other=other)


def _in_excel(book: xw.Book) -> bool:
    """Whether a user clicked in Excel (not the command line's headless engine)."""
    return book.app.engine.name == "excel"


def _events_off(button: Callable) -> Callable:
    """The button's writes made with Excel's events off, and the setting given back: the
    workbook's Workbook_SheetChange then sees only the user's edits (a tick in the
    table), never the add-in's own writes, which would mark the proposal changed."""

    @functools.wraps(button)
    def run(*args, **kwargs):
        app = xw.Book.caller().app
        previous = app.enable_events
        app.enable_events = False
        try:
            return button(*args, **kwargs)
        finally:
            app.enable_events = previous

    return run


@_events_off
def appliquer(today: date | None = None) -> Outcome:
    """Appliquer: read the ledger and the filters, fill the table, list problems.

    With any blocking problem the table is left as it was: a half-right table of
    money to chase is worse than none, and Contrôles says what to fix. The answer
    given to the close prompt last time, if any, is acted on first.
    """
    book = xw.Book.caller()
    relances = book.sheets[layout.RELANCES]
    _act_on_close_choice(book, today)
    _replay_journal(book)
    with long_lived():  # the ledger, once read
        inputs, problems = _read_inputs(book, today)
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


def _apply(book: xw.Book, relances: xw.Sheet, inputs: _Inputs, problems: list[Problem]
           ) -> Outcome:
    """The table computed and written, or, with a blocking problem, only Contrôles."""
    outcome = Outcome(problems=problems)
    if not outcome.blocked:
        outcome.rows, found = _table_rows(inputs)
        outcome.problems += found
    sheets.write_controls(book, outcome.problems)
    if outcome.blocked:
        return _stop(book, outcome, "Appliquer impossible")
    restored_text = _restore_saved(book, outcome, inputs.filters.date)
    sheets.write_table(relances, outcome.rows)
    sheets.write_lists(book, inputs.ledger,
                      {c.societe: c.raison_sociale for c in inputs.settings.companies})
    imputed = (f"{inputs.imputed} règlement(s) ou avoir(s) non lettré(s) imputé(s) sur les "
               "plus anciennes factures." if inputs.imputed else "")
    outcome.message = " ".join(filter(None, [_summary(outcome.rows, inputs.filters.date),
                                             imputed, _missing_rates(outcome.rows),
                                             restored_text]))
    _show(book, outcome.message)
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


def _table_rows(inputs: _Inputs) -> tuple[list[ReminderRow], list[Problem]]:
    """The table's rows with the customers' findings in their motif, and the problems
    of both. The engine runs with the collector paused: it makes no cycle (see
    long_lived.acyclic)."""
    with acyclic():
        rows, problems = compute_reminders(inputs.ledger, inputs.settings, inputs.filters,
                                           inputs.followups)
    rows, found = annotate_rows(rows, inputs.ledger)
    return rows, problems + found


def _show(book: xw.Book, message: str) -> None:
    """An action's last word: its message on the sheet, Excel's status bar given back."""
    sheets.write_message(book.sheets[layout.RELANCES], message)
    book.app.status_bar = False


def _stop(book: xw.Book, outcome: Outcome, what: str) -> Outcome:
    """Say why nothing was done: on the sheet, in an alert, and in the outcome."""
    count = sum(p.blocking for p in outcome.problems)
    outcome.message = (f"{what} : {count} problème(s) bloquant(s), voir la feuille "
                       f"{layout.CONTROLES}.")
    _show(book, outcome.message)
    book.app.alert(_alert_text(outcome), title=TITLE, buttons="ok", mode="critical")
    return outcome


def _summary(rows: list[ReminderRow], on: date) -> str:
    ticked = [r for r in rows if r.a_relancer]
    # what the letters ask, agios aside, per currency
    total = amounts_text(by_currency((r.devise, r.a_regler) for r in ticked))
    return (f"Échéances échues au {on:%d/%m/%Y} : {len(rows)} ligne(s), {len(ticked)} à "
            f"relancer pour {total}.")


def _alert_text(outcome: Outcome, limit: int = 15) -> str:
    blocking = [str(p) for p in outcome.problems if p.blocking]
    shown = "\n".join(blocking[:limit])
    more = f"\n… et {len(blocking) - limit} autre(s)" if len(blocking) > limit else ""
    return f"{outcome.message}\n\n{shown}{more}"


def _prepare_print(book: xw.Book, today: date | None, what: str
                   ) -> tuple[Outcome, _Inputs | None]:
    """Inputs, fresh rows carrying the sheet's ticks, and the print options."""
    inputs, problems = _read_inputs(book, today)
    outcome = Outcome(problems=problems)
    if outcome.blocked:
        sheets.write_controls(book, outcome.problems)
        return _stop(book, outcome, what), None
    states = records.table_states(book.sheets[layout.RELANCES])
    if not states:
        outcome.message = "Le tableau est vide : cliquez d'abord sur « Appliquer »."
        sheets.write_message(book.sheets[layout.RELANCES], outcome.message)
        book.app.alert(outcome.message, title=TITLE, buttons="ok", mode="info")
        return outcome, None
    outcome.problems += records.checkbox_problems(book.sheets[layout.RELANCES])
    rows, _ = _table_rows(inputs)
    outcome.proposed = {row.key: row.a_relancer for row in rows}
    outcome.rows = [row._replace(**states[key]) for row in rows
                    if (key := row.key) in states]
    return outcome, inputs


def _options(book: xw.Book, inputs: _Inputs, outcome: Outcome) -> PrintOptions:
    """The print options; an empty folder is a "Relances" folder beside the workbook."""
    folder = Path(book.fullname).resolve().parent / "Relances"
    options, found = read_print_options(inputs.top, inputs.settings, folder)
    outcome.problems += found
    return options


@_events_off
def imprimer_lettres(today: date | None = None) -> Outcome:
    """One letter per ticked row not yet "Éditée", to the output of the print options.

    "Éditée" and `Historique` record only the letters really produced; rows whose
    letter failed stay unticked and are listed, so a rerun issues only them.
    """
    from .letters import archive, call_list, run
    book = xw.Book.caller()
    sent_before = _replay_journal(book)
    outcome, inputs = _prepare_print(book, today, "Impression des lettres impossible")
    if inputs is None:
        return outcome
    options = _options(book, inputs, outcome)
    if outcome.blocked:
        return _stop(book, outcome, "Impression des lettres impossible")
    already = {s.key for s in sent_before if s.date == inputs.filters.date}
    if already and options.records:
        records.mark_editee(book.sheets[layout.RELANCES], already)
        outcome.rows = [row._replace(editee=True) if row.key in already
                        else row for row in outcome.rows]
    chosen = [row for row in outcome.rows if row.a_relancer and not row.editee]
    phoned = call_list.call_rows(chosen, inputs.ledger, inputs.settings)
    if phoned:  # a call is never a letter
        called = {row.key for row in phoned}
        chosen = [row for row in chosen if row.key not in called]
    output = options.sortie.output
    refused = _refused(chosen, inputs, today or date.today())
    chosen = [row for row in chosen if row.key not in refused]
    if chosen and output.confirm and not _confirmed(book, chosen, options.sortie):
        outcome.message = "Impression des lettres annulée : aucune lettre éditée."
        _show(book, outcome.message)
        return outcome
    home = Path(book.fullname).resolve().parent
    sent = None
    if output.delivery == "send":  # each message sent is journaled at once
        where = journal.journal_path(book.fullname)
        on, sortie = inputs.filters.date, options.sortie

        def sent(row: ReminderRow, kept: Path | None) -> None:
            journal.record(where, row, on, sortie,
                           archive.reference(kept, home) if kept is not None else "")

    report = run.issue_letters(chosen, inputs.ledger, inputs.settings,
                               inputs.filters.date_lettres, options, progress=_status(book),
                               sent=sent, archive=archive.folder(inputs.settings, home))
    outcome.report, outcome.files = report, report.files
    relances = book.sheets[layout.RELANCES]
    if options.records:
        records.mark_editee(relances, [row.key for row in report.issued])
        records.append_history(book, run.history_entries(report, inputs.filters.date, home))
        if report.issued:
            set_changed(book, True)
    outcome.message = " ".join([_letters_message(report, chosen), *refused.values()])
    outcome.refused = refused
    if phoned:
        outcome.message += " " + _call_list(book, phoned, inputs, options, outcome)
    _show(book, outcome.message)
    if output.document == "docx" and report.files and _in_excel(book):
        _open_in_word(book, report.files[0])
    if report.failed:
        failures = "\n".join(f"{r.row.tiers} / {r.row.societe} : {r.error}"
                             for r in report.failed)
        book.app.alert(f"{outcome.message}\n\n{failures}", title=TITLE, buttons="ok",
                       mode="critical")
    return outcome


def _call_list(book: xw.Book, phoned: list[ReminderRow], inputs: _Inputs,
               options: PrintOptions, outcome: Outcome) -> str:
    """The rows to call: the `Appels` sheet and its PDF, recorded as issued (Éditée,
    Historique with Sortie "Appel") when the output records, so the next level follows."""
    from .excel import suivi_records
    from .letters import call_list, pdf
    on = inputs.filters.date
    found = call_list.calls(phoned, inputs.ledger)
    suivi_records.write_calls(book, found, on)
    said = f"{len(found)} appel(s) à passer : feuille {layout.APPELS}"
    try:
        made = call_list.call_list_pdf(found, on, options.dossier)
    except pdf.ConversionError as error:
        said += f" (PDF non produit : {error})"
    else:
        outcome.files.append(made)
        said += f" et {made.name}"
    if options.records:
        records.mark_editee(book.sheets[layout.RELANCES], [r.key for r in phoned])
        records.append_history(book, call_list.history_entries(phoned, on))
        set_changed(book, True)
    return said + "."


def _open_in_word(book: xw.Book, document: Path) -> None:
    """The run's letters in Word, to edit before sending; a failure only says so."""
    from .letters import outputs
    try:
        outputs.open_in_word(document)
    except outputs.OutputError as error:
        book.app.alert(str(error), title=TITLE, buttons="ok", mode="info")


def confirmation_text(chosen: list[ReminderRow], sortie: str) -> str:
    """The question before letters go out: how many, to what, for whom, for how much.

    "7 lettres vers E-mail (7 clients, 5 791,46 € réclamés). Continuer ?"
    """
    from .letters.run import total_claimed
    letters, customers = len(chosen), len({row.tiers for row in chosen})
    output = layout.SORTIE_LABELS.get(sortie, sortie)
    return (f"{letters} lettre{'s' if letters > 1 else ''} vers {output} ({customers} "
            f"client{'s' if customers > 1 else ''}, {amounts_text(total_claimed(chosen))} "
            "réclamés). Continuer ?")


def _confirmed(book: xw.Book, chosen: list[ReminderRow], sortie: str) -> bool:
    """Ask before letters go out, as the guide's print dialog does: OK or Annuler.

    Headless (the command line), the engine answers the first button, OK, unless a
    test gave it other answers.
    """
    answer = book.app.alert(confirmation_text(chosen, sortie), title=TITLE,
                            buttons="ok_cancel", mode="info")
    return str(answer).lower() == "ok"


def _replay_journal(book: xw.Book) -> list[journal.SentLetter]:
    """Put back in `Historique` the letters a killed e-mail/fax run had sent (see
    `excel.journal`); returns them, so that their rows count as "Éditée"."""
    try:
        where = journal.journal_path(book.fullname)
    except (TypeError, ValueError, xw.XlwingsError):  # OneDrive: reported by the read
        return []
    sent = journal.read(where)
    if sent:
        with suppress(KeyError):  # no Historique sheet: Appliquer reports it as missing
            records.append_history(book, [e for letter in sent for e in letter.history()])
    return sent


def _refused(rows: list[ReminderRow], inputs: _Inputs, today: date
             ) -> dict[tuple[str, str, str], str]:
    """The ticked rows whose letter must not go out, with why: interest on a half-year
    the rates table lacks (never a guessed rate), or a formal notice whose deadline (its
    date + 8 days) has passed on the day it would be issued: a letter dated in the past
    is not sent as if it were today. `today` is the day of issue (the demo passes the
    day it plays)."""
    from .letters.context import DELAI_MISE_EN_DEMEURE
    customers = {c.tiers: c for c in inputs.ledger.customers}
    deadline = inputs.filters.date_lettres + timedelta(days=DELAI_MISE_EN_DEMEURE)
    found = {}
    for row in rows:
        who = f"{row.tiers} / {row.societe}"
        if row.change_manquant:  # its minimum and fees cannot be known: never a guess
            found[row.key] = (
                f"Lettre non émise pour {who} en {row.devise} : taux de change absent "
                f"(feuille {layout.PARAMETRES}, table {layout.PARAMETRES_CHANGE_TITLE}).")
            continue
        if row.taux_manquant:
            found[row.key] = (
                f"Lettre non émise pour {who} : taux du {row.taux_manquant} absent (feuille "
                f"{layout.PARAMETRES}, table {layout.PARAMETRES_RATES_TITLE}).")
            continue
        levels = inputs.settings.level_set(customers[row.tiers].conditions)
        notice = not levels.public and row.niveau >= levels.top > 1
        if notice and deadline < today:
            found[row.key] = (
                f"Mise en demeure non émise pour {who} : son délai de paiement "
                f"({deadline:%d/%m/%Y}) est déjà passé ; appliquez à la date du jour.")
    return found


def _letters_message(report: run.RunReport, chosen: list[ReminderRow]) -> str:
    output = layout.SORTIE_LABELS.get(report.options.sortie, report.options.sortie)
    if not chosen:
        return "Aucune lettre à éditer : aucune ligne cochée « A relancer » et non « Éditée »."
    if not report.options.records:
        return f"Aperçu de {len(chosen)} lettre(s) à l'écran : rien n'est enregistré."
    done = len(report.issued)
    text = f"{done} lettre(s) éditée(s) vers « {output} »"
    if report.failed:
        text += f", {len(report.failed)} en échec (non cochées « Éditée »)"
    where = f" : {report.files[0].parent}" if report.files else ""
    return text + where + "." + "".join(f"\n{note}" for note in report.notes)


def _status(book: xw.Book) -> run.Progress:
    def show(done: int, total: int, text: str) -> None:
        book.app.status_bar = text

    return show


@_events_off
def imprimer_proposition(today: date | None = None) -> Outcome:
    """The proposal (invoices to remind per ticked customer) to an output; records nothing."""
    from .excel.dashboard_pdf import DashboardPage, dashboard_page
    from .letters import envelope, run
    book = xw.Book.caller()
    outcome, inputs = _prepare_print(book, today, "Impression de la proposition impossible")
    if inputs is None:
        return outcome
    options = _options(book, inputs, outcome)
    if outcome.blocked:
        return _stop(book, outcome, "Impression de la proposition impossible")
    ticked = [row for row in outcome.rows if row.a_relancer]
    with tempfile.TemporaryDirectory(prefix="relances-tableau-") as work:
        page = (dashboard_page(book, inputs.filters, Path(work))
                if options.sortie.output.needs_pdf and options.sortie.output.proposal
                else DashboardPage(""))
        try:
            outcome.files = run.print_proposal(outcome.rows, inputs.ledger, inputs.settings,
                                               inputs.filters.date, options,
                                               progress=_status(book),
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
    _show(book, outcome.message)
    if options.sortie.output.document == "docx" and _in_excel(book):
        _open_in_word(book, outcome.files[0])
    return outcome


@_events_off
def sauver_proposition(today: date | None = None) -> Outcome:
    """Keep the table (choices, date, filters, invoices covered) for the next Appliquer."""
    book = xw.Book.caller()
    outcome, inputs = _prepare_print(book, today, "Sauvegarde de la proposition impossible")
    if inputs is None:
        return outcome
    saved = snapshot(outcome.rows, inputs.filters, datetime.now().replace(microsecond=0),
                     outcome.proposed)
    write_saved(book, saved)
    outcome.message = (f"Proposition sauvée le {saved.saved_at:%d/%m/%Y à %H:%M} : "
                       f"{len(saved.rows)} ligne(s), échéances échues au "
                       f"{inputs.filters.date:%d/%m/%Y}.")
    _show(book, outcome.message)
    return outcome


@_events_off
def abandonner_proposition() -> Outcome:
    """Drop the saved proposal: the next Appliquer starts from the rules alone."""
    book = xw.Book.caller()
    write_saved(book, None)
    outcome = Outcome(message="Proposition sauvée abandonnée : le prochain « Appliquer » "
                              "repartira des règles de relance.")
    sheets.write_message(book.sheets[layout.RELANCES], outcome.message)
    return outcome


@_events_off
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


@_events_off
def balance_agee(today: date | None = None) -> Outcome:
    """Balance âgée: the aged balance and the dashboard, with Appliquer's filters and date.

    Like Appliquer, a ledger with a blocking problem writes nothing but Contrôles: an
    aged balance on wrong figures would mislead more than none.
    """
    from .excel import aged_sheets
    book = xw.Book.caller()
    inputs, problems = _read_inputs(book, today)
    outcome = Outcome(problems=problems)
    if outcome.blocked:
        sheets.write_controls(book, outcome.problems)
        return _stop(book, outcome, "Balance âgée impossible")
    on, limits = inputs.filters.date, inputs.settings.tranches_balance
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
    _show(book, outcome.message)
    return outcome


def releves_de_compte(today: date | None = None, now: datetime | None = None) -> Outcome:
    """Relevés de compte: a statement for every customer with a balance that the filters
    select, at the table's date, to the output of the print options.

    Not a reminder: no level, no "Éditée", no `Historique`; each run is one line of the
    journal of statements beside the workbook (`statements_journal`).
    """
    from .letters import statements_run
    book = xw.Book.caller()
    inputs, problems = _read_inputs(book, today)
    outcome = Outcome(problems=problems)
    if not outcome.blocked:
        options = _options(book, inputs, outcome)
    if outcome.blocked:
        sheets.write_controls(book, outcome.problems)
        return _stop(book, outcome, "Relevés de compte impossibles")
    report = statements_run.issue_statements(inputs.ledger, inputs.settings, inputs.filters,
                                             options, _status(book))
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
    _show(book, outcome.message)
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
    inputs, problems = _read_inputs(book, today)
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
    _show(book, outcome.message)
    return outcome


def ajouter_suivi(line: FollowUp, today: date | None = None) -> Outcome:
    """Add one line to `Suivi` (the command line's `suivi --ajouter`), after the checks
    a typed line gets at Appliquer: a refused line is said and nothing is written. An
    empty Société is the customer's only company."""
    from .excel import suivi_records
    book = xw.Book.caller()
    inputs, _ = _read_inputs(book, today)
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
    _show(book, outcome.message)
    return outcome
