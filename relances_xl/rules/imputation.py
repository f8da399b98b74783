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

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from operator import attrgetter
from typing import NamedTuple

from ..model import ZERO, Credit, Invoice, Ledger, Payment

Settlement = tuple[date, Decimal]  # (date, amount settled)
# an invoice with something left to pay: (its position in the ledger, its reste dû)
OpenInvoice = tuple[int, Decimal]


class Debt(NamedTuple):
    """An invoice that may take an unlettered credit: what the lettered payments leave."""

    piece: str
    date_piece: date
    echeance: date
    open: Decimal  # its amount less what is lettered to it


_DEBT_ORDER = attrgetter("echeance", "date_piece", "piece")  # the oldest due date first


class CreditItem(NamedTuple):
    """A payment lettered to nothing, or a credit note: when, and how much."""

    date: date
    numero: str
    montant: Decimal


def impute(debts: Sequence[Debt], credits: Iterable[CreditItem | Credit]
           ) -> dict[str, list[Settlement]]:
    """Per invoice (n° pièce), the parts of the unlettered credits imputed to it (art.
    1342-10): each credit in date order, on the debts due on its date, oldest due date
    first, then on those not yet due. What no debt takes stays unimputed.

    Ordered by due date, the debts due on a credit's date come before those not yet due
    whatever that date: one order serves every credit, and as each credit takes the
    first debts left open, one position in it suffices."""
    order = sorted(debts, key=_DEBT_ORDER)
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


def open_invoices(invoices: Sequence[Invoice], paid: Mapping[str, Mapping[str, Decimal]]
                  ) -> list[OpenInvoice]:
    """The posted invoices, credit notes aside, that what is lettered to them (`paid`,
    per company then piece) leaves open, in ledger order, with their reste dû (a
    negative one too: an invoice typed with a negative amount and nothing lettered).

    Most invoices of a year's ledger are settled: the passes that look for what is
    due (the engine's lines, the debts an unlettered credit may take) go over these
    alone, the settled ones left behind once, here."""
    found: list[OpenInvoice] = []
    append, nothing = found.append, {}
    for position, invoice in enumerate(invoices):
        if invoice.avoir or not invoice.comptabilisee:
            continue
        montant = invoice.montant
        settled = paid.get(invoice.societe, nothing).get(invoice.piece)
        if settled is None:
            if montant:
                append((position, montant))
        elif settled < montant:
            append((position, montant - settled))
    return found


class PaymentIndex(NamedTuple):
    """The payments up to a date as the engine's own pass over them indexed them (per
    company then piece or customer), and the invoices they leave open: what `Settled`
    needs, without a pass of its own."""

    paid: Mapping[str, Mapping[str, Decimal]]  # the sum lettered to each invoice
    lettered: Mapping[str, Mapping[str, Sequence[Payment]]]  # the payments, by invoice
    credits: Mapping[str, Mapping[str, Sequence[CreditItem | Credit]]]  # lettered to
    # no invoice and the credit notes, by customer
    # open_invoices(invoices, paid), as the engine has it; None: `Settled` makes its debts
    # in a pass of its own
    open: Sequence[OpenInvoice] | None = None


