"""Many one-letter .docx into one document for LibreOffice, and its PDF back into letters.

LibreOffice spends far more on each document it opens and exports (load, styles,
layout, PDF writer) than on each page of a longer one: letters converted as one
document cost a fraction of the same letters converted one by one (bench/letters.py;
the figures are in docs/performance.md). So letters made
from the same template are laid end to end, each in a section of its own (its page
numbers start again at 1, its first-page header applies) and opened by a bookmark; LibreOffice
exports the bookmarks as named destinations, which give the first page of each
letter, and the bundle's PDF is cut there into one PDF per letter.

Only letters that print the same way once laid end to end are bundled: the same
shared parts (styles, numbering, settings, theme; each letter keeps its own pictures,
headers and footers, see compose.py), and none of what would run on from one letter
to the next (footnotes, endnotes, comments, total-page counts, odd/even pages,
numbered lists). The others, and a
bundle whose PDF does not cut cleanly, are converted one by one as before.

Nothing here knows what the letters say: it moves Word paragraphs and PDF pages.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Protocol

import pikepdf
from lxml import etree

from .compose import BODY, BOOKMARK, HasParts, compose, is_own_part

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# What would run on from one letter into the next, or count the pages of the bundle.
_RUNS_ON = re.compile(
    rb"<w:(?:footnoteReference|endnoteReference|commentRangeStart|commentReference)\b"
    rb"|NUMPAGES|SECTIONPAGES|w:val=\"(?:odd|even)Page\""
)
# a literal that each of _RUNS_ON's alternatives holds: most letters hold none, and
# looking for these is a quarter of the time of the regular expression, run for each
_RUNS_ON_MARKS = (b"Reference", b"commentRangeStart", b"PAGES", b'Page"')
_PAGE_PARITY = re.compile(rb"<w:(?:evenAndOddHeaders|mirrorMargins|bookFoldPrinting)\b")
_NUMBERED = re.compile(rb"w:numFmt w:val=\"(?!bullet\"|none\")")


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


class Letter(HasParts, Protocol):
    """A letter still in memory (direct.Package): what bundling needs of it beside its
    parts."""

    stem: str

    def listing(self) -> dict[str, tuple[int, int]]: ...

    def write(self, out: Path) -> Path: ...


class BundleError(Exception):
    """A bundle's PDF cannot be cut into its letters: they are converted one by one."""


@dataclass(frozen=True)
class Bundle:
    """One document given to LibreOffice: a bundle of letters, or a single document."""

    source: Path
    letters: tuple[Path | Letter, ...]

    @property
    def bundled(self) -> bool:
        return self.source not in self.letters


