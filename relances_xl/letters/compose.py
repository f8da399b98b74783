"""Word documents laid end to end in one .docx, each keeping its own pages.

Each letter goes into a section of its own (its page numbers start again at 1, its
first-page header applies), with what it shows of its own: its pictures (a QR code, a
signature), its headers and footers (the legal mentions of its company). Those parts
are copied under new names, once per distinct content, and the letter's references to
them are renamed; the parts every letter shares (styles, settings, theme, numbering)
are the first letter's. With `merge`, letters made from different templates go
together: the styles the first letter lacks are added from the others, and each
letter's list numbering gets numbers of its own, so a list starts again at 1 in the
next letter. `bundle.py` uses it to give LibreOffice many letters of one template at
once, and the "Word" output to give the accountant the whole run in one document.

Nothing here knows what the letters say: it moves Word paragraphs and package parts.
"""

from __future__ import annotations

import copy
import hashlib
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path
from typing import Protocol

from lxml import etree

from .docx_language import child_in_order, default_language, keep_language

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
BODY = "word/document.xml"
BODY_RELS = "word/_rels/document.xml.rels"
CONTENT_TYPES = "[Content_Types].xml"
NUMBERING = "word/numbering.xml"
STYLES = "word/styles.xml"
NUMBERING_TYPE = f"{R}/numbering"
NUMBERING_CONTENT = ("application/vnd.openxmlformats-officedocument.wordprocessingml."
                     "numbering+xml")
BOOKMARK = "RelancesXL{:05d}"  # no "_": LibreOffice writes it as "5F" in the PDF
_FIRST_BOOKMARK_ID = 900_000  # above the ids a template's own bookmarks use
# A field that prints a page number: letters showing one each keep their own section.
_PAGE_FIELD = re.compile(rb'(?:w:instr="|<w:instrText[^>]*>)\s*(?:PAGE|SECTIONPAGES)\b')
# Children of w:pPr that come before w:pageBreakBefore in the schema's order.
_BEFORE_PAGE_BREAK = frozenset(f"{{{W}}}{name}" for name in ("pStyle", "keepNext",
                                                              "keepLines"))
# Children of w:sectPr that come after w:pgNumType in the schema's order.
_AFTER_PGNUMTYPE = frozenset(f"{{{W}}}{name}" for name in (
    "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi",
    "rtlGutter", "docGrid", "printerSettings", "sectPrChange"))


# The body's elements that refer to another part (r:id, r:embed…): pictures, headers…
_REFERRING = etree.XPath("//*[@r:*]", namespaces={"r": R})


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def is_own_part(name: str) -> bool:
    """The parts a letter may have of its own, beside its body: they are carried over
    under new names, so letters whose pictures, headers or footers differ still go
    together; every other part must be the same."""
    return (name in (BODY, BODY_RELS, CONTENT_TYPES) or name.startswith(("docProps/",
            "word/media/", "word/header", "word/footer", "word/_rels/header",
            "word/_rels/footer", "word/embeddings/")))


def counts_pages(data: bytes) -> bool:
    """Whether a part holds a PAGE or SECTIONPAGES field (`_PAGE_FIELD`; a part without
    a field instruction at all, most letters, is not searched)."""
    return b"instr" in data and _PAGE_FIELD.search(data) is not None


