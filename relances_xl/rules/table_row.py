"""One row of the Relances table: a customer's open invoices in a company, in one
currency, at the highest level of its lines.

Pure: the row's pending lines and what the run read once (`Run`) in, a `ReminderRow`
out. `engine` finds the lines, in one pass over the ledger; this module claims what
their level says (interest, indemnity, fees), says why the row starts unticked (the
REASON_* codes, and their motifs as the table shows them), what `Suivi` holds back, the
credits the letter deducts and the nearest prescription. Built once per row, not per
invoice: a line is built once, with its agios, and summed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from ..config import TAUX_PARTICULIERS, TAUX_PROFESSIONNELS, LevelSet, Regime, Settings
from ..model import (
    AVOIR,
    DEFAULT_CURRENCY,
    EXCEDENT,
    ZERO,
    Credit,
    Customer,
    HistoryEntry,
    Invoice,
    ReminderLine,
    ReminderRow,
)
from ..texts import euros_text, one_line_address
from .followup import Hold, Holds
from .imputation import Settled
from .interest import MissingRate, Rates, interest, periods_owed
from .levels import History, first_notice
from .recovery import prescription_warning

MOTIF_BLOQUE = "Client bloqué en relance"
MOTIF_SOLDE = "Solde comptable ≤ 0"
# why the rules untick a row, as codes (the saved proposal compares these, not the motif)
REASON_BLOQUE, REASON_SOLDE, REASON_MINIMUM = "bloque", "solde", "minimum"
REASON_TAUX = "taux"  # a half-year of the delay has no rate in the table
REASON_SUIVI = "suivi"  # a promise, a payment plan or a suspension of the Suivi sheet
REASON_CHANGE = "change"  # the row's currency has no rate in Taux de change
_REASON_TEXT = {REASON_BLOQUE: MOTIF_BLOQUE, REASON_SOLDE: MOTIF_SOLDE}
MOTIF_MINIMUM = "Encours relancé inférieur au montant minimum ({minimum})"
# said, not unticking: the letter lists these credits and asks only what is left
MOTIF_NON_LETTRES = "Règlements non lettrés : {montant}"
MOTIF_AVOIRS = "Avoirs non imputés : {montant}"
# a letter claiming interest on a half-year the rates table lacks does not go out
MOTIF_TAUX = ("Taux du {semestre} absent : ajoutez-le dans la feuille Paramètres, "
              "table Taux par période (ou relances-xl taux), puis Appliquer")
MOTIF_CHANGE = ("Taux de change {devise} absent : ajoutez-le dans la feuille Paramètres, "
                "table Taux de change, puis Appliquer")


class Run(NamedTuple):
    """What every row of one run reads besides its own lines."""

    invoices: Sequence[Invoice]  # the ledger's, a line's invoice found by its position
    history: History
    settings: Settings
    rates: dict[str, Rates]  # per kind (TAUX_*), up to "Date des lettres": interest runs to it
    on: date  # "Échéances échues au"
    motif_minimum: str  # the motif of a row under the minimum amount, written once
    settled: Settled  # each invoice's dated payments, for the interest
    holds: Holds  # what the Suivi sheet says, per company then customer
    devise: str  # the currency of the run's invoices, payments and amounts
    indemnite_euros: Decimal  # D441-5's indemnity, in euros whatever the currency
    change_connu: bool  # Taux de change has the currency's rate (always for the euro)


# An open échu invoice while its row's level is not known yet (a line's agios need it):
# (échéance, n° pièce, position in ledger.invoices, reste dû, jours de retard, niveau,
# due, its lines in Historique). A plain tuple, the one record built per open invoice
# (by `engine._open_lines`) that is only unpacked (in `_lines`): so ordered, these sort
# as the row's lines do, ties in ledger order. Its row's level and whether it is due
# are kept on `Pending`.
Open = tuple[date, str, int, Decimal, int, int, bool, list[HistoryEntry]]


@dataclass(slots=True)
class Pending:
    """A row's open invoices while its level is not known yet."""

    lines: list[Open] = field(default_factory=list)
    niveau: int = 0  # the highest level of its lines
    due: bool = False  # one of its lines is due: the row is shown
    held: list[str] | None = None  # the Suivi motifs holding back lines that were due


