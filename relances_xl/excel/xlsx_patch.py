"""Put back, after an openpyxl save, what openpyxl left out of the file.

openpyxl (3.1.5, `keep_vba=True`) keeps the VBA project, the VML form buttons, data
validations, tables, defined names, hidden sheets and cell formats, but:

- it drops the Excel 365 cell-checkbox format: the part
  `xl/featurePropertyBag/featurePropertyBag.xml` (with its content type and workbook
  relationship) and, in styles.xml, the `<extLst>` holding `<xfpb:xfComplement i="0"/>`
  inside each checkbox `<xf>` of `cellXfs`. Without them Excel shows TRUE/FALSE
  instead of ticks;
- it copies legacy VML drawings only up to `vmlDrawing9.vml` (its pattern has one
  digit), while the sheets still point at the tenth and later ones.

`restore` patches the saved zip: any part a relationship points at but that is missing
is copied from the original file, and every `cellXfs` entry whose number format is the
project's checkbox format gets its xfComplement back, with the featurePropertyBag part
(the original's, else the one XlsxWriter writes), its relationship and content type.
Running it on its own output changes nothing. Edits are textual, so the namespaces
and prefixes openpyxl wrote stay exactly as they are.

`atomic_write` then puts the bytes on disk so that the old file is never half replaced.
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
import tempfile
import zipfile
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape

FPB_PART = "xl/featurePropertyBag/featurePropertyBag.xml"
FPB_CONTENT_TYPE = "application/vnd.ms-excel.featurepropertybag+xml"
FPB_REL_TYPE = "http://schemas.microsoft.com/office/2022/11/relationships/FeaturePropertyBag"
XFPB_NS = "http://schemas.microsoft.com/office/spreadsheetml/2022/featurepropertybag"
XF_EXT_URI = "{C7286773-470A-42A8-94C5-96B5CB345126}"
# What XlsxWriter 3.3.1 writes (feature_property_bag.py) for a workbook with checkboxes.
STANDARD_FPB = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<FeaturePropertyBags xmlns="{XFPB_NS}"><bag type="Checkbox"/>'
    '<bag type="XFControls"><bagId k="CellControl">0</bagId></bag>'
    '<bag type="XFComplement"><bagId k="XFControls">1</bagId></bag>'
    '<bag type="XFComplements" extRef="XFComplementsMapperExtRef">'
    '<a k="MappedFeaturePropertyBags"><bagId>2</bagId></a></bag></FeaturePropertyBags>'
).encode()

_STYLES, _CONTENT_TYPES = "xl/styles.xml", "[Content_Types].xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_XF = re.compile(r"<xf\b[^>]*?(?:/>|>.*?</xf>)", re.S)


def restore(saved: bytes, original: bytes | None, checkbox_format: str) -> bytes:
    """The saved .xlsx/.xlsm with what openpyxl dropped put back (see module doc)."""
    with zipfile.ZipFile(BytesIO(saved)) as zin:
        infos = zin.infolist()
        parts = {info.filename: zin.read(info) for info in infos}
    old: dict[str, bytes] = {}
    if original:
        with zipfile.ZipFile(BytesIO(original)) as zorig:
            old = {name: zorig.read(name) for name in zorig.namelist()}
    _copy_missing_targets(parts, old)
    _restore_checkboxes(parts, old, checkbox_format)
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in infos:
            zout.writestr(info, parts.pop(info.filename))
        for name, data in parts.items():
            zout.writestr(zipfile.ZipInfo(name, infos[0].date_time), data,
                          zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _relationships(parts: dict[str, bytes], rels_name: str) -> list[tuple[str, str]]:
    """(type, part name) of each internal relationship in one .rels part."""
    base = posixpath.dirname(posixpath.dirname(rels_name))
    found = []
    for rel in ElementTree.fromstring(parts[rels_name]).iter(f"{_REL_NS}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        if target.startswith("/"):
            name = target[1:]
        else:
            name = posixpath.normpath(posixpath.join(base, target))
        found.append((rel.get("Type", ""), name))
    return found


def _overrides(parts: dict[str, bytes]) -> dict[str, str]:
    tree = ElementTree.fromstring(parts[_CONTENT_TYPES])
    return {o.get("PartName", ""): o.get("ContentType", "")
            for o in tree.iter(f"{_CT_NS}Override")}


def _copy_missing_targets(parts: dict[str, bytes], old: dict[str, bytes]) -> None:
    """A relationship pointing at a part the save left out: copy it from the original."""
    old_types = _overrides(old) if _CONTENT_TYPES in old else {}
    for rels_name in [name for name in parts if name.endswith(".rels")]:
        for _, name in _relationships(parts, rels_name):
            if name not in parts and name in old:
                parts[name] = old[name]
                content_type = old_types.get("/" + name)
                if content_type:
                    _ensure_override(parts, "/" + name, content_type)


def _checkbox_format_ids(styles: bytes, checkbox_format: str) -> set[str]:
    tree = ElementTree.fromstring(styles)
    return {fmt.get("numFmtId", "") for fmt in tree.iter(f"{_MAIN_NS}numFmt")
            if fmt.get("formatCode") == checkbox_format}


def _restore_checkboxes(parts: dict[str, bytes], old: dict[str, bytes],
                        checkbox_format: str) -> None:
    ids = _checkbox_format_ids(parts[_STYLES], checkbox_format)
    if not ids:
        return
    found = re.search(rb'xfComplement i="(\d+)"', old.get(_STYLES, b""))
    index = found.group(1).decode() if found else "0"
    ext = (f'<ext uri="{XF_EXT_URI}" xmlns:xfpb="{XFPB_NS}">'
           f'<xfpb:xfComplement i="{index}"/></ext>')
    styles = parts[_STYLES].decode("utf-8")
    start = styles.find("<cellXfs")
    end = styles.find("</cellXfs>", start)
    if start < 0 or end < 0:
        return
    patched = 0

    def patch(match: re.Match) -> str:
        nonlocal patched
        xf = match.group(0)
        num_fmt = re.search(r'\bnumFmtId="(\d+)"', xf)
        if not num_fmt or num_fmt.group(1) not in ids:
            return xf
        patched += 1
        if "xfComplement" in xf:
            return xf
        if xf.endswith("/>"):
            return f"{xf[:-2]}><extLst>{ext}</extLst></xf>"
        if "</extLst>" in xf:
            return xf.replace("</extLst>", f"{ext}</extLst>")
        return f"{xf[:-5]}<extLst>{ext}</extLst></xf>"

    section = _XF.sub(patch, styles[start:end])
    if not patched:
        return
    parts[_STYLES] = (styles[:start] + section + styles[end:]).encode("utf-8")
    _ensure_feature_property_bag(parts, old)


def _ensure_feature_property_bag(parts: dict[str, bytes], old: dict[str, bytes]) -> None:
    """The featurePropertyBag part, its content type and its workbook relationship."""
    name, data = FPB_PART, STANDARD_FPB
    if _WORKBOOK_RELS in old:
        for rel_type, target in _relationships(old, _WORKBOOK_RELS):
            if rel_type == FPB_REL_TYPE and target in old:
                name, data = target, old[target]
    present = [t for r, t in _relationships(parts, _WORKBOOK_RELS) if r == FPB_REL_TYPE]
    if present:
        name = present[0]
    parts.setdefault(name, data)
    _ensure_override(parts, "/" + name, FPB_CONTENT_TYPE)
    if not present:
        rels = parts[_WORKBOOK_RELS].decode("utf-8")
        numbers = [int(n) for n in re.findall(r'\bId="rId(\d+)"', rels)]
        rel_id = f"rId{max(numbers, default=0) + 1}"
        target = posixpath.relpath(name, "xl")
        rel = f'<Relationship Type="{FPB_REL_TYPE}" Target="{escape(target)}" Id="{rel_id}"/>'
        parts[_WORKBOOK_RELS] = rels.replace(
            "</Relationships>", rel + "</Relationships>").encode("utf-8")


def _ensure_override(parts: dict[str, bytes], part_name: str, content_type: str) -> None:
    if part_name in _overrides(parts):
        return
    types = parts[_CONTENT_TYPES].decode("utf-8")
    override = (f'<Override PartName="{escape(part_name)}" '
                f'ContentType="{escape(content_type)}"/>')
    parts[_CONTENT_TYPES] = types.replace("</Types>", override + "</Types>").encode("utf-8")


def atomic_write(target: Path, data: bytes) -> None:
    """Write `data` to a temporary file next to `target`, fsync it, then rename it over
    `target`: a crash or an error leaves the old file or the new one, whole, and no
    temporary file. The file keeps its permissions."""
    target = Path(target)
    if target.exists():
        mode = stat.S_IMODE(target.stat().st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".~{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:  # make the rename itself durable (POSIX; Windows cannot open a folder)
        dir_fd = os.open(target.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
