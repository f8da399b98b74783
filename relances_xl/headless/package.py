"""The parts of an .xlsx/.xlsm package: read them, change a few, write the package.

Parts are read from the zip on demand. A change is recorded per part (new bytes, an
edited XML tree, or a removal); `to_bytes` writes the package with only those parts
compressed anew and every other part copied as stored (`zipraw`). Relationships and
content types, the package's own bookkeeping, are edited here when parts come or go.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from io import BytesIO

from lxml import etree

from . import zipraw

CONTENT_TYPES = "[Content_Types].xml"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
DOC_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKBOOK = "xl/workbook.xml"
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
# (CRC-32, size) of the XML parts `check_parts` read through and found holding no
# error cell: the same content, whatever the file, needs no second look for error texts
_WITHOUT_ERRORS: set[tuple[int, int]] = set()
_ERROR_MARK = re.compile(rb"""t=["']e["']""")  # the type of a cell holding an error
_MARK_LENGTH = 5
_CHUNK = 1 << 20


def check_parts(package: zipfile.ZipFile) -> str | None:
    """What `testzip` answers: the first part whose data fails its CRC, None if every
    part is whole.

    Reading every part anyway, it notes the XML parts that hold no error cell, by CRC
    and size: python-calamine reads an error as an empty cell, so the engine looks up
    error texts in a sheet's XML, and a part noted here (`Package.may_hold_errors`)
    need not be inflated a second time for that (a tenth of a second for a year of
    invoices, docs/performance.md).
    """
    for info in package.infolist():
        xml = info.filename.endswith(".xml")
        try:
            marked = _read_through(package, info, look=xml)
        except zipfile.BadZipFile:
            return info.filename
        if xml and not marked:
            _WITHOUT_ERRORS.add((info.CRC, info.file_size))
    return None


def _read_through(package: zipfile.ZipFile, info: zipfile.ZipInfo, look: bool) -> bool:
    """Every byte of the part read, so its CRC is checked; whether it holds an error
    cell's mark (looked for if `look`)."""
    marked, tail = not look, b""
    with package.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            if not marked:
                marked = bool(_ERROR_MARK.search(chunk)  # one regex: twice as quick as two `in`
                              or _ERROR_MARK.search(tail + chunk[:_MARK_LENGTH - 1]))
                tail = chunk[1 - _MARK_LENGTH:]  # a mark cut between two chunks
    return marked and look


def rels_name(part: str) -> str:
    """`xl/workbook.xml` -> `xl/_rels/workbook.xml.rels`."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def serialize(root: etree._Element) -> bytes:
    """An edited part, with the declaration Excel writes."""
    return _DECLARATION + etree.tostring(root, encoding="UTF-8", xml_declaration=False)


class Package:
    """A zip package: its stored bytes, and the parts changed since it was read."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._zip = zipfile.ZipFile(BytesIO(data))
        self._names = set(self._zip.namelist())
        self._changed: dict[str, bytes | None] = {}
        self._trees: dict[str, etree._Element] = {}  # parsed parts, edited in place
        self.hooks: list = []  # called before writing, to put edited state into parts

    # --- reading ----------------------------------------------------------------

    def has(self, name: str) -> bool:
        if name in self._changed:
            return self._changed[name] is not None
        return name in self._names

    def read(self, name: str) -> bytes:
        if name in self._trees:
            return serialize(self._trees[name])
        if name in self._changed:
            data = self._changed[name]
            if data is None:
                raise KeyError(name)
            return data
        return self._zip.read(name)

    def may_hold_errors(self, name: str) -> bool:
        """False when the part, as stored and unchanged, was read by `check_parts` and
        holds no error cell."""
        if name in self._changed or name in self._trees or name not in self._names:
            return True
        info = self._zip.getinfo(name)
        return (info.CRC, info.file_size) not in _WITHOUT_ERRORS

    def stored_size(self, name: str) -> int:
        """The part's compressed size as stored (0 when it is not stored)."""
        return self._zip.getinfo(name).compress_size if name in self._names else 0

    def open(self, name: str):
        """A stream of the stored part (to read its first bytes without inflating it all)."""
        return self._zip.open(name)

    def tree(self, name: str) -> etree._Element:
        """The part parsed, to edit in place: call `mark` after editing."""
        if name not in self._trees:
            self._trees[name] = etree.fromstring(self.read(name))
        return self._trees[name]

    # --- changing ---------------------------------------------------------------

    def mark(self, name: str, root: etree._Element) -> None:
        """`root` (from `tree`) was edited: the part is written from it at save."""
        self._trees[name] = root
        self._changed[name] = b""  # placeholder, filled by to_bytes

    def write(self, name: str, data: bytes) -> None:
        self._trees.pop(name, None)
        self._changed[name] = data

    def remove(self, name: str) -> None:
        self._trees.pop(name, None)
        self._changed[name] = None

    def changed(self) -> list[str]:
        return [name for name, data in self._changed.items() if data is not None]

    def to_bytes(self) -> bytes:
        for hook in self.hooks:
            hook()
        changes = dict(self._changed)
        for name, root in self._trees.items():
            if name in changes and changes[name] is not None:
                changes[name] = serialize(root)
        return zipraw.rewrite(self.data, changes)

    # --- relationships and content types ----------------------------------------

    def relationships(self, part: str) -> list[tuple[str, str, str]]:
        """(id, type, target part) of each internal relationship of `part`."""
        name = rels_name(part)
        if not self.has(name):
            return []
        base = posixpath.dirname(part)
        found = []
        for rel in self.tree(name).iterchildren(f"{{{REL_NS}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            path = target[1:] if target.startswith("/") else posixpath.normpath(
                posixpath.join(base, target))
            found.append((rel.get("Id", ""), rel.get("Type", ""), path))
        return found

    def add_relationship(self, part: str, rel_type: str, target: str) -> str:
        """A new relationship from `part` to the part `target`; returns its id."""
        name = rels_name(part)
        if not self.has(name):
            self.write(name, f'<Relationships xmlns="{REL_NS}"/>'.encode())
        root = self.tree(name)
        taken = {rel.get("Id") for rel in root}
        number = len(taken) + 1
        while f"rId{number}" in taken:
            number += 1
        rel_id = f"rId{number}"
        relative = posixpath.relpath(target, posixpath.dirname(part))
        etree.SubElement(root, f"{{{REL_NS}}}Relationship", Id=rel_id, Type=rel_type,
                         Target=relative)
        self.mark(name, root)
        return rel_id

    def remove_relationship(self, part: str, rel_id: str) -> None:
        root = self.tree(rels_name(part))
        for rel in list(root):
            if rel.get("Id") == rel_id:
                root.remove(rel)
        self.mark(rels_name(part), root)

    def set_content_type(self, name: str, content_type: str | None) -> None:
        """Declare (or, with None, forget) the content type of the part `name`."""
        root = self.tree(CONTENT_TYPES)
        for override in root.iterchildren(f"{{{CT_NS}}}Override"):
            if override.get("PartName") == "/" + name:
                if content_type is None:
                    root.remove(override)
                    self.mark(CONTENT_TYPES, root)
                return
        if content_type is not None:
            etree.SubElement(root, f"{{{CT_NS}}}Override", PartName="/" + name,
                             ContentType=content_type)
            self.mark(CONTENT_TYPES, root)

    def ensure_part(self, name: str, data: bytes, content_type: str, rel_type: str) -> str:
        """A workbook-level part of type `rel_type`: the one there is, else `name`."""
        for _, found_type, target in self.relationships(WORKBOOK):
            if found_type == rel_type and self.has(target):
                return target
        if not self.has(name):
            self.write(name, data)
        self.set_content_type(name, content_type)
        self.add_relationship(WORKBOOK, rel_type, name)
        return name
