"""What a letter and the proposal show, as plain dicts for docxtpl: pure, no I/O.

Templates are Word files that accountants edit, so everything they print is ready
text here: money, dates and rates are formatted by Babel in the customer's
language, and the legal wording of the agios lines is chosen here, where it can be
tested, rather than in Jinja code inside Word. Raw `Decimal` values (`*_brut`)
are there too for templates that compute. `fields.LETTER_FIELDS` and `PROPOSAL_FIELDS`
are the schema: `templates/README.md` is generated from them and a test checks
they name exactly the fields these functions produce.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from num2words import num2words

from .. import model, texts
from ..model import (
    AVOIR,
    EXCEDENT,
    REGLEMENT,
    TAUX_PARTICULIERS,
    TAUX_PROFESSIONNELS,
    TAUX_PUBLICS,
    ZERO,
    Company,
    Credit,
    Customer,
    Filters,
    InterestPeriod,
    Invoice,
    Ledger,
    LevelSet,
    ReminderLine,
    ReminderRow,
    Settings,
)
from ..rules.engine import allocated_payments
from ..rules.interest import MissingRate, half_year_start, rate_on, rate_schedule
from .commitment import commitment_fields, promises_fields
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

LANGUES = model.LANGUES  # declared once, with the templates
LOCALES = texts.LOCALES
_DATE_PATTERNS = {"FR": "dd/MM/yyyy", "EN": "dd/MM/yyyy", "DE": "dd.MM.yyyy"}
DELAI_MISE_EN_DEMEURE = 8  # days given by the formal notice
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
# legal bases by régime: "pro" (L441-10), "particulier" (1231-6), "public" (moratory interest)
_LEGAL = {
    "FR": {"pro": "article L441-10 du Code de commerce",
           "particulier": "article 1231-6 du Code civil",
           "public": "articles L2192-13 et R2192-31 du Code de la commande publique",
           "indemnite": "article D441-5 du Code de commerce",
           "indemnite_public": "article D2192-35 du Code de la commande publique"},
    "EN": {"pro": "Article L441-10 of the French Commercial Code",
           "particulier": "Article 1231-6 of the French Civil Code",
           "public": "Articles L2192-13 and R2192-31 of the French Public Procurement Code",
           "indemnite": "Article D441-5 of the French Commercial Code",
           "indemnite_public": "Article D2192-35 of the French Public Procurement Code"},
    "DE": {"pro": "Art. L441-10 des französischen Handelsgesetzbuchs (Code de commerce)",
           "particulier": "Art. 1231-6 des französischen Zivilgesetzbuchs (Code civil)",
           "public": "Art. L2192-13 und R2192-31 des französischen Vergabegesetzbuchs "
                     "(Code de la commande publique)",
           "indemnite": "Art. D441-5 des französischen Handelsgesetzbuchs (Code de commerce)",
           "indemnite_public": "Art. D2192-35 des französischen Vergabegesetzbuchs "
                               "(Code de la commande publique)"},
}
# "<régime>_variable": the interest spans several rates, each shown in the periods' detail
_AGIOS_LABELS = {
    "FR": {"pro": "Intérêts de retard au taux annuel de {taux} ({base})",
           "pro_variable": "Intérêts de retard aux taux annuels détaillés ci-dessus ({base})",
           "particulier": "Intérêts au taux de l'intérêt légal de {taux} ({base})",
           "particulier_variable": "Intérêts aux taux de l'intérêt légal détaillés ci-dessus "
                                   "({base})",
           "public": "Intérêts moratoires au taux annuel de {taux} ({base})",
           "public_variable": "Intérêts moratoires aux taux annuels détaillés ci-dessus "
                              "({base})",
           "indemnite": "Indemnité forfaitaire pour frais de recouvrement : "
                        "{unite} × {nb} ({base})",
           "frais": "Frais de relance"},
    "EN": {"pro": "Late-payment interest at the annual rate of {taux} ({base})",
           "pro_variable": "Late-payment interest at the annual rates detailed above ({base})",
           "particulier": "Interest at the statutory rate of {taux} ({base})",
           "particulier_variable": "Interest at the statutory rates detailed above ({base})",
           "public": "Late-payment interest at the annual rate of {taux} ({base})",
           "public_variable": "Late-payment interest at the annual rates detailed above "
                              "({base})",
           "indemnite": "Fixed compensation for recovery costs: {unite} × {nb} ({base})",
           "frais": "Reminder fee"},
    # "gemäß", not "({base})": the German bases end with "(Code de commerce)" already
    "DE": {"pro": "Verzugszinsen zum Jahreszinssatz von {taux} gemäß {base}",
           "pro_variable": "Verzugszinsen zu den oben aufgeführten Jahreszinssätzen gemäß {base}",
           "particulier": "Zinsen zum gesetzlichen Zinssatz von {taux} gemäß {base}",
           "particulier_variable": "Zinsen zu den oben aufgeführten gesetzlichen Zinssätzen "
                                   "gemäß {base}",
           "public": "Verzugszinsen zum Jahreszinssatz von {taux} gemäß {base}",
           "public_variable": "Verzugszinsen zu den oben aufgeführten Jahreszinssätzen "
                              "gemäß {base}",
           "indemnite": "Pauschale für Beitreibungskosten: {unite} × {nb} gemäß {base}",
           "frais": "Mahngebühr"},
}
# invoices a firmer letter lists without ever having reminded them before
_FIRST_TIME = {
    "FR": (" La facture {} vous est rappelée ici pour la première fois.",
           " Les factures {} vous sont rappelées ici pour la première fois.", " et "),
    "EN": (" Invoice {} is reminded here for the first time.",
           " Invoices {} are reminded here for the first time.", " and "),
    "DE": (" Die Rechnung {} wird hiermit erstmals angemahnt.",
           " Die Rechnungen {} werden hiermit erstmals angemahnt.", " und "),
}
_REGIME_RATE = {"pro": TAUX_PROFESSIONNELS, "particulier": TAUX_PARTICULIERS,
                "public": TAUX_PUBLICS}


# what each credit allocated to no invoice is, in the list "Règlements reçus non imputés"
_CREDIT_LABELS = {
    "FR": {REGLEMENT: "Règlement reçu", AVOIR: "Avoir",
           EXCEDENT: "Règlements reçus au-delà des factures qu'ils soldent"},
    "EN": {REGLEMENT: "Payment received", AVOIR: "Credit note",
           EXCEDENT: "Payments received beyond the invoices they settle"},
    "DE": {REGLEMENT: "Zahlungseingang", AVOIR: "Gutschrift",
           EXCEDENT: "Zahlungen über die ausgeglichenen Rechnungen hinaus"},
}


# --- formatting ------------------------------------------------------------------------


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
    rates = _rates(row, regime, settings, on)
    level = levels.level(row.niveau) if row.niveau else None
    devise = row.devise
    lines = [_line(line, langue, devise, _unit_in_euros(row)) for line in row.lines]
    interets = sum((ln.interets for ln in row.lines), ZERO)
    indemnites = sum((ln.indemnite for ln in row.lines), ZERO)
    total = row.a_regler + row.agios_reclames  # never more than the balance, plus agios
    lieu = _town(company.adresse)
    when = long_date(on, langue)
    notice = _first_notice(row) if customer.particulier else None
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
        **_credits_fields(row, langue),
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
        "mention_indemnite_euros": _indemnity_in_euros(row, levels, langue),
        "agios": _agios_lines(row, regime, rates, settings, langue, interets, indemnites),
        "interets_reclames": bool(level and level.interets),
        "indemnite_reclamee": bool(level and level.indemnite and not customer.particulier),
        "taux": percent(rates[-1] if len(rates) == 1 else _rate_today(regime, settings, on),
                        langue),
        "taux_variable": len(rates) > 1,
        "periodes": [_period(line, period, langue, devise) for line in row.lines
                     for period in line.periodes],
        "date_mise_en_demeure": long_date(notice, langue) if notice else "",
        "base_legale_interets": _LEGAL[langue][regime],
        "base_legale_indemnite": _LEGAL[langue]["indemnite_public" if levels.public
                                                 else "indemnite"],
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
    a professional's (`model.Regime`, the engine's too)."""
    return model.Regime.of(customer, levels)


