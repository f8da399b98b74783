"""The reminder engine, one test per rule of the "relances clients" table.

Every test builds a tiny ledger with the model dataclasses, applies the engine at
the reference date `TODAY` and checks exact cents, levels, ticks and motifs.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from relances_xl import layout, sample
from relances_xl.config import CALL_LEVELS, DEFAULT_LEVELS, ExchangeRate, Level, Settings
from relances_xl.model import (
    DEFAULT_CURRENCY,
    Customer,
    Filters,
    HistoryEntry,
    Invoice,
    Ledger,
    Payment,
    ReminderRow,
)
from relances_xl.rules.engine import compute_reminders
from relances_xl.texts import euros

TODAY = date(2024, 3, 31)
DEFAULTS = Settings(levels=DEFAULT_LEVELS)
MINIMUM_MOTIF = f"Encours relancé inférieur au montant minimum ({euros(Decimal('10.00'))})"


# --- small builders ---------------------------------------------------------------------


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def customer(code: str = "C1", **fields: object) -> Customer:
    fields.setdefault("nom", f"Client {code}")
    return Customer(tiers=code, **fields)  # type: ignore[arg-type]


def invoice(
    piece: str = "F1",
    montant: str = "100.00",
    *,
    jours_retard: int = 10,
    tiers: str = "C1",
    societe: str = "S1",
    **fields: object,
) -> Invoice:
    """An invoice due `jours_retard` days before TODAY, dated 30 days before its due date."""
    echeance = ago(jours_retard)
    fields.setdefault("date_piece", echeance - timedelta(days=30))
    return Invoice(
        societe=societe,
        piece=piece,
        tiers=tiers,
        echeance=echeance,
        montant=Decimal(montant),
        **fields,  # type: ignore[arg-type]
    )


def credit_note(piece: str = "AV1", montant: str = "100.00", **fields: object) -> Invoice:
    return invoice(piece, montant, avoir=True, **fields)


def payment(
    montant: str,
    *,
    lettree: str = "",
    days_ago: int = 1,
    tiers: str = "C1",
    societe: str = "S1",
    numero: str = "R1",
) -> Payment:
    return Payment(
        societe=societe,
        numero=numero,
        tiers=tiers,
        date=ago(days_ago),
        montant=Decimal(montant),
        piece_lettree=lettree,
    )


def issued(
    piece: str, niveau: int, days_ago: int, *, tiers: str = "C1", societe: str = "S1"
) -> HistoryEntry:
    return HistoryEntry(
        date=ago(days_ago), societe=societe, tiers=tiers, piece=piece, niveau=niveau
    )


def ledger(*items: object) -> Ledger:
    """A ledger from customers, invoices, payments and history entries in any order."""
    return Ledger(
        customers=tuple(i for i in items if isinstance(i, Customer)),
        invoices=tuple(i for i in items if isinstance(i, Invoice)),
        payments=tuple(i for i in items if isinstance(i, Payment)),
        history=tuple(i for i in items if isinstance(i, HistoryEntry)),
    )


def rows_for(
    *items: object, settings: Settings = DEFAULTS, on: date = TODAY, **filters: set[str]
) -> list[ReminderRow]:
    chosen = {name: frozenset(values) for name, values in filters.items()}
    rows, problems = compute_reminders(ledger(*items), settings, Filters(date=on, **chosen))
    assert problems == []
    return rows


def only_row(*items: object, **kwargs: object) -> ReminderRow:
    rows = rows_for(*items, **kwargs)  # type: ignore[arg-type]
    assert len(rows) == 1, rows
    return rows[0]


def line_levels(row: ReminderRow) -> dict[str, tuple[int, bool]]:
    return {ln.invoice.piece: (ln.niveau, ln.due) for ln in row.lines}


def with_levels(*levels: Level, **fields: object) -> Settings:
    return Settings(levels=levels, **fields)  # type: ignore[arg-type]


# --- échu and days late -----------------------------------------------------------------


def test_invoice_due_today_is_echu_with_zero_days_late():
    row = only_row(customer(), invoice(jours_retard=0))
    assert [ln.jours_retard for ln in row.lines] == [0]
    assert row.niveau == 1
    assert row.encours_relance == Decimal("100.00")


def test_invoice_due_tomorrow_is_not_echu():
    assert rows_for(customer(), invoice(jours_retard=-1)) == []


def test_days_late_count_calendar_days_from_due_date():
    row = only_row(customer(), invoice(jours_retard=45))
    assert row.lines[0].jours_retard == 45


def test_grace_days_delay_echu():
    grace = with_levels(*DEFAULT_LEVELS, jours_grace=5)
    assert rows_for(customer(), invoice(jours_retard=4), settings=grace) == []


def test_invoice_due_exactly_grace_days_ago_is_echu_and_days_late_ignore_grace():
    grace = with_levels(*DEFAULT_LEVELS, jours_grace=5)
    row = only_row(customer(), invoice(jours_retard=5), settings=grace)
    assert row.lines[0].jours_retard == 5
    assert row.niveau == 1


def test_non_echu_invoice_is_not_a_line_of_the_row():
    row = only_row(customer(), invoice("F1", "100.00", jours_retard=3),
                   invoice("F2", "900.00", jours_retard=-3))
    assert [ln.invoice.piece for ln in row.lines] == ["F1"]
    assert row.encours_relance == Decimal("100.00")


# --- which invoices are reminded --------------------------------------------------------


def test_unposted_invoice_is_not_reminded():
    assert rows_for(customer(), invoice(comptabilisee=False)) == []


def test_disputed_invoice_is_not_reminded():
    assert rows_for(customer(), invoice(litige=True)) == []


def test_credit_note_is_never_reminded():
    assert rows_for(customer(), credit_note(jours_retard=40)) == []


def test_disputed_invoice_is_left_out_of_a_row_due_for_another_invoice():
    row = only_row(customer(), invoice("F1", "100.00"), invoice("F2", "980.00", litige=True))
    assert [ln.invoice.piece for ln in row.lines] == ["F1"]
    assert row.encours_relance == Decimal("100.00")


def test_unposted_invoice_is_left_out_of_a_row_due_for_another_invoice():
    row = only_row(
        customer(), invoice("F1", "100.00"), invoice("F2", "500.00", comptabilisee=False)
    )
    assert row.encours_relance == Decimal("100.00")


def test_fully_paid_invoice_is_not_reminded():
    assert rows_for(customer(), invoice("F1", "100.00"), payment("100.00", lettree="F1")) == []


def test_overpaid_invoice_is_not_reminded():
    assert rows_for(customer(), invoice("F1", "100.00"), payment("150.00", lettree="F1")) == []


def test_invoice_of_zero_with_nothing_paid_is_not_reminded():
    assert rows_for(customer(), invoice("F1", "0.00")) == []


def test_payment_equal_to_what_is_left_after_another_settles_the_invoice():
    assert rows_for(
        customer(),
        invoice("F1", "100.00"),
        payment("60.00", lettree="F1", numero="R1"),
        payment("40.00", lettree="F1", numero="R2"),
    ) == []


def test_partial_payment_lettered_to_invoice_reduces_its_open_amount():
    row = only_row(customer(), invoice("F1", "2450.00"), payment("450.00", lettree="F1"))
    assert row.encours_relance == Decimal("2000.00")
    assert row.lines[0].reste_du == Decimal("2000.00")


def test_several_lettered_payments_add_up():
    row = only_row(
        customer(),
        invoice("F1", "1000.00"),
        payment("300.00", lettree="F1", numero="R1"),
        payment("200.50", lettree="F1", numero="R2"),
    )
    assert row.encours_relance == Decimal("499.50")


def test_unlettered_payment_does_not_reduce_open_amount():
    row = only_row(customer(), invoice("F1", "1000.00"), payment("400.00"))
    assert row.encours_relance == Decimal("1000.00")
    assert row.solde_comptable == Decimal("600.00")


def test_payment_lettered_after_the_date_does_not_reduce_open_amount():
    row = only_row(
        customer(), invoice("F1", "1000.00"), payment("1000.00", lettree="F1", days_ago=-1)
    )
    assert row.encours_relance == Decimal("1000.00")


def test_payment_lettered_on_the_date_settles_the_invoice():
    assert rows_for(customer(), invoice("F1"), payment("100.00", lettree="F1", days_ago=0)) == []


def test_payment_lettered_to_same_number_in_another_company_does_not_reduce_open_amount():
    row = only_row(
        customer(),
        invoice("F1", "1000.00", societe="S1"),
        payment("1000.00", lettree="F1", societe="S2"),
    )
    assert row.societe == "S1"
    assert row.encours_relance == Decimal("1000.00")


def test_invoice_of_unknown_customer_is_not_reminded():
    assert rows_for(customer("C1"), invoice(tiers="C9")) == []


# --- levels -----------------------------------------------------------------------------


def test_invoice_never_reminded_gets_level_one():
    row = only_row(customer(), invoice(jours_retard=10))
    assert line_levels(row) == {"F1": (1, True)}
    assert row.niveau == 1


def test_invoice_never_reminded_gets_level_one_even_when_very_late():
    row = only_row(customer(), invoice(jours_retard=120))
    assert row.niveau == 1


def test_level_one_waits_for_its_days_late_threshold():
    levels = (Level(1, 5, 0, "LET01"), *DEFAULT_LEVELS[1:])
    assert rows_for(customer(), invoice(jours_retard=4), settings=with_levels(*levels)) == []
    row = only_row(customer(), invoice(jours_retard=5), settings=with_levels(*levels))
    assert row.niveau == 1


def test_line_below_level_one_threshold_shows_level_zero_in_a_due_row():
    levels = (Level(1, 5, 0, "LET01"), *DEFAULT_LEVELS[1:])
    row = only_row(
        customer(), invoice("F1", jours_retard=4), invoice("F2", jours_retard=8),
        settings=with_levels(*levels)
    )
    assert line_levels(row) == {"F1": (0, False), "F2": (1, True)}
    assert row.encours_relance == Decimal("200.00")
    assert row.niveau == 1


def test_level_two_after_level_one_when_late_and_delay_are_met():
    row = only_row(customer(), invoice(jours_retard=20), issued("F1", 1, days_ago=15))
    assert line_levels(row) == {"F1": (2, True)}
    assert row.niveau == 2


def test_level_two_waits_for_days_since_previous_reminder():
    assert rows_for(customer(), invoice(jours_retard=40), issued("F1", 1, days_ago=14)) == []


def test_level_two_waits_for_its_days_late():
    assert rows_for(customer(), invoice(jours_retard=14), issued("F1", 1, days_ago=14 + 30)) == []


def test_waiting_invoice_shows_its_last_issued_level_in_a_row_due_for_another():
    row = only_row(
        customer(), invoice("F1", jours_retard=40), issued("F1", 1, days_ago=5),
        invoice("F2", jours_retard=3)
    )
    assert line_levels(row) == {"F1": (1, False), "F2": (1, True)}
    assert row.niveau == 1


def test_row_level_is_highest_line_level():
    row = only_row(
        customer(), invoice("F1", jours_retard=40), issued("F1", 1, days_ago=20),
        invoice("F2", jours_retard=3)
    )
    assert line_levels(row) == {"F1": (2, True), "F2": (1, True)}
    assert row.niveau == 2


def test_row_level_can_come_from_a_waiting_line():
    row = only_row(
        customer(), invoice("F1", jours_retard=40), issued("F1", 2, days_ago=5),
        invoice("F2", jours_retard=3)
    )
    assert line_levels(row) == {"F1": (2, False), "F2": (1, True)}
    assert row.niveau == 2


def test_level_three_after_level_two():
    row = only_row(customer(), invoice(jours_retard=45), issued("F1", 2, days_ago=15))
    assert row.niveau == 3


def test_level_three_waits_for_thirty_days_late():
    assert rows_for(customer(), invoice(jours_retard=29), issued("F1", 2, days_ago=15)) == []


def test_levels_are_never_skipped():
    row = only_row(customer(), invoice(jours_retard=90), issued("F1", 1, days_ago=60))
    assert row.niveau == 2


def test_last_level_repeats_after_its_delay():
    row = only_row(customer(), invoice(jours_retard=90), issued("F1", 3, days_ago=15))
    assert line_levels(row) == {"F1": (3, True)}


def test_last_level_does_not_repeat_before_its_delay():
    assert rows_for(customer(), invoice(jours_retard=90), issued("F1", 3, days_ago=14)) == []


def test_level_is_computed_from_latest_reminder_whatever_the_order_of_the_history():
    first, second = issued("F1", 1, days_ago=60), issued("F1", 2, days_ago=30)
    for history in ((first, second), (second, first)):
        assert only_row(customer(), invoice(jours_retard=90), *history).niveau == 3, history


def test_two_letters_the_same_day_count_as_the_higher_level():
    for history in ((issued("F1", 2, days_ago=30), issued("F1", 1, days_ago=30)),
                    (issued("F1", 1, days_ago=30), issued("F1", 2, days_ago=30))):
        row = only_row(customer(), invoice(jours_retard=90), *history)
        assert row.niveau == 3, history


def test_reminder_issued_after_the_date_is_ignored():
    row = only_row(customer(), invoice(jours_retard=20), issued("F1", 2, days_ago=-3))
    assert line_levels(row) == {"F1": (1, True)}


def test_invoice_issued_today_is_not_due_again_but_row_shows_issued_level():
    row = only_row(customer(), invoice(jours_retard=20), issued("F1", 1, days_ago=0))
    assert line_levels(row) == {"F1": (1, False)}
    assert row.editee is True
    assert row.niveau == 1
    assert row.encours_relance == Decimal("100.00")


def test_invoice_issued_today_at_level_two_shows_level_two():
    row = only_row(
        customer(), invoice(jours_retard=40), issued("F1", 1, days_ago=25),
        issued("F1", 2, days_ago=0)
    )
    assert line_levels(row) == {"F1": (2, False)}
    assert row.editee is True


def test_letter_issued_today_is_not_due_again_even_when_next_level_has_no_delay():
    levels = (Level(1, 0, 0, "LET01"), Level(2, 0, 0, "LET02"))
    row = only_row(
        customer(), invoice(jours_retard=20), issued("F1", 1, days_ago=0),
        settings=with_levels(*levels)
    )
    assert line_levels(row) == {"F1": (1, False)}
    assert (row.niveau, row.editee) == (1, True)


def test_next_level_with_no_delay_is_due_the_day_after_a_letter():
    levels = (Level(1, 0, 0, "LET01"), Level(2, 0, 0, "LET02"))
    row = only_row(
        customer(), invoice(jours_retard=20), issued("F1", 1, days_ago=1),
        settings=with_levels(*levels)
    )
    assert line_levels(row) == {"F1": (2, True)}
    assert row.editee is False


def test_row_not_issued_today_is_not_editee():
    row = only_row(customer(), invoice(jours_retard=40), issued("F1", 1, days_ago=25))
    assert row.editee is False


def test_row_with_due_invoice_and_invoice_issued_today_is_editee():
    row = only_row(
        customer(), invoice("F1", jours_retard=20), issued("F1", 1, days_ago=0),
        invoice("F2", jours_retard=2)
    )
    assert row.editee is True
    assert line_levels(row) == {"F1": (1, False), "F2": (1, True)}


def test_being_listed_again_at_the_same_level_does_not_restart_the_clock():
    """F1 got level 1 twenty days ago; a letter for F2 listed it again five days ago."""
    row = only_row(customer(), invoice("F1", jours_retard=40), issued("F1", 1, days_ago=20),
                   issued("F1", 1, days_ago=5), invoice("F2", jours_retard=5),
                   issued("F2", 1, days_ago=5))
    assert line_levels(row) == {"F1": (2, True), "F2": (1, False)}


def test_the_clock_runs_from_the_first_letter_at_the_current_level_exactly_its_delay_ago():
    levels = issued("F1", 1, days_ago=14), issued("F1", 1, days_ago=3)
    assert rows_for(customer(), invoice(jours_retard=40), *levels) == []
    levels = issued("F1", 1, days_ago=15), issued("F1", 1, days_ago=3)
    assert line_levels(only_row(customer(), invoice(jours_retard=40), *levels)) == {"F1": (2, True)}


def test_the_last_level_repeats_counted_from_its_latest_letter():
    assert rows_for(customer(), invoice(jours_retard=90), issued("F1", 3, days_ago=40),
                    issued("F1", 3, days_ago=14)) == []
    row = only_row(customer(), invoice(jours_retard=90), issued("F1", 3, days_ago=40),
                   issued("F1", 3, days_ago=15))
    assert line_levels(row) == {"F1": (3, True)}


def test_a_level_given_again_after_a_lower_one_restarts_from_that_letter():
    """Odd history (levels typed by hand): the run of letters at the current level counts."""
    history = issued("F1", 2, days_ago=60), issued("F1", 1, days_ago=40)
    assert rows_for(customer(), invoice(jours_retard=90), *history,
                    issued("F1", 2, days_ago=10)) == []
    row = only_row(customer(), invoice(jours_retard=90), *history, issued("F1", 2, days_ago=15))
    assert line_levels(row) == {"F1": (3, True)}


def test_a_listing_at_level_zero_is_not_a_reminder():
    """Listed (not reminded) two days ago: level 1 still counts only its own delays."""
    levels = (Level(1, 5, 5, "LET01"), *DEFAULT_LEVELS[1:])
    row = only_row(customer(), invoice("F1", jours_retard=6), issued("F1", 0, days_ago=2),
                   invoice("F2", jours_retard=30), issued("F2", 1, days_ago=2),
                   settings=with_levels(*levels))
    assert line_levels(row)["F1"] == (1, True)


def test_f0_to_f4_reminded_at_each_due_date_reach_level_three_on_the_tenth_of_february():
    """Issue 14's timeline, engine only: each letter records each line at its own level."""
    dues = [date(2024, 1, 1), date(2024, 1, 11), date(2024, 1, 21), date(2024, 1, 31),
            date(2024, 2, 10)]
    invoices = [Invoice("S1", f"F{n}", "C1", due - timedelta(days=30), due, Decimal("100.00"))
                for n, due in enumerate(dues)]
    history: list[HistoryEntry] = []
    for on in dues:
        book = Ledger((customer(),), tuple(invoices), (), tuple(history))
        (row,), _ = compute_reminders(book, DEFAULTS, Filters(date=on))
        if on == dues[-1]:
            break
        history += [HistoryEntry(on, "S1", "C1", ln.invoice.piece, ln.niveau)
                    for ln in row.lines]
    assert row.niveau == 3
    assert line_levels(row) == {"F0": (3, True), "F1": (2, False), "F2": (2, True),
                                "F3": (1, False), "F4": (1, True)}
    # every line at the row's level: 100.00 x 12.15 % x 40, 30, 20, 10, 0 days / 365
    # = 1.33 + 1.00 + 0.67 + 0.33 + 0.00, plus 40.00 for each of the five invoices
    assert [ln.interets for ln in row.lines] == [
        Decimal(x) for x in ("1.33", "1.00", "0.67", "0.33", "0.00")]
    assert row.agios_reclames == Decimal("3.33") + 5 * Decimal("40.00")


