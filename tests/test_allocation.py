"""Payments and credit notes lettered to no invoice: said by the row, or allocated.

"Signaler" (the default) keeps the guide's two figures and says what no invoice
took; "Imputer sur les plus anciennes factures" allocates it first, oldest due date
first. Either way, a reminder never asks more than the customer owes.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from test_engine import (
    DEFAULTS,
    TODAY,
    credit_note,
    customer,
    invoice,
    issued,
    ledger,
    ledgers,
    payment,
)

from relances_xl.model import AVOIR, EXCEDENT, REGLEMENT, Filters, Ledger, Payment
from relances_xl.rules.allocation import allocate_oldest_first
from relances_xl.rules.engine import compute_reminders


def applied(book: Ledger, *, fifo: bool = False, on: date = TODAY):
    if fifo:
        book, _ = allocate_oldest_first(book, on)
    rows, problems = compute_reminders(book, DEFAULTS, Filters(date=on))
    assert problems == []
    return rows


def never_lettered() -> Ledger:
    """Three invoices, two payments that name none of them."""
    return ledger(customer(),
                  invoice("F1", "100.00", jours_retard=90),
                  invoice("F2", "200.00", jours_retard=60),
                  invoice("F3", "300.00", jours_retard=30),
                  payment("150.00", numero="R1", days_ago=50),
                  payment("100.00", numero="R2", days_ago=20))


def test_a_payment_never_lettered_lowers_what_the_letter_asks_not_the_encours():
    [row] = applied(never_lettered())
    assert (row.solde_comptable, row.encours_relance) == (D("350.00"), D("600.00"))
    assert row.a_relancer and row.motif == "Règlements non lettrés : 250,00\u00a0€"
    assert [(c.numero, c.montant, c.kind) for c in row.credits] == [
        ("R1", D("150.00"), REGLEMENT), ("R2", D("100.00"), REGLEMENT)]
    assert (row.non_impute, row.a_regler) == (D("250.00"), D("350.00"))


def test_imputing_allocates_the_oldest_invoices_first_and_the_row_follows():
    allocated, count = allocate_oldest_first(never_lettered(), TODAY)
    assert count == 2
    assert [(p.numero, p.montant, p.piece_lettree) for p in allocated.payments] == [
        ("R1", D("100.00"), "F1"), ("R1", D("50.00"), "F2"), ("R2", D("100.00"), "F2")]
    [row] = applied(never_lettered(), fifo=True)
    assert (row.solde_comptable, row.encours_relance, row.motif) == (
        D("350.00"), D("350.00"), "")
    assert [(ln.invoice.piece, ln.reste_du) for ln in row.lines] == [
        ("F2", D("50.00")), ("F3", D("300.00"))]
    assert row.a_regler == D("350.00")


def test_imputing_moves_the_levels_with_the_allocated_amounts():
    """F1, reminded twice, is paid once the payments are allocated: F2 sets the level."""
    book = ledger(*never_lettered().customers, *never_lettered().invoices,
                  *never_lettered().payments, issued("F1", 2, 40), issued("F2", 1, 40))
    [signaled] = applied(book)
    [imputed] = applied(book, fifo=True)
    assert signaled.niveau == 3  # F1 at its third level
    assert imputed.niveau == 2 and "F1" not in [ln.invoice.piece for ln in imputed.lines]


def test_a_credit_note_not_imputed_is_said_apart_and_deducted():
    book = ledger(customer(), invoice("F1", "500.00", jours_retard=40),
                  credit_note("AV1", "120.00", jours_retard=5))
    [row] = applied(book)
    assert (row.solde_comptable, row.encours_relance) == (D("380.00"), D("500.00"))
    assert row.motif == "Avoirs non imputés : 120,00\u00a0€"
    assert [(c.numero, c.kind) for c in row.credits] == [("AV1", AVOIR)]
    assert row.a_regler == D("380.00")
    [imputed] = applied(book, fifo=True)
    assert (imputed.encours_relance, imputed.motif, imputed.credits) == (D("380.00"), "", ())


def test_a_credit_beyond_every_open_invoice_stays_said():
    book = ledger(customer(), invoice("F1", "100.00", jours_retard=40),
                  payment("130.00", numero="R1"))
    for fifo in (False, True):
        rows = applied(book, fifo=fifo)
        if fifo:
            assert rows == []  # F1 paid: nothing to remind
        else:
            [row] = rows
            assert (row.a_relancer, row.a_regler) == (False, D("0.00"))


def test_disputed_and_later_invoices_take_nothing_and_later_payments_wait():
    book = ledger(customer(), invoice("F1", "100.00", jours_retard=60, litige=True),
                  invoice("F2", "100.00", jours_retard=30),
                  invoice("F3", "100.00", jours_retard=-40, date_piece=TODAY + timedelta(days=1)),
                  payment("150.00", numero="R1", days_ago=10),
                  payment("70.00", numero="R2", days_ago=-5))
    allocated, count = allocate_oldest_first(book, TODAY)
    assert count == 1
    lettered = [(p.numero, p.montant, p.piece_lettree) for p in allocated.payments]
    assert lettered == [("R1", D("100.00"), "F2"), ("R1", D("50.00"), ""),
                        ("R2", D("70.00"), "")]


def test_a_payment_beyond_its_invoice_is_a_credit_too():
    """100 lettered twice to F1 (100): F2's letter asks 50, the balance."""
    book = ledger(customer(), invoice("F1", "100.00", jours_retard=60),
                  invoice("F2", "100.00", jours_retard=30),
                  payment("100.00", lettree="F1", numero="R1"),
                  payment("50.00", lettree="F1", numero="R2"))
    [row] = applied(book)
    assert (row.solde_comptable, row.encours_relance) == (D("50.00"), D("100.00"))
    assert [(c.montant, c.kind) for c in row.credits] == [(D("50.00"), EXCEDENT)]
    assert row.a_regler == D("50.00")
    assert row.motif == "Règlements non lettrés : 50,00\u00a0€"


