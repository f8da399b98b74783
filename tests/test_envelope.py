"""One envelope per customer: the letter then its invoice copies, through the real
command, LibreOffice and the real Factur-X invoices of ../shared/factur-x/ (in place)."""

from __future__ import annotations

import email
import email.policy
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import soffice_or_skip
from invoice_pdfs import FACTURX, REAL_NUMBER, REAL_PDF, facturx_pdf, plain_pdf
from pypdf import PdfReader
from smtp_server import Collector
from test_lettres import cli, set_parametres

from relances_xl.config import DEFAULT_LEVELS, PrintOptions, Settings, Sortie
from relances_xl.letters import mail
from relances_xl.letters.run import issue_letters
from relances_xl.model import Customer, Filters, Invoice, Ledger
from relances_xl.rules.engine import compute_reminders


def pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


@pytest.fixture
def folder(applied: Path) -> Path:
    """The sample's Dossier des factures, beside the workbook, named relatively."""
    invoices = applied.parent / "factures"
    invoices.mkdir()
    plain_pdf(invoices / "FA22-0101.pdf", "DUPLICATA FA22-0101", pages=2)
    facturx_pdf(invoices / "scan-0001.pdf", "FA22-0115", "5063.80", "DUPLICATA FA22-0115")
    (invoices / "FA22-0112.pdf").write_bytes(b"<html>pas un PDF</html>")
    plain_pdf(invoices / "FA22-0105 copie.pdf", "DUPLICATA A")
    facturx_pdf(invoices / "scan-0002.pdf", "FA22-0105", "1800.00", "DUPLICATA B")
    set_parametres(applied, dossier_factures="factures")
    return invoices


def test_each_customer_pdf_is_its_letter_then_its_copies(applied, folder, tmp_path, capsys):
    out = tmp_path / "lettres"
    code, stdout, _ = cli(capsys, "lettres", str(applied), "--sortie", "pdf",
                          "--dossier", str(out))
    assert code == 0 and "8 lettre(s) éditée(s)" in stdout
    first = pages(out / "2022-07-27_VIGNE_1FRNEG_N2.pdf")
    assert "FA22-0101" in first[0] and "DUPLICATA" not in first[0]  # the letter first
    # then the plain copy's two pages, then the Factur-X copy found by its BT-1
    assert ["DUPLICATA FA22-0101" in text for text in first[-3:]] == [True, False, False]
    assert "page 2" in first[-2] and "DUPLICATA FA22-0115" in first[-1]
    # level 2 joins the statement between the letter and the copies; its total is the
    # row's Solde comptable (11 063,80 € less the 10 847,80 € lettered to nothing)
    (at,) = [n for n, text in enumerate(first) if "Relevé de compte au 27 juillet 2022" in text]
    assert 1 <= at < len(first) - 3 and "216,00" in first[at].replace("\u202f", " ")
    # level 1 joins the copies only: no statement for 3UENEG
    assert not any("Relevé de compte" in text
                   for text in pages(out / "2022-07-27_VIGNE_3UENEG_N1.pdf"))
    # 4HUE's invoice is claimed by two files: neither is joined, both are named
    assert not any("DUPLICATA" in text for text in pages(out / "2022-07-27_VIGNE_4HUE_N1.pdf"))
    assert "« FA22-0105 copie.pdf », « scan-0002.pdf » s'en disent tous la copie" in stdout
    assert "« FA22-0112.pdf » illisible" in stdout  # not a PDF: named, skipped
    assert "3UENEG / VIGNE : pas de copie pour FA22-0112" in stdout
    assert "2FRPAR / VIGNE : pas de copie pour FA22-0109" in stdout
    # the combined PDF keeps each customer's pages together
    combined = pages(out / "2022-07-27_lettres_de_relance.pdf")
    singles = sorted(p for p in out.iterdir() if "_N" in p.name)
    assert len(combined) == sum(len(PdfReader(p).pages) for p in singles)
    at = combined.index(first[0])
    assert combined[at:at + len(first)] == first


def test_without_dossier_des_factures_letters_go_alone_and_say_nothing(applied, tmp_path,
                                                                       capsys):
    out = tmp_path / "lettres"
    code, stdout, _ = cli(capsys, "lettres", str(applied), "--sortie", "pdf",
                          "--dossier", str(out))
    assert code == 0 and "copie" not in stdout
    assert not any("DUPLICATA" in t for t in pages(out / "2022-07-27_VIGNE_1FRNEG_N2.pdf"))


def real_invoice_ledger() -> tuple[Ledger, Settings]:
    customer = Customer("CLI", "Le Client", "1 rue de Paris", "", "75001", "Paris")
    invoice = Invoice("S1", REAL_NUMBER, "CLI", date(2026, 1, 31), date(2026, 3, 2),
                      Decimal("104.90"))
    settings = Settings(levels=DEFAULT_LEVELS, other=(("dossier_factures", str(FACTURX)),))
    return Ledger((customer,), (invoice,)), settings


