"""What the proposal shows beside the invoices to remind. Pure, no I/O.

An accountant reads the proposal to decide, and to keep: who is not reminded and why
(the rows left unticked, with their motif), which filters and "échues au" date made
it, when it was printed, and per customer the balance of its account and the QR code
its letter will carry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ..config import Company, Settings
from ..model import Customer, Filters, HistoryEntry, ReminderRow
from .payment import payment_fields

PROPOSAL_QR_MM = 25.0  # smaller than the letters' 3.2 cm: the proposal only shows which code goes
_CHANNELS = {"FR": ("Courrier", "E-mail ou courrier", "Recommandé AR"),
             "EN": ("Post", "E-mail or post", "Registered post"),
             "DE": ("Post", "E-Mail oder Post", "Einschreiben")}
_FILTER_LABELS = {
    "FR": {"clients": "Client(s)", "familles": "Famille(s) client(s)",
           "representants": "Représentant(s)", "modes": "Mode de règlement",
           "societes": "Société"},
    "EN": {"clients": "Customers", "familles": "Customer groups",
           "representants": "Sales representatives", "modes": "Payment mode",
           "societes": "Company"},
    "DE": {"clients": "Kunden", "familles": "Kundengruppen", "representants": "Vertreter",
           "modes": "Zahlungsart", "societes": "Gesellschaft"},
}
_NO_FILTER = {"FR": "aucun (tous les clients)", "EN": "none (all customers)",
              "DE": "keine (alle Kunden)"}


def filter_fields(filters: Filters | None, langue: str) -> dict:
    """`filtres` (the filter cells that hold codes) and `filtres_texte`, ready to print."""
    labels = _FILTER_LABELS[langue]
    shown = [] if filters is None else [
        {"libelle": labels[key], "valeur": "; ".join(sorted(getattr(filters, key)))}
        for key in labels if getattr(filters, key)]
    text = " · ".join(f"{f['libelle']} : {f['valeur']}" if langue == "FR"
                      else f"{f['libelle']}: {f['valeur']}" for f in shown)
    return {"filtres": shown, "filtres_texte": text or _NO_FILTER[langue]}


def unticked_rows(rows: Iterable[ReminderRow], names: dict[str, str], money, langue: str
                  ) -> list[dict]:
    """The rows left unticked "A relancer", with why: they get no letter."""
    return [{"tiers": row.tiers, "societe": row.societe, "nom": names.get(row.tiers, row.tiers),
             "niveau": row.niveau,
             "solde_comptable": money(row.solde_comptable, langue, row.devise),
             "encours_relance": money(row.encours_relance, langue, row.devise),
             "motif": row.motif, "devise": row.devise}
            for row in rows if not row.a_relancer]


def client_extras(row: ReminderRow, customer: Customer | None, company: Company | None,
                  money, langue: str) -> dict:
    """Per customer: its balance, and the QR code of the transfer its letter asks for."""
    qr = ""
    if customer is not None and company is not None:
        amount = row.a_regler + row.agios_reclames  # what its letter asks
        found = payment_fields(row, customer, company, amount,
                               [ln.invoice.piece for ln in row.lines])["virement_qr"]
        qr = replace(found, width_mm=PROPOSAL_QR_MM) if found else ""
    return {"solde_comptable": money(row.solde_comptable, langue, row.devise),
            "solde_comptable_brut": row.solde_comptable, "virement_qr": qr}


def issued_levels(history: Iterable[HistoryEntry]) -> dict[tuple[str, str], int]:
    """(company, invoice) -> the highest level a letter gave it: a disputed invoice's
    level in the proposal, as the reminded ones show theirs."""
    levels: dict[tuple[str, str], int] = {}
    for entry in history:
        key = (entry.societe, entry.piece)
        levels[key] = max(levels.get(key, 0), entry.niveau)
    return levels


def with_levels(litiges: list[dict], societe: str, levels: dict[tuple[str, str], int]
                ) -> list[dict]:
    """The disputed invoices with the level a letter gave each (0: never reminded)."""
    return [{**line, "niveau": levels.get((societe, line["numero"]), 0)} for line in litiges]


def dispatch_summary(row: ReminderRow, customer: Customer | None, settings: Settings,
                     langue: str) -> dict:
    """How its letter will go, for the proposal's first table (one line per customer):
    the template of its level, by post or e-mail (a registered letter by post only),
    registered or not, in which language."""
    level = None
    if customer is not None and row.niveau:
        try:
            level = settings.level_set(customer.conditions).level(row.niveau)
        except KeyError:  # an unknown set or level is reported by the engine already
            level = None
    recommande = bool(level and level.recommande)
    post, either, registered = _CHANNELS.get(langue, _CHANNELS["FR"])
    if recommande:
        canal = registered
    else:
        canal = either if customer is not None and customer.email else post
    return {"modele": level.forme if level else "", "canal": canal, "recommande": recommande,
            "langue_lettre": (customer.langue if customer else "") or "FR"}