def compose(letters: Sequence[Path | HasParts], out: Path, *, bookmarks: bool = True,
            merge: bool = False) -> Path:
    """The letters end to end in `out`; `bookmarks` opens each letter with a bookmark
    (where bundle.py cuts the PDF); `merge` lets letters of different templates in.
    A letter is a .docx, or one still in memory (direct.Package: its parts)."""
    with _opened(letters[0]) as first:
        target = _Target({name: first[name] for name in first.names})
    bodies: list[_Body] = []
    for number, letter in enumerate(letters):
        with _opened(letter) as parts:
            root = etree.fromstring(parts[BODY])
            if merge and number:
                target.merge_styles(parts)
                keep_language(root, target.language, default_language(parts.get(STYLES)))
            if merge:
                target.merge_numbering(parts, root)
            target.carry_over(parts, root)
            counted = any(counts_pages(parts[name]) for name in parts.names
                          if name == BODY or name.startswith(("word/header", "word/footer")))
        bodies.append(_Body(root, number, bookmark=bookmarks, counts_pages=counted))
    blocks: list[etree._Element] = []
    for this, following in pairwise(bodies):
        if not this.continues_into(following):
            this.close_section()
        blocks += this.blocks
    blocks += bodies[-1].blocks
    return target.write(blocks, bodies[-1].section, out)


class HasParts(Protocol):
    """A letter still in memory: the parts of its package, by name."""

    @property
    def parts(self) -> Mapping[str, bytes]: ...


@contextmanager
def _opened(letter: Path | HasParts) -> Iterator[_Parts]:
    if isinstance(letter, Path):
        with zipfile.ZipFile(letter) as package:
            yield _Parts(package.read, set(package.namelist()))
    else:
        parts = letter.parts
        yield _Parts(parts.__getitem__, set(parts))


class _Parts(dict):
    """A letter's parts, read from its package only when asked for: of a bundled letter
    only the body, its relationships and what it refers to are read."""

    def __init__(self, read: Callable[[str], bytes], names: set[str]) -> None:
        super().__init__()
        self._read = read
        self._names = names

    def __missing__(self, name: str) -> bytes:
        if name not in self._names:
            raise KeyError(name)
        self[name] = data = self._read(name)
        return data

    def __contains__(self, name: object) -> bool:
        return name in self._names

    @property
    def names(self) -> set[str]:
        return self._names

    def get(self, name: str, default: bytes | None = None) -> bytes | None:  # type: ignore[override]
        return self[name] if name in self._names else default


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _relationships(data: bytes | None) -> list[etree._Element]:
    return [] if data is None else list(etree.fromstring(data))


