"""Money, dates, rates, a letter's title and a postal address as the customer's
language writes them (Babel, per language), and the rows of invoices and of credits
that a letter and the proposal both list. Pure, no I/O.

Apart from `context.py` because more than the reminder letter prints them: the
proposal lists the same invoice rows, and the account statements (`statement.py`,
`statements_run.py`), the recovery file (`recovery_file.py`, `recovery_texts.py`) and
`render.py`, which picks a template by `langue_of`, read the formats here without
loading the letter's wording.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from .. import config, model, texts
from ..model import (
    AVOIR,
    EXCEDENT,
    REGLEMENT,
    ZERO,
    Credit,
    Customer,
    Invoice,
    ReminderLine,
    ReminderRow,
)

LANGUES = config.LANGUES  # declared once, with the templates
LOCALES = texts.LOCALES
_DATE_PATTERNS = {"FR": "dd/MM/yyyy", "EN": "dd/MM/yyyy", "DE": "dd.MM.yyyy"}
_HOME_COUNTRIES = {"", "france", "fr"}  # no country line for a French address

_TITLES = {
    "FR": ("Relance", "{ordinal} relance", "Mise en demeure"),
    "EN": ("Payment reminder", "{ordinal} reminder", "Formal notice"),
    "DE": ("Zahlungserinnerung", "{ordinal}Mahnung", "Letzte Mahnung"),
}
# Public buyers get no formal notice: their last level claims the moratory interest
_PUBLIC_TITLES = {
    "FR": ("Relance", "{ordinal} relance", "Relance – intérêts moratoires"),
    "EN": ("Payment reminder", "{ordinal} reminder", "Reminder – late-payment interest"),
    "DE": ("Zahlungserinnerung", "{ordinal}Zahlungserinnerung",
           "Zahlungserinnerung – Verzugszinsen"),
}
_ORDINALS = {
    "FR": ["Deuxième", "Troisième", "Quatrième", "Cinquième", "Sixième"],
    "EN": ["Second", "Third", "Fourth", "Fifth", "Sixth"],
}
# what each credit allocated to no invoice is, in the list "Règlements reçus non imputés"
_CREDIT_LABELS = {
    "FR": {REGLEMENT: "Règlement reçu", AVOIR: "Avoir",
           EXCEDENT: "Règlements reçus au-delà des factures qu'ils soldent"},
    "EN": {REGLEMENT: "Payment received", AVOIR: "Credit note",
           EXCEDENT: "Payments received beyond the invoices they settle"},
    "DE": {REGLEMENT: "Zahlungseingang", AVOIR: "Gutschrift",
           EXCEDENT: "Zahlungen über die ausgeglichenen Rechnungen hinaus"},
}


# --- values ----------------------------------------------------------------------------


def langue_of(code: str | None) -> str:
    """FR, EN or DE; French when the `Langue` cell is empty or holds anything else."""
    code = (code or "").strip().upper()
    return code if code in LANGUES else "FR"


def money(amount: Decimal, langue: str, devise: str = model.DEFAULT_CURRENCY) -> str:
    """`11 063,80 €`, `€11,063.80`, `11.063,80 €`, and in another currency
    `1 234,56 $US`, `US$1,234.56`, `1.234,56 $`: Babel's own spacing is kept."""
    return texts.money(amount, devise, LOCALES[langue_of(langue)])


def short_date(day: date, langue: str) -> str:
    """Table dates with a four-digit year, so 2022 and 1922 never meet in one column."""
    langue = langue_of(langue)
    return format_date(day, _DATE_PATTERNS[langue], locale=LOCALES[langue])


def long_date(day: date, langue: str) -> str:
    """The date of a letter: `27 juillet 2022`, `27 July 2022`, `27. Juli 2022`."""
    return format_date(day, "long", locale=LOCALES[langue_of(langue)])


