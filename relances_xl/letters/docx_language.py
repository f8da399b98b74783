"""The language a Word document's text is in: its styles' defaults, and a run's own.

Word spell-checks text in the language it is marked with, and a PDF made from it tells
a screen reader that language. A template says its language in its defaults
(docx_blocks.new_document); when letters of several languages go into one document
(compose.py, the "Word" output), the document has the first letter's defaults, so the
runs of a letter in another language say theirs. `child_in_order` puts an element
where the schema wants it, for these and for compose.py's section properties.
"""

from __future__ import annotations

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# Children of w:rPr that come after w:lang in the schema's order.
_AFTER_LANG = frozenset(f"{{{W}}}{name}" for name in ("eastAsianLayout", "specVanish",
                                                     "oMath"))
_DEFAULT_LANGUAGE = etree.XPath("/w:styles/w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val",
                                namespaces={"w": W})


def default_language(styles: bytes | None) -> str | None:
    """The language a document's text is in unless a run says otherwise ("fr-FR"):
    its styles' defaults."""
    if styles is None:
        return None
    found = _DEFAULT_LANGUAGE(etree.fromstring(styles))
    return str(found[0]) if found else None


def keep_language(root: etree._Element, document: str | None, letter: str | None) -> None:
    """A letter going into a document whose text defaults to another language keeps
    its own: each of its runs says it, as Word writes a run typed in another language
    (a run that names its language already keeps it)."""
    if letter is None or letter == document:
        return
    for run in root.iter(_w("r")):
        properties = run.find(_w("rPr"))
        if properties is None:
            properties = etree.Element(_w("rPr"))
            run.insert(0, properties)
        language = child_in_order(properties, _w("lang"), _AFTER_LANG)
        if language.get(_w("val")) is None:
            language.set(_w("val"), letter)


def child_in_order(parent: etree._Element, tag: str, after: frozenset[str]
                   ) -> etree._Element:
    """`parent`'s child `tag`, made if it has none where the schema puts it: before the
    first of its children whose tag is in `after` (Word refuses elements out of order)."""
    found = parent.find(tag)
    if found is None:
        found = etree.Element(tag)
        following = next((c for c in parent if c.tag in after), None)
        if following is not None:
            following.addprevious(found)
        else:
            parent.append(found)
    return found
