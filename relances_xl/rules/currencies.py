"""Invoices in other currencies: the ledger split by currency, the euro settings
restated in each.

A reminder claims an invoice in the currency it was issued in (SAP, Business Central
and ERPNext do the same): a row of the table is one customer, one company and one
currency, and its amounts are never converted. Only the settings that are euro
amounts (the minimum amount to remind, the levels' fees) are restated in the row's
currency, through Paramètres' "Taux de change", rounded to the cent half up. The
recovery indemnity of art. D441-5 of the Code de commerce is a euro amount set by
law: a row in another currency claims it in euros beside its total
(`ReminderRow.indemnite_euros`), never converted. A currency without a rate is a
problem, never a guess. Pure.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from operator import attrgetter

from .. import layout
from ..config import ExchangeRate, Settings
from ..model import DEFAULT_CURRENCY, ZERO, Ledger, Problem

_DEVISE = attrgetter("devise")
_DEVISE_HEADER = layout.header(layout.FACTURES_COLUMNS, "devise")
MISSING_RATE = ("aucun taux de change pour {devise} dans la feuille Paramètres (table "
                "Taux de change) : ses lignes restent décochées et leurs lettres ne "
                "partent pas")


def currencies(ledger: Ledger) -> set[str]:
    """The currencies of the ledger's invoices and payments (the euro alone, mostly)."""
    return set(map(_DEVISE, ledger.invoices)) | set(map(_DEVISE, ledger.payments))


def in_currency(ledger: Ledger, devise: str) -> Ledger:
    """The ledger with only the invoices and payments of `devise`: what its rows see
    (their balance, credits, settlements and promises kept are of that currency)."""
    return Ledger(ledger.customers,
                  tuple(i for i in ledger.invoices if i.devise == devise),
                  tuple(p for p in ledger.payments if p.devise == devise),
                  ledger.history)


def settings_in(settings: Settings, rate: ExchangeRate | None) -> Settings:
    """The settings whose amounts are euros, restated in the rate's currency: the
    minimum amount and each level's fee (`ExchangeRate.from_euros`). No rate: nil
    amounts, the rows being unticked anyway (`MISSING_RATE`)."""
    if rate is not None and rate.devise == DEFAULT_CURRENCY:
        return settings

    def restated(amount: Decimal) -> Decimal:
        return rate.from_euros(amount) if rate is not None else ZERO

    levels = tuple(replace(level, frais=restated(level.frais)) for level in settings.levels)
    return replace(settings, levels=levels,
                   montant_minimum=restated(settings.montant_minimum))


def missing_rates(ledger: Ledger, settings: Settings, found: set[str]) -> list[Problem]:
    """One problem per currency of the ledger Taux de change lacks, on the first row
    in it (the invoice's, else the payment's), warning: the other rows go on."""
    problems = []
    for devise in sorted(found):
        if settings.rate(devise) is not None:
            continue
        first = next((i for i in ledger.invoices if i.devise == devise), None)
        sheet = layout.FACTURES if first is not None else layout.REGLEMENTS
        if first is None:
            first = next(p for p in ledger.payments if p.devise == devise)
        problems.append(Problem(sheet, first.row, _DEVISE_HEADER, devise,
                                MISSING_RATE.format(devise=devise), blocking=False))
    return problems


def in_euros(ledger: Ledger, settings: Settings) -> tuple[Ledger, tuple[str, ...]]:
    """The ledger with every amount in euros, for the dashboard's charts (which add
    customers and companies together): each invoice and payment converted at its
    currency's rate (`ExchangeRate.to_euros`, to the cent, half up); the currencies
    without a rate left out, and named. A ledger in euros alone comes back as it is."""
    found = currencies(ledger)
    if found <= {DEFAULT_CURRENCY}:
        return ledger, ()
    missing = tuple(sorted(d for d in found if settings.rate(d) is None))
    rates = {d: settings.rate(d) for d in found if d not in missing}

    def converted(items: tuple) -> tuple:
        return tuple(item if item.devise == DEFAULT_CURRENCY else item._replace(
            montant=rates[item.devise].to_euros(item.montant), devise=DEFAULT_CURRENCY)
            for item in items if item.devise in rates)

    return Ledger(ledger.customers, converted(ledger.invoices), converted(ledger.payments),
                  ledger.history), missing


def euros_note(ledger: Ledger, settings: Settings) -> str:
    """What the dashboard says of its euros: the rates used and the currencies left out;
    "" for a ledger in euros alone."""
    found = sorted(currencies(ledger) - {DEFAULT_CURRENCY})
    if not found:
        return ""
    used, missing = [], []
    for devise in found:
        rate = settings.rate(devise)
        if rate is None:
            missing.append(devise)
            continue
        when = f", taux du {rate.date:%d/%m/%Y}" if rate.date else ""
        used.append(f"1 € = {_plain(rate.unites_par_euro)} {devise}{when}")
    text = ("Montants en euros : les autres devises converties au taux de change de "
            "Paramètres, pièce par pièce, au centime")
    if used:
        text += f" ({' ; '.join(used)})"
    if missing:
        text += f" ; exclues faute de taux : {', '.join(missing)}"
    return text + "."


def _plain(number: Decimal) -> str:
    """1.0150 -> "1,015": a rate as the French write it, without trailing zeros."""
    text = format(number.normalize(), "f")
    return text.replace(".", ",")
