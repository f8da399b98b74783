"""A checker of a saved .xlsx/.xlsm package against the rules whose breach makes Excel
offer to repair the file (issue 24 §4). Small on purpose: lxml and zipfile only.

`check(path, original=None)` returns the breaches found, each naming its rule, its
part and what is wrong; an empty list is a file Excel opens as it is. `original`: the
file before the command, whose VBA project must come through byte for byte.

Rules (the names the breaches carry, listed in docs/robustness.md):
  well-formed       every XML part parses
  content-types     every part has a content type, the workbook's parts their own
                    (not plain application/xml); every override names a part
  relationships     every internal relationship points at a part of the package
  row-order         rows in increasing order, each row's cells in increasing columns,
                    each cell's reference in its own row
  dimension         the sheet's <dimension> covers every cell holding a value
  cell-types        each cell's value fits its type (t="n" a number, "b" 0/1, "e" an
                    error, "s" an index, "inlineStr" an <is>)
  shared-strings    every t="s" index is in sharedStrings.xml
  styles            every s= (cells, rows, columns) is in styles.xml's cellXfs
  shared-formulas   every shared formula cell has its master (same si, with a ref
                    that covers it) in the same sheet
  calc-chain        every calcChain entry is a formula cell of an existing sheet
  tables            each table's ref is on its sheet, as many columns as its width,
                    names unique and equal to its header cells, its autoFilter inside
  defined-names     no name twice in one scope, local names on an existing sheet,
                    sheet references to existing sheets
  vba               xl/vbaProject.bin byte for byte the original's
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from typing import NamedTuple

from lxml import etree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
          "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!",
          "#BUSY!", "#UNKNOWN!", "#PYTHON!"}
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
_SHEET_REF = re.compile(r"(?:'((?:[^']|'')+)'|([A-Za-z_\u00c0-\uffff][\w.\u00c0-\uffff]*))!")


class Breach(NamedTuple):
    rule: str
    part: str
    detail: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.part}: {self.detail}"


def _q(tag: str, ns: str = MAIN) -> str:
    return f"{{{ns}}}{tag}"


def cell_ref(text: str) -> tuple[int, int]:
    """"C12" -> (12, 3)."""
    found = _REF.match(text.replace("$", ""))
    if not found:
        raise ValueError(text)
    column = 0
    for ch in found.group(1):
        column = column * 26 + ord(ch) - 64
    return int(found.group(2)), column


def area(text: str) -> tuple[int, int, int, int]:
    first, _, last = text.partition(":")
    (r1, c1), (r2, c2) = cell_ref(first), cell_ref(last or first)
    return r1, c1, r2, c2


def _inside(row: int, column: int, box: tuple[int, int, int, int]) -> bool:
    return box[0] <= row <= box[2] and box[1] <= column <= box[3]


class Package:
    """The parts of a zip, parsed on demand."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as z:
            self.data = {name: z.read(name) for name in z.namelist() if not name.endswith("/")}
        self.trees: dict[str, etree._Element] = {}
        self.breaches: list[Breach] = []

    def tree(self, name: str) -> etree._Element | None:
        if name not in self.trees:
            try:
                self.trees[name] = etree.fromstring(self.data[name])
            except (KeyError, etree.XMLSyntaxError):
                self.trees[name] = None
        return self.trees[name]

    def rels(self, part: str) -> list[tuple[str, str, str]]:
        """(id, type, target part) of a part's internal relationships."""
        folder, name = posixpath.split(part)
        rels = self.tree(posixpath.join(folder, "_rels", name + ".rels"))
        found = []
        for rel in rels if rels is not None else []:
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(folder, target))
            found.append((rel.get("Id", ""), rel.get("Type", ""), path))
        return found

    def add(self, rule: str, part: str, detail: str) -> None:
        self.breaches.append(Breach(rule, part, detail))


