"""What Excel makes of a text written to a cell formatted General: what it makes of
the same characters typed.

Excel (over COM and AppleScript alike) does not store a string written to a
General cell as text: it reads it as if the user had typed it. So does this
engine, so that code tested here meets what it meets in Excel:

- "=..." is a formula; so is "+..." or "-..." that is not a number ("-2+3" is
  =-2+3) and "@..." (Lotus's way, "@SUM(A1)" is =SUM(A1));
- a number is a number: leading zeros dropped ("00042" is 42), an exponent read
  ("1E5" is 100000), "," or "." as the decimal separator (the French locale's and
  the English one's), a trailing "%" divided by 100, surrounding spaces ignored,
  more than 15 significant digits rounded to 15 as Excel does;
- a date is a date: ISO "2022-07-15", a month "2022-07" (its first day), and the
  French "15/07/2022" or "15/07/22"; a time "12:30" or "12:30:15" is a time;
- TRUE/FALSE and VRAI/FAUX (any case) are booleans; "#N/A" and the other error
  texts are errors;
- anything else is text.

A leading apostrophe ("'00042") is Excel's own way of keeping text as text: the
apostrophe is not stored, the cell gets the `quotePrefix` attribute of its format,
and it reads "00042". A cell formatted as text ("@") keeps whatever is written.

Not emulated: a locale's month names ("juil-22", "Jan 5"), thousands separators,
currency symbols, fractions ("1/2"). Text that may look like any of them is kept
text by writing it with the apostrophe, which the add-in does for all data.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .values import ERROR_CODES

NUMBER = re.compile(r"\s*([+-]?)(\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE]([+-]?\d{1,3}))?\s*(%?)\s*")
_ISO_DATE = re.compile(r"(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2}))?")
_FRENCH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
BOOLEANS = {"TRUE": True, "FALSE": False, "VRAI": True, "FAUX": False}
_LONGEST_BOOLEAN = max(len(word) for word in BOOLEANS)
# the text that Excel may read as something else starts with one of these (or is a boolean)
SLOW_START = frozenset("=#+-@'.,0123456789 \t\n")


def may_change(text: str) -> bool:
    """Whether Excel could read `text` as anything but that text (quick, no parse)."""
    return text[0] in SLOW_START or (len(text) <= _LONGEST_BOOLEAN and text.upper() in BOOLEANS)


def typed(text: str) -> tuple[str, Any]:
    """(kind, value) of a non-empty text typed into a General cell.

    kind: "formula" (value: the formula without "="), "number" (float), "percent"
    (float, already divided), "date" (date), "time" (time), "bool", "error" (the
    text), "text" (the text).
    """
    first = text[0]
    if first == "=" and len(text) > 1:
        return "formula", text[1:]
    found = _number(text)
    if found is not None:
        return found
    if first in "+-" and len(text) > 1:
        return "formula", text
    if first == "@" and len(text) > 1:
        return "formula", text[1:]
    if first == "#" and text in ERROR_CODES:
        return "error", text
    if len(text) <= _LONGEST_BOOLEAN and text.upper() in BOOLEANS:
        return "bool", BOOLEANS[text.upper()]
    moment = _moment(text.strip())
    if moment is not None:
        return moment
    return "text", text


def _number(text: str) -> tuple[str, float] | None:
    found = NUMBER.fullmatch(text)
    if found is None:
        return None
    sign, digits, exponent, percent = found.groups()
    number = float(f"{sign}{digits.replace(',', '.')}e{exponent or 0}")
    if number - number != 0.0:  # 1E999: Excel keeps such text
        return None
    number = float(f"{number:.15g}")  # Excel keeps 15 significant digits
    return ("percent", number / 100) if percent else ("number", number)


def _moment(text: str) -> tuple[str, Any] | None:
    try:
        found = _ISO_DATE.fullmatch(text)
        if found:
            year, month, day = found.groups()
            return "date", dt.date(int(year), int(month), int(day or 1))
        found = _FRENCH_DATE.fullmatch(text)
        if found:
            day, month, year = (int(part) for part in found.groups())
            if len(found.group(3)) == 2:  # Excel's window: 00-29 is 20xx, 30-99 19xx
                year += 2000 if year < 30 else 1900
            return "date", dt.date(year, month, day)
        found = _TIME.fullmatch(text)
        if found:
            hour, minute, second = (int(part or 0) for part in found.groups())
            return "time", dt.time(hour, minute, second)
    except ValueError:  # 2022-13-01, 25:00: Excel keeps such text
        return None
    return None
