"""The statement of account (REL01): its items add up to the Solde comptable of the
reminder table, for every customer of the sample, and it reads in three languages."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from relances_xl.config import LANGUES, STATEMENT_FORME, Company
from relances_xl.letters.make_templates import sample_ledger
from relances_xl.letters.render import TEMPLATES_DIR, check_fields, template_path
from relances_xl.letters.statement import bucket_labels, statement_context
from relances_xl.model import Filters, Invoice, Payment
from relances_xl.rules.engine import compute_reminders
from relances_xl.rules.statement import EXCEDENT, FACTURE, REGLEMENT, statement


@pytest.mark.parametrize("on", [date(2022, 7, 27), date(2022, 9, 15)])
def test_the_statement_balance_is_the_solde_comptable_of_every_row(on):
    ledger, settings = sample_ledger()
    rows, _ = compute_reminders(ledger, settings, Filters(on))
    assert rows
    for row in rows:
        found = statement(ledger, settings, row.tiers, row.societe, on, row.devise)
        assert found.solde == row.solde_comptable, row.tiers
        assert sum(item.reste for item in found.items) == found.solde
        assert sum(found.buckets) + found.non_impute == found.solde


def test_an_invoice_paid_in_part_shows_paid_and_left_and_its_days_late():
    ledger, settings = sample_ledger()
    on = date(2022, 7, 27)
    found = statement(ledger, settings, "3UENEG", "VIGNE", on)
    (invoice,) = [item for item in found.items if item.piece == "FA22-0112"]
    assert (invoice.kind, invoice.montant, invoice.regle, invoice.reste, invoice.jours_retard
            ) == (FACTURE, Decimal("2450.00"), Decimal("450.00"), Decimal("2000.00"), 12)


def test_an_overpaid_invoice_leaves_an_excess_line_so_the_items_add_up():
    ledger, settings = sample_ledger()
    on = date(2022, 7, 27)
    extra = Payment("VIGNE", "RG-X", "3UENEG", date(2022, 7, 20), Decimal("2100.00"),
                    piece_lettree="FA22-0112")
    ledger = replace(ledger, payments=(*ledger.payments, extra))
    found = statement(ledger, settings, "3UENEG", "VIGNE", on)
    assert [i.kind for i in found.items if i.kind == EXCEDENT] == [EXCEDENT]
    assert sum(item.reste for item in found.items) == found.solde == Decimal("-100.00")


def test_a_payment_lettered_to_nothing_and_a_credit_note_are_negative_items():
    ledger, settings = sample_ledger()
    on = date(2022, 7, 27)
    found = statement(ledger, settings, "1FRNEG", "VIGNE", on)
    assert [(i.kind, i.piece) for i in found.items if i.reste < 0] == [(REGLEMENT, "RG22-0077")]
    credit = Invoice("VIGNE", "AV-1", "1FRNEG", date(2022, 7, 1), date(2022, 7, 1),
                     Decimal("16.00"), avoir=True)
    with_credit = statement(replace(ledger, invoices=(*ledger.invoices, credit)), settings,
                            "1FRNEG", "VIGNE", on)
    assert with_credit.solde == found.solde - Decimal("16.00")


def test_an_invoice_posted_after_the_date_is_not_on_the_statement():
    ledger, settings = sample_ledger()
    found = statement(ledger, settings, "4HUE", "VIGNE", date(2022, 7, 14))
    assert "FA22-0130" not in {item.piece for item in found.items}  # dated 15/07


@pytest.mark.parametrize("langue", LANGUES)
def test_each_language_has_its_template_and_every_field_it_uses(langue):
    ledger, settings = sample_ledger()
    customer = next(c for c in ledger.customers if c.tiers == "1FRNEG")
    context = statement_context(ledger, settings, replace(customer, langue=langue),
                                Company("VIGNE", "Domaine de la Vigne SAS"), date(2022, 7, 27))
    template = template_path(STATEMENT_FORME, langue)
    assert template == TEMPLATES_DIR / f"REL01_{langue}.docx"
    check_fields(template, context)
    assert context["solde"].replace("\u202f", " ").replace("\xa0", " ") in {
        "216,00 €", "€216.00"}
    assert len(context["tranches"]) == 6


def test_bucket_labels_follow_the_limits_of_parametres():
    assert bucket_labels((15, 45, 120), "EN") == [
        "Not yet due", "1 to 15 days", "16 to 45 days", "46 to 120 days", "Over 120 days",
        "Unallocated"]
