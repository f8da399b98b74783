"""The cell formats of `xl/styles.xml`: read them, and add the few a run sets.

A cell's `s` is an index into `<cellXfs>`. Giving cells a number format they lack
means a format (xf) like theirs but for its number format: found among the existing
ones, else appended at the end, so that every index already used in a sheet keeps
its meaning. The rest of styles.xml is left as it is; the part is rewritten only if
a format was added.

Excel 365 cell checkboxes are a format too: an xf whose `<extLst>` holds an
`xfComplement` pointing into the featurePropertyBag part. The caller may name the
number format that marks its checkbox cells (`checkbox_format`): a format added with
that number format gets the extension (and the part if the file had none), one added
with another number format loses it.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from lxml import etree

from .values import BUILTIN_FORMATS, BUILTIN_IDS

if TYPE_CHECKING:
    from .package import Package

STYLES = "xl/styles.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
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
FIRST_CUSTOM_FORMAT = 164


def _q(tag: str) -> str:
    return f"{{{MAIN}}}{tag}"


class Styles:
    """The workbook's cell formats, parsed on first use."""

    def __init__(self, package: Package, checkbox_format: str | None = None) -> None:
        self.package = package
        self.checkbox_format = checkbox_format
        self._root: etree._Element | None = None
        self._codes: list[str] = []  # number format code of each xf, by index
        self._quoted: set[int] = set()  # the xfs with quotePrefix: text typed with "'"
        self._made: dict[tuple[int, str | bool], int] = {}  # (xf, format or quote) -> xf

    def _load(self) -> etree._Element:
        if self._root is None:
            self._root = etree.fromstring(self.package.read(STYLES))
            formats = self._formats()
            self._codes = [formats.get(int(xf.get("numFmtId", "0")), "General")
                           for xf in self._xfs()]
            self._quoted = {index for index, xf in enumerate(self._xfs())
                            if xf.get("quotePrefix") in ("1", "true")}
        return self._root

    def _formats(self) -> dict[int, str]:
        formats = dict(BUILTIN_FORMATS)
        for fmt in self._root.iter(_q("numFmt")):
            formats[int(fmt.get("numFmtId"))] = fmt.get("formatCode", "")
        return formats

    def _xfs(self) -> list[etree._Element]:
        cell_xfs = self._root.find(_q("cellXfs"))
        return [] if cell_xfs is None else list(cell_xfs.iterchildren(_q("xf")))

    def format_code(self, style: int) -> str:
        """The number format of the cells of format `style` ("General" when unknown)."""
        self._load()
        return self._codes[style] if 0 <= style < len(self._codes) else "General"

    def with_format(self, style: int, code: str) -> int:
        """The format like `style` but for its number format `code`."""
        if self.format_code(style) == code and not self._checkbox_change(style, code):
            return style
        key = (style, code)
        if key not in self._made:
            self._made[key] = self._find_or_add(style, code, None)
        return self._made[key]

    def quoted(self) -> set[int]:
        """The formats whose cells hold text typed with Excel's leading apostrophe."""
        self._load()
        return self._quoted

    def with_quote_prefix(self, style: int, on: bool) -> int:
        """The format like `style` with (or without) `quotePrefix`: Excel's mark of a
        text typed with a leading apostrophe, which Excel and LibreOffice keep as text.
        Found once per format for the run: a table's text cells, most of its cells,
        each ask for it."""
        key = (style, on)
        found = self._made.get(key)
        if found is None:
            found = self._made[key] = (
                style if (style in self.quoted()) == on
                else self._find_or_add(style, self.format_code(style), on))
        return found

    def _checkbox_change(self, style: int, code: str) -> bool:
        """A checkbox format whose xf lacks the extension (or the other way round)."""
        if self.checkbox_format is None or not 0 <= style < len(self._codes):
            return False
        return _complement(self._xfs()[style]) is None and code == self.checkbox_format

    def _find_or_add(self, style: int, code: str, quote_prefix: bool | None) -> int:
        """An xf like `style` with number format `code` (and quotePrefix set or taken
        away, unless None): an equal one if there is, else a new one."""
        root = self._load()
        xfs = self._xfs()
        base = xfs[style] if 0 <= style < len(xfs) else xfs[0]
        wanted = copy.deepcopy(base)
        if quote_prefix is None:
            wanted.set("numFmtId", str(self._format_id(code)))
            wanted.set("applyNumberFormat", "1")
        elif quote_prefix:
            wanted.set("quotePrefix", "1")
        else:
            wanted.attrib.pop("quotePrefix", None)
        if self.checkbox_format is not None:
            self._set_checkbox(wanted, code == self.checkbox_format)
        key = etree.tostring(wanted, method="c14n")
        for index, xf in enumerate(xfs):
            if etree.tostring(xf, method="c14n") == key:
                return index
        cell_xfs = root.find(_q("cellXfs"))
        cell_xfs.append(wanted)
        cell_xfs.set("count", str(len(xfs) + 1))
        self._codes.append(code)
        if wanted.get("quotePrefix") in ("1", "true"):
            self._quoted.add(len(xfs))
        self.package.mark(STYLES, root)
        return len(xfs)

    def _format_id(self, code: str) -> int:
        if code in BUILTIN_IDS:
            return BUILTIN_IDS[code]
        root = self._root
        formats = root.find(_q("numFmts"))
        if formats is None:
            formats = etree.Element(_q("numFmts"))
            root.insert(0, formats)
        ids = [int(f.get("numFmtId")) for f in formats.iterchildren(_q("numFmt"))]
        for fmt in formats.iterchildren(_q("numFmt")):
            if fmt.get("formatCode") == code:
                return int(fmt.get("numFmtId"))
        new_id = max([FIRST_CUSTOM_FORMAT - 1, *ids]) + 1
        etree.SubElement(formats, _q("numFmt"), numFmtId=str(new_id), formatCode=code)
        formats.set("count", str(len(ids) + 1))
        return new_id

    def _set_checkbox(self, xf: etree._Element, wanted: bool) -> None:
        """Give the xf the checkbox extension, or take it away."""
        present = _complement(xf)
        if present is not None and not wanted:
            ext = present.getparent()
            ext_list = ext.getparent()
            ext_list.remove(ext)
            if not len(ext_list):
                xf.remove(ext_list)
        elif present is None and wanted:
            ext_list = xf.find(_q("extLst"))
            if ext_list is None:
                ext_list = etree.SubElement(xf, _q("extLst"))
            ext = etree.SubElement(ext_list, _q("ext"), uri=XF_EXT_URI, nsmap={"xfpb": XFPB_NS})
            etree.SubElement(ext, f"{{{XFPB_NS}}}xfComplement", i=self._complement_index())
            self.package.ensure_part(FPB_PART, STANDARD_FPB, FPB_CONTENT_TYPE, FPB_REL_TYPE)

    def _complement_index(self) -> str:
        for xf in self._xfs():
            found = _complement(xf)
            if found is not None:
                return found.get("i", "0")
        return "0"


def _complement(xf: etree._Element) -> etree._Element | None:
    return xf.find(f"{_q('extLst')}/{_q('ext')}/{{{XFPB_NS}}}xfComplement")