def test_history_of_another_company_does_not_count():
    row = only_row(
        customer(), invoice(jours_retard=40, societe="S1"),
        issued("F1", 1, days_ago=25, societe="S2")
    )
    assert row.niveau == 1


# --- rows -------------------------------------------------------------------------------


def test_customer_with_nothing_due_has_no_row():
    assert rows_for(customer(), invoice(jours_retard=-5)) == []


def test_one_row_per_customer_and_company():
    rows = rows_for(
        customer("C1"),
        customer("C2"),
        invoice("F1", tiers="C1", societe="S1"),
        invoice("F2", tiers="C1", societe="S1"),
        invoice("F3", tiers="C1", societe="S2"),
        invoice("F4", tiers="C2", societe="S1"),
    )
    assert [(r.tiers, r.societe, r.encours_relance) for r in rows] == [
        ("C1", "S1", Decimal("200.00")),
        ("C1", "S2", Decimal("100.00")),
        ("C2", "S1", Decimal("100.00")),
    ]


def test_rows_are_sorted_by_customer_then_company():
    rows = rows_for(
        customer("ZED"),
        customer("ABC"),
        invoice("F1", tiers="ZED", societe="A"),
        invoice("F2", tiers="ABC", societe="B"),
        invoice("F3", tiers="ABC", societe="A"),
    )
    assert [(r.tiers, r.societe) for r in rows] == [("ABC", "A"), ("ABC", "B"), ("ZED", "A")]


