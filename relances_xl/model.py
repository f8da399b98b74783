"""The domain of customer reminders, as frozen values.

Nothing here reads or writes a file: the ledger reader builds these values from
sheet rows, the engine computes with them, the add-in writes them back. Money is
`Decimal` and dates are `date` from the moment a cell is read, so the same
inputs always give the same cents.

Glossary: the French word of the workbook (its contract, `layout`) -> what it is; the
code says the French word too, unless an English one is given.

- tiers (Code tiers): the customer's code, the key of a `Customer` and of each of its
  invoices, payments and rows (`Customer.tiers`, `Invoice.tiers`...).
- pièce (N° pièce): an invoice's or a credit note's number (`Invoice.piece`,
  `HistoryEntry.piece`); an avoir is a credit note, an `Invoice` with `avoir`.
- échéance: an invoice's due date; échue au D: due on D or before (less the grace
  days), so remindable; jours de retard (`jours_retard`): the days since its échéance.
- lettrage: the link from a payment to the invoice it settles (N° pièce lettrée,
  `Payment.piece_lettree`); non lettré: linked to none, a `Credit` of its customer.
- reste dû: what is left to pay of an invoice, its amount less its lettered payments.
- encours relancé: the sum of the reste dû of the invoices a reminder row claims.
- solde comptable: the customer's balance in a company, invoices less credits.
- niveau: a reminder's level, 1 to the set's last (the mise en demeure, formal notice);
  conditions de relance: the named set of levels a customer follows.
- agios: what a reminder claims beyond the reste dû: late interest (`interets`), the
  40 € recovery indemnity (`indemnite`), the level's fee (`frais`).
- éditée: a row whose letter really went out today (`editee`), recorded in Historique.
- sortie: where letters and the proposal go (`Sortie`: PDF, Word, texte, écran,
  imprimante, e-mail, fax).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# The currency of an amount that names none (a Factures row with an empty Devise): the
# one place it is named; amounts become text only through `texts.money`.
DEFAULT_CURRENCY = "EUR"


def to_cents(amount: Decimal) -> Decimal:
    """Round half up to the cent, the way French invoices and courts count."""
    return amount.quantize(CENT, ROUND_HALF_UP)


def strip_accents(text: object) -> str:
    """The text without its accents, "Échéance" -> "Echeance": the one accent folding
    of the project (headers, set names, FEC columns, payment codes all go through it)."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(name: str) -> str:
    """A name as a person reads it: no case, no accents, single spaces.

    Sets of levels are named by users in two sheets ("Acheteur public" in Clients,
    "ACHETEUR PUBLIC" in Paramètres): they are the same set.
    """
    return " ".join(strip_accents(name).casefold().split())


@dataclass(frozen=True)
class Problem:
    """A finding about the ledger, kept as a value so all of them can be shown at once.

    `blocking` problems stop Appliquer from writing a table; the others are
    warnings the user should see (a missing address, say).
    """

    sheet: str
    row: int | None
    column: str | None
    value: object
    message: str
    blocking: bool = True

    def __str__(self) -> str:
        where = [self.sheet]
        if self.row is not None:
            where.append(f"ligne {self.row}")
        if self.column:
            where.append(f"colonne « {self.column} »")
        shown = "" if self.value is None else f" : valeur « {self.value} »"
        return f"{', '.join(where)}{shown} — {self.message}"


@dataclass(frozen=True, slots=True)
class Customer:
    tiers: str
    nom: str
    adresse1: str = ""
    adresse2: str = ""
    code_postal: str = ""
    ville: str = ""
    pays: str = ""
    famille: str = ""
    representant: str = ""
    mode_reglement: str = ""
    email: str = ""
    fax: str = ""
    langue: str = "FR"
    particulier: bool = False
    bloque: bool = False
    delai_paiement: int | None = None
    conditions: str = ""  # "Conditions de relance": the set of levels, "" for the default
    telephone: str = ""  # for the call list of a level whose canal is Appel
    row: int | None = None


class Invoice(NamedTuple):
    """An invoice or a credit note ("Avoir"); `montant` is always the positive amount.

    Invoices, payments and history lines are NamedTuples, as the engine's lines and
    rows: immutable, and built at a third of a frozen dataclass's cost (a ledger of a
    year is 100,000 of them; docs/performance.md). A changed copy is `_replace(...)`.
    """

    societe: str
    piece: str
    tiers: str
    date_piece: date
    echeance: date
    montant: Decimal
    avoir: bool = False
    mode_reglement: str = ""
    comptabilisee: bool = True
    litige: bool = False
    devise: str = DEFAULT_CURRENCY  # ISO 4217: `montant` is in this currency
    row: int | None = None


class Payment(NamedTuple):
    """A payment received; `piece_lettree` names the invoice it settles, empty if none."""

    societe: str
    numero: str
    tiers: str
    date: date
    montant: Decimal
    mode_reglement: str = ""
    piece_lettree: str = ""
    devise: str = DEFAULT_CURRENCY  # ISO 4217: `montant` is in this currency
    row: int | None = None


class HistoryEntry(NamedTuple):
    """One invoice named in one letter really issued."""

    date: date
    societe: str
    tiers: str
    piece: str
    niveau: int
    sortie: str = ""  # a Sortie's value, or what the user typed
    lettre: str = ""  # the archived PDF (layout.HISTORIQUE_COLUMNS' "Lettre archivée")
    row: int | None = None


class InterestPeriod(NamedTuple):
    """Days of one invoice's interest at one rate on one principal: `du` to `au`, both
    counted; `principal` is what was still owed on each of those days."""

    du: date
    au: date
    jours: int
    taux: Decimal
    principal: Decimal


