"""Whole columns of cells parsed at once, each distinct value once, for big ledgers.

A year of a busy wholesaler is 100,000 invoice rows but a few hundred distinct
dates, a few thousand customer codes, two companies and Oui/Non. A column is parsed
by deciding each distinct cell value once (in Python) and handing the decisions out
to its cells with the interpreter's own loops (`map`, `dict.fromkeys`), which costs
a small fraction of calling a parser per cell: reading the ledger was two thirds of
an Appliquer when it went cell by cell (docs/performance.md, issue 30).

Only pure parsers may be used (the same value always gives the same result, and the
result is immutable: str, date, bool, int, Decimal): one result is shared by every
cell that holds the same value.

`Columns` and `ColumnFields` are a sheet read this way (`ledger.read_columns`): each
field parsed as a column, its bad cells reported in the order a row-by-row read
reports them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import repeat
from math import copysign, isfinite
from operator import itemgetter, mul, truediv

from . import cells
from .model import Problem

Parsed = tuple[object, str | None]
Parser = Callable[[object], Parsed]
# a cell decided: (value, what a problem shows of the cell, message or None)
Checked = tuple[object, object, str | None]
MISSING = "valeur obligatoire manquante"
_VALUE, _ERROR = itemgetter(0), itemgetter(2)
# no value of one of these types equals a value of another (nor of a number)
_NEVER_EQUAL = frozenset({str, type(None), date, datetime})
_MINUS_ZERO = Decimal("-0.00")


def check_cell(raw: object, parse: Parser, required: bool = False) -> Checked:
    """One cell through the rules every ledger cell follows, in their order.

    An Excel error ("#N/A", read with err_to_str) is named, never taken as missing
    nor as blank; then a required cell must not be blank; then the column's parser.
    """
    raw = cells.excel_value(raw)
    error = cells.excel_error(raw)
    if error:
        return None, error, cells.EXCEL_ERROR
    if required and cells.is_blank(raw):
        return None, raw, MISSING
    value, message = parse(raw)
    return (None, raw, message) if message else (value, raw, None)


def map_distinct(decide: Callable[[object], object], raws: Sequence[object]) -> list[object]:
    """`decide(raw)` for every cell, called once per distinct value; TypeError if a
    value is unhashable.

    1.0, 1 and True are equal in Python but not the same cell: when a column holds
    values of two such types, the type is part of the key (a tuple per cell, slower);
    so are -0.0 and 0.0 (a parser may read "-0,00"), the zero's sign then in the key.
    """
    kinds = set(map(type, raws)) - _NEVER_EQUAL
    if len(kinds) <= 1 and not (kinds == {float} and _negative_zero_in(raws)):
        keys: Sequence[object] = raws
        decided = dict.fromkeys(keys)
        for raw in decided:
            decided[raw] = decide(raw)
    else:
        signs = map(_is_negative_zero, raws) if float in kinds else repeat(False)
        keys = list(zip(map(type, raws), raws, signs, strict=False))
        decided = dict.fromkeys(keys)
        for key in decided:
            decided[key] = decide(key[1])
    return list(map(decided.__getitem__, keys))


def _is_negative_zero(raw: object) -> bool:
    return type(raw) is float and raw == 0 and copysign(1.0, raw) < 0


def _negative_zero_in(raws: Sequence[object]) -> bool:
    """A -0.0 among cells whose only numbers are floats (compared with 0.0 here, which
    a Decimal NaN would refuse): it equals 0.0 as a key, not as a cell."""
    return 0.0 in raws and any(map(_is_negative_zero, raws))


def parse_column(
    raws: Sequence[object], parse: Parser, required: bool = False
) -> tuple[list[object], dict[int, tuple[object, str]]]:
    """The values of a column, and its bad cells: position -> (value shown, message).

    A bad cell's value is None in the list.
    """
    whole = _WHOLE_COLUMN.get(parse)
    values = whole(raws, required) if whole is not None else None
    if values is not None:
        return values, {}
    try:
        results = map_distinct(lambda raw: check_cell(raw, parse, required), raws)
    except TypeError:  # an unhashable value (never from a sheet read): cell by cell
        return _one_by_one(raws, parse, required)
    values = list(map(_VALUE, results))
    if not any(map(_ERROR, results)):
        return values, {}
    return values, {position: (shown, message)
                    for position, (_, shown, message) in enumerate(results) if message}


def _texts(raws: Sequence[object], required: bool) -> list[object] | None:
    """A column of text cells, as most are: each stripped (what `parse_text` gives,
    "" for an empty optional cell), or None when one of them needs the cell-by-cell
    rules (an error, a required cell empty, a number)."""
    kinds = set(map(type, raws))
    if kinds == {str}:
        values = list(map(str.strip, raws))
    elif kinds == {str, type(None)} and not required:
        values = ["" if raw is None else raw.strip() for raw in raws]
    else:
        return None
    if not cells.EXCEL_ERROR_TEXTS.isdisjoint(values) or (required and "" in values):
        return None
    return values


def _amounts(raws: Sequence[object], required: bool) -> list[object] | None:
    """A column of numbers, as Excel gives amounts: each as `parse_money` makes it
    (shortest repr -> Decimal, two decimals), or None when one of them needs the
    cell-by-cell rules (too large, not finite, more than two decimals)."""
    if set(map(type, raws)) != {float}:
        return None
    if not all(map(isfinite, raws)) or max(map(abs, raws)) >= cells.MONEY_LIMIT:
        return None
    # In cents, as ints: below MONEY_LIMIT a float reads with two decimals at most (its
    # shortest repr) exactly when it is the float nearest to its cents over 100; no repr
    # then (a third of the cost, docs/performance.md)
    cents = list(map(round, map(mul, raws, repeat(100.0))))
    if list(map(truediv, cents, repeat(100))) != raws:
        return None
    amounts = list(map(Decimal.scaleb, map(Decimal, cents), repeat(-2)))
    if _negative_zero_in(raws):  # "-0,00", as parse_money reads -0.0 (an int has no sign)
        amounts = [_MINUS_ZERO if _is_negative_zero(raw) else amount
                   for raw, amount in zip(raws, amounts, strict=True)]
    return amounts


def texts(raws: Sequence[object]) -> list[object] | None:
    """`parse_text` of a whole column of text (optional: "" for an empty cell), or None."""
    return _texts(raws, False)


# parser -> the same parser for a whole column of one type (None: it cannot)
_WHOLE_COLUMN: dict[Parser, Callable[[Sequence[object], bool], list[object] | None]] = {
    cells.parse_text: _texts, cells.parse_money: _amounts}


def _one_by_one(
    raws: Sequence[object], parse: Parser, required: bool
) -> tuple[list[object], dict[int, tuple[object, str]]]:
    values: list[object] = []
    errors: dict[int, tuple[object, str]] = {}
    for position, raw in enumerate(raws):
        value, shown, message = check_cell(raw, parse, required)
        values.append(value)
        if message:
            errors[position] = (shown, message)
    return values, errors


@dataclass(frozen=True)
class Columns:
    """The data rows of one sheet, column by column: what the ledger's readers parse."""

    sheet: str
    rows: list[int]  # the Excel row number of each data row
    cells: Mapping[str, list[object]]  # field -> its cells, one per data row
    headers: Mapping[str, str]  # field -> header as typed by the user

    def column(self, field: str) -> list[object]:
        """A field's cells; those of a column the sheet lacks are all empty."""
        found = self.cells.get(field)
        return found if found is not None else [None] * len(self.rows)


