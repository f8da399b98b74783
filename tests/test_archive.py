"""Lettres émises (issue 29): every letter issued is kept as a PDF beside the workbook,
never overwritten, and `Historique`'s "Lettre archivée" points to it.

End to end on the real workbook through the command line (the function Excel runs),
with real LibreOffice and a real SMTP server on loopback.
"""

from __future__ import annotations

import email
import email.policy
import subprocess
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from conftest import soffice_or_skip
from smtp_server import Collector
from test_lettres import LEVELS, ON, cli, editee, history, set_parametres

from relances_xl import layout
from relances_xl.config import PrintOptions, Sortie
from relances_xl.ledger import read_ledger
from relances_xl.letters import archive
from relances_xl.letters.outputs import OutputError
from relances_xl.letters.run import history_entries, issue_letters

ARCHIVE = "Lettres émises"
LETTERS = {"1FRNEG": 2, "2FRPAR": 2, "3UENEG": 1, "4HUE": 1, "5REST": 1, "BONJE": 1,
           "BONSV": 1}  # the letters of 27/07/2022: customer -> level
NAMES = {f"2022-07-27_VIGNE_{tiers}_N{level}.pdf" for tiers, level in LETTERS.items()} | {
    "2022-07-27_VIGNE_NYWINE_USD_N1.pdf"}  # a row in dollars names its currency


def history_lettres(path: Path) -> dict[str, str]:
    """N° pièce -> "Lettre archivée" of the lines of 27/07/2022, read as Appliquer reads
    them (ledger.read_ledger), from the header wherever its column is."""
    book = openpyxl.load_workbook(path)
    blocks = {name: [list(r) for r in book[name].iter_rows(values_only=True)]
              for name in (layout.CLIENTS, layout.FACTURES, layout.REGLEMENTS,
                           layout.HISTORIQUE)}
    ledger, problems = read_ledger(blocks)
    assert not [p for p in problems if p.sheet == layout.HISTORIQUE]
    return {h.piece: h.lettre for h in ledger.history if h.date == ON.date()}


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_pdf_output_keeps_each_letter_beside_the_workbook_and_historique_names_it(
        applied, tmp_path, capsys):
    out = tmp_path / "lettres"
    code, _, _ = cli(capsys, "lettres", str(applied), "--sortie", "pdf", "--dossier", str(out))
    assert code == 0
    kept = applied.parent / ARCHIVE
    assert {p.name for p in kept.iterdir()} == NAMES
    for name in NAMES:  # the very letter issued
        assert (kept / name).read_bytes() == (out / name).read_bytes()
    lettres = history_lettres(applied)
    assert set(lettres) == set(LEVELS)
    first = f"{ARCHIVE}/2022-07-27_VIGNE_1FRNEG_N2.pdf"
    assert lettres["FA22-0101"] == lettres["FA22-0115"] == first
    assert lettres["FA22-0105"] == f"{ARCHIVE}/2022-07-27_VIGNE_4HUE_N1.pdf"
    assert all(archive.resolve(v, applied.parent).is_file() for v in lettres.values())
    older = [h for h in openpyxl.load_workbook(applied)[layout.HISTORIQUE].iter_rows(
        min_row=2, values_only=True) if h[0] and h[0] < ON]
    assert older and all(row[6] is None for row in older)  # lines of before: nothing invented


def test_email_output_keeps_the_letter_sent(applied, smtp_server, capsys):
    handler = Collector()
    server = smtp_server(handler)
    set_parametres(applied, smtp_hote="127.0.0.1", smtp_port=server.port, smtp_tls="aucun")
    code, _, _ = cli(capsys, "lettres", str(applied), "--sortie", "email")
    assert code == 0
    kept = applied.parent / ARCHIVE
    assert {p.name for p in kept.iterdir()} == NAMES
    received = {tuple(env[1]): email.message_from_bytes(env[2], policy=email.policy.default)
                for env in handler.envelopes}
    (attachment,) = received[("amelie.toulouse@example.fr",)].iter_attachments()
    assert attachment.get_content() == (kept / "2022-07-27_VIGNE_1FRNEG_N2.pdf").read_bytes()
    assert history_lettres(applied)["FA22-0101"] == f"{ARCHIVE}/2022-07-27_VIGNE_1FRNEG_N2.pdf"


def test_word_output_is_archived_as_pdf(applied, tmp_path, capsys):
    code, _, _ = cli(capsys, "lettres", str(applied), "--sortie", "word", "--dossier",
                     str(tmp_path / "word"))
    assert code == 0
    kept = applied.parent / ARCHIVE / "2022-07-27_VIGNE_1FRNEG_N2.pdf"
    assert kept.read_bytes().startswith(b"%PDF")
    assert "FA22-0101" in pdf_text(kept) and "toulouse" in pdf_text(kept)
    assert history_lettres(applied)["FA22-0101"] == f"{ARCHIVE}/{kept.name}"


def test_a_missing_folder_of_paramètres_is_made_and_one_elsewhere_is_named_whole(
        applied, tmp_path_factory, capsys):
    elsewhere = tmp_path_factory.mktemp("ailleurs") / "courriers" / "2022"
    set_parametres(applied, dossier_lettres_emises=str(elsewhere))
    code, _, _ = cli(capsys, "lettres", str(applied), "--sortie", "pdf", "--dossier",
                     str(applied.parent / "pdf"))
    assert code == 0
    assert {p.name for p in elsewhere.iterdir()} == NAMES
    assert history_lettres(applied)["FA22-0109"] == str(
        elsewhere.resolve() / "2022-07-27_VIGNE_2FRPAR_N2.pdf")
    assert not (applied.parent / ARCHIVE).exists()


