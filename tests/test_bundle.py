"""Letters laid end to end for LibreOffice and cut back: each PDF as if converted alone.

The reference is the same letters converted one by one (bundles of one letter) in
the same test: the bundled run must give each letter the same pages and the same
text, whatever the template, the language or the number of pages.
"""

from __future__ import annotations

import subprocess
import threading
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from PIL import Image
from pypdf import PdfReader, PdfWriter

from relances_xl.errors import ConversionError
from relances_xl.letters import bundle
from relances_xl.letters import libreoffice as lo
from relances_xl.letters.context import letter_context
from relances_xl.letters.make_templates import sample_inputs
from relances_xl.letters.page_numbers import number_pages
from relances_xl.letters.pdf import convert_to_pdf
from relances_xl.letters.render import render_letter, template_path
from relances_xl.model import Filters
from relances_xl.rules.engine import compute_reminders


def page_texts(path: Path) -> list[str]:
    """Each page's text, by poppler (CI installs it)."""
    reader = PdfReader(path)
    texts = []
    for number in range(1, len(reader.pages) + 1):
        done = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), "-layout",
                               str(path), "-"], capture_output=True, text=True, check=True)
        texts.append(" ".join(done.stdout.split()))
    return texts


def sample_letters(folder: Path, copies: int) -> list[Path]:
    """The sample's letters of 15/09/2022 (three templates, three languages), each
    rendered `copies` times under a distinct customer name, the last copy with its
    invoice lines twenty times over (a letter of two pages or more)."""
    ledger, settings, on = sample_inputs()
    rows, _ = compute_reminders(ledger, settings, Filters(date=on))
    customers = {c.tiers: c for c in ledger.customers}
    companies = {c.societe: c for c in settings.companies}
    letters = [(template_path(settings.level(r.niveau).forme, customers[r.tiers].langue),
                letter_context(r, customers[r.tiers], companies[r.societe], settings, on))
               for r in rows if r.a_relancer and r.niveau]
    documents = []
    for copy in range(copies):
        for number, (template, context) in enumerate(letters):
            name = f"{context['client_nom']} n°{copy}-{number}"
            lines = context["lignes"] * (20 if copy == copies - 1 else 1)
            documents.append(render_letter(template, {**context, "client_nom": name,
                                                      "lignes": lines},
                                           folder / f"lettre-{copy}-{number}.docx"))
    return documents


def logo(folder: Path) -> Path:
    path = folder / "logo.png"
    if not path.exists():
        Image.new("RGB", (120, 40), (200, 30, 30)).save(path)
    return path


def images(path: Path) -> int:
    listed = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True,
                            text=True, check=True).stdout
    return len(listed.splitlines()) - 2  # two header lines


def numbered_letter(path: Path, customer: str, paragraphs: int, *, total_pages: bool = False
                    ) -> Path:
    """A letter with a logo and a first-page header, another header after it, "Page N"
    in the footer (or "Page N / M" with `total_pages`), and `paragraphs` numbered lines."""
    doc = Document()
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "EN-TÊTE PREMIÈRE PAGE"
    section.first_page_header.paragraphs[0].add_run().add_picture(str(logo(path.parent)))
    section.header.paragraphs[0].text = "EN-TÊTE SUITE"
    for footer in (section.first_page_footer, section.footer):
        fields = '<w:fldSimple w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'
        if total_pages:
            fields += ('<w:r><w:t xml:space="preserve"> / </w:t></w:r>'
                       '<w:fldSimple w:instr="NUMPAGES"><w:r><w:t>1</w:t></w:r></w:fldSimple>')
        footer.paragraphs[0]._p.append(parse_xml(
            f'<w:r {nsdecls("w")}><w:t xml:space="preserve">Page </w:t></w:r>'))
        for element in parse_xml(f'<w:p {nsdecls("w")}>{fields}</w:p>'):
            footer.paragraphs[0]._p.append(element)
    doc.add_paragraph(f"Relance pour {customer}")
    for line in range(paragraphs):
        doc.add_paragraph(f"{customer} ligne {line}")
    doc.save(path)
    return path


def each_is_its_own_letter(pdfs: list[Path]) -> None:
    """Each PDF is one page: the letter of its own customer (Client<n>), no other's."""
    for number, path in enumerate(pdfs):
        [text] = page_texts(path)
        assert f"Relance pour Client{number}" in text
        assert all(f"Client{other} " not in text for other in range(len(pdfs))
                   if other != number)


def convert_one_by_one(documents: list[Path], out: Path, monkeypatch: pytest.MonkeyPatch
                       ) -> list[Path]:
    with monkeypatch.context() as patch:
        patch.setattr(lo, "BUNDLE_LETTERS", 1)
        return convert_to_pdf(documents, out)


