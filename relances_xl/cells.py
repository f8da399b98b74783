"""Cell values as French exports write them -> typed values, or a message saying why not.

Every parser returns `(value, None)` or `(None, what was expected)`; the ledger
reader turns the message into a `Problem` naming sheet, row and column. Excel gives
numbers as float: money goes float -> shortest repr -> Decimal, so 11063.8 is
exactly 11063.80 and never 11063.7999...
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from .model import CENT, DEFAULT_CURRENCY
from .texts import currency_symbol, known_currency

Parsed = tuple[object, str | None]

_EXCEL_EPOCH = date(1899, 12, 30)
_TRUE = {"oui", "o", "vrai", "true", "yes", "y", "1", "x"}
_FALSE = {"non", "n", "faux", "false", "no", "0", ""}
# Excel's error values: `CVErr(n)` number -> the text a cell shows
_ERROR_NUMBERS = {2000: "#NULL!", 2007: "#DIV/0!", 2015: "#VALUE!", 2023: "#REF!",
                  2029: "#NAME?", 2036: "#NUM!", 2042: "#N/A", 2043: "#GETTING_DATA",
                  2045: "#SPILL!", 2046: "#CONNECT!", 2047: "#BLOCKED!", 2048: "#UNKNOWN!",
                  2049: "#FIELD!", 2050: "#CALC!"}
_EXCEL_ERRORS = set(_ERROR_NUMBERS.values())
EXCEL_ERROR_TEXTS = frozenset(_EXCEL_ERRORS)
# Through COM (Excel on Windows) an error cell is the int 0x800A0000 + n read as signed:
# xlwings names the first seven with err_to_str and leaves the newer ones (#SPILL!…)
# as such ints, which must never pass for an amount.
_COM_ERROR_BASE = -2146828288
_SPACES = re.compile(r"[\s\u00a0\u202f']")
_FRENCH_NUMBER = re.compile(r"(\d{1,3}(\.\d{3})+|\d+),\d+")
_DOTTED_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3}){2,}")
_PLAIN_NUMBER = re.compile(r"\d+(\.\d+)?")
MONEY_LIMIT = Decimal("1E13")  # 15 significant digits with the cents: Excel's precision
_MONEY_EXPECTED = "montant attendu (ex. 1 234,56)"
_RATE_EXPECTED = "taux attendu (ex. 12,15 %)"
_DATE_EXPECTED = "date attendue (ex. 27/07/2022)"
EXCEL_ERROR = "erreur Excel dans la cellule"


def excel_value(value: object) -> object:
    """A cell as Excel gives it, whichever read it. Headless, the ledger's sheets come
    as python-calamine parsed them (`SheetState.parsed_block`): "" for an empty cell, a
    date as a date, a time, a duration; each is made here what Excel's would be (the
    headless engine's `as_read`, which tests/test_parsed_values.py holds this to), so
    that a parser decides, and a problem shows, the same. An int is left as it is: no
    parse gives one, and through COM one is an error cell (`excel_error`)."""
    kind = type(value)
    if kind is str:
        return value or None
    if kind is date:
        return datetime(value.year, value.month, value.day)
    if kind is time:
        return datetime.combine(_EXCEL_EPOCH, value)
    if kind is timedelta:
        return datetime.combine(_EXCEL_EPOCH, time()) + value
    return value


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def excel_error(value: object) -> str | None:
    """The error value a cell holds ("#N/A", "#REF!"…) as read with err_to_str, else None."""
    if isinstance(value, str):
        text = value.strip()
        return text if text in _EXCEL_ERRORS else None
    if type(value) is int and 2000 <= value - _COM_ERROR_BASE <= 2100:
        number = value - _COM_ERROR_BASE
        return _ERROR_NUMBERS.get(number, f"#ERREUR {number}")
    return None


def parse_text(value: object) -> Parsed:
    """Codes typed as numbers (a postcode, 51100.0) come back as "51100"."""
    if type(value) is str:  # most cells, decided first
        text = value.strip()
        return (None, EXCEL_ERROR) if text in _EXCEL_ERRORS else (text, None)
    if value is None:
        return "", None
    if isinstance(value, bool):
        return ("VRAI" if value else "FAUX"), None
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), None
    if isinstance(value, str) and value.strip() in _EXCEL_ERRORS:
        return None, EXCEL_ERROR
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y"), None
    return str(value).strip(), None


def parse_money(value: object) -> Parsed:
    """1 234,56 / 1.234,56 € / 1234.56 / -12,00 / (12,00) -> Decimal with two decimals."""
    if isinstance(value, bool) or is_blank(value):
        return None, _MONEY_EXPECTED
    if isinstance(value, int | float):
        amount = Decimal(repr(float(value)))
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        amount = _money_from_text(value)
        if amount is None:
            return None, _MONEY_EXPECTED
    else:
        return None, _MONEY_EXPECTED
    if not amount.is_finite():
        return None, _MONEY_EXPECTED
    if abs(amount) >= MONEY_LIMIT:
        return None, "montant trop grand (Excel garde 15 chiffres : 9 999 999 999 999,99 au plus)"
    cents = amount.quantize(CENT)
    if abs(amount - cents) > Decimal("0.000001"):
        return None, "montant avec plus de deux décimales"
    return cents, None


def _money_from_text(text: str) -> Decimal | None:
    cleaned = _SPACES.sub("", text).replace(currency_symbol(), "").replace(DEFAULT_CURRENCY, "")
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1]
    sign = ""
    if cleaned and cleaned[0] in "+-":
        sign, cleaned = cleaned[0], cleaned[1:]
    if _FRENCH_NUMBER.fullmatch(cleaned):  # dots group thousands, the comma is decimal
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif _DOTTED_THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(".", "")
    elif not _PLAIN_NUMBER.fullmatch(cleaned):
        return None
    cleaned = sign + cleaned
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None
    return -amount if negative else amount


def parse_date(value: object) -> Parsed:
    """A date cell, an Excel serial, 27/07/2022 or 2022-07-27."""
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466 and float(value).is_integer():
            return _EXCEL_EPOCH + timedelta(days=int(value)), None
        return None, _DATE_EXPECTED
    if isinstance(value, str):
        text = value.strip()
        for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S"):
            try:
                return datetime.strptime(text, pattern).date(), None
            except ValueError:
                continue
    return None, _DATE_EXPECTED


def parse_bool(value: object, default: bool = False) -> Parsed:
    """Oui/Non, O/N, Vrai/Faux, 1/0, a checkbox cell; empty is the column's default."""
    if value is None:
        return default, None
    if isinstance(value, bool):
        return value, None
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value), None
    if isinstance(value, str):
        folded = value.strip().casefold()
        if not folded:
            return default, None
        if folded in _TRUE:
            return True, None
        if folded in _FALSE:
            return False, None
    return None, "Oui ou Non attendu"


