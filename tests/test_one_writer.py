"""One writer at a time, and never behind Excel's back.

Real processes of the real command line race on one workbook: `lettres --sortie pdf`
(LibreOffice, seconds) against `sauver`, in both orders; a holder is killed; the file
is changed on disk under a running command; LibreOffice opens the workbook for real,
and Excel's owner file is the one Office writes (its format as LibreOffice reads it).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from conftest import soffice_or_skip

from relances_xl import addin, layout
from relances_xl.cli import main, opened
from relances_xl.excel import guard
from relances_xl.sample import SIGNATURE_FILE

SCRIPT = Path(sys.executable).with_name("relances-xl")
TICKED = {"1FRNEG/VIGNE", "2FRPAR/VIGNE", "3UENEG/VIGNE", "4HUE/VIGNE", "5REST/VIGNE",
          "BONJE/VIGNE", "BONSV/VIGNE", "NYWINE/VIGNE"}  # NYWINE: its row in dollars


def start(*argv: str, wait: float = 120) -> subprocess.Popen[str]:
    env = {**os.environ, guard.WAIT_ENV: str(wait)}
    return subprocess.Popen([str(SCRIPT), *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=300)
    return process.returncode, out, err


def holding(workbook: Path, process: subprocess.Popen[str], timeout: float = 120) -> None:
    """Return once `process` holds the workbook's lock (its note names it), seen within
    a millisecond: `sauver` on the sample let the lock go 1-17 ms after its note was
    seen by a look every 20 ms, and was caught holding it in 17 runs of 20 that way
    (five misses in a row once failed CI on a busy machine), in 20 of 20 with a look
    every millisecond."""
    limit = time.monotonic() + timeout
    while time.monotonic() < limit:
        holder = guard.read_holder(workbook)
        if holder is not None and holder.pid == process.pid:
            return
        assert process.poll() is None, finish(process)
        time.sleep(0.001)
    raise AssertionError("the command never took the lock")


def editee(path: Path) -> set[str]:
    sheet = openpyxl.load_workbook(path)[layout.RELANCES]
    return {f"{row[0]}/{row[1]}" for row in sheet.iter_rows(
        min_row=layout.TABLE_FIRST_ROW, max_col=8, values_only=True) if row[0] and row[7]}


def saved_proposal(path: Path) -> tuple[object, dict[str, bool]]:
    """(Sauvée le, tiers/société -> Éditée) of the hidden Proposition sheet."""
    sheet = openpyxl.load_workbook(path)[layout.PROPOSITION]
    saved_at = sheet[layout.PROPOSAL_CELLS["saved_at"][1]].value
    rows = {f"{row[0]}/{row[1]}": row[3] for row in sheet.iter_rows(
        min_row=layout.PROPOSAL_HEADER_ROW + 1, max_col=4, values_only=True) if row[0]}
    return saved_at, rows


# --- the race of the issue, both orders ----------------------------------------------------


def test_sauver_started_while_lettres_runs_waits_then_saves_the_fresh_file(applied, tmp_path):
    soffice_or_skip()
    letters = start("lettres", str(applied), "--sortie", "pdf", "--dossier",
                    str(tmp_path / "pdf"))
    holding(applied, letters)
    save = start("sauver", str(applied), wait=240)
    code, _, err = finish(save)
    assert finish(letters)[0] == 0
    assert code == 0, err
    assert "est utilisé par une autre commande (relances-xl lettres, poste " in err
    assert f"processus {letters.pid}" in err
    assert editee(applied) == TICKED  # the letters' run is in the file...
    saved_at, rows = saved_proposal(applied)  # ...and the proposal saved after it
    assert saved_at is not None
    assert {key for key, done in rows.items() if done} == TICKED  # saved from the fresh file


def test_sauver_that_cannot_wait_long_enough_stops_naming_the_holder(applied, tmp_path):
    soffice_or_skip()
    letters = start("lettres", str(applied), "--sortie", "pdf", "--dossier",
                    str(tmp_path / "pdf"))
    holding(applied, letters)
    code, out, err = finish(start("sauver", str(applied), wait=0.3))
    assert finish(letters)[0] == 0
    assert code == 2 and "Proposition sauvée" not in out
    line = err.strip().splitlines()[-1]
    assert line.startswith(f"ERREUR : Relances.xlsm est en cours de modification par une "
                           f"autre commande (relances-xl lettres, poste "
                           f"{socket.gethostname()}, processus {letters.pid}, depuis ")
    assert "toujours occupé après 0.3 s : rien n'a été fait" in line
    assert saved_proposal(applied)[0] is None  # said, not lost in silence
    assert editee(applied) == TICKED


def lock_is_held(workbook: Path) -> bool:
    """Whether some process holds the workbook's lock (the flock filelock takes)."""
    fd = os.open(guard.lock_path(workbook), os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing drops the probe's own lock, if it got one
    return False


def stopped_while_holding(workbook: Path, attempts: int = 5) -> subprocess.Popen[str]:
    """A real `sauver` paused while it surely holds the workbook's lock.

    The holder's note outlives the lock, and `sauver` is quick: paused just after it
    released the lock, it would let the next command through. The lock itself is
    probed once the process is stopped; a run that had already released it is let
    finish and another is started.
    """
    for _ in range(attempts):
        save = start("sauver", str(workbook))
        holding(workbook, save)
        os.kill(save.pid, signal.SIGSTOP)
        if lock_is_held(workbook):
            return save
        os.kill(save.pid, signal.SIGCONT)
        assert finish(save)[0] == 0
    raise AssertionError(f"sauver never caught holding the lock in {attempts} runs")


def test_lettres_started_while_sauver_runs_waits_and_both_are_kept(applied, tmp_path):
    """`sauver` is paused while it holds the lock (a slow share would do the same), so
    that `lettres` surely starts while it runs."""
    soffice_or_skip()
    save = stopped_while_holding(applied)
    try:
        letters = start("lettres", str(applied), "--sortie", "pdf", "--dossier",
                        str(tmp_path / "pdf"))
        waiting = letters.stderr.readline()
    finally:
        os.kill(save.pid, signal.SIGCONT)
    assert "est utilisé par une autre commande (relances-xl sauver" in waiting
    assert f"processus {save.pid}" in waiting
    code, _, err = finish(letters)
    assert finish(save)[0] == 0
    assert code == 0, err
    saved_at, _ = saved_proposal(applied)
    assert saved_at is not None  # the proposal saved first is still there
    assert editee(applied) == TICKED
    assert len(list((tmp_path / "pdf").glob("2022-07-27_VIGNE_*.pdf"))) == 8


def test_a_command_waiting_for_the_lock_works_on_the_file_as_its_holder_left_it(
        workbook, capsys):
    """The waiter reads the workbook only once it holds the lock: what the holder
    saved meanwhile is in what it saves."""
    from relances_xl.excel.headless import close_book, open_book, save_book

    with guard.exclusive(workbook):
        save = start("appliquer", str(workbook), "--date", "2022-07-27")
        line = save.stderr.readline()
        assert "est utilisé par une autre commande" in line and "attente" in line
        book = open_book(workbook)  # the holder's own change, saved under its lock
        book.sheets[layout.CLIENTS].range("B2").value = "MME Toulouse Amélie (nouveau nom)"
        save_book(book)
        close_book(book)
    code, _, err = finish(save)
    assert code == 0, err
    clients = openpyxl.load_workbook(workbook)[layout.CLIENTS]
    assert clients["B2"].value == "MME Toulouse Amélie (nouveau nom)"
    relances = openpyxl.load_workbook(workbook)[layout.RELANCES]
    assert relances.cell(layout.TABLE_FIRST_ROW, 1).value == "1FRNEG"  # and Appliquer's


def test_a_killed_holder_never_blocks_the_next_command(applied, tmp_path):
    soffice_or_skip()
    before = applied.read_bytes()
    letters = start("lettres", str(applied), "--sortie", "pdf", "--dossier",
                    str(tmp_path / "pdf"))
    holding(applied, letters)
    letters.send_signal(signal.SIGKILL)
    letters.wait()
    assert guard.read_holder(applied).pid == letters.pid  # its note is still there
    assert applied.read_bytes() == before  # killed before saving: the file is whole
    started = time.monotonic()
    code, out, err = finish(start("sauver", str(applied), wait=0))
    assert code == 0, err
    assert "attente" not in err and "Proposition sauvée" in out
    assert time.monotonic() - started < 60


# --- the file changed on disk under a command ------------------------------------------


def test_a_file_changed_on_disk_during_a_run_is_not_overwritten(applied, tmp_path):
    soffice_or_skip()
    letters = start("lettres", str(applied), "--sortie", "pdf", "--dossier",
                    str(tmp_path / "pdf"))
    holding(applied, letters)
    other = tmp_path / "autre.xlsm"  # another program (Excel, a sync client) saves it
    shutil.copyfile(applied, other)
    with opened(other) as book:
        book.sheets[layout.CLIENTS].range("B2").value = "changé à côté"
    os.replace(other, applied)
    theirs = applied.read_bytes()
    code, _, err = finish(letters)
    assert code == 2
    assert ("Relances.xlsm a été modifié sur le disque pendant la commande (enregistré à "
            in err)
    assert "rien n'a été enregistré, pour ne pas effacer ce changement" in err
    assert applied.read_bytes() == theirs


def test_a_file_only_touched_is_the_same_file(workbook):
    with opened(workbook):
        addin.appliquer(today=date(2022, 7, 27))
        addin.sauver_proposition(today=date(2022, 7, 27))
        stamp = time.time() + 5
        os.utime(workbook, (stamp, stamp))  # a sync client touching it: same bytes
    assert saved_proposal(workbook)[0] is not None


def test_changed_on_disk_is_checked_before_anything_is_written(workbook, tmp_path):
    with pytest.raises(guard.WorkbookChanged), opened(workbook) as book:
        addin.abandonner_proposition()
        book.sheets[layout.CLIENTS].range("B2").value = "mien"
        workbook.write_bytes(workbook.read_bytes() + b"\0")  # someone else's save
    assert not workbook.with_name("Relances.xlsm.bak").exists()
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")
            and p.name != SIGNATURE_FILE] == [
        "Relances.xlsm"]


