"""Finding invoice copies in the "Dossier des factures": by name, by the Factur-X
number embedded (real e-invoices of ../shared/factur-x/, read in place), and every way a
folder can go wrong, each named and none stopping the run."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from invoice_pdfs import FACTURX, REAL_NUMBER, REAL_PDF, facturx_pdf, plain_pdf
from pypdf import PdfReader, PdfWriter

from relances_xl.letters.copies import find_copies, name_keys, read_embedded
from relances_xl.model import Invoice


def invoice(piece: str, montant: str = "120.00") -> Invoice:
    return Invoice("S1", piece, "C1", date(2026, 1, 5), date(2026, 2, 4), Decimal(montant))


def test_a_file_named_as_the_invoice_is_its_copy(tmp_path: Path) -> None:
    plain_pdf(tmp_path / "FA22-0101.pdf", "copie FA22-0101")
    found = find_copies(tmp_path, [invoice("FA22-0101")])
    assert found.copies == {"fa22-0101": tmp_path / "FA22-0101.pdf"}
    assert found.notes == []


@pytest.mark.parametrize("name", ["Facture FA22-0101 Dupont.pdf", "2026_fa22-0101.PDF",
                                  "FA22-0101(copie).pdf"])
def test_the_number_between_separators_in_a_longer_name_matches(tmp_path: Path,
                                                                name: str) -> None:
    plain_pdf(tmp_path / name, "copie")
    assert find_copies(tmp_path, [invoice("FA22-0101")]).for_invoices(["FA22-0101"]) == (
        [tmp_path / name], [])


@pytest.mark.parametrize("name", ["FA22-0101.pdf", "FA22-0101A.pdf", "XFA22-010.pdf",
                                  "FA22-010.txt"])
def test_a_longer_or_glued_number_is_not_the_copy(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"") if name.endswith(".txt") else plain_pdf(tmp_path / name)
    found = find_copies(tmp_path, [invoice("FA22-010")])
    assert found.for_invoices(["FA22-010"]) == ([], ["FA22-010"])


def test_name_keys_are_runs_of_whole_words() -> None:
    assert name_keys("Facture FA22-0101") == {"facture", "fa22", "0101", "facture fa22",
                                              "fa22-0101", "facture fa22-0101"}


def test_the_real_factur_x_invoice_is_found_by_its_embedded_number_in_place() -> None:
    found = find_copies(FACTURX, [invoice(REAL_NUMBER, "104.90")])
    assert found.for_invoices([REAL_NUMBER]) == ([REAL_PDF], [])
    assert found.pages[REAL_PDF] == 1
    assert found.notes == []


def test_a_factur_x_whose_total_differs_is_joined_and_said(tmp_path: Path) -> None:
    facturx_pdf(tmp_path / "scan-0042.pdf", "FA-7", "99.99")
    found = find_copies(tmp_path, [invoice("FA-7", "100.00")])
    assert found.for_invoices(["FA-7"]) == ([tmp_path / "scan-0042.pdf"], [])
    (note,) = found.notes
    assert "FA-7" in note and "scan-0042.pdf" in note
    assert "99,99" in note and "100,00" in note


def test_a_factur_x_with_the_same_total_says_nothing(tmp_path: Path) -> None:
    facturx_pdf(tmp_path / "x.pdf", "FA-7", "100.00")
    assert find_copies(tmp_path, [invoice("FA-7", "100.00")]).notes == []


def test_embedded_number_of_a_plain_pdf_is_none(tmp_path: Path) -> None:
    assert read_embedded(plain_pdf(tmp_path / "a.pdf").read_bytes()) is None
    assert read_embedded(REAL_PDF.read_bytes()).total == Decimal("104.90")


def test_two_files_claiming_one_invoice_are_named_and_neither_joined(tmp_path: Path) -> None:
    plain_pdf(tmp_path / "FA-1.pdf")
    facturx_pdf(tmp_path / "scan.pdf", "FA-1", "120.00")
    plain_pdf(tmp_path / "FA-2.pdf")
    found = find_copies(tmp_path, [invoice("FA-1"), invoice("FA-2")])
    assert found.for_invoices(["FA-1", "FA-2"]) == ([tmp_path / "FA-2.pdf"], ["FA-1"])
    (note,) = found.notes
    assert "FA-1.pdf" in note and "scan.pdf" in note and "aucun n'est joint" in note


def test_a_factur_x_named_as_its_own_number_is_one_copy(tmp_path: Path) -> None:
    facturx_pdf(tmp_path / "FA-1.pdf", "FA-1", "120.00")
    found = find_copies(tmp_path, [invoice("FA-1")])
    assert found.for_invoices(["FA-1"]) == ([tmp_path / "FA-1.pdf"], []) and not found.notes


def test_unreadable_pdfs_are_named_and_skipped(tmp_path: Path) -> None:
    (tmp_path / "FA-1.pdf").write_bytes(b"not a pdf at all")
    good = plain_pdf(tmp_path / "good.pdf").read_bytes()
    (tmp_path / "FA-2.pdf").write_bytes(good[: len(good) // 3])  # cut short
    writer = PdfWriter(clone_from=plain_pdf(tmp_path / "tmp.pdf"))
    writer.encrypt("secret")
    with (tmp_path / "FA-3.pdf").open("wb") as stream:
        writer.write(stream)
    (tmp_path / "tmp.pdf").unlink()
    plain_pdf(tmp_path / "FA-4.pdf")
    found = find_copies(tmp_path, [invoice(f"FA-{n}") for n in range(1, 5)])
    assert found.for_invoices([f"FA-{n}" for n in range(1, 5)]) == (
        [tmp_path / "FA-4.pdf"], ["FA-1", "FA-2", "FA-3"])
    assert len(found.notes) == 3
    for name, note in zip(["FA-1.pdf", "FA-2.pdf", "FA-3.pdf"], found.notes, strict=True):
        assert f"« {name} » illisible" in note
    assert "mot de passe" in found.notes[2]
    assert PdfReader(tmp_path / "FA-4.pdf").pages  # untouched


def test_a_missing_folder_is_said_and_finds_nothing(tmp_path: Path) -> None:
    found = find_copies(tmp_path / "absent", [invoice("FA-1")])
    assert found.copies == {} and "introuvable" in found.notes[0]


def test_no_folder_set_finds_nothing_and_says_nothing(tmp_path: Path) -> None:
    found = find_copies(None, [invoice("FA-1")])
    assert (found.copies, found.notes) == ({}, [])


def test_a_copy_gone_between_the_search_and_the_merge_is_named_and_the_letter_goes(
        tmp_path: Path) -> None:
    from relances_xl.letters import envelope

    letter = plain_pdf(tmp_path / "lettre.pdf", "la lettre")
    folder = tmp_path / "factures"
    folder.mkdir()
    plain_pdf(folder / "FA-1.pdf", "copie 1")
    plain_pdf(folder / "FA-2.pdf", "copie 2")
    found = find_copies(folder, [invoice("FA-1"), invoice("FA-2")])
    joined, _ = found.for_invoices(["FA-1", "FA-2"])
    plan = envelope.Plan([envelope.Envelope(None, tuple(joined))])
    (folder / "FA-1.pdf").unlink()  # moved by someone while the letters were converted
    (made,) = envelope.assemble_all(plan, [letter], tmp_path / "work")
    texts = [page.extract_text().strip() for page in PdfReader(made).pages]
    assert texts == ["la lettre", "copie 2"]
    assert plan.notes == ["Dossier des factures : « FA-1.pdf » n'a pas pu être joint "
                          "(PDF illisible) ; lettre envoyée sans."]
