"""After an unanswered mise en demeure: the claim as a court or a commissaire de justice
reads it (décompte de créance), the last day to act on each invoice (prescription), and
the procedure that fits. Pure: the ledger, the settings and a date in, values out.

Sources and the reasoning behind each rule: docs/recouvrement.md.

- The claim covers the customer's posted, undisputed invoices in one company that a
  letter at the last level of its set (the mise en demeure) listed, still open on the
  date. Per invoice: the principal (Montant TTC), what was received (its lettered
  payments, and its part of the unlettered ones and of the credit notes, art. 1342-10
  Code civil, `imputation.Settled`), the interest day by day on what was still owed
  (`interest`), the 40 € recovery indemnity, the total. The interest is
  a professional's L441-10 rate of each half-year from the day after the due date; a
  public buyer's moratory interest at the rate of the half-year it began in; a private
  customer's legal interest from the day after the first mise en demeure (art. 1231-6).
- Nothing is guessed: no mise en demeure, a deadline not passed, a half-year without a
  rate: `RecoveryRefused` says what is missing.
- Prescription: the due date plus 5 years (art. L110-4 Code de commerce) or 2 years
  against a consumer (art. L218-2 Code de la consommation), counted from quantième to
  quantième (art. 2228-2229 Code civil: 15/05/2024 -> 15/05/2029; a 29 February ends
  on the 28th when the final year has none); against a public body, 31 December of the
  fourth year after the year it fell due (loi n° 68-1250 du 31 décembre 1968, art. 1).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from ..config import (
    TAUX_PARTICULIERS,
    TAUX_PROFESSIONNELS,
    TAUX_PUBLICS,
    LevelSet,
    Regime,
    Settings,
)
from ..model import (
    DEFAULT_CURRENCY,
    ZERO,
    Customer,
    HistoryEntry,
    InterestPeriod,
    Invoice,
    Ledger,
    fold,
)
from .imputation import Settled
from .interest import MissingRate, interest, interest_periods, rate_schedule

# the days a mise en demeure gives (letters.context.DELAI_MISE_EN_DEMEURE, checked equal
# by a test): the recovery file waits until they have passed
NOTICE_DAYS = 8
# art. R125-1 CPCE: the procédure simplifiée, up to this amount in principal and interest
SMALL_CLAIMS_LIMIT = Decimal("5000.00")
PRESCRIPTION_YEARS = {Regime.PRO: 5, Regime.PARTICULIER: 2}  # L110-4 C. com., L218-2 C. consom.
PUBLIC_PRESCRIPTION_YEARS = 4  # loi n° 68-1250, from 1 January after the year it fell due
WARNING_DAYS = 90  # Appliquer's motif names the prescription this many days ahead
MOTIF_PRESCRIPTION = "Prescription le {date} (facture {piece})"
_ONE_DAY = timedelta(days=1)


class Procedure(StrEnum):
    """What to do next, by the amount and the debtor."""

    PETITES_CREANCES = "petites_creances"  # art. L125-1 CPCE, a commissaire de justice
    INJONCTION = "injonction_de_payer"  # art. 1405 ff. CPC
    REFERE_PROVISION = "refere_provision"  # art. R541-1 CJA, a public buyer's contract


class RecoveryRefused(Exception):
    """No recovery file: the message says what is missing (in French, for the user)."""


class ClaimLine(NamedTuple):
    """One invoice of the décompte."""

    piece: str
    date_piece: date
    echeance: date
    principal: Decimal
    recu: Decimal  # payments and credits that settled part of it, up to the date
    reste: Decimal
    interets_depuis: date | None  # the first day of interest; None: none owed
    periodes: tuple[InterestPeriod, ...]
    interets: Decimal
    indemnite: Decimal
    mise_en_demeure: date  # the first letter at the last level that listed it
    prescription: date  # the last day to act

    @property
    def total(self) -> Decimal:
        return self.reste + self.interets + self.indemnite


class Claim(NamedTuple):
    """The décompte of a customer in a company on a date, and what follows from it."""

    tiers: str
    societe: str
    on: date
    regime: Regime
    taux: str  # the kind of rate of its interest (TAUX_*)
    lines: tuple[ClaimLine, ...]
    notices: tuple[date, ...]  # the dates of the mises en demeure, oldest first
    procedure: Procedure
    left_out: tuple[str, ...] = ()  # open invoices no mise en demeure listed
    top: int = 0  # the level of the mise en demeure: the last of the customer's set

    @property
    def principal(self) -> Decimal:
        return sum((line.principal for line in self.lines), ZERO)

    @property
    def recu(self) -> Decimal:
        return sum((line.recu for line in self.lines), ZERO)

    @property
    def reste(self) -> Decimal:
        return sum((line.reste for line in self.lines), ZERO)

    @property
    def interets(self) -> Decimal:
        return sum((line.interets for line in self.lines), ZERO)

    @property
    def indemnites(self) -> Decimal:
        return sum((line.indemnite for line in self.lines), ZERO)

    @property
    def total(self) -> Decimal:
        return self.reste + self.interets + self.indemnites

    @property
    def principal_et_interets(self) -> Decimal:
        """What art. R125-1 CPCE measures against its limit."""
        return self.reste + self.interets

    @property
    def prescription(self) -> date:
        """The first of the invoices' last days to act."""
        return min(line.prescription for line in self.lines)

    @property
    def deadline(self) -> date:
        """The last day the latest mise en demeure gave."""
        return self.notices[-1] + timedelta(days=NOTICE_DAYS)