_ONE_DAY = timedelta(days=1)


def build_row(customer: Customer, levels: LevelSet, societe: str, solde: Decimal,
              pending: Pending, editee: bool, run: Run, credits: list[Credit] | None
              ) -> ReminderRow:
    """The row of a customer in a company, at the highest level of its lines."""
    niveau = pending.niveau
    regime = Regime.of(customer, levels)
    claim = _claimed(niveau, regime, levels, run.settings)
    indemnite_euros = ZERO
    if run.devise != DEFAULT_CURRENCY and claim.indemnite:  # in euros, beside the total
        indemnite_euros = run.indemnite_euros * len(pending.lines)
        claim = claim._replace(indemnite=ZERO)
    lines, encours, agios, missing = _lines(pending.lines, claim, regime, levels, run)
    frais = levels.level(niveau).frais if niveau else ZERO
    reasons = _reasons(customer, solde, encours, run.settings)
    if missing:
        reasons += (REASON_TAUX,)
    if not run.change_connu:
        reasons += (REASON_CHANGE,)
    motif = " ; ".join(_reason_text(reason, run, missing) for reason in reasons)
    hold = run.holds[societe].get(customer.tiers) if societe in run.holds else None
    if hold is not None:
        reasons, motif = _followed(hold, pending, reasons, motif)
    ticked = not reasons
    unallocated = _unallocated(credits, encours, solde, run.on) if (
        credits or encours > solde) else ()  # most rows: no credit, nothing beyond
    if unallocated:
        motif = " ; ".join(filter(None, (motif, _motif_credits(unallocated, run.devise))))
    if lines:  # the oldest due date comes first: its last day to act is the nearest
        oldest = lines[0].invoice
        motif = " ; ".join(filter(None, (motif, prescription_warning(
            oldest.echeance, regime, run.on, oldest.piece))))
    return ReminderRow(
        tiers=customer.tiers,
        societe=societe,
        solde_comptable=solde,
        encours_relance=encours,
        agios_reclames=agios + frais,
        niveau=niveau,
        a_relancer=ticked,
        editee=editee,
        adresse=one_line_address(customer),
        motif=motif,
        raisons=reasons,
        frais=frais,
        lines=lines,
        credits=unallocated,
        taux_manquant=missing,
        engagements=tuple(hold.broken) if hold is not None else (),
        devise=run.devise,
        indemnite_euros=indemnite_euros,
        change_manquant=not run.change_connu,
    )


def _followed(hold: Hold, pending: Pending, reasons: tuple[str, ...], motif: str
              ) -> tuple[tuple[str, ...], str]:
    """The row's reasons and motif with what Suivi says: held back when every line that
    was due is held (a promise, a plan, a suspension), and the broken ones named."""
    said = list(dict.fromkeys(pending.held or ()))
    if said and not pending.due:
        reasons += (REASON_SUIVI,)
    broken = hold.motifs_broken()
    return reasons, " ; ".join(filter(None, (*said, broken, motif)))


class _Claim(NamedTuple):
    """What a row's level claims on each of its invoices."""

    taux: str | None  # the kind of rate of its interest (TAUX_*), None: no interest
    indemnite: Decimal  # the recovery indemnity per invoice


def _claimed(niveau: int, regime: Regime, levels: LevelSet, settings: Settings) -> _Claim:
    """The interest and indemnity a row at `niveau` claims: the level says whether, its
    "Taux" which rate (empty: the customer's legal rate, by its Type)."""
    if not niveau:
        return _Claim(None, ZERO)
    level = levels.level(niveau)
    taux = None
    if level.interets:
        taux = level.taux or (TAUX_PARTICULIERS if regime is Regime.PARTICULIER
                              else TAUX_PROFESSIONNELS)
    indemnite = ZERO
    if level.indemnite and regime is not Regime.PARTICULIER:  # private customers owe none
        indemnite = settings.indemnite_forfaitaire
    return _Claim(taux, indemnite)


