"""Before letters go out, "Imprimer toutes les lettres vers…" asks OK / Annuler.

Through the headless engine, whose alerts are answered from `app.answers` (else by
the first button, OK, which is how the command line runs without a question). The
letters go by e-mail to a real SMTP server on loopback.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from conftest import soffice_or_skip
from smtp_server import Collector

from relances_xl import addin, impression, layout
from relances_xl.cli import opened
from relances_xl.excel import journal

ON = date(2022, 7, 27)
QUESTION = ("8 lettres vers E-mail (8 clients, 5 791,46 € + 2 000,00 $US réclamés). "
            "Continuer ?")  # NYWINE: its dollars said apart


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def ready_for_email(path: Path, port: int) -> None:
    """Applied at 27/07/2022, Paramètres pointing at the test's SMTP server."""
    settings = {"SMTP hôte": "127.0.0.1", "SMTP port": port, "SMTP TLS (starttls/ssl/aucun)":
                "aucun"}
    with opened(path) as book:
        addin.appliquer(today=ON)
        parametres = book.sheets[layout.PARAMETRES]
        labels = parametres.range("A1:A40").value
        for label, value in settings.items():
            parametres.range(f"B{labels.index(label) + 1}").value = value
        relances = book.sheets[layout.RELANCES]
        relances.range(layout.OPTIONS["defaut"][1]).value = False
        relances.range(layout.OPTIONS["sortie"][1]).value = "E-mail"


def issue(path: Path, answer: str | None) -> tuple[addin.Outcome, list]:
    with opened(path) as book:
        alerts = book.app.impl.alerts
        earlier = len(alerts)
        if answer is not None:
            book.app.impl.answers.append(answer)
        outcome = addin.imprimer_lettres(today=ON)
        return outcome, alerts[earlier:]


def editee(path: Path) -> list[bool]:
    sheet = openpyxl.load_workbook(path)[layout.RELANCES]
    return [bool(row[7]) for row in sheet.iter_rows(min_row=layout.TABLE_FIRST_ROW, max_col=8,
                                                    values_only=True) if row[0]]


def history_of_the_day(path: Path) -> list[tuple]:
    sheet = openpyxl.load_workbook(path)[layout.HISTORIQUE]
    return [row for row in sheet.iter_rows(min_row=2, max_col=6, values_only=True)
            if row[0] and row[0].date() == ON]


def test_annuler_sends_nothing_and_records_nothing(workbook, smtp_server):
    handler = Collector()
    ready_for_email(workbook, smtp_server(handler).port)
    outcome, alerts = issue(workbook, "cancel")
    (asked,) = alerts
    assert plain(asked.prompt) == QUESTION
    assert (asked.buttons, asked.answer) == ("ok_cancel", "cancel")
    assert handler.envelopes == [] and handler.data_attempts == 0
    assert outcome.report is None and outcome.files == []
    assert outcome.message == "Impression des lettres annulée : aucune lettre éditée."
    assert not any(editee(workbook)) and history_of_the_day(workbook) == []
    assert not journal.journal_path(workbook).exists()
    message = openpyxl.load_workbook(workbook)[layout.RELANCES][layout.MESSAGE_CELL].value
    assert message == outcome.message


def test_ok_sends_every_letter(workbook, smtp_server):
    handler = Collector()
    ready_for_email(workbook, smtp_server(handler).port)
    outcome, alerts = issue(workbook, "ok")
    assert [plain(a.prompt) for a in alerts] == [QUESTION]
    assert len(handler.envelopes) == 8 and len(outcome.report.issued) == 8
    assert editee(workbook).count(True) == 8
    assert len(history_of_the_day(workbook)) == 9  # one line per invoice reminded


def test_nobody_there_to_click_means_ok(workbook, smtp_server, capsys):
    """The command line and scheduled runs: the engine answers the first button, and
    its log says the question was answered, not left hanging."""
    handler = Collector()
    ready_for_email(workbook, smtp_server(handler).port)
    capsys.readouterr()
    outcome, alerts = issue(workbook, None)
    assert alerts[0].answer == "ok" and len(handler.envelopes) == 8
    assert len(outcome.report.issued) == 8
    assert plain(capsys.readouterr().err).splitlines()[0] == f"[Relances clients] {QUESTION} -> ok"


@pytest.mark.parametrize(("rows", "expected"), [
    ([("A", "S1", "120.00", "0.00")], "1 lettre vers PDF (1 client, 120,00 € réclamés)."),
    ([("A", "S1", "0.40", "0.05"), ("A", "S2", "0.50", "0")],
     "2 lettres vers PDF (1 client, 0,95 € réclamés)."),
])
def test_the_question_counts_letters_customers_and_money(rows, expected):
    from decimal import Decimal

    from relances_xl.model import ReminderRow

    chosen = [ReminderRow(t, s, Decimal(e), Decimal(e), Decimal(a), 1, True, False, "", "")
              for t, s, e, a in rows]
    assert plain(impression.confirmation_text(chosen, "pdf")) == expected + " Continuer ?"


def test_a_screen_preview_is_not_asked_about(workbook, tmp_path, monkeypatch):
    """Écran sends nothing and records nothing: no question."""
    soffice_or_skip()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "xdg-open").write_text("#!/bin/sh\nexit 0\n")
    (bin_dir / "xdg-open").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    with opened(workbook) as book:
        addin.appliquer(today=ON)
        relances = book.sheets[layout.RELANCES]
        relances.range(layout.OPTIONS["defaut"][1]).value = False
        relances.range(layout.OPTIONS["sortie"][1]).value = "Fichier texte"
        relances.range(layout.OPTIONS["dossier"][1]).value = str(tmp_path / "txt")
        book.app.impl.answers.append("cancel")
        cancelled = addin.imprimer_lettres(today=ON)
        relances.range(layout.OPTIONS["sortie"][1]).value = "Écran"
        earlier = len(book.app.impl.alerts)
        book.app.impl.answers.clear()
        preview = addin.imprimer_lettres(today=ON)
        asked = book.app.impl.alerts[earlier:]
    assert cancelled.report is None and not (tmp_path / "txt").exists()
    assert preview.report is not None and len(preview.report.results) == 8
    assert asked == []
