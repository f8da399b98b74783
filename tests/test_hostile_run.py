"""Hostile data through a whole run of the command line: names full of XML and
quotes to the PDF text, codes made to escape the output folder, e-mail fields that
try to add headers, a server dropping the connection on one message."""

from __future__ import annotations

import asyncio
import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
from smtp_server import Collector
from test_lettres import (
    cli,
    editee,
    new_history,
    pdf_text,
    set_parametres,
)

from relances_xl import layout
from relances_xl.letters import mail


def _set_cell(sheet, row: int, header: str, value: object) -> None:
    headers = [c.value for c in sheet[1]]
    sheet.cell(row, headers.index(header) + 1).value = value


def _row_of(sheet, code: str, header: str = "Code tiers") -> int:
    column = [c.value for c in sheet[1]].index(header) + 1
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, column).value == code)


def _last(sheet) -> int:
    return max(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value is not None)


def add_customer(path: Path, code: str, nom: str, email: str = "x@example.fr") -> None:
    """A customer with one invoice overdue at 27/07/2022, typed at the end of the sheets."""
    book = openpyxl.load_workbook(path, keep_vba=True)
    clients, factures = book[layout.CLIENTS], book[layout.FACTURES]
    row = _last(clients) + 1
    for header, value in (("Code tiers", code), ("Nom", nom), ("Adresse 1", "1 rue A"),
                          ("Code postal", "51100"), ("Ville", "REIMS"), ("E-mail", email),
                          ("Langue", "FR"), ("Type", "Professionnel"),
                          ("Bloqué relance", "Non")):
        _set_cell(clients, row, header, value)
    row = _last(factures) + 1
    for header, value in (("Société", "VIGNE"), ("N° pièce", f"H-{len(code)}-{row}"),
                          ("Type", "Facture"), ("Code tiers", code),
                          ("Date pièce", date(2022, 5, 1)), ("Date échéance", date(2022, 6, 1)),
                          ("Montant TTC", 1234.5), ("Comptabilisée", "Oui"), ("Litige", "Non")):
        _set_cell(factures, row, header, value)
    book.save(path)


HOSTILE_NAME = 'Dupont & Fils <SARL> "L\'Été" Ça coûte 5 € — Œuvre'


def test_names_with_xml_quotes_and_accents_reach_the_pdf_as_typed(applied, tmp_path, capsys):
    book = openpyxl.load_workbook(applied, keep_vba=True)
    clients = book[layout.CLIENTS]
    _set_cell(clients, _row_of(clients, "1FRNEG"), "Nom", HOSTILE_NAME)
    book.save(applied)
    assert cli(capsys, "appliquer", str(applied), "--date", "2022-07-27")[0] == 0
    out = tmp_path / "lettres"
    code, _, err = cli(capsys, "lettres", str(applied), "--sortie", "pdf", "--dossier", str(out))
    assert code == 0, err
    text = pdf_text(out / "2022-07-27_VIGNE_1FRNEG_N2.pdf")
    assert HOSTILE_NAME in " ".join(text.split())


HOSTILE_CODES = ["../../evil", "a/b", "a\\b", "C:evil", "CON", "LPT1", "nul.txt", "x" * 300,
                 " .hidden. ", "tab\tcode", "..", "évité/../../é"]


def test_hostile_codes_give_safe_names_inside_the_folder(applied, tmp_path, capsys):
    for code in HOSTILE_CODES:
        add_customer(applied, code, "Client piégé")
    assert cli(capsys, "appliquer", str(applied), "--date", "2022-07-27")[0] == 0
    out = tmp_path / "sortie" / "lettres"
    code_run, _, err = cli(capsys, "lettres", str(applied), "--sortie", "pdf",
                           "--dossier", str(out))
    assert code_run == 0, err
    names = os.listdir(out)
    assert len(names) == 8 + len(HOSTILE_CODES) + 1  # sample letters, these, the combined PDF
    for name in names:
        assert (out / name).resolve().parent == out.resolve()
        assert len(name.encode("utf-8")) <= 255
        assert not set(name) & set('<>:"/\\|?*\t')
        assert name.split(".")[0].split("_")[0].upper() not in {"CON", "LPT1", "NUL"}
        assert not name.startswith((".", " "))
    # nothing was written beside or above the chosen folder
    assert sorted(os.listdir(tmp_path / "sortie")) == ["lettres"]
    assert not (tmp_path / "evil").exists() and not list(tmp_path.glob("*evil*"))


