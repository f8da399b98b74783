"""Letters rendered straight into the parts of their .docx, for LibreOffice's bundles.

For the PDF output through LibreOffice, saving each letter as a .docx (python-docx
copying the opened template, then writing its whole package) only for bundle.py to
open it again and take its body out was most of the rendering (docs/performance.md,
"Third session: letters"). Here each letter is rendered by docxtpl's own steps on
the template opened once (its XML cleaned by `patch_xml` and compiled once per
template by the run's Jinja environment, render.py; then `render_xml_part`,
`fix_tables`, `fix_docpr_ids`, as `DocxTemplate.render` does) and kept in memory as
the parts it would have been saved with: its body, headers and footers, its pictures
(signature, QR code) and their relationships. The template's other parts (styles,
settings, theme…) are read once and shared. compose.py lays these letters end to end
as it lays saved ones.

A letter that bundle.py would not bundle (a page count, footnotes, numbered lists…),
or that shows a picture in a header or footer, is rendered and saved the usual way
(render.render_letter): it goes to LibreOffice alone, as before.
"""

from __future__ import annotations

import copy
import io
import zipfile
import zlib
from collections import ChainMap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.image.image import Image
from docx.opc.oxml import parse_xml, serialize_part_xml
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from lxml import etree

from .bundle import bundle_key
from .compose import BODY, BODY_RELS, CONTENT_TYPES, CT, PR
from .render import (
    Job,
    _remembered,
    _Template,
    _template_errors,
    in_two_halves,
    jinja_env,
    render_letter,
    with_images,
)

_STORIES = ("word/header", "word/footer")


@dataclass(frozen=True, eq=False)
class Package:
    """One letter as the parts of its .docx: its own (body, relationships, content
    types, headers, footers, pictures) over its template's, shared."""

    stem: str
    template: Path
    own: Mapping[str, bytes] = field(repr=False)

    @property
    def name(self) -> str:
        return f"{self.stem}.docx"

    @property
    def parts(self) -> Mapping[str, bytes]:
        return ChainMap(dict(self.own), _shared(self.template).parts)

    def listing(self) -> dict[str, tuple[int, int]]:
        """Each part's size and CRC-32, as a zip's directory gives them."""
        sizes = dict(_shared(self.template).listing)
        sizes.update((name, (len(data), zlib.crc32(data))) for name, data in self.own.items())
        return sizes

    def write(self, out: Path) -> Path:
        """The letter as a .docx file, for LibreOffice to convert it alone."""
        out.parent.mkdir(parents=True, exist_ok=True)
        parts = self.parts
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
            package.writestr(CONTENT_TYPES, parts[CONTENT_TYPES])
            for name in sorted(set(parts) - {CONTENT_TYPES}):
                package.writestr(name, parts[name])
        return out


@dataclass(frozen=True)
class _Shared:
    parts: dict[str, bytes]
    listing: dict[str, tuple[int, int]]


_SHARED: dict[str, Any] = {}
_PREPARED: dict[str, Any] = {}


def _key(template: Path) -> str:
    """A template edited since is read again."""
    stat = template.stat()
    return f"{template.resolve()}|{stat.st_mtime_ns}|{stat.st_size}"


def _shared(template: Path) -> _Shared:
    def read() -> _Shared:
        with zipfile.ZipFile(template) as package:
            parts = {info.filename: package.read(info) for info in package.infolist()}
        return _Shared(parts, {name: (len(data), zlib.crc32(data))
                               for name, data in parts.items()})
    return _remembered(_SHARED, _key(template), read)


class _Prepared:
    """A template opened, its XML cleaned and compiled once for the run."""

    def __init__(self, template: Path) -> None:
        self.template = template
        self.doc = doc = _Template(template)
        with _template_errors(template):
            doc.init_docx()
            doc.render_init()
            self.body = doc.patch_xml(doc.get_xml())
            self.stories = []  # (part name, encoding, cleaned XML) of headers and footers
            for uri in (doc.HEADER_URI, doc.FOOTER_URI):
                for _rel, part in doc.get_headers_footers(uri):
                    xml = doc.get_part_xml(part)
                    self.stories.append((part.partname.lstrip("/"),
                                         doc.get_headers_footers_encoding(xml),
                                         doc.patch_xml(xml)))
        self.shell = copy.deepcopy(doc.docx.element)  # the w:document a body goes into
        raw = _shared(template).parts
        self.rels = raw[BODY_RELS]
        self.types = raw[CONTENT_TYPES]

    def render(self, context: dict) -> dict[str, bytes] | None:
        """The letter's own parts, or None when one of its pictures is in a header or
        footer (they are the body's pictures only here)."""
        doc = self.doc
        pictures = _Pictures()
        with _template_errors(self.template):
            values = with_images(doc, context)
            xml = doc.render_xml_part(self.body, pictures, values, jinja_env())
            tree = doc.fix_tables(xml)
            doc.docx_ids_index = 1000
            doc.fix_docpr_ids(tree)
            own = {}
            try:
                for name, encoding, source in self.stories:
                    xml = doc.render_xml_part(source, _NO_PICTURES, values, jinja_env())
                    own[name] = serialize_part_xml(parse_xml(xml.encode(encoding)))
            except _PictureInStory:
                return None
        self.shell.replace(self.shell.find(qn("w:body")), tree)
        own[BODY] = serialize_part_xml(self.shell)
        own[BODY_RELS] = pictures.relationships(self.rels)
        own[CONTENT_TYPES] = _content_types(self.types, pictures.types())
        own.update(pictures.parts)
        return own