def add_years(day: date, years: int) -> date:
    """The same day `years` later, from quantième to quantième; a 29 February lands on
    the 28th when the final year has none (the month's last day, as art. 641 CPC says of
    a quantième the month lacks)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return date(day.year + years, 2, 28)


def last_day_to_act(echeance: date, regime: Regime) -> date:
    """The last day a suit may be brought for an invoice due on `echeance` (see the
    module's docstring): the day the delay ends is the last day counted in full
    (art. 2229 Code civil)."""
    if regime is Regime.PUBLIC:
        return date(echeance.year + PUBLIC_PRESCRIPTION_YEARS, 12, 31)
    return add_years(echeance, PRESCRIPTION_YEARS[regime])


def prescription_warning(oldest_due: date, regime: Regime, on: date, piece: str) -> str:
    """Appliquer's motif when the oldest invoice of a row is at most WARNING_DAYS from
    its last day to act (or past it), else ""."""
    last = last_day_to_act(oldest_due, regime)
    if (last - on).days > WARNING_DAYS:
        return ""
    return MOTIF_PRESCRIPTION.format(date=f"{last:%d/%m/%Y}", piece=piece)


def notice_dates(history: Iterable[HistoryEntry], societe: str, tiers: str, top: int,
                 on: date) -> dict[str, date]:
    """Per invoice, the date of the first mise en demeure that listed it, up to `on`: a
    letter (the lines of one day) whose level, the highest of its lines, is the last of
    the set or beyond (as the engine counts a level removed since). An invoice listed in
    it at a lower level was demanded by it all the same."""
    mine = [e for e in history if e.societe == societe and e.tiers == tiers and e.date <= on]
    notices = {e.date for e in mine if e.niveau >= top}
    found: dict[str, date] = {}
    for entry in mine:
        if entry.date in notices and (entry.piece not in found
                                      or entry.date < found[entry.piece]):
            found[entry.piece] = entry.date
    return found


def procedure_for(regime: Regime, principal_et_interets: Decimal,
                  small_claims_failed: bool = False) -> Procedure:
    """A public buyer's contract goes to the administrative judge; up to the limit of
    art. R125-1 CPCE, the procédure simplifiée, unless it failed; above, the injonction
    de payer."""
    if regime is Regime.PUBLIC:
        return Procedure.REFERE_PROVISION
    if principal_et_interets <= SMALL_CLAIMS_LIMIT and not small_claims_failed:
        return Procedure.PETITES_CREANCES
    return Procedure.INJONCTION


def build_claim(ledger: Ledger, settings: Settings, customer: Customer, societe: str,
                on: date, small_claims_failed: bool = False,
                disputed: frozenset[str] = frozenset()) -> Claim:
    """The décompte of `customer` in `societe` on `on`; RecoveryRefused says why there
    is none. `disputed`: the invoices a `Litige` line of Suivi holds back."""
    levels = _levels(settings, customer)
    regime = Regime.of(customer, levels)
    settled = Settled(ledger, on)
    due = _due_invoices(ledger, settled, customer.tiers, societe, on, disputed)
    invoices = [(invoice, reste) for invoice, reste in due if reste > ZERO]
    if not invoices:
        raise RecoveryRefused(f"{customer.tiers} / {societe} : aucune facture échue, "
                              f"comptabilisée, non réglée et hors litige au {on:%d/%m/%Y}.")
    notices = notice_dates(ledger.history, societe, customer.tiers, levels.top, on)
    # with the invoices settled in full since: the penalties of their days late and their
    # indemnity stay due (art. L441-10 C. com.), as the mise en demeure claimed them
    claimed = [(invoice, reste) for invoice, reste in due if invoice.piece in notices]
    if not any(reste > ZERO for _, reste in claimed):
        pieces = ", ".join(invoice.piece for invoice, _ in invoices)
        raise RecoveryRefused(
            f"{customer.tiers} / {societe} : aucune mise en demeure (niveau {levels.top}, "
            f"feuille Historique) n'a été émise pour les factures {pieces}.")
    foreign = sorted({invoice.devise for invoice, _ in claimed} - {DEFAULT_CURRENCY})
    if foreign:  # the décompte, its interest and the procedures' limits are in euros
        pieces = ", ".join(f"{invoice.piece} ({invoice.devise})" for invoice, _ in claimed
                           if invoice.devise != DEFAULT_CURRENCY)
        raise RecoveryRefused(
            f"{customer.tiers} / {societe} : le dossier de recouvrement se fait en euros ; "
            f"factures en {', '.join(foreign)} : {pieces}.")
    dates = sorted({notices[invoice.piece] for invoice, _ in claimed})
    latest = max(_latest_notice(ledger.history, societe, customer.tiers, levels.top, on,
                                {invoice.piece for invoice, _ in claimed}), dates[-1])
    if on <= latest + timedelta(days=NOTICE_DAYS):
        limit = latest + timedelta(days=NOTICE_DAYS)
        raise RecoveryRefused(
            f"{customer.tiers} / {societe} : le délai de la mise en demeure du "
            f"{latest:%d/%m/%Y} court jusqu'au {limit:%d/%m/%Y} inclus ; le dossier de "
            f"recouvrement se fait à partir du {limit + _ONE_DAY:%d/%m/%Y}.")
    taux = {Regime.PRO: TAUX_PROFESSIONNELS, Regime.PARTICULIER: TAUX_PARTICULIERS,
            Regime.PUBLIC: TAUX_PUBLICS}[regime]
    lines = tuple(line for line in (
        _line(invoice, reste, notices[invoice.piece], regime, taux, settings, settled, on)
        for invoice, reste in claimed)
        if line.reste > ZERO or line.interets > ZERO)
    reste = sum((line.reste + line.interets for line in lines), ZERO)
    return Claim(
        tiers=customer.tiers, societe=societe, on=on, regime=regime, taux=taux,
        lines=lines, notices=tuple(sorted({*dates, latest})),
        procedure=procedure_for(regime, reste, small_claims_failed),
        left_out=tuple(invoice.piece for invoice, _ in invoices
                       if invoice.piece not in notices),
        top=levels.top)


def _levels(settings: Settings, customer: Customer) -> LevelSet:
    try:
        return settings.level_set(customer.conditions)
    except KeyError:
        raise RecoveryRefused(
            f"{customer.tiers} : conditions de relance « {customer.conditions} » absentes "
            "de Paramètres.") from None


def _due_invoices(ledger: Ledger, settled: Settled, tiers: str, societe: str, on: date,
                  disputed: frozenset[str]) -> list[tuple[Invoice, Decimal]]:
    """The customer's posted, undisputed invoices due by `on`, each with what is left to
    pay (0 when settled in full) after its lettered payments and its share of the
    unlettered credits, oldest due first."""
    found = []
    for invoice in ledger.invoices:
        if (invoice.tiers != tiers or invoice.societe != societe or invoice.avoir
                or not invoice.comptabilisee or invoice.litige or invoice.echeance > on
                or invoice.piece in disputed or "" in disputed):
            continue
        paid = sum((amount for _, amount in settled.of(societe, tiers, invoice.piece)),
                   ZERO)
        found.append((invoice, max(invoice.montant - paid, ZERO)))
    found.sort(key=lambda item: (item[0].echeance, item[0].piece))
    return found


def _latest_notice(history: Iterable[HistoryEntry], societe: str, tiers: str, top: int,
                   on: date, pieces: set[str]) -> date:
    """The latest mise en demeure (see `notice_dates`) that listed one of `pieces`."""
    mine = [e for e in history if e.societe == societe and e.tiers == tiers and e.date <= on]
    notices = {e.date for e in mine if e.niveau >= top}
    return max(e.date for e in mine if e.date in notices and e.piece in pieces)


def _line(invoice: Invoice, reste: Decimal, notice: date, regime: Regime, taux: str,
          settings: Settings, settled: Settled, on: date) -> ClaimLine:
    start = (notice if regime is Regime.PARTICULIER else invoice.echeance) + _ONE_DAY
    payments = settled.of(invoice.societe, invoice.tiers, invoice.piece)
    try:
        periodes = interest_periods(start, on, rate_schedule(settings, taux),
                                    regime is Regime.PUBLIC, invoice.montant, payments)
    except MissingRate as error:
        raise RecoveryRefused(
            f"Taux du {error.half_year} absent : ajoutez-le dans la feuille Paramètres, "
            "table Taux par période (ou relances-xl taux), puis recommencez.") from None
    indemnite = ZERO if regime is Regime.PARTICULIER else settings.indemnite_forfaitaire
    return ClaimLine(
        piece=invoice.piece, date_piece=invoice.date_piece, echeance=invoice.echeance,
        principal=invoice.montant, recu=invoice.montant - reste, reste=reste,
        interets_depuis=start if periodes else None, periodes=periodes,
        interets=interest(periodes), indemnite=indemnite, mise_en_demeure=notice,
        prescription=last_day_to_act(invoice.echeance, regime))


def customer_named(customers: Sequence[Customer], tiers: str) -> Customer:
    """The customer of `Clients` with this code (case as typed, or folded)."""
    for customer in customers:
        if customer.tiers == tiers:
            return customer
    for customer in customers:
        if fold(customer.tiers) == fold(tiers):
            return customer
    raise RecoveryRefused(f"Code tiers « {tiers} » absent de la feuille Clients.")
