"""A file that is not a readable workbook: every command says so in one line and writes
nothing (it used to end in a BadZipFile traceback with exit 1)."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from conftest import soffice_or_skip
from fec_writer import sale, write_fec

from relances_xl.cli import main
from relances_xl.excel import guard

COMMANDS = {
    "appliquer": ["appliquer", "{w}", "--date", "2022-07-27"],
    "lettres": ["lettres", "{w}", "--sortie", "pdf", "--dossier", "{d}"],
    "proposition": ["proposition", "{w}", "--sortie", "pdf", "--dossier", "{d}"],
    "sauver": ["sauver", "{w}"],
    "import-fec": ["import-fec", "{f}", "{w}", "--societe", "VIGNE"],
}
KINDS = {
    "tronqué par une copie": "archive tronquée ou abîmée",
    "fin coupée": "archive tronquée ou abîmée",
    ".xls renommé": "classeur Excel 97-2003 .xls renommé",
    "vide": "fichier vide",
    "texte": "fichier texte",
}


@pytest.fixture(scope="session")
def real_xls(built_workbook: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The sample workbook saved as a real Excel 97-2003 .xls by LibreOffice."""
    soffice = soffice_or_skip()
    folder = tmp_path_factory.mktemp("xls")
    profile = folder / f"lo-{uuid.uuid4().hex}"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}",
                    "--convert-to", "xls", "--outdir", str(folder), str(built_workbook)],
                   check=True, capture_output=True, timeout=180)
    return (folder / "Relances.xls").read_bytes()


def unreadable(kind: str, good: bytes, xls: bytes) -> bytes:
    return {
        "tronqué par une copie": good[: len(good) // 2],
        "fin coupée": good[:-100],
        ".xls renommé": xls,
        "vide": b"",
        "texte": "Code tiers;Nom;Ville\r\n3UENEG;Négoce UE;Köln\r\n".encode(),
    }[kind]


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_refuses_an_unreadable_workbook_in_one_line(
        command, kind, built_workbook, real_xls, tmp_path, capsys):
    folder = tmp_path / "classeur"
    folder.mkdir()
    workbook = folder / "Relances.xlsm"
    workbook.write_bytes(unreadable(kind, built_workbook.read_bytes(), real_xls))
    fec = write_fec(tmp_path / "123456789FEC20231231.txt",
                    sale("1", "20230105", "C1", "Client un", "F1", "120,00"))
    before = files_in(folder)
    argv = [a.format(w=workbook, d=tmp_path / "sortie", f=fec) for a in COMMANDS[command]]
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2
    assert err.splitlines() == [
        f"ERREUR : Relances.xlsm n'est pas un classeur .xlsm lisible ({KINDS[kind]}"
        + err.split(KINDS[kind], 1)[1].rstrip("\n")]
    assert err.rstrip().endswith(": rien n'a été fait.")  # no .bak beside it to name
    assert "Traceback" not in err and out == ""
    assert files_in(folder) == before  # no lock, no backup, nothing written
    assert not (tmp_path / "sortie").exists()


def test_the_backup_beside_it_is_named(built_workbook, tmp_path, capsys):
    workbook = tmp_path / "Relances.xlsm"
    workbook.write_bytes(built_workbook.read_bytes()[:5000])
    shutil.copyfile(built_workbook, tmp_path / "Relances.xlsm.bak")
    assert main(["sauver", str(workbook)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert ("La version précédente est Relances.xlsm.bak, à côté : renommez-la en "
            "Relances.xlsm pour la reprendre.") in err


def test_a_backup_that_is_no_better_is_not_offered(built_workbook, tmp_path, capsys):
    workbook = tmp_path / "Relances.xlsm"
    workbook.write_bytes(b"")
    (tmp_path / "Relances.xlsm.bak").write_bytes(built_workbook.read_bytes()[:5000])
    assert main(["appliquer", str(workbook)]) == 2
    assert ".bak" not in capsys.readouterr().err


def test_a_zip_that_is_not_a_workbook_nor_whole_is_named(built_workbook, tmp_path):
    """A .docx renamed, and a workbook whose one part is damaged inside the archive."""
    docx = Path(__file__).parents[1] / "templates" / "LET01_FR.docx"
    assert guard.unreadable_reason(docx) == "archive zip qui n'est pas un classeur Excel"
    data = bytearray(built_workbook.read_bytes())
    start = data.index(b"xl/styles.xml") + len(b"xl/styles.xml") + 40  # inside its data
    data[start:start + 8] = b"\xff" * 8
    damaged = tmp_path / "Relances.xlsm"
    damaged.write_bytes(bytes(data))
    assert guard.unreadable_reason(damaged) in ("archive abîmée, partie xl/styles.xml "
                                                "illisible",
                                                "archive tronquée ou abîmée, copie "
                                                "interrompue ?")
    assert guard.unreadable_reason(built_workbook) is None
