"""Who writes the letter: the sender's legal mentions and its signatory. Pure, no I/O.

A French business letter must show the company's legal form, share capital, RCS
city and number (or RM for a craftsman), SIREN/SIRET and VAT number (art. R123-237 of
the Code de commerce); the templates print them in the page footer, one line per
group, each mention only when its cell in `Paramètres` is filled, and a line only
when one of its mentions is.
"""

from __future__ import annotations

from decimal import Decimal

from babel import Locale

from ..model import Company
from ..texts import LOCALES, SHEET_LOCALE, money
from .epc import Picture

SIGNATURE_WIDTH_MM = 40.0
_WORDS = {
    "FR": {"capital": "{forme} au capital de {capital}", "capital_only": "capital de {capital}",
           "siret": "SIRET {siret}", "tva": "N° TVA {tva}", "telephone": "Tél. {telephone}"},
    "EN": {"capital": "{forme} with a share capital of {capital}",
           "capital_only": "share capital {capital}",
           "siret": "SIRET {siret}", "tva": "VAT No. {tva}", "telephone": "Tel. {telephone}"},
    "DE": {"capital": "{forme} mit einem Stammkapital von {capital}",
           "capital_only": "Stammkapital {capital}",
           "siret": "SIRET {siret}", "tva": "USt-IdNr. {tva}", "telephone": "Tel. {telephone}"},
}


def sender_fields(company: Company, langue: str, signature: bytes = b"") -> dict:
    """The company's mentions and signatory, as the letter fields `societe_…` and
    `signataire…`; `signature` is the image file's bytes (empty: room to sign by hand)."""
    return {
        "societe_bic": company.bic,
        "societe_forme_juridique": company.forme_juridique,
        "societe_capital": capital_text(company.capital, langue),
        "societe_rcs": company.rcs,
        "societe_tva": company.tva,
        "societe_telephone": company.telephone,
        "societe_mentions": legal_mentions(company, langue),
        "signataire": company.signataire,
        "signataire_titre": company.signataire_titre,
        "signature": Picture(signature, SIGNATURE_WIDTH_MM) if signature else "",
    }


def legal_mentions(company: Company, langue: str) -> list[str]:
    """The footer's lines: identity and contact, then the registrations."""
    words = _WORDS.get(langue, _WORDS["FR"])
    capital = capital_text(company.capital, langue)
    if capital and company.forme_juridique:
        form = words["capital"].format(forme=company.forme_juridique, capital=capital)
    elif capital:
        form = words["capital_only"].format(capital=capital)
    else:
        form = company.forme_juridique
    name = ", ".join(part for part in (company.raison_sociale, form) if part)
    phone = words["telephone"].format(telephone=company.telephone) if company.telephone else ""
    siret = words["siret"].format(siret=company.siret) if company.siret else ""
    tva = words["tva"].format(tva=company.tva) if company.tva else ""
    lines = [(name, company.adresse, phone, company.email), (company.rcs, siret, tva)]
    return [" · ".join(part for part in line if part) for line in lines if any(line)]


def capital_text(capital: Decimal | None, langue: str) -> str:
    """`150 000 €`: a share capital is written without cents unless it has some."""
    if capital is None:
        return ""
    locale = LOCALES.get(langue, SHEET_LOCALE)
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    if capital == capital.to_integral_value():
        pattern = pattern.replace(".00", "")
    return money(capital, locale=locale, pattern=pattern, cents=False)
