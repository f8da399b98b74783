"""The journal of messages sent, beside the workbook: no e-mail or fax sent twice.

An e-mail or fax run records "Éditée" and `Historique` in the workbook at its end.
If the run is killed half-way (Excel closed, power cut, Ctrl+C), the messages
already sent would otherwise be sent again by the next run. So, right after the
server accepted each message, one line is appended to `<workbook>.envois.jsonl`
(flushed and fsync'ed): the date of the table, the company, the customer, the
output and the invoices with their level. The next "Imprimer toutes les lettres"
(and the next Appliquer) first replays the journal: the history lines it holds are
added (never twice: same date, company and invoice), and its rows of the table's
date count as "Éditée", so they are not sent again. The command line deletes the
journal once the workbook holding all of it is saved; in Excel it stays until the
next run (replaying is idempotent).

A line cut by a kill in the middle of its write is ignored: its message was
accepted by the server microseconds before, the only window where a rerun may send
it again.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..model import DEFAULT_CURRENCY, HistoryEntry, ReminderRow

SUFFIX = ".envois.jsonl"


@dataclass(frozen=True)
class SentLetter:
    date: date
    societe: str
    tiers: str
    sortie: str
    pieces: tuple[tuple[str, int], ...]
    lettre: str = ""  # its archived PDF, as `Historique` names it (letters/archive.py)
    devise: str = DEFAULT_CURRENCY  # a journal of an older version names none: euros

    @property
    def key(self) -> tuple[str, str, str]:
        """The identity of the table row it was sent for (`ReminderRow.key`)."""
        return self.tiers, self.societe, self.devise

    def history(self) -> list[HistoryEntry]:
        return [HistoryEntry(self.date, self.societe, self.tiers, piece, niveau, self.sortie,
                             self.lettre)
                for piece, niveau in self.pieces]


def journal_path(workbook: str | Path) -> Path:
    workbook = Path(workbook)
    return workbook.with_name(workbook.name + SUFFIX)


def row_pieces(row: ReminderRow) -> tuple[tuple[str, int], ...]:
    """The invoices of a letter at the level each is reminded at (as `Historique` has them)."""
    return tuple((line.invoice.piece, line.niveau) for line in row.lines)


def record(path: Path, row: ReminderRow, on: date, sortie: str, lettre: str = "") -> bool:
    """Append one sent letter, durably; False if the journal cannot be written."""
    line = json.dumps({"date": on.isoformat(), "societe": row.societe, "tiers": row.tiers,
                       "sortie": sortie, "pieces": [list(p) for p in row_pieces(row)],
                       "lettre": lettre, "devise": row.devise}, ensure_ascii=False)
    try:
        with open(path, "a", encoding="utf-8") as stream:
            stream.write(line + "\n")
            stream.flush()
            os.fsync(stream.fileno())
    except OSError:
        return False
    return True


def read(path: Path) -> list[SentLetter]:
    """The letters of the journal; an unreadable line (cut by a kill) is skipped."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    except OSError:
        return []
    letters = []
    for line in text.splitlines():
        try:
            data = json.loads(line)
            letters.append(SentLetter(date.fromisoformat(data["date"]), str(data["societe"]),
                                      str(data["tiers"]), str(data["sortie"]),
                                      tuple((str(n), int(v)) for n, v in data["pieces"]),
                                      str(data.get("lettre") or ""),
                                      str(data.get("devise") or DEFAULT_CURRENCY)))
        except (ValueError, KeyError, TypeError):
            continue
    return letters


def clear(path: Path) -> None:
    Path(path).unlink(missing_ok=True)
