"""Between the letters: what the `Suivi` sheet's lines do to the reminders.

Pure: the lines, the payments and the run's date in, the holds out. A line dated after
the run's date does not exist yet (a run dated in the past gives what it gave that day).

Per (société, code tiers) a `Hold` says, for an invoice (its n° pièce) or for all of
them (""):

- held: a promise to pay not yet due, a payment plan kept so far, a suspension, or a
  recovery file made (`Dossier de recouvrement`, with no end: the claim has left the
  reminders for the commissaire de justice or the court). The
  invoices it covers do not go up a level and the row starts unticked, with the motif.
- disputed: a `Litige` line, from its Date to its Jusqu'au (open-ended when empty): the
  invoice is left out, as the `Litige` cell of `Factures` does.
- broken: a promise whose date (plus the grace days) passed without the payments
  received since the promise covering it, or a plan's instalment unpaid: the row is
  ticked, escalation resumes where it stood, the motif and the letter say so.

Only the latest promise (or plan) of an invoice, or of the customer, counts: a new
promise replaces a broken one. Payments counted are all those of the customer in that
company dated from the promise's (or the plan's first line's) Date to the run's date,
lettered or not: the customer pays what it promised, whichever invoice it names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from .. import layout
from ..model import ZERO, BrokenCommitment, Invoice, Ledger, Payment
from ..texts import euros_text

APPEL, PROMESSE, ECHEANCIER, LITIGE, SUSPENSION, NOTE, REPONSE, RECOMMANDE = (
    layout.SUIVI_ACTIONS[:8])
DOSSIER = layout.SUIVI_DOSSIER  # a recovery file was made: no more reminders
# the actions that need a Jusqu'au (a promised date, an instalment, an end)
NEEDS_UNTIL = (PROMESSE, ECHEANCIER, SUSPENSION)

MOTIF_PROMESSE = "Promesse de règlement au {date}"
MOTIF_PROMESSE_NON_TENUE = "Promesse non tenue du {date}"
MOTIF_ECHEANCIER = "Échéancier en cours"
MOTIF_ECHEANCE_NON_REGLEE = "Échéance du {date} non réglée"
MOTIF_SUSPENSION = "Relances suspendues jusqu'au {date}"
MOTIF_DOSSIER = "Dossier de recouvrement du {date}"


@dataclass(frozen=True, slots=True)
class FollowUp:
    """One line of the `Suivi` sheet."""

    date: date
    tiers: str
    societe: str
    piece: str  # "": all the customer's invoices in that company
    action: str  # one of layout.SUIVI_ACTIONS
    jusqu_au: date | None = None
    montant: Decimal | None = None
    commentaire: str = ""
    par: str = ""
    # a Recommandé line (a record, it holds nothing): the registered letter's number, and
    # the day it was delivered when the receipt came back; its Date is the sending date
    numero_recommande: str = ""
    distribue_le: date | None = None
    row: int | None = None


@dataclass(slots=True)
class Hold:
    """What the `Suivi` lines say of one customer in one company at the run's date."""

    held: dict[str, str] = field(default_factory=dict)  # piece or "" -> motif
    disputed: dict[str, str] = field(default_factory=dict)  # piece or "" -> reason
    broken: list[BrokenCommitment] = field(default_factory=list)

    def holding(self, piece: str) -> str | None:
        """The motif holding this invoice back, None when nothing does."""
        return self.held.get(piece) or self.held.get("")

    def disputes(self, piece: str) -> bool:
        return piece in self.disputed or "" in self.disputed

    def motifs_broken(self) -> str:
        return " ; ".join(b.motif for b in self.broken)


# société -> code tiers -> its hold; only customers with a line that acts appear
Holds = dict[str, dict[str, Hold]]


def _day(on: date) -> str:
    """27/07/2022 (without strftime: a motif per promise, thousands of them)."""
    return f"{on.day:02d}/{on.month:02d}/{on.year}"


