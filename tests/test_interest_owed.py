"""Interest runs on what is still owed each day (issue 23 §1).

The rates are those the workbook ships (docs/taux.md): L441-10 14,50 % for the first
half of 2024, 14,25 % for the second. Every expected figure is worked out by hand in
the test's docstring, independently of the code.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from relances_xl.config import Level, Settings
from relances_xl.model import Customer, Filters, Invoice, Ledger, Payment, ReminderRow
from relances_xl.rules import imputation
from relances_xl.rules.engine import compute_reminders
from relances_xl.rules.imputation import CreditItem, Debt, impute
from relances_xl.rules.rates_table import SHIPPED_RATES

D = Decimal
INTEREST_AT_ONCE = (Level(1, 0, 0, "LET03", interets=True, indemnite=True),)
SETTINGS = Settings(levels=INTEREST_AT_ONCE, taux_periodes=SHIPPED_RATES)
A = Invoice("S1", "A", "C1", date(2024, 5, 1), date(2024, 5, 31), D("6000.00"))
B = Invoice("S1", "B", "C1", date(2024, 5, 31), date(2024, 6, 30), D("4000.00"))


def row_on(on: date, *payments: Payment, invoices: tuple[Invoice, ...] = (A, B),
           lettres: date | None = None) -> ReminderRow:
    ledger = Ledger((Customer("C1", "Client C1"),), invoices, payments, ())
    rows, problems = compute_reminders(ledger, SETTINGS, Filters(date=on, lettres=lettres))
    assert problems == []
    (row,) = rows
    return row


def unlettered(on: date, amount: str, numero: str = "R1") -> Payment:
    return Payment("S1", numero, "C1", on, D(amount))


def test_the_issues_example_an_unlettered_payment_stops_interest_oldest_debt_first():
    """A 6 000 € due 31/05/2024, B 4 000 € due 30/06/2024, 7 000 € lettered to nothing on
    15/07/2024, letter of 30/09/2024: imputed on A (6 000) then B (1 000).
    A: 6000 x (0.145 x 30 + 0.1425 x 15) / 365 = 38 925 / 365 = 106.643... -> 106.64
    B: (4000 x 15 + 3000 x 77) x 0.1425 / 365 = 41 467.5 / 365 = 113.609... -> 113.61"""
    row = row_on(date(2024, 9, 30), unlettered(date(2024, 7, 15), "7000.00"))
    line_a, line_b = row.lines
    assert line_a.interets == D("106.64")
    assert line_b.interets == D("113.61")
    assert [(p.du, p.au, p.principal, p.jours, p.taux) for p in line_a.periodes] == [
        (date(2024, 6, 1), date(2024, 6, 30), D("6000.00"), 30, D("0.145")),
        (date(2024, 7, 1), date(2024, 7, 15), D("6000.00"), 15, D("0.1425"))]
    assert [(p.du, p.au, p.principal, p.jours, p.taux) for p in line_b.periodes] == [
        (date(2024, 7, 1), date(2024, 7, 15), D("4000.00"), 15, D("0.1425")),
        (date(2024, 7, 16), date(2024, 9, 30), D("3000.00"), 77, D("0.1425"))]
    # the two 40 € indemnities stay: both invoices were paid late and are listed
    assert row.agios_reclames == D("106.64") + D("113.61") + D("80.00")


def test_a_lettered_part_payment_stops_interest_on_that_part_from_the_day_after():
    """B alone, 1 000 € lettered to it on 31/07/2024, letter of 31/08/2024:
    4000 x 31 (01/07-31/07) + 3000 x 31 (01/08-31/08) = 217 000 x 0.1425 / 365
    = 84.719... -> 84.72 (on 4 000 € for 62 days it would be 96.82)."""
    paid = Payment("S1", "R1", "C1", date(2024, 7, 31), D("1000.00"), piece_lettree="B")
    row = row_on(date(2024, 8, 31), paid, invoices=(B,))
    (line,) = row.lines
    assert line.reste_du == D("3000.00")
    assert line.interets == D("84.72")


def test_a_payment_on_the_due_date_leaves_no_interest_on_what_it_paid():
    """2 000 € lettered to A on its due date 31/05/2024: only 4 000 € bears interest,
    30 days at 14.50 %: 4000 x 0.145 x 30 / 365 = 47.671... -> 47.67."""
    paid = Payment("S1", "R1", "C1", date(2024, 5, 31), D("2000.00"), piece_lettree="A")
    row = row_on(date(2024, 6, 30), paid, invoices=(A,))
    assert row.lines[0].interets == D("47.67")


def test_an_unlettered_payment_goes_to_debts_due_before_one_not_yet_due():
    """On 20/06/2024 A is due and B is not: 6 500 € settles A, then 500 € of B."""
    found = impute([Debt("B", date(2024, 5, 31), date(2024, 6, 30), D("4000")),
                    Debt("A", date(2024, 5, 1), date(2024, 5, 31), D("6000"))],
                   [CreditItem(date(2024, 6, 20), "R1", D("6500"))])
    assert found == {"A": [(date(2024, 6, 20), D("6000"))],
                     "B": [(date(2024, 6, 20), D("500"))]}


def test_a_credit_beyond_every_debt_settles_them_all_and_stops_all_interest_after():
    """12 000 € unlettered on 15/07/2024: both fully settled that day; the 2 000 € left
    is not interest. A: as in the issue's example, 106.64; B: 4000 x 15 x 0.1425 / 365
    = 23.424... -> 23.42."""
    row = row_on(date(2024, 9, 30), unlettered(date(2024, 7, 15), "12000.00"))
    assert [line.interets for line in row.lines] == [D("106.64"), D("23.42")]


def test_interest_counts_to_the_date_of_the_letters_not_the_tables():
    """Table of Friday 27/09/2024, letters dated Monday 30/09/2024: the issue's example
    again, to the letters' date."""
    row = row_on(date(2024, 9, 27), unlettered(date(2024, 7, 15), "7000.00"),
                 lettres=date(2024, 9, 30))
    assert [line.interets for line in row.lines] == [D("106.64"), D("113.61")]


