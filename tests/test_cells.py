"""Cell parsers: what French exports contain is read exactly; the rest is refused."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from relances_xl import cells


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1 234,56", Decimal("1234.56")),
        ("1.234,56 €", Decimal("1234.56")),
        ("1234.56", Decimal("1234.56")),
        ("-12,00", Decimal("-12.00")),
        ("(12,00)", Decimal("-12.00")),
        ("11\u202f063,80\u00a0€", Decimal("11063.80")),
        (11063.8, Decimal("11063.80")),
        (0.1 + 0.2, Decimal("0.30")),
        (40, Decimal("40.00")),
    ],
)
def test_money_as_french_exports_write_it(raw, expected):
    assert cells.parse_money(raw) == (expected, None)


@pytest.mark.parametrize("raw", ["abc", "12,34,56", "", "€", "-", None, True, "1,2.3", 12.345])
def test_money_refused_with_what_was_expected(raw):
    value, error = cells.parse_money(raw)
    assert value is None
    assert "montant" in error


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (datetime(2022, 7, 27, 0, 0), date(2022, 7, 27)),
        (date(2022, 7, 27), date(2022, 7, 27)),
        (44769, date(2022, 7, 27)),
        (44769.0, date(2022, 7, 27)),
        ("27/07/2022", date(2022, 7, 27)),
        ("2022-07-27", date(2022, 7, 27)),
    ],
)
def test_dates_from_cells_serials_and_text(raw, expected):
    assert cells.parse_date(raw) == (expected, None)


@pytest.mark.parametrize("raw", ["31/02/2022", "hier", 44769.5, -3, None])
def test_bad_dates_are_refused(raw):
    assert cells.parse_date(raw) == (None, "date attendue (ex. 27/07/2022)")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Oui", True), ("non", False), ("O", True), ("N", False), ("Vrai", True),
     ("FAUX", False), (1, True), (0.0, False), (True, True), (None, False), ("", False)],
)
def test_yes_no_cells(raw, expected):
    assert cells.parse_bool(raw) == (expected, None)


def test_yes_no_refuses_other_text():
    assert cells.parse_bool("peut-être") == (None, "Oui ou Non attendu")


def test_codes_typed_as_numbers_keep_their_digits():
    assert cells.parse_text(51100.0) == ("51100", None)
    assert cells.parse_text("  1FRNEG ") == ("1FRNEG", None)


def test_excel_error_values_are_refused():
    assert cells.parse_text("#N/A") == (None, "erreur Excel dans la cellule")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(0.1215, Decimal("0.1215")), (12.15, Decimal("0.1215")), ("12,15 %", Decimal("0.1215"))],
)
def test_rates_as_percent_cell_number_or_text(raw, expected):
    assert cells.parse_rate(raw) == (expected, None)


@pytest.mark.parametrize("raw", [float("nan"), float("inf"), float("-inf"), "douze %", "Oui"])
def test_rates_that_are_no_number_are_refused_with_what_was_expected(raw):
    assert cells.parse_rate(raw) == (None, "taux attendu (ex. 12,15 %)")
