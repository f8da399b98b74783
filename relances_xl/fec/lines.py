"""One line of a FEC: what it becomes, and how the values of its fields are read. Pure.

A line on a customer account becomes a `FecLine`; a line that cannot be imported is a
`FecIssue` naming its line number, column and value, and a `FecIssue` that rejects
nothing is a remark about the file. The functions here read one field's text as the
article writes it, each problem appended to the caller's list of issues with the
message the user sees: amounts with comma or dot decimals (`read_money`), dates as
AAAAMMJJ or as some tools write them (`read_date`), the Idevise + Montantdevise pair of
a line in another currency (`read_currency`). What they accept, and why, is told with
the rest of the reading at the top of `fec.read`.

Its own module because `fec.read` deals with the file (bytes, line ends, header,
columns, fields picked by position), while these are the values the rest of the import
handles: `fec.numbers`, `fec.plan` and `fec.changes` work on lines and issues, never on
the file; and what a field may hold, and what is said when it does not, is read and
changed in one place. `fec.read` calls these as it did when they were its own: once per
customer line, as module-level functions, nothing added per line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

from .. import cells
from ..model import CENT, DEFAULT_CURRENCY, strip_accents

# journals of the opening entries ("à-nouveaux"), besides any whose label says so
OPENING_JOURNALS = frozenset({"AN", "ANO", "RAN"})
ZERO = Decimal("0.00")  # what an empty or unreadable amount reads as
ZERO_TEXTS = frozenset(("", "0", "0,00", "0.00"))  # amounts read as ZERO without parsing

_AMOUNT = re.compile(r"[+-]?\d+([.,]\d+)?")
_OPENING_LABEL = re.compile(r"\ba[\s-]*nouveaux?\b")  # "A nouveaux", "Report à-nouveau"


@dataclass(frozen=True)
class FecIssue:
    """A line of the FEC that could not be read, or a remark about the file."""

    line: int | None
    column: str | None
    value: object
    message: str
    rejected: bool = True  # the line was not imported; False: a remark about the file

    def __str__(self) -> str:
        where = [f"ligne {self.line}"] if self.line is not None else ["fichier"]
        if self.column:
            where.append(f"colonne « {self.column} »")
        shown = "" if self.value in (None, "") else f" : valeur « {self.value} »"
        return f"FEC, {', '.join(where)}{shown} — {self.message}"


class FecLine(NamedTuple):
    """One line on a customer account; `amount` > 0 is a debit, < 0 a credit.

    A named tuple rather than a frozen dataclass: a year's FEC has hundreds of
    thousands of customer lines, and a tuple is much quicker to make
    (docs/performance.md, "import-fec").
    """

    line: int
    journal: str
    journal_lib: str
    num: str
    ecriture_date: date
    tiers: str
    nom: str
    piece: str
    piece_date: date
    amount: Decimal
    # the amount in the line's currency (Montantdevise), signed as `amount`; `amount`
    # itself for a line in euros: what invoices, payments and lettering count in
    own: Decimal
    lettrage: str
    rank: int  # 1, 2… among the customer lines of its entry, in file order
    # the line's entry: journal, date and number ("VE-20230306-00000006"). EcritureNum
    # alone may be "0" on every line, as some programs write it, or repeat from one
    # year to the next. Made once, when the line is read: every step names it.
    entry: str = ""
    due: date | None = None  # DateRglt, in the 22-column variant
    devise: str = DEFAULT_CURRENCY  # Idevise, upper case; EUR when blank

    @property
    def ident(self) -> str:
        """A stable id of the line: journal, date and number of its entry, rank in it.

        EcritureNum alone repeats from one year (or journal) to the next; with the
        entry's date it cannot, since fiscal years do not overlap.
        """
        return f"{self.entry}-{self.rank}"

    @property
    def opening(self) -> bool:
        """An opening entry ("à-nouveau"): the balance carried from the previous year."""
        return _is_opening(self.journal, self.journal_lib)


@lru_cache(maxsize=1024)
def _is_opening(journal: str, journal_lib: str) -> bool:
    """Asked of every line, answered once per journal (its label folded once)."""
    return (journal.upper() in OPENING_JOURNALS
            or _OPENING_LABEL.search(fold(journal_lib)) is not None)


def fold(text: object) -> str:
    """`text` without accents and case, as names and labels of a FEC are compared."""
    return strip_accents(text).casefold()


def read_currency(number: int, amount: Decimal, foreign: str, code: str,
                  issues: list[FecIssue], remarks: list[FecIssue]) -> tuple[str, Decimal]:
    """The line's currency and its amount in it, signed as `amount` (`amount` for euros).

    A problem that leaves the currency or its amount unknown goes to `issues` (the line
    is rejected); an EUR amount that differs from the books' is only remarked on: the
    books' euro amount is the one kept.
    """
    code = code.upper()
    if not code:  # an amount without its currency: the euro amount repeated, or unknown
        before = len(issues)
        value = read_money(number, "Montantdevise", foreign, issues)
        if len(issues) == before and value and abs(value) != abs(amount):
            issues.append(FecIssue(number, "Montantdevise", foreign,
                                   "montant en devise sans devise (Idevise vide) : indiquez "
                                   "le code de la devise (ex. USD) dans Idevise"))
        return DEFAULT_CURRENCY, amount
    if cells.parse_currency(code)[1]:  # the workbook's own check of a Devise cell
        issues.append(FecIssue(number, "Idevise", code, "code de devise ISO 4217 attendu "
                               "(ex. USD, GBP, CHF)"))
        return DEFAULT_CURRENCY, amount
    if not foreign:
        issues.append(FecIssue(number, "Montantdevise", foreign,
                               f"montant en devise manquant pour la devise {code} "
                               f"(Idevise) : si c'est un écart de change (0 {code}, qu'Odoo "
                               f"exporte vide), rien n'est dû en {code} et la ligne peut "
                               "rester rejetée ; sinon, indiquez son montant en devise"))
        return DEFAULT_CURRENCY, amount
    before = len(issues)
    value = read_money(number, "Montantdevise", foreign, issues)
    if len(issues) > before:
        return DEFAULT_CURRENCY, amount
    if code == DEFAULT_CURRENCY:
        if value and abs(value) != abs(amount):
            remarks.append(FecIssue(number, "Montantdevise", foreign,
                                    "montant en EUR différent du débit/crédit : le "
                                    "débit/crédit, montant des livres, est retenu", False))
        return DEFAULT_CURRENCY, amount
    if amount > 0 and value < 0:
        issues.append(FecIssue(number, "Montantdevise", foreign,
                               "montant en devise négatif sur une ligne au débit : le sens "
                               "de la ligne et celui du montant en devise se contredisent"))
        return DEFAULT_CURRENCY, amount
    return code, -abs(value) if amount < 0 else abs(value)


def read_money(number: int, column: str, text: str, issues: list[FecIssue]) -> Decimal:
    """"1234,56" -> Decimal("1234.56"); empty is zero; anything else a FecIssue."""
    if text in ZERO_TEXTS:
        return ZERO
    if _AMOUNT.fullmatch(text):
        try:
            value = Decimal(text.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            value = None
    else:
        value, _ = cells.parse_money(text)  # "1 234,56", "1.234,56"…
    cents = None if value is None else value.quantize(CENT)
    if cents is None or cents != value:
        issues.append(FecIssue(number, column, text, "montant attendu (ex. 1234,56)"))
        return ZERO
    return cents


def read_date(number: int, column: str, text: str, issues: list[FecIssue]) -> date:
    """AAAAMMJJ as the article writes it; JJ/MM/AAAA and AAAA-MM-JJ as some tools do.

    An unreadable date is a FecIssue in `issues`, and reads as `date.min`.
    """
    try:
        if len(text) == 8 and text.isdigit():
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
    except ValueError:
        pass
    issues.append(FecIssue(number, column, text, "date AAAAMMJJ attendue"))
    return date.min
