"""Letters rendered straight into their parts for LibreOffice's bundles (direct.py).

The reference is the same letter rendered and saved the usual way (render_letter),
in the same test: the letter kept in memory must hold the same text, the same
pictures and print the same pages, and a letter a bundle cannot carry must be saved
as before.
"""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from lxml import etree
from pypdf import PdfReader
from test_bundle import images, logo, page_texts

from relances_xl import sample
from relances_xl.letters import direct, pdf
from relances_xl.letters import libreoffice as lo
from relances_xl.letters.context import letter_context
from relances_xl.letters.epc import Picture
from relances_xl.letters.make_templates import sample_inputs
from relances_xl.letters.render import render_letter, template_path
from relances_xl.letters.run import letters_to_pdf, printable_signature
from relances_xl.model import Filters
from relances_xl.rules.engine import compute_reminders

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def sample_jobs(copies: int) -> list[tuple[Path, dict, str]]:
    """The sample's letters of 15/09/2022 (three templates, three languages) with the
    company's signature and their QR codes, each `copies` times under a distinct
    customer name; the last copy with its invoice lines twenty times over (two pages)."""
    ledger, settings, on = sample_inputs()
    rows, _ = compute_reminders(ledger, settings, Filters(date=on))
    customers = {c.tiers: c for c in ledger.customers}
    companies = {c.societe: c for c in settings.companies}
    signature = printable_signature(sample.SIGNATURE_IMAGE.read_bytes())
    letters = [(template_path(settings.level(r.niveau).forme, customers[r.tiers].langue),
                letter_context(r, customers[r.tiers], companies[r.societe], settings, on,
                               signature=signature))
               for r in rows if r.a_relancer and r.niveau]
    jobs = []
    for copy in range(copies):
        for number, (template, context) in enumerate(letters):
            lines = context["lignes"] * (20 if copy == copies - 1 else 1)
            jobs.append((template, {**context, "client_nom": f"{context['client_nom']} "
                                    f"n°{copy}-{number}", "lignes": lines},
                         f"lettre-{copy}-{number}"))
    return jobs


def texts(xml: bytes) -> list[str]:
    """The text of each paragraph, in order."""
    root = etree.fromstring(xml)
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]


def pictures(parts: dict[str, bytes]) -> list[bytes]:
    """The bytes of each picture the body shows, in order, through its relationship."""
    rels = {rel.get("Id"): rel.get("Target")
            for rel in etree.fromstring(parts["word/_rels/document.xml.rels"])}
    body = etree.fromstring(parts["word/document.xml"])
    return [parts[f"word/{rels[blip.get(f'{R}embed')]}"]
            for blip in body.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip")]


def saved_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


def test_a_letter_in_memory_holds_the_text_and_pictures_of_the_letter_saved(
        tmp_path: Path) -> None:
    jobs = sample_jobs(copies=1)
    assert len({template for template, _, _ in jobs}) >= 3, "want several templates"
    for template, context, name in jobs:
        package = direct.render_package(template, context, name, tmp_path)
        saved = saved_parts(render_letter(template, context, tmp_path / f"{name}.docx"))

        assert isinstance(package, direct.Package), name
        parts = dict(package.parts)
        assert texts(parts["word/document.xml"]) == texts(saved["word/document.xml"])
        footers = sorted(n for n in saved if n.startswith("word/footer"))
        assert footers and footers == sorted(n for n in parts if n.startswith("word/footer"))
        for footer in footers:
            assert texts(parts[footer]) == texts(saved[footer])
        shown = pictures(parts)
        assert shown == pictures(saved)
        assert len(shown) == (2 if context.get("virement_qr") else 1), name  # + signature


def test_letters_in_memory_print_as_the_letters_saved_one_by_one(
        libreoffice: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    jobs = sample_jobs(copies=3)
    packages = [direct.render_package(t, c, n, tmp_path / "docx") for t, c, n in jobs]
    saved = [render_letter(t, c, tmp_path / "saved" / f"{n}.docx") for t, c, n in jobs]
    assert all(isinstance(p, direct.Package) for p in packages)
    assert not list((tmp_path / "docx").glob("*.docx")), "nothing saved one by one"

    bundled = pdf.convert_to_pdf(packages, tmp_path / "bundled")
    with monkeypatch.context() as patch:
        patch.setattr(lo, "BUNDLE_LETTERS", 1)
        alone = pdf.convert_to_pdf(saved, tmp_path / "alone")

    assert [p.name for p in bundled] == [f"{n}.pdf" for _, _, n in jobs]
    assert any(len(PdfReader(p).pages) > 1 for p in alone), "want a letter of 2+ pages"
    for together, single, (_, _, name) in zip(bundled, alone, jobs, strict=True):
        assert page_texts(together) == page_texts(single), name
        assert images(together) == images(single) >= 1, name
    with_qr = [i for i, (_, c, _) in enumerate(jobs) if c.get("virement_qr")][:2]
    assert with_qr, "want letters with a QR code"
    for index in with_qr:
        payload = qr_payloads(bundled[index], tmp_path / f"png{index}")
        assert payload == qr_payloads(alone[index], tmp_path / f"single{index}")
        assert payload and payload[0].startswith("BCD\n002\n1\nSCT\n")


def qr_payloads(path: Path, folder: Path) -> list[str]:
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(path), str(folder / "p")],
                   check=True)
    pages = sorted(str(p) for p in folder.glob("*.png"))
    found = subprocess.run(["zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable",
                            *pages], capture_output=True, text=True).stdout
    return [code for code in found.split("\n\n") if code.strip()]


