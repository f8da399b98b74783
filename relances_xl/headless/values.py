"""Cell values as Excel gives and takes them, and number formats as Excel reads them.

A read gives what xlwings gives from Excel: numbers as float, dates as datetime,
empty as None, an error as None (or its text, "#N/A", with `err_to_str`). A write
stores a value the way Excel stores one: text as Excel reads it typed (`typed`), a
date as a serial number.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

EPOCH = dt.datetime(1899, 12, 30)  # day 0 of Excel's 1900 date system
_EPOCH_DATE = EPOCH.date()
ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
MAX_TEXT = 32_767  # characters in a cell

# ECMA-376 18.8.30: the number formats every workbook has without declaring them
BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)', 6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)",
    40: "#,##0.00_);[Red](#,##0.00)", 41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}
BUILTIN_IDS = {code: number for number, code in BUILTIN_FORMATS.items()}
TIME_FORMAT, DURATION_FORMAT = "h:mm:ss", "[hh]:mm:ss"  # what Excel gives such values

# quoted text and [locale]/[color] sections say nothing of dates; [h], [mm], [ss] do
_NOT_DATE_PARTS = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_LETTER = re.compile(r"(?<![_\\])[dmhysDMHYS]")


class CellError(str):
    """The text of an error cell ("#N/A"): read as None unless `err_to_str`."""

    __slots__ = ()


def is_date_format(code: str | None) -> bool:
    """Excel shows the number as a date or time: the first section has d, m, y, h or s
    outside quotes and brackets."""
    if not code:
        return False
    return _DATE_LETTER.search(_NOT_DATE_PARTS.sub("", code.split(";")[0])) is not None


def as_read(value: Any) -> Any:
    """A value from the file reader as Excel gives it: floats, datetimes, None."""
    kind = type(value)
    if kind is str:
        return value or None
    if kind is float or kind is bool or value is None:
        return value
    if kind is int:
        return float(value)
    if kind is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    if kind is dt.time:
        return dt.datetime.combine(_EPOCH_DATE, value)
    if kind is dt.timedelta:
        return EPOCH + value
    return value


def serial(value: dt.date | dt.time | dt.timedelta) -> float:
    """Excel's serial number: days since 30/12/1899, with its 29/02/1900 that never was."""
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 86_400
    if isinstance(value, dt.time):
        return _day_fraction(value)
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    days = (value - EPOCH).days
    if 0 < days <= 60:
        days -= 1
    return days + _day_fraction(value)


def _day_fraction(value: dt.time | dt.datetime) -> float:
    seconds = value.hour * 3600 + value.minute * 60 + value.second
    return (seconds + value.microsecond / 10**6) / 86_400


def number_text(number: float | int) -> str:
    """A number as the file stores it: exact (the shortest text that reads back the same)."""
    if isinstance(number, int) and abs(number) < 10**15:
        return str(number)
    return repr(float(number))