class _Target:
    """The document being written: the first letter's shared parts, then each letter's
    own parts as they are carried over."""

    def __init__(self, first: dict[str, bytes]) -> None:  # every part of the first letter
        root = etree.fromstring(first[BODY])
        used = {value for element in _REFERRING(root) for key, value in element.attrib.items()
                if key.startswith(f"{{{R}}}")}
        own = self._reachable(first, [rel.get("Target") for rel in _relationships(
            first.get(BODY_RELS)) if rel.get("Id") in used and rel.get("TargetMode")
            != "External"])
        own |= {_rels_name(name) for name in own}
        self.parts = {name: data for name, data in first.items()
                      if name not in own and name not in (BODY_RELS, CONTENT_TYPES)}
        self.rels = [rel for rel in _relationships(first.get(BODY_RELS))
                     if rel.get("Id") not in used]
        types = etree.fromstring(first[CONTENT_TYPES])
        self.defaults = {d.get("Extension").lower(): d.get("ContentType")
                         for d in types.iter(f"{{{CT}}}Default")}
        self.overrides = {o.get("PartName"): o.get("ContentType")
                          for o in types.iter(f"{{{CT}}}Override")
                          if o.get("PartName").lstrip("/") not in own}
        self.copies: dict[bytes, str] = {}  # content digest -> part name in the target
        self._types: dict[bytes, dict[str, str]] = {}
        self.relations: dict[tuple[str, str, str], str] = {}  # (type, target, mode) -> id
        self.styles = etree.fromstring(first[STYLES]) if STYLES in first else None
        self.language = default_language(first.get(STYLES))  # the document's, for all
        self.numbering = etree.fromstring(first[NUMBERING]) if NUMBERING in first else None
        self.numbering_source = first.get(NUMBERING)

    @staticmethod
    def _reachable(parts: dict[str, bytes], targets: list[str | None]) -> set[str]:
        """The parts the body refers to, and those they refer to in turn."""
        found: set[str] = set()
        pending = [posixpath.normpath(posixpath.join("word", t)) for t in targets if t]
        while pending:
            name = pending.pop()
            if name in found or name not in parts:
                continue
            found.add(name)
            folder = posixpath.dirname(name)
            pending += [posixpath.normpath(posixpath.join(folder, rel.get("Target")))
                        for rel in _relationships(parts.get(_rels_name(name)))
                        if rel.get("TargetMode") != "External"]
        return found

    def carry_over(self, parts: dict[str, bytes], root: etree._Element) -> None:
        """Copy the parts the letter's body refers to, and rename its references."""
        rels = {rel.get("Id"): rel for rel in _relationships(parts.get(BODY_RELS))}
        overrides = self._content_types(parts[CONTENT_TYPES])
        renamed: dict[str, str] = {}
        for element in _REFERRING(root):
            for key, value in element.attrib.items():
                if not key.startswith(f"{{{R}}}") or value not in rels:
                    continue
                if value not in renamed:
                    renamed[value] = self._relate(rels[value], parts, overrides)
                element.set(key, renamed[value])

    def _content_types(self, data: bytes) -> dict[str, str]:
        """The letter's overrides (part name -> content type); its defaults (by extension)
        join the document's. Letters of one template share the bytes: read once."""
        if data not in self._types:
            types = etree.fromstring(data)
            for default in types.iter(f"{{{CT}}}Default"):
                self.defaults.setdefault(default.get("Extension").lower(),
                                         default.get("ContentType"))
            self._types[data] = {o.get("PartName"): o.get("ContentType")
                                 for o in types.iter(f"{{{CT}}}Override")}
        return self._types[data]

    def _relate(self, rel: etree._Element, parts: dict[str, bytes],
                overrides: dict[str, str]) -> str:
        target, mode = rel.get("Target"), rel.get("TargetMode") or ""
        if mode != "External":
            target = posixpath.relpath(self._copy(posixpath.normpath(
                posixpath.join("word", target)), parts, overrides), "word")
        key = (rel.get("Type"), target, mode)
        if key not in self.relations:
            self.relations[key] = f"rIdX{len(self.relations) + 1}"
            attributes = {"Id": self.relations[key], "Type": key[0], "Target": target}
            if mode:
                attributes["TargetMode"] = mode
            self.rels.append(etree.Element(f"{{{PR}}}Relationship", attributes))
        return self.relations[key]

    def _copy(self, name: str, parts: dict[str, bytes], overrides: dict[str, str]) -> str:
        """The part (and what it refers to) in the target, once per distinct content."""
        rels_data = parts.get(_rels_name(name))
        if rels_data is not None:
            rels = etree.fromstring(rels_data)
            folder = posixpath.dirname(name)
            for rel in rels:
                if rel.get("TargetMode") != "External":
                    copied = self._copy(posixpath.normpath(posixpath.join(
                        folder, rel.get("Target"))), parts, overrides)
                    rel.set("Target", posixpath.relpath(copied, folder))
            rels_data = etree.tostring(rels, xml_declaration=True, encoding="UTF-8",
                                       standalone=True)
        digest = hashlib.sha1(parts[name] + b"\0" + (rels_data or b"")).digest()
        if digest not in self.copies:
            folder, base = posixpath.split(name)
            copied = posixpath.join(folder, f"x{len(self.copies) + 1}_{base}")
            self.copies[digest] = copied
            self.parts[copied] = parts[name]
            if rels_data is not None:
                self.parts[_rels_name(copied)] = rels_data
            if f"/{name}" in overrides:
                self.overrides[f"/{copied}"] = overrides[f"/{name}"]
        return self.copies[digest]

    def merge_styles(self, parts: dict[str, bytes]) -> None:
        """Add the styles the document lacks from a letter of another template; a style
        both define keeps the first letter's look, as Word does when pasting."""
        if self.styles is None or parts.get(STYLES) in (None, self.parts.get(STYLES)):
            return
        known = {style.get(_w("styleId")) for style in self.styles.iter(_w("style"))}
        for style in etree.fromstring(parts[STYLES]).iter(_w("style")):
            if style.get(_w("styleId")) not in known:
                self.styles.append(copy.deepcopy(style))
                known.add(style.get(_w("styleId")))

    def merge_numbering(self, parts: dict[str, bytes], root: etree._Element) -> None:
        """Give the letter's numbered paragraphs list definitions of their own, so that
        its lists count from their own start, not on from the previous letter."""
        used = [element for element in root.iter(_w("numId"))]
        if not used or NUMBERING not in parts:
            return
        if self.numbering is None:
            self.numbering = etree.fromstring(parts[NUMBERING])
            for child in list(self.numbering):
                self.numbering.remove(child)
            self.overrides[f"/{NUMBERING}"] = NUMBERING_CONTENT
            self.rels.append(etree.Element(f"{{{PR}}}Relationship", {
                "Id": "rIdXnumbering", "Type": NUMBERING_TYPE, "Target": "numbering.xml"}))
        source = etree.fromstring(parts[NUMBERING])
        abstract_ids = {a.get(_w("abstractNumId")): str(self._next("abstractNum",
                                                                   "abstractNumId") + i)
                        for i, a in enumerate(source.iter(_w("abstractNum")))}
        num_ids = {n.get(_w("numId")): str(self._next("num", "numId") + i)
                   for i, n in enumerate(source.iter(_w("num")))}
        first_num = next(self.numbering.iter(_w("num")), None)
        for abstract in source.iter(_w("abstractNum")):
            added = copy.deepcopy(abstract)
            added.set(_w("abstractNumId"), abstract_ids[abstract.get(_w("abstractNumId"))])
            for link in added.iter(_w("nsid")):  # Word joins lists that share an nsid
                link.getparent().remove(link)
            if first_num is not None:
                first_num.addprevious(added)
            else:
                self.numbering.append(added)
        for num in source.iter(_w("num")):
            added = copy.deepcopy(num)
            added.set(_w("numId"), num_ids[num.get(_w("numId"))])
            for link in added.iter(_w("abstractNumId")):
                link.set(_w("val"), abstract_ids.get(link.get(_w("val")), link.get(_w("val"))))
            self.numbering.append(added)
        for element in used:
            element.set(_w("val"), num_ids.get(element.get(_w("val")), element.get(_w("val"))))

    def _next(self, tag: str, attribute: str) -> int:
        numbers = [int(e.get(_w(attribute))) for e in self.numbering.iter(_w(tag))
                   if (e.get(_w(attribute)) or "").isdigit()]
        return max(numbers, default=0) + 1

    def write(self, blocks: list[etree._Element], section: etree._Element | None,
              out: Path) -> Path:
        parts = dict(self.parts)
        first = etree.fromstring(parts[BODY])
        body = first.find(_w("body"))
        body[:] = [*blocks, *([section] if section is not None else [])]
        parts[BODY] = _xml(first)
        if self.styles is not None:
            parts[STYLES] = _xml(self.styles)
        if self.numbering is not None:
            parts[NUMBERING] = _xml(self.numbering)
        relationships = etree.Element(f"{{{PR}}}Relationships", nsmap={None: PR})
        relationships.extend(self.rels)
        parts[BODY_RELS] = _xml(relationships)
        types = etree.Element(f"{{{CT}}}Types", nsmap={None: CT})
        for extension, content in sorted(self.defaults.items()):
            etree.SubElement(types, f"{{{CT}}}Default", Extension=extension,
                             ContentType=content)
        for name, content in self.overrides.items():
            etree.SubElement(types, f"{{{CT}}}Override", PartName=name, ContentType=content)
        ordered = {CONTENT_TYPES: _xml(types), **parts}
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
            for name, data in ordered.items():
                package.writestr(name, data)
        return out


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- the body ----------------------------------------------------------------------------