def test_rows_of_a_customer_follow_the_companies_order_not_the_ledger_order():
    rows = rows_for(
        customer("ABC"),
        invoice("F1", tiers="ABC", societe="SUD"),
        invoice("F2", tiers="ABC", societe="NORD"),
        invoice("F3", tiers="ABC", societe="EST"),
    )
    assert [r.societe for r in rows] == ["EST", "NORD", "SUD"]


def test_encours_is_sum_of_open_amounts_of_lines():
    row = only_row(
        customer(),
        invoice("F1", "1500.00"),
        invoice("F2", "6000.00"),
        invoice("F3", "5063.80"),
        payment("1500.00", lettree="F1"),
    )
    assert row.encours_relance == Decimal("11063.80")
    assert sorted(ln.invoice.piece for ln in row.lines) == ["F2", "F3"]


def test_adresse_is_name_dash_postcode_and_town():
    row = only_row(
        customer(
            nom="MME toulouse amelie",
            code_postal="51100",
            ville="REIMS",
            adresse1="12 rue de Vesle",
        ),
        invoice(),
    )
    assert row.adresse == "MME toulouse amelie - 51100 REIMS"


def test_adresse_follows_a_customer_changed_by_replace():
    moved = replace(customer(nom="SARL Vigne", code_postal="51100", ville="REIMS"),
                    code_postal="", ville="EPERNAY")
    assert only_row(moved, invoice()).adresse == "SARL Vigne - EPERNAY"


