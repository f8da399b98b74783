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
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cached_property
from pathlib import Path
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


class Sortie(StrEnum):
    """Where letters and the proposal go: the command line's `--sortie`, and what
    `Historique` records; what each one is, its label included, is `OUTPUTS`."""

    PDF = "pdf"
    TEXTE = "texte"
    ECRAN = "ecran"
    IMPRIMANTE = "imprimante"
    EMAIL = "email"
    FAX = "fax"
    WORD = "word"

    @property
    def output(self) -> Output:
        """What this output is (`OUTPUTS`): the one place the runs look it up."""
        return OUTPUTS[self]


@dataclass(frozen=True)
class Output:
    """What an output is, declared once: the letters' runs, the add-in and the command
    line read these flags instead of naming outputs. A new output (an SMS, say) is one
    line of `OUTPUTS`, plus its sender in `letters.run` when it sends.

    - label: what the `Sortie` cell of the workbook shows (its drop-down, in this order)
    - document: what each letter is made into, "pdf", "docx" (Word) or "csv" (the table
      as text, no letter rendered)
    - delivery: where the documents go, "folder" (kept in the chosen folder), "screen"
      (opened in a viewer), "printer", or "send" (one message per customer)
    - recipient: the `Customer` field a sent letter goes to ("email", "fax"); its
      `missing` text says why a customer without it gets no letter
    - records: a letter issued there ticks "Éditée" and writes `Historique`
    - proposal: the proposal may be printed there
    - confirm: the add-in asks "Continuer ?" before the letters go
    """

    label: str
    document: str
    delivery: str
    recipient: str = ""
    missing: str = ""
    records: bool = True
    proposal: bool = True
    confirm: bool = True

    @property
    def needs_pdf(self) -> bool:
        return self.document == "pdf"


OUTPUTS: dict[Sortie, Output] = {  # the Sortie drop-down's order; the first is the default
    Sortie.PDF: Output("PDF", "pdf", "folder"),
    Sortie.TEXTE: Output("Fichier texte", "csv", "folder"),
    Sortie.ECRAN: Output("Écran", "pdf", "screen", records=False, confirm=False),
    Sortie.IMPRIMANTE: Output("Imprimante", "pdf", "printer"),
    Sortie.EMAIL: Output("E-mail", "pdf", "send", recipient="email", proposal=False,
                         missing="adresse e-mail manquante (feuille Clients)"),
    Sortie.FAX: Output("Fax", "pdf", "send", recipient="fax", proposal=False,
                       missing="numéro de fax manquant (feuille Clients)"),
    Sortie.WORD: Output("Word", "docx", "folder"),
}


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


# The rates of Paramètres a level may claim (its "Taux" column). Empty: the customer's
# legal rate, by its Type: professionals L441-10 (Taux annuel), private customers the
# legal interest rate ("Taux de l'intérêt légal").
TAUX_LEGAL = ""
TAUX_PROFESSIONNELS = "professionnels"
TAUX_PARTICULIERS = "particuliers"
TAUX_PUBLICS = "acheteurs publics"  # intérêts moratoires (art. R2192-31 Code commande publique)
TAUX_KINDS = (TAUX_LEGAL, TAUX_PROFESSIONNELS, TAUX_PARTICULIERS, TAUX_PUBLICS)


# A level's "Pièces jointes": what its letters carry besides themselves (letters/envelope.py)
JOINT_RELEVE = "releve"  # the statement of account (REL01)
JOINT_FACTURES = "factures"  # the copies of the invoices it lists (Dossier des factures)


@dataclass(frozen=True)
class Level:
    niveau: int
    jours_retard: int
    jours_depuis_precedente: int
    forme: str
    frais: Decimal = ZERO
    interets: bool = False
    indemnite: bool = False
    # "Envoi recommandé avec AR": the letter says it goes by registered post
    recommande: bool = False
    conditions: str = ""  # the set it belongs to, as typed; "" is the default set
    taux: str = TAUX_LEGAL  # one of TAUX_KINDS: which rate of Paramètres it claims
    pieces_jointes: frozenset[str] = frozenset()  # JOINT_RELEVE, JOINT_FACTURES
    canal: str = "Courrier"  # CANAUX: a letter to the run's output, or a phone call