def check(path: Path, original: Path | None = None) -> list[Breach]:
    pkg = Package(Path(path))
    _well_formed(pkg)
    _content_types(pkg)
    _relationships(pkg)
    sheets = _sheets(pkg)
    strings = _shared_strings(pkg)
    xfs = _style_count(pkg)
    for name, part in sheets:
        _sheet(pkg, name, part, strings, xfs)
    _calc_chain(pkg, sheets)
    _defined_names(pkg, [name for name, _ in sheets])
    if original is not None:
        _vba(pkg, Path(original))
    return pkg.breaches


def _well_formed(pkg: Package) -> None:
    for name in pkg.data:
        if name.endswith((".xml", ".rels", ".vml")) and pkg.tree(name) is None:
            pkg.add("well-formed", name, "not well-formed XML")


def _content_types(pkg: Package) -> None:
    types = pkg.tree("[Content_Types].xml")
    if types is None:
        pkg.add("content-types", "[Content_Types].xml", "missing")
        return
    defaults = {d.get("Extension", "").lower() for d in types.iter(_q("Default", CT))}
    overrides = {o.get("PartName", "").lstrip("/") for o in types.iter(_q("Override", CT))}
    for name in overrides - pkg.data.keys():
        pkg.add("content-types", name, "override for a part the package does not hold")
    generic = {d.get("Extension", "").lower() for d in types.iter(_q("Default", CT))
               if d.get("ContentType") == "application/xml"}
    read_by_type = {target for source in pkg.data for _, _, target in pkg.rels(source)
                    if target.startswith("xl/")} | {"xl/workbook.xml"}
    for name in pkg.data:
        if name == "[Content_Types].xml" or name in overrides:
            continue
        extension = name.rsplit(".", 1)[-1].lower()
        if extension not in defaults:
            pkg.add("content-types", name, "no content type")
        elif extension in generic and name in read_by_type:
            pkg.add("content-types", name, "plain application/xml for a part Excel reads "
                                           "by its own type")


def _relationships(pkg: Package) -> None:
    for name in pkg.data:
        if not name.endswith(".rels"):
            continue
        folder = posixpath.dirname(posixpath.dirname(name))
        source = posixpath.join(folder, posixpath.basename(name)[:-len(".rels")])
        for rel_id, _, target in pkg.rels(source if source != "" else ""):
            if target not in pkg.data:
                pkg.add("relationships", name, f"{rel_id} points at {target}, absent")


def _sheets(pkg: Package) -> list[tuple[str, str]]:
    book = pkg.tree("xl/workbook.xml")
    if book is None:
        return []
    targets = {rel_id: part for rel_id, _, part in pkg.rels("xl/workbook.xml")}
    return [(s.get("name", ""), targets.get(s.get(_q("id", REL)), ""))
            for s in book.iter(_q("sheet"))]


def _shared_strings(pkg: Package) -> list[str]:
    for _, rel_type, part in pkg.rels("xl/workbook.xml"):
        if rel_type.endswith("/sharedStrings"):
            root = pkg.tree(part)
            return ["".join(si.itertext()) for si in root.iter(_q("si"))] if root is not None \
                else []
    return []


def _style_count(pkg: Package) -> float:
    """How many cell formats styles.xml holds (infinite when it cannot be read: that
    breach is well-formed's, not every cell's)."""
    for _, rel_type, part in pkg.rels("xl/workbook.xml"):
        if rel_type.endswith("/styles"):
            root = pkg.tree(part)
            if root is None:
                return float("inf")
            xfs = root.find(_q("cellXfs"))
            return len(xfs) if xfs is not None else 0
    return 0


