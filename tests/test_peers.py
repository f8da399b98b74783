"""The peers' own reminder tests, translated: Tryton, ERPNext, Business Central, OCA.

Each test names the peer's repository, file and test (or scenario step), sets up the
same invoices, levels and dates in our terms, and either finds the peer's figures or
says, under "Differs:", which documented rule of ours gives another result and why
(README, "How we differ from the peers"). Letters are recorded in Historique by the
function the real runs use (`letters.run.history_entries`), at each line's own level.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from relances_xl.config import Level, PrintOptions, Settings
from relances_xl.letters.run import LetterResult, RunReport, history_entries
from relances_xl.model import Customer, Filters, HistoryEntry, Invoice, Ledger, Payment, ReminderRow
from relances_xl.rules.engine import compute_reminders

D = Decimal


class Book:
    """One customer's invoices, payments and the letters issued to it, run after run."""

    def __init__(self, levels: tuple[Level, ...], **settings: object) -> None:
        self.settings = Settings(levels=levels, **settings)  # type: ignore[arg-type]
        self.customer = Customer("C1", "Client C1")
        self.invoices: list[Invoice] = []
        self.payments: list[Payment] = []
        self.history: list[HistoryEntry] = []

    def invoice(self, numero: str, due: date, amount: str = "100.00") -> None:
        self.invoices.append(Invoice("S1", numero, "C1", due, due, D(amount)))

    def pay(self, numero: str, on: date, amount: str) -> None:
        self.payments.append(Payment("S1", f"R{len(self.payments) + 1}", "C1", on, D(amount),
                                     piece_lettree=numero))

    def rows(self, on: date) -> list[ReminderRow]:
        ledger = Ledger((self.customer,), tuple(self.invoices), tuple(self.payments),
                        tuple(self.history))
        rows, problems = compute_reminders(ledger, self.settings, Filters(date=on))
        assert problems == []
        return rows

    def row(self, on: date) -> ReminderRow:
        rows = self.rows(on)
        assert len(rows) == 1, rows
        return rows[0]

    def issue(self, on: date) -> ReminderRow:
        """The table of `on`, and its letter issued (as PDF) and recorded."""
        row = self.row(on)
        report = RunReport(PrintOptions("pdf", Path("lettres")), [LetterResult(row)])
        self.history += history_entries(report, on)
        return row


def levels_of(row: ReminderRow) -> dict[str, tuple[int, bool]]:
    return {line.invoice.piece: (line.niveau, line.due) for line in row.lines}


# --- Tryton: modules/account_dunning --------------------------------------------------------
# Procedure of scenario_account_dunning.rst: levels at 5, 20 and 40 days overdue, no delay
# between two dunnings. A dunning is "draft" until processed (our letter issued).

TRYTON_LEVELS = (Level(1, 5, 0, "LET01"), Level(2, 20, 0, "LET02"), Level(3, 40, 0, "LET03"))
START = date(2024, 1, 1)  # the scenario's period.start_date: the line's maturity date


def tryton_book() -> Book:
    book = Book(TRYTON_LEVELS)
    book.invoice("L1", START)
    return book


def test_tryton_dunning_starts_at_five_days_overdue():
    """tryton/tryton modules/account_dunning/tests/scenario_account_dunning.rst,
    "Create dunnings on 4 days" (none) and "Create dunnings on 5 days" (level 1). Matches."""
    book = tryton_book()
    assert book.rows(START + timedelta(days=4)) == []
    assert levels_of(book.row(START + timedelta(days=5))) == {"L1": (1, True)}


def test_tryton_a_draft_dunning_is_not_escalated():
    """tryton/tryton modules/account_dunning/tests/scenario_account_dunning.rst, "Create
    dunnings on 30 days with draft dunning": still level 1, the first was never processed.
    Matches: a table not printed records nothing, and a level is never skipped."""
    book = tryton_book()
    book.row(START + timedelta(days=5))  # computed, not issued
    assert levels_of(book.row(START + timedelta(days=30))) == {"L1": (1, True)}


def test_tryton_processing_then_dunning_again_the_same_day():
    """tryton/tryton modules/account_dunning/tests/scenario_account_dunning.rst, "Process
    dunning" then "Create dunnings on 30 days": level 2 the same day.
    Differs: a letter issued today is not due again today (issuing twice the same day
    never raises the level twice); level 2 comes the next day."""
    book = tryton_book()
    book.issue(START + timedelta(days=30))
    same_day = book.row(START + timedelta(days=30))
    assert (levels_of(same_day), same_day.editee) == ({"L1": (1, False)}, True)
    assert levels_of(book.row(START + timedelta(days=31))) == {"L1": (2, True)}