def letters_for(ledger: Ledger, settings: Settings, folder: Path):
    on = date(2026, 4, 1)
    rows, _ = compute_reminders(ledger, settings, Filters(on))
    return issue_letters(rows, ledger, settings, on, PrintOptions(Sortie.PDF, folder))


def test_the_real_factur_x_invoice_is_joined_in_place(tmp_path):
    soffice_or_skip()
    ledger, settings = real_invoice_ledger()
    report = letters_for(ledger, settings, tmp_path / "with")
    (result,) = report.results
    assert result.issued and report.notes == []
    texts = pages(result.file)
    assert texts[-1] == pages(REAL_PDF)[0]  # the e-invoice's own page, last
    assert REAL_NUMBER in texts[0]  # the letter names it
    # a level that joins nothing: the same letter, without the copy's page
    alone = replace(settings, levels=tuple(replace(level, pieces_jointes=frozenset())
                                           for level in DEFAULT_LEVELS))
    plain = pages(letters_for(ledger, alone, tmp_path / "without").results[0].file)
    assert len(texts) == len(plain) + len(PdfReader(REAL_PDF).pages)
    assert "LE FOURNISSEUR" not in "".join(plain)


def test_email_carries_the_letter_then_each_copy_as_its_own_attachment(
        applied, folder, smtp_server, capsys):
    handler = Collector()
    server = smtp_server(handler)
    set_parametres(applied, smtp_hote="127.0.0.1", smtp_port=server.port, smtp_tls="aucun")
    code, _, _ = cli(capsys, "lettres", str(applied), "--sortie", "email")
    assert code == 0
    received = {tuple(env[1]): email.message_from_bytes(env[2], policy=email.policy.default)
                for env in handler.envelopes}
    message = received[("amelie.toulouse@example.fr",)]
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == [
        "2022-07-27_VIGNE_1FRNEG_N2.pdf", "FA22-0101.pdf", "scan-0001.pdf"]
    assert attachments[1].get_content() == (folder / "FA22-0101.pdf").read_bytes()
    letter = attachments[0].get_content()
    assert letter.startswith(b"%PDF") and b"DUPLICATA" not in letter


def test_copies_above_the_size_limit_are_left_out_and_said(tmp_path, monkeypatch):
    letter = plain_pdf(tmp_path / "lettre.pdf", "lettre")
    small = plain_pdf(tmp_path / "FA-1.pdf", "copie")
    big = tmp_path / "FA-2.pdf"
    big.write_bytes(small.read_bytes() + b"%" + b"x" * 60_000 + b"\n")
    base = len(mail.build_message("a@b.fr", "c@d.fr", "Objet", "Texte", letter).as_bytes())
    monkeypatch.setattr(mail, "MAX_MESSAGE_BYTES", base + 20_000)
    message = mail.build_message("a@b.fr", "c@d.fr", "Objet", "Texte", letter, [big, small])
    assert [a.get_filename() for a in message.iter_attachments()] == ["lettre.pdf", "FA-1.pdf"]
    assert "Copies non jointes (message trop lourd) : FA-2.pdf" in message.get_body(
        ("plain",)).get_content()
    assert len(message.as_bytes()) <= base + 20_000



def test_word_output_puts_the_statement_docx_and_the_copies_beside_the_letters(
        applied, folder, tmp_path, capsys):
    out = tmp_path / "word"
    code, stdout, _ = cli(capsys, "lettres", str(applied), "--sortie", "word",
                          "--dossier", str(out))
    assert code == 0
    names = {p.name for p in out.iterdir()}
    assert "2022-07-27_VIGNE_1FRNEG_N2.docx" in names  # the letter as before
    assert "2022-07-27_VIGNE_1FRNEG_N2_releve.docx" in names  # level 2: its statement
    assert "2022-07-27_VIGNE_3UENEG_N1_releve.docx" not in names  # level 1: copies only
    assert {"FA22-0101.pdf", "scan-0001.pdf"} <= names
    assert (out / "FA22-0101.pdf").read_bytes() == (folder / "FA22-0101.pdf").read_bytes()
    assert "2FRPAR / VIGNE : pas de copie pour FA22-0109" in stdout


def test_the_proposal_message_lists_the_invoices_without_a_copy(applied, folder, tmp_path,
                                                                capsys):
    code, stdout, _ = cli(capsys, "proposition", str(applied), "--sortie", "pdf",
                          "--dossier", str(tmp_path / "prop"))
    assert code == 0 and "Proposition de relance" in stdout
    assert "2FRPAR / VIGNE : pas de copie pour FA22-0109." in stdout
    assert "« FA22-0112.pdf » illisible" in stdout
    assert "1FRNEG / VIGNE" not in stdout  # both of its copies are there