# how a level reaches the customer ("Canal" of the levels): a letter to the run's output,
# or a phone call (the call list of `lettres`, recorded as issued with Sortie "Appel")
CANAL_COURRIER, CANAL_APPEL = "Courrier", "Appel"
CANAUX = (CANAL_COURRIER, CANAL_APPEL)
SORTIE_APPEL = "Appel"  # Historique's Sortie of a level made as a call


@dataclass(frozen=True)
class LevelSet:
    """The levels of one "Conditions de relance", numbered 1..N; N is the last level."""

    name: str
    levels: tuple[Level, ...]

    def level(self, niveau: int) -> Level:
        return self._by_niveau[niveau]  # KeyError for a level not configured

    @cached_property  # asked for every invoice the engine reminds
    def _by_niveau(self) -> dict[int, Level]:
        found: dict[int, Level] = {}
        for level in self.levels:
            found.setdefault(level.niveau, level)  # the first of a repeated level
        return found

    @cached_property
    def top(self) -> int:
        return max(self._by_niveau)

    @cached_property
    def first(self) -> Level:
        return self._by_niveau[min(self._by_niveau)]

    @cached_property
    def public(self) -> bool:
        """Terms for public buyers: moratory interest, and letters that threaten no suit."""
        return any(level.taux == TAUX_PUBLICS for level in self.levels)


class Regime(StrEnum):
    """Whose rules a reminder follows, computed once (`Regime.of`) for the engine and the
    letters: a private customer's (art. 1231-6 Code civil: the legal rate, from the first
    mise en demeure, no indemnity), a public buyer's (moratory interest, letters that
    threaten no suit) or a professional's (art. L441-10 Code de commerce: its rate, the
    40 € indemnity)."""

    PRO = "pro"
    PARTICULIER = "particulier"
    PUBLIC = "public"

    @classmethod
    def of(cls, customer: Customer, levels: LevelSet) -> Regime:
        """The customer's Type first (a private person keeps a private customer's rights
        under any set of levels), then a set of levels for public buyers."""
        if customer.particulier:
            return cls.PARTICULIER
        return cls.PUBLIC if levels.public else cls.PRO


@dataclass(frozen=True)
class RatePeriod:
    """One row of the rates-by-period table: the annual rates in force from `debut` on.

    Rates are fractions, as in Settings. The L441-10 rate is set for each half-year
    (the ECB rate in force on 1 January, or on 1 July, plus 10 points), the legal
    rate too: one row per half-year, Début 01/01 or 01/07.
    """

    debut: date
    professionnels: Decimal
    particuliers: Decimal
    publics: Decimal


class InterestPeriod(NamedTuple):
    """Days of one invoice's interest at one rate on one principal: `du` to `au`, both
    counted; `principal` is what was still owed on each of those days."""

    du: date
    au: date
    jours: int
    taux: Decimal
    principal: Decimal


@dataclass(frozen=True)
class Company:
    """A company of `Paramètres`: who writes the letters, and the mentions a French
    business letter must carry (art. R123-237 of the Code de commerce)."""

    societe: str
    raison_sociale: str = ""
    adresse: str = ""
    siret: str = ""
    iban: str = ""
    email: str = ""
    bic: str = ""
    forme_juridique: str = ""
    capital: Decimal | None = None
    rcs: str = ""  # "RCS Reims 123 456 789", or "RM 123 456 789 51" for a craftsman
    tva: str = ""
    telephone: str = ""
    signataire: str = ""
    signataire_titre: str = ""
    signature: str = ""  # path of the signature image, relative to the workbook's folder
    devise: str = ""  # a row of the companies table naming a currency: its IBAN/BIC only