def parse_int(value: object, default: int | None = None) -> Parsed:
    """A whole number of days or a level; empty is the column's default."""
    if is_blank(value):
        return default, None
    if isinstance(value, bool):
        return None, "nombre entier attendu"
    if isinstance(value, int):
        return value, None
    if isinstance(value, float) and value.is_integer():
        return int(value), None
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
        return int(value), None
    return None, "nombre entier attendu"


def parse_rate(value: object) -> Parsed:
    """12,15 % typed as 0.1215 (a % cell), as 12.15 or as "12,15 %" -> Decimal("0.1215")."""
    if isinstance(value, str) and "%" in value:
        amount, error = parse_money(value.replace("%", ""))
        return (None, _RATE_EXPECTED) if error else (amount / 100, None)
    if isinstance(value, int | float) and not isinstance(value, bool):
        rate = Decimal(repr(float(value)))
        if not rate.is_finite():  # a NaN or infinite float from a macro or a link
            return None, _RATE_EXPECTED
        return (rate / 100 if rate >= 1 else rate), None
    return None, _RATE_EXPECTED


_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}")
_BIC = re.compile(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?")


def parse_iban(value: object) -> Parsed:
    """An IBAN as typed or pasted -> its print form in groups of four ("FR76 3000 …").

    The check digits are verified (ISO 13616, modulo 97): the letters print it and
    their QR code prefills a transfer with it, so a typo must stop before a letter goes.
    """
    text, error = parse_text(value)
    if error or not text:
        return ("", None) if not error else (None, error)
    compact = _SPACES.sub("", text).replace("-", "").upper()
    if not _IBAN.fullmatch(compact):
        return None, ("IBAN attendu : 2 lettres de pays, 2 chiffres de clé, puis 11 à 30 "
                      "lettres ou chiffres (ex. FR76 3000 6000 0112 3456 7890 189)")
    digits = "".join(str(int(ch, 36)) for ch in compact[4:] + compact[:4])
    if int(digits) % 97 != 1:
        return None, "IBAN invalide : la clé de contrôle ne correspond pas (faute de frappe ?)"
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4)), None


def parse_bic(value: object) -> Parsed:
    """A BIC (SWIFT code) of 8 or 11 letters and digits, spaces removed."""
    text, error = parse_text(value)
    if error or not text:
        return ("", None) if not error else (None, error)
    compact = _SPACES.sub("", text).upper()
    if not _BIC.fullmatch(compact):
        return None, "BIC attendu : 8 ou 11 lettres et chiffres (ex. AGRIFRPP)"
    return compact, None


def parse_currency(value: object) -> Parsed:
    """A currency's ISO 4217 code ("USD", typed "usd" or " Usd ") -> "USD"; an empty
    cell is the euro (`DEFAULT_CURRENCY`), so a sheet without the column is in euros.
    A code Babel does not know (ISO 4217's list) is refused, never guessed."""
    text, error = parse_text(value)
    if error:
        return None, error
    code = text.upper()
    if not code:
        return DEFAULT_CURRENCY, None
    if len(code) != 3 or not known_currency(code):
        return None, "code devise ISO 4217 attendu (ex. EUR, USD, GBP, CHF)"
    return code, None