HOSTILE_EMAILS = {"PIEGE1": "a@b.fr\nBcc: victime@example.com",
                  "PIEGE2": "a@b.fr\r\nSubject: autre",
                  "PIEGE3": "Nom\u2028 <a@b.fr>",
                  "PIEGE4": "a@b.fr, victime@example.com"}


def test_line_breaks_in_an_address_fail_that_row_only(applied, smtp_server, capsys):
    for code, email in HOSTILE_EMAILS.items():
        add_customer(applied, code, "Client piégé", email=email)
    assert cli(capsys, "appliquer", str(applied), "--date", "2022-07-27")[0] == 0
    handler = Collector()
    server = smtp_server(handler)
    set_parametres(applied, smtp_hote="127.0.0.1", smtp_port=server.port, smtp_tls="aucun")
    code, _, err = cli(capsys, "lettres", str(applied), "--sortie", "email")
    assert code == 1
    for piege in HOSTILE_EMAILS:
        assert f"échec : {piege} / VIGNE : E-mail :" in err
        assert editee(applied)[f"{piege}/VIGNE"] is False
    assert len(handler.envelopes) == 8  # the others went
    for envelope in handler.envelopes:
        assert b"victime" not in envelope[2] and "victime@example.com" not in envelope[1]
    assert not {r[2] for r in new_history(applied)} & set(HOSTILE_EMAILS)


class DropOn(Collector):
    """Closes the connection in the middle of DATA for one recipient, every time."""

    def __init__(self, recipient: str) -> None:
        super().__init__()
        self.recipient = recipient
        self.dropped = 0

    async def handle_DATA(self, server, session, envelope):
        if self.recipient in envelope.rcpt_tos:
            self.dropped += 1
            server.transport.close()
            return "421 bye"
        return await super().handle_DATA(server, session, envelope)


def test_server_dropping_one_message_fails_it_and_the_run_goes_on(applied, smtp_server,
                                                                   capsys):
    handler = DropOn("einkauf@negoce-ue.example.de")
    server = smtp_server(handler)
    set_parametres(applied, smtp_hote="127.0.0.1", smtp_port=server.port, smtp_tls="aucun")
    code, out, err = cli(capsys, "lettres", str(applied), "--sortie", "email")
    assert code == 1
    assert "échec : 3UENEG / VIGNE" in err and "connexion coupée" in err
    assert handler.dropped == 2  # the message was tried again once on a new connection
    assert len(handler.envelopes) == 7
    assert editee(applied)["3UENEG/VIGNE"] is False
    assert editee(applied)["1FRNEG/VIGNE"] is True
    assert "3UENEG" not in {r[2] for r in new_history(applied)}
    assert "7 lettre(s) éditée(s)" in out


class StallOn(Collector):
    """Never answers the DATA of one recipient (a server hung on that message)."""

    def __init__(self, recipient: str, seconds: float) -> None:
        super().__init__()
        self.recipient, self.seconds = recipient, seconds

    async def handle_DATA(self, server, session, envelope):
        if self.recipient in envelope.rcpt_tos:
            await asyncio.sleep(self.seconds)
            return "451 4.4.2 trop tard"
        return await super().handle_DATA(server, session, envelope)


def test_server_timing_out_on_one_message_fails_it_and_the_run_goes_on(
        applied, smtp_server, capsys, monkeypatch):
    read_settings = mail.smtp_settings
    monkeypatch.setattr(mail, "smtp_settings",
                        lambda settings: replace(read_settings(settings), timeout=1.0))
    handler = StallOn("einkauf@negoce-ue.example.de", 3.0)
    server = smtp_server(handler)
    set_parametres(applied, smtp_hote="127.0.0.1", smtp_port=server.port, smtp_tls="aucun")
    code, out, err = cli(capsys, "lettres", str(applied), "--sortie", "email")
    assert code == 1
    assert "échec : 3UENEG / VIGNE" in err and "pas de réponse après 1 s" in err
    assert len(handler.envelopes) == 7  # the next messages went on a new connection
    assert editee(applied)["3UENEG/VIGNE"] is False
    assert "3UENEG" not in {r[2] for r in new_history(applied)}
    assert "7 lettre(s) éditée(s)" in out
