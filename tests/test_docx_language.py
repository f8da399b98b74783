"""A letter's language in the run's one Word document (compose.py with `merge`, the
"Word" output): the document takes the first letter's defaults, the runs of a letter
in another language say theirs (letters/docx_language.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree
from test_direct import sample_jobs

from relances_xl.letters.compose import compose
from relances_xl.letters.docx_language import default_language, keep_language
from relances_xl.letters.render import render_letter

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def body(xml: str) -> etree._Element:
    return etree.fromstring(f'<w:body xmlns:w="{W}">{xml}</w:body>')


def languages(root: etree._Element) -> list[str | None]:
    """Each run's own language, None where it says none."""
    found = []
    for run in root.iter(f"{{{W}}}r"):
        language = run.find("w:rPr/w:lang", NS)
        found.append(None if language is None else language.get(f"{{{W}}}val"))
    return found


def test_the_runs_of_a_letter_in_another_language_say_theirs() -> None:
    root = body('<w:p><w:r><w:t>Sehr</w:t></w:r>'
                '<w:r><w:rPr><w:b/><w:sz w:val="20"/></w:rPr><w:t>geehrte</w:t></w:r>'
                '<w:r><w:rPr><w:lang w:val="fr-FR"/></w:rPr><w:t>SARL</w:t></w:r>'
                '<w:r><w:rPr><w:lang w:eastAsia="ja-JP"/></w:rPr><w:t>Damen</w:t></w:r>'
                '<w:r><w:rPr><w:i/><w:eastAsianLayout/></w:rPr><w:t>und</w:t></w:r></w:p>')

    keep_language(root, "fr-FR", "de-DE")

    # a run naming its language keeps it; the others say the letter's
    assert languages(root) == ["de-DE", "de-DE", "fr-FR", "de-DE", "de-DE"]
    runs = list(root.iter(f"{{{W}}}r"))
    assert runs[0][0].tag == f"{{{W}}}rPr"  # w:rPr first in its run
    # w:lang in the schema's place: after w:sz, before w:eastAsianLayout
    assert [etree.QName(c).localname for c in runs[1][0]] == ["b", "sz", "lang"]
    assert [etree.QName(c).localname for c in runs[4][0]] == ["i", "lang", "eastAsianLayout"]
    assert runs[3].find("w:rPr/w:lang", NS).get(f"{{{W}}}eastAsia") == "ja-JP"


def test_a_letter_in_the_documents_language_or_none_is_left_as_it_is() -> None:
    for document, letter in (("fr-FR", "fr-FR"), ("fr-FR", None)):
        root = body("<w:p><w:r><w:t>Madame</w:t></w:r></w:p>")
        keep_language(root, document, letter)
        assert languages(root) == [None]
        assert root.find(".//w:rPr", NS) is None


def test_a_documents_language_is_its_styles_default() -> None:
    styles = (f'<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr>'
              '<w:lang w:val="de-DE" w:eastAsia="en-US"/></w:rPr></w:rPrDefault>'
              '</w:docDefaults><w:style w:styleId="x"><w:rPr><w:lang w:val="en-GB"/>'
              "</w:rPr></w:style></w:styles>").encode()
    assert default_language(styles) == "de-DE"
    assert default_language(f'<w:styles xmlns:w="{W}"/>'.encode()) is None
    assert default_language(None) is None


def test_the_runs_letters_in_one_word_document_each_keep_their_language(
        tmp_path: Path) -> None:
    """A French, a German and an English letter of the sample, from the shipped
    templates, in one document: French by default, each run of the others says its own."""
    jobs = {template.name[-7:-5]: (template, context, name)
            for template, context, name in sample_jobs(copies=1)}
    letters = [render_letter(template, context, tmp_path / f"{name}.docx")
               for template, context, name in (jobs["FR"], jobs["DE"], jobs["EN"])]
    alone = []
    for letter in letters:
        with zipfile.ZipFile(letter) as package:
            alone.append(len(list(etree.fromstring(package.read("word/document.xml"))
                                  .iter(f"{{{W}}}r"))))

    combined = compose(letters, tmp_path / "lettres.docx", bookmarks=False, merge=True)

    with zipfile.ZipFile(combined) as package:
        assert default_language(package.read("word/styles.xml")) == "fr-FR"
        root = etree.fromstring(package.read("word/document.xml"))
    found = languages(root)
    french, german, english = alone
    assert found[:french] == [None] * french
    assert found[french:french + german] == ["de-DE"] * german
    assert found[french + german:] == ["en-GB"] * english
