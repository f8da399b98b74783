"""« Imputer sur les plus anciennes factures »: credits lettered to no invoice, allocated.

Some ledgers are never lettered: a restaurant's card takings, a FEC whose program
letters nothing. There, each payment lowers the balance (Solde comptable) but no
invoice, and a reminder would list every invoice ever issued. When `Paramètres`
says so, Appliquer first allocates, per customer and company, its payments lettered
to no invoice and its credit notes, oldest credit first, to its open invoices,
oldest due date first (then piece date, then number), as an accountant letters a
never-lettered account by hand. Pure: a ledger in, the ledger as if so lettered out;
nothing is written to `Règlements`, so the next Appliquer allocates afresh from what
the user typed.

Only what counts on the day of the table is allocated: payments dated by then,
posted credit notes and invoices dated by then. Disputed invoices take nothing (the
customer withholds their payment on purpose). A credit beyond every open invoice
stays unallocated, and the reminder says so as it does without this setting.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from ..model import ZERO, Invoice, Ledger, Payment

AVOIR_MODE = "Avoir"

_Key = tuple[str, str, str]  # (société, code tiers, devise): a credit settles its currency only


def allocate_oldest_first(ledger: Ledger, on: date) -> tuple[Ledger, int]:
    """(the ledger with its unlettered credits allocated, how many credits were)."""
    open_items = _open_invoices(ledger, on)
    credits: dict[_Key, list[Payment | Invoice]] = defaultdict(list)
    for payment in ledger.payments:
        if not payment.piece_lettree and payment.date <= on and payment.montant > 0:
            credits[(payment.societe, payment.tiers, payment.devise)].append(payment)
    for invoice in ledger.invoices:
        if (invoice.avoir and invoice.comptabilisee and invoice.date_piece <= on
                and invoice.montant > 0):
            credits[(invoice.societe, invoice.tiers, invoice.devise)].append(invoice)
    parts: dict[int, list[tuple[str, Decimal]]] = {}  # id(credit) -> (invoice, amount)
    for key, found in credits.items():
        invoices = open_items.get(key)
        if not invoices:
            continue
        found.sort(key=_credit_order)
        for credit in found:
            taken = _take(credit.montant, invoices)
            if taken:
                parts[id(credit)] = taken
    if not parts:
        return ledger, 0
    payments = _lettered_payments(ledger.payments, parts)
    imputed: list[Payment] = []  # the credit notes' imputed parts, as payments "Avoir"
    invoices = []
    for invoice in ledger.invoices:
        taken = parts.get(id(invoice))
        if taken is None:
            invoices.append(invoice)
            continue
        imputed += [Payment(invoice.societe, invoice.piece, invoice.tiers, invoice.date_piece,
                            amount, AVOIR_MODE, piece, invoice.devise, row=invoice.row)
                    for piece, amount in taken]
        rest = invoice.montant - sum((amount for _, amount in taken), ZERO)
        if rest > 0:
            invoices.append(invoice._replace(montant=rest))
    allocated = Ledger(ledger.customers, tuple(invoices), tuple(payments + imputed),
                       ledger.history)
    return allocated, len(parts)


def _open_invoices(ledger: Ledger, on: date) -> dict[_Key, list[list]]:
    """Per customer, company and currency, [n° pièce, open amount] of the invoices that may take a
    credit, oldest due date first."""
    paid: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for payment in ledger.payments:
        if payment.piece_lettree and payment.date <= on:
            paid[(payment.societe, payment.piece_lettree)] += payment.montant
    found: dict[_Key, list[tuple[date, date, str, Decimal]]] = defaultdict(list)
    for invoice in ledger.invoices:
        if (invoice.avoir or not invoice.comptabilisee or invoice.litige
                or invoice.date_piece > on):
            continue
        left = invoice.montant - paid[(invoice.societe, invoice.piece)]
        if left > 0:
            found[(invoice.societe, invoice.tiers, invoice.devise)].append(
                (invoice.echeance, invoice.date_piece, invoice.piece, left))
    return {key: [[piece, left] for *_, piece, left in sorted(items)]
            for key, items in found.items()}


def _credit_order(credit: Payment | Invoice) -> tuple[date, str]:
    return (credit.date if isinstance(credit, Payment) else credit.date_piece,
            credit.numero if isinstance(credit, Payment) else credit.piece)


def _take(amount: Decimal, invoices: list[list]) -> list[tuple[str, Decimal]]:
    """Settle the oldest open invoices with `amount`; what each took, in order."""
    taken = []
    for item in invoices:
        if amount <= 0:
            break
        if item[1] <= 0:
            continue
        part = min(amount, item[1])
        item[1] -= part
        amount -= part
        taken.append((item[0], part))
    return taken


def _lettered_payments(payments: tuple[Payment, ...], parts: dict[int, list[tuple[str, Decimal]]]
                       ) -> list[Payment]:
    """The payments, each allocated one split into one lettered payment per invoice it
    settles, and one for what it leaves."""
    out: list[Payment] = []
    for payment in payments:
        taken = parts.get(id(payment))
        if taken is None:
            out.append(payment)
            continue
        out += [payment._replace(montant=amount, piece_lettree=piece) for piece, amount in taken]
        rest = payment.montant - sum((amount for _, amount in taken), ZERO)
        if rest > 0:
            out.append(payment._replace(montant=rest))
    return out
