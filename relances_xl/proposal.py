"""The saved proposal: the table <-> the rows of the hidden `Proposition` sheet.

"Sauver la proposition" keeps the user's choices (rows unticked, letters marked
"Éditée") with the date and filters of the table; the next Appliquer offers them
again. Pure: blocks of cell values in, blocks out.

Restoring follows what an accountant means by keeping a proposal:
- only rows that still exist come back (a row whose invoices were paid is gone);
- the user's tick or untick stands while the row's reason ("motif") is the one they
  saw; a new reason (a customer blocked since) wins, with the row unticked;
- "Éditée" comes back only for the same "Echéances échues au" date: those letters
  belong to that day, and a later date is a new reminder round;
- new rows come in ticked by the rules.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from . import cells, layout
from .model import Filters, Problem, ReminderRow, SavedProposal, SavedRow
from .parametres import split_codes

Block = list[list[object]]


def snapshot(rows: Iterable[ReminderRow], filters: Filters, saved_at: datetime
             ) -> SavedProposal:
    """The table as it stands, ready to be kept."""
    saved = tuple(
        SavedRow(r.tiers, r.societe, r.a_relancer, r.editee, r.niveau, r.encours_relance,
                 r.motif, tuple(line.invoice.piece for line in r.lines))
        for r in rows
    )
    return SavedProposal(saved_at=saved_at, filters=filters, rows=saved)


def fingerprint(rows: Iterable[ReminderRow | SavedRow], on: date) -> str:
    """What the close prompt compares: the date and each row's two checkboxes."""
    text = on.isoformat() + "".join(
        f"|{r.tiers}\t{r.societe}\t{int(r.a_relancer)}{int(r.editee)}" for r in rows)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Restored:
    """What a restore did, for the message on the sheet."""

    saved: SavedProposal
    kept: int  # rows of the proposal found again
    gone: int  # rows of the proposal no longer due (paid, credited…)
    unticked: int  # rows the rules would tick, left unticked by the user's choice

    def message(self) -> str:
        saved = self.saved
        text = (f"Proposition du {saved.filters.date:%d/%m/%Y} sauvée le "
                f"{saved.saved_at:%d/%m/%Y à %H:%M} reprise : {self.kept} ligne(s) reprise(s)")
        if self.unticked:
            text += f", {self.unticked} laissée(s) décochée(s)"
        if self.gone:
            text += f", {self.gone} disparue(s) (réglées depuis)"
        return text + "."


def restore(rows: list[ReminderRow], saved: SavedProposal, on: date
            ) -> tuple[list[ReminderRow], Restored]:
    """Fresh rows with the saved choices put back where they still apply."""
    by_key = {(r.tiers, r.societe): r for r in saved.rows}
    result, kept, unticked = [], 0, 0
    for row in rows:
        old = by_key.get((row.tiers, row.societe))
        if old is None:
            result.append(row)
            continue
        kept += 1
        ticked = old.a_relancer if old.motif == row.motif else row.a_relancer
        editee = row.editee or (old.editee and saved.filters.date == on)
        unticked += row.a_relancer and not ticked  # the rules tick it, the user did not
        result.append(row._replace(a_relancer=ticked, editee=editee))
    current = {(r.tiers, r.societe) for r in rows}
    gone = sum(1 for key in by_key if key not in current)
    return result, Restored(saved, kept, gone, unticked)


# --- cells of the hidden sheet ---------------------------------------------------------


def to_cells(saved: SavedProposal, changed: bool) -> tuple[dict[str, object], Block]:
    """Values of the labelled cells, and the saved rows under their header."""
    values: dict[str, object] = {
        "saved_at": saved.saved_at,
        "date": saved.filters.date,
        "changed": changed,
        "fingerprint": fingerprint(saved.rows, saved.filters.date),
    }
    for key in layout.FILTERS:
        values[key] = "; ".join(sorted(getattr(saved.filters, key))) or None
    block: Block = [[header for header, _ in layout.PROPOSAL_COLUMNS]]
    for row in saved.rows:
        block.append([row.tiers, row.societe, row.a_relancer, row.editee, row.niveau,
                      float(row.encours_relance), row.motif or None,
                      "; ".join(row.pieces) or None])
    return values, block


def from_cells(values: Mapping[str, object], block: Block
               ) -> tuple[SavedProposal | None, list[Problem]]:
    """The saved proposal, None when none was saved (or it was dropped)."""
    if cells.is_blank(values.get("saved_at")):
        return None, []
    problems: list[Problem] = []
    saved_at = _value(values, "saved_at", cells.parse_date, problems)
    on = _value(values, "date", cells.parse_date, problems)
    if problems:
        return None, problems
    if isinstance(values["saved_at"], datetime):
        saved_at = values["saved_at"]
    else:
        saved_at = datetime.combine(saved_at, datetime.min.time())
    filters = Filters(date=on, **{key: split_codes(values.get(key)) for key in layout.FILTERS})
    rows = [_saved_row(row, number, problems)
            for number, row in enumerate(block[1:], start=layout.PROPOSAL_HEADER_ROW + 1)
            if row and not cells.is_blank(row[0])]
    if problems:
        return None, problems
    return SavedProposal(saved_at, filters, tuple(rows)), []


def _value(values: Mapping[str, object], key: str, parse, problems: list[Problem]) -> object:
    value, error = parse(values.get(key))
    if error:
        label_cell, _, label = layout.PROPOSAL_CELLS[key]
        problems.append(Problem(layout.PROPOSITION, int(label_cell[1:]), label,
                                values.get(key), error))
    return value


def _saved_row(row: list[object], number: int, problems: list[Problem]) -> SavedRow:
    padded = list(row) + [None] * (len(layout.PROPOSAL_COLUMNS) - len(row))
    tiers, societe, ticked, editee, niveau, encours, motif, pieces = padded[:8]
    parsed = {
        "a_relancer": cells.parse_bool(ticked), "editee": cells.parse_bool(editee),
        "niveau": cells.parse_int(niveau, default=0), "encours": cells.parse_money(encours or 0),
    }
    for (header, _), (_, error) in zip(layout.PROPOSAL_COLUMNS[2:6], parsed.values(),
                                       strict=True):
        if error:
            problems.append(Problem(layout.PROPOSITION, number, header, row, error))
    return SavedRow(
        tiers=cells.parse_text(tiers)[0] or "", societe=cells.parse_text(societe)[0] or "",
        a_relancer=bool(parsed["a_relancer"][0]), editee=bool(parsed["editee"][0]),
        niveau=parsed["niveau"][0] or 0, encours_relance=parsed["encours"][0] or 0,
        motif=cells.parse_text(motif)[0] or "",
        pieces=tuple(p.strip() for p in str(pieces or "").split(";") if p.strip()),
    )