def plan_bundles(documents: list[Path | Letter], folder: Path, *, size: int, parts: int = 1,
                 name: str = "lot", last: int = 0) -> list[Bundle]:
    """The documents LibreOffice is given, in order: bundles of up to `size` letters that
    share a template, written into `folder` as `<name>-0001.docx`…, and the documents
    that cannot be bundled (a letter still in memory written there too).

    A group of letters is cut into a multiple of `parts` even bundles (the number of
    LibreOffice processes), so that no process is left working alone at the end.
    `last`: the bundle given last holds at most that many letters, taken from the
    largest bundle: each bundle is cut while LibreOffice converts the next, so the
    last one's cut is all that is left once LibreOffice exits.
    """
    groups: dict[bytes, list[tuple[bytes, Path | Letter]]] = {}
    shares: list[tuple[list[Path | Letter], bool]] = []  # (documents, bundled)
    for document in documents:
        key = bundle_key(document)
        if key is None:
            shares.append(([document], False))
        else:
            groups.setdefault(key[0], []).append((key[1], document))
    for group in groups.values():
        # letters with the same headers and footers side by side: they share a section
        # in the bundle (compose.py), and LibreOffice reads those parts once for them
        letters = [document for _, document in sorted(group, key=lambda item: item[0])]
        count = -(-len(letters) // size)
        count = min(len(letters), -(-count // parts) * parts)
        shares += [(letters[n * len(letters) // count:(n + 1) * len(letters) // count], True)
                   for n in range(count)]
    tail: list[tuple[list[Path | Letter], bool]] = []
    largest = max(range(len(shares)), key=lambda n: len(shares[n][0]), default=None)
    if largest is not None and 0 < last < len(shares[largest][0]) - 1:
        letters = shares[largest][0]
        shares[largest] = (letters[:-last], True)
        tail.append((letters[-last:], True))
    order = {id(doc): index for index, doc in enumerate(documents)}
    planned = sorted(_planned(shares, folder, name), key=lambda item: order[id(item[0])])
    planned += _planned(tail, folder, name, first=len(planned) + 1)
    return [bundle for _, bundle in planned]


def _planned(shares: list[tuple[list[Path | Letter], bool]], folder: Path, name: str,
             first: int = 1) -> list[tuple[Path | Letter, Bundle]]:
    """Each (documents, bundled) as bundles written into `folder` (with the first
    document of each), numbered from `first`."""
    planned: list[tuple[Path | Letter, Bundle]] = []
    for letters, bundled in shares:
        if bundled and len(letters) > 1:
            out = folder / f"{name}-{first + len(planned):04d}.docx"
            planned += _bundled(letters, out, folder)
        else:
            planned += [(letter, alone(letter, folder)) for letter in letters]
    return planned


Positions = list[tuple[Path, list[int] | None]]


def plan_positions(documents: list[Path | Letter], folder: Path, *, size: int,
                   name: str = "lot", last: int = 0) -> Positions:
    """`plan_bundles` as another process returns it: each bundle's file and the
    positions of its letters in `documents` (None: a document given alone, the file
    itself), so that the caller keeps its own letters instead of copies sent back."""
    position = {id(document): number for number, document in enumerate(documents)}
    return [(bundle.source, [position[id(letter)] for letter in bundle.letters]
             if bundle.bundled else None)
            for bundle in plan_bundles(documents, folder, size=size, name=name, last=last)]


def bundles_at(positions: Positions, documents: list[Path | Letter]) -> list[Bundle]:
    """The bundles `plan_positions` planned, with the caller's `documents`."""
    return [Bundle(source, (source,) if letters is None
                   else tuple(documents[number] for number in letters))
            for source, letters in positions]


def alone(document: Path | Letter, folder: Path) -> Bundle:
    """A document LibreOffice converts by itself; a letter still in memory is written
    into `folder` first."""
    if not isinstance(document, Path):
        document = document.write(folder / document.name)
    return Bundle(document, (document,))


def _bundled(letters: list[Path | Letter], out: Path, folder: Path
             ) -> list[tuple[Path | Letter, Bundle]]:
    """The letters as one bundle (with its first letter); a letter whose body is not
    well-formed XML goes alone, for LibreOffice to name it, and the others are bundled
    without it."""
    try:
        return [(letters[0], Bundle(write_bundle(letters, out), tuple(letters)))]
    except etree.XMLSyntaxError:
        damaged = [letter for letter in letters if not _well_formed(letter)]
        if not damaged:
            raise
    good = [letter for letter in letters if letter not in damaged]
    kept = (_bundled(good, out, folder) if len(good) > 1
            else [(g, alone(g, folder)) for g in good])
    return kept + [(letter, alone(letter, folder)) for letter in damaged]


def _well_formed(letter: Path | Letter) -> bool:
    try:
        etree.fromstring(_body_xml(letter))
    except etree.XMLSyntaxError:
        return False
    return True


def bundle_key(document: Path | Letter) -> tuple[bytes, bytes] | None:
    """What letters must share to be bundled, and their headers and footers; None when
    this one must be converted alone. The parts are compared by name, size and CRC-32
    as the zip directory gives them (every letter of a template carries the same bytes),
    without reading them. `document` is a .docx, or a letter still in memory
    (direct.Package: its parts and their listing).
    """
    try:
        if isinstance(document, Path):
            with zipfile.ZipFile(document) as package:
                sizes = {info.filename: (info.file_size, info.CRC)
                         for info in package.infolist()}
                if not _bundleable(sizes, package.read):
                    return None
        else:
            sizes = document.listing()
            if not _bundleable(sizes, document.parts.__getitem__):
                return None
    except (OSError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        return None  # LibreOffice converting it alone names it if it is broken
    listed = {name: f"{name}:{size}:{crc}" for name, (size, crc) in sorted(sizes.items())}
    return ("\n".join(v for name, v in listed.items() if not is_own_part(name)).encode(),
            "\n".join(v for name, v in listed.items()
                      if name.startswith(("word/header", "word/footer"))).encode())


def runs_on(data: bytes) -> bool:
    """Whether a part holds what would run on into the next letter (`_RUNS_ON`)."""
    return any(mark in data for mark in _RUNS_ON_MARKS) and _RUNS_ON.search(data) is not None


def _bundleable(names: Iterable[str], read: Callable[[str], bytes]) -> bool:
    """None of what would run on from one letter into the next (bundle.py's docstring)."""
    names = set(names)
    if BODY not in names:
        return False
    body = read(BODY)
    shown = [body, *(read(name) for name in names
                     if name.startswith(("word/header", "word/footer")))]
    if any(runs_on(data) for data in shown):
        return False
    if "word/settings.xml" in names and _PAGE_PARITY.search(read("word/settings.xml")):
        return False
    return not ("word/numbering.xml" in names and _NUMBERED.search(
        read("word/numbering.xml")) and _uses_numbering(
        body, read("word/styles.xml") if "word/styles.xml" in names else b""))


def _uses_numbering(body: bytes, styles: bytes) -> bool:
    """Whether a paragraph is numbered, directly or through its style (a numbered list
    would go on counting from one letter to the next)."""
    if b"<w:numPr" in body:
        return True
    if b"<w:numPr" not in styles:
        return False
    root = etree.fromstring(styles)
    based_on = {}
    numbered = set()
    for style in root.iter(_w("style")):
        style_id = style.get(_w("styleId"))
        parent = style.find(_w("basedOn"))
        if parent is not None:
            based_on[style_id] = parent.get(_w("val"))
        if style.find(f"{_w('pPr')}/{_w('numPr')}") is not None:
            numbered.add(style_id)
    used = set(re.findall(rb'<w:pStyle w:val="([^"]+)"', body))
    for style_id in (u.decode() for u in used):
        seen = set()
        while style_id and style_id not in seen:
            if style_id in numbered:
                return True
            seen.add(style_id)
            style_id = based_on.get(style_id)
    return False


def write_bundle(letters: list[Path | Letter], out: Path) -> Path:
    """The letters end to end in one .docx, each opened by its bookmark (compose.py)."""
    return compose(letters, out, bookmarks=True)


def _body_xml(letter: Path | Letter) -> bytes:
    if not isinstance(letter, Path):
        return letter.parts[BODY]
    with zipfile.ZipFile(letter) as package:
        return package.read(BODY)


# what is done to a letter cut from a bundle before it is written: (its PDF, its pages)
Finish = Callable[[Path, pikepdf.Pdf], None]


def split_bundle(pdf: Path, bundle: Bundle, out_dir: Path,
                 finish: Finish | None = None) -> dict[Path, int]:
    """The bundle's PDF cut at each letter's bookmark: `<letter name>.pdf` in `out_dir`,
    with its page count (known here: whoever numbers the pages need not open a letter
    of one page again). `finish(pdf, letter)` is given each letter's pages before they
    are written (page numbers stamped there, not by reading the letter again).

    The cut is qpdf's (pikepdf): each letter carries the bundle's fonts, and copying
    and writing them object by object in Python was a ninth of the letters' CPU
    beside LibreOffice (docs/performance.md, "Ninth session").

    Raises BundleError when a letter's first page cannot be found, or the letters do
    not follow each other page after page (LibreOffice without named destinations).
    """
    try:
        with pikepdf.open(pdf) as whole:
            starts = _first_pages(whole, len(bundle.letters))
            ends = [*starts[1:], len(whole.pages)]
            language = whole.Root.get("/Lang")  # the one screen readers read it in
            made = {}
            for letter, start, end in zip(bundle.letters, starts, ends, strict=True):
                target = out_dir / f"{letter.stem}.pdf"
                with pikepdf.new() as part:
                    part.pages.extend(whole.pages[start:end])
                    if language is not None:
                        part.Root.Lang = pikepdf.String(str(language))
                    if finish is not None:
                        finish(target, part)
                    part.save(target, min_version=whole.pdf_version)
                made[target] = end - start
    except (OSError, pikepdf.PdfError, ValueError) as error:
        raise BundleError(f"{pdf.name}: {error}") from error
    return made


def _first_pages(whole: pikepdf.Pdf, count: int) -> list[int]:
    numbers = {page.objgen: number for number, page in enumerate(whole.pages)}
    pages: dict[str, int] = {}
    for name, destination in _destinations(whole):
        if isinstance(destination, pikepdf.Dictionary):  # << /D [page /XYZ …] >>
            destination = destination.get("/D")
        if isinstance(destination, pikepdf.Array) and len(destination):
            page = numbers.get(destination[0].objgen)
            if page is not None:
                pages[name.lstrip("/")] = page
    try:
        starts = [pages[BOOKMARK.format(number)] for number in range(count)]
    except KeyError as missing:
        raise BundleError(f"début de lettre introuvable ({missing})") from None
    if starts[0] != 0 or any(b <= a for a, b in pairwise(starts)):
        raise BundleError(f"lettres dans le désordre : pages {starts}")
    return starts


def _destinations(whole: pikepdf.Pdf) -> Iterable[tuple[str, pikepdf.Object]]:
    """The named destinations, as PDF 1.1 keeps them (the catalog's /Dests, which
    LibreOffice writes) and as PDF 1.2 does (the /Names tree)."""
    if "/Dests" in whole.Root:
        yield from whole.Root.Dests.items()
    if "/Names" in whole.Root and "/Dests" in whole.Root.Names:
        yield from pikepdf.NameTree(whole.Root.Names.Dests).items()