def _rates(row: ReminderRow, regime: str, settings: Settings, on: date) -> list[Decimal]:
    """The distinct annual rates of the interest claimed, in date order; the letter
    date's rate when none is claimed (a first notice to a private customer)."""
    found: list[Decimal] = []
    for period in sorted((p for line in row.lines for p in line.periodes),
                         key=lambda p: p.du):
        if period.taux not in found:
            found.append(period.taux)
    return found or [_rate_today(regime, settings, on)]


def _rate_today(regime: str, settings: Settings, on: date) -> Decimal:
    """The régime's rate in force on the letter's date (for a public buyer, the rate of
    the half-year's first day, the one a delay starting that day would bear)."""
    schedule = rate_schedule(settings, _REGIME_RATE[regime])
    if regime == "public":
        on = half_year_start(on)
    try:
        return rate_on(on, schedule)
    except MissingRate:  # the table lacks the letter's half-year: its latest rate
        return schedule[-1].taux


def _first_notice(row: ReminderRow) -> date | None:
    """The mise en demeure a private customer's interest runs from: the day before the
    first day of interest claimed; None when this letter is the first notice."""
    starts = [line.periodes[0].du for line in row.lines if line.periodes]
    return min(starts) - timedelta(days=1) if starts else None


def _period(line: ReminderLine, period: InterestPeriod, langue: str,
            devise: str = model.DEFAULT_CURRENCY) -> dict:
    """One invoice's days at one rate, for the letter's detail of the interest."""
    return {
        "numero": line.invoice.piece,
        "du": short_date(period.du, langue),
        "au": short_date(period.au, langue),
        "jours": period.jours,
        "taux": percent(period.taux, langue),
        "principal": money(period.principal, langue, devise),
        "principal_brut": period.principal,
        "reste_du": money(line.reste_du, langue, devise),
    }


