"""A real CUPS queue for the printing tests: RelancesPDF, a cups-pdf printer.

`.ci/cups-setup.sh` is the one place that installs and configures it; this helper
runs that script when the queue is not ready (as root: lpadmin and cupsd need it),
skips when CUPS is not installed, and fails instead when RELANCES_REQUIRE_CUPS is
set (CI), like `conftest.soffice_or_skip`. It also finds what cups-pdf wrote for a
job, and makes the small PDFs printed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

QUEUE = os.environ.get("RELANCES_CUPS_QUEUE", "RelancesPDF")
OUT = Path(os.environ.get("RELANCES_CUPS_OUT", "/var/spool/cups-pdf/relances"))
SETUP = Path(__file__).resolve().parent.parent / ".ci" / "cups-setup.sh"
CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
QUEUE_CONF = Path("/etc/cups/cups-pdf-relances.conf")


def _absent(why: str) -> None:
    if os.environ.get("RELANCES_REQUIRE_CUPS"):
        pytest.fail(f"CUPS is required here (RELANCES_REQUIRE_CUPS) but {why}")
    pytest.skip(why)


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def _queue_ready() -> bool:
    return (scheduler_running() and _run("lpstat", "-p", QUEUE).returncode == 0
            and QUEUE_CONF.exists())


def scheduler_running() -> bool:
    return "is running" in _run("lpstat", "-r").stdout


def check_scheduler_survived(test: str) -> None:
    """Fail, naming the test, when cupsd died while it ran: a print server that crashes
    must not pass for a printing test that merely timed out."""
    if scheduler_running():
        return
    kernel = subprocess.run(["dmesg"], capture_output=True, text=True, check=False).stdout
    crashes = [line for line in kernel.splitlines() if "cupsd" in line][-3:]
    pytest.fail(f"the CUPS scheduler is no longer running after {test}"
                + ("; kernel log:\n" + "\n".join(crashes) if crashes else ""))


def cups_queue_or_skip() -> tuple[str, Path]:
    """(queue name, folder where cups-pdf writes its files), ready to print."""
    cupsd = shutil.which("cupsd") or ("/usr/sbin/cupsd" if Path("/usr/sbin/cupsd").exists()
                                      else None)
    if not (shutil.which("lp") and shutil.which("lpstat") and cupsd):
        _absent("CUPS (cups, cups-client) is not installed; see .ci/cups-setup.sh")
    if not CUPS_PDF_BACKEND.exists():
        _absent("the cups-pdf backend (printer-driver-cups-pdf) is not installed")
    if not _queue_ready():
        if os.geteuid() != 0:
            _absent(f"queue {QUEUE} missing and only root can create it: run {SETUP}")
        done = subprocess.run(["bash", str(SETUP)], capture_output=True, text=True,
                              timeout=600, check=False)
        if done.returncode != 0 or not _queue_ready():
            pytest.fail(f"{SETUP} failed:\n{done.stdout}\n{done.stderr}")
    return QUEUE, OUT


def printed_file(job_id: str, since: float, timeout: float = 60.0) -> Path:
    """The PDF cups-pdf wrote for `job_id` ("RelancesPDF-12"), once the job is done."""
    number = job_id.rsplit("-", 1)[1]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pending = _run("lpstat", "-o", QUEUE).stdout.split()
        found = [p for p in OUT.glob(f"*-job_{number}.pdf") if p.stat().st_mtime >= since - 1]
        if found and job_id not in pending:
            return found[0]
        time.sleep(0.2)
    state = _run("lpstat", "-l", "-p", QUEUE).stdout + _run("lpstat", "-W", "all", "-o").stdout
    raise AssertionError(f"no output from cups-pdf for {job_id} in {OUT}:\n{state}")


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF showing `text` (ASCII) in Helvetica, written by hand: no dependency."""
    content = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)
