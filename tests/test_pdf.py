"""PDF conversion through the real LibreOffice: batches, order, merge, and every failure."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from relances_xl.letters import libreoffice as lo
from relances_xl.letters import pdf
from relances_xl.letters.pdf import (
    ConversionError,
    ConverterMissing,
    convert_to_pdf,
    find_converter,
    merge_pdfs,
)

CUSTOMERS = ["Dupré", "Lefèvre", "Müller", "Çelik", "Nguyễn", "Ødegård"]


def sentence(index: int) -> str:
    return f"Relance n°{index} pour {CUSTOMERS[index % len(CUSTOMERS)]} : 1 234,{index:02d} € dus"


def make_docx(path: Path, text: str) -> Path:
    document = Document()
    document.add_heading("Relance de paiement", level=1)
    document.add_paragraph(text)
    document.save(path)
    return path


def pdf_text(path: Path) -> str:
    """poppler's text (CI installs it), else pypdf's."""
    if shutil.which("pdftotext") is None:
        return "\n".join(page.extract_text() for page in PdfReader(path).pages)
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                            text=True, check=True)
    return result.stdout


def soffice_processes_mentioning(marker: str) -> list[int]:
    """Processes whose command line names `marker`, read from /proc (no psutil)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in cmdline and "soffice" in cmdline:
            found.append(int(entry.name))
    return found


def test_batch_keeps_each_text_and_the_order(libreoffice: str, tmp_path: Path) -> None:
    documents = [make_docx(tmp_path / f"lettre-{i}.docx", sentence(i)) for i in range(6)]
    calls: list[tuple[int, int]] = []

    pdfs = convert_to_pdf(documents, tmp_path / "pdf", processes=2,
                          progress=lambda done, total: calls.append((done, total)))

    assert [p.name for p in pdfs] == [f"lettre-{i}.pdf" for i in range(6)]
    for i, path in enumerate(pdfs):
        text = pdf_text(path)
        assert sentence(i) in text
        assert all(sentence(j) not in text for j in range(6) if j != i)
    assert calls[-1] == (6, 6)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_merge_keeps_pages_and_order(libreoffice: str, tmp_path: Path) -> None:
    documents = [make_docx(tmp_path / f"doc{i}.docx", sentence(i)) for i in range(3)]
    pdfs = convert_to_pdf(documents, tmp_path / "pdf")

    merged = merge_pdfs(list(reversed(pdfs)), tmp_path / "run" / "toutes.pdf")

    assert len(PdfReader(merged).pages) == 3
    text = pdf_text(merged)
    positions = [text.index(sentence(i)) for i in (2, 1, 0)]
    assert positions == sorted(positions)


def test_stale_pdf_is_replaced(libreoffice: str, tmp_path: Path) -> None:
    out = tmp_path / "pdf"
    out.mkdir()
    (out / "lettre.pdf").write_bytes(b"%PDF-1.4 old")
    [result] = convert_to_pdf([make_docx(tmp_path / "lettre.docx", sentence(1))], out)
    assert sentence(1) in pdf_text(result)


def test_missing_converter_says_what_to_install(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv(pdf.ENV_CONVERTER, raising=False)
    monkeypatch.setattr(pdf, "_install_folders", list)  # as if /opt held no LibreOffice either
    with pytest.raises(ConverterMissing, match="LibreOffice") as caught:
        find_converter()
    assert "libreoffice-writer-nogui" in str(caught.value)
    assert "https://www.libreoffice.org" in str(caught.value)
    document = make_docx(tmp_path / "a.docx", "texte")
    with pytest.raises(ConverterMissing):
        convert_to_pdf([document], tmp_path / "pdf")


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="Word may be there")
def test_forced_word_without_word_names_the_documents(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    monkeypatch.setenv(pdf.ENV_CONVERTER, "word")
    document = make_docx(tmp_path / "lettre.docx", "texte")
    with pytest.raises(ConversionError, match=r"Microsoft Word.*lettre\.docx") as caught:
        convert_to_pdf([document], tmp_path / "pdf")
    assert caught.value.documents == [document.resolve()]


def test_unknown_forced_converter_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pdf.ENV_CONVERTER, "wordperfect")
    with pytest.raises(ConversionError, match="wordperfect"):
        find_converter()


def test_corrupt_document_is_named(libreoffice: str, tmp_path: Path) -> None:
    good = make_docx(tmp_path / "bonne.docx", sentence(0))
    corrupt = tmp_path / "abîmée.docx"
    corrupt.write_bytes(os.urandom(4000))

    with pytest.raises(ConversionError, match=r"abîmée\.docx") as caught:
        convert_to_pdf([good, corrupt], tmp_path / "pdf")

    assert caught.value.documents == [corrupt.resolve()]
    assert "bonne.docx" not in str(caught.value)
    assert sentence(0) in pdf_text(tmp_path / "pdf" / "bonne.pdf")


