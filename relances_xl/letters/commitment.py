"""What a letter says of a promise to pay not kept or a payment plan's missed
instalment (the `Suivi` sheet, rules/followup.py): one field, `engagement`, in the
customer's language; empty when the row has none.

Apart from `context.py` so that the letter's other wording is left as it is: the
context adds these fields, the templates print the sentence when it is not empty.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from .. import texts
from ..model import DEFAULT_CURRENCY, BrokenCommitment, ReminderRow
from ..rules.followup import FollowUp, due_soon

# {montant}: the amount promised; {date}: the promised date; {du}: what is still due
_PROMISE = {
    "FR": "Vous vous étiez engagé à régler {montant} le {date} : ce règlement ne nous est "
          "pas parvenu, {du} restent dus à ce titre.",
    "EN": "You undertook to pay {montant} on {date}: this payment has not reached us, and "
          "{du} remain due under it.",
    "DE": "Sie hatten zugesagt, {montant} am {date} zu zahlen: Diese Zahlung ist bei uns "
          "nicht eingegangen, {du} sind hierfür noch offen.",
}
_PROMISED_INVOICES = {"FR": "les factures ci-dessous", "EN": "the invoices below",
                      "DE": "die nachstehenden Rechnungen"}
_INSTALMENT = {
    "FR": "L'échéance du {date} de l'échéancier convenu n'a pas été réglée : nous vous "
          "demandons de régler sans délai {du}, dus à ce jour au titre de cet échéancier.",
    "EN": "The instalment of {date} under the agreed payment plan has not been paid: we ask "
          "you to pay without delay {du}, due to date under this plan.",
    "DE": "Die Rate vom {date} des vereinbarten Zahlungsplans wurde nicht bezahlt: Bitte "
          "zahlen Sie unverzüglich {du}, die nach diesem Plan bis heute fällig sind.",
}
_REST = {"FR": " Les échéances suivantes restent dues : {reste}.",
         "EN": " The following instalments remain due: {reste}.",
         "DE": " Folgende Raten bleiben fällig: {reste}."}
_ON = {"FR": "{montant} le {date}", "EN": "{montant} on {date}", "DE": "{montant} am {date}"}


def commitment_fields(row: ReminderRow, langue: str) -> dict[str, str]:
    """`engagement`: the sentences of the row's broken promises and missed instalments."""
    return {"engagement": " ".join(sentence(b, langue, row.devise) for b in row.engagements)}


def sentence(broken: BrokenCommitment, langue: str, devise: str = DEFAULT_CURRENCY) -> str:
    """One broken promise, or one missed instalment with the rest of its plan."""
    langue = langue if langue in _PROMISE else "FR"
    locale = texts.LOCALES[langue]

    def money(amount):
        return texts.money(amount, devise, locale)

    def day(when):
        return format_date(when, "long", locale=locale)

    if broken.promesse:
        montant = (money(broken.montant) if broken.montant is not None
                   else _PROMISED_INVOICES[langue])
        return _PROMISE[langue].format(montant=montant, date=day(broken.date),
                                       du=money(broken.du))
    text = _INSTALMENT[langue].format(date=day(broken.date), du=money(broken.du))
    if broken.reste:
        reste = ", ".join(_ON[langue].format(montant=money(m), date=day(d))
                          for d, m in broken.reste)
        text += _REST[langue].format(reste=reste)
    return text


# --- the proposal: what is promised soon, what was not kept ------------------------------

SOON_DAYS = 7
PROMISES_TITLE = {"FR": "Promesses et échéances des 7 prochains jours, promesses non tenues",
                  "EN": "Promises and instalments due in the next 7 days, broken promises",
                  "DE": "Zusagen und Raten der nächsten 7 Tage, nicht eingehaltene Zusagen"}
# the proposal's table of `promesses`: key -> (width in cm, header per language, right)
PROMISE_COLUMNS: dict[str, tuple[float, dict[str, str], bool]] = {
    "tiers": (2.0, {"FR": "Tiers", "EN": "Customer", "DE": "Kunde"}, False),
    "societe": (1.7, {"FR": "Société", "EN": "Company", "DE": "Firma"}, False),
    "piece": (2.3, {"FR": "N° pièce", "EN": "Invoice no.", "DE": "Rechnung"}, False),
    "date": (2.0, {"FR": "Pour le", "EN": "Due on", "DE": "Fällig am"}, False),
    "montant": (2.3, {"FR": "Montant", "EN": "Amount", "DE": "Betrag"}, True),
    "etat": (6.0, {"FR": "État", "EN": "State", "DE": "Stand"}, False),
}
_SOON = {"FR": {"Promesse de règlement": "Promesse à échéance", "Échéancier": "Échéance"},
         "EN": {"Promesse de règlement": "Promise falling due", "Échéancier": "Instalment"},
         "DE": {"Promesse de règlement": "Fällige Zusage", "Échéancier": "Rate"}}


def promises_fields(rows: list[ReminderRow], followups: list[FollowUp], on: date,
                    langue: str) -> dict[str, object]:
    """`promesses`: the promises and instalments falling due within SOON_DAYS, then the
    broken promises and missed instalments of the proposal's rows."""
    langue = langue if langue in _PROMISE else "FR"
    locale = texts.LOCALES[langue]
    short = {"FR": "dd/MM/yyyy", "EN": "dd/MM/yyyy", "DE": "dd.MM.yyyy"}[langue]
    found = []
    for line in due_soon(followups, on, SOON_DAYS):
        assert line.jusqu_au is not None
        found.append({"tiers": line.tiers, "societe": line.societe, "piece": line.piece,
                      "date": format_date(line.jusqu_au, short, locale=locale),
                      "montant": "" if line.montant is None else texts.money(
                          line.montant, locale=locale),
                      "etat": _SOON[langue][line.action]})
    for row in rows:
        for broken in row.engagements:
            found.append({"tiers": row.tiers, "societe": row.societe, "piece": broken.piece,
                          "date": format_date(broken.date, short, locale=locale),
                          "montant": texts.money(broken.du, row.devise, locale),
                          "etat": broken.motif})
    return {"promesses": found, "nb_promesses": len(found)}