# --- solde comptable --------------------------------------------------------------------


def test_solde_is_posted_invoices_minus_credit_notes_minus_payments():
    row = only_row(
        customer(),
        invoice("F1", "1000.00"),
        invoice("F2", "500.00", jours_retard=-10),
        credit_note("AV1", "200.00"),
        payment("150.00", lettree="F1"),
        payment("50.00", numero="R2"),
    )
    assert row.solde_comptable == Decimal("1100.00")


def test_solde_ignores_unposted_invoices():
    row = only_row(
        customer(), invoice("F1", "100.00"), invoice("F2", "500.00", comptabilisee=False)
    )
    assert row.solde_comptable == Decimal("100.00")


def test_solde_ignores_unposted_credit_notes():
    row = only_row(
        customer(), invoice("F1", "100.00"), credit_note("AV1", "40.00", comptabilisee=False)
    )
    assert row.solde_comptable == Decimal("100.00")


def test_solde_counts_disputed_invoices():
    row = only_row(customer(), invoice("F1", "100.00"), invoice("F2", "980.00", litige=True))
    assert row.solde_comptable == Decimal("1080.00")


def test_solde_ignores_pieces_dated_after_the_date():
    row = only_row(
        customer(),
        invoice("F1", "100.00"),
        invoice("F2", "500.00", jours_retard=-40, date_piece=ago(-1)),
        credit_note("AV1", "30.00", date_piece=ago(-1)),
        payment("20.00", days_ago=-1),
    )
    assert row.solde_comptable == Decimal("100.00")


def test_solde_counts_only_this_customer_in_this_company():
    row = only_row(
        customer("C1"),
        customer("C2"),
        invoice("F1", "100.00", tiers="C1", societe="S1"),
        invoice("F2", "500.00", tiers="C1", societe="S2", jours_retard=-5),
        invoice("F3", "700.00", tiers="C2", societe="S1", jours_retard=-5),
        payment("30.00", tiers="C1", societe="S2"),
        payment("40.00", tiers="C2", societe="S1", numero="R2"),
    )
    assert (row.tiers, row.societe, row.solde_comptable) == ("C1", "S1", Decimal("100.00"))


# --- agios ------------------------------------------------------------------------------


def test_no_agios_at_levels_without_interest():
    row = only_row(customer(), invoice("F1", "1000.00", jours_retard=40),
                   issued("F1", 1, days_ago=20))
    assert row.niveau == 2
    assert row.agios_reclames == Decimal("0.00")