def test_duplicate_names_fail_before_converting(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = make_docx(tmp_path / "a" / "Lettre.docx", "un")
    second = make_docx(tmp_path / "b" / "lettre.docx", "deux")
    out = tmp_path / "pdf"

    with pytest.raises(ConversionError, match="même PDF"):
        convert_to_pdf([first, second], out)
    assert not out.exists()


def test_missing_document_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConversionError, match=r"introuvable.*absente\.docx"):
        convert_to_pdf([tmp_path / "absente.docx"], tmp_path / "pdf")


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads running processes from /proc")
@pytest.mark.parametrize("timeout", [0.01, 1.0], ids=["at-start", "while-converting"])
def test_timeout_kills_libreoffice(libreoffice: str, tmp_path: Path, timeout: float,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # each document converted by itself: 60 of them keep LibreOffice busy well past a
    # second (bundled, 30 took about one here once its start was made cheaper)
    monkeypatch.setattr(lo, "BUNDLE_LETTERS", 1)
    documents = [make_docx(tmp_path / f"l{i}.docx", sentence(i)) for i in range(60)]

    started = time.monotonic()
    with pytest.raises(ConversionError, match="délai"):
        convert_to_pdf(documents, tmp_path / "pdf", processes=2, timeout=timeout)
    assert time.monotonic() - started < timeout + 3

    deadline = time.monotonic() + 5  # a killed process may take a moment to be reaped
    while soffice_processes_mentioning(str(tmp_path)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert soffice_processes_mentioning(str(tmp_path)) == []


def test_conversion_works_again_after_a_timeout(libreoffice: str, tmp_path: Path) -> None:
    document = make_docx(tmp_path / "apres.docx", sentence(4))
    with pytest.raises(ConversionError):
        convert_to_pdf([document], tmp_path / "pdf", timeout=0.01)
    [result] = convert_to_pdf([document], tmp_path / "pdf")
    assert sentence(4) in pdf_text(result)


def test_many_documents_take_several_starts(
    libreoffice: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lo, "MAX_ARGUMENTS", 12)  # 2 or 3 documents per start
    monkeypatch.setattr(lo, "BUNDLE_LETTERS", 1)  # each document given alone
    documents = [make_docx(tmp_path / f"c{i}.docx", sentence(i)) for i in range(7)]
    calls: list[tuple[int, int]] = []

    pdfs = convert_to_pdf(documents, tmp_path / "pdf", processes=2,
                          progress=lambda done, total: calls.append((done, total)))

    assert [sentence(i) in pdf_text(p) for i, p in enumerate(pdfs)] == [True] * 7
    assert len(calls) >= 3 and calls[-1] == (7, 7)


def test_batches_are_even_in_order_and_within_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    documents = [Path(f"/tmp/d/{i:04d}.docx") for i in range(1000)]

    batches = list(lo._batches("soffice", documents, Path("/tmp/out"), 2))

    assert [d for _, b in batches for d in b] == documents
    assert len(batches) % 2 == 0
    assert max(len(b) for _, b in batches) - min(len(b) for _, b in batches) <= 1
    assert all(len(cmd) + 1 <= lo.MAX_ARGUMENTS for cmd, _ in batches)
    assert "--infilter=MS Word 2007 XML" in batches[0][0]

    monkeypatch.setattr(lo, "MAX_COMMAND_CHARS", 2000)
    batches = list(lo._batches("soffice", documents[:200], Path("/tmp/out"), 2))
    assert len(batches) > 2
    assert all(sum(len(a) + 3 for a in cmd) + 300 <= 2000 for cmd, _ in batches)
    assert [d for _, b in batches for d in b] == documents[:200]


def test_a_mix_of_formats_lets_libreoffice_detect_each(tmp_path: Path) -> None:
    documents = [Path("/tmp/a.docx"), Path("/tmp/b.odt")]
    [(command, batch)] = lo._batches("soffice", documents, tmp_path, 1)
    assert batch == documents
    assert not any(arg.startswith("--infilter") for arg in command)


def test_empty_list_converts_nothing(tmp_path: Path) -> None:
    assert convert_to_pdf([], tmp_path / "pdf") == []


def test_merge_names_an_unreadable_pdf(tmp_path: Path) -> None:
    bad = tmp_path / "faux.pdf"
    bad.write_bytes(b"not a pdf")
    with pytest.raises(ConversionError, match=r"faux\.pdf"):
        merge_pdfs([bad], tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()


def test_libreoffice_keeps_its_freed_heap_unless_the_environment_says_otherwise(
    libreoffice: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """glibc's allocator told to keep what LibreOffice frees at its start (issue 30:
    300,000 page faults fewer a start); a value the user set is left as it is."""
    environments: list[dict[str, str]] = []
    popen = subprocess.Popen

    def starting(command, *args, **kwargs):
        if command[0] == libreoffice:
            environments.append(kwargs["env"])
        return popen(command, *args, **kwargs)

    monkeypatch.setattr(lo.subprocess, "Popen", starting)
    first = convert_to_pdf([make_docx(tmp_path / "a.docx", sentence(1))], tmp_path / "a")
    monkeypatch.setenv("MALLOC_TOP_PAD_", "0")
    second = convert_to_pdf([make_docx(tmp_path / "b.docx", sentence(2))], tmp_path / "b")

    assert [env["MALLOC_TOP_PAD_"] for env in environments] == [str(256 * 1024 * 1024), "0"]
    assert environments[0]["PATH"] == os.environ["PATH"]  # the rest as it was
    assert sentence(1) in pdf_text(first[0]) and sentence(2) in pdf_text(second[0])


@pytest.mark.parametrize(("first", "second", "merged"), [
    ("de-DE", "fr-FR", "de-DE"),  # a German letter, then its French statement
    (None, "fr-FR", None),  # the first says none: none is made up
])
def test_a_merged_pdf_is_in_its_first_ones_language(
        tmp_path: Path, first: str | None, second: str | None, merged: str | None) -> None:
    import pikepdf

    parts = []
    for number, language in enumerate((first, second)):
        part = pikepdf.new()
        part.add_blank_page()
        if language:
            part.Root.Lang = pikepdf.String(language)
        part.save(tmp_path / f"{number}.pdf")
        parts.append(tmp_path / f"{number}.pdf")

    out = merge_pdfs(parts, tmp_path / "enveloppe.pdf")

    root = PdfReader(out).trailer["/Root"]
    assert (str(root["/Lang"]) if "/Lang" in root else None) == merged
    assert len(PdfReader(out).pages) == 2