# --- Excel and LibreOffice have it open ---------------------------------------------------


def excel_owner_file(name: str) -> bytes:
    """The 165 bytes Excel writes as `~$<file>` (layout as LibreOffice's
    MSODocumentLockFile writes and reads it): length, name in the ANSI code page, spaces
    up to offset 55, length on two bytes, name in UTF-16-LE, then spaces and NULs."""
    data = bytes([len(name)]) + name.encode("cp1252")
    data += b" " * (55 - len(data))
    data += len(name).to_bytes(2, "little") + name.encode("utf-16-le")
    while len(data) < 165:
        data += b" \0"
    return data[:165]


def test_an_owner_file_of_excel_stops_every_writing_command(workbook, capsys, tmp_path):
    (tmp_path / "~$Relances.xlsm").write_bytes(excel_owner_file("Hélène Lefèvre"))
    before = workbook.read_bytes()
    for argv in (["appliquer", str(workbook)], ["sauver", str(workbook)],
                 ["lettres", str(workbook), "--sortie", "texte", "--dossier",
                  str(tmp_path / "txt")]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.startswith("ERREUR : Relances.xlsm est ouvert dans Excel par Hélène "
                              "Lefèvre : fermez-le ou travaillez depuis Excel."), err
        assert "supprimez ~$Relances.xlsm" in err
    assert workbook.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != SIGNATURE_FILE) == [
        "Relances.xlsm", "~$Relances.xlsm"]


