"""Interest rates by half-year, and reminder terms per customer ("Conditions de relance").

The rates are the real ones of 2024: the ECB main refinancing rate was 4.50 % on
1 January and 4.25 % on 1 July, so the L441-10 rate (ECB + 10 points) was 14.50 % then
14.25 %, the public buyers' moratory rate (ECB + 8 points) 12.50 % then 12.25 %; the
legal interest rate (creditor not a private person) 5.07 % then 4.92 %.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from relances_xl.config import (
    DEFAULT_LEVELS,
    PUBLIC_LEVELS,
    TAUX_PROFESSIONNELS,
    Level,
    RatePeriod,
    Settings,
)
from relances_xl.model import Customer, Filters, HistoryEntry, Invoice, Ledger, ReminderRow
from relances_xl.rules.engine import compute_reminders
from relances_xl.rules.interest import interest, interest_periods, rate_schedule

D = Decimal
RATES_2024 = (
    RatePeriod(date(2024, 1, 1), D("0.145"), D("0.0507"), D("0.125")),
    RatePeriod(date(2024, 7, 1), D("0.1425"), D("0.0492"), D("0.1225")),
)
# interest from the first level on, so that a timeline needs no history
INTEREST_AT_ONCE = (Level(1, 0, 0, "LET03", interets=True, indemnite=True),)


def settings(*levels: Level, periods: tuple[RatePeriod, ...] = RATES_2024) -> Settings:
    return Settings(levels=levels or (*DEFAULT_LEVELS, *PUBLIC_LEVELS), taux_periodes=periods)


def book(*items: object, customer: Customer | None = None) -> Ledger:
    customer = customer or Customer("C1", "Client C1")
    return Ledger((customer,), tuple(i for i in items if isinstance(i, Invoice)), (),
                  tuple(i for i in items if isinstance(i, HistoryEntry)))


def invoice(due: date, amount: str = "1000.00", numero: str = "F1") -> Invoice:
    return Invoice("S1", numero, "C1", due - timedelta(days=30), due, D(amount))


def letter(on: date, niveau: int, numero: str = "F1") -> HistoryEntry:
    return HistoryEntry(on, "S1", "C1", numero, niveau)


def only_row(ledger: Ledger, config: Settings, on: date) -> ReminderRow:
    rows, problems = compute_reminders(ledger, config, Filters(date=on))
    assert problems == []
    assert len(rows) == 1, rows
    return rows[0]


# --- interest across two half-years -------------------------------------------------------


def test_a_delay_across_two_half_years_is_counted_at_each_half_years_rate_to_the_cent():
    """Due 31/05/2024, reminded 30/08/2024: 30 days of June at 14.50 %, 61 days of July
    and August at 14.25 %. 1000.00 x (0.145 x 30 + 0.1425 x 61) / 365 = 35.7328... -> 35.73
    (one rate for the 91 days would give 35.53 or 36.15)."""
    row = only_row(book(invoice(date(2024, 5, 31))), settings(*INTEREST_AT_ONCE),
                   date(2024, 8, 30))
    (line,) = row.lines
    assert line.jours_retard == 91
    assert [(p.du, p.au, p.jours, p.taux) for p in line.periodes] == [
        (date(2024, 6, 1), date(2024, 6, 30), 30, D("0.145")),
        (date(2024, 7, 1), date(2024, 8, 30), 61, D("0.1425")),
    ]
    assert line.interets == D("35.73")
    assert row.agios_reclames == D("75.73")


def test_interest_is_rounded_once_per_invoice_not_per_period():
    """The two periods alone would round to 11.92 + 23.82 = 35.74."""
    periods = interest_periods(date(2024, 6, 1), date(2024, 8, 30),
                               rate_schedule(settings(), TAUX_PROFESSIONNELS), False,
                               D("1000.00"))
    assert [interest((p,)) for p in periods] == [D("11.92"), D("23.82")]
    assert interest(periods) == D("35.73")


def test_an_empty_table_keeps_the_single_rate_for_every_day():
    row = only_row(book(invoice(date(2024, 5, 31))), settings(*INTEREST_AT_ONCE, periods=()),
                   date(2024, 8, 30))
    # 1000.00 x 12.15 % x 91 / 365 = 30.2918 -> 30.29, the figure before the table existed
    (period,) = row.lines[0].periodes
    assert (period.jours, period.taux, row.lines[0].interets) == (91, D("0.1215"), D("30.29"))


def test_days_before_the_tables_first_start_stop_the_letter_naming_the_half_year():
    """Due 15/12/2023 with a table starting 01/01/2024: December 2023 has no rate. No
    guess at the single rate: the row is unticked, its motif names the half-year to add
    and where, and nothing is claimed."""
    row = only_row(book(invoice(date(2023, 12, 15))), settings(*INTEREST_AT_ONCE),
                   date(2024, 1, 10))
    assert row.taux_manquant == "2e semestre 2023"
    assert not row.a_relancer
    assert "Taux du 2e semestre 2023 absent" in row.motif
    assert "Paramètres, table Taux par période" in row.motif
    assert row.lines[0].interets == 0


def test_a_delay_into_a_half_year_past_the_table_stops_only_letters_claiming_interest():
    """A table ending with the second half of 2024 and letters of 10/01/2025: the
    interest-bearing row stops on "1er semestre 2025"; a first reminder (no interest)
    of the same day still goes out."""
    two = Customer("C2", "Client C2")
    ledger = Ledger((Customer("C1", "Client C1"), two),
                    (invoice(date(2024, 12, 1)),
                     Invoice("S1", "F2", "C2", date(2024, 11, 1), date(2024, 12, 1), D("500"))),
                    (), ())
    config = Settings(levels=(*DEFAULT_LEVELS, Level(1, 0, 0, "LET03", interets=True,
                                                     conditions="Interets")),
                      taux_periodes=RATES_2024)
    ledger = replace(ledger, customers=(replace(ledger.customers[0], conditions="Interets"),
                                        two))
    rows, _ = compute_reminders(ledger, config, Filters(date=date(2025, 1, 10)))
    by_tiers = {row.tiers: row for row in rows}
    assert by_tiers["C1"].taux_manquant == "1er semestre 2025"
    assert not by_tiers["C1"].a_relancer
    assert by_tiers["C2"].taux_manquant == "" and by_tiers["C2"].a_relancer


def test_an_empty_table_takes_the_single_rate_for_every_day():
    """No row: Taux annuel (12.15 %) for the 91 days of the first test's delay."""
    row = only_row(book(invoice(date(2024, 5, 31))), settings(*INTEREST_AT_ONCE, periods=()),
                   date(2024, 8, 30))
    assert [(p.jours, p.taux) for p in row.lines[0].periodes] == [(91, D("0.1215"))]