_LAST = 1_000_000  # a row's own checks come after its cells' problems


class ColumnFields:
    """Parses a sheet a column at a time, reporting its bad cells in the order a
    row-by-row read reports them: row after row, and in a row in the order the
    columns are asked for, then the row's own checks (`fail`)."""

    def __init__(self, columns: Columns):
        self.columns = columns
        self.bad: set[int] = set()  # positions of the rows with a bad cell
        self._found: list[tuple[int, int, Problem]] = []
        self._asked = 0

    def get(self, field: str, parse: Parser, required: bool = False) -> list[object]:
        """The column's values (None where a cell is bad, reported)."""
        values, errors = parse_column(self.columns.column(field), parse, required)
        header = self.columns.headers.get(field, field)
        for position, (shown, message) in errors.items():
            self.fail(position, header, shown, message, self._asked)
        self._asked += 1
        return values

    def fail(self, position: int, header: str, raw: object, message: str,
             order: int = _LAST) -> None:
        self.bad.add(position)
        row = self.columns.rows[position]
        self._found.append((position, order, Problem(self.columns.sheet, row, header, raw,
                                                     message)))

    def fail_cell(self, position: int, field: str, message: str) -> None:
        """A row's own check refused this field's cell."""
        self.fail(position, self.columns.headers[field],
                  cells.excel_value(self.columns.cells[field][position]), message)

    def report(self, problems: list[Problem]) -> None:
        self._found.sort(key=lambda found: found[:2])
        problems.extend(problem for _, _, problem in self._found)
