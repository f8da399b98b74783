"""The proposal lists the promises and instalments falling due within 7 days and the
broken ones (issue 26), rendered through the real PROP01 template."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import docx

from relances_xl import sample
from relances_xl.letters.context import proposal_context
from relances_xl.letters.make_templates import sample_ledger
from relances_xl.letters.render import render_letter, template_path
from relances_xl.model import Filters
from relances_xl.rules.engine import compute_reminders
from relances_xl.rules.followup import ECHEANCIER, PROMESSE, FollowUp, due_soon

ON = sample.DEMO_DATE  # 27/07/2022


def promise(until: date, montant: str | None = "100", on: date = ON - timedelta(days=3),
            tiers: str = "BONSV", action: str = PROMESSE) -> FollowUp:
    return FollowUp(on, tiers, "VIGNE", "", action, until,
                    None if montant is None else Decimal(montant))


def test_due_soon_takes_today_to_the_seventh_day_included():
    lines = [promise(ON - timedelta(days=1)), promise(ON, tiers="A"),
             promise(ON + timedelta(days=7), tiers="B"), promise(ON + timedelta(days=8),
                                                                 tiers="C"),
             promise(ON + timedelta(days=2), tiers="D", action=ECHEANCIER),
             promise(ON + timedelta(days=2), tiers="E", on=ON + timedelta(days=1))]
    assert [line.tiers for line in due_soon(lines, ON)] == ["A", "D", "B"]


def test_only_the_latest_promise_of_an_invoice_is_due():
    first = promise(ON + timedelta(days=2), montant="100", on=ON - timedelta(days=5))
    second = promise(ON + timedelta(days=3), montant="250", on=ON - timedelta(days=1))
    assert due_soon([first, second], ON) == [second]


def test_the_proposal_shows_the_promise_due_and_the_broken_one(tmp_path):
    ledger, settings = sample_ledger()
    broken = promise(ON - timedelta(days=2), montant="64.50", on=ON - timedelta(days=10),
                     tiers="BONJE")
    soon = promise(ON + timedelta(days=5), montant="1234.56")
    rows, _ = compute_reminders(ledger, settings, Filters(date=ON), [broken, soon])
    context = proposal_context(rows, ledger, settings, ON, followups=[broken, soon],
                               printed=ON)
    assert [(p["tiers"], p["date"], p["etat"]) for p in context["promesses"]] == [
        ("BONSV", "01/08/2022", "Promesse à échéance"),
        ("BONJE", "25/07/2022", "Promesse non tenue du 25/07/2022")]
    out = render_letter(template_path("PROP01", "FR"), context, tmp_path / "p.docx")
    document = docx.Document(out)
    cells = [cell.text for table in document.tables for row in table.rows
             for cell in row.cells]
    assert "Promesse à échéance" in cells and "Promesse non tenue du 25/07/2022" in cells
    headings = [p.text for p in document.paragraphs]
    assert "Promesses et échéances des 7 prochains jours, promesses non tenues" in headings


def test_a_proposal_without_suivi_has_no_promises_block(tmp_path):
    ledger, settings = sample_ledger()
    rows, _ = compute_reminders(ledger, settings, Filters(date=ON))
    context = proposal_context(rows, ledger, settings, ON, printed=ON)
    assert context["promesses"] == []
    out = render_letter(template_path("PROP01", "FR"), context, tmp_path / "p.docx")
    assert not any("Promesses" in p.text for p in docx.Document(out).paragraphs)