def test_a_delay_ending_the_day_before_a_new_rate_has_one_period():
    row = only_row(book(invoice(date(2024, 6, 20))), settings(*INTEREST_AT_ONCE),
                   date(2024, 6, 30))
    assert [(p.du, p.au, p.jours) for p in row.lines[0].periodes] == [
        (date(2024, 6, 21), date(2024, 6, 30), 10)]


def test_a_delay_starting_on_the_day_of_a_new_rate_takes_only_that_rate():
    row = only_row(book(invoice(date(2024, 6, 30))), settings(*INTEREST_AT_ONCE),
                   date(2024, 7, 1))
    assert [(p.du, p.jours, p.taux) for p in row.lines[0].periodes] == [
        (date(2024, 7, 1), 1, D("0.1425"))]


def test_an_invoice_due_today_has_no_interest_period():
    row = only_row(book(invoice(date(2024, 7, 1))), settings(*INTEREST_AT_ONCE),
                   date(2024, 7, 1))
    assert (row.lines[0].periodes, row.lines[0].interets) == ((), D("0"))


def test_a_private_customers_interest_from_its_notice_spans_the_half_years_too():
    """Notice 20/06/2024, repeated 20/07/2024: 10 days at 5.07 %, 20 days at 4.92 %.
    10000.00 x (0.0507 x 10 + 0.0492 x 20) / 365 = 40.8493 -> 40.85"""
    private = Customer("C1", "Mme Durand", particulier=True)
    ledger = book(invoice(date(2024, 4, 1), "10000.00"), letter(date(2024, 5, 1), 1),
                  letter(date(2024, 5, 20), 2), letter(date(2024, 6, 20), 3),
                  customer=private)
    row = only_row(ledger, settings(), date(2024, 7, 20))
    (line,) = row.lines
    assert [(p.du, p.jours, p.taux) for p in line.periodes] == [
        (date(2024, 6, 21), 10, D("0.0507")), (date(2024, 7, 1), 20, D("0.0492"))]
    assert (line.interets, line.indemnite) == (D("40.85"), D("0"))


# --- public buyers ---------------------------------------------------------------------------


def public_buyer(**fields: object) -> Customer:
    return Customer("C1", "Mairie de Reims", conditions="Acheteur public", **fields)


