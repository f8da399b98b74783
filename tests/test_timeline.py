"""A customer's story by date (rules/timeline.py): what `relances-xl suivi` prints and
the Fiche client sheet shows."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from relances_xl.model import Customer, HistoryEntry, Invoice, Ledger, Payment
from relances_xl.rules.followup import ECHEANCIER, NOTE, PROMESSE, RECOMMANDE, FollowUp
from relances_xl.rules.timeline import (
    APPEL_NIVEAU,
    FACTURE,
    LETTRE,
    REGLEMENT,
    SUIVI,
    timeline,
)

F1 = Invoice("S1", "F1", "C1", date(2022, 6, 1), date(2022, 6, 15), Decimal("500.00"))
OTHER = Invoice("S2", "G1", "C1", date(2022, 6, 1), date(2022, 6, 15), Decimal("9.00"))
LEDGER = Ledger(
    (Customer("C1", "Un"),), (F1, OTHER),
    (Payment("S1", "R1", "C1", date(2022, 8, 10), Decimal("500.00"), piece_lettree="F1"),),
    (HistoryEntry(date(2022, 7, 1), "S1", "C1", "F1", 1, "pdf"),
     HistoryEntry(date(2022, 7, 20), "S1", "C1", "F1", 2, "Appel")))
PROMISE = FollowUp(date(2022, 7, 20), "C1", "S1", "F1", PROMESSE, date(2022, 8, 15),
                   Decimal("500.00"), "au téléphone", "CD")


def story(on: date, *lines: FollowUp, societe: str = "S1"):
    return timeline(LEDGER, lines, "C1", on, societe)


def test_the_story_is_told_by_date_a_days_letter_before_its_suivi_line():
    events = story(date(2022, 9, 1), PROMISE)
    assert [(e.date, e.kind) for e in events] == [
        (date(2022, 6, 1), FACTURE), (date(2022, 7, 1), LETTRE),
        (date(2022, 7, 20), APPEL_NIVEAU), (date(2022, 7, 20), SUIVI),
        (date(2022, 8, 10), REGLEMENT)]
    assert events[1].text == "Lettre de relance niveau 1 (pdf) : F1"
    assert events[2].text == "Appel de relance niveau 2 : F1"
    assert events[3].text == ("Promesse de règlement F1 au 15/08/2022 (500,00\u00a0€) — "
                              "au téléphone [CD]")


def test_a_promise_is_awaited_then_kept_on_the_date_asked():
    assert story(date(2022, 8, 1), PROMISE)[-1].state == "en cours"
    assert story(date(2022, 9, 1), PROMISE)[-2].state == "tenue"


def test_a_promise_not_paid_is_said_broken():
    unpaid = Ledger(LEDGER.customers, LEDGER.invoices, (), LEDGER.history)
    events = timeline(unpaid, [PROMISE], "C1", date(2022, 9, 1))
    assert events[-1].state == "Promesse non tenue du 15/08/2022"


def test_nothing_after_the_date_and_no_other_company_when_one_is_asked():
    events = story(date(2022, 7, 10), PROMISE)
    assert [e.kind for e in events] == [FACTURE, LETTRE]
    assert len(timeline(LEDGER, [], "C1", date(2022, 7, 10))) == 3  # G1 of S2 as well


def test_a_plan_carries_its_state_on_each_instalment_and_a_note_none():
    plan = [FollowUp(date(2022, 7, 20), "C1", "S1", "F1", ECHEANCIER, date(2022, 8, 1),
                     Decimal("250.00")),
            FollowUp(date(2022, 7, 20), "C1", "S1", "F1", ECHEANCIER, date(2022, 9, 1),
                     Decimal("250.00")),
            FollowUp(date(2022, 7, 21), "C1", "S1", "", NOTE, None, None, "rappelé")]
    events = [e for e in story(date(2022, 8, 5), *plan) if e.kind == SUIVI]
    assert [e.state for e in events] == ["Échéance du 01/08/2022 non réglée"] * 2 + [""]
    assert events[-1].text == "Note — rappelé"


def test_a_registered_letter_tells_its_number_and_its_delivery_or_that_it_is_awaited():
    sent = FollowUp(date(2022, 7, 21), "C1", "S1", "F1", RECOMMANDE, numero_recommande="1A 234",
                    distribue_le=date(2022, 7, 23))
    (event,) = [e for e in story(date(2022, 9, 1), sent) if e.kind == SUIVI]
    assert event.text == "Recommandé F1 n° 1A 234, distribué le 23/07/2022"
    (event,) = [e for e in story(date(2022, 9, 1), replace(sent, distribue_le=None))
                if e.kind == SUIVI]
    assert event.text == "Recommandé F1 n° 1A 234, distribution non connue"
