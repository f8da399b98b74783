"""Letters in the invoice's currency (issue 28), end to end on the real workbook: a
customer owing euros and dollars gets two letters, the dollar one formatted by Babel
for its language, without an EPC QR code (it carries euros only), with the company's
dollar account, and the D441-5 indemnity stated in euros beside its total."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import soffice_or_skip
from test_templates import qr_payloads

from relances_xl import layout, sample
from relances_xl.cli import main
from relances_xl.excel.build import build_workbook

GB_IBAN = "GB33 BUKB 2020 1555 5555 55"  # the company's account for its dollars


def _customer(code: str, name: str, langue: str) -> list[object]:
    return [code, name, "100 Fifth Avenue", "", "10011", "NEW YORK", "États-Unis", "EXPORT",
            "REP02", "VIR", f"{code.lower()}@example.com", "", langue, "Professionnel", "Non",
            30, "", ""]


def _invoice(piece: str, tiers: str, montant: str, devise: str) -> list[object]:
    return ["VIGNE", piece, "Facture", tiers, date(2022, 5, 2), date(2022, 6, 1),
            Decimal(montant), "VIR", "Oui", "Non", devise]


@pytest.fixture(scope="module")
def issued(tmp_path_factory) -> tuple[Path, dict[str, Path]]:
    soffice_or_skip()
    folder = tmp_path_factory.mktemp("devises")
    rows = sample.sheet_rows()
    rows[layout.CLIENTS] = [_customer("NYEN", "Big Apple Wines", "EN"),
                            _customer("NYFR", "Caviste de Manhattan", "FR"),
                            _customer("NYDE", "Weinhaus Brooklyn", "DE")]
    rows[layout.FACTURES] = [_invoice("FA22-0301", "NYEN", "300.00", ""),
                             _invoice("FU22-0001", "NYEN", "1234.56", "USD"),
                             _invoice("FU22-0002", "NYFR", "1234.56", "USD"),
                             _invoice("FU22-0003", "NYDE", "1234.56", "USD")]
    rows[layout.REGLEMENTS], rows[layout.HISTORIQUE] = [], []
    companies = [c for c in sample.companies() if not c[-1]]  # not the sample's USD row
    dollars = [""] * len(layout.PARAMETRES_COMPANIES_COLUMNS)
    fields = list(layout.PARAMETRES_COMPANIES_COLUMNS.values())
    for field, value in (("societe", "VIGNE"), ("iban", GB_IBAN), ("bic", "BUKBGB22"),
                         ("devise", "USD")):
        dollars[fields.index(field)] = value
    workbook = build_workbook(folder / "Relances.xlsm", rows=rows,
                              companies=[*companies, dollars])
    shutil.copyfile(sample.SIGNATURE_IMAGE, folder / sample.SIGNATURE_FILE)
    assert main(["appliquer", str(workbook), "--date", "2022-07-27"]) == 0
    out = folder / "lettres"
    assert main(["lettres", str(workbook), "--sortie", "pdf", "--dossier", str(out)]) == 0
    return workbook, {p.stem: p for p in out.glob("*.pdf")}


@pytest.fixture(scope="module")
def letters(issued) -> dict[str, Path]:
    return issued[1]


def _text(pdf: Path) -> str:
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True, text=True)
    return " ".join(done.stdout.replace("\u202f", " ").replace("\u00a0", " ").split())


def test_a_customer_with_euro_and_dollar_invoices_gets_two_letters(letters):
    assert {"2022-07-27_VIGNE_NYEN_N1", "2022-07-27_VIGNE_NYEN_USD_N1"} <= set(letters)
    euros = _text(letters["2022-07-27_VIGNE_NYEN_N1"])
    dollars = _text(letters["2022-07-27_VIGNE_NYEN_USD_N1"])
    assert "FA22-0301" in euros and "FU22-0001" not in euros and "€300.00" in euros
    assert "FU22-0001" in dollars and "FA22-0301" not in dollars


def test_only_the_euro_letter_carries_an_epc_qr_code(letters):
    (payload,) = qr_payloads(letters["2022-07-27_VIGNE_NYEN_N1"])
    assert b"\nEUR300\n" in payload and b"FA22-0301" in payload
    assert qr_payloads(letters["2022-07-27_VIGNE_NYEN_USD_N1"]) == []


def test_the_dollar_letter_gives_the_companys_dollar_account(letters):
    dollars = _text(letters["2022-07-27_VIGNE_NYEN_USD_N1"])
    euros = _text(letters["2022-07-27_VIGNE_NYEN_N1"])
    assert GB_IBAN in dollars and "BUKBGB22" in dollars
    assert GB_IBAN not in euros and "FR76 3000 6000 0112 3456 7890 189" in euros


@pytest.mark.parametrize(("tiers", "shown"), [
    ("NYEN", "US$1,234.56"),  # British English, as every English letter
    ("NYFR", "1 234,56 $US"),
    ("NYDE", "1.234,56 $"),
])
def test_each_language_writes_the_dollars_its_own_way(letters, tiers, shown):
    text = _text(letters[f"2022-07-27_VIGNE_{tiers}_USD_N1"])
    assert shown in text
    assert "€" not in text.split("IBAN")[0]  # no euro amount in the claim


def test_each_currencys_row_is_ticked_editee_and_recorded_on_its_own(issued):
    import openpyxl

    workbook, _ = issued
    book = openpyxl.load_workbook(workbook)
    sheet = book[layout.RELANCES]
    devise, editee = layout.table_letter("devise"), layout.table_letter("editee")
    found = {(sheet[f"A{n}"].value, sheet[f"{devise}{n}"].value): sheet[f"{editee}{n}"].value
             for n in range(layout.TABLE_FIRST_ROW, sheet.max_row + 1) if sheet[f"A{n}"].value}
    assert found == {("NYEN", "EUR"): True, ("NYEN", "USD"): True, ("NYFR", "USD"): True,
                     ("NYDE", "USD"): True}
    history = [row[3] for row in book[layout.HISTORIQUE].iter_rows(min_row=2, values_only=True)
               if row[0]]
    assert sorted(history) == ["FA22-0301", "FU22-0001", "FU22-0002", "FU22-0003"]