def _lines(pending: list[Open], claim: _Claim, regime: Regime, levels: LevelSet,
           run: Run) -> tuple[tuple[ReminderLine, ...], Decimal, Decimal, str]:
    """(lines in due-date order, their reste dû, their interest + indemnities, the
    half-year whose rate is missing or "").

    Interest and indemnity follow the row's level, computed per invoice to the cent.
    A professional's or a public buyer's interest runs from the day after the due date;
    a private customer's from its first mise en demeure (see `levels.first_notice`), so
    that letter itself claims none; both up to the letter's date, on the principal still
    owed each day (`imputation.Settled`). Each line is built once, with its agios, and
    summed.
    """
    missing = ""
    pending.sort()  # by due date and piece, then ledger order (see Open)
    lines = []
    encours = interets_dus = ZERO
    rates = run.rates[claim.taux] if claim.taux else None
    invoices = run.invoices
    for echeance, piece, position, reste, jours_retard, niveau, due, letters in pending:
        interets, periodes = ZERO, ()
        if rates is not None:
            start = (first_notice(letters, levels, run.history)
                     if regime is Regime.PARTICULIER else echeance)
            if start is not None:
                invoice = invoices[position]
                try:
                    periodes = periods_owed(
                        start + _ONE_DAY, rates, invoice.montant,
                        run.settled.of(invoice.societe, invoice.tiers, piece))
                except MissingRate as error:
                    missing = missing or error.half_year
                interets = interest(periodes)
                interets_dus += interets
        # by position, in the order ReminderLine declares (one per line: see docs/performance.md)
        lines.append(ReminderLine(invoices[position], reste, jours_retard, niveau, due,
                                  interets, claim.indemnite, periodes))
        encours += reste
    # sums of Decimals are exact: the indemnities once, not once per line
    return tuple(lines), encours, interets_dus + claim.indemnite * len(lines), missing


def _unallocated(credits: list[Credit] | None, encours: Decimal, solde: Decimal, on: date
                 ) -> tuple[Credit, ...]:
    """The row's credits by date: its payments lettered to no invoice and its credit
    notes, and, when the balance is lower still, the rest as EXCEDENT: what lettered
    payments exceed their invoices by (or were lettered to one not posted). So the
    reminded invoices less the credits never exceed the balance: a letter asking that
    never asks more than the customer owes. Worked out per row, not per invoice."""
    credits = credits or []
    beyond = encours - (solde if solde > ZERO else ZERO)
    for credit in credits:
        beyond -= credit.montant
    found = sorted(credits) if len(credits) > 1 else list(credits)
    if beyond > ZERO:
        found.append(Credit(date=on, numero="", montant=beyond, kind=EXCEDENT))
    return tuple(found)


def _motif_credits(credits: tuple[Credit, ...], devise: str) -> str:
    """"Règlements non lettrés : 10 847,80 €", and the credit notes apart."""
    payments = avoirs = ZERO
    for credit in credits:
        if credit.kind == AVOIR:
            avoirs += credit.montant
        else:
            payments += credit.montant
    said = []
    if payments:
        said.append(MOTIF_NON_LETTRES.format(montant=euros_text(payments, devise)))
    if avoirs:
        said.append(MOTIF_AVOIRS.format(montant=euros_text(avoirs, devise)))
    return " ; ".join(said)


def _reason_text(reason: str, run: Run, missing: str) -> str:
    """The motif of one reason code, as the table shows it."""
    if reason == REASON_MINIMUM:
        return run.motif_minimum
    if reason == REASON_TAUX:
        return MOTIF_TAUX.format(semestre=missing)
    if reason == REASON_CHANGE:
        return MOTIF_CHANGE.format(devise=run.devise)
    return _REASON_TEXT[reason]


def _reasons(customer: Customer, solde: Decimal, encours: Decimal, settings: Settings
             ) -> tuple[str, ...]:
    """Why the row starts unticked (REASON_* codes); empty when it is ticked."""
    reasons = ()
    if customer.bloque:
        reasons += (REASON_BLOQUE,)
    if settings.decocher_solde_negatif and solde <= ZERO:
        reasons += (REASON_SOLDE,)
    if encours < settings.montant_minimum:
        reasons += (REASON_MINIMUM,)
    return reasons