def test_level_three_claims_interest_at_annual_rate_plus_indemnity():
    # 1000.00 x 12.15 % x 45 / 365 = 14.9794... -> 14.98, plus 40.00
    row = only_row(customer(), invoice("F1", "1000.00", jours_retard=45),
                   issued("F1", 2, days_ago=15))
    assert row.niveau == 3
    assert (row.lines[0].interets, row.lines[0].indemnite) == (Decimal("14.98"), Decimal("40.00"))
    assert row.agios_reclames == Decimal("54.98")


def test_a_particuliers_first_mise_en_demeure_claims_no_interest_and_no_indemnity():
    """Art. 1231-6 Code civil: interest runs from the mise en demeure, not the due date."""
    row = only_row(
        customer(particulier=True), invoice("F1", "1000.00", jours_retard=45),
        issued("F1", 2, days_ago=15)
    )
    assert row.niveau == 3
    assert (row.lines[0].interets, row.lines[0].indemnite) == (Decimal("0"), Decimal("0"))
    assert row.lines[0].periodes == ()
    assert row.agios_reclames == Decimal("0.00")


def test_a_particuliers_repeated_mise_en_demeure_claims_the_days_since_the_first():
    # 1000.00 x 2.62 % x 15 / 365 = 1.0767... -> 1.08: from the notice of 15 days ago
    row = only_row(customer(particulier=True), invoice("F1", "1000.00", jours_retard=90),
                   issued("F1", 2, days_ago=45), issued("F1", 3, days_ago=15))
    assert line_levels(row) == {"F1": (3, True)}
    assert row.lines[0].interets == Decimal("1.08")
    (period,) = row.lines[0].periodes
    assert (period.du, period.au, period.jours, period.taux) == (
        ago(14), TODAY, 15, Decimal("0.0262"))
    assert row.agios_reclames == Decimal("1.08")


def test_a_particuliers_interest_runs_from_the_first_notice_not_from_later_ones():
    # notices 30 and 15 days ago: 30 days count. 730.00 x 2.62 % x 30 / 365 = 1.572 -> 1.57
    row = only_row(customer(particulier=True), invoice("F1", "730.00", jours_retard=90),
                   issued("F1", 2, days_ago=45), issued("F1", 3, days_ago=30),
                   issued("F1", 3, days_ago=15))
    assert row.lines[0].interets == Decimal("1.57")


def test_a_particuliers_invoice_listed_in_a_notice_at_a_lower_level_runs_from_that_notice():
    """The notice put every sum it listed en demeure: F2, listed there at level 1, too."""
    row = only_row(customer(particulier=True),
                   invoice("F1", "1000.00", jours_retard=90), issued("F1", 2, days_ago=45),
                   issued("F1", 3, days_ago=20),
                   invoice("F2", "365.00", jours_retard=25), issued("F2", 1, days_ago=20))
    # F2: 365.00 x 2.62 % x 20 / 365 = 0.524 -> 0.52 ; F1: 1000.00 x 2.62 % x 20 / 365 -> 1.44
    assert {ln.invoice.piece: ln.interets for ln in row.lines} == {
        "F1": Decimal("1.44"), "F2": Decimal("0.52")}


def test_a_particuliers_notice_issued_today_shows_no_interest_again_the_same_day():
    row = only_row(customer(particulier=True), invoice("F1", "1000.00", jours_retard=45),
                   issued("F1", 2, days_ago=15), issued("F1", 3, days_ago=0))
    assert (row.niveau, row.editee, row.agios_reclames) == (3, True, Decimal("0.00"))


def test_a_professionals_interest_still_runs_from_the_day_after_the_due_date():
    row = only_row(customer(), invoice("F1", "1000.00", jours_retard=45),
                   issued("F1", 2, days_ago=15))
    (period,) = row.lines[0].periodes
    assert (period.du, period.au, period.jours) == (ago(44), TODAY, 45)


def test_indemnity_is_claimed_per_invoice_for_a_professionnel():
    row = only_row(
        customer(),
        invoice("F1", "1000.00", jours_retard=45),
        issued("F1", 2, days_ago=15),
        invoice("F2", "2000.00", jours_retard=60),
        issued("F2", 2, days_ago=20),
    )
    # 14.98 + 40.00 ; 2000.00 x 0.1215 x 60 / 365 = 39.9452... -> 39.95 + 40.00
    assert row.agios_reclames == Decimal("134.93")


def test_agios_follow_the_row_level_for_every_line():
    row = only_row(
        customer(),
        invoice("F1", "1000.00", jours_retard=45),
        issued("F1", 2, days_ago=15),
        invoice("F2", "365.00", jours_retard=10),
    )
    assert line_levels(row) == {"F1": (3, True), "F2": (1, True)}
    # F2 at the row's level 3: 365.00 x 0.1215 x 10 / 365 = 1.215 -> 1.22, plus 40.00
    f2 = next(ln for ln in row.lines if ln.invoice.piece == "F2")
    assert (f2.interets, f2.indemnite) == (Decimal("1.22"), Decimal("40.00"))
    assert row.agios_reclames == Decimal("14.98") + Decimal("40.00") + Decimal("41.22")


def test_interest_is_rounded_half_up_to_the_cent():
    # 365.00 x 1.75 % x 30 / 365 = 0.525 exactly -> 0.53 (half-even would give 0.52)
    row = only_row(
        customer(),
        invoice("F1", "365.00", jours_retard=30),
        issued("F1", 2, days_ago=15),
        settings=with_levels(
            *DEFAULT_LEVELS, taux_annuel=Decimal("0.0175"), indemnite_forfaitaire=Decimal("0.00")
        ),
    )
    assert row.lines[0].interets == Decimal("0.53")
    assert row.agios_reclames == Decimal("0.53")


def test_interest_is_rounded_per_invoice_not_on_the_total():
    # two lines of 0.525 each: 0.53 + 0.53 = 1.06, where rounding the total gives 1.05
    row = only_row(
        customer(),
        invoice("F1", "365.00", jours_retard=30),
        issued("F1", 2, days_ago=15),
        invoice("F2", "365.00", jours_retard=30),
        issued("F2", 2, days_ago=15),
        settings=with_levels(
            *DEFAULT_LEVELS, taux_annuel=Decimal("0.0175"), indemnite_forfaitaire=Decimal("0.00")
        ),
    )
    assert [ln.interets for ln in row.lines] == [Decimal("0.53"), Decimal("0.53")]
    assert row.agios_reclames == Decimal("1.06")


