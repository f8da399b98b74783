"""The figures of the `Tableau de bord` sheet, from the balance âgée and the ledger. Pure.

Three questions an accountant asks before reading rows:

- How long do customers take to pay? DSO per company ("days sales outstanding"):
  the receivables at the date over the sales (invoices less credit notes, posted, dated
  within the 365 days up to the date), times 365. Without sales in the year there is
  no DSO to speak of: None.
- With whom is the money stuck? The ten customers owing most overdue (all buckets but
  `Non échu`, every company together), net of the payments and credit notes lettered to
  no invoice (`aging.echu_net`).
- Do reminders work? For each level, of the amounts reminded, the share paid within 15
  and within 30 days of the letter. An invoice counts once per level, from the first
  letter that named it at that level (a later letter at the same level reminds it
  again but does not start its clock again); only letters old enough for the whole
  window count, and what a letter reminded is the invoice's open amount on its date.
  Payments and credit notes lettered to no invoice count, imputed oldest debt first as
  for the interest (`imputation.Settled`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from ..model import ZERO, Ledger
from .aging import AgedRow, echu_net
from .imputation import Settled

DSO_DAYS = 365
WINDOWS = (15, 30)
TOP = 10
DSO_FORMULA = ("DSO = encours clients à la date ÷ chiffre d'affaires TTC des 365 jours "
               "précédents (factures moins avoirs comptabilisés) × 365")


@dataclass(frozen=True)
class Dso:
    societe: str
    encours: Decimal
    ventes: Decimal
    jours: Decimal | None  # None: no sales in the year


@dataclass(frozen=True)
class Overdue:
    tiers: str
    nom: str
    echu: Decimal


@dataclass(frozen=True)
class LevelEffect:
    niveau: int
    relance: tuple[Decimal, ...]  # reminded amounts counted, per window of WINDOWS
    paye: tuple[Decimal, ...]  # of which paid within the window

    def taux(self, window: int) -> Decimal | None:
        """The share paid within `window` days, or None when nothing could be counted."""
        index = WINDOWS.index(window)
        if not self.relance[index]:
            return None
        return self.paye[index] / self.relance[index]


def dso(rows: Iterable[AgedRow], ledger: Ledger, on: date) -> list[Dso]:
    encours: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        encours[row.societe] += row.total
    since = on - timedelta(days=DSO_DAYS)
    ventes: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for invoice in ledger.invoices:
        if invoice.societe in encours and invoice.comptabilisee and (
                since < invoice.date_piece <= on):
            ventes[invoice.societe] += -invoice.montant if invoice.avoir else invoice.montant
    found = []
    for societe in sorted(encours):
        sales = ventes[societe]
        days = None
        if sales > ZERO:
            days = (encours[societe] / sales * DSO_DAYS).quantize(Decimal("0.1"),
                                                                  ROUND_HALF_UP)
        found.append(Dso(societe, encours[societe], sales, days))
    return found


def top_overdue(rows: Iterable[AgedRow], count: int = TOP) -> list[Overdue]:
    """The customers owing most overdue, largest first, ties by code; none with nothing."""
    echu: dict[str, Decimal] = defaultdict(lambda: ZERO)
    names: dict[str, str] = {}
    for row in rows:
        echu[row.tiers] += echu_net(row)
        names[row.tiers] = row.nom
    ranked = sorted((item for item in echu.items() if item[1] > ZERO),
                    key=lambda item: (-item[1], item[0]))
    return [Overdue(tiers, names[tiers], amount) for tiers, amount in ranked[:count]]


def reminder_effect(ledger: Ledger, on: date) -> list[LevelEffect]:
    """Per level issued (1 and up), what was reminded and paid within each window.

    A letter less than the shortest window old counts nowhere yet: it is left out
    before its invoice's settlements are looked up (one run's worth of letters)."""
    shortest = timedelta(days=min(WINDOWS))
    first: dict[tuple[str, str, int], date] = {}
    for entry in ledger.history:
        if entry.niveau < 1 or entry.date + shortest > on:
            continue
        key = (entry.societe, entry.piece, entry.niveau)
        known = first.get(key)
        if known is None or entry.date < known:
            first[key] = entry.date
    invoices = {(i.societe, i.piece): i for i in ledger.invoices
                if not i.avoir and i.comptabilisee}
    settled = Settled(ledger, on)
    windows = [timedelta(days=window) for window in WINDOWS]
    relance: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO] * len(WINDOWS))
    paye: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO] * len(WINDOWS))
    for (societe, piece, niveau), sent in first.items():
        invoice = invoices.get((societe, piece))
        if invoice is None:
            continue
        paid = settled.of(societe, invoice.tiers, piece)
        reste = invoice.montant
        for day, amount in paid:
            if day <= sent:
                reste -= amount
        if reste <= ZERO:
            continue
        for index, window in enumerate(windows):
            end = sent + window
            if end > on:
                continue  # the window is not over yet: it would understate the effect
            within = ZERO
            for day, amount in paid:
                if sent < day <= end:
                    within += amount
            relance[niveau][index] += reste
            paye[niveau][index] += min(within, reste)
    return [LevelEffect(niveau, tuple(relance[niveau]), tuple(paye[niveau]))
            for niveau in sorted(relance)]
