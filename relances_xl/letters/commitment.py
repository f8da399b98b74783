"""What a letter says of a promise to pay not kept or a payment plan's missed
instalment (the `Suivi` sheet, rules/followup.py): one field, `engagement`, in the
customer's language; empty when the row has none.

Apart from `context.py` so that the letter's other wording is left as it is: the
context adds these fields, the templates print the sentence when it is not empty.
"""

from __future__ import annotations

from babel.dates import format_date

from .. import texts
from ..model import BrokenCommitment, ReminderRow

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
    return {"engagement": " ".join(sentence(b, langue) for b in row.engagements)}


def sentence(broken: BrokenCommitment, langue: str) -> str:
    """One broken promise, or one missed instalment with the rest of its plan."""
    langue = langue if langue in _PROMISE else "FR"
    locale = texts.LOCALES[langue]

    def money(amount):
        return texts.money(amount, locale=locale)

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