def test_interest_uses_open_amount_after_lettered_payments():
    # paid before the due date: (1000.00 - 270.00) x 0.1215 x 45 / 365 = 10.9350 -> 10.94
    row = only_row(
        customer(),
        invoice("F1", "1000.00", jours_retard=45),
        issued("F1", 2, days_ago=15),
        payment("270.00", lettree="F1", days_ago=60),
    )
    assert row.lines[0].interets == Decimal("10.94")


def test_a_part_paid_late_bears_interest_until_the_day_it_was_paid():
    # paid yesterday: 1000.00 for 44 days, then 730.00 for today:
    # (1000 x 44 + 730 x 1) x 0.1215 / 365 = 14.8896 -> 14.89
    row = only_row(
        customer(),
        invoice("F1", "1000.00", jours_retard=45),
        issued("F1", 2, days_ago=15),
        payment("270.00", lettree="F1", days_ago=1),
    )
    assert row.lines[0].interets == Decimal("14.89")


def test_level_fees_are_claimed_once_per_row():
    levels = (Level(1, 0, 0, "LET01", frais=Decimal("5.00")), *DEFAULT_LEVELS[1:])
    row = only_row(
        customer(), invoice("F1"), invoice("F2"), invoice("F3"), settings=with_levels(*levels)
    )
    assert row.frais == Decimal("5.00")
    assert row.agios_reclames == Decimal("5.00")


def test_level_fees_add_to_interest_and_indemnity():
    levels = (
        *DEFAULT_LEVELS[:2],
        Level(3, 30, 15, "LET03", frais=Decimal("12.50"), interets=True, indemnite=True),
    )
    row = only_row(
        customer(),
        invoice("F1", "1000.00", jours_retard=45),
        issued("F1", 2, days_ago=15),
        settings=with_levels(*levels),
    )
    assert row.agios_reclames == Decimal("14.98") + Decimal("40.00") + Decimal("12.50")


def test_indemnity_without_interest_when_level_says_so():
    levels = (*DEFAULT_LEVELS[:2], Level(3, 30, 15, "LET03", indemnite=True))
    row = only_row(
        customer(),
        invoice("F1", "1000.00", jours_retard=45),
        issued("F1", 2, days_ago=15),
        settings=with_levels(*levels),
    )
    assert row.agios_reclames == Decimal("40.00")


def test_custom_indemnity_amount():
    row = only_row(
        customer(),
        invoice("F1", "365.00", jours_retard=30),
        issued("F1", 2, days_ago=15),
        settings=with_levels(*DEFAULT_LEVELS, indemnite_forfaitaire=Decimal("100.00")),
    )
    # 365.00 x 0.1215 x 30 / 365 = 3.645 -> 3.65
    assert row.agios_reclames == Decimal("103.65")


def test_row_issued_today_at_level_three_still_shows_its_agios():
    row = only_row(customer(), invoice("F1", "1000.00", jours_retard=45),
                   issued("F1", 3, days_ago=0))
    assert row.niveau == 3
    assert row.editee is True
    assert row.agios_reclames == Decimal("54.98")


# --- ticked or not ----------------------------------------------------------------------


def test_row_is_ticked_with_empty_motif_by_default():
    row = only_row(customer(), invoice("F1", "100.00"))
    assert (row.a_relancer, row.motif) == (True, "")


def test_blocked_customer_is_unticked():
    row = only_row(customer(bloque=True), invoice("F1", "100.00"))
    assert (row.a_relancer, row.motif) == (False, "Client bloqué en relance")


def test_non_positive_solde_unticks_the_row():
    row = only_row(customer(), invoice("F1", "100.00"), payment("100.00"))
    assert row.solde_comptable == Decimal("0.00")
    assert (row.a_relancer, row.motif) == (
        False, "Solde comptable ≤ 0 ; Règlements non lettrés : 100,00\u00a0€")


def test_negative_solde_unticks_the_row():
    row = only_row(customer(), invoice("F1", "100.00"), payment("130.00"))
    assert row.solde_comptable == Decimal("-30.00")
    assert (row.a_relancer, row.motif) == (
        False, "Solde comptable ≤ 0 ; Règlements non lettrés : 130,00\u00a0€")
    assert row.a_regler == Decimal("0.00")


def test_non_positive_solde_stays_ticked_when_setting_is_off():
    keep = with_levels(*DEFAULT_LEVELS, decocher_solde_negatif=False)
    row = only_row(customer(), invoice("F1", "100.00"), payment("100.00"), settings=keep)
    assert (row.a_relancer, row.motif) == (True, "Règlements non lettrés : 100,00\u00a0€")
    assert (row.encours_relance, row.a_regler) == (Decimal("100.00"), Decimal("0.00"))


def test_encours_below_minimum_unticks_the_row():
    row = only_row(customer(), invoice("F1", "9.99"))
    assert (row.a_relancer, row.motif) == (False, MINIMUM_MOTIF)


def test_encours_equal_to_minimum_stays_ticked():
    row = only_row(customer(), invoice("F1", "10.00"))
    assert (row.a_relancer, row.motif) == (True, "")


def test_minimum_motif_names_the_configured_minimum():
    raised = with_levels(*DEFAULT_LEVELS, montant_minimum=Decimal("1500.00"))
    row = only_row(customer(), invoice("F1", "1000.00"), settings=raised)
    expected = f"Encours relancé inférieur au montant minimum ({euros(Decimal('1500.00'))})"
    assert (row.a_relancer, row.motif) == (False, expected)
    assert "500,00" in row.motif


def test_several_reasons_are_joined_with_semicolons():
    row = only_row(customer(bloque=True), invoice("F1", "5.00"), payment("5.00"))
    assert row.a_relancer is False
    assert row.motif == (f"Client bloqué en relance ; Solde comptable ≤ 0 ; {MINIMUM_MOTIF} ; "
                         "Règlements non lettrés : 5,00\u00a0€")


# --- filters ----------------------------------------------------------------------------