@lru_cache(maxsize=256)  # a handful of rates, asked for each period of each letter
def percent(rate: Decimal, langue: str) -> str:
    """A rate given as a fraction, with two decimals at least, as rates are published:
    0.1215 -> `12,15 %`, 0.10 -> `10,00 %` (the locale's own percent sign and spacing)."""
    locale = LOCALES[langue_of(langue)]
    number = format_decimal(rate * 100, "#,##0.00##", locale=locale)
    return format_percent(1, locale=locale).replace("100", number, 1)


def level_title(niveau: int, max_level: int, langue: str, public: bool = False) -> str:
    """The letter's subject: a reminder, a firmer one, and the last is a formal notice
    (for public buyers, the claim of moratory interest: no formal notice)."""
    langue = langue_of(langue)
    first, middle, last = (_PUBLIC_TITLES if public else _TITLES)[langue]
    if niveau >= max_level > 1:
        return last
    if niveau <= 1:
        return first
    if langue == "DE":
        return middle.format(ordinal="" if niveau == 2 else f"{niveau - 1}. ")
    ordinals = _ORDINALS[langue]
    ordinal = ordinals[niveau - 2] if niveau - 2 < len(ordinals) else f"{niveau}."
    return middle.format(ordinal=ordinal)


def address_lines(customer: Customer) -> list[str]:
    """The postal block under the name; the country only for an address abroad."""
    town = " ".join(part for part in (customer.code_postal, customer.ville) if part)
    lines = [customer.adresse1, customer.adresse2, town]
    if customer.pays.strip().casefold() not in _HOME_COUNTRIES:
        lines.append(customer.pays.strip().upper())
    return [line for line in lines if line]


# --- the rows of the letter's and the proposal's tables --------------------------------


def line_fields(line: ReminderLine, langue: str, devise: str = model.DEFAULT_CURRENCY,
                indemnite_euros: Decimal = ZERO) -> dict:
    """An invoice of a letter, or of a customer in the proposal; a row in another
    currency shows its indemnity in euros (`indemnite_euros`, per invoice), the amount
    the law sets."""
    invoice = line.invoice
    return {
        **invoice_fields(invoice, line.reste_du, line.jours_retard, langue, devise),
        "niveau": line.niveau,
        "interets": money(line.interets, langue, devise),
        "interets_brut": line.interets,
        "indemnite": (money(indemnite_euros, langue) if indemnite_euros
                      else money(line.indemnite, langue, devise)),
        "indemnite_brut": indemnite_euros or line.indemnite,
    }


def unit_in_euros(row: ReminderRow) -> Decimal:
    """The indemnity per invoice of a row in another currency, in euros; else zero."""
    return row.indemnite_euros / len(row.lines) if row.indemnite_euros else ZERO


def invoice_fields(invoice: Invoice, reste: Decimal, jours_retard: int, langue: str,
                   devise: str = model.DEFAULT_CURRENCY) -> dict:
    """An invoice's dates and amounts, `reste` being what remains due of it: the columns
    a letter's invoices and the proposal's invoices and disputes share."""
    return {
        "numero": invoice.piece,
        "date": short_date(invoice.date_piece, langue),
        "echeance": short_date(invoice.echeance, langue),
        "montant": money(invoice.montant, langue, devise),
        "montant_brut": invoice.montant,
        "reste_du": money(reste, langue, devise),
        "reste_du_brut": reste,
        "jours_retard": jours_retard,
    }


def credits_fields(row: ReminderRow, langue: str) -> dict:
    """The customer's payments and credit notes no invoice took, and what is left to pay."""
    return {
        "non_imputes": [_credit(credit, langue, row.devise) for credit in row.credits],
        "total_non_impute": money(row.non_impute, langue, row.devise),
        "total_non_impute_brut": row.non_impute,
        "total_a_regler": money(row.a_regler, langue, row.devise),
        "total_a_regler_brut": row.a_regler,
    }


def _credit(credit: Credit, langue: str, devise: str) -> dict:
    return {
        "date": short_date(credit.date, langue),
        "numero": credit.numero,
        "libelle": _CREDIT_LABELS[langue][credit.kind],
        "montant": money(credit.montant, langue, devise),
        "montant_brut": credit.montant,
    }
