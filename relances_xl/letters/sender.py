"""Who writes the letter: the sender's legal mentions and its signatory. Pure, no I/O.

A French business letter must show the company's legal form, share capital, RCS
city and number (or RM for a craftsman), SIREN/SIRET and VAT number (art. R123-237 of
the Code de commerce); the templates print them in the page footer, one line per
group, each mention only when its cell in `Paramètres` is filled, and a line only
when one of its mentions is. In English and German the usual French job titles of the
signatory are translated.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from babel import Locale

from ..config import Company
from ..texts import LOCALES, SHEET_LOCALE, money
from .epc import Picture

SIGNATURE_WIDTH_MM = 40.0
_WORDS = {
    "FR": {"capital": "{forme} au capital de {capital}", "capital_only": "capital de {capital}",
           "siege": "Siège social\u00a0: {adresse}",
           "siret": "SIRET {siret}", "tva": "N°\u00a0TVA {tva}"},
    "EN": {"capital": "{forme} with a share capital of {capital}",
           "capital_only": "share capital {capital}", "siege": "Registered office: {adresse}",
           "siret": "SIRET {siret}", "tva": "VAT No. {tva}"},
    "DE": {"capital": "{forme} mit einem {kapital} von {capital}",
           "capital_only": "{kapital} {capital}", "siege": "Sitz: {adresse}",
           "siret": "SIRET {siret}", "tva": "USt-IdNr. {tva}"},
}
# German names the capital by the form: "Stammkapital" is a GmbH's (§ 5 GmbHG), which a
# SARL resembles; "Grundkapital" an AG's, divided into shares (§ 1 Abs. 2 AktG), as an
# SA's or an SAS's is; any other form has a plain "Kapital" (docs/regles.md).
_GERMAN_CAPITAL = {"SARL": "Stammkapital", "EURL": "Stammkapital", "SELARL": "Stammkapital",
                   "SA": "Grundkapital", "SAS": "Grundkapital", "SASU": "Grundkapital",
                   "SCA": "Grundkapital", "SE": "Grundkapital", "SELAS": "Grundkapital"}
# The usual French titles of who signs a reminder, in English and German; a title not
# listed is printed as typed in Paramètres.
_TITLES = {
    "responsable comptable": ("Head of Accounting", "Leitung Buchhaltung"),
    "chef comptable": ("Chief Accountant", "Leitung Buchhaltung"),
    "comptable": ("Accountant", "Buchhaltung"),
    "assistant comptable": ("Accounts Assistant", "Buchhaltungsassistenz"),
    "assistante comptable": ("Accounts Assistant", "Buchhaltungsassistenz"),
    "responsable recouvrement": ("Credit Controller", "Forderungsmanagement"),
    "charge de recouvrement": ("Credit Controller", "Forderungsmanagement"),
    "chargee de recouvrement": ("Credit Controller", "Forderungsmanagement"),
    "credit manager": ("Credit Manager", "Credit Manager"),
    "directeur administratif et financier": ("Chief Financial Officer",
                                             "Kaufmännische Leitung"),
    "directrice administrative et financiere": ("Chief Financial Officer",
                                                "Kaufmännische Leitung"),
    "daf": ("Chief Financial Officer", "Kaufmännische Leitung"),
    "directeur financier": ("Finance Director", "Finanzleitung"),
    "directrice financiere": ("Finance Director", "Finanzleitung"),
    "directeur general": ("Managing Director", "Geschäftsführung"),
    "directrice generale": ("Managing Director", "Geschäftsführung"),
    "gerant": ("Managing Director", "Geschäftsführer"),
    "gerante": ("Managing Director", "Geschäftsführerin"),
    "president": ("President", "Präsident"),
    "presidente": ("President", "Präsidentin"),
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
        "signataire_titre": job_title(company.signataire_titre, langue),
        "signature": Picture(signature, SIGNATURE_WIDTH_MM) if signature else "",
    }


def legal_mentions(company: Company, langue: str) -> list[str]:
    """The footer's lines: the company, its form and capital, its registered office
    (labelled as such), then the registrations. The form is not repeated when the name
    ends with it ("Domaine de la Vigne SAS au capital de…"); the phone and e-mail are
    the letterhead's, not repeated here. Each mention keeps its words on one line."""
    words = _WORDS.get(langue, _WORDS["FR"])
    capital = capital_text(company.capital, langue)
    forme = company.forme_juridique.strip()
    named = _ends_with_form(company.raison_sociale, forme)
    kapital = _GERMAN_CAPITAL.get(forme.upper().replace(".", ""), "Kapital")
    if capital and forme:
        form = words["capital"].format(forme=forme, capital=capital, kapital=kapital)
        if named:
            form = form.removeprefix(forme).strip()
    elif capital:
        form = words["capital_only"].format(capital=capital, kapital=kapital)
    else:
        form = "" if named else forme
    name = " ".join(part for part in (company.raison_sociale, form) if part)
    if company.raison_sociale and form and not named:
        name = f"{company.raison_sociale}, {form}"
    siege = words["siege"].format(adresse=company.adresse) if company.adresse else ""
    siret = words["siret"].format(siret=company.siret) if company.siret else ""
    tva = words["tva"].format(tva=company.tva) if company.tva else ""
    lines = [(name, siege), tuple(_unbroken(part) for part in (company.rcs, siret, tva))]
    return [" · ".join(part for part in line if part) for line in lines if any(line)]


def _ends_with_form(name: str, forme: str) -> bool:
    """"Domaine de la Vigne SAS" already says its form "SAS"."""
    return bool(forme) and name.upper().replace(".", "").split()[-1:] == [
        forme.upper().replace(".", "")]


def _unbroken(mention: str) -> str:
    """A registration (RCS, SIRET, VAT number) never breaks across lines."""
    return mention.replace(" ", "\u00a0")


def job_title(title: str, langue: str) -> str:
    """The signatory's title in the letter's language, for the usual French titles."""
    if langue == "FR" or not title:
        return title
    key = " ".join(unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
                   .casefold().replace("-", " ").split())
    found = _TITLES.get(key)
    return title if found is None else found[0 if langue == "EN" else 1]


def capital_text(capital: Decimal | None, langue: str) -> str:
    """`150 000 €`: a share capital is written without cents unless it has some."""
    if capital is None:
        return ""
    locale = LOCALES.get(langue, SHEET_LOCALE)
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    if capital == capital.to_integral_value():
        pattern = pattern.replace(".00", "")
    return money(capital, locale=locale, pattern=pattern, cents=False)
