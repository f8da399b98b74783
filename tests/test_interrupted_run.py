"""An e-mail run killed half-way: the rerun sends no message twice.

The command line runs in its own process against a real SMTP server (aiosmtpd on
loopback); the server kills it when the (N+1)-th message arrives, before accepting
it, as a power cut would. The journal beside the workbook then holds the N messages
sent; the rerun replays it and sends only the others.
"""

from __future__ import annotations

import email
import email.policy
import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from smtp_server import Collector
from test_lettres import (
    LEVELS,
    TICKED,
    cli,
    editee,
    new_history,
    set_parametres,
)

from relances_xl.excel import journal

ROOT = Path(__file__).resolve().parents[1]


class Killer(Collector):
    """Accepts `keep` messages, then kills the sending process at the next DATA."""

    def __init__(self, keep: int) -> None:
        super().__init__()
        self.keep = keep
        self.pid: int | None = None

    async def handle_DATA(self, server, session, envelope):
        if self.pid is not None and len(self.envelopes) >= self.keep:
            os.kill(self.pid, signal.SIGKILL)
            self.pid = None
            return "451 4.3.0 Message non accepté"
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.parametrize("keep", [1, 4])
def test_killed_email_run_then_rerun_sends_each_letter_once(applied, smtp_server, capsys,
                                                            keep):
    handler = Killer(keep)
    server = smtp_server(handler)
    set_parametres(applied, smtp_hote="127.0.0.1", smtp_port=server.port, smtp_tls="aucun")
    process = subprocess.Popen(
        [sys.executable, "-m", "relances_xl.cli", "lettres", str(applied), "--sortie", "email"],
        env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    handler.pid = process.pid
    _, err = process.communicate(timeout=300)
    assert process.returncode == -signal.SIGKILL, err
    assert len(handler.envelopes) == keep
    sent = journal.read(journal.journal_path(applied))
    assert len(sent) == keep  # the workbook itself was never saved by the killed run
    assert not any(editee(applied).values())

    code, _, err = cli(capsys, "lettres", str(applied), "--sortie", "email")
    assert code == 0, err
    recipients = [tuple(env[1]) for env in handler.envelopes]
    assert len(recipients) == len(TICKED) == len(set(recipients))  # each letter once
    assert all(editee(applied)[key] for key in TICKED)
    history = new_history(applied)
    assert {r[3] for r in history} == set(LEVELS)
    assert len(history) == len(LEVELS)  # no line twice
    assert {r[4] for r in history if r[3] in LEVELS} == {1, 2}
    assert all(r[5] == "email" for r in history)
    assert not journal.journal_path(applied).exists()  # all of it is in the saved workbook
    message = email.message_from_bytes(handler.envelopes[-1][2], policy=email.policy.default)
    assert message["Subject"]


def test_journal_line_cut_by_a_kill_is_skipped(tmp_path: Path):
    path = tmp_path / "Relances.xlsm.envois.jsonl"
    path.write_text('{"date": "2022-07-27", "societe": "VIGNE", "tiers": "1FRNEG", '
                    '"sortie": "email", "pieces": [["FA22-0101", 2]]}\n{"date": "2022-0',
                    encoding="utf-8")
    (letter,) = journal.read(path)
    assert letter.date == date(2022, 7, 27) and letter.pieces == (("FA22-0101", 2),)
    assert [e.piece for e in letter.history()] == ["FA22-0101"]
    assert journal.read(tmp_path / "absent.jsonl") == []
