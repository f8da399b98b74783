"""The N° pièce each invoice or credit note of a FEC gets in Factures. Pure.

A PieceRef is not an invoice number: real programs write `RAN` on every opening
line, `VE  0323` on a month's batch of sales for seventeen customers, `01/2023` on
the monthly takings of two. The number must never make two pieces one, must stay
the same from one export to the next, and should read as the user knows the piece:

- a *piece* is what the lines of one customer, one PieceRef (else JournalCode-
  EcritureNum) and one entry (journal, date, EcritureNum) make; its lines with
  different due dates (DateRglt in the 22-column variant, else their PieceDate)
  are its installments, one Factures row each;
- the PieceRef alone numbers a piece when no other piece has it (the usual invoice
  number); else it is qualified by the customer (`RAN/CLAURE`) when that customer
  has no other piece with it, else by the customer and the entry
  (`VE  0323/41102430/VE-20230315-00000013`); installments add their rank
  (`FA-12 (2/3)`, in due-date order). A credit note whose PieceRef is also an
  invoice's (a reversal) is `<PieceRef>-AV`, and so on;
- stable: a later export of the year may add a piece with a PieceRef that was
  unique so far. A number the workbook already holds for the same customer and
  the same piece date is then kept, in whatever form it was given, and a number
  the workbook holds for another customer is never taken: the next form is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from .lines import FecLine

AVOIR_SUFFIX = "-AV"


@dataclass(frozen=True)
class Known:
    """A Factures row of the company already in the workbook: its customer and date."""

    tiers: str | None  # None: not told (counts as this customer's)
    date_piece: date | None

    def of(self, tiers: str) -> bool:
        return self.tiers is None or self.tiers == tiers


def number_pieces(lines: Iterable[FecLine], is_credit_note: Callable[[FecLine], bool],
                  known: dict[str, Known]) -> dict[int, str]:
    """FEC line number -> N° pièce, for every debit line and credit-note line."""
    lines = [ln for ln in lines if ln.amount > 0 or is_credit_note(ln)]
    invoice_bases = {ln.piece or f"{ln.journal}-{ln.num}" for ln in lines if ln.amount > 0}
    # piece -> due date -> its lines; a piece is (avoir, tiers, base, entry), a tuple
    # rather than a dataclass: this runs once per line of the FEC's customer accounts.
    # Dictionaries keep the file's order: a number never depends on anything else.
    pieces: dict[tuple[bool, str, str, str], dict[date, list[FecLine]]] = {}
    for line in lines:
        base = line.piece or f"{line.journal}-{line.num}"
        avoir = line.amount < 0
        if avoir and base in invoice_bases:
            base += AVOIR_SUFFIX
        key = (avoir, line.tiers, base, line.entry)
        dues = pieces.get(key)
        if dues is None:
            dues = pieces[key] = {}
        when = line.due or line.piece_date
        found = dues.get(when)
        if found is None:
            dues[when] = [line]
        else:
            found.append(line)
    # (avoir, base) -> the customer of each piece with that base
    by_base: dict[tuple[bool, str], list[str]] = defaultdict(list)
    for avoir, tiers, base, _ in pieces:
        by_base[avoir, base].append(tiers)
    numbers: dict[int, str] = {}
    taken: set[str] = set()
    for (avoir, tiers, base, entry), dues in pieces.items():
        forms = _forms(base, tiers, entry, by_base[avoir, base])
        installments = sorted(dues.items()) if len(dues) > 1 else list(dues.items())
        for rank, (_, group) in enumerate(installments, start=1):
            suffix = f" ({rank}/{len(installments)})" if len(installments) > 1 else ""
            on = min(ln.piece_date for ln in group)
            number = _choose([form + suffix for form in forms], tiers, on, known, taken)
            taken.add(number)
            for line in group:
                numbers[line.line] = number
    return numbers


def _forms(base: str, tiers: str, entry: str, same_base: list[str]) -> list[str]:
    """The piece's possible numbers, the one its file calls for first, then fuller ones;
    the less qualified ones after, kept only if the workbook already holds them.
    `same_base`: the customer of each piece with this base."""
    full = [base, f"{base}/{tiers}", f"{base}/{tiers}/{entry}"]
    if len(same_base) == 1:
        return full
    if same_base.count(tiers) == 1:
        return [*full[1:], full[0]]
    return [full[2], full[1], full[0]]


def _choose(forms: list[str], tiers: str, on: date, known: dict[str, Known],
            taken: set[str]) -> str:
    """The form to use: one the workbook holds for this very piece, else the first free."""
    wanted = forms[0]
    free = wanted not in taken and (wanted not in known or known[wanted].of(tiers))
    if free and (wanted in known or not any(_same(known.get(f), tiers, on) for f in forms[1:])):
        return wanted
    for form in forms[1:]:  # kept from an earlier import of this piece
        if form not in taken and _same(known.get(form), tiers, on):
            return form
    for form in forms:  # free: neither given in this file nor another customer's
        if form not in taken and (form not in known or known[form].of(tiers)):
            return form
    rank = 2
    while f"{forms[-1]}#{rank}" in taken or f"{forms[-1]}#{rank}" in known:
        rank += 1
    return f"{forms[-1]}#{rank}"


def _same(known: Known | None, tiers: str, on: date) -> bool:
    return known is not None and known.of(tiers) and known.date_piece == on