def test_a_half_year_missing_inside_the_table_is_named_not_bridged():
    """Rows for 2024 S1 and 2025 S1 only: 01/07/2024 has no rate (a row covers its own
    half-year, never the next); the first day of the gap is named."""
    from relances_xl.config import TAUX_PROFESSIONNELS, RatePeriod
    from relances_xl.rules.interest import MissingRate, interest_periods, rate_schedule

    table = Settings(levels=INTEREST_AT_ONCE, taux_periodes=(
        RatePeriod(date(2024, 1, 1), D("0.145"), D("0.05"), D("0.125")),
        RatePeriod(date(2025, 1, 1), D("0.1315"), D("0.0371"), D("0.1115"))))
    schedule = rate_schedule(table, TAUX_PROFESSIONNELS)
    assert interest_periods(date(2024, 6, 1), date(2024, 6, 30), schedule, False, D("10"))
    try:
        interest_periods(date(2024, 6, 1), date(2024, 7, 1), schedule, False, D("10"))
    except MissingRate as missing:
        assert (missing.day, missing.half_year) == (date(2024, 7, 1), "2e semestre 2024")
    else:
        raise AssertionError("a day without a rate was counted")


def test_the_samples_notice_to_1frneg_claims_83_07_computed_apart():
    """The issue's case, computed here from the sample's own figures with the formula
    alone: 10 847,80 € unlettered on 25/07/2022 settle FA22-0101 (6 000,00 €, due
    19/06) then 4 847,80 € of FA22-0115 (5 063,80 €, due 10/07), at 10,00 % (2022)."""
    from decimal import ROUND_HALF_UP

    from relances_xl.letters.make_templates import sample_inputs

    def cents(value: Decimal) -> Decimal:
        return value.quantize(D("0.01"), ROUND_HALF_UP)

    rate, year = D("0.10"), D(365)
    days_0101 = (date(2022, 7, 25) - date(2022, 6, 19)).days  # 20/06..25/07: 36
    days_0115_full = (date(2022, 7, 25) - date(2022, 7, 10)).days  # 11/07..25/07: 15
    days_0115_rest = (date(2022, 9, 15) - date(2022, 7, 25)).days  # 26/07..15/09: 52
    rest = D("5063.80") + D("6000.00") - D("10847.80")
    expected = (cents(D("6000.00") * rate * days_0101 / year)
                + cents((D("5063.80") * days_0115_full + rest * days_0115_rest) * rate / year))
    assert (days_0101, days_0115_full, days_0115_rest, rest) == (36, 15, 52, D("216.00"))
    ledger, settings, on = sample_inputs()
    rows, _ = compute_reminders(ledger, settings, Filters(date=on))
    row = next(r for r in rows if (r.tiers, r.societe) == ("1FRNEG", "VIGNE"))
    assert row.niveau == 3
    assert sum((line.interets for line in row.lines), D(0)) == expected == D("83.07")


