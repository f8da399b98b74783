"""Which debt each payment settled, and when: the dates interest stops. Pure, Decimal.

A payment lettered to an invoice settles that invoice on its date. A payment or a credit
note lettered to no invoice is imputed as art. 1342-10 of the Code civil says when the
debtor chose nothing: first on the debts due on its date, the oldest first (then on the
debts not yet due, the first to fall due first). This is done for the interest and the
figures only: nothing is written to `Règlements` (see `allocation` for the setting that
letters them at Appliquer). A payment reduces the principal, not first the interest
(art. 1343-1 would let the creditor impute a partial payment on interest first; the
reading more favourable to the customer is taken, see docs/interets.md).

Lettered payments keep their invoice: an unlettered credit only takes what the lettered
payments up to the date leave open, so an invoice is never settled twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from ..model import ZERO, Ledger

Settlement = tuple[date, Decimal]  # (date, amount settled)


class Debt(NamedTuple):
    """An invoice that may take an unlettered credit: what the lettered payments leave."""

    piece: str
    date_piece: date
    echeance: date
    open: Decimal  # its amount less what is lettered to it


class CreditItem(NamedTuple):
    """A payment lettered to nothing, or a credit note: when, and how much."""

    date: date
    numero: str
    montant: Decimal


def impute(debts: Sequence[Debt], credits: Iterable[CreditItem]
           ) -> dict[str, list[Settlement]]:
    """Per invoice (n° pièce), the parts of the unlettered credits imputed to it (art.
    1342-10): each credit in date order, on the debts due on its date, oldest due date
    first, then on those not yet due. What no debt takes stays unimputed.

    Ordered by due date, the debts due on a credit's date come before those not yet due
    whatever that date: one order serves every credit, and as each credit takes the
    first debts left open, one position in it suffices."""
    order = sorted(debts, key=lambda d: (d.echeance, d.date_piece, d.piece))
    left = [debt.open for debt in order]
    found: dict[str, list[Settlement]] = {}
    first = 0  # the first debt still open
    for credit in sorted(credits):
        amount = credit.montant
        while amount > ZERO and first < len(order):
            part = min(amount, left[first])
            left[first] -= part
            amount -= part
            found.setdefault(order[first].piece, []).append((credit.date, part))
            if not left[first]:
                first += 1
    return found


def unimputed(debts: Sequence[Debt], credits: Iterable[CreditItem]) -> Decimal:
    """What the credits leave once every debt they can settle is settled."""
    credits = list(credits)
    taken = sum((part for parts in impute(debts, credits).values() for _, part in parts),
                ZERO)
    return sum((c.montant for c in credits if c.montant > ZERO), ZERO) - taken


class Settled:
    """Per invoice, the dated settlements up to `on`: its lettered payments, and its part
    of the customer's unlettered payments and credit notes (`impute`). Built on first
    use, one customer at a time: a run without interest never pays for it."""

    def __init__(self, ledger: Ledger, on: date) -> None:
        self._ledger, self._on = ledger, on
        self._lettered: dict[tuple[str, str], list[Settlement]] | None = None
        self._debts: dict[tuple[str, str], list[Debt]] = {}
        self._credits: dict[tuple[str, str], list[CreditItem]] = {}
        self._imputed: dict[tuple[str, str], dict[str, list[Settlement]]] = {}

    def of(self, societe: str, tiers: str, piece: str) -> list[Settlement]:
        """The settlements of one invoice, lettered and imputed, in no set order."""
        if self._lettered is None:
            self._index()
        assert self._lettered is not None
        lettered = self._lettered.get((societe, piece), [])
        key = (societe, tiers)
        imputed = self._imputed.get(key)
        if imputed is None:
            imputed = self._imputed[key] = impute(self._debts.get(key, []),
                                                  self._credits.get(key, []))
        return lettered + imputed.get(piece, [])

    def _index(self) -> None:
        """One pass over the payments, two cheap ones over the invoices: the debts are
        made only for the customers holding an unlettered credit (most hold none)."""
        on = self._on
        lettered: dict[tuple[str, str], list[Settlement]] = {}
        paid: dict[tuple[str, str], Decimal] = {}
        credits = self._credits
        for payment in self._ledger.payments:
            if payment.date > on:
                continue
            if payment.piece_lettree:
                key = (payment.societe, payment.piece_lettree)
                found = lettered.get(key)
                if found is None:
                    lettered[key] = [(payment.date, payment.montant)]
                    paid[key] = payment.montant
                else:
                    found.append((payment.date, payment.montant))
                    paid[key] += payment.montant
            elif payment.montant > ZERO:
                credits.setdefault((payment.societe, payment.tiers), []).append(
                    CreditItem(payment.date, payment.numero, payment.montant))
        invoices = self._ledger.invoices
        for invoice in invoices:
            if (invoice.avoir and invoice.comptabilisee and invoice.date_piece <= on
                    and invoice.montant > ZERO):
                credits.setdefault((invoice.societe, invoice.tiers), []).append(
                    CreditItem(invoice.date_piece, invoice.piece, invoice.montant))
        if credits:
            for invoice in invoices:
                key = (invoice.societe, invoice.tiers)
                if (key not in credits or invoice.avoir or not invoice.comptabilisee
                        or invoice.date_piece > on or invoice.litige):
                    continue  # a disputed invoice is withheld on purpose: takes no credit
                left = invoice.montant - paid.get((invoice.societe, invoice.piece), ZERO)
                if left > ZERO:
                    self._debts.setdefault(key, []).append(
                        Debt(invoice.piece, invoice.date_piece, invoice.echeance, left))
        self._lettered = lettered
