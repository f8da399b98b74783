"""`xl/workbook.xml`: the sheets (name, part, shown or hidden), the active tab, the
defined names; and the Excel tables each sheet holds.

Each change edits the parsed part in place and marks it for the save; a workbook
whose sheets are only read or filled keeps its workbook.xml as it was, except that
Excel is told to recalculate on opening once any cell changed (the formulas' stored
results are the old cells').
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from .package import DOC_REL_NS, WORKBOOK, Package
from .styles import MAIN

WORKSHEET_TYPE = DOC_REL_NS + "/worksheet"
WORKSHEET_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
TABLE_TYPE = DOC_REL_NS + "/table"
CALC_CHAIN_TYPE = DOC_REL_NS + "/calcChain"
EMPTY_SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<worksheet xmlns="{MAIN}" xmlns:r="{DOC_REL_NS}"><dimension ref="A1"/>'
    '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
    '<sheetFormatPr defaultRowHeight="15"/><sheetData/>'
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
    "</worksheet>"
).encode()
_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!(\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)$")


def _q(tag: str) -> str:
    return f"{{{MAIN}}}{tag}"


@dataclass
class SheetEntry:
    """One `<sheet>` of workbook.xml and the part holding its cells."""

    element: etree._Element
    part: str

    @property
    def name(self) -> str:
        return self.element.get("name", "")

    @property
    def hidden(self) -> bool:
        return self.element.get("state", "visible") != "visible"


@dataclass
class TableEntry:
    """One Excel table (ListObject): its part and parsed root."""

    part: str
    root: etree._Element

    @property
    def name(self) -> str:
        return self.root.get("name", "")

    @property
    def display_name(self) -> str:
        return self.root.get("displayName", self.name)

    @property
    def ref(self) -> str:
        return self.root.get("ref", "")

    @property
    def header_rows(self) -> int:
        return int(self.root.get("headerRowCount", "1"))

    @property
    def totals_rows(self) -> int:
        return int(self.root.get("totalsRowCount", "0"))


class Workbook:
    """The sheet list and names of `xl/workbook.xml`, edited through the package."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self.root = package.tree(WORKBOOK)
        targets = {rel_id: part for rel_id, _, part in package.relationships(WORKBOOK)}
        self.sheets = [SheetEntry(el, targets.get(el.get(f"{{{DOC_REL_NS}}}id"), ""))
                       for el in self._sheets_element().iterchildren(_q("sheet"))]

    def _sheets_element(self) -> etree._Element:
        return self.root.find(_q("sheets"))

    def _changed(self) -> None:
        self.package.mark(WORKBOOK, self.root)

    # --- the active tab -------------------------------------------------------------

    def _view(self) -> etree._Element | None:
        return self.root.find(f"{_q('bookViews')}/{_q('workbookView')}")

    @property
    def active(self) -> int:
        view = self._view()
        index = int(view.get("activeTab", "0")) if view is not None else 0
        return index if 0 <= index < len(self.sheets) else 0

    def set_active(self, index: int) -> None:
        view = self._view()
        if view is None:
            views = self.root.find(_q("bookViews"))
            if views is None:
                views = etree.Element(_q("bookViews"))
                self._sheets_element().addprevious(views)
            view = etree.SubElement(views, _q("workbookView"))
        view.set("activeTab", str(index))
        if int(view.get("firstSheet", "0")) > index:
            view.set("firstSheet", str(index))
        self._changed()

    # --- sheets -----------------------------------------------------------------

    def add_sheet(self, name: str, index: int) -> SheetEntry:
        """A new empty sheet at position `index` (0-based); its part is written now."""
        taken = {s.part for s in self.sheets}
        number = len(self.sheets) + 1
        while f"xl/worksheets/sheet{number}.xml" in taken or self.package.has(
                f"xl/worksheets/sheet{number}.xml"):
            number += 1
        part = f"xl/worksheets/sheet{number}.xml"
        self.package.write(part, EMPTY_SHEET)
        self.package.set_content_type(part, WORKSHEET_CONTENT)
        rel_id = self.package.add_relationship(WORKBOOK, WORKSHEET_TYPE, part)
        ids = [int(s.element.get("sheetId", "0")) for s in self.sheets]
        element = etree.Element(_q("sheet"), name=name, sheetId=str(max(ids, default=0) + 1))
        element.set(f"{{{DOC_REL_NS}}}id", rel_id)
        if index < len(self.sheets):
            self.sheets[index].element.addprevious(element)
        else:
            self._sheets_element().append(element)
        entry = SheetEntry(element, part)
        self.sheets.insert(index, entry)
        self._shift_local_names(index, +1)
        if self.active >= index and len(self.sheets) > 1:
            self.set_active(self.active + 1)
        self._changed()
        return entry

    def delete_sheet(self, entry: SheetEntry) -> None:
        index = self.sheets.index(entry)
        self._sheets_element().remove(entry.element)
        rel_id = entry.element.get(f"{{{DOC_REL_NS}}}id")
        self.package.remove_relationship(WORKBOOK, rel_id)
        self.package.set_content_type(entry.part, None)
        self.package.remove(entry.part)
        self.sheets.remove(entry)
        names = self.root.find(_q("definedNames"))
        for defined in list(names) if names is not None else []:
            if defined.get("localSheetId") == str(index):
                names.remove(defined)
        self._shift_local_names(index + 1, -1)
        if self.active >= len(self.sheets) or self.active > index:
            self.set_active(max(0, self.active - 1))
        self._changed()

    def rename(self, entry: SheetEntry, name: str) -> None:
        entry.element.set("name", name)
        self._changed()

    def set_hidden(self, entry: SheetEntry, hidden: bool) -> None:
        if hidden:
            entry.element.set("state", "hidden")
        elif "state" in entry.element.attrib:
            del entry.element.attrib["state"]
        self._changed()

    def _shift_local_names(self, start: int, step: int) -> None:
        names = self.root.find(_q("definedNames"))
        for defined in names if names is not None else []:
            local = defined.get("localSheetId")
            if local is not None and int(local) >= start:
                defined.set("localSheetId", str(int(local) + step))

    # --- names, recalculation -------------------------------------------------------

    def name_destinations(self, name: str, sheet_index: int) -> list[tuple[str, str]]:
        """(sheet, A1 range) a defined name stands for: the sheet's own name first,
        then the workbook's; a name that is not a plain range has none."""
        names = self.root.find(_q("definedNames"))
        found: dict[str | None, str] = {}
        for defined in names if names is not None else []:
            if defined.get("name", "").lower() == name.lower():
                found[defined.get("localSheetId")] = defined.text or ""
        text = found.get(str(sheet_index), found.get(None))
        if text is None:
            return []
        places = []
        for part in text.split(","):
            match = _REF.match(part.strip())
            if match:
                sheet = (match.group(1) or "").replace("''", "'") or match.group(2)
                places.append((sheet, match.group(3).replace("$", "")))
        return places

    def cells_changed(self) -> None:
        """Cells changed: Excel recalculates on opening, and forgets its calculation
        chain (it lists formula cells that may be gone; Excel rebuilds it)."""
        calc = self.root.find(_q("calcPr"))
        if calc is None:  # its place: after the last of these the workbook has
            calc = etree.Element(_q("calcPr"))
            before = [self.root.find(_q(tag)) for tag in
                      ("sheets", "functionGroups", "externalReferences", "definedNames")]
            [found for found in before if found is not None][-1].addnext(calc)
        if calc.get("fullCalcOnLoad") != "1":
            calc.set("fullCalcOnLoad", "1")
            self._changed()
        for rel_id, rel_type, part in self.package.relationships(WORKBOOK):
            if rel_type == CALC_CHAIN_TYPE:
                self.package.remove_relationship(WORKBOOK, rel_id)
                self.package.set_content_type(part, None)
                self.package.remove(part)

    # --- tables -----------------------------------------------------------------------

    def tables(self, entry: SheetEntry) -> list[TableEntry]:
        return [TableEntry(part, self.package.tree(part))
                for _, rel_type, part in self.package.relationships(entry.part)
                if rel_type == TABLE_TYPE and self.package.has(part)]

    def column_names(self, table: TableEntry) -> list[str]:
        columns = table.root.find(_q("tableColumns"))
        return [c.get("name", "") for c in (columns if columns is not None else [])]

    def rename_columns(self, table: TableEntry, names: list[str]) -> None:
        """The table's column names, as its header cells now read (see `app`)."""
        columns = table.root.find(_q("tableColumns"))
        for column, name in zip(columns, names, strict=True):
            column.set("name", name)
        self.package.mark(table.part, table.root)

    def resize_table(self, table: TableEntry, ref: str) -> None:
        if table.ref == ref:
            return
        table.root.set("ref", ref)
        auto_filter = table.root.find(_q("autoFilter"))
        if auto_filter is not None:
            auto_filter.set("ref", ref)
        self.package.mark(table.part, table.root)
