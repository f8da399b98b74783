"""The balance âgée: where the money is stuck, by how long, with whom. Pure, no I/O.

One row per (customer, company, currency) holding an open item at the date D: the open amounts
of its posted invoices spread over buckets of days late (an invoice due on D is échu,
0 days late, as on the Relances table; `Non échu` is due after D), what it holds
that no invoice carries (`Non imputé`: payments lettered to nothing, open credit
notes, the surplus of an overpaid invoice, all negative), and `Total`, which is then
the customer's solde comptable at D, as the table of the `Relances` sheet shows it.
Disputed invoices count (the money is owed) and mark their row `Litige`.

The same filters as Appliquer: Client(s), Famille(s), Représentant(s) select customers,
Société companies; Mode de règlement selects the rows having an open invoice of that
mode (the customer's when the invoice has none) and the row then shows all of the
customer's figures, so that its total stays its balance.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from ..config import Settings
from ..model import DEFAULT_CURRENCY, ZERO, Customer, Filters, Invoice, Ledger, Payment
from .engine import selected_customers

_Key = tuple[str, str, str]  # (société, code tiers, devise)
BUCKET_KEYS = ("non_echu", "j1_30", "j31_60", "j61_90", "plus_90")
DEFAULT_LIMITS = (30, 60, 90)


class AgedRow(NamedTuple):
    """A customer in a company: its open amounts by age, the unallocated, the total.

    A NamedTuple, as the engine's rows: one per customer of the ledger, built at a
    third of a frozen dataclass's cost."""

    tiers: str
    nom: str
    societe: str
    buckets: tuple[Decimal, ...]  # one per BUCKET_KEYS, in that order
    non_impute: Decimal
    litige: bool
    devise: str = DEFAULT_CURRENCY  # every amount of the row is in it

    @property
    def total(self) -> Decimal:
        return sum(self.buckets, ZERO) + self.non_impute


def bucket_labels(limits: tuple[int, int, int]) -> tuple[str, ...]:
    """The headers of the buckets: "Non échu", "0 à 30 jours"… "Plus de 90 jours"."""
    low, middle, high = limits
    return ("Non échu", f"0 à {low} jours", f"{low + 1} à {middle} jours",
            f"{middle + 1} à {high} jours", f"Plus de {high} jours")


def bucket_of(jours_retard: int, limits: tuple[int, int, int]) -> int:
    """0 for not yet due (due after the date), then 1..4 by the limits, inclusive: an
    invoice due on the date is échu, 0 days late, as on the Relances table."""
    if jours_retard < 0:
        return 0
    for index, limit in enumerate(limits, start=1):
        if jours_retard <= limit:
            return index
    return len(limits) + 1


def balance_agee(ledger: Ledger, settings: Settings, filters: Filters) -> list[AgedRow]:
    """The rows in the table's order (code tiers, société, then the euro before the other
    currencies): a customer owing euros and dollars has a row for each, never summed."""
    customers = {c.tiers: c for c in selected_customers(ledger.customers, filters)}
    scope = _Scope(customers, {s.casefold() for s in filters.societes},
                   {m.casefold() for m in filters.modes})
    paid, solde = _payments(ledger.payments, filters.date, scope)
    spread = _Spread()
    _add_invoices(ledger.invoices, filters.date, settings.tranches_balance, scope, paid, solde,
                  spread)
    rows = []
    for key in sorted(set(spread.buckets) | {k for k, v in solde.items() if v}, key=_order):
        if scope.modes and key not in spread.with_mode:
            continue
        buckets = spread.buckets.get(key, [ZERO] * 5)
        rows.append(AgedRow(key[1], customers[key[1]].nom, key[0], tuple(buckets),
                            solde[key] - sum(buckets, ZERO), key in spread.disputed, key[2]))
    return rows


@dataclass(frozen=True)
class _Scope:
    """What the filters select: these customers, these companies, rows with these modes
    (an empty set: all)."""

    customers: dict[str, Customer]
    societes: set[str]
    modes: set[str]


@dataclass
class _Spread:
    """Per row key, its open amounts by bucket; the rows with a disputed invoice and
    those with an open invoice of a selected mode."""

    buckets: dict[_Key, list[Decimal]] = field(default_factory=dict)
    disputed: set[_Key] = field(default_factory=set)
    with_mode: set[_Key] = field(default_factory=set)


