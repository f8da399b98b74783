"""A value written to a cell, stored the way Excel stores it.

- empty (None or "") clears the value and keeps the format;
- text as Excel reads it typed (`typed`): "=..." a formula, "00042" the number 42,
  "2022-07-15" a date, "#N/A" an error..., unless the cell is formatted as text
  ("@"); text after a leading apostrophe is text, the cell's format marked
  `quotePrefix` as Excel marks it; text is cut at Excel's 32,767 characters;
- a value written without the apostrophe takes the mark away, as typing does;
- numbers and Decimal as a double (NaN and infinities, which a cell cannot hold, as
  empty); True/False as booleans;
- a date, time or duration as its serial number, and a cell that shows no date gets
  a date format (the caller's, with " hh:mm" when there is a time of day), a time
  format or a duration format.

A block of 100,000 rows is written cell by cell, so the common cases are decided
with as few steps as possible and the formats and serial numbers found once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .sheet_xml import Cell
from .styles import Styles
from .typed import may_change, typed
from .values import (
    DURATION_FORMAT,
    EPOCH,
    MAX_TEXT,
    TIME_FORMAT,
    CellError,
    is_date_format,
    number_text,
    serial,
)

PERCENT_FORMAT = "0%"

_ABSENT = object()


class Writer:
    """Makes the stored cell for (format, value); one per book."""

    def __init__(self, styles: Styles, date_format: str) -> None:
        self.styles, self.date_format = styles, date_format
        self._date_styles: dict[tuple[int, str], int] = {}
        self._serials: dict[Any, str] = {}

    def __call__(self, style: int, value: Any) -> Cell:
        kind = value.__class__
        if kind is str:
            return self.text(style, value)
        if style in self.styles.quoted() and value is not None:
            style = self.styles.with_quote_prefix(style, False)
        if kind is float:
            if value - value == 0.0:  # not NaN nor infinite
                return Cell((style, value, "n", repr(value)))
            return Cell((style, None, "", None))
        if kind is bool:
            return Cell((style, value, "b", None))
        if kind is int or kind is Decimal:
            return self(style, float(value)) if kind is Decimal or abs(value) >= 10**15 \
                else Cell((style, float(value), "n", str(value)))
        if isinstance(value, dt.date | dt.time | dt.timedelta):
            return self.date(style, value)
        if isinstance(value, str | float | int):  # subclasses (numpy's, enums...)
            return self(style, _base(value))
        raise TypeError(f"cannot write {value!r} ({kind.__name__}) to a cell")

    def row(self, changes: dict[int, Cell | None], file_cells: dict[int, Cell],
            new_style: Callable[[int], int], first: int, values: list[Any]
            ) -> tuple[int, int] | None:
        """Write `values` into one row's cells from column `first` on; returns the first and
        last column where a cell was made (None: none was).

        The loop of a bulk write: plain text and floats, most of a ledger, are stored
        here without a call; the rest goes through `__call__`.
        """
        first_made = last_made = None
        fresh = not changes and not file_cells  # a row with no cell yet: nothing to look up
        quoted = self.styles.quoted()
        for column, value in enumerate(values, first):
            cell = None if fresh else changes.get(column, _ABSENT)
            if cell is _ABSENT:
                cell = file_cells.get(column)
            if cell is not None:
                style = cell[0]
            elif value is None or value == "":
                continue  # nothing there, nothing to clear
            else:
                style = new_style(column)
                if first_made is None:
                    first_made = column
                last_made = column
            kind = value.__class__
            if kind is str and value and len(value) <= MAX_TEXT and not may_change(value) \
                    and style not in quoted:
                changes[column] = Cell((style, value, "s", value))
            elif kind is str and value[:1] == "'" and 1 < len(value) <= MAX_TEXT + 1:
                text = value[1:]  # text marked as text (excel/text_cells), most of a table
                changes[column] = Cell((self.styles.with_quote_prefix(style, True), text, "s",
                                        text))
            elif kind is float and value - value == 0.0 and style not in quoted:
                changes[column] = Cell((style, value, "n", repr(value)))
            elif kind is bool and style not in quoted:  # a table's checkboxes
                changes[column] = Cell((style, value, "b", None))
            elif value is None or value == "":
                changes[column] = Cell((style, None, "", None))
            else:
                changes[column] = self(style, value)
        return None if first_made is None else (first_made, last_made)

    def text(self, style: int, value: str) -> Cell:
        styles = self.styles
        if value[0] == "'":  # Excel's mark of text: not stored, the format says it
            style, value = styles.with_quote_prefix(style, True), value[1:MAX_TEXT + 1]
            return Cell((style, value, "s", value)) if value else Cell((style, None, "", None))
        if style in styles.quoted():
            style = styles.with_quote_prefix(style, False)
        if len(value) > MAX_TEXT:
            value = value[:MAX_TEXT]
        if styles.format_code(style) == "@":  # a text cell keeps what it is given
            return Cell((style, value, "s", value))
        kind, read = typed(value)
        if kind == "text":
            return Cell((style, value, "s", value))
        if kind == "formula":
            return Cell((style, None, "f", read))
        if kind == "number" or kind == "percent":
            if kind == "percent" and styles.format_code(style) == "General":
                style = styles.with_format(style, PERCENT_FORMAT)
            text = number_text(int(read)) if read.is_integer() else number_text(read)
            return Cell((style, read, "n", text))
        if kind == "bool":
            return Cell((style, read, "b", None))
        if kind == "error":
            return Cell((style, CellError(read), "e", read))
        return self.date(style, read)  # a date or a time

    def date(self, style: int, value: dt.date | dt.time | dt.timedelta) -> Cell:
        if getattr(value, "tzinfo", None) is not None:
            raise TypeError(f"Excel holds no time zone: {value!r}")
        if isinstance(value, dt.datetime):
            read, code = value, self.date_format + (
                " hh:mm" if value.time() != dt.time() else "")
        elif isinstance(value, dt.date):
            read, code = dt.datetime(value.year, value.month, value.day), self.date_format
        elif isinstance(value, dt.time):
            read, code = dt.datetime.combine(EPOCH.date(), value), TIME_FORMAT
        else:
            read, code = EPOCH + value, DURATION_FORMAT
        key = (style, code)
        shown = self._date_styles.get(key)
        if shown is None:
            shown = style
            if not is_date_format(self.styles.format_code(style)):
                shown = self.styles.with_format(style, code)
            self._date_styles[key] = shown
        text = self._serials.get(value)
        if text is None:
            text = self._serials[value] = number_text(serial(value))
        return Cell((shown, read, "n", text))


def _base(value: Any) -> Any:
    """A subclass of str, float or int as the plain type."""
    for base in (bool, int, float, str):
        if isinstance(value, base):
            return base(value)
    return value
