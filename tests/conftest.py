"""Shared fixtures: the real workbook, built once per session and copied per test."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytest_plugins = ["smtp_server"]  # the `smtp_server` fixture: aiosmtpd on loopback


def soffice_or_skip() -> str:
    """The LibreOffice binary; CI sets RELANCES_REQUIRE_SOFFICE so its absence fails there."""
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary:
        return binary
    if os.environ.get("RELANCES_REQUIRE_SOFFICE"):
        pytest.fail("LibreOffice (soffice) is required here but not installed")
    pytest.skip("LibreOffice (soffice) not installed")


@pytest.fixture
def libreoffice(monkeypatch: pytest.MonkeyPatch) -> str:
    """LibreOffice, forced as the PDF converter (Word would be taken first where it exists)."""
    from relances_xl.letters import pdf

    binary = soffice_or_skip()
    monkeypatch.setenv(pdf.ENV_CONVERTER, "libreoffice")
    return binary


@pytest.fixture(scope="session")
def empty_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real workbook with an empty ledger and the sample's two companies."""
    from relances_xl import sample
    from relances_xl.excel.build import build_workbook

    return build_workbook(tmp_path_factory.mktemp("empty") / "Relances.xlsm", rows={},
                          companies=sample.companies())


@pytest.fixture
def empty(empty_built: Path, tmp_path: Path) -> Path:
    """A copy of `empty_built` for one test."""
    copy = tmp_path / "Relances.xlsm"
    shutil.copyfile(empty_built, copy)
    return copy


@pytest.fixture(scope="session")
def built_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from relances_xl.excel.build import build_workbook

    return build_workbook(tmp_path_factory.mktemp("built") / "Relances.xlsm")


@pytest.fixture
def workbook(built_workbook: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built workbook with the sample ledger, for one test to change,
    and the sample's signature image beside it, as its Paramètres name it."""
    from relances_xl.sample import SIGNATURE_FILE

    copy = tmp_path / "Relances.xlsm"
    shutil.copyfile(built_workbook, copy)
    shutil.copyfile(built_workbook.parent / SIGNATURE_FILE, tmp_path / SIGNATURE_FILE)
    return copy


@pytest.fixture
def applied(workbook: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The sample workbook applied at 27/07/2022, ready to print letters (LibreOffice)."""
    from relances_xl.cli import main

    soffice_or_skip()
    assert main(["appliquer", str(workbook), "--date", "2022-07-27"]) == 0
    capsys.readouterr()
    return workbook


@pytest.fixture(scope="module")
def notice():
    """The sample ledger at its letter day (15/09/2022): formal notices among the rows."""
    from relances_xl.letters.make_templates import sample_inputs
    from relances_xl.model import Filters
    from relances_xl.rules.engine import compute_reminders

    ledger, settings, on = sample_inputs()
    rows, _ = compute_reminders(ledger, settings, Filters(date=on))
    return ledger, settings, rows, on


@pytest.fixture(scope="module")
def repeat(notice):
    """The notices of 15/09/2022 issued; the last level repeated on 01/10/2022."""
    from datetime import date

    from relances_xl.model import Filters, HistoryEntry, Ledger
    from relances_xl.rules.engine import compute_reminders

    ledger, settings, rows, on = notice
    issued = tuple(HistoryEntry(on, r.societe, r.tiers, ln.invoice.piece, ln.niveau, "pdf")
                   for r in rows if r.a_relancer for ln in r.lines)
    ledger = Ledger(ledger.customers, ledger.invoices, ledger.payments, ledger.history + issued)
    later = date(2022, 10, 1)
    rows, _ = compute_reminders(ledger, settings, Filters(date=later))
    return ledger, settings, rows, later