def test_tryton_a_blocked_dunning_is_neither_escalated_nor_sent():
    """tryton/tryton modules/account_dunning/tests/scenario_account_dunning.rst, "Create
    dunnings on 30 days with blocked dunning": stays at level 1, not processed.
    Matches in effect: a disputed invoice ("Litige") is not reminded at all (Tryton keeps
    it listed at its level); unblocked, it climbs on (level 2)."""
    book = tryton_book()
    book.issue(START + timedelta(days=5))
    blocked = book.invoices[0]
    book.invoices[0] = Invoice(blocked.societe, blocked.piece, blocked.tiers,
                               blocked.date_piece, blocked.echeance, blocked.montant,
                               litige=True)
    assert book.rows(START + timedelta(days=30)) == []
    book.invoices[0] = blocked
    assert levels_of(book.row(START + timedelta(days=30))) == {"L1": (2, True)}


def test_tryton_a_paid_line_is_never_dunned_again():
    """tryton/tryton modules/account_dunning/tests/scenario_account_dunning.rst, "Pay
    dunning" (no dunning left) and "Create dunnings on 50 days" (none). Matches."""
    book = tryton_book()
    book.issue(START + timedelta(days=30))
    book.pay("L1", START + timedelta(days=31), "100.00")
    assert book.rows(START + timedelta(days=31)) == []
    assert book.rows(START + timedelta(days=50)) == []


def test_tryton_the_last_level_is_final():
    """tryton/tryton modules/account_dunning/tests/scenario_account_dunning_final.rst: one
    level at 0 days; dunned on day 1, processed, refreshed on day 2: state "final", no new
    dunning. Differs: our last level repeats after its delay ("Jours depuis relance
    précédente", here 0), counted from its latest letter: due again on day 2."""
    book = Book((Level(1, 0, 0, "LET01"),))
    book.invoice("L1", START)
    book.issue(START + timedelta(days=1))
    assert levels_of(book.row(START + timedelta(days=2))) == {"L1": (1, True)}


# --- ERPNext: erpnext/accounts/doctype/dunning/test_dunning.py ------------------------------
# Dunning types of the test suite: "First Notice" (no fee, no interest) and "Second Notice"
# (fee 10, interest 10 % a year). A sales invoice of 100 with no payment terms falls due on
# its posting date, `overdue_days` before the dunning.

TODAY = date(2024, 3, 31)
FIRST_NOTICE = (Level(1, 0, 0, "LET01"),)
SECOND_NOTICE = (Level(1, 0, 0, "LET02", frais=D("10.00"), interets=True),)


def test_erpnext_dunning_without_fees():
    """frappe/erpnext erpnext/accounts/doctype/dunning/test_dunning.py,
    test_dunning_without_fees: 20 days overdue, First Notice: outstanding 100, interest 0,
    fee 0, dunning amount 0, grand total 100. Matches."""
    book = Book(FIRST_NOTICE)
    book.invoice("SI", TODAY - timedelta(days=20))
    row = book.row(TODAY)
    assert (row.encours_relance, row.agios_reclames, row.frais) == (D("100.00"), D("0.00"),
                                                                     D("0.00"))
    assert row.encours_relance + row.agios_reclames == D("100.00")


def test_erpnext_dunning_with_fees_and_interest():
    """frappe/erpnext erpnext/accounts/doctype/dunning/test_dunning.py,
    test_dunning_with_fees_and_interest: 15 days overdue, Second Notice: interest 0.41
    (100 x 10 % x 15 / 365), fee 10, dunning amount 10.41, grand total 110.41. Matches
    (ERPNext rounds the total; we round per invoice: one invoice, the same cents)."""
    book = Book(SECOND_NOTICE, taux_annuel=D("0.10"))
    book.invoice("SI", TODAY - timedelta(days=15))
    row = book.row(TODAY)
    assert (row.lines[0].interets, row.frais) == (D("0.41"), D("10.00"))
    assert row.agios_reclames == D("10.41")
    assert row.encours_relance + row.agios_reclames == D("110.41")


