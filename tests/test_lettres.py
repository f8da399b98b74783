"""Imprimer toutes les lettres / la proposition, end to end on the real workbook.

Each test applies the sample at 27/07/2022, then presses the button through the
command line (the very function Excel runs) to a real output: LibreOffice for the
PDF, aiosmtpd on loopback for e-mail and fax, a CUPS queue for the printer.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import subprocess
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import soffice_or_skip
from docx import Document
from pypdf import PdfReader
from smtp_server import Collector

from relances_xl import layout
from relances_xl.cli import main

ON = datetime(2022, 7, 27)
TICKED = ["1FRNEG/VIGNE", "2FRPAR/VIGNE", "3UENEG/VIGNE", "4HUE/VIGNE", "5REST/VIGNE",
          "BONJE/VIGNE", "BONSV/VIGNE", "NYWINE/VIGNE"]  # NYWINE: its row in dollars
# invoice -> the level it is reminded at on 27/07/2022 (FA22-0101 and FA22-0109 had level 1)
LEVELS = {"FA22-0101": 2, "FA22-0115": 1, "FA22-0109": 2, "FA22-0112": 1, "FA22-0105": 1,
          "FA22-0118": 1, "FA22-0121": 1, "FA22-0110": 1, "FU22-0011": 1}



def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def editee(path: Path) -> dict[str, bool]:
    sheet = openpyxl.load_workbook(path)[layout.RELANCES]
    found = {}
    for row in sheet.iter_rows(min_row=layout.TABLE_FIRST_ROW, max_col=8, values_only=True):
        if row[0] is None:
            break
        found[f"{row[0]}/{row[1]}"] = row[7]
    return found


def history(path: Path) -> list[tuple]:
    sheet = openpyxl.load_workbook(path)[layout.HISTORIQUE]
    return [row for row in sheet.iter_rows(min_row=2, max_col=6, values_only=True) if row[0]]


def new_history(path: Path) -> list[tuple]:
    return [row for row in history(path) if row[0] == ON]


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def set_parametres(path: Path, **values: object) -> None:
    """Type settings into Paramètres as a user would (label in A, value in B)."""
    book = openpyxl.load_workbook(path, keep_vba=True)
    sheet = book[layout.PARAMETRES]
    labels = {layout.PARAMETRES_SETTINGS[key][0]: key for key in values}
    for row in sheet.iter_rows(min_col=1, max_col=2):
        key = labels.get(row[0].value)
        if key:
            row[1].value = values[key]
    book.save(path)


def test_pdf_letters_for_each_ticked_row_then_editee_and_history(applied, tmp_path, capsys):
    out = tmp_path / "lettres"
    code, stdout, _ = cli(capsys, "lettres", str(applied), "--sortie", "pdf",
                          "--dossier", str(out))
    assert code == 0
    assert "8 lettre(s) éditée(s)" in stdout
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([f"2022-07-27_VIGNE_{t.split('/')[0]}_N{n}.pdf" for t, n in (
        ("1FRNEG/", 2), ("2FRPAR/", 2), ("3UENEG/", 1), ("4HUE/", 1), ("5REST/", 1),
        ("BONJE/", 1), ("BONSV/", 1))] + ["2022-07-27_VIGNE_NYWINE_USD_N1.pdf",
                                          "2022-07-27_lettres_de_relance.pdf"])
    letter = pdf_text(out / "2022-07-27_VIGNE_1FRNEG_N2.pdf")
    for expected in ("MME toulouse amelie", "51100 REIMS", "FA22-0101", "FA22-0115",
                     "6 000,00", "11 063,80", "Deuxième relance", "27 juillet 2022"):
        assert expected in letter.replace("\u202f", " ").replace("\u00a0", " ")
    german = pdf_text(out / "2022-07-27_VIGNE_3UENEG_N1.pdf")
    assert "Sehr geehrte Damen und Herren" in german and "2.000,00" in german
    assert editee(applied) == {key: key in TICKED for key in [*TICKED, "1FRNEG/ZNEG"]}
    recorded = new_history(applied)
    assert {row[3]: row[4] for row in recorded} == LEVELS
    assert {row[5] for row in recorded} == {"pdf"} and len(recorded) == len(LEVELS)
    table = openpyxl.load_workbook(applied)[layout.HISTORIQUE].tables[
        layout.TABLE_NAMES[layout.HISTORIQUE]]
    assert table.ref == f"A1:G{1 + len(history(applied))}"


def test_issuing_again_the_same_day_adds_nothing_and_raises_no_level(applied, tmp_path, capsys):
    cli(capsys, "lettres", str(applied), "--sortie", "pdf", "--dossier", str(tmp_path / "a"))
    before = history(applied)
    code, stdout, _ = cli(capsys, "lettres", str(applied), "--sortie", "pdf",
                          "--dossier", str(tmp_path / "b"))
    assert code == 0 and "Aucune lettre à éditer" in stdout
    assert history(applied) == before
    _, out, _ = cli(capsys, "appliquer", str(applied), "--date", "2022-07-27", "--json")
    import json

    rows = {f"{r['tiers']}/{r['societe']}": r for r in json.loads(out)}
    assert rows["1FRNEG/VIGNE"]["niveau"] == 2 and rows["1FRNEG/VIGNE"]["editee"] is True
    assert rows["1FRNEG/ZNEG"]["editee"] is False
    # unticking "Éditée" by hand reissues the letter, still without a second history line
    book = openpyxl.load_workbook(applied, keep_vba=True)
    book[layout.RELANCES][f"H{layout.TABLE_FIRST_ROW}"] = False
    book.save(applied)
    code, stdout, _ = cli(capsys, "lettres", str(applied), "--sortie", "pdf",
                          "--dossier", str(tmp_path / "c"))
    assert "1 lettre(s) éditée(s)" in stdout
    assert history(applied) == before


def test_an_unticked_row_gets_no_letter(applied, tmp_path, capsys):
    book = openpyxl.load_workbook(applied, keep_vba=True)
    sheet = book[layout.RELANCES]
    row = next(r for r in range(layout.TABLE_FIRST_ROW, layout.TABLE_FIRST_ROW + 8)
               if sheet[f"A{r}"].value == "2FRPAR")
    sheet[f"G{row}"] = False
    book.save(applied)
    cli(capsys, "lettres", str(applied), "--sortie", "pdf", "--dossier", str(tmp_path / "o"))
    assert not list((tmp_path / "o").glob("*2FRPAR*"))
    assert editee(applied)["2FRPAR/VIGNE"] is False
    assert "FA22-0109" not in {r[3] for r in new_history(applied)}


def test_forme_overrides_the_levels_template(applied, tmp_path, capsys):
    cli(capsys, "lettres", str(applied), "--sortie", "pdf", "--dossier", str(tmp_path),
        "--forme", "LET03")
    text = " ".join(pdf_text(tmp_path / "2022-07-27_VIGNE_BONSV_N1.pdf").split())
    assert "Objet : Mise en demeure" in text
    assert "soit huit jours après la date de la présente" in text
    # the level of a LET03, on two lines beside the address
    assert "Lettre recommandée" in text and "avec accusé de réception" in text


def test_text_export_records_like_a_printed_letter(applied, tmp_path, capsys):
    code, _, _ = cli(capsys, "lettres", str(applied), "--sortie", "texte",
                     "--dossier", str(tmp_path))
    assert code == 0
    data = (tmp_path / "2022-07-27_relances.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Tiers;Société;Solde comptable")
    assert any(line.startswith("1FRNEG;VIGNE;216,00;11063,80;") and "FA22-0115" in line
               for line in lines)
    assert len(lines) == 1 + len(LEVELS)
    assert {r[5] for r in new_history(applied)} == {"texte"}


def test_screen_preview_opens_the_viewer_and_records_nothing(applied, tmp_path, capsys,
                                                             monkeypatch):
    bin_dir, seen = tmp_path / "bin", tmp_path / "seen.txt"
    bin_dir.mkdir()
    viewer = bin_dir / "xdg-open"
    viewer.write_text(f'#!/bin/sh\necho "$1" >> {seen}\n')
    viewer.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    before = history(applied)
    code, stdout, _ = cli(capsys, "lettres", str(applied), "--sortie", "ecran")
    assert code == 0 and "rien n'est enregistré" in stdout
    shown = Path(seen.read_text().strip())
    assert "Particulier Martin" in pdf_text(shown)
    assert history(applied) == before
    assert not any(editee(applied).values())
    assert not (applied.parent / "Lettres émises").exists()  # a preview is no letter issued


def test_email_one_message_per_customer_and_a_refusal_stays_to_redo(applied, smtp_server,
                                                                    capsys):
    handler = Collector(refuse=frozenset({"john@hors-ue.example.com"}))
    server = smtp_server(handler)
    set_parametres(applied, smtp_hote="127.0.0.1", smtp_port=server.port, smtp_tls="aucun")
    code, _, err = cli(capsys, "lettres", str(applied), "--sortie", "email")
    assert code == 1 and "4HUE / VIGNE" in err
    received = {tuple(env[1]): email.message_from_bytes(env[2], policy=email.policy.default)
                for env in handler.envelopes}
    assert len(received) == 7
    message = received[("amelie.toulouse@example.fr",)]
    assert message["From"] == "compta@vigne.example.fr"
    assert "Domaine de la Vigne SAS" in message["Subject"]
    assert "- factures impayées -" in message["Subject"]  # FA22-0101 and FA22-0115
    # the letters of one invoice speak of one in their e-mail too
    assert {"- facture impayée -" in m["Subject"] or "- offene Rechnung -" in m["Subject"]
            or "- unpaid invoice -" in m["Subject"] for m in received.values()} == {True, False}
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "2022-07-27_VIGNE_1FRNEG_N2.pdf"
    assert attachment.get_content().startswith(b"%PDF")
    assert "Sehr geehrte" in received[("einkauf@negoce-ue.example.de",)].get_body(
        ("plain",)).get_content()
    assert editee(applied)["4HUE/VIGNE"] is False and editee(applied)["1FRNEG/VIGNE"] is True
    assert "FA22-0105" not in {r[3] for r in new_history(applied)}
    # the address is fixed on the server side: a rerun sends only the one left
    handler.refuse = frozenset()
    handler.envelopes.clear()
    code, _, _ = cli(capsys, "lettres", str(applied), "--sortie", "email")
    assert code == 0
    assert [env[1] for env in handler.envelopes] == [["john@hors-ue.example.com"]]
    assert {r[3] for r in new_history(applied)} == set(LEVELS)


def test_fax_goes_to_the_gateway_and_rows_without_fax_are_listed(applied, smtp_server,
                                                                 capsys):
    handler = Collector()
    server = smtp_server(handler)
    set_parametres(applied, smtp_hote="127.0.0.1", smtp_port=server.port, smtp_tls="aucun",
                   passerelle_fax="fax.example.net")
    code, _, err = cli(capsys, "lettres", str(applied), "--sortie", "fax")
    assert code == 1
    assert sorted(env[1][0] for env in handler.envelopes) == [
        "+33322000000@fax.example.net", "+49301234567@fax.example.net"]
    failures = [line for line in err.splitlines() if line.startswith("échec :")]
    assert len(failures) == 6 and all("numéro de fax manquant" in f for f in failures)
    assert {k for k, v in editee(applied).items() if v} == {"3UENEG/VIGNE", "5REST/VIGNE"}


def test_printer_gets_the_combined_letters_with_the_copies_asked(applied, capsys):
    from cups_queue import OUT, cups_queue_or_skip

    queue, _ = cups_queue_or_skip()
    since = time.time()
    code, stdout, _ = cli(capsys, "lettres", str(applied), "--sortie", "imprimante",
                          "--imprimante", queue, "--exemplaires", "2")
    assert code == 0
    combined = Path(stdout.rsplit(" : ", 1)[1].strip().rstrip(".")) / "lettres.pdf"
    letters_pages = len(PdfReader(combined).pages)
    assert "Particulier Martin" in pdf_text(combined)
    deadline = time.monotonic() + 90
    printed: list[Path] = []
    while time.monotonic() < deadline and not printed:
        printed = [p for p in OUT.glob("*.pdf") if p.stat().st_mtime >= since - 1
                   and p.stat().st_size > 0]
        time.sleep(0.3)
    assert printed, f"nothing printed in {OUT}"
    time.sleep(1)  # cups-pdf finishes writing
    # cups-pdf redraws the pages (its text is not extractable): count them, two copies
    assert len(PdfReader(printed[0]).pages) == 2 * letters_pages >= 14
    assert all(editee(applied)[key] for key in TICKED)
    assert {r[5] for r in new_history(applied)} == {"imprimante"}
    kept = list((applied.parent / "Lettres émises").iterdir())  # each letter printed, kept
    assert len(kept) == len(TICKED) and sum(len(PdfReader(p).pages) for p in kept) == letters_pages


def test_proposal_as_pdf_lists_invoices_and_disputes_and_records_nothing(applied, tmp_path,
                                                                         capsys):
    before = history(applied)
    code, _, _ = cli(capsys, "proposition", str(applied), "--sortie", "pdf",
                     "--dossier", str(tmp_path))
    assert code == 0
    text = pdf_text(tmp_path / "2022-07-27_proposition_de_relance.pdf")
    for expected in ("Proposition de relance", "FA22-0101", "FA22-0110", "FA22-0099"):
        assert expected in text
    assert "ZF22-0042" not in text  # 1FRNEG/ZNEG is unticked
    assert history(applied) == before and not any(editee(applied).values())


def test_demo_writes_the_proposal_and_every_letter(tmp_path, capsys):
    soffice_or_skip()
    code, out, _ = cli(capsys, "demo", "--dossier", str(tmp_path))
    assert code == 0
    assert "9 ligne(s), 8 lettre(s) éditée(s)" in out
    pdfs = sorted(p.name for p in tmp_path.glob("*.pdf"))
    assert len(pdfs) == 19 and "2022-07-27_proposition_de_relance.pdf" in pdfs
    # the second round: BONJE's level 2 is a call ("Avec appel"), 4HUE broke its promise;
    # NYWINE's dollars reach level 2
    assert "7 lettre(s) éditée(s) dont 2 mise(s) en demeure" in out
    assert (tmp_path / "2022-09-15_VIGNE_NYWINE_USD_N2.pdf").exists()
    assert "4HUE    VIGNE  niveau 2  Promesse non tenue du 31/08/2022" in out
    calls = " ".join(pdf_text(tmp_path / "2022-09-15_appels.pdf").split())
    assert "Bonheur Jean (BONJE)" in calls and "03 22 42 42 42" in calls
    assert not (tmp_path / "2022-09-15_VIGNE_BONJE_N2.pdf").exists()
    promised = " ".join(pdf_text(tmp_path / "2022-09-15_VIGNE_4HUE_N2.pdf").split())
    assert "You undertook to pay €950.00 on 31 August 2022" in promised
    notice = " ".join(pdf_text(tmp_path / "2022-09-15_VIGNE_1FRNEG_N3.pdf").split())
    for shown in ("Lettre recommandée", "avec accusé de réception", "Objet : Mise en demeure",
                  "au plus tard le 23 septembre 2022, soit huit jours après la date de la "
                  "présente", "RCS Reims 123 456 789", "Claire Dubois", "(BIC AGRIFRPP)"):
        assert shown in notice, shown
    # issue 23: interest on what was owed each day, at the 10,00 % of 2022 (83,07 €, not
    # 288,70 € at 12,15 %), its periods with the principal owed, and what remains
    for shown in ("Intérêts de retard au taux annuel de 10,00 %", "83,07 €", "379,07 €",
                  "FA22-0115 26/07/2022 15/09/2022 216,00 € 52 10,00 %",
                  "ne sont pas réglées à ce jour : il reste dû le montant indiqué"):
        assert shown in notice, shown
    for wrong in ("288,70", "12,15", "demeurent impayées"):
        assert wrong not in notice, wrong
    second = " ".join(pdf_text(tmp_path / "2022-07-27_VIGNE_1FRNEG_N2.pdf").split())
    # issue 27: the demo's envelopes: the letter, its statement (level 2), the copies
    assert second.index("Malgré notre précédente relance") < second.index(
        "Relevé de compte au 27 juillet 2022") < second.index(
        "DUPLICATA - Facture FA22-0101") < second.index("DUPLICATA - Facture FA22-0115")
    first = " ".join(pdf_text(tmp_path / "2022-07-27_VIGNE_3UENEG_N1.pdf").split())
    assert "DUPLICATA - Facture FA22-0112" in first and "Kontoauszug" not in first
    assert ("Malgré notre précédente relance" in second
            and "La facture FA22-0115 vous est rappelée ici pour la première fois." in second)
    cheque = " ".join(pdf_text(tmp_path / "2022-07-27_VIGNE_2FRPAR_N2.pdf").split())
    assert "la facture ci-dessous n’est pas réglée" in cheque and "chèque" in cheque
    assert "Balance âgée au 15/09/2022 :" in out
    # issue 29: the demo ends with 1FRNEG's recovery file, its notice's 8 days passed
    assert "Dossier de recouvrement 1FRNEG / VIGNE au 03/10/2022" in out
    assert "procédure simplifiée de recouvrement des petites créances" in out
    assert (tmp_path / "2022-10-03_VIGNE_1FRNEG_recouvrement.zip").is_file()
    decompte = json.loads((tmp_path / "2022-10-03_VIGNE_1FRNEG_recouvrement"
                           / "01_decompte.json").read_text(encoding="utf-8"))
    lines = {line["piece"]: line for line in decompte["lignes"]}
    # FA22-0101, paid late since its notice, keeps the penalties the notice claimed
    assert (lines["FA22-0101"]["reste"], lines["FA22-0101"]["interets"]) == ("0.00", "59.18")
    assert lines["FA22-0115"]["reste"] == "216.00"
    assert Decimal(decompte["total"]) > Decimal("379.07")  # the notice's claim, and more
    book = openpyxl.load_workbook(tmp_path / "Relances.xlsm", data_only=True)
    aged = [row[0] for row in book[layout.BALANCE_AGEE].iter_rows(
        min_row=layout.AGED_FIRST_ROW, max_col=1, values_only=True) if row[0]]
    assert aged[0] == "1FRNEG" and aged[-1] == "Total"
    dashboard = book[layout.TABLEAU_DE_BORD]
    effect = layout.DASHBOARD_BLOCKS["effect"][2]  # the letters of 27/07, 50 days before
    assert dashboard.cell(effect, 1).value == 1 and dashboard.cell(effect, 2).value > 0
    top = layout.DASHBOARD_BLOCKS["top"][2]  # net of what is lettered to no invoice
    listed = {dashboard.cell(top + i, 1).value: dashboard.cell(top + i, 3).value
              for i in range(10)}
    assert listed["1FRNEG"] == pytest.approx(216.00)


def test_demo_on_a_machine_with_only_python_makes_simplified_pdfs(tmp_path, capsys,
                                                                    monkeypatch, caplog):
    """No Word, no LibreOffice: the README's first command still gives readable letters,
    every character drawn (Helvetica has no "≤" for the motifs, no narrow no-break space)."""
    from relances_xl.letters import pdf

    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setenv(pdf.ENV_CONVERTER, "")  # so the demo's choice is undone after
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)  # LibreOffice "uninstalled"
    code, out, err = cli(capsys, "demo", "--dossier", str(tmp_path / "demo"))
    assert code == 0, err
    assert "PDF simplifiés" in err and "8 lettre(s) éditée(s)" in out
    text = PdfReader(tmp_path / "demo" / "2022-07-27_VIGNE_1FRNEG_N2.pdf").pages[0].extract_text()
    for expected in ("MME toulouse amelie", "FA22-0101", "11 063,80", "Deuxième relance"):
        assert expected in text.replace("\u00a0", " ")
    proposal = tmp_path / "demo" / "2022-07-27_proposition_de_relance.pdf"
    words = " ".join(" ".join(p.extract_text() for p in PdfReader(proposal).pages).split())
    assert "Solde comptable <= 0" in words
    assert "Tableau de bord non joint" in out + err  # no LibreOffice to print the sheet
    assert not [r.getMessage() for r in caplog.records if "can draw" in r.getMessage()]


def page_texts(path: Path) -> list[str]:
    reader = PdfReader(path)
    return [" ".join(subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"],
                                    capture_output=True, text=True, check=True).stdout.split())
            for n in range(1, len(reader.pages) + 1)]


def test_word_output_gives_each_letter_and_the_run_in_one_document(applied, workbook,
                                                                   tmp_path, capsys,
                                                                   libreoffice):
    import shutil

    twin = tmp_path / "twin" / "Relances.xlsm"  # the same workbook, for a PDF run
    twin.parent.mkdir()
    shutil.copyfile(applied, twin)
    shutil.copyfile(applied.parent / "signature-vigne.png", twin.parent / "signature-vigne.png")
    code, stdout, _ = cli(capsys, "lettres", str(applied), "--sortie", "word",
                          "--dossier", str(tmp_path / "word"))
    assert code == 0 and "8 lettre(s) éditée(s) vers « Word »" in stdout
    names = sorted(p.name for p in (tmp_path / "word").iterdir())
    letters = [*(f"2022-07-27_VIGNE_{t}_N{n}.docx" for t, n in (
        ("1FRNEG", 2), ("2FRPAR", 2), ("3UENEG", 1), ("4HUE", 1), ("5REST", 1), ("BONJE", 1),
        ("BONSV", 1))), "2022-07-27_VIGNE_NYWINE_USD_N1.docx"]
    # the level-2 letters' statements beside them (Pièces jointes of the built workbook)
    statements = [f"2022-07-27_VIGNE_{t}_N2_releve.docx" for t in ("1FRNEG", "2FRPAR")]
    assert names == sorted([*letters, *statements, "2022-07-27_lettres_de_relance.docx"])
    assert editee(applied) == {key: key in TICKED for key in [*TICKED, "1FRNEG/ZNEG"]}
    assert {r[5] for r in new_history(applied)} == {"word"}
    assert {r[3]: r[4] for r in new_history(applied)} == LEVELS
    one = Document(str(tmp_path / "word" / "2022-07-27_VIGNE_1FRNEG_N2.docx"))
    cells = [cell.text for table in one.tables for row in table.rows for cell in row.cells]
    assert any("MME toulouse amelie" in text for text in cells)  # beside the subject
    # the run's document prints as the PDFs of the same run do, page for page
    code, _, _ = cli(capsys, "lettres", str(twin), "--sortie", "pdf", "--dossier",
                     str(tmp_path / "pdf"))
    assert code == 0
    combined = tmp_path / "word" / "2022-07-27_lettres_de_relance.docx"
    subprocess.run([libreoffice, "--headless", "-env:UserInstallation="
                    f"{(tmp_path / 'profile').as_uri()}", "--convert-to", "pdf", "--outdir",
                    str(tmp_path / "converted"), str(combined)], check=True,
                   capture_output=True, timeout=300)
    expected = [text for name in letters for text in page_texts(
        tmp_path / "pdf" / name.replace(".docx", ".pdf")) if "Relevé de compte au" not in text]
    assert page_texts(tmp_path / "converted" / combined.with_suffix(".pdf").name) == expected
    assert len(expected) == 8


def test_a_missing_signature_image_stops_the_run_before_any_letter(applied, tmp_path, capsys):
    (applied.parent / "signature-vigne.png").unlink()
    code, _, err = cli(capsys, "lettres", str(applied), "--sortie", "pdf",
                       "--dossier", str(tmp_path / "out"))
    assert code == 2
    assert "Paramètres, société VIGNE, colonne « Image de signature »" in err
    assert "aucune lettre n'est éditée" in err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    assert not any(editee(applied).values()) and new_history(applied) == []
