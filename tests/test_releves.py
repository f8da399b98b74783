"""Relevés de compte: the command and the button's code on the real workbook, LibreOffice
and an SMTP server on loopback. Statements are not reminders: nothing is recorded."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import openpyxl
from pypdf import PdfReader
from smtp_server import Collector
from test_lettres import cli, history, set_parametres

from relances_xl import layout

ON = "2022-07-27"
WITH_BALANCE = ("1FRNEG", "2FRPAR", "3UENEG", "4HUE", "5REST", "BONJE", "BONSV")


def text(path: Path) -> str:
    return " ".join(p.extract_text() for p in PdfReader(path).pages).replace(
        "\u202f", " ").replace("\xa0", " ")


def table_states(path: Path) -> list[tuple]:
    sheet = openpyxl.load_workbook(path)[layout.RELANCES]
    return [row for row in sheet.iter_rows(min_row=layout.TABLE_FIRST_ROW, max_col=8,
                                           values_only=True) if row[0]]


def test_a_statement_per_customer_with_a_balance_and_nothing_recorded(applied, tmp_path,
                                                                       capsys):
    before = (history(applied), table_states(applied))
    out = tmp_path / "releves"
    code, stdout, _ = cli(capsys, "releves", str(applied), "--sortie", "pdf", "--date", ON,
                          "--dossier", str(out))
    assert code == 0 and "8 relevé(s) de compte au 27/07/2022 vers « PDF »" in stdout
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([f"2022-07-27_VIGNE_{tiers}_releve.pdf" for tiers in WITH_BALANCE]
                           + ["2022-07-27_VIGNE_NYWINE_USD_releve.pdf",  # in its dollars
                              "2022-07-27_releves_de_compte.pdf"])  # 1FRNEG/ZNEG is at 0
    first = text(out / "2022-07-27_VIGNE_1FRNEG_releve.pdf")
    assert "Relevé de compte au 27 juillet 2022" in first
    assert "Solde de votre compte 216,00 €" in first.replace("\n", " ")
    assert "Kontoauszug" in text(out / "2022-07-27_VIGNE_3UENEG_releve.pdf")
    combined = PdfReader(out / "2022-07-27_releves_de_compte.pdf").pages
    assert len(combined) == sum(len(PdfReader(out / n).pages) for n in names[:-1])
    assert (history(applied), table_states(applied)) == before  # no Éditée, no Historique
    (line,) = (applied.parent / "Relances.releves.log").read_text(encoding="utf-8").splitlines()
    assert line.endswith("; relevés au 27/07/2022 ; PDF ; 8 relevé(s)")


def test_the_filters_of_appliquer_choose_the_customers(applied, tmp_path, capsys):
    out = tmp_path / "releves"
    code, stdout, _ = cli(capsys, "releves", str(applied), "--sortie", "pdf", "--date", ON,
                          "--client", "4HUE", "--dossier", str(out))
    assert code == 0 and "1 relevé(s)" in stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "2022-07-27_VIGNE_4HUE_releve.pdf", "2022-07-27_releves_de_compte.pdf"]


def test_statements_by_email_one_message_each_and_a_customer_without_address_fails(
        applied, smtp_server, capsys):
    handler = Collector()
    server = smtp_server(handler)
    set_parametres(applied, smtp_hote="127.0.0.1", smtp_port=server.port, smtp_tls="aucun")
    code, _, err = cli(capsys, "releves", str(applied), "--sortie", "email", "--date", ON)
    received = {tuple(env[1]): email.message_from_bytes(env[2], policy=email.policy.default)
                for env in handler.envelopes}
    message = received[("amelie.toulouse@example.fr",)]
    assert message["Subject"].startswith("Relevé de compte au 27 juillet 2022")
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "2022-07-27_VIGNE_1FRNEG_releve.pdf"
    without = [c for c in WITH_BALANCE if f"échec : {c} / VIGNE" in err]
    assert len(received) + len(without) == 8  # NYWINE's statement in dollars too
    assert code == (1 if without else 0)
    assert "adresse e-mail manquante" in err if without else True


def test_text_and_fax_carry_no_statement(applied, capsys):
    for sortie in ("texte", "fax"):
        try:
            cli(capsys, "releves", str(applied), "--sortie", sortie)
        except SystemExit as error:
            assert error.code == 2
        else:
            raise AssertionError(sortie)