def test_bundled_letters_print_as_they_do_alone(libreoffice: str, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    documents = sample_letters(tmp_path / "docx", copies=3)
    planned = bundle.plan_bundles(documents, tmp_path / "plan", size=100, parts=2)
    assert len(planned) < len(documents) / 3, "the sample letters should bundle"

    bundled = convert_to_pdf(documents, tmp_path / "bundled")
    alone = convert_one_by_one(documents, tmp_path / "alone", monkeypatch)

    assert [p.name for p in bundled] == [f"{d.stem}.pdf" for d in documents]
    assert any(len(PdfReader(p).pages) > 1 for p in alone), "want a letter of 2+ pages"
    for together, single, document in zip(bundled, alone, documents, strict=True):
        assert page_texts(together) == page_texts(single), document.name


def test_each_letter_keeps_its_pages_headers_and_page_numbers(
    libreoffice: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = [numbered_letter(tmp_path / f"l{i}.docx", f"Client{i}", n)
                 for i, n in enumerate([5, 50, 120, 5])]

    told: dict[Path, int | None] = {}
    pdfs = convert_to_pdf(documents, tmp_path / "pdf", processes=1,
                          made=lambda pdf, pages: told.setdefault(pdf, pages))
    alone = convert_one_by_one(documents, tmp_path / "alone", monkeypatch)

    assert [len(PdfReader(p).pages) for p in alone][1:3] != [1, 1], "want long letters"
    # each letter's page count comes with it from the cut (no need to open it again)
    assert told == {pdf: len(PdfReader(pdf).pages) for pdf in pdfs}
    for number, (path, single) in enumerate(zip(pdfs, alone, strict=True)):
        pages = page_texts(path)
        assert pages == page_texts(single)
        assert images(path) == images(single) == 1
        assert f"Relance pour Client{number}" in pages[0]
        assert "EN-TÊTE PREMIÈRE PAGE" in pages[0] and "EN-TÊTE SUITE" not in pages[0]
        for page, text in enumerate(pages, start=1):
            assert text.endswith(f"Page {page}")
            assert all(f"Client{other} " not in text for other in range(4) if other != number)
            if page > 1:
                assert "EN-TÊTE SUITE" in text


def test_letters_that_would_run_on_are_converted_alone(tmp_path: Path) -> None:
    plain = [numbered_letter(tmp_path / f"p{i}.docx", f"P{i}", 3) for i in range(2)]
    counted = [numbered_letter(tmp_path / f"t{i}.docx", f"T{i}", 3, total_pages=True)
               for i in range(2)]
    listed = []
    for i in range(2):
        doc = Document()
        doc.add_paragraph("premier point", style="List Number")
        listed.append(tmp_path / f"n{i}.docx")
        doc.save(listed[-1])
    broken = tmp_path / "abîmée.docx"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    bad_xml = [tmp_path / f"x{i}.docx" for i in range(2)]
    for path in bad_xml:  # a package like the plain letters, its body cut short
        with zipfile.ZipFile(plain[0]) as source, zipfile.ZipFile(path, "w") as target:
            for item in source.infolist():
                data = source.read(item)
                target.writestr(item, data[:-40] if item.filename == bundle.BODY else data)

    planned = bundle.plan_bundles([*plain, *counted, *listed, broken, *bad_xml],
                                  tmp_path / "lots", size=100)

    alone = [b.source for b in planned if not b.bundled]
    assert alone == [*counted, *listed, broken, *bad_xml]
    [together] = [b for b in planned if b.bundled]
    assert together.letters == tuple(plain)


def two_templates(folder: Path, count: int) -> list[Path]:
    """`count` one-line letters, every third of another template (its own styles)."""
    documents = []
    for i in range(count):
        doc = Document()
        if i % 3 == 0:
            doc.styles["Normal"].font.size = 200_000
        doc.add_paragraph(f"lettre {i}")
        documents.append(folder / f"d{i}.docx")
        doc.save(documents[-1])
    return documents


def test_bundles_hold_one_template_each_and_keep_the_order(tmp_path: Path) -> None:
    documents = two_templates(tmp_path, 9)

    planned = bundle.plan_bundles(documents, tmp_path / "lots", size=4, parts=2)

    assert sorted(d for b in planned for d in b.letters) == sorted(documents)
    for part in planned:
        assert len({i % 3 == 0 for i in (documents.index(d) for d in part.letters)}) == 1
        assert len(part.letters) <= 4
    firsts = [documents.index(b.letters[0]) for b in planned]
    assert firsts == sorted(firsts)
    first = next(b for b in planned if b.bundled)
    with zipfile.ZipFile(first.source) as package:
        body = package.read("word/document.xml").decode()
    assert body.count('w:name="RelancesXL') == len(first.letters)


def test_the_last_bundle_is_a_small_one_taken_from_the_largest(tmp_path: Path) -> None:
    """Each bundle is cut while LibreOffice converts the next: the last one, whose cut
    is left once LibreOffice exits, holds `last` letters (issue 30)."""
    documents = two_templates(tmp_path, 9)

    planned = bundle.plan_bundles(documents, tmp_path / "two", size=6, last=2)
    four = bundle.plan_bundles(documents, tmp_path / "four", size=6, last=4)
    unchanged = bundle.plan_bundles(documents, tmp_path / "five", size=6, last=5)

    assert sorted(d for b in planned for d in b.letters) == sorted(documents)
    assert [len(b.letters) for b in planned] == [3, 4, 2]  # 6 of one template: 4 + 2
    assert planned[-1].letters == (documents[7], documents[8])
    assert all(b.bundled for b in planned)
    assert [len(b.letters) for b in four] == [3, 2, 4]
    # 5 of the 6 would leave one letter alone, converted by itself: left as it was
    assert [len(b.letters) for b in unchanged] == [3, 6]


def test_a_letter_of_one_page_is_not_read_again_to_number_it(tmp_path: Path) -> None:
    """The cut tells each letter's page count: a one-page letter is left as it is
    without opening it; a letter of two is numbered."""
    assert number_pages(tmp_path / "absent.pdf", "MME DUPONT", pages=1) == 1
    two = tmp_path / "two.pdf"
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_blank_page(595, 842)
    with two.open("wb") as out:
        writer.write(out)
    assert number_pages(two, "MME DUPONT", pages=2) == 2
    assert "page 2/2" in PdfReader(two).pages[1].extract_text()


def test_a_bundle_that_does_not_cut_is_converted_letter_by_letter(
    libreoffice: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lo, "PDF_EXPORT", "pdf:writer_pdf_Export")  # no named destinations
    documents = [numbered_letter(tmp_path / f"l{i}.docx", f"Client{i}", 3) for i in range(4)]
    calls: list[tuple[int, int]] = []

    pdfs = convert_to_pdf(documents, tmp_path / "pdf", processes=2,
                          progress=lambda done, total: calls.append((done, total)))

    each_is_its_own_letter(pdfs)
    assert calls[-1] == (4, 4)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_letters_with_their_own_footers_and_qr_codes_bundle_and_cut_cleanly(
    libreoffice: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two companies (two footers), a QR code of its own per letter: one bundle, cut at
    each letter without falling back to one conversion per letter."""
    ledger, settings, on = sample_inputs()
    rows, _ = compute_reminders(ledger, settings, Filters(date=on))
    customers = {c.tiers: c for c in ledger.customers}
    vigne = settings.companies[0]
    other = replace(vigne, raison_sociale="Autre Société SA", rcs="RCS Lille 111 222 333")
    row = next(r for r in rows if r.tiers == "1FRNEG" and r.societe == "VIGNE")
    documents = []
    for number in range(6):
        lines = tuple(ln._replace(reste_du=ln.reste_du + number) for ln in row.lines)
        letter = row._replace(lines=lines, encours_relance=row.encours_relance + 2 * number)
        company = other if number % 3 == 1 else vigne
        context = letter_context(letter, customers["1FRNEG"], company, settings, on)
        documents.append(render_letter(template_path("LET03", "FR"), context,
                                       tmp_path / f"l{number}.docx"))
    [planned] = bundle.plan_bundles(documents, tmp_path / "plan", size=100)
    assert planned.bundled and set(planned.letters) == set(documents)
    folder = tmp_path / "out"
    subprocess.run([libreoffice, "--headless", "-env:UserInstallation="
                    f"{(tmp_path / 'profile').as_uri()}", "--convert-to", lo.PDF_EXPORT,
                    "--outdir", str(folder), str(planned.source)], check=True,
                   capture_output=True, timeout=300)
    cut = bundle.split_bundle(folder / f"{planned.source.stem}.pdf", planned, folder)
    alone = convert_one_by_one(documents, tmp_path / "alone", monkeypatch)
    for document, single in zip(documents, alone, strict=True):
        together = folder / f"{document.stem}.pdf"
        assert together in cut and page_texts(together) == page_texts(single)
        assert images(together) == images(single) == 1  # its own QR code
    assert "Autre Société SA" in page_texts(folder / "l1.pdf")[0]
    assert "Autre Société SA" not in page_texts(folder / "l2.pdf")[0]


def test_each_bundle_is_cut_while_libreoffice_converts_the_next(
    libreoffice: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LibreOffice announces each document before storing it: the bundle announced
    before is whole, and is cut meanwhile (issue 30), not after the last one. Three
    bundles in one start; the PDFs are the ones of the letters converted alone."""
    documents = [numbered_letter(tmp_path / f"l{i}.docx", f"Client{i}", 2) for i in range(6)]
    monkeypatch.setattr(lo, "BUNDLE_LETTERS", 2)
    events: list[str] = []
    cut, run_batch = lo.split_bundle, lo.run_batch

    def cutting(converted: Path, one: bundle.Bundle, out_dir: Path,
                finish: bundle.Finish | None = None) -> dict[Path, int]:
        events.append(f"cut {converted.stem}")
        return cut(converted, one, out_dir, finish)

    def batch(*args, **kwargs) -> list[Path]:
        done = run_batch(*args, **kwargs)
        events.append("libreoffice exited")
        return done

    monkeypatch.setattr(lo, "split_bundle", cutting)
    monkeypatch.setattr(lo, "run_batch", batch)
    pdfs = convert_to_pdf(documents, tmp_path / "pdf", processes=1)

    assert [e for e in events if e.startswith("cut")] and len(events) == 4, events
    assert events.index("libreoffice exited") >= 2, events  # two bundles cut before it
    each_is_its_own_letter(pdfs)


def test_the_first_process_starts_while_the_second_shares_bundles_are_written(
    libreoffice: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One run of consecutive letters a process, each started as soon as its bundles
    are written (issue 30): writing the second share's waits here until the first
    LibreOffice is started, which it never would if every bundle came first."""
    documents = [numbered_letter(tmp_path / f"l{i}.docx", f"Client{i}", 2) for i in range(6)]
    started = threading.Event()
    shares: list[tuple[list[str], bool]] = []
    plan, run_batch = lo.plan_bundles, lo.run_batch

    def planning(share, *args, **kwargs):
        if shares:  # the second share
            started.wait(timeout=20)
        shares.append(([d.stem for d in share], started.is_set()))
        return plan(share, *args, **kwargs)

    def batch(*args, **kwargs):
        started.set()
        return run_batch(*args, **kwargs)

    monkeypatch.setattr(lo, "plan_bundles", planning)
    monkeypatch.setattr(lo, "run_batch", batch)
    pdfs = convert_to_pdf(documents, tmp_path / "pdf", processes=2)

    assert shares == [(["l0", "l1", "l2"], False), (["l3", "l4", "l5"], True)]
    each_is_its_own_letter(pdfs)


def test_the_second_shares_bundles_are_written_by_another_process(
    libreoffice: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From PARALLEL_FROM letters the second share's bundles are written in another
    process while this one writes the first's (issue 30): this process plans only the
    first share, and every letter still comes out as itself."""
    documents = [numbered_letter(tmp_path / f"l{i}.docx", f"Client{i}", 2) for i in range(6)]
    monkeypatch.setattr(lo, "PARALLEL_FROM", 3)
    here: list[list[str]] = []
    plan = lo.plan_bundles

    def planning(share, *args, **kwargs):
        here.append([d.stem for d in share])
        return plan(share, *args, **kwargs)

    monkeypatch.setattr(lo, "plan_bundles", planning)
    pdfs = convert_to_pdf(documents, tmp_path / "pdf", processes=2)

    assert here == [["l0", "l1", "l2"]]
    each_is_its_own_letter(pdfs)


def test_a_run_stopped_after_a_bundle_was_cut_leaves_none_of_its_pdfs(
    libreoffice: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first share converted and cut, the second's LibreOffice failing to start: the
    run fails as a whole and leaves no PDF, as when nothing was cut before the end."""
    documents = [numbered_letter(tmp_path / f"l{i}.docx", f"Client{i}", 2) for i in range(6)]
    cut_once = threading.Event()
    cut, run_batch = lo.split_bundle, lo.run_batch

    def cutting(*args, **kwargs) -> dict[Path, int]:
        made = cut(*args, **kwargs)
        cut_once.set()
        return made

    def batch(command, letters, *args, **kwargs) -> list[Path]:
        if any(letter.stem == "l5" for letter in letters):  # the second share
            assert cut_once.wait(timeout=60)
            raise ConversionError("LibreOffice n'a pas pu démarrer : (essai)", letters)
        return run_batch(command, letters, *args, **kwargs)

    monkeypatch.setattr(lo, "split_bundle", cutting)
    monkeypatch.setattr(lo, "run_batch", batch)
    out = tmp_path / "pdf"
    with pytest.raises(ConversionError, match="essai"):
        convert_to_pdf(documents, out, processes=2)
    assert cut_once.is_set()
    assert not list(out.glob("*.pdf"))
