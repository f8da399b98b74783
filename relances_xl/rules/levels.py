"""Where an invoice stands in its customer's set of levels, read from `Historique`.

Pure: the lines of `Historique`, the set of levels and the run's date in, a level out.
A line dated after the run's date does not exist yet (see `engine`, which keeps only
those issued by then).

- An invoice never listed gets the set's first level once late enough.
- After level k the next is k + 1 (a level is never skipped; the last one repeats),
  once both its days late and its days since the previous reminder are met, counted
  from the letter that gave the invoice its current level (`standing`).
- An invoice held back by `Suivi` keeps the level its letters gave it (`held_level`).
- A private customer owes interest from its first mise en demeure, the first letter
  at an interest-bearing level that listed the invoice (`first_notice`).
- Levels beyond the set's last (removed from Paramètres since letters went out) count
  as the last, and are reported (`history_beyond_last_level`).

Kept apart from the passes over the ledger (`engine`) and from the building of a row
(`table_row`), which both read it; it imports neither.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from operator import attrgetter
from typing import NamedTuple

from .. import layout
from ..config import LevelSet
from ..model import HistoryEntry, Problem

_NIVEAU_HEADER = layout.header(layout.HISTORIQUE_COLUMNS, "niveau")
_WHEN = attrgetter("date", "niveau")  # of a HistoryEntry: a day's letters by level


class History(NamedTuple):
    """`Historique` up to the table's date, ready for the invoices' lookups (built once
    per run by `engine`, read per invoice: hence plain dicts, no tuple key per line)."""

    lines: dict[str, dict[str, list[HistoryEntry]]]  # per company then piece
    letter_levels: dict[tuple[date, str, str], int]  # (date, société, tiers) -> its level

    def of(self, societe: str, piece: str) -> list[HistoryEntry]:
        """The lines of an invoice, oldest first (a day's by level); empty if none."""
        lines = self.lines[societe].get(piece)
        if lines is None:
            return []
        if len(lines) > 1:
            lines.sort(key=_WHEN)  # in place: sorted once, whatever Historique's order
        return lines

    def letter_level(self, entry: HistoryEntry) -> int:
        """The level of the letter that listed this line: the highest of its lines."""
        return self.letter_levels[(entry.date, entry.societe, entry.tiers)]


def standing(letters: list[HistoryEntry], jours_retard: int, levels: LevelSet, on: date
             ) -> tuple[int, bool]:
    """(level, due) of an invoice listed in letters before: the level this reminder gives
    it when `due`, else the level its letters gave it. (Never listed: the first level once
    late enough, decided inline in `engine._open_lines`, which runs for every invoice.)

    The first level comes once late enough. After level k the next is k + 1 (a level is
    never skipped; the last one repeats), once both its days late and its days since
    the previous reminder are met. That delay counts from the letter that gave the
    invoice its current level: being listed again at that level, in a letter made for
    another invoice, does not restart it. The last level repeats after its delay from
    its latest letter. A level-0 line (listed before level 1 was due) is no reminder.
    A letter issued today is not due again today. Levels beyond the set's last (removed
    from Paramètres since) count as the last.
    """
    top = levels.top
    niveau, since, latest = 0, on, on
    for letter in letters:  # oldest first
        if not letter.niveau:
            continue
        level = letter.niveau if letter.niveau < top else top
        if level != niveau:
            niveau, since = level, letter.date
        latest = letter.date
    if not niveau:
        first = levels.first
        due = jours_retard >= first.jours_retard
        return (first.niveau if due else 0), due
    if latest == on:
        return niveau, False
    candidate = levels.level(niveau + 1 if niveau < top else top)
    clock = latest if niveau == top else since
    due = (jours_retard >= candidate.jours_retard
           and (on - clock).days >= candidate.jours_depuis_precedente)
    return (candidate.niveau if due else niveau), due


def held_level(letters: list[HistoryEntry], levels: LevelSet) -> int:
    """The level an invoice held back by Suivi keeps: its letters' (as `standing` reads
    them), 0 when never reminded. A hold stops the escalation, not the past letters."""
    niveau = 0
    for letter in letters:
        if letter.niveau:
            niveau = min(letter.niveau, levels.top)
    return niveau


def first_notice(letters: list[HistoryEntry], levels: LevelSet, history: History
                 ) -> date | None:
    """The date of the first letter at an interest-bearing level that listed the invoice:
    the mise en demeure from which a private customer owes interest (art. 1231-6 Code
    civil). None if no such letter was issued. The letter's level, not the line's: a
    line listed at a lower level in a letter of the interest-bearing one was put on
    notice too."""
    top = levels.top
    for letter in letters:  # oldest first
        lettre = history.letter_level(letter)
        if lettre and levels.level(min(lettre, top)).interets:
            return letter.date
    return None


def history_beyond_last_level(
    history: Iterable[HistoryEntry], terms: dict[str, LevelSet]
) -> list[Problem]:
    """Levels removed from Paramètres after letters were issued count as the last one:
    said, not blocking, so the user knows why such an invoice repeats the last level."""
    problems = []
    for entry in history:
        levels = terms.get(entry.tiers)
        if levels is not None and entry.niveau > levels.top:
            top = levels.top
            problems.append(Problem(
                layout.HISTORIQUE, entry.row, _NIVEAU_HEADER, entry.niveau,
                f"niveau au-delà du dernier niveau de relance ({top}) : compté comme {top}",
                blocking=False))
    return problems