@dataclass(frozen=True)
class ExchangeRate:
    """A row of Paramètres' "Taux de change": how many units of `devise` one euro buys
    (the ECB's way of quoting, "1 EUR = 1,0850 USD"), as known on `date`. The euro
    amounts of the settings (minimum amount, fees) become amounts of that currency
    through it; nothing else is converted."""

    devise: str
    unites_par_euro: Decimal
    date: date | None = None
    row: int | None = None

    def from_euros(self, amount: Decimal) -> Decimal:
        """A euro amount in this currency, to the cent, half up (`to_cents`)."""
        return to_cents(amount * self.unites_par_euro)

    def to_euros(self, amount: Decimal) -> Decimal:
        """An amount of this currency in euros, to the cent, half up."""
        return to_cents(amount / self.unites_par_euro)


EURO_RATE = ExchangeRate(DEFAULT_CURRENCY, Decimal(1))


@dataclass(frozen=True)
class Settings:
    """The `Paramètres` sheet. Rates are fractions: 12,15 % is Decimal("0.1215")."""

    levels: tuple[Level, ...]
    taux_annuel: Decimal = Decimal("0.1215")
    taux_particuliers: Decimal = Decimal("0.0262")
    taux_publics: Decimal = Decimal("0.1015")
    taux_periodes: tuple[RatePeriod, ...] = ()  # empty: the three rates above, for every day
    indemnite_forfaitaire: Decimal = Decimal("40.00")
    montant_minimum: Decimal = Decimal("10.00")
    jours_grace: int = 0
    decocher_solde_negatif: bool = True
    # "Règlements non lettrés": False = Signaler (the row's motif and the letter say
    # them), True = Imputer sur les plus anciennes factures at Appliquer (`allocation`)
    imputer_non_lettres: bool = False
    companies: tuple[Company, ...] = ()
    forme_defaut: str = ""
    exemplaires_defaut: int = 1
    sortie_defaut: Sortie = Sortie.PDF
    dossier_defaut: str = ""
    other: tuple[tuple[str, str], ...] = ()
    # the balance âgée's buckets: 1-30, 31-60, 61-90 and over 90 days late
    tranches_balance: tuple[int, int, int] = (30, 60, 90)
    comptes_fec: tuple[str, ...] = ("411",)  # what a FEC's customer accounts start with
    taux_change: tuple[ExchangeRate, ...] = ()  # "Taux de change": one per currency
    # per (société, devise): the IBAN and BIC letters in that currency show (Sociétés
    # rows with a Devise); a currency without one shows the company's own
    comptes_devise: tuple[Company, ...] = ()

    def rate(self, devise: str) -> ExchangeRate | None:
        """The exchange rate of a currency, None when the table has none (never a
        guess); the euro's is 1."""
        if devise == DEFAULT_CURRENCY:
            return EURO_RATE
        return next((rate for rate in self.taux_change if rate.devise == devise), None)

    def company(self, societe: str, devise: str = DEFAULT_CURRENCY) -> Company | None:
        """The company `societe` as a letter in `devise` shows it: its own row, with the
        IBAN and BIC of its row for that currency when there is one."""
        own = next((c for c in self.companies if c.societe == societe), None)
        if own is None or devise == DEFAULT_CURRENCY:
            return own
        account = next((c for c in self.comptes_devise
                        if c.societe == societe and c.devise == devise), None)
        if account is None or not account.iban:
            return own
        return replace(own, iban=account.iban, bic=account.bic, devise=devise)

    def level(self, niveau: int, conditions: str = "") -> Level:
        """A level of the default set, or of the set named `conditions`."""
        return self.level_set(conditions).level(niveau)

    def level_set(self, conditions: str = "") -> LevelSet:
        """The set of levels a customer's "Conditions de relance" names (KeyError if none)."""
        return self.level_sets[fold(conditions)]

    @cached_property
    def level_sets(self) -> dict[str, LevelSet]:
        """Each set of levels by its folded name, "" for the default set."""
        grouped: dict[str, list[Level]] = {}
        for level in self.levels:
            grouped.setdefault(fold(level.conditions), []).append(level)
        return {key: LevelSet(levels[0].conditions, tuple(levels))
                for key, levels in grouped.items()}

    def option(self, key: str) -> str:
        """A setting kept as text for the outputs (SMTP host, fax gateway…), "" if unset."""
        return dict(self.other).get(key, "")

    @property
    def max_level(self) -> int:
        """The last level of the default set."""
        return self.level_set().top


