"""One customer's story by date: invoices, letters and calls, Suivi lines, payments.

Pure: the ledger, the Suivi lines and the date in, the events out; the command line
prints them (`relances-xl suivi`) and the **Fiche client** button writes them on a sheet.
A promise and a payment plan carry their state on the date: awaited, kept, broken.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from ..config import SORTIE_APPEL
from ..layout import SUIVI_DOSSIER as SORTIE_DOSSIER
from ..model import HistoryEntry, Ledger
from ..texts import euros_text
from .followup import (
    ECHEANCIER,
    LITIGE,
    PROMESSE,
    RECOMMANDE,
    SUSPENSION,
    FollowUp,
    holds,
)

# the kinds of event, in the order a day's events are told
FACTURE, AVOIR, LETTRE, APPEL_NIVEAU, SUIVI, REGLEMENT = (
    "Facture", "Avoir", "Lettre", "Appel (niveau)", "Suivi", "Règlement")
_ORDER = {kind: n for n, kind in enumerate((FACTURE, AVOIR, LETTRE, APPEL_NIVEAU, SUIVI,
                                            REGLEMENT))}


class Event(NamedTuple):
    """One line of the story."""

    date: date
    societe: str
    kind: str  # FACTURE, LETTRE, SUIVI…
    piece: str  # the invoice, payment or credit note it names ("" for several / none)
    montant: Decimal | None
    text: str
    state: str = ""  # a promise's or a plan's on the date: en cours, tenue, non tenue…


def timeline(ledger: Ledger, followups: Iterable[FollowUp], tiers: str, on: date,
             societe: str = "", grace: int = 0) -> list[Event]:
    """The customer's events up to `on` (in one company when `societe` is given)."""
    def mine(item_societe: str, item_tiers: str) -> bool:
        return item_tiers == tiers and (not societe or item_societe == societe)

    events: list[Event] = []
    for invoice in ledger.invoices:
        if mine(invoice.societe, invoice.tiers) and invoice.date_piece <= on:
            what = "Avoir" if invoice.avoir else "Facture"
            text = f"{what} {invoice.piece} de {euros_text(invoice.montant, invoice.devise)}"
            if not invoice.avoir:
                text += f", échéance {invoice.echeance:%d/%m/%Y}"
            if invoice.litige:
                text += " (en litige)"
            if not invoice.comptabilisee:
                text += " (non comptabilisée)"
            events.append(Event(invoice.date_piece, invoice.societe,
                                AVOIR if invoice.avoir else FACTURE, invoice.piece,
                                invoice.montant, text))
    for payment in ledger.payments:
        if mine(payment.societe, payment.tiers) and payment.date <= on:
            lettre = (f", lettré à {payment.piece_lettree}" if payment.piece_lettree
                      else ", non lettré")
            events.append(Event(payment.date, payment.societe, REGLEMENT, payment.numero,
                                payment.montant, f"Règlement {payment.numero} de "
                                f"{euros_text(payment.montant, payment.devise)}{lettre}"
                                .replace("  ", " ")))
    events += _letters([h for h in ledger.history if mine(h.societe, h.tiers) and h.date <= on])
    lines = [line for line in followups if mine(line.societe, line.tiers) and line.date <= on]
    events += _followups(lines, ledger, on, grace)
    events.sort(key=lambda e: (e.date, e.societe, _ORDER[e.kind]))
    return events


def _letters(history: list[HistoryEntry]) -> list[Event]:
    """One event per letter (a day, a company): its level and the invoices it listed."""
    letters: dict[tuple[date, str], list[HistoryEntry]] = defaultdict(list)
    for entry in history:
        letters[(entry.date, entry.societe)].append(entry)
    events = []
    for (day, societe), entries in letters.items():
        niveau = max(entry.niveau for entry in entries)
        pieces = ", ".join(dict.fromkeys(entry.piece for entry in entries))
        outputs = {entry.sortie.casefold() for entry in entries}
        call = outputs == {SORTIE_APPEL.casefold()}
        sortie = ", ".join(sorted(filter(None, outputs)))
        text = (f"Appel de relance niveau {niveau} : {pieces}" if call else
                f"Lettre de relance niveau {niveau}{f' ({sortie})' if sortie else ''} : {pieces}")
        if outputs == {SORTIE_DOSSIER.casefold()}:  # the recovery file's lines, level 0
            text = f"{SORTIE_DOSSIER} : {pieces}"
        events.append(Event(day, societe, APPEL_NIVEAU if call else LETTRE, "", None, text))
    return events


def _followups(lines: list[FollowUp], ledger: Ledger, on: date, grace: int) -> list[Event]:
    """The Suivi lines; a promise and each plan with its state on `on`."""
    plans: dict[tuple[str, str], list[FollowUp]] = defaultdict(list)
    for line in lines:
        if line.action == ECHEANCIER:
            plans[(line.societe, line.piece)].append(line)
    plan_states = {key: _state(group, ledger, on, grace) for key, group in plans.items()}
    events = []
    for line in lines:
        text, state = line.action, ""
        if line.piece:
            text += f" {line.piece}"
        if line.action == PROMESSE:
            text += f" au {line.jusqu_au:%d/%m/%Y}"
            state = _state([line], ledger, on, grace)
        elif line.action == ECHEANCIER:
            text += f" : échéance du {line.jusqu_au:%d/%m/%Y}"
            state = plan_states[(line.societe, line.piece)]
        elif line.action in (SUSPENSION, LITIGE) and line.jusqu_au:
            text += f" jusqu'au {line.jusqu_au:%d/%m/%Y}"
        elif line.action == RECOMMANDE:
            text += f" n° {line.numero_recommande}" + (
                f", distribué le {line.distribue_le:%d/%m/%Y}" if line.distribue_le
                else ", distribution non connue")
        if line.montant is not None:
            text += f" ({euros_text(line.montant)})"
        if line.commentaire:
            text += f" — {line.commentaire}"
        if line.par:
            text += f" [{line.par}]"
        events.append(Event(line.date, line.societe, SUIVI, line.piece, line.montant, text,
                            state))
    return events


def _state(lines: list[FollowUp], ledger: Ledger, on: date, grace: int) -> str:
    """A promise's or a plan's state on `on`, as the rules see it."""
    found = holds(lines, ledger.payments, on, grace, ledger.invoices)
    hold = found.get(lines[0].societe, {}).get(lines[0].tiers)
    if hold is None:
        return "tenue" if lines[0].action == PROMESSE else "respecté"
    if hold.broken:
        return hold.motifs_broken()
    return "en cours"