def test_erpnext_dunning_with_payment_entry():
    """frappe/erpnext erpnext/accounts/doctype/dunning/test_dunning.py,
    test_dunning_with_payment_entry: once the invoice is paid, its outstanding is 0 and the
    dunning is resolved. Matches: a lettered payment settles the invoice, no row is left."""
    book = Book(SECOND_NOTICE, taux_annuel=D("0.10"))
    book.invoice("SI", TODAY - timedelta(days=15))
    book.issue(TODAY)
    book.pay("SI", TODAY + timedelta(days=1), "100.00")
    assert book.rows(TODAY + timedelta(days=1)) == []


def test_erpnext_fetch_overdue_payments():
    """frappe/erpnext erpnext/accounts/doctype/dunning/test_dunning.py,
    test_fetch_overdue_payments: two invoices of 100 and 300, 6 days overdue, in one
    dunning, each with its outstanding. Matches: one row covers all the customer's échues
    invoices."""
    book = Book(FIRST_NOTICE)
    book.invoice("SI1", TODAY - timedelta(days=6), "100.00")
    book.invoice("SI2", TODAY - timedelta(days=6), "300.00")
    row = book.row(TODAY)
    assert [(ln.invoice.piece, ln.reste_du) for ln in row.lines] == [
        ("SI1", D("100.00")), ("SI2", D("300.00"))]
    assert row.encours_relance == D("400.00")


def test_erpnext_dunning_against_a_partially_due_invoice():
    """frappe/erpnext erpnext/accounts/doctype/dunning/test_dunning.py,
    test_dunning_and_payment_against_partially_due_invoice: an invoice of 100 in two
    installments of 50 (due 5 and 10 days after it), posted 6 days ago: only the first
    installment is dunned; paid, the dunning is resolved.
    Differs in form: an invoice has one due date here, so installments are typed as two
    lines of Factures (or imported so from the FEC); then the figures match."""
    book = Book(FIRST_NOTICE)
    posted = TODAY - timedelta(days=6)
    book.invoice("SI-1", posted + timedelta(days=5), "50.00")
    book.invoice("SI-2", posted + timedelta(days=10), "50.00")
    row = book.row(TODAY)
    assert [(ln.invoice.piece, ln.reste_du) for ln in row.lines] == [("SI-1", D("50.00"))]
    book.issue(TODAY)
    book.pay("SI-1", TODAY, "50.00")
    assert book.rows(TODAY) == []


# --- Business Central: codeunit 134907 "ERM Invoice and Reminder" ------------------------
# BC's test app, as mirrored in StefanMaron/MSDyn365BC.Code.History,
# BaseApp/Test/Tests-ERM/ERMInvoiceandReminder.Codeunit.al. An entry is overdue the day
# after its due date (one "Jour de grâce" here); a level's "Due Date Calculation" of 1W
# then a blank grace period makes the next level due more than a week after the previous
# reminder (8 days here, as our delays count "at least").

BC_WORKDATE = date(2017, 1, 1)


def test_bc_issue_reminder_for_multiple_invoices_with_different_reminder_levels():
    """ERMInvoiceandReminder.Codeunit.al,
    IssueReminderForMultipleInvoicesWithDifferentReminderLevels: Inv1 reminded at level 1;
    a week later Inv2 falls due; the second reminder has Inv1 at level 2 (interest) and
    Inv2 at level 1, whose entry bears no interest.
    Matches for the levels. Differs for the interest: a row's charges follow its level,
    the highest of its invoices (the letter is a level-2 letter), so Inv2 bears interest
    too."""
    levels = (Level(1, 0, 0, "LET01"), Level(2, 0, 7, "LET02", interets=True))
    book = Book(levels, jours_grace=1, taux_annuel=D("0.10"))
    book.invoice("INV1", BC_WORKDATE + timedelta(weeks=1))
    book.invoice("INV2", BC_WORKDATE + timedelta(weeks=2))
    first = book.issue(BC_WORKDATE + timedelta(weeks=2))
    assert levels_of(first) == {"INV1": (1, True)}
    second = book.row(BC_WORKDATE + timedelta(weeks=3, days=1))
    assert levels_of(second) == {"INV1": (2, True), "INV2": (1, True)}
    # INV1: 100 x 10 % x 15 / 365 = 0.41 ; INV2 at the row's level: 100 x 10 % x 8 / 365
    assert [ln.interets for ln in second.lines] == [D("0.41"), D("0.22")]


