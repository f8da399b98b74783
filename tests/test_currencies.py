"""Invoices in other currencies (issue 28): one row per customer, company and currency,
amounts never converted, the euro settings restated through Paramètres' "Taux de
change", the D441-5 indemnity kept in euros, and every doubtful case a named problem."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from relances_xl import cells, layout
from relances_xl.config import DEFAULT_LEVELS, ExchangeRate, Level, Settings
from relances_xl.ledger import read_ledger
from relances_xl.model import Filters
from relances_xl.parametres import read_settings
from relances_xl.rules.engine import REASON_CHANGE, REASON_MINIMUM, compute_reminders
from tests.test_engine import TODAY, customer, invoice, ledger, payment
from tests.test_parametres import parametres_block

USD = ExchangeRate("USD", Decimal("1.0150"), date(2024, 3, 29))
SETTINGS = Settings(levels=DEFAULT_LEVELS, taux_change=(USD,))


def rows_of(*items, settings=SETTINGS):
    return compute_reminders(ledger(*items), settings, Filters(date=TODAY))


# --- the engine -----------------------------------------------------------------------------


def test_a_customer_with_euro_and_dollar_invoices_gets_two_rows_each_in_its_currency():
    rows, problems = rows_of(customer(), invoice("F1", "100.00"),
                             invoice("F2", "250.00", devise="USD"),
                             invoice("F3", "50.00", devise="USD"),
                             payment("20.00", lettree="F3")._replace(devise="USD"))
    assert problems == []
    assert [row.key for row in rows] == [("C1", "S1", "EUR"), ("C1", "S1", "USD")]
    euro, dollar = rows
    assert (euro.encours_relance, euro.solde_comptable) == (Decimal("100.00"),) * 2
    assert (dollar.encours_relance, dollar.solde_comptable) == (Decimal("280.00"),) * 2
    assert [line.invoice.piece for line in dollar.lines] == ["F2", "F3"]
    assert euro.a_relancer and dollar.a_relancer


def test_a_dollar_invoice_paid_in_full_in_dollars_is_settled_whatever_the_euros():
    rows, _ = rows_of(customer(), invoice("F1", "1000.00", devise="USD"),
                      payment("1000.00", lettree="F1")._replace(devise="USD"))
    assert rows == []


def test_a_currency_without_a_rate_is_a_named_problem_and_its_row_unticked():
    rows, problems = rows_of(customer(), invoice("F1", "500.00", devise="CHF")._replace(row=7))
    assert [(p.sheet, p.row, p.column, p.value, p.blocking) for p in problems] == [
        (layout.FACTURES, 7, "Devise", "CHF", False)]
    assert "aucun taux de change pour CHF" in problems[0].message
    (row,) = rows
    assert row.devise == "CHF" and row.change_manquant
    assert not row.a_relancer and REASON_CHANGE in row.raisons
    assert "Taux de change CHF absent" in row.motif


def test_the_euro_minimum_is_restated_at_the_rate_and_rounded_to_the_cent():
    # 10,00 € x 1,0150 = 10,15 $: 10,14 $ is under it, 10,15 $ is not
    under, _ = rows_of(customer(), invoice("F1", "10.14", devise="USD"))
    at, _ = rows_of(customer(), invoice("F1", "10.15", devise="USD"))
    assert REASON_MINIMUM in under[0].raisons and not under[0].a_relancer
    assert "10,15\u00a0$US" in under[0].motif
    assert at[0].a_relancer


def test_an_amount_under_one_unit_is_reminded_only_if_the_minimum_allows():
    rows, _ = rows_of(customer(), invoice("F1", "0.50", devise="USD"))
    assert REASON_MINIMUM in rows[0].raisons
    lower = replace(SETTINGS, montant_minimum=Decimal("0.00"))
    rows, _ = rows_of(customer(), invoice("F1", "0.50", devise="USD"), settings=lower)
    assert rows[0].a_relancer and rows[0].encours_relance == Decimal("0.50")


def test_a_levels_fee_is_restated_in_the_rows_currency():
    levels = (Level(1, 0, 0, "LET01", frais=Decimal("15.00")),)
    settings = replace(SETTINGS, levels=levels)
    rows, _ = rows_of(customer(), invoice("F1", "300.00"), invoice("F2", "300.00", devise="USD"),
                      settings=settings)
    assert [(r.devise, r.frais) for r in rows] == [("EUR", Decimal("15.00")),
                                                   ("USD", Decimal("15.23"))]  # 15,225 up


def test_interest_runs_on_the_currency_amount_and_the_indemnity_stays_in_euros():
    notice = (Level(1, 0, 0, "LET03", interets=True, indemnite=True),)
    settings = replace(SETTINGS, levels=notice)
    rows, _ = rows_of(customer(), invoice("F1", "1000.00", jours_retard=60),
                      invoice("F2", "1000.00", jours_retard=60, devise="USD"),
                      invoice("F3", "200.00", jours_retard=60, devise="USD"),
                      settings=settings)
    euro, dollar = rows
    assert dollar.lines[0].interets == euro.lines[0].interets > 0  # same rate, same days
    assert euro.indemnite_euros == 0 and euro.agios_reclames == (
        euro.lines[0].interets + Decimal("40.00"))
    assert all(line.indemnite == 0 for line in dollar.lines)  # never in dollars
    assert dollar.indemnite_euros == Decimal("80.00")  # 40 € per invoice, in euros
    assert dollar.agios_reclames == sum(line.interets for line in dollar.lines)


def test_a_euro_only_ledger_gives_rows_in_euros_as_before():
    rows, problems = rows_of(customer(), invoice("F1", "100.00"), settings=Settings(
        levels=DEFAULT_LEVELS))
    assert problems == [] and rows[0].devise == "EUR" and rows[0].key[2] == "EUR"


# --- the sheets ---------------------------------------------------------------------------


def _blocks(factures: list[list[object]], reglements: list[list[object]]) -> dict:
    clients = [list(layout.CLIENTS_COLUMNS), ["C1", "Client"]]
    return {layout.CLIENTS: clients,
            layout.FACTURES: [list(layout.FACTURES_COLUMNS), *factures],
            layout.REGLEMENTS: [list(layout.REGLEMENTS_COLUMNS), *reglements],
            layout.HISTORIQUE: [list(layout.HISTORIQUE_COLUMNS)]}


def _facture(piece: str, devise: object, montant: float = 100.0) -> list[object]:
    return ["S1", piece, "Facture", "C1", date(2024, 1, 1), date(2024, 1, 31), montant,
            "", "Oui", "Non", devise]


def test_a_gbp_payment_lettered_to_a_usd_invoice_is_a_named_problem_with_both_cells():
    blocks = _blocks([_facture("F1", "USD")],
                     [["S1", "R1", "C1", date(2024, 2, 1), 100.0, "VIR", "F1", "GBP"]])
    _, problems = read_ledger(blocks)
    (problem,) = problems
    assert (problem.sheet, problem.row, problem.column, problem.value) == (
        layout.REGLEMENTS, 2, "Devise", "GBP")
    assert "F1 en USD" in problem.message and "Factures, ligne 2" in problem.message
    assert problem.blocking


def test_an_empty_devise_is_the_euro_and_a_lowercase_code_is_read_as_typed_in_capitals():
    blocks = _blocks([_facture("F1", None), _facture("F2", "usd"), _facture("F3", " Chf ")],
                     [["S1", "R1", "C1", date(2024, 2, 1), 100.0, "VIR", "F2", "USD"]])
    found, problems = read_ledger(blocks)
    assert problems == []
    assert [i.devise for i in found.invoices] == ["EUR", "USD", "CHF"]


def test_a_workbook_without_the_devise_column_reads_in_euros():
    blocks = _blocks([], [])
    blocks[layout.FACTURES] = [list(layout.FACTURES_COLUMNS)[:-1], _facture("F1", None)[:-1]]
    found, problems = read_ledger(blocks)
    assert problems == [] and found.invoices[0].devise == "EUR"


@pytest.mark.parametrize("typed", ["EURO", "US$", "ZZZ", 840.0])
def test_an_unknown_currency_code_is_refused_with_its_cell(typed):
    _, problems = read_ledger(_blocks([_facture("F1", typed)], []))
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [
        (layout.FACTURES, 2, "Devise", typed)]
    assert "ISO 4217" in problems[0].message


def _with_rates(*rows: list[object]) -> list[list[object]]:
    return [*parametres_block(), [None], [layout.PARAMETRES_CHANGE_TITLE],
            list(layout.PARAMETRES_CHANGE_COLUMNS), *rows]


def test_the_exchange_rates_table_is_read_with_its_dates():
    settings, problems = read_settings(_with_rates(["usd", 1.085, date(2024, 3, 29)],
                                                   ["GBP", "0,8565", None]))
    assert problems == []
    assert settings.taux_change == (
        ExchangeRate("USD", Decimal("1.085"), date(2024, 3, 29), settings.taux_change[0].row),
        ExchangeRate("GBP", Decimal("0.8565"), None, settings.taux_change[1].row))
    assert settings.rate("GBP").from_euros(Decimal("40.00")) == Decimal("34.26")
    assert settings.rate("EUR").unites_par_euro == 1 and settings.rate("CHF") is None


@pytest.mark.parametrize("rate", [0, 0.0, -1.2, "abc", None])
def test_a_rate_of_zero_negative_or_empty_is_a_named_problem(rate):
    block = _with_rates(["USD", rate, None])
    settings, problems = read_settings(block)
    assert settings.taux_change == ()
    (problem,) = problems
    assert (problem.sheet, problem.row, problem.column, problem.value) == (
        layout.PARAMETRES, len(block), "Unités de la devise pour 1 €", rate)


def test_the_euro_or_a_currency_twice_in_the_rates_table_is_a_named_problem():
    block = _with_rates(["USD", 1.08, None], ["EUR", 1, None], ["usd", 1.09, None])
    settings, problems = read_settings(block)
    assert [r.devise for r in settings.taux_change] == ["USD"]
    assert [(p.row, p.value) for p in problems] == [(len(block) - 1, "EUR"),
                                                    (len(block), "usd")]


def test_parse_currency_boundaries():
    assert cells.parse_currency("") == ("EUR", None)
    assert cells.parse_currency(None) == ("EUR", None)
    assert cells.parse_currency(" usd ") == ("USD", None)
    assert cells.parse_currency("EU")[0] is None


# --- the real workbook -------------------------------------------------------------------


@pytest.fixture
def dollar_workbook(tmp_path):
    """The sample workbook (its Taux de change: 1 € = 1,0150 $) with a customer owing
    euros and dollars, and one owing francs, whose rate the table lacks."""
    from relances_xl import sample
    from relances_xl.excel.build import build_workbook

    rows = sample.sheet_rows()
    rows[layout.CLIENTS] += [
        ["NYBAR", "Big Apple Wines", "100 Fifth Avenue", "", "10011", "NEW YORK",
         "États-Unis", "EXPORT", "REP02", "VIR", "ap@bigapple.example.com", "", "EN",
         "Professionnel", "Non", 30, "", ""]]
    rows[layout.FACTURES] += [
        ["VIGNE", "FU22-0001", "Facture", "NYBAR", date(2022, 5, 2), date(2022, 6, 1),
         Decimal("1234.56"), "VIR", "Oui", "Non", "USD"],
        ["VIGNE", "FA22-0201", "Facture", "NYBAR", date(2022, 5, 2), date(2022, 6, 1),
         Decimal("300.00"), "VIR", "Oui", "Non", ""],
        ["VIGNE", "FS22-0001", "Facture", "3UENEG", date(2022, 5, 2), date(2022, 6, 1),
         Decimal("800.00"), "VIR", "Oui", "Non", "CHF"]]
    return build_workbook(tmp_path / "Relances.xlsm", rows=rows)


def test_appliquer_writes_a_row_per_currency_with_its_devise_and_its_money_format(
        dollar_workbook, capsys):
    import json

    import openpyxl

    from relances_xl.cli import main

    code = main(["appliquer", str(dollar_workbook), "--date", "2022-07-27", "--json"])
    out, _ = capsys.readouterr()
    assert code == 0
    found = {(r["tiers"], r["devise"]): r for r in json.loads(out)}
    assert found[("NYBAR", "EUR")]["encours_relance"] == "300.00"
    assert found[("NYBAR", "USD")]["encours_relance"] == "1234.56"
    assert found[("NYBAR", "USD")]["a_relancer"] is True
    assert found[("3UENEG", "CHF")]["a_relancer"] is False
    assert "Taux de change CHF absent" in found[("3UENEG", "CHF")]["motif"]
    book = openpyxl.load_workbook(dollar_workbook)
    sheet = book[layout.RELANCES]
    devise, encours = layout.table_letter("devise"), layout.table_letter("encours_relance")
    by_key = {}
    for number in range(layout.TABLE_FIRST_ROW, sheet.max_row + 1):
        if sheet[f"A{number}"].value:
            by_key[(sheet[f"A{number}"].value, sheet[f"{devise}{number}"].value)] = number
    dollars, euros = by_key[("NYBAR", "USD")], by_key[("NYBAR", "EUR")]
    assert sheet[f"{encours}{dollars}"].number_format == '#,##0.00 "$US"'
    assert sheet[f"{encours}{euros}"].number_format == layout.MONEY_FORMAT
    controles = [row for row in book[layout.CONTROLES].iter_rows(values_only=True)]
    assert any(row[1] == layout.FACTURES and row[3] == "Devise" and row[4] == "CHF"
               for row in controles)


# --- what the letters and the proposal say ----------------------------------------------


def _notice_rows(langue: str):
    from relances_xl.config import Company

    notice = (Level(1, 0, 0, "LET03", interets=True, indemnite=True),)
    settings = replace(SETTINGS, levels=notice, companies=(Company("S1", "Vins SAS"),))
    client = customer(langue=langue)
    rows, _ = rows_of(client, invoice("F1", "1000.00", jours_retard=60),
                      invoice("F2", "1234.56", jours_retard=60, devise="USD"),
                      settings=settings)
    return rows, client, settings


@pytest.mark.parametrize(("langue", "total", "sentence"), [
    ("FR", "$US", "S'y ajoute l'indemnité forfaitaire pour frais de recouvrement de "
                  "40,00 € (article D441-5 du Code de commerce)"),
    ("EN", "US$", "In addition, the fixed compensation for recovery costs of €40.00 "
                  "(Article D441-5 of the French Commercial Code)"),
    ("DE", "$", "Hinzu kommt die Pauschale für Beitreibungskosten von 40,00 € gemäß "
                "Art. D441-5"),
])
def test_a_dollar_notice_claims_the_indemnity_in_euros_beside_its_total(langue, total,
                                                                       sentence):
    from relances_xl.letters.context import letter_context

    rows, client, settings = _notice_rows(langue)
    euro, dollar = rows
    ctx = letter_context(dollar, client, settings.companies[0], settings, TODAY)
    plain = {key: str(value).replace("\u202f", " ").replace("\u00a0", " ")
             for key, value in ctx.items()}
    assert plain["mention_indemnite_euros"].startswith(sentence)
    assert plain["devise"] == "USD" and total in plain["total_reclame"]
    assert ctx["total_reclame_brut"] == dollar.encours_relance + dollar.agios_reclames
    indemnity = [a for a in ctx["agios"] if a["devise"] == "EUR"]
    assert [a["montant_brut"] for a in indemnity] == [Decimal("40.00")]
    assert ctx["virement_qr"] == ""  # no EPC code on a letter in dollars
    euro_ctx = letter_context(euro, client, settings.companies[0], settings, TODAY)
    assert euro_ctx["mention_indemnite_euros"] == ""
    assert euro_ctx["total_reclame_brut"] == (euro.encours_relance + euro.lines[0].interets
                                              + Decimal("40.00"))


def test_the_proposal_totals_each_currency_apart():
    from relances_xl.letters.context import proposal_context

    rows, client, settings = _notice_rows("FR")
    ctx = proposal_context(rows, ledger(client), settings, TODAY)
    total = ctx["total_reste_du"].replace("\u202f", " ").replace("\u00a0", " ")
    assert total == "1 000,00 € + 1 234,56 $US"
    assert [c["devise"] for c in ctx["clients"]] == ["EUR", "USD"]
    assert ctx["total_reste_du_brut"] == Decimal("1000.00")  # the euro rows' only


def test_the_statement_of_a_dollar_row_lists_only_its_dollars():
    from relances_xl.letters.statement import statement_context

    _, client, settings = _notice_rows("EN")
    book = ledger(client, invoice("F1", "1000.00", jours_retard=60),
                  invoice("F2", "1234.56", jours_retard=60, devise="USD"))
    ctx = statement_context(book, settings, client, settings.companies[0], TODAY, "USD")
    assert [line["numero"] for line in ctx["lignes"]] == ["F2"]
    assert ctx["solde"] == "US$1,234.56"


def test_the_text_export_names_each_lines_currency(tmp_path):
    import csv

    from relances_xl.letters.proposal_run import TEXT_HEADER
    from relances_xl.letters.proposal_run import text_export as _text_export

    rows, _, _ = _notice_rows("FR")
    path = _text_export(rows, TODAY, tmp_path, "lettres")
    with open(path, encoding="utf-8-sig", newline="") as stream:
        lines = list(csv.reader(stream, delimiter=";"))
    assert lines[0] == TEXT_HEADER
    devise, euros = TEXT_HEADER.index("Devise"), TEXT_HEADER.index("Indemnité en euros")
    assert [(line[devise], line[euros]) for line in lines[1:]] == [("EUR", ""),
                                                                   ("USD", "40,00")]


# --- Balance âgée and the dashboard ----------------------------------------------------------


def test_the_aged_balance_has_a_row_and_a_total_per_currency():
    from relances_xl.rules.aging import balance_agee, totals_by_currency

    book = ledger(customer(), invoice("F1", "100.00"), invoice("F2", "250.00", devise="USD"),
                  payment("50.00")._replace(devise="USD"))
    rows = balance_agee(book, SETTINGS, Filters(date=TODAY))
    assert [(r.devise, r.total, r.non_impute) for r in rows] == [
        ("EUR", Decimal("100.00"), Decimal("0.00")),
        ("USD", Decimal("200.00"), Decimal("-50.00"))]
    assert {d: total for d, (_, _, total) in totals_by_currency(rows).items()} == {
        "EUR": Decimal("100.00"), "USD": Decimal("200.00")}


def test_the_dashboard_converts_each_piece_to_euros_and_names_what_it_leaves_out():
    from relances_xl.rules.currencies import euros_note, in_euros

    book = ledger(customer(), invoice("F1", "100.00"), invoice("F2", "1015.00", devise="USD"),
                  invoice("F3", "500.00", devise="CHF"),
                  payment("1015.00", lettree="F2")._replace(devise="USD"))
    converted, missing = in_euros(book, SETTINGS)
    assert missing == ("CHF",)
    assert [(i.piece, i.montant, i.devise) for i in converted.invoices] == [
        ("F1", Decimal("100.00"), "EUR"), ("F2", Decimal("1000.00"), "EUR")]
    assert converted.payments[0].montant == Decimal("1000.00")  # settled in euros too
    note = euros_note(book, SETTINGS)
    assert "1 € = 1,015 USD, taux du 29/03/2024" in note
    assert "exclues faute de taux : CHF" in note
    assert euros_note(ledger(customer(), invoice("F1", "1.00")), SETTINGS) == ""
    assert in_euros(ledger(invoice("F1", "1.00")), SETTINGS)[1] == ()


def test_balance_agee_writes_the_devise_column_and_a_total_per_currency(dollar_workbook,
                                                                        capsys):
    import openpyxl

    from relances_xl.cli import main

    assert main(["balance-agee", str(dollar_workbook), "--date", "2022-07-27"]) == 0
    out, _ = capsys.readouterr()
    assert "au total dont" in out and "$US" in out
    book = openpyxl.load_workbook(dollar_workbook)
    sheet = book[layout.BALANCE_AGEE]
    header = [c.value for c in sheet[layout.AGED_HEADER_ROW]]
    devise = header.index("Devise") + 1
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=layout.AGED_FIRST_ROW)
            if row[0].value]
    totals = {row[devise - 1]: row for row in rows if row[0] == "Total"}
    assert set(totals) == {"EUR", "USD", "CHF"}
    assert totals["USD"][header.index("Total")] == 1234.56 + 2000  # NYBAR and NYWINE
    usd = next(n for n, row in enumerate(rows, start=layout.AGED_FIRST_ROW)
               if row[0] == "NYBAR" and row[devise - 1] == "USD")
    assert sheet[f"I{usd}"].number_format == '#,##0.00 "$US"'
    note = book[layout.TABLEAU_DE_BORD][layout.DASHBOARD_EUROS_NOTE_CELL].value
    assert note.startswith("Montants en euros") and "CHF" in note


def test_a_row_without_a_rate_ticked_by_hand_gets_no_letter_and_the_others_go(
        dollar_workbook, tmp_path, capsys):
    import openpyxl

    from relances_xl.cli import main

    assert main(["appliquer", str(dollar_workbook), "--date", "2022-07-27"]) == 0
    book = openpyxl.load_workbook(dollar_workbook, keep_vba=True)
    sheet = book[layout.RELANCES]
    devise, tick = layout.table_letter("devise"), layout.table_letter("a_relancer")
    (francs,) = [n for n in range(layout.TABLE_FIRST_ROW, sheet.max_row + 1)
                 if sheet[f"{devise}{n}"].value == "CHF"]
    sheet[f"{tick}{francs}"] = True  # the user ticks it all the same
    book.save(dollar_workbook)
    capsys.readouterr()
    main(["lettres", str(dollar_workbook), "--sortie", "texte", "--dossier", str(tmp_path)])
    out, err = capsys.readouterr()
    assert ("Lettre non émise pour 3UENEG / VIGNE en CHF : taux de change absent "
            "(feuille Paramètres, table Taux de change).") in out + err
    (export,) = tmp_path.glob("*.csv")
    lines = export.read_text(encoding="utf-8-sig").splitlines()
    assert not any(line.startswith("3UENEG;") and ";CHF;" in line for line in lines)
    assert any(line.startswith("NYBAR;") and ";USD;" in line for line in lines)


def test_the_customers_story_says_each_amount_in_its_currency():
    from relances_xl.rules.timeline import timeline

    book = ledger(customer(), invoice("F2", "250.00", devise="USD"),
                  payment("50.00", lettree="F2")._replace(devise="USD"))
    texts = [event.text for event in timeline(book, [], "C1", TODAY)]
    assert any("F2 de 250,00\u00a0$US" in text for text in texts)
    assert any("de 50,00\u00a0$US, lettré à F2" in text for text in texts)


def test_a_saved_choice_on_the_dollar_row_leaves_the_euro_row_of_the_customer_alone():
    from datetime import datetime

    from relances_xl.proposal import from_cells, restore, snapshot, to_cells

    rows, _ = rows_of(customer(), invoice("F1", "100.00"), invoice("F2", "250.00", devise="USD"))
    chosen = [rows[0], rows[1]._replace(a_relancer=False)]  # the user unticks the dollars
    saved = snapshot(chosen, Filters(date=TODAY), datetime(2024, 3, 31, 9),
                     {row.key: row.a_relancer for row in rows})
    values, block = to_cells(saved, changed=False)
    assert "Devise" in block[0]
    read, problems = from_cells(values, block)
    assert problems == [] and [r.key for r in read.rows] == [r.key for r in rows]
    again, restored = restore(rows, read, TODAY)
    assert [(r.devise, r.a_relancer) for r in again] == [("EUR", True), ("USD", False)]
    assert restored.kept == 2 and restored.unticked == 1


def test_a_proposal_saved_before_the_devise_column_reads_in_euros():
    from datetime import datetime

    from relances_xl.proposal import from_cells, snapshot, to_cells

    rows, _ = rows_of(customer(), invoice("F1", "100.00"))
    values, block = to_cells(snapshot(rows, Filters(date=TODAY), datetime(2024, 3, 31)), False)
    at = block[0].index("Devise")
    older = [[cell for n, cell in enumerate(row) if n != at] for row in block]
    read, problems = from_cells(values, older)
    assert problems == [] and read.rows[0].key == ("C1", "S1", "EUR")
