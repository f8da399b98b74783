"""The **Imprimer les lettres** button: one letter per ticked row not yet "Éditée", to
the output the print options name, then "Éditée" and `Historique` for the letters really
produced. Its own module for the checks before anything goes out (the rates, the
deadline of a formal notice, the user's confirmation) and the call list beside it.

`addin.imprimer_lettres` is this function: the workbook's macro calls it there.
"""

from __future__ import annotations

from datetime import date, timedelta
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
    replay_journal,
    show,
    status_progress,
)
from .config import PrintOptions
from .excel import journal, records
from .excel.saved import set_changed
from .model import ReminderRow
from .texts import amounts_text

if TYPE_CHECKING:
    from .letters import run


@events_off
def imprimer_lettres(today: date | None = None) -> Outcome:
    """One letter per ticked row not yet "Éditée", to the output of the print options.

    "Éditée" and `Historique` record only the letters really produced; rows whose
    letter failed stay unticked and are listed, so a rerun issues only them.
    """
    from .letters import archive, call_list, run
    book = xw.Book.caller()
    sent_before = replay_journal(book)
    outcome, inputs, options = prepare_output(book, today, "Impression des lettres impossible")
    if inputs is None or options is None:
        return outcome
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
        show(book, outcome.message)
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
                               inputs.filters.date_lettres, options, progress=status_progress(book),
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
    show(book, outcome.message)
    if output.document == "docx" and report.files and in_excel(book):
        open_in_word(book, report.files[0])
    if report.failed:
        failures = "\n".join(f"{r.row.tiers} / {r.row.societe} : {r.error}"
                             for r in report.failed)
        book.app.alert(f"{outcome.message}\n\n{failures}", title=TITLE, buttons="ok",
                       mode="critical")
    return outcome


def _call_list(book: xw.Book, phoned: list[ReminderRow], inputs: Inputs,
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


def _refused(rows: list[ReminderRow], inputs: Inputs, today: date
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
