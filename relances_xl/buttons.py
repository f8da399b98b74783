"""What every button of the workbook shares: the workbook's inputs read in one go, the
outcome an action returns, Excel's events kept off during the button's own writes, the
last word on the sheet, and the stop with Contrôles when a problem blocks.

`addin` (one function per button), `impression` (Imprimer les lettres) and
`recouvrement` (Dossier de recouvrement) build on it; none of it is a button itself.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import xlwings as xw

from . import layout
from .config import PrintOptions, Settings
from .excel import journal, records, sheets
from .followup_sheet import read_followups
from .ledger import read_ledger
from .long_lived import built_to_last
from .model import Filters, Ledger, Problem, ReminderRow
from .parametres import read_filters, read_print_options, read_settings
from .rules.aging import AgedRow
from .rules.allocation import allocate_oldest_first
from .rules.engine import compute_reminders
from .rules.findings import annotate_rows
from .rules.followup import FollowUp
from .rules.timeline import Event

if TYPE_CHECKING:
    from .letters import run, statements_run

# Each button is a Python started by RunPython, which imports the add-in first: what
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
    # letters not issued, (code tiers, société) -> why (see `impression`)
    refused: dict[tuple[str, str, str], str] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    # (tiers, société) -> the "A relancer" the rules give, before the sheet's ticks
    proposed: dict[tuple[str, str], bool] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)  # a customer's story (Fiche client)

    @property
    def blocked(self) -> bool:
        return any(p.blocking for p in self.problems)


@dataclass(frozen=True)
class Inputs:
    ledger: Ledger
    settings: Settings
    filters: Filters
    top: dict[str, object]
    imputed: int = 0  # credits allocated to the oldest invoices (Paramètres' choice)
    followups: tuple[FollowUp, ...] = ()  # the Suivi sheet's lines


def read_inputs(book: xw.Book, today: date | None) -> tuple[Inputs, list[Problem]]:
    """Ledger, Paramètres and the filter cells, each sheet in one bulk read.

    The read runs with the cyclic collector paused: it builds the ledger's hundreds of
    thousands of objects and no cycle, and the full passes it would set off visit the
    whole ledger each (docs/performance.md)."""
    book.app.status_bar = "Relances : lecture du grand livre…"
    not_local = _not_local(book)
    if not_local is not None:  # nothing is read: nothing could be written beside it
        return Inputs(Ledger(), Settings(levels=()), Filters(date=today or date.today()), {}), [
            not_local]
    # the filter cells first: their sheet is read (headless, parsed) while the
    # read-ahead still parses the invoices, rather than after the ledger
    top = sheets.read_top(book.sheets[layout.RELANCES])
    with built_to_last():
        blocks = sheets.read_ledger_blocks(book)
        ledger, problems = read_ledger(blocks)
        settings, found = read_settings(blocks[layout.PARAMETRES])
        problems += found
        followups, found = read_followups(blocks.get(layout.SUIVI), ledger)
        problems += found
        del blocks  # the cells: freed now, not held
    settings = _beside_workbook(settings, book)
    filters, found = read_filters(top, today or date.today())
    problems += found
    imputed = 0
    if settings.imputer_non_lettres and not any(p.blocking for p in problems):
        ledger, imputed = allocate_oldest_first(ledger, filters.date)  # in memory only
    return Inputs(ledger, settings, filters, top, imputed, tuple(followups)), problems


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


def in_excel(book: xw.Book) -> bool:
    """Whether a user clicked in Excel (not the command line's headless engine)."""
    return book.app.engine.name == "excel"


def events_off(button: Callable) -> Callable:
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


def replay_journal(book: xw.Book) -> list[journal.SentLetter]:
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


def open_in_word(book: xw.Book, document: Path) -> None:
    """The run's letters in Word, to edit before sending; a failure only says so."""
    from .letters import outputs
    try:
        outputs.open_in_word(document)
    except outputs.OutputError as error:
        book.app.alert(str(error), title=TITLE, buttons="ok", mode="info")


def table_rows(inputs: Inputs) -> tuple[list[ReminderRow], list[Problem]]:
    """The table's rows with the customers' findings in their motif, and the problems
    of both. The engine makes no cycle and its rows last to the action's end
    (`long_lived.built_to_last`)."""
    with built_to_last():
        rows, problems = compute_reminders(inputs.ledger, inputs.settings, inputs.filters,
                                           inputs.followups)
        rows, found = annotate_rows(rows, inputs.ledger)
    return rows, problems + found


def show(book: xw.Book, message: str) -> None:
    """An action's last word: its message on the sheet, Excel's status bar given back."""
    sheets.write_message(book.sheets[layout.RELANCES], message)
    book.app.status_bar = False


def stop(book: xw.Book, outcome: Outcome, what: str) -> Outcome:
    """Say why nothing was done: on the sheet, in an alert, and in the outcome."""
    count = sum(p.blocking for p in outcome.problems)
    outcome.message = (f"{what} : {count} problème(s) bloquant(s), voir la feuille "
                       f"{layout.CONTROLES}.")
    show(book, outcome.message)
    book.app.alert(_alert_text(outcome), title=TITLE, buttons="ok", mode="critical")
    return outcome


def _alert_text(outcome: Outcome, limit: int = 15) -> str:
    blocking = [str(p) for p in outcome.problems if p.blocking]
    shown = "\n".join(blocking[:limit])
    more = f"\n… et {len(blocking) - limit} autre(s)" if len(blocking) > limit else ""
    return f"{outcome.message}\n\n{shown}{more}"


def prepare_print(book: xw.Book, today: date | None, what: str
                   ) -> tuple[Outcome, Inputs | None]:
    """Inputs and fresh rows carrying the sheet's ticks (with the print options:
    `prepare_output`)."""
    inputs, problems = read_inputs(book, today)
    outcome = Outcome(problems=problems)
    if outcome.blocked:
        sheets.write_controls(book, outcome.problems)
        return stop(book, outcome, what), None
    states = records.table_states(book.sheets[layout.RELANCES])
    if not states:
        outcome.message = "Le tableau est vide : cliquez d'abord sur « Appliquer »."
        sheets.write_message(book.sheets[layout.RELANCES], outcome.message)
        book.app.alert(outcome.message, title=TITLE, buttons="ok", mode="info")
        return outcome, None
    outcome.problems += records.checkbox_problems(book.sheets[layout.RELANCES])
    rows, _ = table_rows(inputs)
    outcome.proposed = {row.key: row.a_relancer for row in rows}
    outcome.rows = [row._replace(**states[key]) for row in rows
                    if (key := row.key) in states]
    return outcome, inputs


def prepare_output(book: xw.Book, today: date | None, what: str
                   ) -> tuple[Outcome, Inputs | None, PrintOptions | None]:
    """`prepare_print`, then the print options: inputs and options None when the button
    stops there (a blocking problem, the table empty, an option refused), said."""
    outcome, inputs = prepare_print(book, today, what)
    if inputs is None:
        return outcome, None, None
    options = print_options(book, inputs, outcome)
    if outcome.blocked:
        return stop(book, outcome, what), None, None
    return outcome, inputs, options


def print_options(book: xw.Book, inputs: Inputs, outcome: Outcome) -> PrintOptions:
    """The print options; an empty folder is a "Relances" folder beside the workbook."""
    folder = Path(book.fullname).resolve().parent / "Relances"
    options, found = read_print_options(inputs.top, inputs.settings, folder)
    outcome.problems += found
    return options


def status_progress(book: xw.Book) -> run.Progress:
    def show(done: int, total: int, text: str) -> None:
        book.app.status_bar = text

    return show
