"""The statement of account (REL01) as a template's context, in the customer's language.

The figures are `rules.statement`'s; here they become text: amounts and dates in the
customer's language, the kind of each item, the aged buckets' labels. The template is
written by make_statement.py; the envelope (envelope.py) puts the statement after the
letter, and `relances-xl releves` sends it on its own.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..config import STATEMENT_FORME, Company, Settings
from ..model import DEFAULT_CURRENCY, Customer, Ledger
from ..rules.statement import AVOIR, EXCEDENT, FACTURE, REGLEMENT, Statement, statement
from .formats import address_lines, langue_of, long_date, short_date
from .formats import money as letter_money
from .sender import sender_fields

KINDS = {
    FACTURE: {"FR": "Facture", "EN": "Invoice", "DE": "Rechnung"},
    AVOIR: {"FR": "Avoir", "EN": "Credit note", "DE": "Gutschrift"},
    REGLEMENT: {"FR": "Règlement non imputé", "EN": "Unallocated payment",
                "DE": "Nicht zugeordnete Zahlung"},
    EXCEDENT: {"FR": "Trop-perçu sur factures", "EN": "Overpayment on invoices",
               "DE": "Überzahlung auf Rechnungen"},
}
_BUCKETS = {
    "FR": ("Non échu", "1 à {a} jours", "{b} à {c} jours", "{d} à {e} jours", "Plus de {e} jours"),
    "EN": ("Not yet due", "1 to {a} days", "{b} to {c} days", "{d} to {e} days",
           "Over {e} days"),
    "DE": ("Nicht fällig", "1 bis {a} Tage", "{b} bis {c} Tage", "{d} bis {e} Tage",
           "Über {e} Tage"),
}
_UNALLOCATED = {"FR": "Non imputé", "EN": "Unallocated", "DE": "Nicht zugeordnet"}


def bucket_labels(limits: tuple[int, int, int], langue: str) -> list[str]:
    """The balance âgée's buckets in the customer's language, then its "Non imputé"."""
    low, middle, high = limits
    numbers = {"a": low, "b": low + 1, "c": middle, "d": middle + 1, "e": high}
    return [*(label.format(**numbers) for label in _BUCKETS[langue_of(langue)]),
            _UNALLOCATED[langue_of(langue)]]


def statement_context(ledger: Ledger, settings: Settings, customer: Customer,
                      company: Company, on: date, devise: str = DEFAULT_CURRENCY) -> dict:
    """Everything REL01 shows (see the README of the templates), in one currency."""
    found = statement(ledger, settings, customer.tiers, company.societe, on, devise)
    return context_of(found, settings, customer, company)


def context_of(found: Statement, settings: Settings, customer: Customer,
               company: Company) -> dict:
    langue = langue_of(customer.langue)
    when = long_date(found.on, langue)

    def money(amount: Decimal, langue: str) -> str:
        return letter_money(amount, langue, found.devise)

    return {
        "langue": langue,
        "forme": STATEMENT_FORME,
        "date_releve": when,
        "lieu_date": when,
        "recommande": False,  # the letters' head has the line; a statement never goes so
        "societe": company.societe,
        "societe_raison_sociale": company.raison_sociale or company.societe,
        "societe_adresse": company.adresse,
        "societe_email": company.email,
        "client_code": customer.tiers,
        "client_nom": customer.nom,
        "client_adresse_lignes": address_lines(customer),
        "lignes": [{
            "type": KINDS[item.kind][langue],
            "numero": item.piece,
            "date": short_date(item.date, langue),
            "echeance": short_date(item.echeance, langue) if item.echeance else "",
            "montant": money(item.montant, langue),
            "regle": money(item.regle, langue) if item.regle else "",
            "reste": money(item.reste, langue),
            "jours_retard": item.jours_retard or "",
        } for item in found.items],
        "tranches": [{"libelle": label, "montant": money(amount, langue)}
                     for label, amount in zip(bucket_labels(settings.tranches_balance, langue),
                                              (*found.buckets, found.non_impute),
                                              strict=True)],
        "solde": money(found.solde, langue),
        "solde_brut": found.solde,
        **{key: value for key, value in sender_fields(company, langue).items()
           if key.startswith("societe_")},
    }