def test_a_public_buyer_is_reminded_by_its_own_letters():
    row = only_row(book(invoice(date(2024, 5, 31)), customer=public_buyer()), settings(),
                   date(2024, 6, 5))
    assert row.niveau == 1 and row.agios_reclames == D("0.00")
    assert settings().level(row.niveau, "Acheteur public").forme == "ADM01"


def test_a_public_buyer_owes_moratory_interest_and_the_indemnity_at_its_second_level():
    """ECB + 8 points with the single rates (10.15 %): 1000.00 x 0.1015 x 45 / 365 = 12.51."""
    ledger = book(invoice(date(2024, 5, 1)), letter(date(2024, 5, 31), 1),
                  customer=public_buyer())
    row = only_row(ledger, settings(periods=()), date(2024, 6, 15))
    assert row.niveau == 2
    (line,) = row.lines
    assert (line.interets, line.indemnite) == (D("12.51"), D("40.00"))
    assert settings().level(row.niveau, "Acheteur public").forme == "ADM02"


def test_a_public_buyers_rate_is_the_one_of_the_half_year_its_interest_began_in():
    """Art. R2192-31: one rate for the whole delay, the one in force on the first day of
    the half-year it began: 01/06/2024 -> 12.50 % for all 91 days, July and August too.
    1000.00 x 0.125 x 91 / 365 = 31.1643 -> 31.16"""
    ledger = book(invoice(date(2024, 5, 31)), letter(date(2024, 5, 31), 1),
                  customer=public_buyer())
    row = only_row(ledger, settings(), date(2024, 8, 30))
    assert [(p.du, p.au, p.jours, p.taux) for p in row.lines[0].periodes] == [
        (date(2024, 6, 1), date(2024, 8, 30), 91, D("0.125"))]
    assert row.lines[0].interets == D("31.16")


def test_a_delay_begun_in_july_takes_the_rate_of_the_first_of_july():
    ledger = book(invoice(date(2024, 7, 10)), letter(date(2024, 7, 10), 1),
                  customer=public_buyer())
    row = only_row(ledger, settings(), date(2024, 8, 30))
    assert [p.taux for p in row.lines[0].periodes] == [D("0.1225")]


def test_the_default_terms_of_a_professional_are_untouched_by_the_public_set():
    ledger = book(invoice(date(2024, 5, 1)), letter(date(2024, 5, 31), 1))
    row = only_row(ledger, settings(periods=()), date(2024, 6, 15))
    assert (row.niveau, row.agios_reclames) == (2, D("0.00"))  # LET02: no interest yet


def test_conditions_are_matched_ignoring_case_accents_and_spaces():
    row = only_row(book(invoice(date(2024, 5, 31)),
                        customer=Customer("C1", "Mairie", conditions="  ACHETEUR   PUBLIC ")),
                   settings(), date(2024, 6, 5))
    assert row.niveau == 1


def test_a_customer_naming_terms_absent_from_parametres_stops_appliquer():
    stranger = Customer("C1", "Mairie", conditions="Collectivité", row=7)
    rows, problems = compute_reminders(book(invoice(date(2024, 5, 31)), customer=stranger),
                                       settings(), Filters(date=date(2024, 6, 5)))
    assert rows == []
    assert [str(p) for p in problems] == [
        "Clients, ligne 7, colonne « Conditions de relance » : valeur « Collectivité » — "
        "conditions de relance absentes de Paramètres (connues : (vide : conditions par "
        "défaut) ; « Acheteur public »)"]
    assert problems[0].blocking


def test_a_level_removed_from_a_named_set_counts_as_its_last():
    ledger = book(invoice(date(2024, 4, 1)), letter(date(2024, 5, 20), 3),
                  customer=public_buyer())
    rows, problems = compute_reminders(ledger, settings(periods=()),
                                       Filters(date=date(2024, 6, 5)))
    assert [(p.column, p.value) for p in problems] == [("Niveau", 3)]
    assert [r.niveau for r in rows] == [2]


@pytest.mark.parametrize("conditions", ["", "Acheteur public"])
def test_a_private_customer_never_owes_the_indemnity(conditions):
    private = Customer("C1", "Mme Durand", particulier=True, conditions=conditions)
    ledger = book(invoice(date(2024, 1, 1)), letter(date(2024, 1, 20), 1),
                  letter(date(2024, 2, 10), 2), customer=private)
    row = only_row(ledger, settings(), date(2024, 3, 1))
    assert row.lines[0].indemnite == D("0")