# The letters' languages (Clients' "Langue"), the first the fallback of the others.
LANGUES = ("FR", "EN", "DE")


@dataclass(frozen=True)
class Template:
    """A Word template the package ships (one file per language, `LET01_FR.docx`…):
    the generator, the workbook's "Forme" drop-down and the checks derive from
    `TEMPLATES`.

    - interest: its letters claim interest: their table has the interest and indemnity
      columns, and the detail of the interest follows it
    - private_columns: a private customer gets the table without the indemnity column
      (they owe none), a professional the full one
    - public: written to public buyers (no threat of a suit)
    """

    forme: str
    interest: bool = False
    private_columns: bool = False
    public: bool = False


TEMPLATES: tuple[Template, ...] = (
    Template("LET01"),  # relance courtoise
    Template("LET02"),  # relance ferme
    Template("LET03", interest=True, private_columns=True),  # mise en demeure
    Template("ADM01", public=True),  # acheteurs publics: relance
    Template("ADM02", interest=True, public=True),  # acheteurs publics: mise en demeure
)
PROPOSAL_FORME = "PROP01"  # the proposal's template, not a letter's Forme
STATEMENT_FORME = "REL01"  # the statement of account (letters/statement.py), not a Forme
# the recovery file (letters/recovery_file.py): décompte, bordereau de pièces, request; FR only
RECOVERY_FORMES = ("REC01", "REC02", "REC03")


# The built workbook joins the invoice copies from level 1, the statement from level 2.
_COPIES = frozenset({JOINT_FACTURES})
_BOTH = frozenset({JOINT_RELEVE, JOINT_FACTURES})
DEFAULT_LEVELS: tuple[Level, ...] = (
    Level(1, 0, 0, "LET01", pieces_jointes=_COPIES),
    Level(2, 15, 15, "LET02", pieces_jointes=_BOTH),
    Level(3, 30, 15, "LET03", interets=True, indemnite=True, recommande=True,
          pieces_jointes=_BOTH),
)
# The second set the built workbook ships: public buyers (administrations) owe moratory
# interest (ECB + 8 points) and the 40 € indemnity by law; their letters threaten no suit.
PUBLIC_TERMS = "Acheteur public"
PUBLIC_LEVELS: tuple[Level, ...] = (
    Level(1, 0, 0, "ADM01", conditions=PUBLIC_TERMS, pieces_jointes=_COPIES),
    Level(2, 15, 15, "ADM02", interets=True, indemnite=True, conditions=PUBLIC_TERMS,
          taux=TAUX_PUBLICS, recommande=True, pieces_jointes=_BOTH),
)
# The third: a phone call before the mise en demeure (issue 26). Level 2's canal is
# Appel: `lettres` puts its rows in the call list, no letter, no template.
CALL_TERMS = "Avec appel"
CALL_LEVELS: tuple[Level, ...] = (
    Level(1, 0, 0, "LET01", conditions=CALL_TERMS),
    Level(2, 15, 15, "", conditions=CALL_TERMS, canal=CANAL_APPEL),
    Level(3, 30, 15, "LET03", interets=True, indemnite=True, recommande=True,
          conditions=CALL_TERMS),
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


@dataclass(frozen=True)
class PrintOptions:
    """The print dialog ("Choix des paramètres"): output, folder, template, copies, printer."""

    sortie: Sortie
    dossier: Path
    forme: str = ""  # empty: each level's own template
    exemplaires: int = 1
    imprimante: str = ""  # empty: the default printer

    @property
    def records(self) -> bool:
        """A screen preview records nothing and ticks nothing (`Output.records`)."""
        output = OUTPUTS.get(self.sortie)  # type: ignore[call-overload]
        return output is None or output.records


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
