"""The letters' date, formal notices dated in the past, sentences true of each invoice
(issue 23 §3), from the workbook's cells and the command line's output."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from relances_xl import addin, layout
from relances_xl.cli import main, print_workbook
from relances_xl.config import DEFAULT_LEVELS, Company, Settings, Sortie
from relances_xl.letters.context import letter_context
from relances_xl.model import Customer, Filters, HistoryEntry, Invoice, Ledger
from relances_xl.parametres import read_filters
from relances_xl.rules.engine import compute_reminders

D = Decimal


def test_an_empty_date_des_lettres_is_the_tables_date():
    filters, problems = read_filters({"date": datetime(2022, 9, 16)}, today=date(2026, 1, 1))
    assert problems == [] and filters.lettres is None
    assert filters.date_lettres == date(2022, 9, 16)


def test_a_date_des_lettres_after_the_tables_is_the_letters_date():
    filters, problems = read_filters({"date": datetime(2022, 9, 16),
                                      "lettres": datetime(2022, 9, 19)}, today=date(2026, 1, 1))
    assert problems == [] and filters.date_lettres == date(2022, 9, 19)


def test_a_date_des_lettres_before_the_tables_is_refused_with_its_cell():
    _, problems = read_filters({"date": datetime(2022, 9, 16),
                                "lettres": datetime(2022, 9, 15)}, today=date(2026, 1, 1))
    assert [str(p) for p in problems] == [
        "Relances, ligne 11, colonne « Date des lettres » : valeur « 2022-09-15 00:00:00 » "
        "— date antérieure à « Échéances échues au » (16/09/2022)"]
    assert problems[0].blocking


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def after_july(workbook: Path, tmp_path: Path, capsys) -> Path:
    """The sample with the letters of 27/07/2022 issued (on that day)."""
    assert cli(capsys, "appliquer", str(workbook), "--date", "2022-07-27")[0] == 0
    done = print_workbook(workbook, lambda: addin.imprimer_lettres(today=date(2022, 7, 27)),
                          Sortie.TEXTE, tmp_path / "juillet")
    assert done.report and done.report.issued
    return workbook


def test_interest_counts_to_the_date_des_lettres(after_july, capsys):
    """Table of 15/09/2022, letters dated 19/09/2022: FA22-0115's 216,00 € bears 4 more
    days. (5063.80 x 15 + 216 x 56) x 0.10 / 365 = 8805.30 / 365 = 24.124 -> 24.12;
    FA22-0101 is unchanged (settled 25/07): 59.18. 83.30 + 2 x 40 = 163.30."""
    code, out, _ = cli(capsys, "appliquer", str(after_july), "--date", "2022-09-15",
                       "--date-lettres", "2022-09-19", "--json")
    assert code == 0
    row = next(r for r in json.loads(out) if (r["tiers"], r["societe"]) == ("1FRNEG", "VIGNE"))
    assert (row["niveau"], row["agios_reclames"]) == (3, "163.30")
    code, out, _ = cli(capsys, "appliquer", str(after_july), "--date", "2022-09-15", "--json")
    row = next(r for r in json.loads(out) if (r["tiers"], r["societe"]) == ("1FRNEG", "VIGNE"))
    assert row["agios_reclames"] == "163.07"  # 83.07 + 80.00, to 15/09


def test_a_formal_notice_whose_deadline_has_passed_is_not_issued(after_july, tmp_path,
                                                                 capsys):
    """Applied at 15/09/2022 and printed today (years later): the notices' deadline,
    23/09/2022, is past: they are not issued and the message says to apply at today's
    date; the other letters of the run still go out. Issued on 15/09/2022 itself (the
    demo plays that day), they go out."""
    assert cli(capsys, "appliquer", str(after_july), "--date", "2022-09-15")[0] == 0
    code, out, _ = cli(capsys, "lettres", str(after_july), "--sortie", "texte", "--dossier",
                       str(tmp_path / "tard"))
    assert code == 0
    said = re.sub(r"\s+", " ", out)
    assert ("Mise en demeure non émise pour 1FRNEG / VIGNE : son délai de paiement "
            "(23/09/2022) est déjà passé ; appliquez à la date du jour.") in said
    assert "2FRPAR / VIGNE" in said
    on_time = print_workbook(after_july, lambda: addin.imprimer_lettres(today=date(2022, 9, 15)),
                             Sortie.TEXTE, tmp_path / "a-temps")
    issued = {(row.tiers, row.societe) for row in on_time.report.issued}
    assert ("1FRNEG", "VIGNE") in issued and on_time.refused == {}


def test_a_firmer_letter_names_the_invoices_it_reminds_for_the_first_time():
    """F1 reminded at level 1 twenty days ago; F2, late since, never reminded: the level 2
    letter says "despite our previous reminder" and names F2 as reminded for the first
    time."""
    on = date(2024, 3, 1)
    customer = Customer("C1", "Client C1")
    ledger = Ledger(
        (customer,),
        (Invoice("S1", "F1", "C1", on - timedelta(days=80), on - timedelta(days=50), D("100")),
         Invoice("S1", "F2", "C1", on - timedelta(days=40), on - timedelta(days=10), D("50"))),
        (), (HistoryEntry(on - timedelta(days=20), "S1", "C1", "F1", 1),))
    settings = Settings(levels=DEFAULT_LEVELS)
    (row,), _ = compute_reminders(ledger, settings, Filters(date=on))
    assert row.niveau == 2
    company = Company("S1")
    texts = {langue: letter_context(row, replace(customer, langue=langue), company, settings,
                                    on)["mention_premiere_relance"]
             for langue in ("FR", "EN", "DE")}
    assert texts == {"FR": " La facture F2 vous est rappelée ici pour la première fois.",
                     "EN": " Invoice F2 is reminded here for the first time.",
                     "DE": " Die Rechnung F2 wird hiermit erstmals angemahnt."}
    both_before = Ledger(ledger.customers, ledger.invoices, (), (
        *ledger.history, HistoryEntry(on - timedelta(days=5), "S1", "C1", "F2", 1)))
    rows, _ = compute_reminders(both_before, settings, Filters(date=on))
    assert [row.niveau for row in rows] == [2]
    for row in rows:
        assert letter_context(row, customer, company, settings, on)[
            "mention_premiere_relance"] == ""


def test_the_date_des_lettres_cell_is_on_the_built_sheet(built_workbook):
    import openpyxl

    sheet = openpyxl.load_workbook(built_workbook)[layout.RELANCES]
    assert sheet[layout.LETTERS_DATE_LABEL_CELL].value == "Date des lettres"
    assert sheet[layout.LETTERS_DATE_CELL].value is None


def test_a_delay_past_the_shipped_table_stops_only_the_letters_claiming_interest(
        after_july, capsys):
    """Applied on 15/01/2027: 1FRNEG's notice would claim interest through the second
    half of 2026, which the shipped table lacks: unticked, the motif and the message say
    which half-year to add and where. The reminders claiming no interest stay ticked."""
    code, out, _ = cli(capsys, "appliquer", str(after_july), "--date", "2027-01-15", "--json")
    assert code == 0
    rows = {(r["tiers"], r["societe"]): r for r in json.loads(out)}
    notice = rows["1FRNEG", "VIGNE"]
    assert notice["niveau"] == 3 and not notice["a_relancer"]
    assert ("Taux du 2e semestre 2026 absent : ajoutez-le dans la feuille Paramètres, "
            "table Taux par période") in notice["motif"]
    assert rows["3UENEG", "VIGNE"]["a_relancer"]  # level 2: no interest, goes out
    code, out, _ = cli(capsys, "appliquer", str(after_july), "--date", "2027-01-15")
    assert "Taux absent(s) : 2e semestre 2026 ; ajoutez-les dans la feuille Paramètres" in out
