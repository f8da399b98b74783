"""Domain values as the workbook shows them: amounts with their currency, a customer's
address on one line. The engine and the model hold data; the words and figures a user
reads are made here, once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import cache

from babel.numbers import format_currency, get_currency_symbol, list_currencies

from .model import DEFAULT_CURRENCY, Customer

SHEET_LOCALE = "fr_FR"  # the workbook's sheets, messages and proposal are French
LOCALES = {"FR": "fr_FR", "EN": "en_GB", "DE": "de_DE"}  # a letter's language -> its locale


def money(amount: Decimal, currency: str = DEFAULT_CURRENCY, locale: str = SHEET_LOCALE, *,
          pattern: str | None = None, cents: bool = True) -> str:
    """An amount with its currency, as `locale` writes it (Babel): "11 063,80 €",
    "€11,063.80", "11.063,80 €", "1 234,56 $US". The one place an amount becomes text
    with its currency; `pattern` is a Babel number pattern, `cents=False` lets it drop
    the cents (a share capital: "150 000 €")."""
    return format_currency(amount, currency, format=pattern, locale=locale,
                           currency_digits=cents)


@cache
def known_currency(code: str) -> bool:
    """An ISO 4217 code Babel knows ("USD"), so that `money` can write it."""
    return code in list_currencies()


def by_currency(amounts: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """(currency, amount) pairs summed per currency, the euro first: amounts of two
    currencies are never added."""
    found: dict[str, Decimal] = {}
    for devise, amount in amounts:
        found[devise] = found.get(devise, Decimal("0.00")) + amount
    return dict(sorted(found.items(), key=lambda item: item[0] != DEFAULT_CURRENCY))


def amounts_text(totals: Mapping[str, Decimal], locale: str = SHEET_LOCALE) -> str:
    """"5 791,46 €", or "5 791,46 € + 1 234,56 $US" for totals in several currencies
    (`by_currency`); a nil total of a currency is not said beside the others ("0,00 €"
    when all are nil, or there is none)."""
    said = {devise: amount for devise, amount in totals.items() if amount}
    if not said:
        return money(Decimal("0.00"), next(iter(totals), DEFAULT_CURRENCY), locale)
    return " + ".join(money(amount, devise, locale) for devise, amount in said.items())


def euros(amount: Decimal) -> str:
    """French money text, as the sheet shows it: "11 063,80 €"."""
    return money(amount)


@cache
def currency_symbol(currency: str = DEFAULT_CURRENCY, locale: str = SHEET_LOCALE) -> str:
    """"€" for EUR in French, "$US" for USD: what `money` writes after the figure."""
    return get_currency_symbol(currency, locale)


def euros_text(amount: Decimal, currency: str = DEFAULT_CURRENCY) -> str:
    """What `money` writes in French, without Babel's general machinery: for a text made
    per row (a motif, a line of the FEC import's report); a test holds the two equal."""
    grouped = f"{amount:,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{grouped}\u00a0{currency_symbol(currency)}"


def money_format(currency: str = DEFAULT_CURRENCY, cents: bool = True) -> str:
    """Excel's number format of a money cell, '#,##0.00 "€"': the figure as the sheet
    reads it, then the currency's symbol."""
    return f'#,##0{".00" if cents else ""} "{currency_symbol(currency)}"'


def one_line_address(customer: Customer) -> str:
    """The address of the guide's table, "MME toulouse amelie - 51100 REIMS": the name,
    then the postcode and town, each part only when filled."""
    town = " ".join(filter(None, (customer.code_postal, customer.ville)))
    return " - ".join(filter(None, (customer.nom, town)))
