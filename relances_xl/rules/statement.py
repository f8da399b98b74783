"""The statement of account ("relevé de compte") of a customer in a company. Pure.

Every open item at the date D: the posted invoices with something left to pay, the
posted credit notes, the payments lettered to no invoice, and what payments lettered
beyond their invoice (or to one not posted) left over, so that the items always add up
to the balance: `Statement.solde` is the customer's Solde comptable at D, the total of
its row of the balance âgée, whose buckets (the `Tranches de la balance âgée` of
Paramètres) the statement shows too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..config import Settings
from ..model import DEFAULT_CURRENCY, ZERO, Filters, Ledger
from .aging import balance_agee
from .currencies import in_currency

FACTURE, AVOIR, REGLEMENT, EXCEDENT = "facture", "avoir", "reglement", "excedent"


@dataclass(frozen=True)
class Item:
    """One open item; credits (credit notes, payments) are negative."""

    kind: str  # FACTURE, AVOIR, REGLEMENT or EXCEDENT
    piece: str
    date: date
    echeance: date | None
    montant: Decimal
    regle: Decimal  # what lettered payments settled of it
    reste: Decimal  # montant - regle
    jours_retard: int  # 0 when not late, or not an invoice


@dataclass(frozen=True)
class Statement:
    tiers: str
    societe: str
    on: date
    items: tuple[Item, ...]
    buckets: tuple[Decimal, ...]  # aging.BUCKET_KEYS, the balance âgée's
    solde: Decimal  # the Solde comptable at `on` = sum of the items' reste
    devise: str = DEFAULT_CURRENCY  # every amount of it is in this currency

    @property
    def non_impute(self) -> Decimal:
        """What no invoice carries (credits, overpayments): the balance less the buckets."""
        return self.solde - sum(self.buckets, ZERO)


def statement(ledger: Ledger, settings: Settings, tiers: str, societe: str,
              on: date, devise: str = DEFAULT_CURRENCY) -> Statement:
    """The statement of `tiers` in `societe` at `on` in one currency (empty when it
    holds nothing): its invoices and payments in that currency only."""
    ledger = in_currency(ledger, devise)
    aged = balance_agee(ledger, settings, Filters(on, clients=frozenset({tiers}),
                                                  societes=frozenset({societe})))
    row = next((r for r in aged if r.tiers == tiers and r.societe == societe), None)
    paid: dict[str, Decimal] = {}
    items: list[Item] = []
    for payment in ledger.payments:
        if payment.tiers != tiers or payment.societe != societe or payment.date > on:
            continue
        if payment.piece_lettree:
            paid[payment.piece_lettree] = paid.get(payment.piece_lettree, ZERO) + payment.montant
        else:
            items.append(Item(REGLEMENT, payment.numero, payment.date, None, -payment.montant,
                              ZERO, -payment.montant, 0))
    for invoice in ledger.invoices:
        if (invoice.tiers != tiers or invoice.societe != societe or not invoice.comptabilisee
                or invoice.date_piece > on):
            continue
        if invoice.avoir:
            items.append(Item(AVOIR, invoice.piece, invoice.date_piece, None, -invoice.montant,
                              ZERO, -invoice.montant, 0))
            continue
        regle = paid.get(invoice.piece, ZERO)
        if invoice.montant - regle > ZERO:
            items.append(Item(FACTURE, invoice.piece, invoice.date_piece, invoice.echeance,
                              invoice.montant, regle, invoice.montant - regle,
                              max((on - invoice.echeance).days, 0)))
    solde = row.total if row else ZERO
    left = solde - sum((item.reste for item in items), ZERO)
    if left:  # payments lettered beyond their invoice, or to one not posted
        items.append(Item(EXCEDENT, "", on, None, left, ZERO, left, 0))
    items.sort(key=lambda item: (item.date, item.piece))
    buckets = row.buckets if row else (ZERO,) * 5
    return Statement(tiers, societe, on, tuple(items), buckets, solde, devise)
