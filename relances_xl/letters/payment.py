"""How the letter asks to be paid, from the customer's payment mode. Pure, no I/O.

A customer who pays by cheque is asked for a cheque to the company's order at its
address; one who pays by bill of exchange (LCR) or direct debit is asked to pay the
missed instalment by transfer, the next ones being presented as agreed; everyone
else is asked for a transfer. Every letter that asks for a transfer carries the EPC
QR code of that transfer, when the company has an IBAN and something is due.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ..config import Company
from ..model import DEFAULT_CURRENCY, Customer, ReminderRow, strip_accents
from .epc import transfer_qr

VIREMENT, CHEQUE, LCR, PRELEVEMENT = "virement", "cheque", "lcr", "prelevement"
# The codes of "Mode de règlement" as French ledgers write them, by their first letters.
_PREFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (CHEQUE, ("CH",)),
    (LCR, ("LCR", "LC", "TRAIT", "EFF", "BOR")),
    (PRELEVEMENT, ("PR", "SEPA", "SDD")),
)


def payment_kind(code: str) -> str:
    """"CHQ" -> cheque, "LCR" -> lcr, "PRLV" -> prelevement; anything else is a transfer."""
    folded = "".join(ch for ch in strip_accents(code) if ch.isalnum() and ch.isascii()).upper()
    for kind, prefixes in _PREFIXES:
        if folded.startswith(prefixes):
            return kind
    return VIREMENT


def letter_payment_kind(row: ReminderRow, customer: Customer) -> str:
    """The kind of payment of the letter's invoices (each its own mode, else the
    customer's); when they differ, the customer's own mode decides."""
    kinds = {payment_kind(line.invoice.mode_reglement or customer.mode_reglement)
             for line in row.lines}
    if len(kinds) == 1:
        return kinds.pop()
    return payment_kind(customer.mode_reglement)


def payment_fields(row: ReminderRow, customer: Customer, company: Company,
                   amount: Decimal, numbers: Iterable[str]) -> dict:
    """`mode_reglement`, and `virement_qr`: the QR code of the transfer asked for, or "".

    Only a letter in euros has one: the EPC QR code (EPC069-12) carries an amount in
    euros alone, so a letter in dollars asks for its transfer in words only."""
    kind = letter_payment_kind(row, customer)
    qr = None
    if kind != CHEQUE and row.devise == DEFAULT_CURRENCY:
        qr = transfer_qr(company.raison_sociale or company.societe, company.iban, company.bic,
                         amount, list(numbers))
    return {"mode_reglement": kind, "virement_qr": qr or ""}
