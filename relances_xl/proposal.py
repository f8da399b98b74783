"""The saved proposal: the table <-> the rows of the hidden `Proposition` sheet.

"Sauver la proposition" keeps the user's choices (rows unticked, letters marked
"Éditée") with the date and filters of the table; the next Appliquer offers them
again. Pure: blocks of cell values in, blocks out.

Restoring follows what an accountant means by keeping a proposal:
- only rows that still exist come back (a row whose invoices were paid is gone);
- a row is known by its identity (customer, company), never by its place or its text;
- a tick the user changed (unticked a row the rules ticked, or the reverse) is saved
  with an explicit "changed by the user" state and stands, unless the rules now have
  a reason to untick the row they did not have then (a customer blocked since wins,
  the row comes back unticked); a tick the user left as the rules gave it follows
  the rules of the day. Reasons are the engine's codes, never the motif's text: a
  note added to the motif ("e-mail manquant") changes nothing the user chose;
- "Éditée" comes back only for the same "Échéances échues au" date: those letters
  belong to that day, and a later date is a new reminder round;
- new rows come in ticked by the rules.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from operator import attrgetter

from . import cells, layout
from .model import DEFAULT_CURRENCY, Filters, Problem, ReminderRow, SavedProposal, SavedRow
from .parametres import split_codes

Block = list[list[object]]


def snapshot(rows: Iterable[ReminderRow], filters: Filters, saved_at: datetime,
             proposed: Mapping[tuple[str, str, str], bool] | None = None) -> SavedProposal:
    """The table as it stands, ready to be kept. `proposed`: the tick the rules give
    each row (by identity); a row whose tick differs was changed by the user."""
    proposed = proposed or {}
    kept = [field for _, field in layout.PROPOSAL_COLUMNS if field not in _NOT_ON_THE_TABLE]
    on_the_table = attrgetter(*kept)  # a row's columns in one call: a table is 10,000 rows
    saved = tuple(
        SavedRow(**dict(zip(kept, on_the_table(r), strict=True)),
                 pieces=tuple([line.invoice.piece for line in r.lines]),
                 choisi=proposed.get(r.key, r.a_relancer) != r.a_relancer)
        for r in rows
    )
    return SavedProposal(saved_at=saved_at, filters=filters, rows=saved)


def fingerprint(rows: Iterable[ReminderRow | SavedRow], on: date) -> str:
    """What the close prompt compares: the date and each row's two checkboxes."""
    text = on.isoformat() + "".join(
        f"|{r.tiers}\t{r.societe}{_other(r.devise)}\t{int(r.a_relancer)}{int(r.editee)}"
        for r in rows)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _other(devise: str) -> str:
    """A currency other than the euro in the fingerprint; the euro's rows as before."""
    return "" if devise == DEFAULT_CURRENCY else f"\t{devise}"


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
    by_key = {r.key: r for r in saved.rows}
    result, kept, unticked = [], 0, 0
    for row in rows:
        old = by_key.get(row.key)
        if old is None:
            result.append(row)
            continue
        kept += 1
        new_reason = not set(row.raisons) <= set(old.raisons)
        ticked = old.a_relancer if old.choisi and not new_reason else row.a_relancer
        editee = row.editee or (old.editee and saved.filters.date == on)
        unticked += row.a_relancer and not ticked  # the rules tick it, the user did not
        typed = {field: getattr(old, field) for field in layout.TYPED_FIELDS
                 if field not in ("a_relancer", "editee")}  # any other column the user types
        result.append(row._replace(a_relancer=ticked, editee=editee, **typed))
    current = {r.key for r in rows}
    gone = sum(1 for key in by_key if key not in current)
    return result, Restored(saved, kept, gone, unticked)


# --- cells of the hidden sheet ---------------------------------------------------------


def to_cells(saved: SavedProposal, changed: bool) -> tuple[dict[str, object], Block]:
    """Values of the labelled cells, and the saved rows under their header (the columns
    of `layout.PROPOSAL_COLUMNS`, each written as its table column's kind says)."""
    values: dict[str, object] = {
        "saved_at": saved.saved_at,
        "date": saved.filters.date,
        "changed": changed,
        "fingerprint": fingerprint(saved.rows, saved.filters.date),
    }
    for key in layout.FILTERS:
        values[key] = "; ".join(sorted(getattr(saved.filters, key))) or None
    columns = [_column(field, list(map(attrgetter(field), saved.rows)))
               for _, field in layout.PROPOSAL_COLUMNS]  # by column: each kind decided once
    return values, [[header for header, _ in layout.PROPOSAL_COLUMNS],
                    *map(list, zip(*columns, strict=True))]


_KINDS = {c.field: c.kind for c in layout.TABLE_COLUMNS} | {
    "choisi": "checkbox", "pieces": "list", "raisons": "list"}
_NOT_ON_THE_TABLE = ("pieces", "choisi")  # saved columns the table does not show
_BLANK = {"money": 0, "int": 0, "checkbox": False}  # an unreadable cell (reported)
_PARSERS = {"code": cells.parse_text, "text": cells.parse_text, "money": cells.parse_money,
            "int": lambda v: cells.parse_int(v, default=0), "checkbox": cells.parse_bool}


def _column(field: str, values: list[object]) -> list[object]:
    """A saved column's cells: amounts as floats, lists joined, empty text as no value."""
    kind = _KINDS[field]
    if kind == "money":
        return list(map(float, values))
    if kind == "list":
        return ["; ".join(value) or None for value in values]
    if kind == "text":
        return [value or None for value in values]
    return values


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
    where = {layout.normalize_header(text): index for index, text in enumerate(block[0])}
    rows = [_saved_row(row, number, where, problems)
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


def _saved_row(row: list[object], number: int, where: Mapping[str, int],
               problems: list[Problem]) -> SavedRow:
    """A saved row read by its header (`where`: header -> column; older proposals lack
    some columns: read as empty)."""
    values: dict[str, object] = {}
    for title, field in layout.PROPOSAL_COLUMNS:
        index = where.get(layout.normalize_header(title))
        raw = row[index] if index is not None and index < len(row) else None
        kind = _KINDS[field]
        if kind == "list":
            values[field] = tuple(p.strip() for p in str(raw or "").split(";") if p.strip())
            continue
        if kind == "money" and cells.is_blank(raw):
            raw = 0
        value, error = _PARSERS[kind](raw)
        if error and kind != "text" and kind != "code":
            problems.append(Problem(layout.PROPOSITION, number, title, row, error))
        values[field] = value if value is not None else _BLANK.get(kind, "")
    values["devise"] = values.get("devise") or DEFAULT_CURRENCY  # a proposal saved before
    return SavedRow(**values)
