"""Domain values as the workbook shows them: amounts in euros, a customer's address on
one line. The engine and the model hold data; the words and figures a user reads are
made here, once.
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency

from .model import Customer


def euros(amount: Decimal) -> str:
    """French money text, as the sheet shows it: "11 063,80 €"."""
    return format_currency(amount, "EUR", locale="fr_FR")


def euros_text(amount: Decimal) -> str:
    """What `euros` writes, without Babel's general machinery: for a text made per row
    (a motif, a line of the FEC import's report); a test holds the two equal."""
    grouped = f"{amount:,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{grouped}\u00a0€"


def one_line_address(customer: Customer) -> str:
    """The address of the guide's table, "MME toulouse amelie - 51100 REIMS": the name,
    then the postcode and town, each part only when filled."""
    town = " ".join(filter(None, (customer.code_postal, customer.ville)))
    return " - ".join(filter(None, (customer.nom, town)))
