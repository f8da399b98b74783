"""What the `Paramètres` sheet and the package declare, as frozen values: the levels
of each set of reminder terms, the rates and their kinds, the companies that write the
letters, the exchange rates, the outputs (`Sortie`), the templates shipped and the
print options.

Apart from `model` (the ledger and what the rules compute from it): these say how to
remind, not what is owed. Nothing here reads or writes a file either: `parametres`
reads the sheet into these values.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .model import DEFAULT_CURRENCY, ZERO, fold, to_cents

if TYPE_CHECKING:
    from .model import Customer


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