@dataclass(frozen=True)
class Ledger:
    customers: tuple[Customer, ...] = ()
    invoices: tuple[Invoice, ...] = ()
    payments: tuple[Payment, ...] = ()
    history: tuple[HistoryEntry, ...] = ()


@dataclass(frozen=True)
class Filters:
    """The six filter cells of the `Relances` sheet; an empty set means "all"."""

    date: date
    clients: frozenset[str] = frozenset()
    familles: frozenset[str] = frozenset()
    representants: frozenset[str] = frozenset()
    modes: frozenset[str] = frozenset()
    societes: frozenset[str] = frozenset()
    lettres: date | None = None  # "Date des lettres"; None: the "Échéances échues au"

    @property
    def date_lettres(self) -> date:
        """The date the letters bear: their interest and deadlines count to and from it."""
        return self.lettres or self.date


class ReminderLine(NamedTuple):
    """One échu, open, undisputed invoice covered by a reminder row.

    `niveau` is the level this invoice reaches with this reminder when `due`,
    else the last level it was issued at (0 if never).

    A NamedTuple, immutable as the frozen dataclasses around it and cheaper to build
    (a frozen dataclass sets each field through `object.__setattr__`): a run builds
    one per open invoice.
    """

    invoice: Invoice
    reste_du: Decimal
    jours_retard: int
    niveau: int
    due: bool
    interets: Decimal = ZERO
    indemnite: Decimal = ZERO
    periodes: tuple[InterestPeriod, ...] = ()  # the days and rates of `interets`


class Credit(NamedTuple):
    """Money the customer gave that settles no open invoice: it lowers the balance, not
    the lines of a reminder, so a letter lists it and asks only what is left.

    `kind`: REGLEMENT a payment lettered to no invoice; AVOIR a posted credit note (the
    workbook never imputes those); EXCEDENT, when the balance is lower than the reminded
    invoices less those, the difference: payments lettered beyond their invoice, or to
    one not posted yet (dated the day of the table, no numero).
    """

    date: date
    numero: str
    montant: Decimal
    kind: str


REGLEMENT, AVOIR, EXCEDENT = "reglement", "avoir", "excedent"


class BrokenCommitment(NamedTuple):
    """A promise to pay not kept, or a payment plan's instalment missed (the `Suivi`
    sheet, rules/followup.py): the row's motif, and what its letter says of it."""

    motif: str  # "Promesse non tenue du 15/08/2022", "Échéance du … non réglée"
    promesse: bool  # a promise (else an instalment of a plan)
    date: date  # the promised date, or the missed instalment's
    montant: Decimal | None  # the promised amount (None: none given), or the instalment's
    du: Decimal  # what is still due under it on the run's date
    piece: str = ""  # the invoice it covered; "": all the customer's
    reste: tuple[tuple[date, Decimal], ...] = ()  # a plan's instalments still ahead


class ReminderRow(NamedTuple):
    """One row of the table: a customer in a company, with what would be claimed.

    A NamedTuple, like ReminderLine and for the same reason: a run builds one per row
    of the table. Change a row with `row._replace(...)`.
    """

    tiers: str
    societe: str
    solde_comptable: Decimal
    encours_relance: Decimal
    agios_reclames: Decimal
    niveau: int
    a_relancer: bool
    editee: bool
    adresse: str
    motif: str = ""
    raisons: tuple[str, ...] = ()  # why the rules untick it (engine.REASON_* codes)
    frais: Decimal = ZERO
    lines: tuple[ReminderLine, ...] = ()
    credits: tuple[Credit, ...] = ()  # allocated to no invoice, by date
    # the half-year ("2e semestre 2027") whose rate the interest needs and the table
    # lacks: the row is unticked and its letter is never issued
    taux_manquant: str = ""
    engagements: tuple[BrokenCommitment, ...] = ()  # promises broken, instalments missed
    # the currency of every amount of the row (its invoices'); part of its identity
    devise: str = DEFAULT_CURRENCY
    # a row in another currency: the recovery indemnity (art. D441-5 C. com.), a euro
    # amount by law, claimed beside the currency total, never added to it
    indemnite_euros: Decimal = ZERO
    # a row in a currency Paramètres' Taux de change lacks: its minimum and fees cannot
    # be known, so it is unticked and its letter never issued
    change_manquant: bool = False

    @property
    def key(self) -> tuple[str, str, str]:
        """The row's identity (`layout.TABLE_IDENTITY`): customer, company, currency."""
        return self.tiers, self.societe, self.devise

    @property
    def non_impute(self) -> Decimal:
        """What the customer paid or was credited and no invoice of the row took."""
        return sum((credit.montant for credit in self.credits), ZERO)

    @property
    def a_regler(self) -> Decimal:
        """What the reminded invoices still ask once the unallocated credits count: never
        more than the balance (Solde comptable), never below zero."""
        return max(self.encours_relance - self.non_impute, ZERO)


class SavedRow(NamedTuple):
    """One row of a saved proposal: the user's choices and what the row covered.

    A NamedTuple, as the table's rows it is made from: one per row of the table."""

    tiers: str
    societe: str
    a_relancer: bool
    editee: bool
    niveau: int
    encours_relance: Decimal
    motif: str = ""
    pieces: tuple[str, ...] = ()
    choisi: bool = False  # the user changed the tick the rules gave: their choice stands
    raisons: tuple[str, ...] = ()  # why the rules unticked it then (engine.REASON_* codes)
    devise: str = DEFAULT_CURRENCY

    @property
    def key(self) -> tuple[str, str, str]:
        return self.tiers, self.societe, self.devise


@dataclass(frozen=True)
class SavedProposal:
    """The table as "Sauver la proposition" kept it, with the filters it was computed with."""

    saved_at: datetime
    filters: Filters
    rows: tuple[SavedRow, ...] = ()