def jinja_letter(path: Path, *, total_pages: bool = False, footer_field: str = "") -> Path:
    """A template naming {{ nom }}, with "Page N / M" in its footer (`total_pages`) or
    `footer_field` printed there."""
    doc = Document()
    doc.add_paragraph("Bonjour {{ nom }}")
    footer = doc.sections[0].footer.paragraphs[0]
    if total_pages:
        for element in parse_xml(f'<w:p {nsdecls("w")}><w:fldSimple w:instr="NUMPAGES">'
                                 '<w:r><w:t>1</w:t></w:r></w:fldSimple></w:p>'):
            footer._p.append(element)
    footer.add_run(footer_field)
    doc.save(path)
    return path


def test_a_letter_a_bundle_cannot_carry_is_saved_as_before(tmp_path: Path) -> None:
    counted = jinja_letter(tmp_path / "counted.docx", total_pages=True)
    plain = jinja_letter(tmp_path / "plain.docx")
    pictured = jinja_letter(tmp_path / "pictured.docx", footer_field="{{ signature }}")
    signature = Picture(sample.SIGNATURE_IMAGE.read_bytes(), 20.0)
    out = tmp_path / "out"

    kept = direct.render_package(plain, {"nom": "Dupont & Fils"}, "plain", out)
    total = direct.render_package(counted, {"nom": "Dupont"}, "counted", out)
    in_footer = direct.render_package(pictured, {"nom": "Dupont", "signature": signature},
                                      "pictured", out)

    assert isinstance(kept, direct.Package)
    assert "Bonjour Dupont &amp; Fils" in kept.parts["word/document.xml"].decode()
    assert total == out / "counted.docx" and total.is_file()
    assert in_footer == out / "pictured.docx" and in_footer.is_file()
    assert images_in(in_footer) == 1


def images_in(document: Path) -> int:
    with zipfile.ZipFile(document) as package:
        return sum(name.startswith("word/media/") for name in package.namelist())


def test_a_letter_in_memory_written_to_a_file_is_the_letter(tmp_path: Path) -> None:
    """What LibreOffice gets for a letter in memory converted alone (a bundle of one)."""
    template, context, name = sample_jobs(copies=1)[0]
    package = direct.render_package(template, context, name, tmp_path)
    written = package.write(tmp_path / "written" / package.name)
    saved = saved_parts(render_letter(template, context, tmp_path / "saved.docx"))

    again = saved_parts(written)
    assert texts(again["word/document.xml"]) == texts(saved["word/document.xml"])
    assert pictures(again) == pictures(saved)
    assert next(iter(again)) == "[Content_Types].xml"


