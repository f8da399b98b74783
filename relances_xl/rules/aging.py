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

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..config import Settings
from ..model import DEFAULT_CURRENCY, ZERO, Filters, Ledger
from .engine import selected_customers

_Key = tuple[str, str, str]  # (société, code tiers, devise)
BUCKET_KEYS = ("non_echu", "j1_30", "j31_60", "j61_90", "plus_90")
DEFAULT_LIMITS = (30, 60, 90)


@dataclass(frozen=True)
class AgedRow:
    """A customer in a company: its open amounts by age, the unallocated, the total."""

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
    on, limits = filters.date, settings.tranches_balance
    customers = {c.tiers: c for c in selected_customers(ledger.customers, filters)}
    societes = {s.casefold() for s in filters.societes}
    modes = {m.casefold() for m in filters.modes}

    def in_scope(societe: str, tiers: str) -> bool:
        return tiers in customers and (not societes or societe.casefold() in societes)

    paid: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    solde: dict[_Key, Decimal] = defaultdict(lambda: ZERO)
    for payment in ledger.payments:
        if payment.date <= on and in_scope(payment.societe, payment.tiers):
            solde[payment.societe, payment.tiers, payment.devise] -= payment.montant
            if payment.piece_lettree:
                paid[payment.societe, payment.piece_lettree] += payment.montant
    buckets: dict[_Key, list[Decimal]] = defaultdict(lambda: [ZERO] * 5)
    disputed: set[_Key] = set()
    with_mode: set[_Key] = set()
    for invoice in _posted(ledger.invoices, on):
        key = (invoice.societe, invoice.tiers, invoice.devise)
        if not in_scope(invoice.societe, invoice.tiers):
            continue
        if invoice.avoir:
            solde[key] -= invoice.montant
            continue
        solde[key] += invoice.montant
        reste = invoice.montant - paid[invoice.societe, invoice.piece]
        if reste <= ZERO:
            continue
        buckets[key][bucket_of((on - invoice.echeance).days, limits)] += reste
        if invoice.litige:
            disputed.add(key)
        mode = invoice.mode_reglement or customers[invoice.tiers].mode_reglement
        if mode.casefold() in modes:
            with_mode.add(key)
    rows = []
    for key in sorted(set(buckets) | {k for k, v in solde.items() if v}, key=_order):
        if modes and key not in with_mode:
            continue
        spread = buckets.get(key, [ZERO] * 5)
        rows.append(AgedRow(key[1], customers[key[1]].nom, key[0], tuple(spread),
                            solde[key] - sum(spread, ZERO), key in disputed, key[2]))
    return rows


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


def _posted(invoices: Iterable, on: date) -> Iterable:
    return (inv for inv in invoices if inv.comptabilisee and inv.date_piece <= on)


def _order(key: _Key) -> tuple[str, str, bool, str]:
    societe, tiers, devise = key
    return tiers, societe, devise != DEFAULT_CURRENCY, devise
