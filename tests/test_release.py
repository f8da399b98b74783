"""The release archive and the first mile: `release/build_archive.py`, its two installer
scripts, and `relances-xl installer`.

The archive is built for real (`python -m build`), unpacked, and its `Installer.command`
run for real here (bash on Linux stands in for macOS's: same script, Linux's branch of
the installer). `Installer.cmd` was never run: no Windows here; its structure and the
Python it runs are checked. The macOS and Windows branches of the installer are checked
as plans (the commands they would run).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path, PureWindowsPath

import openpyxl
import pytest
from pypdf import PdfReader

from relances_xl import __version__, installer, layout, sample

ROOT = Path(__file__).resolve().parents[1]
NAME = f"relances-xl-{__version__}"
WHEEL = f"relances_xl-{__version__}-py3-none-any.whl"
COMMITTED = ROOT / "workbook" / "Relances.xlsm"
GUIDE = "Guide de l'utilisateur.pdf"
GUIDE_PAGES = sorted((ROOT / "docs" / "guide").glob("[0-9][0-9]-*.md"))


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, str(ROOT / "release" / "build_archive.py"), "--out",
                    str(out)], check=True, capture_output=True, timeout=600)
    return out / f"{NAME}.zip"


@pytest.fixture(scope="module")
def unpacked(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The archive unpacked by Python's zipfile, modes restored as unzip would."""
    where = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(archive) as package:
        for info in package.infolist():
            path = Path(package.extract(info, where))
            path.chmod(info.external_attr >> 16 & 0o777)
    return where / NAME


def shellcheck_or_skip() -> str:
    found = shutil.which("shellcheck")
    if found:
        return found
    if os.environ.get("RELANCES_REQUIRE_SHELLCHECK"):
        pytest.fail("shellcheck is required here but not installed")
    pytest.skip("shellcheck not installed")


# --- what the archive holds ---------------------------------------------------------------


def test_the_archive_holds_the_wheel_the_workbook_the_installers_and_a_readme(archive):
    with zipfile.ZipFile(archive) as package:
        entries = {info.filename: info for info in package.infolist()}
        workbook = package.read(f"{NAME}/Relances.xlsm")
        wheel = package.read(f"{NAME}/{WHEEL}")
    assert sorted(entries) == sorted(f"{NAME}/{name}" for name in (
        "LISEZMOI.txt", "Installer.cmd", "Installer.command", "Relances.xlsm", WHEEL, GUIDE,
        sample.SIGNATURE_FILE))
    modes = {name.split("/")[1]: info.external_attr >> 16 for name, info in entries.items()}
    assert stat.S_IMODE(modes["Installer.command"]) == 0o755 and stat.S_ISREG(
        modes["Installer.command"])
    assert stat.S_IMODE(modes["Installer.cmd"]) == 0o644
    assert workbook == COMMITTED.read_bytes()  # the sources' workbook, as committed
    with zipfile.ZipFile(io.BytesIO(wheel)) as package:
        names = set(package.namelist())
        meta = package.read(f"relances_xl-{__version__}.dist-info/METADATA").decode()
    for part in ("relances_xl/installer.py", "relances_xl/excel/guard.py",
                 "relances_xl/excel/vba/ThisWorkbook.cls", "relances_xl/templates/LET01_FR.docx",
                 "relances_xl/templates/README.md", "relances_xl/rules/engine.py",
                 "relances_xl/fec/importer.py"):
        assert part in names, part
    assert "Requires-Dist: filelock" in meta and "Requires-Dist: xlwings==" in meta