def test_without_libreoffice_each_letter_is_saved_for_the_converter(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pdf.ENV_CONVERTER, "simple")
    jobs = sample_jobs(copies=1)[:2]

    made = letters_to_pdf(jobs, tmp_path)

    assert [p.name for p in made] == [f"{n}.pdf" for _, _, n in jobs]
    assert sorted(p.name for p in tmp_path.glob("*.docx")) == sorted(
        f"{n}.docx" for _, _, n in jobs)


def test_a_template_picture_in_its_header_prints_in_every_letter_in_memory(
        libreoffice: str, tmp_path: Path) -> None:
    """A logo the template itself shows in its first-page header (not a field): part of
    the template's parts the letters share, carried into the bundle for each letter."""
    doc = Document()
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    header = section.first_page_header.paragraphs[0]
    header.text = "EN-TÊTE {{ societe }}"
    header.add_run().add_picture(str(logo(tmp_path)))
    doc.add_paragraph("Bonjour {{ nom }}")
    template = tmp_path / "logo.docx"
    doc.save(template)
    packages = [direct.render_package(template, {"nom": f"Client{i}", "societe": "Vigne"},
                                      f"l{i}", tmp_path / "docx") for i in range(3)]
    assert all(isinstance(p, direct.Package) for p in packages)

    made = pdf.convert_to_pdf(packages, tmp_path / "pdf")

    for number, path in enumerate(made):
        [text] = page_texts(path)
        assert "EN-TÊTE Vigne" in text and f"Bonjour Client{number}" in text
        assert images(path) == 1


def test_a_letter_cut_from_a_bundle_is_numbered_as_it_is_cut(
        libreoffice: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A letter of two pages cut from its bundle gets "page i/2" before it is written
    (split_bundle's `finish`), not by reading it again; a letter of one page is left
    unstamped (issue 30)."""
    from relances_xl.letters import run

    def read_again(pdf_path: Path, *args: object, **kwargs: object) -> int:
        raise AssertionError(f"{pdf_path.name} read again to be numbered")

    monkeypatch.setattr(run, "number_pages", read_again)
    # the French letters: one language, one bundle a LibreOffice (a letter alone in its
    # language would be converted alone, and numbered once written)
    jobs = [job for job in sample_jobs(copies=2) if job[0].name.endswith("_FR.docx")]
    pdfs = letters_to_pdf(jobs, tmp_path / "run")

    long_ones = [p for p in pdfs if len(PdfReader(p).pages) > 1]
    assert long_ones, "want a letter of two pages"
    for path in pdfs:
        texts = page_texts(path)
        count = len(texts)
        for number, text in enumerate(texts, start=1):
            stamped = f"{number}/{count}" in text.replace("\u202f", " ")
            assert stamped is (count > 1), (path.name, number, text[-200:])


def test_each_letter_tells_its_language_in_its_pdf(libreoffice: str, tmp_path: Path) -> None:
    """A French, an English and a German letter, bundled and cut: each PDF's /Lang is
    its own language (a screen reader reads it in that voice), not python-docx's en-US."""
    import pikepdf

    jobs = sample_jobs(copies=2)
    pdfs = letters_to_pdf(jobs, tmp_path / "run")

    expected = {"FR": "fr-FR", "EN": "en-GB", "DE": "de-DE"}
    found = {}
    for (template, _, name), path in zip(jobs, pdfs, strict=True):
        assert path.stem == name
        with pikepdf.open(path) as letter:
            found[path.stem] = (str(letter.Root.Lang), expected[template.name[-7:-5]])
    assert {language for language, _ in found.values()} == set(expected.values())
    assert all(language == wanted for language, wanted in found.values()), found