def test_bc_suggest_reminder_lines_with_correct_calculation_reminder_level():
    """ERMInvoiceandReminder.Codeunit.al,
    SuggestReminderLinesWithCorrectCalculationReminderLevel: levels with fees F, 2F, 3F;
    I1 due 18/01/17 reminded 06/02 (level 1) and 18/02 (level 2); I2 due 12/02. On 25/02
    I2 reaches level 1 while I1 waits for level 3: BC's reminder is at level 1 (fee F).
    Differs: our row's level is the highest of its invoices, those listed while waiting
    included (I1, level 2): the letter is a level-2 letter, with its fee."""
    fee = D("5.00")
    levels = (Level(1, 8, 0, "LET01", frais=fee), Level(2, 0, 8, "LET02", frais=2 * fee),
              Level(3, 0, 8, "LET03", frais=3 * fee))
    book = Book(levels)
    book.invoice("I1", date(2017, 1, 18))
    book.invoice("I2", date(2017, 2, 12))
    assert levels_of(book.issue(date(2017, 2, 6))) == {"I1": (1, True)}
    assert levels_of(book.issue(date(2017, 2, 18))) == {"I1": (2, True), "I2": (0, False)}
    third = book.row(date(2017, 2, 25))
    assert levels_of(third) == {"I1": (2, False), "I2": (1, True)}
    assert (third.niveau, third.frais) == (2, 2 * fee)


# --- OCA: account_credit_control ---------------------------------------------------------
# OCA/credit-control account_credit_control/data/data.xml, "3 time policy": level 1 at 10
# days net, level 2 at the due date's end of month + 30 days, level 3 ten days after the
# previous line. There is no end-of-month mode here: 60 days late is the same date for
# the invoices below (due on the 1st of a 31-day month, or long before).

OCA_LEVELS = (Level(1, 10, 0, "LET01"), Level(2, 60, 0, "LET02"), Level(3, 0, 10, "LET03"))


def test_oca_multi_credit_control_run():
    """OCA/credit-control account_credit_control/tests/test_credit_control_run.py,
    test_multi_credit_control_run: an invoice a year overdue, runs 6 months ago, 2 months
    ago and today: 1, 2, then 3 credit lines, one level more at each run. Matches: a level
    is never skipped, each letter raises it by one."""
    today = date(2024, 4, 1)
    book = Book(OCA_LEVELS)
    book.invoice("INV", today - timedelta(days=365), "500.00")
    runs = [today - timedelta(days=183), today - timedelta(days=60), today]
    assert [book.issue(on).niveau for on in runs] == [1, 2, 3]
    assert [(e.date, e.niveau) for e in book.history] == list(zip(runs, [1, 2, 3],
                                                                  strict=True))


def test_oca_generate_credit_lines_with_max_level():
    """OCA/credit-control account_credit_control/tests/test_credit_control_run.py,
    test_generate_credit_lines_with_max_level: with "apply max policy level", the run of
    30/01/2025 puts the partner's three lines (an old invoice, one due 01/12/2024, one due
    01/01/2025) at level 2. Matches for the letter: its level is 2. Differs per invoice:
    each keeps its own level in Historique (the newest at 1), so that its own clock is not
    pushed on by the others."""
    book = Book(OCA_LEVELS)
    book.invoice("OLD", date(2024, 1, 15))
    book.invoice("DEC", date(2024, 12, 1))
    book.invoice("JAN", date(2025, 1, 1))
    assert levels_of(book.issue(date(2024, 12, 30))) == {"OLD": (1, True), "DEC": (1, True)}
    row = book.issue(date(2025, 1, 30))
    assert row.niveau == 2
    assert levels_of(row) == {"OLD": (2, True), "DEC": (2, True), "JAN": (1, True)}
    assert [(e.piece, e.niveau) for e in book.history if e.date == date(2025, 1, 30)] == [
        ("OLD", 2), ("DEC", 2), ("JAN", 1)]


def test_oca_a_run_dated_before_the_last_one():
    """OCA/credit-control account_credit_control/tests/test_credit_control_run.py,
    test_check_run_date: a run dated before the last run is refused.
    Differs: Appliquer at an earlier date is allowed and shows the table as it was on
    that date; letters issued after it are not counted."""
    book = Book(OCA_LEVELS)
    book.invoice("INV", date(2024, 1, 1), "500.00")
    book.issue(date(2024, 4, 1))
    earlier = book.row(date(2024, 3, 17))
    assert (earlier.niveau, earlier.editee) == (1, False)