def _sheet(pkg: Package, name: str, part: str, strings: list[str], xfs: float) -> None:
    root = pkg.tree(part)
    if root is None:
        return
    cells: dict[tuple[int, int], str] = {}  # the cells' shown text, for the tables
    formulas: set[tuple[int, int]] = set()
    masters: dict[str, tuple[int, int, int, int]] = {}
    children: list[tuple[str, int, int]] = []
    extent = None
    last_row = 0
    for row in root.iter(_q("row")):
        number = int(row.get("r", last_row + 1))
        if number <= last_row:
            pkg.add("row-order", part, f"row {number} after row {last_row}")
        last_row = number
        if row.get("s") is not None and int(row.get("s")) >= xfs:
            pkg.add("styles", part, f"row {number}: style {row.get('s')} of {xfs}")
        last_column = 0
        for c in row.iter(_q("c")):
            ref = c.get("r")
            r, column = cell_ref(ref) if ref else (number, last_column + 1)
            if r != number:
                pkg.add("row-order", part, f"cell {ref} in row {number}")
            if column <= last_column:
                pkg.add("row-order", part, f"cell {ref} after column {last_column}")
            last_column = column
            text = _cell(pkg, part, c, ref or f"R{r}C{column}", strings, xfs)
            if text is not None:
                cells[(r, column)] = text
                extent = (r, column, r, column) if extent is None else (
                    min(extent[0], r), min(extent[1], column), max(extent[2], r),
                    max(extent[3], column))
            f = c.find(_q("f"))
            if f is not None:
                formulas.add((r, column))
                if f.get("t") == "shared":
                    if f.get("ref"):
                        masters[f.get("si", "")] = area(f.get("ref"))
                    else:
                        children.append((f.get("si", ""), r, column))
    for si, r, column in children:
        box = masters.get(si)
        if box is None or not _inside(r, column, box):
            pkg.add("shared-formulas", part, f"cell R{r}C{column}: shared formula {si} "
                                              "without its master")
    _columns_styles(pkg, part, root, xfs)
    dimension = root.find(_q("dimension"))
    if extent is not None and dimension is not None:
        box = area(dimension.get("ref", "A1"))
        if not (_inside(extent[0], extent[1], box) and _inside(extent[2], extent[3], box)):
            pkg.add("dimension", part, f"dimension {dimension.get('ref')} leaves out cells "
                                       f"R{extent[0]}C{extent[1]}:R{extent[2]}C{extent[3]}")
    pkg.formulas = getattr(pkg, "formulas", {})
    pkg.formulas[name] = formulas
    _tables(pkg, part, cells)


def _cell(pkg: Package, part: str, c: etree._Element, ref: str, strings: list[str],
          xfs: float) -> str | None:
    """The cell's text (None when it holds nothing); its type and style checked."""
    kind, style = c.get("t", "n"), c.get("s")
    if style is not None and int(style) >= xfs:
        pkg.add("styles", part, f"{ref}: style {style} of {xfs}")
    v = c.find(_q("v"))
    value = v.text if v is not None else None
    if kind == "inlineStr":
        inline = c.find(_q("is"))
        if inline is None:
            pkg.add("cell-types", part, f"{ref}: inline string without <is>")
            return None
        return "".join(inline.itertext())
    if value is None:
        return "" if c.find(_q("f")) is not None else None
    if kind == "s":
        if not value.isdigit() or int(value) >= len(strings):
            pkg.add("shared-strings", part, f"{ref}: string {value} of {len(strings)}")
            return None
        return strings[int(value)]
    if kind == "n":
        try:
            float(value)
        except ValueError:
            pkg.add("cell-types", part, f"{ref}: number cell holding {value!r}")
    elif kind == "b" and value not in ("0", "1"):
        pkg.add("cell-types", part, f"{ref}: boolean cell holding {value!r}")
    elif kind == "e" and value not in ERRORS:
        pkg.add("cell-types", part, f"{ref}: error cell holding {value!r}")
    elif kind not in ("n", "b", "e", "str", "d"):
        pkg.add("cell-types", part, f"{ref}: unknown type {kind!r}")
    return value


def _columns_styles(pkg: Package, part: str, root: etree._Element, xfs: float) -> None:
    for col in root.iter(_q("col")):
        if col.get("style") is not None and int(col.get("style")) >= xfs:
            pkg.add("styles", part, f"columns {col.get('min')}-{col.get('max')}: style "
                                    f"{col.get('style')} of {xfs}")