class _PictureInStory(Exception):
    """A picture asked for in a header or footer: the letter is rendered the usual way."""


class _NoPictures:
    def new_pic_inline(self, *args: Any, **kwargs: Any) -> Any:
        raise _PictureInStory


_NO_PICTURES = _NoPictures()


class _Pictures:
    """Where docxtpl's InlineImage asks for its picture (the part being rendered): each
    distinct picture of the letter becomes a media part of its own and a relationship,
    as python-docx adds them when the letter is saved."""

    def __init__(self) -> None:
        self.parts: dict[str, bytes] = {}
        self._ids: dict[str, tuple[str, str, str]] = {}  # sha1 -> rId, part, content type

    def new_pic_inline(self, image_descriptor: io.BytesIO, width: Any = None,
                       height: Any = None) -> CT_Inline:
        image = _image(image_descriptor.getvalue())
        if image.sha1 not in self._ids:
            number = len(self._ids) + 1
            name = f"word/media/rxl{number}.{image.ext}"
            self._ids[image.sha1] = (f"rIdRxl{number}", name, image.content_type)
            self.parts[name] = image.blob
        rid = self._ids[image.sha1][0]
        cx, cy = image.scaled_dimensions(width, height)
        return CT_Inline.new_pic_inline(1, rid, image.filename, cx, cy)

    def relationships(self, template_rels: bytes) -> bytes:
        if not self._ids:
            return template_rels
        root = etree.fromstring(template_rels)
        for rid, name, _type in self._ids.values():
            etree.SubElement(root, f"{{{PR}}}Relationship", Id=rid, Target=name[5:],
                             Type="http://schemas.openxmlformats.org/officeDocument/2006/"
                                  "relationships/image")
        return serialize_part_xml(root)

    def types(self) -> frozenset[tuple[str, str]]:
        return frozenset((name.rsplit(".", 1)[1], kind) for _, name, kind in self._ids.values())


_IMAGES: dict[bytes, Image] = {}


def _image(data: bytes) -> Image:
    """python-docx's reading of a picture (size, resolution), once per distinct picture."""
    found = _IMAGES.get(data)
    if found is None:
        if len(_IMAGES) >= 256:
            _IMAGES.pop(next(iter(_IMAGES)))
        found = _IMAGES[data] = Image.from_blob(data)
    return found


_TYPES: dict[tuple[bytes, frozenset], bytes] = {}


def _content_types(template_types: bytes, pictures: frozenset[tuple[str, str]]) -> bytes:
    """The template's content types, with a default for each picture's extension."""
    if not pictures:
        return template_types
    key = (template_types, pictures)
    if key not in _TYPES:
        root = etree.fromstring(template_types)
        known = {d.get("Extension").lower() for d in root.iter(f"{{{CT}}}Default")}
        for extension, kind in sorted(pictures):
            if extension.lower() not in known:
                root.insert(0, etree.Element(f"{{{CT}}}Default", Extension=extension,
                                             ContentType=kind))
        _TYPES[key] = serialize_part_xml(root)
    return _TYPES[key]


def _prepared(template: Path) -> _Prepared:
    return _remembered(_PREPARED, _key(template), lambda: _Prepared(template))


def render_package(template: Path, context: dict, name: str, work: Path
                   ) -> Package | Path:
    """The letter in memory when bundle.py can bundle it, else saved as
    `work/<name>.docx` the usual way."""
    own = _prepared(template).render(context)
    if own is not None:
        package = Package(name, template, own)
        if bundle_key(package) is not None:
            return package
    return render_letter(template, context, work / f"{name}.docx")


def render_packages(jobs: list[Job], work: Path,
                    progress: Callable[[int, int], None] | None = None
                    ) -> list[Package | Path]:
    """Each (template, context, name) as a Package, or a .docx in `work` when it cannot
    be bundled; in the order of `jobs`; with many letters and two cores, the second half
    in a second process (as render.render_letters)."""
    return in_two_halves(_render_all, jobs, work, progress)


def _render_all(jobs: list[Job], work: Path, count: Callable[[int], None] | None = None
                ) -> list[Package | Path]:
    made = []
    for done, (template, context, name) in enumerate(jobs, start=1):
        made.append(render_package(Path(template), context, name, work))
        if count:
            count(done)
    return made