def holds(followups: Iterable[FollowUp], payments: Iterable[Payment], on: date,
          grace: int = 0, invoices: Iterable[Invoice] = ()) -> Holds:
    """The holds of every customer the `Suivi` lines name, on the run's date `on`.

    `grace`: Paramètres' "Jours de grâce": a promise is awaited until its date plus them.
    `invoices`: the ledger's, for a promise made without an amount (it promises what the
    invoices it covers still owed on its Date).
    """
    found: Holds = defaultdict(dict)
    suspended: dict[tuple[str, str, str], FollowUp] = {}
    promises: dict[tuple[str, str, str], FollowUp] = {}
    plans: dict[tuple[str, str, str], list[FollowUp]] = defaultdict(list)
    for line in followups:
        if line.date > on:
            continue
        key = (line.societe, line.tiers, line.piece)
        if line.action == SUSPENSION and line.jusqu_au and on <= line.jusqu_au:
            if key not in suspended or line.jusqu_au > suspended[key].jusqu_au:
                suspended[key] = line  # the one that ends last
        elif line.action == DOSSIER:
            _hold(found, line).held[line.piece] = MOTIF_DOSSIER.format(date=_day(line.date))
        elif line.action == LITIGE and (line.jusqu_au is None or on <= line.jusqu_au):
            _hold(found, line).disputed[line.piece] = line.commentaire
        elif line.action == PROMESSE and line.jusqu_au:
            if key not in promises or _later(line, promises[key]):
                promises[key] = line
        elif line.action == ECHEANCIER and line.jusqu_au and line.montant:
            plans[key].append(line)
    for line in suspended.values():
        _hold(found, line).held[line.piece] = MOTIF_SUSPENSION.format(date=_day(line.jusqu_au))
    if not promises and not plans:
        return dict(found)
    limit = on - timedelta(days=grace)  # a date on or after this is still awaited
    wanted = {(s, t) for s, t, _ in (*promises, *plans)}
    received = _received(payments, wanted, on)
    owed = _owed(invoices, payments, [p for p in promises.values()
                                      if p.montant is None and p.jusqu_au < limit])
    for key, promise in promises.items():
        if _replaced(key, promise.date, plans):
            continue
        _promise(found, promise, received, owed, limit)
    for lines in plans.values():
        _plan(found, lines, received, limit)
    return dict(found)


def _hold(found: Holds, line: FollowUp) -> Hold:
    by_tiers = found[line.societe]
    hold = by_tiers.get(line.tiers)
    if hold is None:
        hold = by_tiers[line.tiers] = Hold()
    return hold


def _later(line: FollowUp, than: FollowUp) -> bool:
    return (line.date, line.row or 0) > (than.date, than.row or 0)


def _replaced(key: tuple[str, str, str], since: date,
              plans: dict[tuple[str, str, str], list[FollowUp]]) -> bool:
    """A payment plan agreed after the promise, for the same invoices, replaces it."""
    lines = plans.get(key)
    return bool(lines) and min(line.date for line in lines) >= since


def _received(payments: Iterable[Payment], wanted: set[tuple[str, str]], on: date
              ) -> dict[tuple[str, str], list[tuple[date, Decimal]]]:
    """The payments up to `on` of the customers with a promise or a plan."""
    found: dict[tuple[str, str], list[tuple[date, Decimal]]] = defaultdict(list)
    for payment in payments:
        key = (payment.societe, payment.tiers)
        if key in wanted and payment.date <= on:
            found[key].append((payment.date, payment.montant))
    return found


def _since(received: dict[tuple[str, str], list[tuple[date, Decimal]]], societe: str,
           tiers: str, start: date) -> Decimal:
    return sum((m for d, m in received.get((societe, tiers), ()) if d >= start), ZERO)


def _owed(invoices: Iterable[Invoice], payments: Iterable[Payment],
          promises: list[FollowUp]) -> dict[tuple[str, str, str, date], Decimal]:
    """What each promise without an amount covers: the reste dû, on its Date, of its
    invoices (or of all the customer's, when it names none) posted by then."""
    if not promises:
        return {}
    customers = {(p.societe, p.tiers) for p in promises}
    mine: dict[tuple[str, str], list[Invoice]] = defaultdict(list)
    for invoice in invoices:
        if (invoice.societe, invoice.tiers) in customers and not invoice.avoir \
                and invoice.comptabilisee:
            mine[(invoice.societe, invoice.tiers)].append(invoice)
    lettered: dict[tuple[str, str], list[tuple[date, Decimal]]] = defaultdict(list)
    for payment in payments:
        if payment.piece_lettree and (payment.societe, payment.tiers) in customers:
            lettered[(payment.societe, payment.piece_lettree)].append(
                (payment.date, payment.montant))
    owed = {}
    for promise in promises:
        total = ZERO
        for invoice in mine[(promise.societe, promise.tiers)]:
            if (promise.piece and invoice.piece != promise.piece) or (
                    invoice.date_piece > promise.date):
                continue
            paid = sum((m for d, m in lettered.get((invoice.societe, invoice.piece), ())
                        if d < promise.date), ZERO)
            total += max(invoice.montant - paid, ZERO)
        owed[(promise.societe, promise.tiers, promise.piece, promise.date)] = total
    return owed


def _promise(found: Holds, promise: FollowUp, received: dict, owed: dict,
             limit: date) -> None:
    """Awaited until its date plus the grace days; then kept or broken."""
    assert promise.jusqu_au is not None
    when = _day(promise.jusqu_au)
    if promise.jusqu_au >= limit:
        motif = MOTIF_PROMESSE.format(date=when)
        if promise.montant is not None:
            motif += f" ({euros_text(promise.montant)})"
        _hold(found, promise).held[promise.piece] = motif
        return
    amount = promise.montant
    if amount is None:
        amount = owed[(promise.societe, promise.tiers, promise.piece, promise.date)]
    paid = _since(received, promise.societe, promise.tiers, promise.date)
    if paid >= amount:
        return  # kept
    _hold(found, promise).broken.append(BrokenCommitment(
        motif=MOTIF_PROMESSE_NON_TENUE.format(date=when), promesse=True,
        date=promise.jusqu_au, montant=promise.montant, du=amount - paid,
        piece=promise.piece))


