"""The dashboard's figures: DSO, the largest overdue customers, the effect of reminders."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

from relances_xl.model import Customer, HistoryEntry, Invoice, Ledger, Payment
from relances_xl.rules.aging import AgedRow
from relances_xl.rules.dashboard import dso, reminder_effect, top_overdue

ON = date(2024, 6, 30)
ZERO = D("0.00")


def days_ago(days: int) -> date:
    return ON - timedelta(days=days)


def aged(tiers: str, societe: str, *buckets: str, non_impute: str = "0") -> AgedRow:
    amounts = tuple(D(b) for b in buckets) + (ZERO,) * (5 - len(buckets))
    return AgedRow(tiers, f"Nom {tiers}", societe, amounts, D(non_impute), False)


def sale(numero: str, days: int, montant: str, societe: str = "A", **kw) -> Invoice:
    return Invoice(societe, numero, "C1", days_ago(days), days_ago(days), D(montant), **kw)


def test_dso_is_receivables_over_the_years_sales_times_365():
    rows = [aged("C1", "A", "600.00", "500.00", non_impute="-100.00"), aged("C2", "B", "10")]
    ledger = Ledger(invoices=(
        sale("F1", 364, "8000.00"),  # within the 365 days
        sale("F2", 0, "3000.00"),  # today
        sale("F3", 365, "99999.00"),  # exactly a year before: the period is (D-365, D]
        sale("F4", -1, "5555.00"),  # after the date
        sale("AV", 10, "1000.00", avoir=True),  # credit notes lower the sales
        sale("DR", 10, "7777.00", comptabilisee=False),  # not posted
    ))
    found = {d.societe: d for d in dso(rows, ledger, ON)}
    assert (found["A"].encours, found["A"].ventes, found["A"].jours) == (
        D("1000.00"), D("10000.00"), D("36.5"))
    assert found["B"].jours is None  # no sales in company B: no DSO


def test_the_ten_largest_overdue_customers_not_yet_due_left_out():
    rows = [aged(f"C{n:02}", "A", "9999", str(n)) for n in range(1, 13)]
    rows.append(aged("C05", "B", "0", "0", "0", "0", "20"))  # C05 owes in two companies
    rows.append(aged("ONLY", "A", "5000"))  # nothing overdue
    rows.append(aged("C00", "A", "0", "12"))  # same amount as C12: the code decides
    top = top_overdue(rows)
    assert [(t.tiers, t.echu) for t in top] == [
        ("C05", D("25")), ("C00", D("12")), ("C12", D("12")), ("C11", D("11")),
        ("C10", D("10")), ("C09", D("9")), ("C08", D("8")), ("C07", D("7")), ("C06", D("6")),
        ("C04", D("4"))]
    assert top[0].nom == "Nom C05"


def letter(piece: str, days: int, niveau: int) -> HistoryEntry:
    return HistoryEntry(days_ago(days), "A", "C1", piece, niveau, "pdf")


def paid(piece: str, days: int, montant: str) -> Payment:
    return Payment("A", f"R-{piece}-{days}", "C1", days_ago(days), D(montant),
                   piece_lettree=piece)


def test_the_share_paid_within_15_and_30_days_of_each_level():
    ledger = Ledger(
        customers=(Customer("C1", "Un"),),
        invoices=(sale("F1", 100, "100.00"), sale("F2", 100, "200.00"),
                  sale("F3", 100, "50.00"), sale("F4", 100, "80.00")),
        payments=(
            paid("F1", 40, "10.00"),  # the day of the letter: before it, not reminded
            paid("F1", 35, "54.00"),  # 5 days after: within 15
            paid("F1", 25, "36.00"),  # 15 days after: the last day within 15
            paid("F2", 24, "200.00"),  # 16 days after: within 30 only
            paid("F4", 12, "500.00"),  # more than reminded: counts what was reminded
        ),
        history=(
            letter("F1", 40, 1), letter("F2", 40, 1),
            letter("F1", 20, 1),  # F1 again at level 1: still counted from day 40
            letter("F3", 40, 0),  # listed, not reminded: not a reminder
            letter("F4", 20, 2),  # 20 days ago: the 15-day window is over, the 30 not
        ),
    )
    effects = {e.niveau: e for e in reminder_effect(ledger, ON)}
    assert set(effects) == {1, 2}
    one = effects[1]
    assert one.relance == (D("290.00"), D("290.00"))
    assert one.paye == (D("90.00"), D("290.00"))
    assert (one.taux(15), one.taux(30)) == (D("90") / D("290"), D("1"))
    two = effects[2]
    assert (two.relance, two.paye) == ((D("80.00"), ZERO), (D("80.00"), ZERO))
    assert two.taux(15) == 1 and two.taux(30) is None


def test_letters_after_the_date_and_settled_invoices_do_not_count():
    ledger = Ledger(
        invoices=(sale("F1", 100, "100.00"),),
        payments=(paid("F1", 50, "100.00"),),
        history=(letter("F1", 40, 1), HistoryEntry(ON + timedelta(days=1), "A", "C1", "F1", 2)),
    )
    assert reminder_effect(ledger, ON) == []


def test_the_largest_overdue_are_net_of_what_is_lettered_to_no_invoice():
    """1FRNEG's case: 11 063,80 € overdue less 10 847,80 € paid and lettered to nothing
    is 216,00 €; a credit beyond what is overdue leaves nothing, not a negative."""
    rows = [aged("NEG", "A", "0", "11063.80", non_impute="-10847.80"),
            aged("MORE", "A", "500", "100", non_impute="-300"),
            aged("PLAIN", "A", "0", "300")]
    assert [(t.tiers, t.echu) for t in top_overdue(rows)] == [
        ("PLAIN", D("300")), ("NEG", D("216.00"))]


def test_an_unlettered_payment_after_a_letter_counts_as_paid_imputed_oldest_first():
    """F1 (due 100 days ago) and F2 (due 50 days ago) reminded at level 1 40 days ago;
    150,00 € lettered to nothing 35 days ago settles F1 (100) then 50 of F2's 200."""
    ledger = Ledger(
        customers=(Customer("C1", "Un"),),
        invoices=(sale("F1", 100, "100.00"), sale("F2", 50, "200.00")),
        payments=(Payment("A", "R1", "C1", days_ago(35), D("150.00")),),
        history=(letter("F1", 40, 1), letter("F2", 40, 1)),
    )
    (one,) = reminder_effect(ledger, ON)
    assert one.relance == (D("300.00"), D("300.00"))
    assert one.paye == (D("150.00"), D("150.00"))


def test_a_letter_counts_from_the_day_its_shortest_window_is_over():
    """Sent exactly 15 days before the date: its 15-day window is over, and a payment
    on the date itself is within it; sent 14 days before: it counts nowhere yet, even
    when an earlier letter at another level does."""
    ledger = Ledger(
        customers=(Customer("C1", "Un"),),
        invoices=(sale("F1", 100, "100.00"), sale("F2", 100, "40.00")),
        payments=(paid("F1", 0, "30.00"), paid("F2", 0, "40.00")),
        history=(letter("F1", 15, 1), letter("F2", 14, 1), letter("F2", 30, 2)),
    )
    effects = {e.niveau: e for e in reminder_effect(ledger, ON)}
    assert set(effects) == {1, 2}
    assert (effects[1].relance, effects[1].paye) == ((D("100.00"), ZERO), (D("30.00"), ZERO))
    assert (effects[2].relance, effects[2].paye) == ((D("40.00"), D("40.00")),
                                                     (ZERO, D("40.00")))
