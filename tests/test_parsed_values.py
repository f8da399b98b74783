"""The ledger read from python-calamine's values is the ledger read from Excel's.

Headless, the ledger's sheets reach the parsers as python-calamine parsed them ("" for an
empty cell, a date as a date, a time, a duration: `SheetState.parsed_block`), without
the pass over every cell that makes Excel's values (`headless.grid.read_grid`, issue
30). These throw random sheets of such values at the ledger reader, and the same
sheets made Excel's by that pass: the same customers, invoices, payments and history,
and the same problems, worded the same, in the same order.
"""

from __future__ import annotations

import copy
from datetime import date, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_cells_properties import SHEETS, french_money

from relances_xl import layout
from relances_xl.cells import excel_value
from relances_xl.headless.grid import read_grid
from relances_xl.headless.values import CellError, as_read
from relances_xl.ledger import read_ledger

# what python-calamine gives for a cell of an .xlsx (never None nor an int), and an
# error cell's text as the engine puts it in place
parsed_cell = st.one_of(
    st.booleans(), st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, -0.0, 1.0, 12.5, 45000.0, 1e13, 0.005]),
    st.text(max_size=12), st.sampled_from(["", " ", "Oui", "Non", "Avoir", "USD", "1 234,56",
                                          "27/07/2022", "F1", "C1", "S1", "#N/A"]),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),
    st.times(), st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)),
    st.sampled_from([CellError("#N/A"), CellError("#REF!")]),
)
plausible = {
    "date": st.one_of(st.dates(min_value=date(2020, 1, 1), max_value=date(2025, 1, 1)),
                      parsed_cell),
    "money": st.one_of(french_money().map(lambda c: c[1]),
                       st.integers(-10**6, 10**8).map(lambda k: k / 100), parsed_cell),
    "code": st.one_of(st.sampled_from(["C1", "C2", "F1", "F2", "S1", ""]), parsed_cell),
}
KINDS = {"date_piece": "date", "echeance": "date", "date": "date", "montant": "money",
         "tiers": "code", "numero": "code", "piece_lettree": "code", "societe": "code",
         "piece": "code"}


@st.composite
def parsed_sheet(draw: st.DrawFn, sheet: str) -> list[list[object]]:
    """Headers in a random order (an extra or a blank one), rows as wide as the header
    row (python-calamine's grid is a rectangle), some of them empty."""
    headers: list[object] = list(draw(st.permutations(list(SHEETS[sheet]))))
    if draw(st.booleans()):
        headers.insert(draw(st.integers(0, len(headers))), draw(st.sampled_from(["", "Notes"])))
    fields = [SHEETS[sheet].get(h, "") for h in headers]
    rows = []
    for _ in range(draw(st.integers(0, 5))):
        if draw(st.integers(0, 5)) == 0:
            rows.append([""] * len(headers))
            continue
        rows.append([draw(plausible[KINDS[f]] if f in KINDS else parsed_cell)
                     for f in fields])
    return [headers, *rows]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.fixed_dictionaries({sheet: parsed_sheet(sheet) for sheet in SHEETS}))
def test_the_ledger_from_parsed_values_is_the_ledger_from_excels(parsed):
    excels = {sheet: read_grid(copy.deepcopy(block)) for sheet, block in parsed.items()}
    ledger, problems = read_ledger(parsed)
    expected_ledger, expected_problems = read_ledger(excels)
    assert ledger == expected_ledger
    assert problems == expected_problems
    assert [str(p) for p in problems] == [str(p) for p in expected_problems]


def test_a_time_and_a_duration_in_a_date_column_read_as_excel_reads_them():
    """Excel gives a time cell as a datetime of 30/12/1899 and a duration as one counted
    from it: so does the parsed read, not "date attendue"."""
    header = list(layout.FACTURES_COLUMNS)
    row = {"Société": "S1", "N° pièce": "F1", "Code tiers": "C1", "Date pièce": time(12),
           "Date échéance": timedelta(days=2), "Montant TTC": 10.0}
    block = [header, [row.get(h, "") for h in header]]
    clients = [list(layout.CLIENTS_COLUMNS),
               ["C1", "Un", *[""] * (len(layout.CLIENTS_COLUMNS) - 2)]]
    parsed = {layout.CLIENTS: clients, layout.FACTURES: block,
              layout.REGLEMENTS: [list(layout.REGLEMENTS_COLUMNS)],
              layout.HISTORIQUE: [list(layout.HISTORIQUE_COLUMNS)]}
    ledger, problems = read_ledger(parsed)
    (invoice,) = ledger.invoices
    assert (invoice.date_piece, invoice.echeance) == (date(1899, 12, 30), date(1900, 1, 1))
    assert not [p for p in problems if p.sheet == layout.FACTURES]


def test_a_row_refused_by_its_own_check_shows_its_cell_as_excel_gives_it():
    """"Due before it was issued": the due date shown is Excel's datetime, as when the
    sheet is read through the range, not python-calamine's date."""
    header = list(layout.FACTURES_COLUMNS)
    row = {"Société": "S1", "N° pièce": "F1", "Code tiers": "C1",
           "Date pièce": date(2024, 5, 2), "Date échéance": date(2024, 5, 1),
           "Montant TTC": 10.0}
    parsed = {layout.FACTURES: [header, [row.get(h, "") for h in header]]}
    excels = {layout.FACTURES: read_grid(copy.deepcopy(parsed[layout.FACTURES]))}
    (problem,) = [p for p in read_ledger(parsed)[1] if p.sheet == layout.FACTURES]
    assert problem.value == datetime(2024, 5, 1)
    assert problem == next(p for p in read_ledger(excels)[1] if p.sheet == layout.FACTURES)


@settings(max_examples=200, deadline=None)
@given(parsed_cell)
def test_a_cell_is_made_excels_as_the_headless_engine_makes_it(value):
    """The ledger's own `excel_value` and the engine's `as_read` (which the layers keep
    apart) give the same value, of the same type, for whatever python-calamine gives."""
    made = excel_value(value)
    assert (type(made), made) == (type(as_read(value)), as_read(value))