def _payments(payments: Iterable[Payment], on: date, scope: _Scope
              ) -> tuple[dict[str, dict[str, Decimal]], dict[_Key, Decimal]]:
    """(What the payments in scope letter to each piece, per company then piece; each
    row's balance so far, the payments taken off), in one pass. Inline, with no call
    nor tuple per payment before it is known to count: it runs for every payment of
    the ledger (docs/performance.md)."""
    customers, societes = scope.customers, scope.societes
    paid: dict[str, dict[str, Decimal]] = {}
    solde: dict[_Key, Decimal] = {}
    for payment in payments:
        if payment.date > on or payment.tiers not in customers:
            continue
        societe = payment.societe
        if societes and societe.casefold() not in societes:
            continue
        key = (societe, payment.tiers, payment.devise)
        solde[key] = solde.get(key, ZERO) - payment.montant
        piece = payment.piece_lettree
        if piece:
            pieces = paid.get(societe)
            if pieces is None:
                pieces = paid[societe] = {}
            pieces[piece] = pieces.get(piece, ZERO) + payment.montant
    return paid, solde


def _add_invoices(invoices: Iterable[Invoice], on: date, limits: tuple[int, int, int],
                  scope: _Scope, paid: dict[str, dict[str, Decimal]],
                  solde: dict[_Key, Decimal], spread: _Spread) -> None:
    """The posted invoices and credit notes in scope added to the rows' balances, and
    what each invoice leaves open to its row's bucket of days late (inline, as
    `_payments`)."""
    customers, societes, modes = scope.customers, scope.societes, scope.modes
    buckets, nothing = spread.buckets, {}
    by_due: dict[date, int] = {}  # each due date's bucket: a year holds a few hundred
    for invoice in invoices:
        if not invoice.comptabilisee or invoice.date_piece > on:
            continue
        tiers, societe = invoice.tiers, invoice.societe
        if tiers not in customers or (societes and societe.casefold() not in societes):
            continue
        key, montant = (societe, tiers, invoice.devise), invoice.montant
        if invoice.avoir:
            solde[key] = solde.get(key, ZERO) - montant
            continue
        solde[key] = solde.get(key, ZERO) + montant
        lettered = paid.get(societe, nothing).get(invoice.piece)
        if lettered is None:
            reste = montant
        elif lettered >= montant:
            continue  # settled, as most are: no subtraction
        else:
            reste = montant - lettered
        if reste <= ZERO:
            continue
        spreads = buckets.get(key)
        if spreads is None:
            spreads = buckets[key] = [ZERO] * 5
        echeance = invoice.echeance
        bucket = by_due.get(echeance)
        if bucket is None:
            bucket = by_due[echeance] = bucket_of((on - echeance).days, limits)
        spreads[bucket] += reste
        if invoice.litige:
            spread.disputed.add(key)
        if modes and (invoice.mode_reglement
                      or customers[tiers].mode_reglement).casefold() in modes:
            spread.with_mode.add(key)


def echu_net(row: AgedRow) -> Decimal:
    """What the row owes overdue once what no invoice carries counts: unlettered payments
    and credit notes settle the oldest debts first (art. 1342-10 Code civil, as for the
    interest), so they lower the overdue buckets before `Non échu`; never below zero."""
    echu = sum(row.buckets[1:], ZERO)
    return max(echu + min(row.non_impute, ZERO), ZERO)


def totals_by_currency(rows: Iterable[AgedRow]
                       ) -> dict[str, tuple[tuple[Decimal, ...], Decimal, Decimal]]:
    """`totals` per currency, the euro first: amounts of two currencies never added."""
    grouped: dict[str, list[AgedRow]] = {}
    for row in rows:
        grouped.setdefault(row.devise, []).append(row)
    order = sorted(grouped, key=lambda devise: (devise != DEFAULT_CURRENCY, devise))
    return {devise: totals(grouped[devise]) for devise in order}


def totals(rows: Iterable[AgedRow]) -> tuple[tuple[Decimal, ...], Decimal, Decimal]:
    """(buckets, non imputé, total) summed over the rows: the sheet's last line."""
    rows = list(rows)
    buckets = tuple(sum((r.buckets[i] for r in rows), ZERO) for i in range(len(BUCKET_KEYS)))
    non_impute = sum((r.non_impute for r in rows), ZERO)
    return buckets, non_impute, sum(buckets, ZERO) + non_impute


def _order(key: _Key) -> tuple[str, str, bool, str]:
    societe, tiers, devise = key
    return tiers, societe, devise != DEFAULT_CURRENCY, devise