def _plan(found: Holds, lines: list[FollowUp], received: dict, limit: date) -> None:
    """Kept while the payments since the plan cover every instalment due; the first
    instalment they do not cover is missed."""
    lines = sorted(lines, key=lambda line: (line.jusqu_au, line.row or 0))
    first = lines[0]
    paid = _since(received, first.societe, first.tiers, min(line.date for line in lines))
    due = ZERO
    missed = None
    for line in lines:
        assert line.jusqu_au is not None and line.montant is not None
        if line.jusqu_au >= limit:
            break
        due += line.montant
        if missed is None and paid < due:
            missed = line
    ahead = tuple((line.jusqu_au, line.montant) for line in lines if line.jusqu_au >= limit)
    if missed is not None:
        _hold(found, first).broken.append(BrokenCommitment(
            motif=MOTIF_ECHEANCE_NON_REGLEE.format(date=_day(missed.jusqu_au)),
            promesse=False, date=missed.jusqu_au, montant=missed.montant, du=due - paid,
            piece=first.piece, reste=ahead))
    elif ahead:
        _hold(found, first).held[first.piece] = MOTIF_ECHEANCIER


def holds_of(followups: Iterable[FollowUp], ledger: Ledger, on: date, grace: int) -> Holds:
    """`holds` for the engine: a defaultdict per company, empty when Suivi is."""
    found: Holds = defaultdict(dict)
    if followups:
        found.update(holds(followups, ledger.payments, on, grace, ledger.invoices))
    return found


def due_soon(followups: Iterable[FollowUp], on: date, days: int = 7) -> list[FollowUp]:
    """The promises (the latest of each invoice or customer) and the plans' instalments
    falling due from `on` to `on` + `days`: the cash the proposal says to expect."""
    last = on + timedelta(days=days)
    promises: dict[tuple[str, str, str], FollowUp] = {}
    found = []
    for line in followups:
        if line.date > on or line.jusqu_au is None or not on <= line.jusqu_au <= last:
            continue
        if line.action == ECHEANCIER:
            found.append(line)
        elif line.action == PROMESSE:
            key = (line.societe, line.tiers, line.piece)
            if key not in promises or _later(line, promises[key]):
                promises[key] = line
    found += promises.values()
    return sorted(found, key=lambda line: (line.jusqu_au, line.tiers, line.societe))


class PromiseFigures(NamedTuple):
    """The dashboard's: the promises whose date passed and how many were kept, and the
    amounts promised (promises and instalments) per week ahead, Monday first."""

    echues: int
    tenues: int
    weeks: tuple[tuple[date, Decimal], ...]

    @property
    def part_tenue(self) -> Decimal | None:
        return Decimal(self.tenues) / self.echues if self.echues else None


def promise_figures(followups: Iterable[FollowUp], ledger: Ledger, on: date, grace: int = 0,
                    weeks: int = 8) -> PromiseFigures:
    """Kept: what `holds` says of each promise alone once its date (plus the grace days)
    passed; ahead: each promise still awaited at its amount (without one, what its
    invoices owed on its Date) and each plan instalment, in the week of its date."""
    lines = [line for line in followups if line.date <= on and line.jusqu_au is not None
             and line.action in (PROMESSE, ECHEANCIER)]
    limit = on - timedelta(days=grace)
    latest: dict[tuple[str, str, str], FollowUp] = {}
    for line in lines:
        key = (line.societe, line.tiers, line.piece)
        if line.action == PROMESSE and (key not in latest or _later(line, latest[key])):
            latest[key] = line
    past = [p for p in latest.values() if p.jusqu_au < limit]
    broken = holds(past, ledger.payments, on, grace, ledger.invoices) if past else {}
    kept = sum(1 for p in past if not any(
        b.date == p.jusqu_au and b.piece == p.piece
        for b in broken.get(p.societe, {}).get(p.tiers, Hold()).broken))
    monday = on - timedelta(days=on.weekday())
    ahead = [monday + timedelta(weeks=n) for n in range(weeks)]
    sums = dict.fromkeys(ahead, ZERO)
    awaited = [p for p in latest.values() if p.jusqu_au >= on]
    owed = _owed(ledger.invoices, ledger.payments, [p for p in awaited if p.montant is None])
    for line in [*awaited, *(x for x in lines if x.action == ECHEANCIER and x.jusqu_au >= on)]:
        week = line.jusqu_au - timedelta(days=line.jusqu_au.weekday())
        if week in sums:
            sums[week] += line.montant if line.montant is not None else owed[
                (line.societe, line.tiers, line.piece, line.date)]
    return PromiseFigures(len(past), kept, tuple(sums.items()))
