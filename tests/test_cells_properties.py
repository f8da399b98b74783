"""Random cell values and shapes thrown at the parsers and the ledger reader.

Whatever a cell holds, nothing crashes; a value written the French ways is read back
exactly; a value refused is reported by a Problem naming its sheet, row, column and
the value itself.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relances_xl import cells, layout
from relances_xl.cells import excel_value
from relances_xl.ledger import MAX_DATA_ROWS, read_ledger, read_records

PROFILE = settings(max_examples=150, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow])

money = st.decimals(min_value=Decimal("-999999999.99"), max_value=Decimal("999999999.99"),
                    places=2, allow_nan=False, allow_infinity=False)
GROUP_SEPARATORS = [" ", "\u00a0", "\u202f", ".", "'", ""]


def _grouped(digits: str, separator: str) -> str:
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return separator.join(groups)


@st.composite
def french_money(draw: st.DrawFn) -> tuple[Decimal, str]:
    """(amount, the amount as a French export or a user would type it)."""
    amount = draw(money)
    units, cents = f"{abs(amount):.2f}".split(".")
    separator = draw(st.sampled_from(GROUP_SEPARATORS))
    decimal_mark = "." if separator in ("", " ", "\u00a0", "\u202f", "'") and draw(
        st.booleans()) else ","
    text = f"{_grouped(units, separator)}{decimal_mark}{cents}"
    if separator == "." and decimal_mark == ".":
        text = f"{_grouped(units, separator)},{cents}"
    euro = draw(st.sampled_from(["", " €", "\u00a0€", "€", " EUR"]))
    if amount < 0:
        text = draw(st.sampled_from([f"-{text}{euro}", f"({text}){euro}", f"-{text}"]))
    else:
        text = draw(st.sampled_from([f"{text}{euro}", f"+{text}", f"  {text}{euro} "]))
    return amount, text


@PROFILE
@given(french_money())
def test_money_written_the_french_ways_reads_back_exactly(case):
    amount, text = case
    assert cells.parse_money(text) == (amount, None)


@PROFILE
@given(money)
def test_money_as_excel_float_reads_back_exactly(amount):
    assert cells.parse_money(float(amount)) == (amount, None)


any_cell = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**15, max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.dates(), st.datetimes(), st.decimals(allow_nan=True),
    st.sampled_from(["#N/A", "#VALUE!", "#REF!", "#DIV/0!", "1 234,56", "(12,00)", "Oui",
                     "27/07/2022", "", "  ", "=1+1", "1.234.567", "12,34,56"]),
)


@PROFILE
@given(any_cell)
def test_parsers_never_crash_and_answer_value_or_reason(value):
    for parse in (cells.parse_money, cells.parse_date, cells.parse_bool, cells.parse_int,
                  cells.parse_rate, cells.parse_text):
        parsed, error = parse(value)
        assert (error is None) or (parsed is None and isinstance(error, str) and error)
    amount, error = cells.parse_money(value)
    if error is None:
        assert isinstance(amount, Decimal) and amount.as_tuple().exponent == -2


@PROFILE
@given(st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
       st.sampled_from(["%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "serial", "datetime", "date",
                        "padded"]))
def test_dates_read_back_exactly(day, form):
    if form == "serial":
        value: object = float((day - date(1899, 12, 30)).days)
    elif form == "datetime":
        value = datetime(day.year, day.month, day.day, 13, 5)
    elif form == "date":
        value = day
    elif form == "padded":
        value = f"  {day:%d/%m/%Y} "
    else:
        value = f"{day.day:02d}{form[2]}{day.month:02d}{form[2]}{day.year:04d}" if (
            form.startswith("%d")) else f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
    assert cells.parse_date(value) == (day, None)


@PROFILE
@given(st.sampled_from(["Oui", "OUI", " oui ", "O", "Vrai", "TRUE", "x", "1", True, 1, 1.0]),
       st.sampled_from(["Non", "NON", " non", "N", "Faux", "false", "0", False, 0, 0.0]))
def test_yes_and_no_in_every_spelling(yes, no):
    assert cells.parse_bool(yes) == (True, None)
    assert cells.parse_bool(no) == (False, None)


@PROFILE
@given(st.integers(min_value=-10**9, max_value=10**9), st.sampled_from(["", " ", "  "]))
def test_whole_numbers_read_back(number, pad):
    assert cells.parse_int(f"{pad}{number}{pad}") == (number, None)
    assert cells.parse_int(float(number)) == (number, None)


# --- the ledger reader ----------------------------------------------------------------

SHEETS = {
    layout.CLIENTS: layout.CLIENTS_COLUMNS,
    layout.FACTURES: layout.FACTURES_COLUMNS,
    layout.REGLEMENTS: layout.REGLEMENTS_COLUMNS,
    layout.HISTORIQUE: layout.HISTORIQUE_COLUMNS,
}

plausible = {
    "date": st.one_of(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)),
                      any_cell),
    "money": st.one_of(french_money().map(lambda c: c[1]), money.map(float), any_cell),
    "code": st.one_of(st.sampled_from(["C1", "C2", "C3", "F1", "F2", "S1"]), any_cell),
}
KINDS = {"date_piece": "date", "echeance": "date", "date": "date", "montant": "money",
         "tiers": "code", "numero": "code", "piece_lettree": "code",
         "societe": "code", "piece": "code"}


@st.composite
def sheet_block(draw: st.DrawFn, sheet: str) -> list[list[object]]:
    """Headers in a random order (maybe one missing or doubled), ragged random rows."""
    headers = list(SHEETS[sheet])
    headers = draw(st.permutations(headers))
    if draw(st.integers(0, 9)) == 0:
        headers = headers[1:]
    if draw(st.integers(0, 9)) == 0:
        headers = [*headers, headers[0].upper()]
    fields = [SHEETS[sheet].get(h, SHEETS[sheet].get(h.title(), "")) for h in headers]
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        width = draw(st.integers(0, len(headers) + 1))
        row = [draw(plausible[KINDS[f]] if f in KINDS else any_cell) for f in fields[:width]]
        rows.append(row)
    return [headers, *rows]


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.fixed_dictionaries({sheet: st.one_of(st.none(), sheet_block(sheet))
                              for sheet in SHEETS}))
def test_ledger_reader_never_crashes_and_names_every_refused_row(blocks):
    ledger, problems = read_ledger(blocks)
    for problem in problems:
        assert problem.sheet in SHEETS and problem.message
        assert str(problem)  # shown in Contrôles and on stderr
    kept = {
        layout.CLIENTS: {c.row for c in ledger.customers},
        layout.FACTURES: {i.row for i in ledger.invoices},
        layout.REGLEMENTS: {p.row for p in ledger.payments},
        layout.HISTORIQUE: {h.row for h in ledger.history},
    }
    for sheet, block in blocks.items():
        if block is None:
            assert any(p.sheet == sheet and p.row is None for p in problems)
            continue
        named = {p.row for p in problems if p.sheet == sheet and p.blocking}
        header_problem = 1 in named or not any(not cells.is_blank(v) for v in block[0])
        for row_number, row in enumerate(block[1:], start=2):
            if all(cells.is_blank(v) for v in row):
                continue  # an empty row is no row: the rows below it are read
            if header_problem:
                break  # the whole sheet is refused at its header row
            assert row_number in kept[sheet] or row_number in named, (sheet, row_number, row)
        # an accepted invoice holds exactly what its cells say
        if sheet == layout.FACTURES and not header_problem:
            where = {str(h).strip(): i for i, h in enumerate(block[0])}
            for invoice in ledger.invoices:
                line = block[invoice.row - 1]
                cell = line[where["Montant TTC"]] if where["Montant TTC"] < len(line) else None
                assert invoice.montant == abs(cells.parse_money(cell)[0])
                cell = line[where["Date pièce"]] if where["Date pièce"] < len(line) else None
                assert invoice.date_piece == cells.parse_date(cell)[0]
        # a cell problem names the cell: its header is in row 1 and its value is the cell's
        header = [str(h).strip() for h in block[0]]
        for p in problems:
            if p.sheet != sheet or p.row in (None, 1) or p.column is None or not p.blocking:
                continue
            if p.column in header and p.row - 1 < len(block):
                line = block[p.row - 1]
                index = header.index(p.column)
                cell = line[index] if index < len(line) else None
                shown = excel_value(cell)  # as Excel gives it: a date as a datetime
                assert p.value is shown or p.value == shown or p.value in (None, "") or (
                    cells.parse_text(cell)[0] == p.value), (p, cell)


def test_a_block_beyond_excel_rows_is_refused_with_a_clear_message():
    row = ["S1", "F1", "Facture", "C1", date(2022, 1, 1), date(2022, 2, 1), 10.0]
    block = [list(layout.FACTURES_COLUMNS), *[row] * (MAX_DATA_ROWS + 1)]
    records, problems = read_records(layout.FACTURES, block, layout.FACTURES_COLUMNS,
                                     layout.FACTURES_REQUIRED)
    assert records == []
    assert len(problems) == 1 and problems[0].blocking
    assert "1 048 575" in problems[0].message


def test_a_block_at_excel_limit_is_read():
    base = date(2022, 1, 1)
    header = list(layout.FACTURES_COLUMNS)
    row = ["S1", "F1", "Facture", "C1", base, base + timedelta(days=30), 10.0]
    block = [header, *[row] * 3]
    records, problems = read_records(layout.FACTURES, block, layout.FACTURES_COLUMNS,
                                     layout.FACTURES_REQUIRED)
    assert len(records) == 3 and problems == []