def _tables(pkg: Package, part: str, cells: dict[tuple[int, int], str]) -> None:
    for _, rel_type, table_part in pkg.rels(part):
        if not rel_type.endswith("/table"):
            continue
        table = pkg.tree(table_part)
        if table is None:
            continue
        r1, c1, r2, c2 = area(table.get("ref", "A1"))
        columns = table.find(_q("tableColumns"))
        names = [c.get("name", "") for c in (columns if columns is not None else [])]
        where = f"{table_part} ({table.get('displayName')})"
        if len(names) != c2 - c1 + 1:
            pkg.add("tables", where, f"{len(names)} columns for a ref {c2 - c1 + 1} wide")
        if len({n.lower() for n in names}) != len(names):
            pkg.add("tables", where, f"column names repeat: {names}")
        if table.get("headerRowCount", "1") != "0":
            for offset, wanted in enumerate(names):
                shown = cells.get((r1, c1 + offset), "")
                if shown != wanted:
                    pkg.add("tables", where, f"column {wanted!r} over a header cell "
                                             f"holding {shown!r}")
        auto = table.find(_q("autoFilter"))
        if auto is not None:
            a1, b1, a2, b2 = area(auto.get("ref", "A1"))
            if not (_inside(a1, b1, (r1, c1, r2, c2)) and _inside(a2, b2, (r1, c1, r2, c2))):
                pkg.add("tables", where, f"autoFilter {auto.get('ref')} outside the table")


def _calc_chain(pkg: Package, sheets: list[tuple[str, str]]) -> None:
    chain = next((part for _, t, part in pkg.rels("xl/workbook.xml")
                  if t.endswith("/calcChain")), None)
    root = pkg.tree(chain) if chain else None
    if root is None:
        return
    book = pkg.tree("xl/workbook.xml")
    by_id = {s.get("sheetId"): s.get("name") for s in book.iter(_q("sheet"))}
    formulas = getattr(pkg, "formulas", {})
    sheet_id = None
    for c in root.iter(_q("c")):
        sheet_id = c.get("i", sheet_id)
        name = by_id.get(sheet_id)
        if name is None:
            pkg.add("calc-chain", chain, f"{c.get('r')} on sheet id {sheet_id}, absent")
        elif cell_ref(c.get("r", "A1")) not in formulas.get(name, set()):
            pkg.add("calc-chain", chain, f"{name}!{c.get('r')} holds no formula")


def _defined_names(pkg: Package, sheet_names: list[str]) -> None:
    book = pkg.tree("xl/workbook.xml")
    names = book.find(_q("definedNames")) if book is not None else None
    seen: set[tuple[str, str | None]] = set()
    known = {name.lower() for name in sheet_names}
    for defined in names if names is not None else []:
        name, local = defined.get("name", ""), defined.get("localSheetId")
        key = (name.lower(), local)
        if key in seen:
            pkg.add("defined-names", "xl/workbook.xml", f"{name} twice in one scope")
        seen.add(key)
        if local is not None and not int(local) < len(sheet_names):
            pkg.add("defined-names", "xl/workbook.xml", f"{name}: sheet {local} absent")
        text = re.sub(r'"[^"]*"', "", defined.text or "")
        for quoted, plain in _SHEET_REF.findall(text):
            sheet = (quoted.replace("''", "'") if quoted else plain).lower()
            if sheet not in known:
                pkg.add("defined-names", "xl/workbook.xml", f"{name}: sheet {sheet!r} absent")


def _vba(pkg: Package, original: Path) -> None:
    with zipfile.ZipFile(original) as z:
        before = z.read("xl/vbaProject.bin") if "xl/vbaProject.bin" in z.namelist() else None
    if before != pkg.data.get("xl/vbaProject.bin"):
        pkg.add("vba", "xl/vbaProject.bin", "the VBA project changed")
