"""The domain of customer reminders, as frozen values.

Nothing here reads or writes a file: the ledger reader builds these values from
sheet rows, the engine computes with them, the add-in writes them back. Money is
`Decimal` and dates are `date` from the moment a cell is read, so the same
inputs always give the same cents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_cents(amount: Decimal) -> Decimal:
    """Round half up to the cent, the way French invoices and courts count."""
    return amount.quantize(CENT, ROUND_HALF_UP)  # positional: a keyword costs a dict per call


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
    code: str
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
    row: int | None = None
    # The one-line address of the guide's table: "MME toulouse amelie - 51100 REIMS".
    # Kept, not recomputed: each row of every Appliquer shows it (9,000 rows a run).
    adresse_courte: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        town = " ".join(filter(None, (self.code_postal, self.ville)))  # the non-empty parts
        object.__setattr__(self, "adresse_courte", " - ".join(filter(None, (self.nom, town))))


@dataclass(frozen=True, slots=True)
class Invoice:
    """An invoice or a credit note ("Avoir"); `montant` is always the positive amount."""

    societe: str
    numero: str
    tiers: str
    date_piece: date
    echeance: date
    montant: Decimal
    avoir: bool = False
    mode_reglement: str = ""
    comptabilisee: bool = True
    litige: bool = False
    row: int | None = None


@dataclass(frozen=True, slots=True)
class Payment:
    """A payment received; `piece_lettree` names the invoice it settles, empty if none."""

    societe: str
    numero: str
    tiers: str
    date: date
    montant: Decimal
    mode_reglement: str = ""
    piece_lettree: str = ""
    row: int | None = None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One invoice named in one letter really issued."""

    date: date
    societe: str
    tiers: str
    piece: str
    niveau: int
    sortie: str = ""
    row: int | None = None


@dataclass(frozen=True)
class Level:
    niveau: int
    jours_retard: int
    jours_depuis_precedente: int
    forme: str
    frais: Decimal = ZERO
    interets: bool = False
    indemnite: bool = False


@dataclass(frozen=True)
class Company:
    societe: str
    raison_sociale: str = ""
    adresse: str = ""
    siret: str = ""
    iban: str = ""
    email: str = ""


@dataclass(frozen=True)
class Settings:
    """The `Paramètres` sheet. Rates are fractions: 12,15 % is Decimal("0.1215")."""

    levels: tuple[Level, ...]
    taux_annuel: Decimal = Decimal("0.1215")
    taux_particuliers: Decimal = Decimal("0.0262")
    indemnite_forfaitaire: Decimal = Decimal("40.00")
    montant_minimum: Decimal = Decimal("10.00")
    jours_grace: int = 0
    decocher_solde_negatif: bool = True
    companies: tuple[Company, ...] = ()
    forme_defaut: str = ""
    exemplaires_defaut: int = 1
    sortie_defaut: str = "pdf"
    dossier_defaut: str = ""
    other: tuple[tuple[str, str], ...] = ()
    # the balance âgée's buckets: 1-30, 31-60, 61-90 and over 90 days late
    tranches_balance: tuple[int, int, int] = (30, 60, 90)

    def level(self, niveau: int) -> Level:
        return self._levels_by_niveau[niveau]  # KeyError for a level not configured

    @cached_property  # the engine asks for a level for every invoice it reminds
    def _levels_by_niveau(self) -> dict[int, Level]:
        found: dict[int, Level] = {}
        for level in self.levels:
            found.setdefault(level.niveau, level)  # the first of a repeated level, as before
        return found

    def option(self, key: str) -> str:
        """A setting kept as text for the outputs (SMTP host, fax gateway…), "" if unset."""
        return dict(self.other).get(key, "")

    @cached_property  # read for every invoice by the engine
    def max_level(self) -> int:
        return max(level.niveau for level in self.levels)

    @cached_property
    def first_level(self) -> Level:
        return min(self.levels, key=lambda level: level.niveau)


DEFAULT_LEVELS: tuple[Level, ...] = (
    Level(1, 0, 0, "LET01"),
    Level(2, 15, 15, "LET02"),
    Level(3, 30, 15, "LET03", interets=True, indemnite=True),
)


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


class ReminderLine(NamedTuple):
    """One échu, open, undisputed invoice covered by a reminder row.

    `niveau` is the level this invoice reaches with this reminder when `due`,
    else the last level it was issued at (0 if never).

    A NamedTuple, immutable as the frozen dataclasses around it: a run builds one per
    open invoice (34,000 on a year of a busy wholesaler), and a frozen dataclass
    takes three times as long to build (one `object.__setattr__` per field).
    """

    invoice: Invoice
    reste_du: Decimal
    jours_retard: int
    niveau: int
    due: bool
    interets: Decimal = ZERO
    indemnite: Decimal = ZERO


class ReminderRow(NamedTuple):
    """One row of the table: a customer in a company, with what would be claimed.

    A NamedTuple, like ReminderLine and for the same reason: a frozen dataclass of twelve
    fields takes five times as long to build (one `object.__setattr__` per field) and a
    run builds one per row of the table. Change a row with `row._replace(...)`.
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
    frais: Decimal = ZERO
    lines: tuple[ReminderLine, ...] = ()


@dataclass(frozen=True)
class PrintOptions:
    """The print dialog ("Choix des paramètres"): output, folder, template, copies, printer."""

    sortie: str  # pdf | texte | ecran | imprimante | email | fax
    dossier: Path
    forme: str = ""  # empty: each level's own template
    exemplaires: int = 1
    imprimante: str = ""  # empty: the default printer

    @property
    def records(self) -> bool:
        """A screen preview records nothing and ticks nothing."""
        return self.sortie != "ecran"


@dataclass(frozen=True)
class SavedRow:
    """One row of a saved proposal: the user's choices and what the row covered."""

    tiers: str
    societe: str
    a_relancer: bool
    editee: bool
    niveau: int
    encours_relance: Decimal
    motif: str = ""
    pieces: tuple[str, ...] = ()


@dataclass(frozen=True)
class SavedProposal:
    """The table as "Sauver la proposition" kept it, with the filters it was computed with."""

    saved_at: datetime
    filters: Filters
    rows: tuple[SavedRow, ...] = ()