def address_lines(customer: Customer) -> list[str]:
    """The postal block under the name; the country only for an address abroad."""
    town = " ".join(part for part in (customer.code_postal, customer.ville) if part)
    lines = [customer.adresse1, customer.adresse2, town]
    if customer.pays.strip().casefold() not in _HOME_COUNTRIES:
        lines.append(customer.pays.strip().upper())
    return [line for line in lines if line]


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


def _line(line: ReminderLine, langue: str, devise: str = model.DEFAULT_CURRENCY,
          indemnite_euros: Decimal = ZERO) -> dict:
    """An invoice of the letter; a row in another currency shows its indemnity in euros
    (`indemnite_euros`, per invoice), the amount the law sets."""
    invoice = line.invoice
    return {
        **_invoice_fields(invoice, line.reste_du, line.jours_retard, langue, devise),
        "niveau": line.niveau,
        "interets": money(line.interets, langue, devise),
        "interets_brut": line.interets,
        "indemnite": (money(indemnite_euros, langue) if indemnite_euros
                      else money(line.indemnite, langue, devise)),
        "indemnite_brut": indemnite_euros or line.indemnite,
    }


def _unit_in_euros(row: ReminderRow) -> Decimal:
    """The indemnity per invoice of a row in another currency, in euros; else zero."""
    return row.indemnite_euros / len(row.lines) if row.indemnite_euros else ZERO


def _invoice_fields(invoice: Invoice, reste: Decimal, jours_retard: int, langue: str,
                    devise: str = model.DEFAULT_CURRENCY) -> dict:
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


def _credits_fields(row: ReminderRow, langue: str) -> dict:
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


def _agios_lines(
    row: ReminderRow, regime: str, rates: list[Decimal], settings: Settings, langue: str,
    interets: Decimal, indemnites: Decimal,
) -> list[dict]:
    """One line per kind of charge actually claimed, each with its legal basis."""
    labels, legal = _AGIOS_LABELS[langue], _LEGAL[langue]
    found: list[tuple[str, Decimal, str]] = []
    devise = row.devise
    if interets:
        label = labels[regime] if len(rates) == 1 else labels[f"{regime}_variable"]
        found.append((label.format(taux=percent(rates[0], langue), base=legal[regime]),
                      interets, devise))
    if indemnites or row.indemnite_euros:  # the law's euros, whatever the row's currency
        count = len(row.lines) if row.indemnite_euros else sum(
            1 for ln in row.lines if ln.indemnite)
        unite = money(settings.indemnite_forfaitaire, langue)
        base = legal["indemnite_public" if regime == "public" else "indemnite"]
        found.append((labels["indemnite"].format(unite=unite, nb=count, base=base),
                      row.indemnite_euros or indemnites,
                      model.DEFAULT_CURRENCY if row.indemnite_euros else devise))
    if row.frais:
        found.append((labels["frais"], row.frais, devise))
    return [{"libelle": text, "montant": money(amount, langue, currency),
             "montant_brut": amount, "devise": currency}
            for text, amount, currency in found]


# a letter in another currency: the D441-5 indemnity, a euro amount by law, beside its total
_INDEMNITY_IN_EUROS = {
    "FR": ("S'y ajoute l'indemnité forfaitaire pour frais de recouvrement de {montant} "
           "({base}), montant fixé en euros par la loi, due en euros en sus du total en {nom}."),
    "EN": ("In addition, the fixed compensation for recovery costs of {montant} ({base}), "
           "an amount set in euros by law, is due in euros on top of the total in {nom}."),
    "DE": ("Hinzu kommt die Pauschale für Beitreibungskosten von {montant} gemäß {base}, "
           "ein gesetzlich in Euro festgelegter Betrag, zahlbar in Euro zusätzlich zum "
           "Gesamtbetrag in {nom}."),
}


def _indemnity_in_euros(row: ReminderRow, levels: LevelSet, langue: str) -> str:
    """The sentence a letter in another currency says of the indemnity it claims in
    euros (`ReminderRow.indemnite_euros`); "" for a letter in euros or claiming none."""
    if not row.indemnite_euros:
        return ""
    base = _LEGAL[langue]["indemnite_public" if levels.public else "indemnite"]
    return _INDEMNITY_IN_EUROS[langue].format(montant=money(row.indemnite_euros, langue),
                                              base=base, nom=row.devise)


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
    litiges = [_invoice_fields(inv, reste, (on - inv.echeance).days, langue, devise)
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
        "lignes": [_line(line, langue, devise, _unit_in_euros(row)) for line in row.lines],
        "nb_factures": len(row.lines),
        "total_reste_du": money(row.encours_relance, langue, devise),
        **_credits_fields(row, langue),
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
