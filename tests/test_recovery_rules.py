"""The recovery file's rules (rules/recovery.py): the décompte to the cent against a
day-by-day computation written here from first principles, the prescription dates, the
procedure by amount, and the refusals."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest

from relances_xl.config import (
    DEFAULT_LEVELS,
    PUBLIC_LEVELS,
    PUBLIC_TERMS,
    RatePeriod,
    Regime,
    Settings,
)
from relances_xl.letters.context import DELAI_MISE_EN_DEMEURE
from relances_xl.model import Customer, Filters, HistoryEntry, Invoice, Ledger, Payment
from relances_xl.rules.engine import compute_reminders
from relances_xl.rules.followup import FollowUp, holds
from relances_xl.rules.recovery import (
    NOTICE_DAYS,
    Procedure,
    RecoveryRefused,
    add_years,
    build_claim,
    last_day_to_act,
    prescription_warning,
    procedure_for,
)

D = Decimal
# the test's own rates by half-year: (first day, last day, pro, particuliers, publics)
RATES = (
    (date(2024, 1, 1), date(2024, 6, 30), D("0.1450"), D("0.0501"), D("0.1250")),
    (date(2024, 7, 1), date(2024, 12, 31), D("0.1425"), D("0.0492"), D("0.1225")),
    (date(2025, 1, 1), date(2025, 6, 30), D("0.1315"), D("0.0371"), D("0.1115")),
    (date(2025, 7, 1), date(2025, 12, 31), D("0.1215"), D("0.0271"), D("0.1015")),
)
SETTINGS = Settings(levels=DEFAULT_LEVELS + PUBLIC_LEVELS, taux_periodes=tuple(
    RatePeriod(start, pro, part, pub) for start, _, pro, part, pub in RATES))
ON = date(2025, 2, 10)


def _rate(day: date, column: int) -> Decimal:
    for row in RATES:
        if row[0] <= day <= row[1]:
            return row[column]
    raise AssertionError(day)


def expected_interest(principal: Decimal, first: date, last: date, column: int,
                      payments: list[tuple[date, Decimal]], fixed: bool = False) -> Decimal:
    """Day by day: what was owed at the start of each day x that day's rate / 365, summed,
    rounded half up once. A payment counts from the day after it."""
    total = Decimal(0)
    day = first
    rate_day = date(first.year, 1 if first.month <= 6 else 7, 1)
    while day <= last:
        owed = principal - sum((m for d, m in payments if d < day), Decimal(0))
        rate = _rate(rate_day if fixed else day, column)
        total += owed * rate / 365
        day += timedelta(days=1)
    return total.quantize(D("0.01"), ROUND_HALF_UP)


def _ledger(customer: Customer, invoices: list[tuple[str, date, str]], history_level: int,
            notice: date, payments: tuple[Payment, ...] = ()) -> Ledger:
    found = tuple(Invoice("S1", piece, customer.tiers, due - timedelta(days=30), due, D(amount))
                  for piece, due, amount in invoices)
    history = tuple(HistoryEntry(notice, "S1", customer.tiers, piece, history_level, "pdf")
                    for piece, _, _ in invoices)
    return Ledger((customer,), found, payments, history)


PRO = Customer("C1", "Durand SARL")


def test_professional_under_5000_owes_interest_from_due_date_and_the_indemnity():
    ledger = _ledger(PRO, [("F1", date(2024, 3, 31), "2000.00")], 3, date(2024, 9, 2),
                     (Payment("S1", "R1", "C1", date(2024, 6, 15), D("500.00"), "", "F1"),))
    claim = build_claim(ledger, SETTINGS, PRO, "S1", ON)
    interest = expected_interest(D(2000), date(2024, 4, 1), ON, 2,
                                 [(date(2024, 6, 15), D(500))])
    assert claim.lines[0].recu == D("500.00")
    assert claim.lines[0].interets == interest
    assert claim.total == D("1500.00") + interest + D("40.00")
    assert claim.regime is Regime.PRO
    assert claim.procedure is Procedure.PETITES_CREANCES


def test_professional_over_5000_goes_to_injonction_de_payer():
    ledger = _ledger(PRO, [("F1", date(2024, 3, 31), "4000.00"),
                           ("F2", date(2024, 5, 31), "3000.00")], 3, date(2024, 9, 2))
    claim = build_claim(ledger, SETTINGS, PRO, "S1", ON)
    interest = (expected_interest(D(4000), date(2024, 4, 1), ON, 2, [])
                + expected_interest(D(3000), date(2024, 6, 1), ON, 2, []))
    assert claim.total == D("7000.00") + interest + D("80.00")
    assert claim.procedure is Procedure.INJONCTION
    assert [line.piece for line in claim.lines] == ["F1", "F2"]


def test_private_customer_owes_legal_interest_from_the_mise_en_demeure_and_no_indemnity():
    private = Customer("P1", "M. Martin", particulier=True)
    notice = date(2024, 9, 2)
    ledger = _ledger(private, [("F1", date(2024, 3, 31), "1200.00")], 3, notice)
    claim = build_claim(ledger, SETTINGS, private, "S1", ON)
    interest = expected_interest(D(1200), notice + timedelta(days=1), ON, 3, [])
    assert claim.lines[0].indemnite == 0
    assert claim.total == D("1200.00") + interest
    assert claim.lines[0].prescription == date(2026, 3, 31)  # two years (L218-2)


def test_public_buyer_owes_moratory_interest_at_the_rate_of_its_first_half_year():
    public = Customer("A1", "Commune de Reims", conditions=PUBLIC_TERMS)
    ledger = _ledger(public, [("F1", date(2024, 5, 31), "8000.00")], 2, date(2024, 9, 2))
    claim = build_claim(ledger, SETTINGS, public, "S1", ON)
    interest = expected_interest(D(8000), date(2024, 6, 1), ON, 4, [], fixed=True)
    assert claim.total == D("8000.00") + interest + D("40.00")
    assert claim.procedure is Procedure.REFERE_PROVISION
    assert claim.lines[0].prescription == date(2028, 12, 31)


def test_an_invoice_of_the_mise_en_demeure_paid_since_keeps_its_late_penalties():
    """Paid in full after its due date, after or before the file: nothing left of its
    principal, but the penalties of its days late and its indemnity stay due, as the
    mise en demeure claimed them."""
    notice = date(2024, 9, 2)
    ledger = _ledger(PRO, [("F1", date(2024, 3, 31), "2000.00"),
                           ("F2", date(2024, 5, 31), "600.00")], 3, notice,
                     (Payment("S1", "R1", "C1", date(2024, 10, 15), D("2000.00"), "", "F1"),))
    claim = build_claim(ledger, SETTINGS, PRO, "S1", ON)
    paid = expected_interest(D(2000), date(2024, 4, 1), date(2024, 10, 15), 2, [])
    owed = expected_interest(D(600), date(2024, 6, 1), ON, 2, [])
    assert [(line.piece, line.reste) for line in claim.lines] == [("F1", D("0")), ("F2", D(
        "600.00"))]
    assert claim.lines[0].recu == D("2000.00") and claim.lines[0].interets == paid
    assert claim.total == D("600.00") + owed + paid + D("80.00")


def test_an_invoice_paid_on_time_or_before_a_private_customers_notice_adds_nothing():
    private = Customer("P1", "M. Martin", particulier=True)
    notice = date(2024, 9, 2)
    ledger = _ledger(private, [("F1", date(2024, 3, 31), "2000.00"),
                               ("F2", date(2024, 5, 31), "600.00")], 3, notice,
                     (Payment("S1", "R1", "P1", notice, D("2000.00"), "", "F1"),))
    claim = build_claim(ledger, SETTINGS, private, "S1", ON)
    assert [line.piece for line in claim.lines] == ["F2"]  # interest runs from the day after


def test_no_mise_en_demeure_is_refused_naming_the_invoices():
    ledger = _ledger(PRO, [("F1", date(2024, 3, 31), "2000.00")], 2, date(2024, 9, 2))
    with pytest.raises(RecoveryRefused, match=r"aucune mise en demeure \(niveau 3.*F1"):
        build_claim(ledger, SETTINGS, PRO, "S1", ON)


def test_deadline_of_the_mise_en_demeure_must_have_passed():
    notice = date(2025, 2, 1)
    ledger = _ledger(PRO, [("F1", date(2024, 3, 31), "2000.00")], 3, notice)
    last_day = notice + timedelta(days=NOTICE_DAYS)
    with pytest.raises(RecoveryRefused, match="court jusqu'au 09/02/2025"):
        build_claim(ledger, SETTINGS, PRO, "S1", last_day)
    assert build_claim(ledger, SETTINGS, PRO, "S1", last_day + timedelta(days=1)).lines


def test_an_invoice_listed_at_a_lower_level_in_a_mise_en_demeure_is_covered():
    ledger = _ledger(PRO, [("F1", date(2024, 3, 31), "2000.00")], 3, date(2024, 9, 2))
    late = Invoice("S1", "F2", "C1", date(2024, 7, 1), date(2024, 7, 31), D("100.00"))
    ledger = Ledger(ledger.customers, (*ledger.invoices, late), (), (
        *ledger.history, HistoryEntry(date(2024, 9, 2), "S1", "C1", "F2", 1, "pdf")))
    claim = build_claim(ledger, SETTINGS, PRO, "S1", ON)
    assert [line.piece for line in claim.lines] == ["F1", "F2"]
    assert claim.lines[1].mise_en_demeure == date(2024, 9, 2)


def test_an_invoice_in_another_currency_is_refused_not_converted():
    ledger = _ledger(PRO, [("F1", date(2024, 3, 31), "2000.00")], 3, date(2024, 9, 2))
    usd = Invoice("S1", "F1", "C1", date(2024, 3, 1), date(2024, 3, 31), D("2000.00"),
                  devise="USD")
    ledger = Ledger(ledger.customers, (usd,), (), ledger.history)
    with pytest.raises(RecoveryRefused, match=r"en euros ; factures en USD : F1 \(USD\)"):
        build_claim(ledger, SETTINGS, PRO, "S1", ON)


def test_the_notice_delay_is_the_letters_one():
    assert NOTICE_DAYS == DELAI_MISE_EN_DEMEURE


def test_invoices_without_a_mise_en_demeure_are_left_out_and_named():
    ledger = _ledger(PRO, [("F1", date(2024, 3, 31), "2000.00")], 3, date(2024, 9, 2))
    ledger = Ledger(ledger.customers, (*ledger.invoices, Invoice(
        "S1", "F9", "C1", date(2024, 12, 1), date(2024, 12, 31), D("300.00"))),
        (), ledger.history)
    claim = build_claim(ledger, SETTINGS, PRO, "S1", ON)
    assert [line.piece for line in claim.lines] == ["F1"]
    assert claim.left_out == ("F9",)


def test_a_half_year_without_rate_is_refused_not_guessed():
    ledger = _ledger(PRO, [("F1", date(2024, 3, 31), "2000.00")], 3, date(2024, 9, 2))
    with pytest.raises(RecoveryRefused, match="1er semestre 2026"):
        build_claim(ledger, SETTINGS, PRO, "S1", date(2026, 1, 5))


@pytest.mark.parametrize(("due", "years", "last"), [
    (date(2024, 5, 15), 5, date(2029, 5, 15)),  # the example
    (date(2024, 2, 29), 5, date(2029, 2, 28)),  # no 29 February in 2029
    (date(2024, 2, 29), 4, date(2028, 2, 29)),
    (date(2024, 12, 31), 5, date(2029, 12, 31)),
    (date(2024, 4, 30), 2, date(2026, 4, 30)),
])
def test_years_run_from_quantieme_to_quantieme(due, years, last):
    assert add_years(due, years) == last


def test_prescription_by_regime():
    assert last_day_to_act(date(2024, 5, 15), Regime.PRO) == date(2029, 5, 15)
    assert last_day_to_act(date(2024, 5, 15), Regime.PARTICULIER) == date(2026, 5, 15)
    assert last_day_to_act(date(2024, 5, 15), Regime.PUBLIC) == date(2028, 12, 31)
    assert last_day_to_act(date(2024, 1, 1), Regime.PUBLIC) == date(2028, 12, 31)


def test_prescription_warning_from_90_days_before():
    last = date(2026, 5, 15)
    assert prescription_warning(date(2024, 5, 15), Regime.PARTICULIER,
                                last - timedelta(days=91), "F1") == ""
    assert prescription_warning(date(2024, 5, 15), Regime.PARTICULIER,
                                last - timedelta(days=90), "F1") == (
        "Prescription le 15/05/2026 (facture F1)")


def test_appliquer_motif_warns_of_prescription():
    private = Customer("P1", "M. Martin", particulier=True)
    ledger = _ledger(private, [("F1", date(2024, 3, 31), "1200.00")], 3, date(2024, 9, 2))
    rows, _ = compute_reminders(ledger, SETTINGS, Filters(date=date(2026, 1, 5)))
    assert "Prescription le 31/03/2026 (facture F1)" in rows[0].motif
    rows, _ = compute_reminders(ledger, SETTINGS, Filters(date=date(2025, 12, 30)))  # 91 days
    assert "Prescription" not in rows[0].motif


@pytest.mark.parametrize(("amount", "failed", "expected"), [
    (D("5000.00"), False, Procedure.PETITES_CREANCES),
    (D("5000.01"), False, Procedure.INJONCTION),
    (D("0.50"), False, Procedure.PETITES_CREANCES),
    (D("1000.00"), True, Procedure.INJONCTION),
])
def test_procedure_by_amount(amount, failed, expected):
    assert procedure_for(Regime.PRO, amount, failed) is expected


def test_a_recovery_file_holds_the_reminders():
    line = FollowUp(date(2025, 2, 10), "C1", "S1", "", "Dossier de recouvrement")
    found = holds([line], [], date(2025, 3, 1))
    assert found["S1"]["C1"].holding("F1") == "Dossier de recouvrement du 10/02/2025"


def test_the_customers_story_names_the_recovery_file():
    from relances_xl.rules.timeline import timeline

    ledger = _ledger(PRO, [("F1", date(2024, 3, 31), "2000.00")], 3, date(2024, 9, 2))
    ledger = Ledger(ledger.customers, ledger.invoices, (), (
        *ledger.history, HistoryEntry(ON, "S1", "C1", "F1", 0, "Dossier de recouvrement")))
    texts = [event.text for event in timeline(ledger, [], "C1", ON)]
    assert "Dossier de recouvrement : F1" in texts
    assert "Lettre de relance niveau 3 (pdf) : F1" in texts
