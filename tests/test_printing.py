"""The Imprimante output against a real CUPS queue whose printer writes PDF files.

`tests/cups_queue.py` makes sure cupsd runs and the RelancesPDF queue (cups-pdf backend)
exists; each test prints through `print_pdf`, i.e. `lp`, then reads the file the
printer produced: its text, and its page count for the number of copies (the queue
makes copies in the spooler, so two copies are two pages of one file).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from cups_queue import (
    check_scheduler_survived,
    cups_queue_or_skip,
    printed_file,
    scheduler_running,
    tiny_pdf,
)
from pypdf import PdfReader

from relances_xl.letters.outputs import OutputError, print_pdf

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="CUPS lp is for Linux/macOS")


@pytest.fixture(scope="module")
def queue_ready() -> str:
    return cups_queue_or_skip()[0]


@pytest.fixture
def queue(queue_ready, request) -> Iterator[str]:
    """The queue; after the test, the scheduler must still run (see check_scheduler_survived)."""
    yield queue_ready
    check_scheduler_survived(request.node.name)


def letter(folder: Path, name: str = "lettre.pdf") -> tuple[Path, str]:
    token = f"Relance {uuid.uuid4().hex[:12]}"
    path = folder / name
    path.write_bytes(tiny_pdf(token))
    return path, token


def text_of(pdf: Path) -> str:
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


@posix_only
def test_two_copies_are_printed(queue, tmp_path):
    pdf, token = letter(tmp_path)
    since = time.time()
    job = print_pdf(pdf, queue, 2)
    assert job.startswith(f"{queue}-")
    printed = printed_file(job, since)
    assert len(PdfReader(printed).pages) == 2
    assert text_of(printed).count(token) == 2
    printed.unlink()


@posix_only
def test_default_printer_and_a_name_that_looks_like_an_option(queue, tmp_path, monkeypatch):
    monkeypatch.setenv("LPDEST", queue)  # lp's default destination, for this process only
    pdf, token = letter(tmp_path, "-n 9 lettre été.pdf")
    since = time.time()
    printed = printed_file(print_pdf(pdf, None, 1), since)
    assert len(PdfReader(printed).pages) == 1
    assert token in text_of(printed)
    printed.unlink()


@posix_only
def test_a_scheduler_that_died_fails_the_test_that_killed_it(queue_ready):
    if os.geteuid() != 0:
        pytest.skip("only root may stop and start cupsd")
    subprocess.run(["pkill", "-x", "cupsd"], check=False)
    for _ in range(50):
        if not scheduler_running():
            break
        time.sleep(0.1)
    with pytest.raises(pytest.fail.Exception, match="no longer running after the killer"):
        check_scheduler_survived("the killer")
    assert cups_queue_or_skip()[0] == queue_ready  # started again for the next tests
    check_scheduler_survived("the restart")


@posix_only
def test_unknown_printer_is_reported_with_lp_cause(queue, tmp_path):
    pdf, _ = letter(tmp_path)
    with pytest.raises(OutputError) as error:
        print_pdf(pdf, "ImprimanteInexistante", 1)
    message = str(error.value)
    assert message.startswith("Imprimante « ImprimanteInexistante » : « lettre.pdf » refusé par lp")
    assert "lp:" in message  # lp's own explanation follows


@posix_only
def test_without_cups_installed(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    pdf, _ = letter(tmp_path)
    with pytest.raises(OutputError, match=r"commande lp \(CUPS\) est introuvable"):
        print_pdf(pdf, None, 1)


@pytest.mark.parametrize("printer", ['Salle "B"', "Compta\n-d autre", "\x00"])
def test_printer_names_that_could_break_the_command(printer, tmp_path):
    pdf, _ = letter(tmp_path)
    with pytest.raises(OutputError, match="nom d'imprimante invalide"):
        print_pdf(pdf, printer, 1)


@pytest.mark.parametrize("copies", [0, -1, True, 1.5])
def test_copies_must_be_a_positive_count(copies, tmp_path):
    pdf, _ = letter(tmp_path)
    with pytest.raises(OutputError, match="nombre d'exemplaires invalide"):
        print_pdf(pdf, None, copies)


def test_missing_file(tmp_path):
    with pytest.raises(OutputError, match="n'existe pas"):
        print_pdf(tmp_path / "absent.pdf", None, 1)