def test_the_engines_settlements_are_those_settled_works_out_alone():
    """The engine hands `Settled` its own index of the payments (`PaymentIndex`); the
    periods of every line are those computed from `Settled` built alone. The ledger has
    what each path must tell apart: a piece number in two companies, a part paid in two
    lettered payments (one after the date), a credit note, an unposted one, an
    unlettered payment after the date and a negative one, a disputed invoice (it takes
    no credit), a customer holding no credit."""
    from relances_xl.config import TAUX_PROFESSIONNELS
    from relances_xl.rules.imputation import Settled
    from relances_xl.rules.interest import interest_periods, rate_schedule

    on = date(2024, 9, 30)
    invoices = (
        A, B, Invoice("S2", "A", "C1", date(2024, 5, 1), date(2024, 5, 31), D("500.00")),
        Invoice("S1", "L", "C1", date(2024, 4, 1), date(2024, 4, 30), D("900.00"),
                litige=True),
        Invoice("S1", "AV1", "C1", date(2024, 6, 10), date(2024, 6, 10), D("700.00"),
                avoir=True),
        Invoice("S1", "AV2", "C1", date(2024, 6, 12), date(2024, 6, 12), D("50.00"),
                avoir=True, comptabilisee=False),
        Invoice("S1", "D", "C2", date(2024, 5, 1), date(2024, 5, 31), D("300.00")))
    payments = (
        Payment("S1", "R1", "C1", date(2024, 7, 1), D("1000.00"), piece_lettree="A"),
        Payment("S1", "R2", "C1", date(2024, 8, 1), D("500.00"), piece_lettree="A"),
        Payment("S1", "R3", "C1", date(2024, 10, 5), D("100.00"), piece_lettree="A"),
        Payment("S2", "R4", "C1", date(2024, 7, 10), D("200.00"), piece_lettree="A"),
        unlettered(date(2024, 7, 15), "2500.00", "R5"),
        unlettered(date(2024, 7, 20), "-30.00", "R6"),
        unlettered(date(2024, 10, 1), "999.00", "R7"),
        Payment("S1", "R8", "C2", date(2024, 6, 15), D("100.00"), piece_lettree="D"))
    ledger = Ledger((Customer("C1", "Client C1"), Customer("C2", "Client C2")), invoices,
                    payments, ())
    rows, _ = compute_reminders(ledger, SETTINGS, Filters(date=on))
    schedule = rate_schedule(SETTINGS, TAUX_PROFESSIONNELS)
    alone = Settled(ledger, on)
    lines = [(row.societe, line) for row in rows for line in row.lines]
    assert [(societe, line.invoice.piece) for societe, line in lines] == [
        ("S1", "A"), ("S1", "B"), ("S2", "A"), ("S1", "D")]
    for societe, line in lines:
        invoice = line.invoice
        expected = interest_periods(invoice.echeance + timedelta(days=1),
                                    on, schedule, False, invoice.montant,
                                    alone.of(societe, invoice.tiers, invoice.piece))
        assert line.periodes == expected, invoice
    # S1 A: 6 000 less 1 500 lettered by 30/09, then the 2 500 on account (the oldest due
    # first, A before B; the credit note AV1 on 10/06 went to A first)
    assert sorted(alone.of("S1", "C1", "A")) == [
        (date(2024, 6, 10), D("700.00")), (date(2024, 7, 1), D("1000.00")),
        (date(2024, 7, 15), D("2500.00")), (date(2024, 8, 1), D("500.00"))]


def test_the_rates_a_run_keeps_name_a_missing_half_year_each_time_they_are_asked():
    """`Rates` remembers the segments per start day, and a start day without a rate
    too: each invoice starting then is stopped, not only the first one asked."""
    import pytest

    from relances_xl.config import TAUX_PROFESSIONNELS, RatePeriod
    from relances_xl.rules.interest import (
        MissingRate,
        Rates,
        interest_periods,
        periods_owed,
        rate_schedule,
    )

    table = Settings(levels=INTEREST_AT_ONCE, taux_periodes=(
        RatePeriod(date(2024, 1, 1), D("0.145"), D("0.05"), D("0.125")),
        RatePeriod(date(2025, 1, 1), D("0.1315"), D("0.0371"), D("0.1115"))))
    schedule = rate_schedule(table, TAUX_PROFESSIONNELS)
    rates = Rates(schedule, date(2025, 2, 28))
    for _ in range(2):
        with pytest.raises(MissingRate) as missing:
            periods_owed(date(2024, 6, 1), rates, D("10"), ())
        assert missing.value.day == date(2024, 7, 1)
    for principal in ("10", "20.50"):  # the same start, another principal
        assert periods_owed(date(2025, 1, 15), rates, D(principal), ()) == interest_periods(
            date(2025, 1, 15), date(2025, 2, 28), schedule, False, D(principal))


