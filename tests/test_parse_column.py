"""A column parsed at once gives what its cells parsed one by one give, in order.

The ledger is read a column at a time (each distinct value decided once, whole
columns of text or amounts without a call per cell): these check it against the
cell-by-cell rules on random columns, the cells that Python holds equal but Excel
does not (1.0, 1 and True; "#N/A" and an error cell), and the order in which the
problems of a sheet are listed.
"""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_cells_properties import any_cell
from test_ledger import blocks

from relances_xl import cells, layout
from relances_xl.headless.values import CellError
from relances_xl.ledger import read_columns, read_ledger, read_records
from relances_xl.parse_memo import check_cell, parse_column

PARSERS = (cells.parse_text, cells.parse_money, cells.parse_date, cells.parse_bool,
           cells.parse_int)
# values Python holds equal across types, and an error cell beside its plain text
LOOKALIKES = st.sampled_from([1, 1.0, True, 0, 0.0, False, "#N/A", CellError("#N/A"),
                              " #N/A", date(2023, 1, 5), datetime(2023, 1, 5), 45000.0,
                              12.5, 12.345, "", None, "  ", "FA1", " FA1 "])


def one_by_one(raws, parse, required):
    """The rule the column must follow: every cell through check_cell."""
    values, errors = [], {}
    for position, raw in enumerate(raws):
        value, shown, message = check_cell(raw, parse, required)
        values.append(value)
        if message:
            errors[position] = (shown, message)
    return values, errors


def typed(values):
    """Values with their types: True is not 1 and 1.0 is not 1 in a ledger."""
    return [(type(v), v) for v in values]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(LOOKALIKES, any_cell), max_size=25), st.booleans())
def test_a_column_of_mixed_cells_parses_as_its_cells_one_by_one(raws, required):
    for parse in PARSERS:
        values, errors = parse_column(raws, parse, required)
        expected_values, expected_errors = one_by_one(raws, parse, required)
        assert typed(values) == typed(expected_values), parse.__name__
        assert errors == expected_errors, parse.__name__


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=8), st.sampled_from(["", " ", "#REF!", "x "])),
                min_size=1, max_size=25),
       st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=25),
       st.booleans())
def test_columns_all_text_or_all_numbers_take_the_same_rules(texts, numbers, required):
    """The whole-column paths (text stripped at once, amounts made at once) fall back
    on the cell rules as soon as one cell needs them."""
    for raws in (texts, numbers, [n for n in numbers if abs(n) < 1e13]):
        for parse in (cells.parse_text, cells.parse_money):
            assert parse_column(raws, parse, required) == one_by_one(raws, parse, required)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(-10**15 + 1, 10**15 - 1), min_size=1, max_size=25),
       st.sampled_from([[], [-0.0], [0.005], [12.345], [1e13], [0.1 + 0.2]]))
def test_a_column_of_cent_amounts_reads_as_its_cells_to_the_sign_and_the_zeros(cents, odd):
    """Amounts as Excel keeps them (k / 100, up to 9 999 999 999 999,99), taken in
    cents at once, read as parse_money reads each cell: the same Decimal to its last
    zero ("12,50", not "12,5") and its sign, "-0,00" kept; and a column holding one
    cell that is not cents (a third decimal, the limit, 0.1 + 0.2) reads by the cell
    rules."""
    raws = [k / 100 for k in cents] + odd
    values, errors = parse_column(raws, cells.parse_money)
    expected_values, expected_errors = one_by_one(raws, cells.parse_money, False)
    assert [str(v) for v in values] == [str(v) for v in expected_values]
    assert errors == expected_errors


def test_a_zero_keeps_its_sign_beside_the_other_zeros_of_its_column():
    """-0.0 equals 0.0, 0 and False as a Python key: the column's zeros are not merged
    into the first one met, by the whole-column amounts nor by the distinct values."""
    for raws in ([0.0, -0.0, 12.5], [-0.0, 0.0], [0.0, -0.0, "1,50"], [0.0, -0.0, False]):
        for parse in PARSERS:
            values, errors = parse_column(raws, parse)
            expected_values, expected_errors = one_by_one(raws, parse, False)
            assert [str(v) for v in values] == [str(v) for v in expected_values], (raws, parse)
            assert errors == expected_errors
    values, _ = parse_column([0.0, -0.0, 12.5], cells.parse_money)
    assert [str(v) for v in values] == ["0.00", "-0.00", "12.50"]


def test_amounts_at_the_cent_the_euro_and_the_limit_keep_their_two_decimals():
    values, errors = parse_column([0.01, 1.0, -1.0, 0.99, 9999999999999.99, 12.5],
                                  cells.parse_money)
    assert [str(v) for v in values] == ["0.01", "1.00", "-1.00", "0.99",
                                        "9999999999999.99", "12.50"] and errors == {}
    values, errors = parse_column([12.5, -0.0], cells.parse_money)
    assert [str(v) for v in values] == ["12.50", "-0.00"] and errors == {}


def test_one_and_true_in_one_column_stay_apart():
    values, errors = parse_column([1.0, True, 1, False, 0.0], cells.parse_text)
    assert values == ["1", "VRAI", "1", "FAUX", "0"] and errors == {}
    values, _ = parse_column([True, 1.0, 2.0], cells.parse_int)
    assert typed(values) == [(type(None), None), (int, 1), (int, 2)]


def test_problems_are_listed_row_by_row_then_in_the_order_of_the_fields():
    """Whatever the columns' order in the sheet: a row's cells in the reader's order
    (date before amount), then the row's own checks, then the next row."""
    def spoil(block):
        for row in block:  # the amount column moved to the front
            row.insert(0, row.pop(6))
        block[1][0] = "onze"       # row 2: a bad amount
        block[1][5] = "hier"       # row 2: a bad invoice date (after it in the sheet)
        block[2][0] = -5           # row 3: a negative invoice
        block[3][6] = "#N/A"       # row 4: an error as due date

    _, problems = read_ledger(blocks(factures=spoil))
    assert [(p.row, p.column, p.value) for p in problems if p.sheet == layout.FACTURES] == [
        (2, "Date pièce", "hier"), (2, "Montant TTC", "onze"), (3, "Montant TTC", -5),
        (4, "Date échéance", "#N/A")]


HEADERS = [*layout.FACTURES_COLUMNS, "Notes", "", None]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(HEADERS), st.lists(st.lists(any_cell, max_size=len(HEADERS) + 2),
                                           max_size=8))
def test_a_sheet_read_by_column_holds_the_cells_read_by_row(header, rows):
    """Rows shorter or longer than the header, an extra or blank header column, empty
    rows: the columns hold each kept row's cells, missing ones empty, as the row read."""
    block = [header, *rows]
    records, by_row = read_records(layout.FACTURES, block, layout.FACTURES_COLUMNS,
                                   layout.FACTURES_REQUIRED)
    columns, by_column = read_columns(layout.FACTURES, block, layout.FACTURES_COLUMNS,
                                      layout.FACTURES_REQUIRED)
    assert by_column == by_row
    assert columns.rows == [record.row for record in records]
    for field in layout.FACTURES_COLUMNS.values():
        column = columns.column(field)
        assert len(column) == len(records)
        for position, record in enumerate(records):
            assert typed([column[position]]) == typed([record.values[field]])