def test_a_folder_that_cannot_be_written_stops_the_run_with_nothing_issued(
        applied, tmp_path, capsys):
    in_the_way = applied.parent / "un fichier"
    in_the_way.write_text("pas un dossier")
    set_parametres(applied, dossier_lettres_emises="un fichier/lettres")
    history_before = history(applied)
    out = tmp_path / "lettres"
    code, _, err = cli(capsys, "lettres", str(applied), "--sortie", "pdf", "--dossier", str(out))
    assert code != 0
    assert f"« {applied.parent / 'un fichier' / 'lettres'} »" in err
    assert "aucune lettre n'est éditée" in err
    assert not out.exists() or not any(out.iterdir())
    assert not any(editee(applied).values())
    assert history(applied) == history_before


def test_a_second_letter_of_the_same_name_gets_a_suffix_and_the_first_is_kept(notice, tmp_path):
    soffice_or_skip()
    ledger, settings, rows, on = notice
    settings = replace(settings, companies=tuple(replace(c, signature="")
                                                 for c in settings.companies))
    row = next(r for r in rows if r.a_relancer)
    folder = tmp_path / ARCHIVE
    options = PrintOptions(Sortie.PDF, tmp_path / "pdf")
    first = issue_letters([row], ledger, settings, on, options, archive=folder)
    (kept,) = folder.iterdir()
    before = kept.read_bytes()
    second = issue_letters([row], ledger, settings, on, options, archive=folder)
    name = kept.name.removesuffix(".pdf")
    assert sorted(p.name for p in folder.iterdir()) == [f"{name}.pdf", f"{name}_2.pdf"]
    assert kept.read_bytes() == before
    assert second.results[0].archive == folder / f"{name}_2.pdf"
    lines = history_entries(second, on, tmp_path)
    assert {h.lettre for h in lines} == {f"{ARCHIVE}/{name}_2.pdf"}
    assert {h.lettre for h in history_entries(first, on, tmp_path)} == {f"{ARCHIVE}/{name}.pdf"}


def test_keep_never_overwrites_and_counts_on(tmp_path):
    source = tmp_path / "lettre.pdf"
    source.write_bytes(b"%PDF nouvelle")
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "L.pdf").write_bytes(b"ancienne")
    (folder / "L_2.pdf").write_bytes(b"ancienne 2")
    assert archive.keep(source, folder, "L.pdf") == folder / "L_3.pdf"
    assert (folder / "L.pdf").read_bytes() == b"ancienne"
    assert (folder / "L_2.pdf").read_bytes() == b"ancienne 2"
    assert (folder / "L_3.pdf").read_bytes() == b"%PDF nouvelle"


def test_ready_refuses_a_file_in_place_of_the_folder_naming_it(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(OutputError, match=r"« .*/f/sous » ne peut pas être écrit"):
        archive.ready(tmp_path / "f" / "sous")
    made = archive.ready(tmp_path / "a" / "b")
    assert made.is_dir() and not any(made.iterdir())  # the probe file is gone


def test_the_folder_defaults_beside_the_workbook_and_a_relative_setting_is_from_it(tmp_path):
    from relances_xl.config import Settings

    assert archive.folder(Settings(levels=()), tmp_path) == tmp_path / ARCHIVE
    typed = Settings(levels=(), other=((archive.SETTING, " Courrier/2022 "),))
    assert archive.folder(typed, tmp_path) == tmp_path / "Courrier" / "2022"
    assert archive.reference(tmp_path / "Courrier" / "x.pdf", tmp_path) == "Courrier/x.pdf"


def test_a_workbook_without_the_column_gets_it_beside_its_table(applied, tmp_path, capsys):
    book = openpyxl.load_workbook(applied, keep_vba=True)
    sheet = book[layout.HISTORIQUE]
    table = sheet.tables[layout.TABLE_NAMES[layout.HISTORIQUE]]
    assert sheet.cell(1, 7).value == "Lettre archivée"
    sheet.delete_cols(7)
    last = sheet.max_row
    table.ref = f"A1:F{last}"
    table.autoFilter.ref = table.ref
    table.tableColumns = table.tableColumns[:6]
    book.save(applied)
    assert history_lettres(applied) == {}  # the older layout still reads
    code, _, _ = cli(capsys, "lettres", str(applied), "--sortie", "pdf", "--dossier",
                     str(tmp_path / "pdf"))
    assert code == 0
    sheet = openpyxl.load_workbook(applied)[layout.HISTORIQUE]
    assert sheet.cell(1, 7).value == "Lettre archivée"
    assert history_lettres(applied)["FA22-0110"] == f"{ARCHIVE}/2022-07-27_VIGNE_BONSV_N1.pdf"


def test_a_journal_line_carries_the_archived_letter_and_an_older_line_reads(notice, tmp_path):
    import json

    from relances_xl.excel import journal

    _, _, rows, on = notice
    where = tmp_path / "Relances.xlsm.envois.jsonl"
    row = next(r for r in rows if r.lines)
    assert journal.record(where, row, on, "email", "Lettres émises/x.pdf")
    older = {"date": "2022-07-27", "societe": "S1", "tiers": "C2", "sortie": "email",
             "pieces": [["F2", 1]]}
    with open(where, "a", encoding="utf-8") as stream:
        stream.write(json.dumps(older) + "\n")
    first, second = journal.read(where)
    assert {h.lettre for h in first.history()} == {"Lettres émises/x.pdf"}
    assert [h.lettre for h in second.history()] == [""]