def test_an_invoice_is_open_while_what_is_lettered_to_it_leaves_a_cent():
    """`open_invoices`, which the engine's lines and the debts an unlettered credit
    takes both go over: an invoice settled to the cent, or beyond, is left behind; one
    cent short, it is open for that cent; an invoice of 0 with nothing lettered is not
    open, one typed negative is (its lines show it); credit notes and unposted
    invoices never are; a piece is paid in its own company only."""
    from relances_xl.rules.imputation import open_invoices

    def invoice(piece: str, amount: str, societe: str = "S1", **flags: bool) -> Invoice:
        return Invoice(societe, piece, "C1", date(2024, 5, 1), date(2024, 5, 31), D(amount),
                       **flags)

    invoices = [invoice("EXACT", "100.00"), invoice("SHORT", "100.00"),
                invoice("OVER", "100.00"), invoice("NONE", "0.99"), invoice("ZERO", "0.00"),
                invoice("NEG", "-5.00"), invoice("AV", "30.00", avoir=True),
                invoice("DRAFT", "40.00", comptabilisee=False), invoice("EXACT", "100.00", "S2")]
    paid = {"S1": {"EXACT": D("100.00"), "SHORT": D("99.99"), "OVER": D("100.01"),
                   "AV": D("1.00"), "DRAFT": D("1.00")}}
    assert open_invoices(invoices, paid) == [
        (1, D("0.01")), (3, D("0.99")), (5, D("-5.00")), (8, D("100.00"))]
    assert open_invoices(invoices, {}) == [
        (0, D("100.00")), (1, D("100.00")), (2, D("100.00")), (3, D("0.99")),
        (5, D("-5.00")), (8, D("100.00"))]


_ON = date(2024, 9, 30)
_INVOICE = st.builds(
    lambda n, tiers, late, montant, avoir, posted, disputed, after: Invoice(
        "S1", f"F{n}", tiers, _ON + timedelta(days=after) if after else _ON - timedelta(
            days=late + 30), _ON - timedelta(days=late), Decimal(montant) / 100, avoir=avoir,
        comptabilisee=posted, litige=disputed),
    st.integers(0, 5), st.sampled_from(["C1", "C2"]), st.integers(-20, 90),
    st.integers(-5000, 50000), st.booleans(), st.booleans(), st.booleans(),
    st.sampled_from([0, 0, 0, 5]))
_PAYMENT = st.builds(
    lambda n, tiers, days, montant, piece: Payment(
        "S1", f"R{n}", tiers, _ON - timedelta(days=days), Decimal(montant) / 100,
        piece_lettree=piece),
    st.integers(0, 99), st.sampled_from(["C1", "C2"]), st.integers(-10, 60),
    st.integers(-1000, 40000), st.sampled_from(["", "", "F0", "F1", "F2", "F9"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(_INVOICE, max_size=8, unique_by=lambda i: i.piece),
       st.lists(_PAYMENT, max_size=8))
def test_the_settlements_alone_are_the_engines_whatever_the_ledger(invoices, payments):
    """`Settled` without the engine's index (the dashboard's, the recovery file's) makes
    the debts in its own pass over the invoices: the same settlements for every invoice,
    credit notes, drafts, disputed, future, negative and zero invoices among them."""
    ledger = Ledger((Customer("C1", "Un"), Customer("C2", "Deux")), tuple(invoices),
                    tuple(payments), ())
    index = imputation._index(ledger, _ON)
    with_open = index._replace(open=imputation.open_invoices(ledger.invoices, index.paid))
    alone, engines = imputation.Settled(ledger, _ON), imputation.Settled(ledger, _ON, with_open)
    for invoice in invoices:
        found = alone.of("S1", invoice.tiers, invoice.piece)
        assert sorted(found) == sorted(engines.of("S1", invoice.tiers, invoice.piece))
