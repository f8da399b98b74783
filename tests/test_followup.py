"""The Suivi sheet's effects on Appliquer (issue 26), each over dates: before, on and
after Jusqu'au; a promise kept, partly kept, broken; an instalment missed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from relances_xl.config import DEFAULT_LEVELS, Settings
from relances_xl.model import Customer, Filters, HistoryEntry, Invoice, Ledger, Payment
from relances_xl.rules.engine import REASON_SUIVI, compute_reminders
from relances_xl.rules.followup import (
    ECHEANCIER,
    LITIGE,
    NOTE,
    PROMESSE,
    RECOMMANDE,
    SUSPENSION,
    FollowUp,
    holds,
)

PROMISED_ON = date(2022, 8, 1)  # the day the customer called
PROMISED_FOR = date(2022, 8, 15)  # the date it promised
SETTINGS = Settings(levels=DEFAULT_LEVELS)
CUSTOMER = Customer("C1", "Client Un")
# F1 reminded at level 1 on 1 July: level 2 is due from 16 July (15 days late, 15 since)
F1 = Invoice("S1", "F1", "C1", date(2022, 6, 1), date(2022, 6, 15), Decimal("500.00"))
F2 = Invoice("S1", "F2", "C1", date(2022, 6, 1), date(2022, 6, 15), Decimal("300.00"))
LETTER = HistoryEntry(date(2022, 7, 1), "S1", "C1", "F1", 1)


def pay(on: date, montant: str, piece: str = "") -> Payment:
    return Payment("S1", f"R{on:%m%d}{montant}", "C1", on, Decimal(montant),
                   piece_lettree=piece)


def line(action: str, until: date | None = PROMISED_FOR, montant: str | None = None,
         piece: str = "", on: date = PROMISED_ON, commentaire: str = "") -> FollowUp:
    return FollowUp(on, "C1", "S1", piece, action, until,
                    None if montant is None else Decimal(montant), commentaire)


def run(on: date, followups: list[FollowUp], invoices: tuple[Invoice, ...] = (F1,),
        payments: tuple[Payment, ...] = (), settings: Settings = SETTINGS):
    ledger = Ledger((CUSTOMER,), invoices, payments, (LETTER,))
    rows, problems = compute_reminders(ledger, settings, Filters(date=on), followups)
    assert problems == []
    return rows


def only(rows):
    assert len(rows) == 1, rows
    return rows[0]


DAY = timedelta(days=1)


def test_without_suivi_the_invoice_goes_to_level_2():
    row = only(run(PROMISED_FOR, []))
    assert (row.niveau, row.a_relancer, row.motif) == (2, True, "")


# --- Promesse de règlement ------------------------------------------------------------


@pytest.mark.parametrize("on", [PROMISED_ON, PROMISED_FOR - DAY, PROMISED_FOR])
def test_promise_before_and_on_its_date_holds_the_row_unticked_at_its_level(on):
    row = only(run(on, [line(PROMESSE, montant="500")]))
    assert row.a_relancer is False
    assert row.niveau == 1  # not raised to 2 while the promise runs
    assert [ln.niveau for ln in row.lines] == [1]
    assert row.motif == "Promesse de règlement au 15/08/2022 (500,00\u00a0€)"
    assert REASON_SUIVI in row.raisons


def test_promise_without_amount_names_only_its_date():
    row = only(run(PROMISED_FOR, [line(PROMESSE)]))
    assert row.motif == "Promesse de règlement au 15/08/2022"


def test_promise_grace_days_extend_the_wait_to_the_last_grace_day():
    settings = Settings(levels=DEFAULT_LEVELS, jours_grace=3)
    held = only(run(PROMISED_FOR + 3 * DAY, [line(PROMESSE, montant="500")],
                    settings=settings))
    assert held.a_relancer is False
    broken = only(run(PROMISED_FOR + 4 * DAY, [line(PROMESSE, montant="500")],
                      settings=settings))
    assert (broken.a_relancer, broken.motif) == (True, "Promesse non tenue du 15/08/2022")


def test_promise_after_its_date_unpaid_is_broken_and_escalation_resumes():
    row = only(run(PROMISED_FOR + DAY, [line(PROMESSE, montant="500")]))
    assert (row.niveau, row.a_relancer) == (2, True)
    assert row.motif == "Promesse non tenue du 15/08/2022"
    assert REASON_SUIVI not in row.raisons
    (broken,) = row.engagements
    assert (broken.promesse, broken.date, broken.montant, broken.du) == (
        True, PROMISED_FOR, Decimal("500.00"), Decimal("500.00"))


def test_promise_partly_kept_is_broken_for_what_is_missing():
    row = only(run(PROMISED_FOR + DAY, [line(PROMESSE, montant="500")],
                   payments=(pay(PROMISED_FOR, "200", "F1"),)))
    assert row.motif == "Promesse non tenue du 15/08/2022"
    assert row.engagements[0].du == Decimal("300.00")
    assert row.encours_relance == Decimal("300.00")


def test_promise_kept_by_an_unlettered_payment_says_nothing_more():
    row = only(run(PROMISED_FOR + DAY, [line(PROMESSE, montant="500")],
                   payments=(pay(PROMISED_FOR, "500"),)))
    assert "Promesse" not in row.motif
    assert row.engagements == ()


def test_payment_made_before_the_promise_does_not_keep_it():
    row = only(run(PROMISED_FOR + DAY, [line(PROMESSE, montant="100")],
                   payments=(pay(PROMISED_ON - DAY, "100"),)))
    assert row.motif.startswith("Promesse non tenue du 15/08/2022")


def test_promise_without_amount_is_kept_when_its_invoice_is_paid():
    rows = run(PROMISED_FOR + DAY, [line(PROMESSE, piece="F1")],
               payments=(pay(PROMISED_FOR, "500", "F1"),))
    assert rows == []  # paid: nothing left to remind


def test_promise_without_amount_one_cent_short_is_broken():
    row = only(run(PROMISED_FOR + DAY, [line(PROMESSE, piece="F1")],
                   payments=(pay(PROMISED_FOR, "499.99", "F1"),)))
    assert row.engagements[0].du == Decimal("0.01")
    assert row.engagements[0].montant is None


def test_promise_on_one_invoice_holds_it_while_the_other_is_reminded():
    row = only(run(PROMISED_FOR, [line(PROMESSE, piece="F1")], invoices=(F1, F2)))
    assert row.a_relancer is True  # F2 is due: the row goes out
    assert {ln.invoice.piece: (ln.niveau, ln.due) for ln in row.lines} == {
        "F1": (1, False), "F2": (1, True)}
    assert row.motif == "Promesse de règlement au 15/08/2022"


def test_later_promise_replaces_a_broken_one():
    first = line(PROMESSE, until=date(2022, 8, 5), montant="500")
    second = line(PROMESSE, until=date(2022, 8, 30), montant="500", on=date(2022, 8, 10))
    row = only(run(date(2022, 8, 20), [first, second]))
    assert (row.a_relancer, row.motif) == (False, "Promesse de règlement au 30/08/2022 "
                                                  "(500,00\u00a0€)")


def test_promise_typed_after_the_run_date_does_not_exist_yet():
    row = only(run(PROMISED_ON - DAY, [line(PROMESSE, montant="500")]))
    assert (row.a_relancer, row.motif) == (True, "")


# --- Échéancier -----------------------------------------------------------------------

PLAN = [line(ECHEANCIER, until=date(2022, 8, 10), montant="200"),
        line(ECHEANCIER, until=date(2022, 9, 10), montant="200"),
        line(ECHEANCIER, until=date(2022, 10, 10), montant="100")]


@pytest.mark.parametrize("on", [date(2022, 8, 5), date(2022, 8, 10)])
def test_plan_before_and_on_the_first_instalment_holds_the_row(on):
    row = only(run(on, PLAN))
    assert (row.a_relancer, row.niveau, row.motif) == (False, 1, "Échéancier en cours")


def test_plan_with_the_instalments_due_paid_still_holds_the_row():
    row = only(run(date(2022, 8, 20), PLAN, payments=(pay(date(2022, 8, 9), "200", "F1"),)))
    assert (row.a_relancer, row.motif) == (False, "Échéancier en cours")


def test_plan_missed_instalment_ticks_the_row_and_states_the_rest():
    row = only(run(date(2022, 8, 11), PLAN))
    assert (row.a_relancer, row.niveau) == (True, 2)
    assert row.motif == "Échéance du 10/08/2022 non réglée"
    (missed,) = row.engagements
    assert (missed.promesse, missed.du) == (False, Decimal("200.00"))
    assert missed.reste == ((date(2022, 9, 10), Decimal("200.00")),
                            (date(2022, 10, 10), Decimal("100.00")))


def test_plan_second_instalment_partly_paid_is_missed():
    row = only(run(date(2022, 9, 11), PLAN, payments=(pay(date(2022, 8, 9), "200", "F1"),
                                                       pay(date(2022, 9, 9), "150", "F1"))))
    assert row.motif == "Échéance du 10/09/2022 non réglée"
    assert row.engagements[0].du == Decimal("50.00")


def test_plan_all_paid_holds_nothing_more():
    rows = run(date(2022, 10, 11), PLAN, payments=(pay(date(2022, 8, 9), "200", "F1"),
                                                    pay(date(2022, 9, 9), "200", "F1"),
                                                    pay(date(2022, 10, 9), "100", "F1")))
    assert rows == []


# --- Suspension, Litige, Note ---------------------------------------------------------


@pytest.mark.parametrize(("on", "held"), [(PROMISED_ON, True), (PROMISED_FOR, True),
                                          (PROMISED_FOR + DAY, False)])
def test_suspension_holds_until_its_date_included(on, held):
    row = only(run(on, [line(SUSPENSION)]))
    assert row.a_relancer is not held
    assert (row.motif == "Relances suspendues jusqu'au 15/08/2022") is held


def test_suspension_of_the_whole_customer_covers_every_invoice():
    row = only(run(PROMISED_FOR, [line(SUSPENSION)], invoices=(F1, F2)))
    assert (row.a_relancer, [ln.due for ln in row.lines]) == (False, [False, False])


@pytest.mark.parametrize(("on", "disputed"), [(PROMISED_ON - DAY, False),
                                              (PROMISED_ON, True), (PROMISED_FOR, True),
                                              (PROMISED_FOR + DAY, False)])
def test_litige_line_leaves_the_invoice_out_from_date_to_jusqu_au(on, disputed):
    rows = run(on, [line(LITIGE, piece="F1", commentaire="Livraison incomplète")])
    assert (rows == []) is disputed


def test_litige_without_end_lasts():
    rows = run(date(2023, 1, 1), [line(LITIGE, until=None, piece="F1")], invoices=(F1, F2))
    assert [ln.invoice.piece for ln in only(rows).lines] == ["F2"]


def test_note_changes_nothing():
    assert run(PROMISED_FOR, [line(NOTE, until=None)]) == run(PROMISED_FOR, [])


# --- what the letter says -------------------------------------------------------------


def _letter_text(row, langue: str, tmp_path) -> str:
    import docx

    from relances_xl.config import Company
    from relances_xl.letters.context import letter_context
    from relances_xl.letters.render import render_letter, template_path

    customer = Customer("C1", "Client Un", langue=langue)
    context = letter_context(row, customer, Company("S1", "Société Un"), SETTINGS,
                             PROMISED_FOR + DAY)
    out = render_letter(template_path("LET02", langue), context, tmp_path / f"{langue}.docx")
    return " ".join(p.text for p in docx.Document(out).paragraphs).replace("\u202f", " ")


def test_the_next_letter_names_the_broken_promise_in_the_customers_language(tmp_path):
    row = only(run(PROMISED_FOR + DAY, [line(PROMESSE, montant="500")],
                   payments=(pay(PROMISED_FOR, "200", "F1"),)))
    assert ("Vous vous étiez engagé à régler 500,00\u00a0€ le 15 août 2022 : ce règlement "
            "ne nous est pas parvenu, 300,00\u00a0€ restent dus à ce titre.") in _letter_text(
        row, "FR", tmp_path)
    assert "You undertook to pay €500.00 on 15 August 2022" in _letter_text(row, "EN", tmp_path)
    assert "Sie hatten zugesagt, 500,00\u00a0€ am 15. August 2022 zu zahlen" in _letter_text(
        row, "DE", tmp_path)


def test_the_letter_of_a_missed_instalment_asks_what_is_due_and_states_the_rest(tmp_path):
    row = only(run(date(2022, 8, 11), PLAN))
    text = _letter_text(row, "FR", tmp_path)
    assert ("L'échéance du 10 août 2022 de l'échéancier convenu n'a pas été réglée : nous "
            "vous demandons de régler sans délai 200,00\u00a0€") in text
    assert ("Les échéances suivantes restent dues : 200,00\u00a0€ le 10 septembre 2022, "
            "100,00\u00a0€ le 10 octobre 2022.") in text


def test_a_letter_without_suivi_says_nothing_of_a_promise(tmp_path):
    text = _letter_text(only(run(PROMISED_FOR, [])), "FR", tmp_path)
    assert "engagé" not in text and "échéancier" not in text


# --- the dashboard's figures ----------------------------------------------------------


def test_promise_figures_count_the_kept_among_those_due_and_sum_the_weeks_ahead():
    from relances_xl.rules.followup import promise_figures

    kept = line(PROMESSE, until=date(2022, 8, 5), montant="100", piece="F1")
    broken = line(PROMESSE, until=date(2022, 8, 6), montant="900", piece="F2")
    ahead = line(PROMESSE, until=date(2022, 8, 24), montant="50", on=date(2022, 8, 9))
    plan = line(ECHEANCIER, until=date(2022, 8, 29), montant="25", piece="F2",
                on=date(2022, 8, 9))
    ledger = Ledger((CUSTOMER,), (F1, F2), (pay(date(2022, 8, 3), "100", "F1"),), ())
    figures = promise_figures([kept, broken, ahead, plan], ledger, date(2022, 8, 10),
                              weeks=3)
    # the customer-wide promise of 09/08 is awaited: F1's and F2's are their own
    assert (figures.echues, figures.tenues) == (2, 1)
    assert figures.part_tenue == Decimal("0.5")
    assert figures.weeks == ((date(2022, 8, 8), Decimal("0")),
                             (date(2022, 8, 15), Decimal("0")),
                             (date(2022, 8, 22), Decimal("50.00")))  # 29/08: beyond 3 weeks


def test_promise_figures_without_a_promise_due_have_no_share():
    from relances_xl.rules.followup import promise_figures

    ledger = Ledger((CUSTOMER,), (F1,), (), ())
    figures = promise_figures([line(PROMESSE)], ledger, PROMISED_ON)
    assert figures.part_tenue is None
    assert dict(figures.weeks)[date(2022, 8, 15)] == Decimal("500.00")  # what F1 owed


def test_a_registered_letter_is_a_record_and_holds_no_reminder():
    sent = replace(line(RECOMMANDE, until=None), numero_recommande="1A 234",
                   distribue_le=PROMISED_ON + DAY)
    assert holds([sent], (), PROMISED_FOR) == {}
    assert only(run(PROMISED_FOR, [sent])) == only(run(PROMISED_FOR, []))