class Settled:
    """Per invoice, the dated settlements up to `on`: its lettered payments, and its part
    of the customer's unlettered payments and credit notes (`impute`). Built on first
    use: a run without interest never pays for it.

    `payments`, when given, is the engine's index of the payments and credit notes up to
    `on`; without it, one pass over the payments and the invoices makes it."""

    def __init__(self, ledger: Ledger, on: date, payments: PaymentIndex | None = None) -> None:
        self._ledger, self._on = ledger, on
        self._payments = payments
        self._debts: dict[str, dict[str, list[Debt]]] | None = None
        self._imputed: dict[str, dict[str, dict[str, list[Settlement]]]] = defaultdict(dict)

    def of(self, societe: str, tiers: str, piece: str) -> Sequence[Settlement]:
        """The settlements of one invoice, lettered and imputed, in no set order (the
        index's own lists: read them, do not change them)."""
        if self._payments is None:
            self._payments = _index(self._ledger, self._on)
        by_piece = self._payments.lettered.get(societe)
        payments = by_piece.get(piece) if by_piece else None  # most: nothing lettered
        lettered = [(payment.date, payment.montant) for payment in payments] if payments else ()
        by_tiers = self._imputed[societe]
        imputed = by_tiers.get(tiers)  # per customer, worked out once for its invoices
        if imputed is None:
            imputed = by_tiers[tiers] = self._imputed_to(societe, tiers)
        parts = imputed.get(piece)
        if parts is None:
            return lettered
        return [*lettered, *parts] if lettered else parts

    def _imputed_to(self, societe: str, tiers: str) -> dict[str, list[Settlement]]:
        """The parts of a customer's unlettered credits imputed to each of its invoices."""
        assert self._payments is not None
        credits = self._payments.credits.get(societe, {}).get(tiers)
        if not credits:
            return {}
        if self._debts is None:
            self._debts = self._open_debts()
        return impute(self._debts[societe].get(tiers, ()), credits)

    def _open_debts(self) -> dict[str, dict[str, list[Debt]]]:
        """The debts, made only for the customers holding a credit (most hold none), in
        ledger order. A disputed invoice is withheld on purpose: it takes no credit.

        From the engine's open invoices when it gave them; else in one pass over the
        invoices, a customer holding no credit passed over before its invoice is
        looked at (the dashboard's case: a pass, not `open_invoices` and then one)."""
        assert self._payments is not None
        on, credits, invoices = self._on, self._payments.credits, self._ledger.invoices
        debts: dict[str, dict[str, list[Debt]]] = defaultdict(dict)
        unpaid = self._payments.open
        if unpaid is None:
            paid, nothing = self._payments.paid, {}
            for invoice in invoices:
                holders = credits.get(invoice.societe)
                if (not holders or invoice.tiers not in holders or invoice.avoir
                        or not invoice.comptabilisee):
                    continue
                settled = paid.get(invoice.societe, nothing).get(invoice.piece)
                if settled is None:
                    _add_debt(debts, invoice, invoice.montant, on)
                elif settled < invoice.montant:  # most are settled: no call for them
                    _add_debt(debts, invoice, invoice.montant - settled, on)
            return debts
        for position, left in unpaid:
            invoice = invoices[position]
            holders = credits.get(invoice.societe)
            if holders and invoice.tiers in holders:
                _add_debt(debts, invoice, left, on)
        return debts


def _add_debt(debts: dict[str, dict[str, list[Debt]]], invoice: Invoice, left: Decimal,
              on: date) -> None:
    """`invoice`, its customer holding a credit, as a debt when it may take one: posted
    by `on`, undisputed, something left open."""
    if invoice.date_piece > on or invoice.litige or left <= ZERO:
        return
    mine = debts[invoice.societe]
    debt = Debt(invoice.piece, invoice.date_piece, invoice.echeance, left)
    found = mine.get(invoice.tiers)
    if found is None:
        mine[invoice.tiers] = [debt]
    else:
        found.append(debt)


def _index(ledger: Ledger, on: date) -> PaymentIndex:
    """`PaymentIndex` up to `on`, for a caller without the engine's: one pass over the
    payments, one over the invoices."""
    paid: dict[str, dict[str, Decimal]] = defaultdict(dict)
    lettered: dict[str, dict[str, list[Payment]]] = defaultdict(dict)
    credits: dict[str, dict[str, list[CreditItem]]] = defaultdict(dict)
    for payment in ledger.payments:
        if payment.date > on:
            continue
        if payment.piece_lettree:
            pieces = paid[payment.societe]
            known = pieces.get(payment.piece_lettree)
            pieces[payment.piece_lettree] = (payment.montant if known is None
                                             else known + payment.montant)
            lettered[payment.societe].setdefault(payment.piece_lettree, []).append(payment)
        elif payment.montant > ZERO:
            credits[payment.societe].setdefault(payment.tiers, []).append(
                CreditItem(payment.date, payment.numero, payment.montant))
    for invoice in ledger.invoices:
        if (invoice.avoir and invoice.comptabilisee and invoice.date_piece <= on
                and invoice.montant > ZERO):
            credits[invoice.societe].setdefault(invoice.tiers, []).append(
                CreditItem(invoice.date_piece, invoice.piece, invoice.montant))
    return PaymentIndex(paid, lettered, credits)