def _three_customers() -> tuple[object, ...]:
    return (
        customer("1FRNEG", famille="NEGOCE", representant="REP01", mode_reglement="VIR"),
        customer("2FRPAR", famille="PARTICULIER", representant="REP02", mode_reglement="CHQ"),
        customer("5REST", famille="CHR", representant="REP01", mode_reglement="LCR"),
        invoice("F1", tiers="1FRNEG"),
        invoice("F2", tiers="2FRPAR"),
        invoice("F3", tiers="5REST"),
    )


def _tiers(rows: list[ReminderRow]) -> list[str]:
    return [r.tiers for r in rows]


def test_no_filter_keeps_every_customer():
    assert _tiers(rows_for(*_three_customers())) == ["1FRNEG", "2FRPAR", "5REST"]


def test_client_filter_keeps_named_customers_ignoring_case():
    rows = rows_for(*_three_customers(), clients={"1frneg", "5REST"})
    assert _tiers(rows) == ["1FRNEG", "5REST"]


def test_famille_filter():
    assert _tiers(rows_for(*_three_customers(), familles={"chr"})) == ["5REST"]


def test_representant_filter_with_several_values():
    rows = rows_for(*_three_customers(), representants={"rep02", "REP01"})
    assert _tiers(rows) == ["1FRNEG", "2FRPAR", "5REST"]
    assert _tiers(rows_for(*_three_customers(), representants={"Rep01"})) == ["1FRNEG", "5REST"]


def test_mode_filter_falls_back_to_customer_mode():
    assert _tiers(rows_for(*_three_customers(), modes={"chq"})) == ["2FRPAR"]


def test_mode_filter_uses_invoice_own_mode_first():
    rows = rows_for(
        customer("C1", mode_reglement="VIR"),
        invoice("F1", "100.00", mode_reglement="CHQ"),
        invoice("F2", "250.00"),
        modes={"CHQ"},
    )
    assert len(rows) == 1
    assert [ln.invoice.piece for ln in rows[0].lines] == ["F1"]
    assert rows[0].encours_relance == Decimal("100.00")


def test_mode_filter_leaves_out_invoice_with_other_own_mode():
    rows = rows_for(
        customer("C1", mode_reglement="CHQ"), invoice("F1", mode_reglement="VIR"), modes={"CHQ"}
    )
    assert rows == []


def test_societe_filter_ignoring_case():
    rows = rows_for(
        customer(), invoice("F1", societe="VIGNE"), invoice("F2", societe="ZNEG"), societes={"zneg"}
    )
    assert [(r.tiers, r.societe) for r in rows] == [("C1", "ZNEG")]


def test_different_filters_must_all_hold():
    rows = rows_for(
        *_three_customers(), representants={"REP01"}, familles={"NEGOCE", "PARTICULIER"}
    )
    assert _tiers(rows) == ["1FRNEG"]


def test_filter_matching_nothing_gives_no_rows():
    assert rows_for(*_three_customers(), clients={"NOBODY"}) == []


# --- golden: the sample ledger at 27/07/2022 -----------------------------------------------


def _fields(columns: dict[str, str], row: list[object]) -> dict[str, object]:
    assert len(row) == len(columns)
    return dict(zip(columns.values(), row, strict=True))


def _sample_ledger() -> Ledger:
    sheets = sample.sheet_rows()
    customers = []
    for row in sheets[layout.CLIENTS]:
        f = _fields(layout.CLIENTS_COLUMNS, row)
        f["particulier"] = f.pop("type") == "Particulier"
        f["bloque"] = f["bloque"] == "Oui"
        customers.append(Customer(**f))  # type: ignore[arg-type]
    invoices = []
    for row in sheets[layout.FACTURES]:
        f = _fields(layout.FACTURES_COLUMNS, row)
        f["avoir"] = f.pop("type") == "Avoir"
        f["comptabilisee"] = f["comptabilisee"] == "Oui"
        f["litige"] = f["litige"] == "Oui"
        f["devise"] = f["devise"] or DEFAULT_CURRENCY  # an empty Devise is the euro
        invoices.append(Invoice(**f))  # type: ignore[arg-type]
    payments = []
    for r in sheets[layout.REGLEMENTS]:
        f = _fields(layout.REGLEMENTS_COLUMNS, r)
        f["devise"] = f["devise"] or DEFAULT_CURRENCY
        payments.append(Payment(**f))  # type: ignore[arg-type]
    history = [
        HistoryEntry(**_fields(layout.HISTORIQUE_COLUMNS, r))  # type: ignore[arg-type]
        for r in sheets[layout.HISTORIQUE]
    ]
    return Ledger(tuple(customers), tuple(invoices), tuple(payments), tuple(history))


def test_sample_ledger_gives_the_guide_table():
    shipped = Settings(levels=(*DEFAULT_LEVELS, *CALL_LEVELS),  # BONJE: « Avec appel »
                       taux_change=(ExchangeRate("USD", Decimal("1.0150")),))  # NYWINE
    rows, problems = compute_reminders(_sample_ledger(), shipped, Filters(date=sample.DEMO_DATE))
    assert problems == []
    got = [
        (
            r.tiers,
            r.societe,
            r.solde_comptable,
            r.encours_relance,
            r.agios_reclames,
            r.niveau,
            r.a_relancer,
            r.editee,
            r.motif,
        )
        for r in rows
    ]
    d = Decimal
    assert got == [
        ("1FRNEG", "VIGNE", d("216.00"), d("11063.80"), d("0.00"), 2, True, False,
         "Règlements non lettrés : 10\u202f847,80\u00a0€"),
        (
            "1FRNEG",
            "ZNEG",
            d("0.00"),
            d("11600.00"),
            d("0.00"),
            2,
            False,
            False,
            "Solde comptable ≤ 0 ; Avoirs non imputés : 11\u202f600,00\u00a0€",
        ),
        ("2FRPAR", "VIGNE", d("120.00"), d("120.00"), d("0.00"), 2, True, False, ""),
        ("3UENEG", "VIGNE", d("2000.00"), d("2000.00"), d("0.00"), 1, True, False, ""),
        ("4HUE", "VIGNE", d("2750.00"), d("1800.00"), d("0.00"), 1, True, False, ""),
        ("5REST", "VIGNE", d("1336.40"), d("356.40"), d("0.00"), 1, True, False, ""),
        ("BONJE", "VIGNE", d("64.50"), d("64.50"), d("0.00"), 1, True, False, ""),
        ("BONSV", "VIGNE", d("1234.56"), d("1234.56"), d("0.00"), 1, True, False, ""),
        # in dollars: FU22-0007 paid in full in dollars is settled, FU22-0011 in part
        ("NYWINE", "VIGNE", d("2000.00"), d("2000.00"), d("0.00"), 1, True, False, ""),
    ]
    assert [r.devise for r in rows] == ["EUR"] * 8 + ["USD"]
    assert rows[0].adresse == "MME toulouse amelie - 51100 REIMS"
    by_key = {(r.tiers, r.societe): r for r in rows}
    assert line_levels(by_key[("1FRNEG", "VIGNE")]) == {
        "FA22-0101": (2, True),
        "FA22-0115": (1, True),
    }
    assert [ln.invoice.piece for ln in by_key[("5REST", "VIGNE")].lines] == ["FA22-0118"]
    assert [ln.invoice.piece for ln in by_key[("BONSV", "VIGNE")].lines] == ["FA22-0110"]
    assert [ln.jours_retard for ln in by_key[("BONJE", "VIGNE")].lines] == [0]