def test_the_user_name_of_an_owner_file_is_read_in_each_of_its_forms():
    assert guard.excel_owner_name(excel_owner_file("Marie Dupont")) == "Marie Dupont"
    assert guard.excel_owner_name(excel_owner_file("Zoë")) == "Zoë"
    ansi_only = bytes([5]) + b"Andr\xe9" + b" " * 20  # cut before the UTF-16 copy
    assert guard.excel_owner_name(ansi_only) == "André"
    word = bytes([3]) + b"Eve" + b"\0" * 50 + (3).to_bytes(2, "little") + "Eve".encode(
        "utf-16-le") + b"\0" * 100  # Word's layout: the UTF-16 copy at offset 54
    assert guard.excel_owner_name(word) == "Eve"
    assert guard.excel_owner_name(b"") == ""
    assert guard.excel_owner_name(bytes([200]) + b"x" * 164) == ""


def test_a_save_excel_grabbed_meanwhile_is_refused_by_the_owner_file(workbook, tmp_path):
    """Excel opened the workbook while the command ran: the owner file is there at
    save time, nothing is written."""
    before = workbook.read_bytes()
    with pytest.raises(guard.WorkbookOpenElsewhere, match="ouvert dans Excel par Paul"), \
            opened(workbook):
        addin.appliquer(today=date(2022, 7, 27))
        (tmp_path / "~$Relances.xlsm").write_bytes(excel_owner_file("Paul"))
    assert workbook.read_bytes() == before