def test_lisezmoi_says_in_french_what_to_do_step_by_step(unpacked):
    raw = (unpacked / "LISEZMOI.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 marked, for Notepad and TextEdit
    assert b"\n" not in raw.replace(b"\r\n", b"")
    text = raw.decode("utf-8-sig")
    steps = ["1. Installer Python", "2. Lancer l'installation", "3. Ouvrir le classeur",
             "4. E-mail", "5. Classeur sur OneDrive"]
    assert [text.index(step) for step in steps] == sorted(text.index(step) for step in steps)
    for said in ("https://www.python.org/downloads/", "PAS la version du Microsoft Store",
                 "Add python.exe to PATH", "Installer.cmd", "Installer.command",
                 "« Ouvrir »", "Activer le contenu", "Activer les macros", "Appliquer",
                 r".venv\Scripts\keyring set relances_xl", ".venv/bin/keyring set relances_xl",
                 WHEEL, GUIDE, "winget install Python.Python.3.12"):
        assert said in text, said
    assert "{version}" not in text


def test_the_guide_pdf_beside_the_workbook_has_every_chapter_and_picture(unpacked):
    """`Guide de l'utilisateur.pdf`: the ten pages of docs/guide/, titles in order, each
    picture the Markdown names drawn in it."""
    reader = PdfReader(unpacked / GUIDE)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    titles = [first_heading(page) for page in GUIDE_PAGES]
    assert len(titles) == 10
    assert [text.index(t) for t in titles] == sorted(text.index(t) for t in titles)
    assert "Le tableau est vide : cliquez d'abord sur « Appliquer »." in text
    named = sum(len(re.findall(r"!\[[^]]*\]\(images/", p.read_text(encoding="utf-8")))
                for p in GUIDE_PAGES)
    drawn = sum(len(page.images) for page in reader.pages)
    assert named >= 15 and drawn == named


def first_heading(page: Path) -> str:
    return next(line[2:].strip() for line in page.read_text(encoding="utf-8").splitlines()
                if line.startswith("# "))


# --- the scripts' syntax ---------------------------------------------------------------------


def test_installer_command_passes_shellcheck_and_bash(unpacked):
    script = unpacked / "Installer.command"
    checked = subprocess.run([shellcheck_or_skip(), "--shell=bash", "--severity=style",
                              str(script)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout
    assert subprocess.run(["bash", "-n", str(script)]).returncode == 0
    text = script.read_text(encoding="utf-8")
    assert text.startswith("#!/bin/bash\n") and "\r" not in text
    for bash4 in ("declare -A", "mapfile", "readarray", "${folder,,}", "|&"):
        assert bash4 not in text  # macOS runs bash 3.2
    program = re.search(r"<<'PYTHON'\n(.*?)\nPYTHON\n", text, re.DOTALL).group(1)
    compile(program, "Installer.command", "exec")
    assert 'main([folder, "--paquet", wheel, "--classeur", workbook])' in program


def test_installer_cmd_is_a_well_formed_batch_file(unpacked):
    """Never run (no Windows here): what can be checked of it is checked."""
    raw = (unpacked / "Installer.cmd").read_bytes()
    assert b"\n" not in raw.replace(b"\r\n", b"")  # CRLF: cmd misreads labels otherwise
    lines = raw.decode("utf-8").split("\r\n")
    before_chcp = lines[:next(i for i, ln in enumerate(lines) if ln.startswith("chcp 65001"))]
    assert all(line.isascii() for line in before_chcp)  # read before the code page is UTF-8
    assert lines[0] == "@echo off" and "setlocal" in lines
    labels = {line[1:].strip() for line in lines if line.startswith(":")}
    targets = set(re.findall(r"\bgoto\s+(\w+)", "\n".join(lines), re.IGNORECASE))
    assert targets and targets <= labels, targets - labels
    depth = 0
    for line in lines:
        outside = re.sub(r'"[^"]*"', "", line)
        if outside.lstrip().lower().startswith(("echo", "rem")) and depth == 0:
            continue
        depth += outside.count("(") - outside.count(")")
        assert depth >= 0, line
    assert depth == 0
    for label in labels:  # every branch ends the script, none falls into the next label
        block = "\r\n".join(raw.decode("utf-8").split(f"\r\n:{label}\r\n")[1:])
        assert "exit /b" in block.split("\r\n:")[0], label
    command = next(line for line in lines
                   if line.startswith("%PY% -c") and "relances_xl.installer" in line)
    program = re.search(r'-c "([^"]*)"', command).group(1)
    compile(program.replace("; ", "\n"), "Installer.cmd", "exec")
    assert '"%WHEEL%" "%DOSSIER%" --paquet "%WHEEL%" --classeur "%HERE%Relances.xlsm"' in command
    check = next(line for line in lines if "version_info" in line)
    assert "(3, 11)" in check and "WindowsApps" in check  # the Store's Python is refused


def test_installer_cmd_offers_winget_only_when_no_python_fits(unpacked):
    """Without a suitable Python, the double-click offers `winget install
    Python.Python.3.12` (Windows 10 and 11 have winget), asks first, checks the Python
    it installed like any other, and is never run when a folder was given (no questions)."""
    text = (unpacked / "Installer.cmd").read_bytes().decode("utf-8")
    lines = text.split("\r\n")
    start = lines.index("call :findpython")
    assert lines[start:start + 5] == ["call :findpython", "call :checkpython",
                                      "if not defined PY call :wingetpython",
                                      "if defined PY call :checkpython",
                                      "if not defined PY goto nopython"]
    block = text.split("\r\n:wingetpython\r\n")[1].split("\r\n:")[0].split("\r\n")
    assert block[0] == "if not defined ASK exit /b 1"  # a folder given: no question
    assert block[1] == "where winget >nul 2>nul || exit /b 1"
    ask = next(i for i, line in enumerate(block) if line.startswith("choice /c ON"))
    install = next(i for i, line in enumerate(block) if line.startswith("winget install"))
    assert ask < install and block[ask + 1] == "if errorlevel 2 exit /b 1"
    assert "-e --id Python.Python.3.12" in block[install] and "--scope user" in block[install]
    assert block[install + 1] == "if errorlevel 1 exit /b 1"
    assert r"%LOCALAPPDATA%\Programs\Python\Python312\python.exe" in text
    assert 'set "ASK="' in lines[lines.index('    set "DOSSIER=%~1"') + 1]
    assert "winget install Python.Python.3.12" in text.split("\r\n:nopython\r\n")[1]


# --- the installers, for real -----------------------------------------------------------------


@pytest.fixture(scope="module")
def installed(unpacked: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """`Installer.command DOSSIER` run as a user would, without a terminal to answer."""
    folder = tmp_path_factory.mktemp("client") / "Mes relances"
    done = subprocess.run([str(unpacked / "Installer.command"), str(folder)],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=900, cwd=unpacked)
    assert done.returncode == 0, done.stdout + done.stderr
    return folder, done.stdout


def test_installer_puts_the_workbook_and_its_python_in_the_folder(installed):
    folder, said = installed
    assert (folder / "Relances.xlsm").read_bytes() == COMMITTED.read_bytes()
    python = folder / ".venv" / "bin" / "python"
    found = subprocess.run([str(python), "-c", "import relances_xl.installer as i, xlwings; "
                            "print(i.__file__); print(xlwings.__version__)"], cwd=folder,
                           capture_output=True, text=True, check=True).stdout.splitlines()
    assert str(folder / ".venv") in found[0] and found[1] == "0.37.8"
    for line in (f"Dossier : {folder}", f"Environnement Python créé : {folder / '.venv'}",
                 f"Classeur copié : {folder / 'Relances.xlsm'}", "C'est prêt. Ensuite :",
                 f"1. Ouvrez {folder / 'Relances.xlsm'} dans Excel.",
                 f"« {folder}/.venv/bin/keyring set relances_xl <utilisateur SMTP> »"):
        assert line in said, line
    applied = subprocess.run([str(folder / ".venv" / "bin" / "relances-xl"), "appliquer",
                              str(folder / "Relances.xlsm"), "--date", "2022-07-27"],
                             capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    assert "9 ligne(s), 8 à relancer pour 5\u202f791,46" in applied.stdout
    assert (folder / sample.SIGNATURE_FILE).read_bytes() == sample.SIGNATURE_IMAGE.read_bytes()
    letters = subprocess.run([str(folder / ".venv" / "bin" / "relances-xl"), "lettres",
                              str(folder / "Relances.xlsm"), "--sortie", "pdf"],
                             capture_output=True, text=True)
    assert letters.returncode == 0, letters.stderr  # the first letters, as the guide says
    assert len(list((folder / "Relances").glob("2022-07-27_VIGNE_*_N*.pdf"))) == 8


def test_the_installer_copies_the_signature_the_sample_names_and_keeps_the_users(tmp_path):
    assert installer.SAMPLE_SIGNATURE == sample.SIGNATURE_FILE
    source = tmp_path / "archive"
    source.mkdir()
    (source / "Relances.xlsm").write_bytes(b"classeur")
    (source / sample.SIGNATURE_FILE).write_bytes(b"image")
    mine = tmp_path / "mien"
    found = installer.plan(mine, "relances.whl", workbook=source / "Relances.xlsm")
    assert f"Signature de l'exemple copiée : {mine / sample.SIGNATURE_FILE}" in [
        step.says for step in found.steps]
    mine.mkdir()
    (mine / sample.SIGNATURE_FILE).write_bytes(b"ma signature")
    again = installer.plan(mine, "relances.whl", workbook=source / "Relances.xlsm")
    assert not [step for step in again.steps if "Signature" in step.says]


def test_relances_xl_installer_again_keeps_the_users_workbook_else_writes_one(installed):
    """Run again from the installed package (`relances-xl installer`, which installs
    itself from where pip recorded it came from): the venv is reused, a workbook there
    is kept as it is, and a folder without one gets a fresh one built by the venv."""
    folder, _ = installed
    command = [str(folder / ".venv" / "bin" / "relances-xl"), "installer", str(folder)]
    mine = (folder / "Relances.xlsm").read_bytes()
    again = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=folder)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Relances.xlsm existe déjà dans le dossier : gardé tel quel." in again.stdout
    assert "Environnement Python déjà présent, réutilisé" in again.stdout
    assert f"{WHEEL} (une à trois minutes" in again.stdout  # the wheel it came from
    assert (folder / "Relances.xlsm").read_bytes() == mine
    (folder / "Relances.xlsm").unlink()
    fresh = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=folder)
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    assert f"Classeur écrit : {folder / 'Relances.xlsm'}" in fresh.stdout
    assert (folder / "Relances.xlsm").read_bytes() == COMMITTED.read_bytes()


# --- the branches that need macOS or Windows, as plans ----------------------------------------


def commands(found: installer.Plan) -> list[list[str]]:
    return [list(step.command) for step in found.steps if step.command]


def test_on_macos_the_installer_writes_the_interpreter_and_installs_the_applescript(tmp_path):
    folder = Path("/Users/marie/Documents/Relances")
    found = installer.plan(folder, "/tmp/relances_xl.whl", platform="darwin")
    python = "/Users/marie/Documents/Relances/.venv/bin/python"
    assert [python, "-m", "relances_xl.installer", "--configurer",
            str(folder / "Relances.xlsm"), "Interpreter_Mac", python] in commands(found)
    assert commands(found)[-1] == ["/Users/marie/Documents/Relances/.venv/bin/xlwings",
                                   "runpython", "install"]
    assert any("Activer les macros" in line for line in found.afterwards)


def test_on_windows_the_venv_beside_the_workbook_needs_no_setting(tmp_path):
    folder = Path("C:/Users/marie/Documents/Relances")
    found = installer.plan(folder, "relances.whl", platform="win32", environ={})
    assert not [c for c in commands(found) if "--configurer" in c]
    pip = next(c for c in commands(found) if "pip" in c)
    assert PureWindowsPath(pip[0]).parts[-3:] == (".venv", "Scripts", "python.exe")
    assert any(r".venv\Scripts\keyring.exe set relances_xl" in line
               for line in found.afterwards)


def test_on_onedrive_the_interpreter_is_written_for_excel(tmp_path):
    folder = Path("C:/Users/marie/OneDrive - Cabinet/Relances")
    found = installer.plan(folder, "relances.whl", platform="win32",
                           environ={"OneDriveCommercial": "C:/Users/marie/OneDrive - Cabinet"})
    (configure,) = [c for c in commands(found) if "--configurer" in c]
    assert configure[-2] == "Interpreter_Win"
    assert PureWindowsPath(configure[-1]).parts[-3:] == (".venv", "Scripts", "python.exe")


def test_configuring_the_workbook_writes_its_conf_sheet_only(workbook):
    before = openpyxl.load_workbook(workbook)
    assert installer.main(["--configurer", str(workbook), "Interpreter_Mac",
                           "/Users/marie/Relances/.venv/bin/python"]) == 0
    installer.set_conf(workbook, "ONEDRIVE_COMMERCIAL_WIN", r"C:\Users\marie\OneDrive")
    after = openpyxl.load_workbook(workbook)
    conf = after[layout.XLWINGS_CONF]
    pairs = []
    for key, value in conf.iter_rows(min_col=1, max_col=2, values_only=True):
        if key is None:
            break
        pairs.append((key, value))
    assert pairs[1] == ("Interpreter_Mac", "/Users/marie/Relances/.venv/bin/python")
    assert pairs[-1] == ("ONEDRIVE_COMMERCIAL_WIN", r"C:\Users\marie\OneDrive")
    assert len(pairs) == 6 and conf.sheet_state == "hidden"
    for name in (layout.CLIENTS, layout.FACTURES, layout.PARAMETRES):
        assert [list(r) for r in after[name].values] == [list(r) for r in before[name].values]
