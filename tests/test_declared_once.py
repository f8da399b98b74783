"""What is declared once and read everywhere: the outputs, the templates and their
languages, the customer's regime, the accent folding, money with its currency."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from relances_xl import layout, texts
from relances_xl.cells import parse_money
from relances_xl.config import (
    DEFAULT_LEVELS,
    LANGUES,
    OUTPUTS,
    PROPOSAL_FORME,
    PUBLIC_LEVELS,
    RECOVERY_FORMES,
    STATEMENT_FORME,
    TEMPLATES,
    LevelSet,
    PrintOptions,
    Regime,
    Settings,
    Sortie,
)
from relances_xl.excel import build
from relances_xl.layout import normalize_header
from relances_xl.letters import make_templates, wording
from relances_xl.letters.outputs import OutputError
from relances_xl.letters.render import TEMPLATES_DIR
from relances_xl.letters.run import issue_letters, print_proposal
from relances_xl.model import Customer, Ledger, ReminderRow, fold, strip_accents

# --- outputs ---------------------------------------------------------------------------


def test_every_output_is_declared_in_the_order_of_its_drop_down():
    assert list(OUTPUTS) == list(Sortie)
    assert list(layout.SORTIE_LABELS.values()) == [o.label for o in OUTPUTS.values()]
    assert all(sortie.output is OUTPUTS[sortie] for sortie in Sortie)


def test_only_the_screen_records_nothing_and_asks_nothing():
    silent = [s for s, o in OUTPUTS.items() if not o.records or not o.confirm]
    assert silent == [Sortie.ECRAN]
    assert not PrintOptions(Sortie.ECRAN, Path(".")).records
    assert PrintOptions(Sortie.FAX, Path(".")).records


def test_a_sending_output_names_a_customer_field_and_why_it_may_lack():
    customer_fields = {f.name for f in fields(Customer)}
    sending = {s: o for s, o in OUTPUTS.items() if o.delivery == "send"}
    assert set(sending) == {Sortie.EMAIL, Sortie.FAX}
    for output in sending.values():
        assert output.recipient in customer_fields and output.missing
        assert output.needs_pdf and not output.proposal
    assert all(not o.recipient for o in OUTPUTS.values() if o.delivery != "send")


def test_only_word_and_the_text_file_need_no_pdf():
    assert {s for s, o in OUTPUTS.items() if not o.needs_pdf} == {Sortie.WORD, Sortie.TEXTE}


@pytest.mark.parametrize("sortie", [Sortie.EMAIL, Sortie.FAX])
def test_the_proposal_is_refused_where_its_output_declares_so(sortie, tmp_path):
    with pytest.raises(OutputError, match="ne s'envoie pas"):
        print_proposal([], Ledger(), Settings(levels=DEFAULT_LEVELS), _day(),
                       PrintOptions(sortie, tmp_path))


def test_an_output_not_declared_is_refused_before_anything(tmp_path):
    row = ReminderRow("C1", "S", D("1"), D("1"), D("0"), 1, True, False, "")
    with pytest.raises(OutputError, match="sortie inconnue : 'sms'"):
        issue_letters([row], Ledger(), Settings(levels=DEFAULT_LEVELS), _day(),
                      PrintOptions("sms", tmp_path))  # type: ignore[arg-type]


def _day() -> date:
    return date(2022, 7, 27)


# --- templates, languages, levels --------------------------------------------------------


def test_the_forme_drop_down_and_the_generator_list_the_declared_templates():
    formes = tuple(t.forme for t in TEMPLATES)
    assert layout.FORMES == formes == make_templates.LETTER_FORMES
    assert set(wording.LETTERS) == set(formes)  # each has its words
    assert PROPOSAL_FORME not in formes


def test_each_declared_template_ships_in_each_language():
    shipped = {p.name for p in TEMPLATES_DIR.glob("*.docx")}
    wanted = {f"{forme}_{langue}.docx"
              for forme in (*layout.FORMES, PROPOSAL_FORME, STATEMENT_FORME)
              for langue in LANGUES}
    # the recovery file's documents go to a French court: French only
    wanted |= {f"{forme}_FR.docx" for forme in RECOVERY_FORMES}
    assert shipped == wanted


def test_the_private_customer_table_is_a_flag_of_the_formal_notice_only():
    flagged = [t.forme for t in TEMPLATES if t.private_columns]
    assert flagged == ["LET03"]
    assert all(t.interest for t in TEMPLATES if t.private_columns)
    assert [t.forme for t in TEMPLATES if t.public] == ["ADM01", "ADM02"]


def test_the_built_levels_are_the_declared_levels_as_cells():
    assert len(build.DEFAULT_LEVELS) == len(DEFAULT_LEVELS)
    first, *_, notice = build.DEFAULT_LEVELS
    columns = list(layout.PARAMETRES_LEVELS_COLUMNS.values())
    assert first[columns.index("jours_depuis_precedente")] == ""  # level 1 follows none
    assert notice[columns.index("recommande")] == "Oui"
    assert build.PUBLIC_LEVELS[-1][columns.index("taux")] == "Acheteurs publics"


# --- the regime ----------------------------------------------------------------------


@pytest.mark.parametrize(("particulier", "levels", "regime"), [
    (False, DEFAULT_LEVELS, Regime.PRO),
    (True, DEFAULT_LEVELS, Regime.PARTICULIER),
    (False, PUBLIC_LEVELS, Regime.PUBLIC),
    (True, PUBLIC_LEVELS, Regime.PARTICULIER),  # a private person keeps its rights
])
def test_the_regime_is_the_customers_type_then_its_set_of_levels(particulier, levels, regime):
    customer = Customer("C1", "Nom", particulier=particulier)
    assert Regime.of(customer, LevelSet("", levels)) is regime


# --- accents ---------------------------------------------------------------------------


def test_accent_folding_is_one_function_under_the_others():
    assert strip_accents("Échéance à régler") == "Echeance a regler"
    assert strip_accents(None) == ""
    assert fold("  ACHETEUR   Public ") == fold("acheteur public") == "acheteur public"
    assert normalize_header("N° pièce") == "no piece"


# --- money -----------------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["0", "0.5", "-12", "999.99", "1000", "11063.8",
                                    "-1234567.01"])
def test_the_quick_french_text_is_babels(amount):
    assert texts.euros_text(D(amount)) == texts.money(D(amount)) == texts.euros(D(amount))
    assert texts.euros_text(D(amount), "USD") == texts.money(D(amount), "USD")


def test_an_amount_carries_its_currency_and_its_locale():
    assert texts.money(D("11063.80")) == "11\u202f063,80\u00a0€"
    assert texts.money(D("11063.80"), locale="en_GB") == "€11,063.80"
    assert texts.money(D("11063.80"), "USD") == "11\u202f063,80\u00a0$US"
    assert texts.money(D("150000"), pattern="#,##0\u00a0¤", cents=False) == "150\u202f000\u00a0€"


def test_the_sheets_number_format_is_the_currencys():
    assert layout.MONEY_FORMAT == texts.money_format() == '#,##0.00 "€"'
    assert texts.money_format("USD", cents=False) == '#,##0 "$US"'


def test_a_typed_amount_may_carry_the_default_currency():
    assert parse_money("1 234,56 €") == (D("1234.56"), None)
    assert parse_money("1234,56 EUR") == (D("1234.56"), None)