def test_a_payment_lettered_to_an_invoice_not_posted_is_a_credit():
    book = ledger(customer(), invoice("F1", "100.00", jours_retard=60),
                  invoice("F9", "80.00", jours_retard=30, comptabilisee=False),
                  payment("80.00", lettree="F9", numero="R1"))
    [row] = applied(book)
    assert (row.solde_comptable, row.a_regler) == (D("20.00"), D("20.00"))
    assert [(c.montant, c.kind) for c in row.credits] == [(D("80.00"), EXCEDENT)]


def test_the_sample_keeps_the_guides_figures_and_names_the_unallocated_payment():
    from test_engine import _sample_ledger

    rows, _ = compute_reminders(_sample_ledger(), DEFAULTS, Filters(date=date(2022, 9, 15)))
    row = next(r for r in rows if (r.tiers, r.societe) == ("1FRNEG", "VIGNE"))
    assert (row.solde_comptable, row.encours_relance, row.a_relancer) == (
        D("216.00"), D("11063.80"), True)
    assert row.motif == "Règlements non lettrés : 10\u202f847,80\u00a0€"
    assert row.a_regler == D("216.00")


@hypothesis_settings(max_examples=200, deadline=None)
@given(ledgers())
def test_either_way_no_row_asks_more_than_the_balance(book: Ledger):
    for fifo in (False, True):
        for row in applied(book, fifo=fifo):
            assert row.a_regler <= max(row.solde_comptable, D(0))
            if fifo:  # what allocation left: credits no open undisputed invoice could take
                assert all(c.montant > 0 for c in row.credits)


@hypothesis_settings(max_examples=200, deadline=None)
@given(ledgers())
def test_allocating_changes_no_balance_and_no_total(book: Ledger):
    allocated, _ = allocate_oldest_first(book, TODAY)
    paid = sum((p.montant for p in book.payments), D(0))
    assert sum((p.montant for p in allocated.payments if p.mode_reglement != "Avoir"),
               D(0)) == paid
    before = {(r.tiers, r.societe): r.solde_comptable for r in applied(book)}
    after = {(r.tiers, r.societe): r.solde_comptable for r in applied(allocated)}
    assert {k: v for k, v in after.items() if k in before} == {
        k: v for k, v in before.items() if k in after}
    assert all(isinstance(p, Payment) for p in allocated.payments)
