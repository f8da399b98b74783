"""What a letter and the proposal show, as plain dicts for docxtpl: pure, no I/O.

Templates are Word files that accountants edit, so everything they print is ready
text here: money, dates and rates are formatted by Babel in the customer's
language (`formats.py`), and the legal wording of the agios lines is chosen in
Python (`agios.py`), where it can be tested, rather than in Jinja code inside Word.
Raw `Decimal` values (`*_brut`) are there too for templates that compute.
`fields.LETTER_FIELDS` and `PROPOSAL_FIELDS` are the schema: `templates/README.md` is
generated from them and a test checks they name exactly the fields these functions
produce.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal

from num2words import num2words

from .. import config, model, texts
from ..config import Company, LevelSet, Settings
from ..model import ZERO, Customer, Filters, Invoice, Ledger, ReminderRow
from ..rules.engine import allocated_payments
from .agios import (
    agios_lines,
    claimed_rates,
    first_notice,
    indemnity_in_euros,
    legal_basis,
    period_fields,
    rate_today,
)
from .commitment import commitment_fields, promises_fields
from .formats import (
    LOCALES,
    address_lines,
    credits_fields,
    invoice_fields,
    langue_of,
    level_title,
    line_fields,
    long_date,
    money,
    percent,
    unit_in_euros,
)
from .payment import payment_fields
from .proposal_parts import (
    client_extras,
    dispatch_summary,
    filter_fields,
    issued_levels,
    unticked_rows,
    with_levels,
)
from .sender import sender_fields

DELAI_MISE_EN_DEMEURE = 8  # days given by the formal notice
# invoices a firmer letter lists without ever having reminded them before
_FIRST_TIME = {
    "FR": (" La facture {} vous est rappelée ici pour la première fois.",
           " Les factures {} vous sont rappelées ici pour la première fois.", " et "),
    "EN": (" Invoice {} is reminded here for the first time.",
           " Invoices {} are reminded here for the first time.", " and "),
    "DE": (" Die Rechnung {} wird hiermit erstmals angemahnt.",
           " Die Rechnungen {} werden hiermit erstmals angemahnt.", " und "),
}


# --- the letter ------------------------------------------------------------------------


def letter_context(
    row: ReminderRow, customer: Customer, company: Company, settings: Settings, on: date,
    forme: str = "", signature: bytes = b"",
) -> dict:
    """Everything one letter shows, in the customer's language (see `LETTER_FIELDS`).

    `forme` is the template the print dialog imposes, if any: the subject then
    follows that template's level (a LET03 is titled a formal notice), while the
    amounts claimed stay those of the row's level, as the table shows them.
    `signature` is the signatory's image (the file's bytes), if the company has one.
    """
    langue = langue_of(customer.langue)
    levels = settings.level_set(customer.conditions)
    titled = next((lv.niveau for lv in levels.levels if forme and lv.forme == forme),
                  row.niveau)
    regime = _regime(customer, levels)
    rates = claimed_rates(row, regime, settings, on)
    level = levels.level(row.niveau) if row.niveau else None
    devise = row.devise
    lines = [line_fields(line, langue, devise, unit_in_euros(row)) for line in row.lines]
    interets = sum((ln.interets for ln in row.lines), ZERO)
    indemnites = sum((ln.indemnite for ln in row.lines), ZERO)
    total = row.a_regler + row.agios_reclames  # never more than the balance, plus agios
    lieu = _town(company.adresse)
    when = long_date(on, langue)
    notice = first_notice(row) if customer.particulier else None
    return {
        "langue": langue,
        "forme": forme or (level.forme if level else ""),
        "date_lettre": when,
        "lieu": lieu,
        "lieu_date": _place_and_date(lieu, when, langue),
        "delai_jours": DELAI_MISE_EN_DEMEURE,
        "date_limite": long_date(on + timedelta(days=DELAI_MISE_EN_DEMEURE), langue),
        "niveau": row.niveau,
        "niveau_titre": level_title(titled, levels.top, langue, levels.public),
        "societe": company.societe,
        "societe_raison_sociale": company.raison_sociale or company.societe,
        "societe_adresse": company.adresse,
        "societe_siret": company.siret,
        "societe_iban": company.iban,
        "societe_email": company.email,
        "client_code": customer.tiers,
        "client_nom": customer.nom,
        "client_adresse_lignes": address_lines(customer),
        "client_email": customer.email,
        "particulier": customer.particulier,
        "acheteur_public": levels.public,
        "lignes": lines,
        "nb_factures": len(lines),
        "mention_premiere_relance": _first_time(row, levels, titled, langue),
        "reference": ", ".join(ln.invoice.piece for ln in row.lines),
        "total_montant": money(sum((ln.invoice.montant for ln in row.lines), ZERO), langue,
                               devise),
        "total_reste_du": money(row.encours_relance, langue, devise),
        "total_reste_du_brut": row.encours_relance,
        **credits_fields(row, langue),
        **commitment_fields(row, langue),
        "total_interets": money(interets, langue, devise),
        "total_indemnites": (money(row.indemnite_euros, langue) if row.indemnite_euros
                             else money(indemnites, langue, devise)),
        "frais": money(row.frais, langue, devise),
        "total_agios": money(row.agios_reclames, langue, devise),
        "total_agios_brut": row.agios_reclames,
        "total_reclame": money(total, langue, devise),
        "total_reclame_brut": total,
        "devise": devise,
        "mention_indemnite_euros": indemnity_in_euros(row, levels, langue),
        "agios": agios_lines(row, regime, rates, settings, langue, interets, indemnites),
        "interets_reclames": bool(level and level.interets),
        "indemnite_reclamee": bool(level and level.indemnite and not customer.particulier),
        "taux": percent(rates[-1] if len(rates) == 1 else rate_today(regime, settings, on),
                        langue),
        "taux_variable": len(rates) > 1,
        "periodes": [period_fields(line, period, langue, devise) for line in row.lines
                     for period in line.periodes],
        "date_mise_en_demeure": long_date(notice, langue) if notice else "",
        "base_legale_interets": legal_basis(langue, regime),
        "base_legale_indemnite": legal_basis(langue, "indemnite_public" if levels.public
                                             else "indemnite"),
        "indemnite_unitaire": money(settings.indemnite_forfaitaire, langue),
        **sender_fields(company, langue, signature),
        **_dispatch_fields(levels, titled, langue),
        **payment_fields(row, customer, company, total,
                         [ln.invoice.piece for ln in row.lines]),
    }


def _first_time(row: ReminderRow, levels: LevelSet, titled: int, langue: str) -> str:
    """" Les factures A et B vous sont rappelées ici pour la première fois.": a letter
    beyond the first level says "despite our previous reminder" only of what it reminded
    before; empty when every invoice was reminded before (or this is a first reminder)."""
    first = levels.first.niveau
    if titled <= first:
        return ""
    pieces = [ln.invoice.piece for ln in row.lines
              if ln.niveau == 0 or (ln.due and ln.niveau == first)]
    if not pieces:
        return ""
    one, several, last = _FIRST_TIME[langue]
    if len(pieces) == 1:
        return one.format(pieces[0])
    return several.format(", ".join(pieces[:-1]) + last + pieces[-1])


def _dispatch_fields(levels: LevelSet, titled: int, langue: str) -> dict:
    """Registered post (the level's "Envoi recommandé avec AR") and the formal notice's
    delay in words: "huit jours après la date de la présente"."""
    level = next((lv for lv in levels.levels if lv.niveau == titled), None)
    return {
        "recommande": bool(level and level.recommande),
        "delai_jours_lettres": num2words(DELAI_MISE_EN_DEMEURE, lang=langue.lower()),
    }


def _regime(customer: Customer, levels: LevelSet) -> str:
    """Whose rules the letter states: a public buyer's terms, a private customer's, or
    a professional's (`config.Regime`, the engine's too)."""
    return config.Regime.of(customer, levels)


def _town(adresse: str) -> str:
    """"1 chemin des Vignes, 51100 REIMS" -> "REIMS": the place a letter is written from."""
    last = adresse.rsplit(",", 1)[-1].strip()
    words = last.split()
    while words and any(ch.isdigit() for ch in words[0]):
        words.pop(0)
    return " ".join(words)


def _place_and_date(lieu: str, when: str, langue: str) -> str:
    if not lieu:
        return when
    return f"{lieu}, le {when}" if langue == "FR" else f"{lieu}, {when}"


# --- the proposal ----------------------------------------------------------------------


def proposal_context(
    rows: list[ReminderRow], ledger: Ledger, settings: Settings, on: date, langue: str = "FR",
    *, filters: Filters | None = None, printed: date | None = None,
    followups: list | None = None,
) -> dict:
    """The invoices to remind per ticked customer, and its disputed ones, which are not
    reminded; the rows left unticked with their motif; the filters, and the print date
    (`printed`, today when not given)."""
    langue = langue_of(langue)
    names = {c.tiers: c.nom for c in ledger.customers}
    customers = {c.tiers: c for c in ledger.customers}
    companies = {c.societe: c for c in settings.companies}
    paid = allocated_payments(ledger, on)
    levels = issued_levels(ledger.history)
    unticked = unticked_rows(rows, names, money, langue)
    every_row, rows = rows, [row for row in rows if row.a_relancer]
    clients = []
    for row in rows:
        company = companies.get(row.societe)
        disputed = _disputed(ledger.invoices, row, settings, on, paid)
        client = _proposal_client(row, names.get(row.tiers, row.tiers), company,
                                  disputed, langue, on)
        client["litiges"] = with_levels(client["litiges"], row.societe, levels)
        clients.append({**client, **client_extras(row, customers.get(row.tiers), company,
                                                  money, langue),
                        **dispatch_summary(row, customers.get(row.tiers), settings, langue)})
    locale = LOCALES[langue]

    def totals(amounts: Iterable[tuple[str, Decimal]]) -> str:
        """Per currency, never added across: "5 791,46 € + 1 234,56 $US"."""
        return texts.amounts_text(texts.by_currency(amounts), locale)

    encours = sum((r.encours_relance for r in rows if r.devise == model.DEFAULT_CURRENCY),
                  ZERO)  # the raw total: the euro rows'
    return {
        "langue": langue,
        "date": long_date(on, langue),
        "clients": clients,
        "nb_clients": len(clients),
        "nb_factures": sum(len(r.lines) for r in rows),
        "total_reste_du": totals((r.devise, r.encours_relance) for r in rows),
        "total_reste_du_brut": encours,
        "total_non_impute": totals((r.devise, r.non_impute) for r in rows),
        "total_a_regler": totals((r.devise, r.a_regler) for r in rows),
        "total_agios": totals((r.devise, r.agios_reclames) for r in rows),
        "total_reclame": totals((r.devise, r.a_regler + r.agios_reclames) for r in rows),
        "total_litiges": totals((c["devise"], c["total_litiges_brut"]) for c in clients),
        **filter_fields(filters, langue),
        "date_impression": long_date(printed or date.today(), langue),
        "non_relances": unticked,
        "nb_non_relances": len(unticked),
        **promises_fields(every_row, followups or [], on, langue),  # Suivi (issue 26)
    }


def _proposal_client(
    row: ReminderRow, nom: str, company: Company | None,
    disputed: list[tuple[Invoice, Decimal]], langue: str, on: date,
) -> dict:
    devise = row.devise
    litiges = [invoice_fields(inv, reste, (on - inv.echeance).days, langue, devise)
               for inv, reste in disputed]
    total_litiges = sum((reste for _, reste in disputed), ZERO)
    return {
        "tiers": row.tiers,
        "societe": row.societe,
        "societe_raison_sociale": (company.raison_sociale if company else "") or row.societe,
        "nom": nom,
        "adresse": row.adresse,
        "niveau": row.niveau,
        "a_relancer": row.a_relancer,
        "motif": row.motif,
        "devise": devise,
        "lignes": [line_fields(line, langue, devise, unit_in_euros(row)) for line in row.lines],
        "nb_factures": len(row.lines),
        "total_reste_du": money(row.encours_relance, langue, devise),
        **credits_fields(row, langue),
        "total_agios": money(row.agios_reclames, langue, devise),
        "total_reclame": money(row.a_regler + row.agios_reclames, langue, devise),
        "litiges": litiges,
        "nb_litiges": len(litiges),
        "total_litiges": money(total_litiges, langue, devise),
        "total_litiges_brut": total_litiges,
    }


def _disputed(
    invoices: Iterable[Invoice], row: ReminderRow, settings: Settings, on: date,
    paid: Mapping[tuple[str, str], Decimal],
) -> list[tuple[Invoice, Decimal]]:
    """The row's posted, échu, still open invoices under dispute, with what remains due."""
    limit = on - timedelta(days=settings.jours_grace)
    found = []
    for inv in invoices:
        if (inv.tiers, inv.societe, inv.devise) != row.key or not inv.litige:
            continue
        if inv.avoir or not inv.comptabilisee or inv.echeance > limit:
            continue
        reste = inv.montant - paid.get((inv.societe, inv.piece), ZERO)
        if reste > 0:
            found.append((inv, reste))
    found.sort(key=lambda item: (item[0].echeance, item[0].piece))
    return found