def _final_section(root: etree._Element) -> etree._Element:
    body = root.find(_w("body"))
    last = body[-1] if len(body) else None
    if last is not None and last.tag == _w("sectPr"):
        return last
    return etree.Element(_w("sectPr"))  # Word's defaults, as the letter had none


class _Body:
    """One letter's blocks, opened by its bookmark, and its last section, with page
    numbers starting again at 1.

    Between two letters, a section break gives the next one its own pages (numbered
    from 1, its first-page header). Where the next letter would get the very same
    section and shows no page number, a page break does as well, and LibreOffice reads
    the footer once, not once per letter (a tenth of the conversion, bench/letters.py).
    """

    def __init__(self, root: etree._Element, number: int, *, bookmark: bool,
                 counts_pages: bool) -> None:
        body = root.find(_w("body"))
        self.section = copy.deepcopy(_final_section(root))
        self.blocks = [child for child in body if child.tag != _w("sectPr")]
        first_paragraph = next(body.iter(_w("p")), None)
        if first_paragraph is None:
            first_paragraph = etree.Element(_w("p"))
            self.blocks.insert(0, first_paragraph)
        if bookmark:
            _open_with_bookmark(first_paragraph, number)
        inner = [s for s in (p.find(_w("sectPr")) for p in body.iter(_w("pPr")))
                 if s is not None]
        _restart_page_numbers(inner[0] if inner else self.section)
        self.single_section = not inner
        self.counts_pages = counts_pages

    def continues_into(self, following: _Body) -> bool:
        """Put `following` after a page break in this letter's section, if it changes
        nothing: the same section, no page numbers, no first-page header, starting with
        a paragraph. Returns whether it did."""
        first = following.blocks[0]
        if (self.counts_pages or following.counts_pages or not following.single_section
                or first.tag != _w("p") or self.section.find(_w("titlePg")) is not None
                or self.section.find(_w("type")) is not None
                or etree.tostring(self.section) != etree.tostring(following.section)):
            return False
        properties = first.find(_w("pPr"))
        if properties is None:
            properties = etree.Element(_w("pPr"))
            first.insert(0, properties)
        if properties.find(_w("pageBreakBefore")) is None:
            before = [c for c in properties if c.tag in _BEFORE_PAGE_BREAK]
            at = properties.index(before[-1]) + 1 if before else 0
            properties.insert(at, etree.Element(_w("pageBreakBefore")))
        return True

    def close_section(self) -> None:
        """End the letter with its section (a section break in its last paragraph)."""
        last = self.blocks[-1]
        if last.tag != _w("p") or _has_section(last):
            last = etree.Element(_w("p"))
            self.blocks.append(last)
        properties = last.find(_w("pPr"))
        if properties is None:
            properties = etree.Element(_w("pPr"))
            last.insert(0, properties)
        change = properties.find(_w("pPrChange"))
        if change is not None:
            change.addprevious(self.section)
        else:
            properties.append(self.section)


def _has_section(paragraph: etree._Element) -> bool:
    properties = paragraph.find(_w("pPr"))
    return properties is not None and properties.find(_w("sectPr")) is not None


def _open_with_bookmark(paragraph: etree._Element, number: int) -> None:
    mark_id = str(_FIRST_BOOKMARK_ID + number)
    start = etree.Element(_w("bookmarkStart"), {_w("id"): mark_id,
                                                 _w("name"): BOOKMARK.format(number)})
    end = etree.Element(_w("bookmarkEnd"), {_w("id"): mark_id})
    at = 1 if len(paragraph) and paragraph[0].tag == _w("pPr") else 0
    paragraph.insert(at, end)
    paragraph.insert(at, start)


def _restart_page_numbers(section: etree._Element) -> None:
    numbering = child_in_order(section, _w("pgNumType"), _AFTER_PGNUMTYPE)
    if numbering.get(_w("start")) is None:
        numbering.set(_w("start"), "1")
