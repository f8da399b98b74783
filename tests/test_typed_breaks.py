"""A tab, a line, a paragraph or a page break typed in a value becomes Word's in the
letter (docxtpl's `resolve_listing`); a part whose texts hold none is left as it is
without docxtpl's passes over every paragraph (render._Template, issue 30)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx import Document
from docxtpl import DocxTemplate

from relances_xl.letters.render import _Template, render_letter

PICTURE = ('<w:p><w:r><w:drawing><wp:inline xmlns:wp="urn:wp">\n  <wp:extent cx="1" cy="1"/>'
           '\n</wp:inline></w:drawing></w:r></w:p>')


def text(value: str) -> str:
    return (f'<w:p><w:pPr><w:jc w:val="left"/></w:pPr><w:r><w:rPr><w:b/></w:rPr>'
            f'<w:t xml:space="preserve">{value}</w:t></w:r><w:tab/></w:p>')


@pytest.mark.parametrize("xml", [
    PICTURE + text("rien à changer"),
    PICTURE + text("ligne 1\nligne 2"),
    text("col 1\tcol 2") + PICTURE,
    text("paragraphe\afin") + text("page\fsuite"),
    "<w:tbl><w:tr><w:tc>" + text("cellule\n2") + "</w:tc></w:tr></w:tbl>",
])
def test_a_part_reads_as_docxtpl_makes_it(xml: str) -> None:
    template = _Template.__new__(_Template)
    assert template.resolve_listing(xml) == DocxTemplate.resolve_listing(template, xml)


def test_a_part_whose_texts_hold_no_break_is_not_gone_over(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def gone_over(self: DocxTemplate, xml: str) -> str:
        raise AssertionError("docxtpl's passes ran")

    monkeypatch.setattr(DocxTemplate, "resolve_listing", gone_over)
    template = _Template.__new__(_Template)
    plain = PICTURE + text("rien à changer") + text("ni ici")
    assert template.resolve_listing(plain) == plain
    with pytest.raises(AssertionError, match="passes ran"):
        template.resolve_listing(text("ligne 1\nligne 2"))


def test_a_line_break_typed_in_a_value_is_a_line_break_of_the_letter(tmp_path: Path) -> None:
    source = tmp_path / "modele.docx"
    document = Document()
    document.add_paragraph("{{ adresse }}")
    document.save(source)

    out = render_letter(source, {"adresse": "1 rue du Port\n13002 MARSEILLE\tFrance"},
                        tmp_path / "lettre.docx")

    with zipfile.ZipFile(out) as package:
        body = package.read("word/document.xml").decode()
    assert "1 rue du Port</w:t><w:br/>" in body and "<w:tab/>" in body
    assert "\n13002" not in body


@pytest.mark.parametrize("mark", [
    b'<w:footnoteReference w:id="1"/>', b'<w:endnoteReference w:id="2"/>',
    b'<w:commentRangeStart w:id="0"/>', b'<w:commentReference w:id="0"/>',
    b"<w:instrText> NUMPAGES </w:instrText>", b'<w:fldSimple w:instr=" SECTIONPAGES "/>',
    b'<w:type w:val="oddPage"/>', b'<w:type w:val="evenPage"/>',
])
def test_what_runs_on_into_the_next_letter_is_found_in_a_part(mark: bytes) -> None:
    """Each of the marks that keep a letter out of a bundle (bundle._RUNS_ON) is found
    (the literals looked for first must not miss one); a plain letter has none."""
    from relances_xl.letters.bundle import runs_on

    plain = text("Madame, Monsieur,").encode() + b'<w:type w:val="nextPage"/>'
    assert runs_on(plain + mark + plain)
    assert not runs_on(plain + b"<w:footnotePr/><w:instrText> PAGE </w:instrText>")


@pytest.mark.parametrize(("field", "counted"), [
    (b"<w:instrText> PAGE </w:instrText>", True),
    (b'<w:fldSimple w:instr="SECTIONPAGES"/>', True),
    (b'<w:instrText xml:space="preserve">PAGE \\* MERGEFORMAT</w:instrText>', True),
    (b"<w:instrText> DATE </w:instrText>", False),
    (b"<w:t>PAGE 2</w:t>", False),
])
def test_a_page_field_is_found_in_a_part(field: bytes, counted: bool) -> None:
    from relances_xl.letters.compose import counts_pages

    assert counts_pages(text("Relance").encode() + field) is counted
