"""What a letter claims beyond the invoices, and the law it cites: the interest at the
régime's rates, the D441-5 indemnity (in euros, whatever the row's currency) and the
reminder fee, as the lines and sentences of `letter_context`. Pure, no I/O.

Apart from `context.py` because this is the legal wording, read and changed on its
own: the bases by régime (a professional's L441-10, a private customer's 1231-6, a
public buyer's moratory interest), the labels of the agios lines, the rates the
interest ran at and the detail of its periods; the context only places them among
the letter's fields.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from .. import model
from ..config import TAUX_PARTICULIERS, TAUX_PROFESSIONNELS, TAUX_PUBLICS, LevelSet, Settings
from ..model import InterestPeriod, ReminderLine, ReminderRow
from ..rules.interest import MissingRate, half_year_start, rate_on, rate_schedule
from .formats import money, percent, short_date

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
_REGIME_RATE = {"pro": TAUX_PROFESSIONNELS, "particulier": TAUX_PARTICULIERS,
                "public": TAUX_PUBLICS}
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


def legal_basis(langue: str, what: str) -> str:
    """The law a letter cites, in its language: for the interest, by régime ("pro",
    "particulier", "public"); for the indemnity, "indemnite" or "indemnite_public"."""
    return _LEGAL[langue][what]


def claimed_rates(row: ReminderRow, regime: str, settings: Settings, on: date
                  ) -> list[Decimal]:
    """The distinct annual rates of the interest claimed, in date order; the letter
    date's rate when none is claimed (a first notice to a private customer)."""
    found: list[Decimal] = []
    for period in sorted((p for line in row.lines for p in line.periodes),
                         key=lambda p: p.du):
        if period.taux not in found:
            found.append(period.taux)
    return found or [rate_today(regime, settings, on)]


def rate_today(regime: str, settings: Settings, on: date) -> Decimal:
    """The régime's rate in force on the letter's date (for a public buyer, the rate of
    the half-year's first day, the one a delay starting that day would bear)."""
    schedule = rate_schedule(settings, _REGIME_RATE[regime])
    if regime == "public":
        on = half_year_start(on)
    try:
        return rate_on(on, schedule)
    except MissingRate:  # the table lacks the letter's half-year: its latest rate
        return schedule[-1].taux


def first_notice(row: ReminderRow) -> date | None:
    """The mise en demeure a private customer's interest runs from: the day before the
    first day of interest claimed; None when this letter is the first notice."""
    starts = [line.periodes[0].du for line in row.lines if line.periodes]
    return min(starts) - timedelta(days=1) if starts else None


def period_fields(line: ReminderLine, period: InterestPeriod, langue: str,
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


def agios_lines(
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


def indemnity_in_euros(row: ReminderRow, levels: LevelSet, langue: str) -> str:
    """The sentence a letter in another currency says of the indemnity it claims in
    euros (`ReminderRow.indemnite_euros`); "" for a letter in euros or claiming none."""
    if not row.indemnite_euros:
        return ""
    base = _LEGAL[langue]["indemnite_public" if levels.public else "indemnite"]
    return _INDEMNITY_IN_EUROS[langue].format(montant=money(row.indemnite_euros, langue),
                                              base=base, nom=row.devise)