def test_on_windows_a_save_refused_by_the_file_system_says_excel_has_it(
        workbook, capsys, monkeypatch):
    """Windows refuses to replace a file Excel holds open (PermissionError): the user
    reads the owner-file message, never a traceback."""
    before = workbook.read_bytes()
    real_replace = os.replace

    def in_use(source, target, *args, **kwargs):  # what Windows answers for that file
        if Path(target).name == workbook.name:
            raise PermissionError(13, "Le processus ne peut pas accéder au fichier")
        return real_replace(source, target, *args, **kwargs)

    monkeypatch.setattr(guard, "on_windows", lambda: True)
    monkeypatch.setattr(os, "replace", in_use)
    monkeypatch.setattr(os, "rename", in_use)
    assert main(["appliquer", str(workbook), "--date", "2022-07-27"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == ("ERREUR : Relances.xlsm est ouvert dans Excel ou dans un autre "
                           "programme : fermez-le ou travaillez depuis Excel.")
    assert workbook.read_bytes() == before


def test_elsewhere_a_refused_save_says_why_and_keeps_the_file(workbook, capsys,
                                                              monkeypatch):
    def full(source, target, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    monkeypatch.setattr(os, "rename", full)
    before = workbook.read_bytes()
    assert main(["appliquer", str(workbook), "--date", "2022-07-27"]) == 2
    assert capsys.readouterr().err.strip() == (
        "ERREUR : Relances.xlsm n'a pas pu être enregistré (No space left on device) : le "
        "fichier est resté tel qu'il était.")
    assert workbook.read_bytes() == before


@pytest.fixture
def libreoffice_has_it_open(workbook: Path, tmp_path: Path):
    """A real LibreOffice, its user named Hélène Lefèvre, with the workbook open."""
    soffice = soffice_or_skip()
    profile = tmp_path / f"lo-{uuid.uuid4().hex}"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org'
        '/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.'
        'w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.UserProfile/Data"><prop oor:name="givenname" '
        'oor:op="fuse"><value>Hélène</value></prop></item>\n'
        '<item oor:path="/org.openoffice.UserProfile/Data"><prop oor:name="sn" '
        'oor:op="fuse"><value>Lefèvre</value></prop></item>\n</oor:items>\n',
        encoding="utf-8")
    office = subprocess.Popen([soffice, "--headless", "--norestore",
                               f"-env:UserInstallation={profile.as_uri()}", str(workbook)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lock = guard.libreoffice_lock_file(workbook)
    try:
        limit = time.monotonic() + 120
        while not lock.exists():
            assert time.monotonic() < limit and office.poll() is None, "no lock file"
            time.sleep(0.1)
        time.sleep(0.5)  # written whole
        yield lock
    finally:
        office.kill()
        office.wait()


def test_a_workbook_open_in_libreoffice_is_never_written(workbook, libreoffice_has_it_open,
                                                        capsys):
    before = workbook.read_bytes()
    assert main(["sauver", str(workbook)]) == 2
    err = capsys.readouterr().err
    today = datetime.now().strftime("%d.%m.%Y")
    assert err.startswith(f"ERREUR : Relances.xlsm est ouvert dans LibreOffice par Hélène "
                          f"Lefèvre (poste {socket.gethostname()}, depuis le {today} "), err
    assert "fermez-le ou travaillez depuis LibreOffice" in err
    assert "supprimez .~lock.Relances.xlsm#" in err
    assert workbook.read_bytes() == before


def test_libreoffice_lock_fields_keep_escaped_separators():
    assert guard.libreoffice_lock_fields(r"Dupont\, Marie,marie,poste\;1,01.12.2026 10:00,"
                                         "file:///home/marie/.config/libreoffice/4;") == [
        "Dupont, Marie", "marie", "poste;1", "01.12.2026 10:00",
        "file:///home/marie/.config/libreoffice/4"]
    assert guard.libreoffice_lock_fields(",root,vm,01.12.2026 22:31,file:///tmp/lo;")[:3] == [
        "", "root", "vm"]


def test_the_lock_notes_its_holder_over_whatever_an_earlier_one_left(workbook):
    guard.lock_path(workbook).write_bytes(b"\n" + b'{"host": "ancien", "pid": 1}' + b" " * 500)
    with guard.exclusive(workbook):
        holder = guard.read_holder(workbook)
        assert (holder.host, holder.pid) == (socket.gethostname(), os.getpid())
        assert abs((datetime.now() - holder.since).total_seconds()) < 60
    assert guard.lock_path(workbook).read_bytes().endswith(b"}")