# --- properties -------------------------------------------------------------------------

_CODES = ("C1", "C2", "C3")
_SOCIETES = ("S1", "S2")
_money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("20000"), places=2)


@st.composite
def ledgers(draw: st.DrawFn) -> Ledger:
    customers = tuple(
        Customer(
            tiers=code,
            nom=f"Client {code}",
            particulier=draw(st.booleans()),
            bloque=draw(st.booleans()),
        )
        for code in _CODES
    )
    invoices = []
    for n in range(draw(st.integers(0, 8))):
        echeance = ago(draw(st.integers(-30, 120)))
        invoices.append(
            Invoice(
                societe=draw(st.sampled_from(_SOCIETES)),
                piece=f"F{n}",
                tiers=draw(st.sampled_from(_CODES)),
                date_piece=echeance - timedelta(days=draw(st.integers(0, 60))),
                echeance=echeance,
                montant=draw(_money),
                avoir=draw(st.booleans()),
                comptabilisee=draw(st.booleans()),
                litige=draw(st.booleans()),
            )
        )
    pieces = [i.piece for i in invoices] or ["F0"]
    payments = tuple(
        Payment(
            societe=draw(st.sampled_from(_SOCIETES)),
            numero=f"R{n}",
            tiers=draw(st.sampled_from(_CODES)),
            date=ago(draw(st.integers(-10, 120))),
            montant=draw(_money),
            piece_lettree=draw(st.sampled_from(["", *pieces])),
        )
        for n in range(draw(st.integers(0, 5)))
    )
    history = tuple(
        HistoryEntry(
            date=ago(draw(st.integers(-10, 120))),
            societe=draw(st.sampled_from(_SOCIETES)),
            tiers=draw(st.sampled_from(_CODES)),
            piece=draw(st.sampled_from(pieces)),
            niveau=draw(st.integers(1, 3)),
        )
        for _ in range(draw(st.integers(0, 6)))
    )
    return Ledger(customers, tuple(invoices), payments, history)


def _last_issued_level(lg: Ledger, societe: str, piece: str, on: date) -> int:
    entries = [h for h in lg.history if h.societe == societe and h.piece == piece and h.date <= on]
    if not entries:
        return 0
    return max(entries, key=lambda h: (h.date, h.niveau)).niveau


@settings(max_examples=200, deadline=None)
@given(ledgers(), st.integers(0, 3))
def test_rows_are_consistent_with_their_lines(lg: Ledger, grace: int):
    config = with_levels(*DEFAULT_LEVELS, jours_grace=grace)
    rows, _ = compute_reminders(lg, config, Filters(date=TODAY))
    for row in rows:
        assert row.encours_relance == sum((ln.reste_du for ln in row.lines), Decimal(0))
        assert row.lines and all(ln.reste_du > 0 for ln in row.lines)
        assert all(ln.jours_retard >= grace for ln in row.lines)
        assert all(
            not ln.invoice.avoir and ln.invoice.comptabilisee and not ln.invoice.litige
            for ln in row.lines
        )
        assert row.agios_reclames >= 0
        assert all(ln.interets >= 0 and ln.indemnite >= 0 for ln in row.lines)
        assert row.niveau == max(ln.niveau for ln in row.lines)
        assert 1 <= row.niveau <= config.max_level
        unticking = [m for m in row.motif.split(" ; ") if m and not m.startswith(
            ("Règlements non lettrés", "Avoirs non imputés"))]
        assert row.a_relancer == (not unticking)
        # a reminder never asks more than the customer owes
        assert 0 <= row.a_regler <= max(row.solde_comptable, Decimal(0))
        assert row.a_regler == max(row.encours_relance - row.non_impute, Decimal(0))
        assert all(c.montant > 0 for c in row.credits)
        for ln in row.lines:
            last = _last_issued_level(lg, row.societe, ln.invoice.piece, TODAY)
            assert ln.niveau <= min(last + 1, config.max_level)
            assert ln.niveau >= last
    assert [(r.tiers, r.societe) for r in rows] == sorted((r.tiers, r.societe) for r in rows)


@settings(max_examples=100, deadline=None)
@given(ledgers())
def test_applying_before_any_invoice_gives_no_rows(lg: Ledger):
    first = min(
        [i.date_piece for i in lg.invoices] + [i.echeance for i in lg.invoices], default=TODAY
    )
    rows, _ = compute_reminders(lg, DEFAULTS, Filters(date=first - timedelta(days=1)))
    assert rows == []


def test_history_level_beyond_the_last_level_counts_as_the_last_one():
    """A user who removed level 4 after issuing it: capped, and the history line flagged."""
    book = ledger(
        customer(),
        invoice("F1", "100.00", jours_retard=60),
        invoice("F2", "50.00", jours_retard=30),
        issued("F1", 4, 6),
    )
    rows, problems = compute_reminders(book, Settings(levels=DEFAULT_LEVELS),
                                       Filters(date=TODAY))
    assert [(r.niveau, r.encours_relance) for r in rows] == [(3, Decimal("150.00"))]
    assert [(p.sheet, p.column, p.value, p.blocking) for p in problems] == [
        ("Historique", "Niveau", 4, False)
    ]
