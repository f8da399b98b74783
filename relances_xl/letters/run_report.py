"""What a letters run tells its caller: the total the letters claim (the question asked
before they go out), the report after it (which rows were really issued, where the
files are, what went wrong), and the `Historique` lines the caller records from it.

Apart from `run.py` because this is the run's contract with the add-in, the buttons
and the command line, read and changed on its own: which rows count as issued, what
`Historique` records for each invoice. `run.py` makes the report (and still offers
these names, as `run.RunReport`, `run.history_entries`…); this module renders,
converts and sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from ..config import PrintOptions, Sortie
from ..model import HistoryEntry, ReminderRow
from ..texts import by_currency
from . import archive as archives

Progress = Callable[[int, int, str], None]


def no_progress(done: int, total: int, text: str) -> None:
    """The progress of a run nobody watches (a test, the command line's default)."""
    return None


@dataclass
class LetterResult:
    row: ReminderRow
    file: Path | None = None  # the letter as kept in the chosen folder (PDF or .docx)
    error: str = ""
    archive: Path | None = None  # its PDF kept in "Lettres émises" (archive.py)

    @property
    def issued(self) -> bool:
        return not self.error


@dataclass
class RunReport:
    options: PrintOptions
    results: list[LetterResult] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # combined PDF, text export…
    notes: list[str] = field(default_factory=list)  # copies missing, unreadable… (envelope)

    @property
    def issued(self) -> list[ReminderRow]:
        return [r.row for r in self.results if r.issued] if self.options.records else []

    @property
    def failed(self) -> list[LetterResult]:
        return [r for r in self.results if not r.issued]


def history_entries(report: RunReport, on: date, workbook_folder: Path | None = None
                    ) -> list[HistoryEntry]:
    """One line per invoice of each letter really issued, at the invoice's own level,
    naming its archived PDF relative to `workbook_folder` (archive.reference).

    An invoice listed before it reached the first level's delay is recorded at level 0
    (listed, not reminded): it has no reminder yet, and a later letter at a level it
    has not reached restarts nothing (see rules.levels.standing).
    """
    if not report.options.records:
        return []
    entries = []
    for result in report.results:
        if not result.issued:
            continue
        row = result.row
        lettre = (archives.reference(result.archive, workbook_folder)
                  if result.archive is not None and workbook_folder is not None else "")
        for line in row.lines:
            entries.append(HistoryEntry(on, row.societe, row.tiers, line.invoice.piece,
                                        line.niveau, Sortie(report.options.sortie).value,
                                        lettre))
    return entries


def total_claimed(rows: list[ReminderRow]) -> dict[str, Decimal]:
    """What the letters ask in all, per currency (`texts.by_currency`): each what is
    left to pay, plus its agios."""
    return by_currency((r.devise, r.a_regler + r.agios_reclames) for r in rows)
