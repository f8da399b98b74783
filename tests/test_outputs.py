"""File names, the text export and the screen output, on the real file system.

Each hostile code is turned into a name, and the file is really created in a
temporary folder: the name must be accepted there, land there, and be a name
Windows would accept too. The viewer test puts a fake `xdg-open` first on PATH:
what is tested is our call, since no viewer can run here.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from relances_xl.letters.outputs import (
    OutputError,
    ensure_inside,
    letter_filename,
    open_in_viewer,
    safe_component,
    unique_path,
    write_text_export,
)

HOSTILE = [
    "../../etc/passwd", "..", ".", "/", "/etc/passwd", "a/b", "a\\b", "..\\..\\Windows",
    "C:", "C:\\autoexec.bat", "a:b", 'x*y?"z<w>|v', "tab\tnl\ncr\rnul\x00bell\x07del\x7f",
    " .cache. ", "...", "   ", "", "CON", "con", "PRN.txt", "aux.pdf", "NUL", "COM1",
    "com9.tar.gz", "LPT1", "lpt9 .x", "CONIN$", "x" * 300, "é" * 200, "😀" * 100,
    "\u202eevil\u202dfdp.exe", "ligne\u2028suivante",
]
WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\..*)?$", re.IGNORECASE)


def assert_portable(name: str, max_len: int) -> None:
    assert name and len(name) <= max_len and len(name.encode()) <= 2 * max_len
    assert not WINDOWS_FORBIDDEN.search(name)
    assert name == name.strip(" .") and name not in (".", "..")
    assert not RESERVED.match(name.split(".")[0].rstrip(" ") + ".")
    assert not RESERVED.match(name)


@pytest.mark.parametrize("text", HOSTILE)
def test_safe_component_is_a_portable_name_created_inside_the_folder(text, tmp_path):
    name = safe_component(text)
    assert_portable(name, 60)
    path = tmp_path / name
    path.write_bytes(b"x")
    assert ensure_inside(tmp_path, path) == path.resolve()
    assert os.listdir(tmp_path) == [name]


@pytest.mark.parametrize("text", HOSTILE)
def test_letter_filename_stays_in_the_folder(text, tmp_path):
    name = letter_filename(date(2022, 7, 27), text, text, 3)
    assert re.fullmatch(r"2022-07-27_.+_.+_N3\.pdf", name)
    assert len(name.encode()) < 255 and not WINDOWS_FORBIDDEN.search(name)
    path = unique_path(tmp_path, name)
    assert path.parent == tmp_path.resolve() and path.is_file()


def test_ordinary_codes_are_kept_as_they_are():
    assert safe_component("1FRNEG") == "1FRNEG"
    assert safe_component("Société Générale") == "Société Générale"
    assert safe_component("CLI 001") == "CLI 001"
    assert safe_component("CONTOSO") == "CONTOSO"  # only the device names themselves
    assert letter_filename(date(2022, 7, 27), "1FR", "CLI001", 2) == "2022-07-27_1FR_CLI001_N2.pdf"


def test_altered_or_cut_names_stay_distinct():
    names = [safe_component(t) for t in ("a/b", "a_b", "a\\b", "a:b", "a?b", "a*b")]
    assert len(set(names)) == len(names)
    long = ["relance-" + "x" * 100 + tail for tail in ("1", "2")]
    assert safe_component(long[0]) != safe_component(long[1])
    assert safe_component("CON") != safe_component("_CON")
    assert safe_component("") != safe_component("_")
    assert safe_component("a/b") == safe_component("a/b")  # same code, same name


def test_ensure_inside_refuses_escapes(tmp_path):
    folder = tmp_path / "lettres"
    folder.mkdir()
    for escape in (folder / ".." / "x.pdf", Path("/etc/passwd"), folder / "sous" / "x.pdf"):
        with pytest.raises(OutputError, match="sortirait du dossier"):
            ensure_inside(folder, escape)
    (folder / "lien.pdf").symlink_to(tmp_path / "ailleurs.pdf")
    with pytest.raises(OutputError, match="sortirait du dossier"):
        ensure_inside(folder, folder / "lien.pdf")


def test_unique_path_never_overwrites(tmp_path):
    existing = tmp_path / "2022-07-27_1FR_CLI001_N2.pdf"
    existing.write_bytes(b"deja la")
    first = unique_path(tmp_path, existing.name)
    second = unique_path(tmp_path, existing.name)
    assert first.name == "2022-07-27_1FR_CLI001_N2 (2).pdf"
    assert second.name == "2022-07-27_1FR_CLI001_N2 (3).pdf"
    assert existing.read_bytes() == b"deja la"
    assert unique_path(tmp_path, "autre.pdf", reserve=False).exists() is False
    (tmp_path / "pendant.pdf").symlink_to(tmp_path / "absent")  # a dangling link is taken
    assert unique_path(tmp_path, "pendant.pdf").name == "pendant (2).pdf"
    (tmp_path / "dehors.pdf").symlink_to("/tmp/ailleurs.pdf")
    assert unique_path(tmp_path, "dehors.pdf").name == "dehors (2).pdf"
    assert not (tmp_path / "absent").exists() and not Path("/tmp/ailleurs.pdf").exists()


@pytest.mark.parametrize("name", ["../x.pdf", "sous/x.pdf", "", "..", "/etc/x.pdf"])
def test_unique_path_wants_a_plain_name(name, tmp_path):
    with pytest.raises(OutputError):
        unique_path(tmp_path, name)


def test_unique_path_needs_the_folder(tmp_path):
    with pytest.raises(OutputError, match="n'existe pas"):
        unique_path(tmp_path / "absent", "x.pdf")


HEADER = ["Tiers", "Montant", "Date", "Note"]


def read_export(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline=""), delimiter=";"))


def test_text_export_french_excel_format(tmp_path):
    path = write_text_export(tmp_path / "export.csv", HEADER, [
        ["CLI001", Decimal("11063.80"), date(2022, 7, 27), "Société ; « gênée »"],
        ["CLI002", Decimal("-12.00"), datetime(2022, 7, 27, 9, 5), None],
        ["CLI003", 3, True, 0.5],
    ])
    assert path == tmp_path / "export.csv"
    raw = path.read_bytes()
    assert raw.split(b"\r\n")[0] == b"\xef\xbb\xbfTiers;Montant;Date;Note"
    assert read_export(path) == [
        HEADER,
        ["CLI001", "11063,80", "27/07/2022", "Société ; « gênée »"],
        ["CLI002", "-12,00", "27/07/2022 09:05", ""],
        ["CLI003", "3", "Oui", "0,5"],
    ]


@pytest.mark.parametrize(("text", "written"), [
    ("=1+1", "'=1+1"),
    ("+33 1 23", "'+33 1 23"),
    ("-cmd", "'-cmd"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("-12,00", "'-12,00"),  # text that looks like a number is still text from outside
    ("=HYPERLINK(\"http://x\";\"clic\")", "'=HYPERLINK(\"http://x\";\"clic\")"),
    ("CLI-001", "CLI-001"),
])
def test_text_export_neutralises_formulas(text, written, tmp_path):
    path = write_text_export(tmp_path / "export.csv", HEADER,
                             [[text, Decimal("-12.00"), None, None]])
    assert read_export(path)[1][:2] == [written, "-12,00"]


def test_text_export_is_atomic_and_replaces(tmp_path):
    target = tmp_path / "export.csv"
    target.write_text("ancien", encoding="utf-8")
    write_text_export(target, HEADER, [["A", Decimal("1.00"), None, None]])
    assert read_export(target)[1][0] == "A"
    assert os.listdir(tmp_path) == ["export.csv"]  # no temporary file left behind
    with pytest.raises(OutputError, match="Fichier texte"):
        write_text_export(tmp_path / "absent" / "export.csv", HEADER, [])


@pytest.fixture
def fake_viewer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A PATH holding only a fake viewer that records its argument, exiting with `code`."""
    if sys.platform == "win32":
        pytest.skip("Windows opens files through os.startfile, not a command")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "viewer-args.txt"
    monkeypatch.setenv("PATH", str(bin_dir))

    def install(code: int = 0) -> Path:
        command = "open" if sys.platform == "darwin" else "xdg-open"
        script = bin_dir / command
        script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{record}"\nexit {code}\n')
        script.chmod(0o755)
        return record

    return install


def make_pdf(tmp_path: Path) -> Path:
    pdf = tmp_path / "lettre - été.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    return pdf


def test_viewer_gets_the_absolute_path(fake_viewer, tmp_path, monkeypatch):
    record = fake_viewer()
    pdf = make_pdf(tmp_path)
    monkeypatch.chdir(tmp_path)
    open_in_viewer(Path(pdf.name))
    assert record.read_text() == f"{pdf.resolve()}\n"


def test_viewer_failure_is_reported(fake_viewer, tmp_path):
    fake_viewer(code=3)
    with pytest.raises(OutputError, match=r"Écran : .*n'a pas pu ouvrir.*code 3"):
        open_in_viewer(make_pdf(tmp_path))


def test_no_viewer_installed(fake_viewer, tmp_path):
    with pytest.raises(OutputError, match="aucun visionneur PDF"):
        open_in_viewer(make_pdf(tmp_path))


def test_viewer_needs_the_file(tmp_path):
    with pytest.raises(OutputError, match="n'existe pas"):
        open_in_viewer(tmp_path / "absent.pdf")
