"""A worksheet part as bytes: where its rows lie, the cells of a row, and the part
written again with some rows replaced.

Rows that did not change are copied as they were, byte for byte; only the rows a
run changed are written anew, from their cells. What surrounds the cells (columns,
panes, validations, drawings, buttons, table parts...) is copied as it was, except
the used-range hint `<dimension>` and the sheet tab's selection when they change.

Reading is done with regular expressions over the bytes rather than an XML parser:
rows and cells are flat, their attributes never hold ">", and a cell's content never
holds its own end tag. The sheet's namespace prefix (usually none) is honoured.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from operator import itemgetter
from typing import Any

from .values import CellError

GRID = object()  # a cell's value is the file's: ask the value reader
_ATTRIBUTE = re.compile(rb'([\w:.-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_CELL_REF = re.compile(rb"([A-Z]{1,3})(\d+)")
_COLUMN_NUMBERS: dict[bytes, int] = {}
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPE_LIKE = re.compile("_(x[0-9A-Fa-f]{4}_)")
_TO_ESCAPE = re.compile(  # what `escape` changes: markup, what XML cannot hold, "_x0041_"
    "[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]|_x[0-9A-Fa-f]{4}_")


class Cell(tuple):
    """A cell as a run leaves it: Cell((style, value, kind, text)).

    style: its format (index into styles.xml's cellXfs). kind: "raw" (the element
    copied from the file: `text` is all of it after the r and s attributes), ""
    (empty), "n" (number, `text` as the file writes it), "b" (boolean), "s" (text),
    "f" (formula, `text` without "="), "e" (error). value: what a read gives (GRID:
    the file's value at the cell's own place).

    A plain tuple underneath, made by tuple's own constructor: a run may make a
    million of them.
    """

    __slots__ = ()
    style: int = property(itemgetter(0))  # type: ignore[assignment]
    value: Any = property(itemgetter(1))  # type: ignore[assignment]
    kind: str = property(itemgetter(2))  # type: ignore[assignment]
    text: Any = property(itemgetter(3))  # type: ignore[assignment]

    def restyled(self, style: int) -> Cell:
        return Cell((style, self[1], self[2], self[3]))


def column_number(letters: bytes | str) -> int:
    number = 0
    for ch in letters.encode() if isinstance(letters, str) else letters:
        number = number * 26 + ch - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def escape(text: str) -> str:
    """Text for an element's content: XML-escaped, with the characters XML cannot hold
    written as Excel does (`_x0001_`, and a literal `_x0041_` as `_x005F_x0041_`)."""
    if (text.isprintable() and "&" not in text and "<" not in text and ">" not in text
            and "_x" not in text) or _TO_ESCAPE.search(text) is None:
        return text  # most text (French text too: "1 234,56 €" is not "printable")
    text = _ESCAPE_LIKE.sub(r"_x005F_\1", text)
    text = _ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # surrogates: pairs joined, a lone one replaced
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def _unescape(text: bytes) -> str:
    return (text.decode("utf-8").replace("&lt;", "<").replace("&gt;", ">")
            .replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&"))


class SheetXml:
    """One worksheet part: its rows found on demand, rows rendered back at save."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        found = re.search(rb"<(?:([\w.-]+):)?worksheet\b", data)
        self.p = found.group(1) + b":" if found and found.group(1) else b""
        p = re.escape(self.p)
        self._cell_re = re.compile(rb"<%sc\b([^>]*?)(/>|>(.*?)</%sc>)" % (p, p), re.S)
        self._usual_cell_re = re.compile(  # r first, s next if there is one, as Excel writes
            rb'<%sc r="([A-Z]{1,3})\d+"(?: s="(\d+)")?'
            rb'((?:\s+(?![rs]=)[\w:]+="[^"]*")*)\s*(/>|>.*?</%sc>)' % (p, p), re.S)
        self._cell_start = b"<%sc " % self.p
        self._formula_re = re.compile(rb"<%sf\b([^>]*?)(?:/>|>(.*?)</%sf>)" % (p, p), re.S)
        start = data.find(b"<%ssheetData" % self.p)
        if start < 0:
            raise ValueError("worksheet without sheetData")
        tag_end = data.index(b">", start)
        self.head_end = start
        if data[tag_end - 1:tag_end] == b"/":
            self.body_start = self.body_end = tag_end + 1
            self.tail_start = tag_end + 1
        else:
            self.body_start = tag_end + 1
            self.body_end = data.index(b"</%ssheetData>" % self.p, self.body_start)
            self.tail_start = self.body_end + len(b"</%ssheetData>" % self.p)
        self._rows: dict[int, tuple[int, int]] | None = None
        self._cells: dict[int, dict[int, Cell]] = {}
        self._row_attrs: dict[int, list[tuple[bytes, bytes]]] = {}
        self._extents: dict[int, tuple[int, int] | None] = {}
        self._masters: dict[str, tuple[tuple[int, int], str]] | None = None

    # --- rows -------------------------------------------------------------------

    def rows(self) -> dict[int, tuple[int, int]]:
        """Row number -> (start, end) of its element, in the order of the file."""
        if self._rows is None:
            self._rows = self._index_rows()
        return self._rows

    def _index_rows(self) -> dict[int, tuple[int, int]]:
        pattern = re.compile(rb"<%srow\b" % re.escape(self.p))
        starts = [m.start() for m in pattern.finditer(self.data, self.body_start,
                                                      self.body_end)]
        rows: dict[int, tuple[int, int]] = {}
        number = 0
        ends = [*starts[1:], self.body_end][:len(starts)]
        for start, end in zip(starts, ends, strict=True):
            tag_end = self.data.index(b">", start)
            found = re.search(rb'\sr="(\d+)"', self.data[start:tag_end])
            number = int(found.group(1)) if found else number + 1
            rows[number] = (start, end)
        return rows

    def row_attributes(self, row: int) -> list[tuple[bytes, bytes]]:
        """The row element's attributes (r and spans left out)."""
        if row not in self._row_attrs:
            span = self.rows().get(row)
            attrs = []
            if span is not None:
                tag = self.data[span[0]:self.data.index(b">", span[0])]
                for name, double, single in _ATTRIBUTE.findall(tag):
                    if name not in (b"r", b"spans"):
                        attrs.append((name, double if double or not single else single))
            self._row_attrs[row] = attrs
        return self._row_attrs[row]

    def row_style(self, row: int) -> int | None:
        """The style a row gives its new cells (Excel: only with customFormat)."""
        attrs = dict(self.row_attributes(row))
        if attrs.get(b"customFormat") in (b"1", b"true") and b"s" in attrs:
            return int(attrs[b"s"])
        return None

    def cells(self, row: int) -> dict[int, Cell]:
        """The cells of a row as the file has them (column -> Cell)."""
        if row not in self._cells:
            span = self.rows().get(row)
            self._cells[row] = {} if span is None else self._parse_cells(row, *span)
        return self._cells[row]

    def _parse_cells(self, row: int, start: int, end: int) -> dict[int, Cell]:
        found = self._usual_cell_re.findall(self.data, start, end)
        if len(found) == self.data.count(self._cell_start, start, end):
            numbers = _COLUMN_NUMBERS  # every cell as Excel writes them: r first, then s
            cells = {}
            for letters, style, rest, body in found:
                column = numbers.get(letters) or numbers.setdefault(letters,
                                                                    column_number(letters))
                cells[column] = Cell((int(style) if style else 0, GRID, "raw", rest + body))
            return cells
        return self._parse_any_cells(start, end)

    def _parse_any_cells(self, start: int, end: int) -> dict[int, Cell]:
        """Cells with their attributes in any order, or without references."""
        cells: dict[int, Cell] = {}
        column = 0
        for match in self._cell_re.finditer(self.data, start, end):
            style, rest, placed = 0, [], False
            for name, double, single in _ATTRIBUTE.findall(match.group(1)):
                value = double if double or not single else single
                if name == b"r":
                    ref = _CELL_REF.match(value)
                    if ref:
                        column, placed = column_number(ref.group(1)), True
                elif name == b"s":
                    style = int(value)
                else:
                    rest.append(b' %s="%s"' % (name, value))
            if not placed:  # no reference: the cell after the previous one
                column += 1
            cells[column] = Cell((style, GRID, "raw", b"".join(rest) + match.group(2)))
        return cells

    def extent(self, row: int) -> tuple[int, int] | None:
        """First and last column holding a cell in the row as the file has it."""
        if row not in self._extents:
            cells = self.cells(row)
            self._extents[row] = (min(cells), max(cells)) if cells else None
        return self._extents[row]

    def formula(self, cell: Cell) -> tuple[str | None, dict[str, str]]:
        """The formula text of a cell from the file (None if it has none) and the
        attributes of its `<f>` (t="shared", si, ref...)."""
        found = self._formula_re.search(cell.text)
        if found is None:
            return None, {}
        attrs = {name.decode(): (double or single).decode()
                 for name, double, single in _ATTRIBUTE.findall(found.group(1))}
        text = found.group(2)
        return (None if text is None else _unescape(text)), attrs

    def formula_at(self, row: int, column: int, cell: Cell) -> str | None:
        """The formula of a cell from the file, a shared one written out for its place."""
        text, attrs = self.formula(cell)
        if attrs.get("t") == "shared" and "ref" not in attrs:
            master = self._shared_masters().get(attrs.get("si", ""))
            if master is None:
                return None
            (m_row, m_column), master_text = master
            return translate(master_text, (m_row, m_column), (row, column))
        return text or None

    def _shared_masters(self) -> dict[str, tuple[tuple[int, int], str]]:
        """si -> (place, text) of the first cell of each shared formula."""
        if self._masters is None:
            self._masters = {}
            p = re.escape(self.p)
            pattern = re.compile(rb"<%sf\b([^>]*\bref=[^>]*)>([^<]+)</%sf>" % (p, p))
            for match in pattern.finditer(self.data, self.body_start, self.body_end):
                attrs = dict((n, d or s) for n, d, s in _ATTRIBUTE.findall(match.group(1)))
                if attrs.get(b"t") != b"shared":
                    continue
                cell_start = self.data.rfind(b"<%sc " % self.p, 0, match.start())
                ref = re.search(rb'\sr="([A-Z]{1,3})(\d+)"', self.data[cell_start:match.start()])
                if ref:
                    place = (int(ref.group(2)), column_number(ref.group(1)))
                    self._masters[attrs.get(b"si", b"").decode()] = (
                        place, _unescape(match.group(2)))
        return self._masters

    def shared_formula_cells(self) -> dict[tuple[int, int], Cell]:
        """Every cell of a shared formula, its formula written out in full.

        A run that writes into a sheet drops the sharing (as openpyxl did): a shared
        formula's first cell overwritten or cleared would leave the others pointing
        at nothing.
        """
        found: dict[tuple[int, int], Cell] = {}
        if b't="shared"' not in self.data:
            return found
        p = re.escape(self.p)
        f_element = re.compile(rb"<%sf\b[^>]*?(?:/>|>.*?</%sf>)" % (p, p), re.S)
        for row in self.rows():
            for column, cell in self.cells(row).items():
                if self.formula(cell)[1].get("t") != "shared":
                    continue
                full = self.formula_at(row, column, cell)
                if full is None:
                    continue
                plain_formula = b"<%sf>%s</%sf>" % (self.p, escape(full).encode(), self.p)
                body = f_element.sub(lambda _, f=plain_formula: f, cell.text, count=1)
                found[(row, column)] = Cell((cell.style, cell.value, cell.kind, body))
        return found

    # --- writing ------------------------------------------------------------------

    def render(self, edits: dict[int, dict[int, Cell | None]], dimension: str | None,
               selected: bool | None) -> bytes:
        """The part with the edited rows written from their cells, the rest copied."""
        head = self.data[:self.head_end]
        if dimension is not None:
            head = re.sub(rb"(<%sdimension\b[^>]*?\bref=\")[^\"]*(\")" % re.escape(self.p),
                          rb"\g<1>" + dimension.encode() + rb"\g<2>", head, count=1)
        if selected is not None:
            head = self._select(head, selected)
        p = self.p
        out = [head, b"<%ssheetData>" % p]
        if edits:
            out.extend(self._rows_with(edits))
        else:
            out.append(self.data[self.body_start:self.body_end])
        out.append(b"</%ssheetData>" % p)
        out.append(self.data[self.tail_start:])
        return b"".join(out)

    def _select(self, head: bytes, selected: bool) -> bytes:
        pattern = re.compile(rb"<%ssheetView\b[^>]*?/?>" % re.escape(self.p))
        found = pattern.search(head)
        if found is None:
            return head
        tag = re.sub(rb'\stabSelected="[^"]*"', b"", found.group(0))
        if selected:
            name_end = len(b"<%ssheetView" % self.p)
            tag = tag[:name_end] + b' tabSelected="1"' + tag[name_end:]
        return head[:found.start()] + tag + head[found.end():]

    def _rows_with(self, edits: dict[int, dict[int, Cell | None]]) -> Iterable[bytes]:
        rows = self.rows()
        run_start = run_end = None
        for number in sorted(rows.keys() | edits.keys()):
            if number not in edits:
                start, end = rows[number]
                if run_end == start:
                    run_end = end
                else:
                    if run_start is not None:
                        yield self.data[run_start:run_end]
                    run_start, run_end = start, end
                continue
            if run_start is not None:
                yield self.data[run_start:run_end]
                run_start = run_end = None
            yield self._render_row(number, edits[number])
        if run_start is not None:
            yield self.data[run_start:run_end]

    def _render_row(self, number: int, changes: dict[int, Cell | None]) -> bytes:
        if number in self.rows():
            cells = dict(self.cells(number))
            cells.update(changes)
            attrs = "".join(f' {name.decode()}="{value.decode()}"'
                            for name, value in self.row_attributes(number))
        else:
            cells, attrs = changes, ""
        if None in cells.values():
            columns = sorted(column for column, cell in cells.items() if cell is not None)
        else:
            columns = sorted(cells)
        if not columns and not attrs:
            return b""
        row = f'<row r="{number}"{attrs}>{_render_cells(str(number), columns, cells)}</row>'
        return (_prefixed(row, self.p.decode()) if self.p else row).encode()


_REFS: dict[int, str] = {}
_STYLES: dict[int, str] = {0: ""}
_TAG = re.compile(r"<(/?)(row|c|v|is|t|f)\b")


def _render_cells(suffix: str, columns: list[int], cells: dict[int, Cell]) -> str:
    """The XML of one row's cells (`suffix`: the row's number), in column order.

    Strings are made with f-strings and encoded once per row: three times quicker
    than formatting bytes cell by cell, on a run that may write a million cells.
    """
    refs, styles, parts = _REFS, _STYLES, []
    append = parts.append
    for column in columns:
        style, value, kind, content = cells[column]
        ref = refs.get(column)
        if ref is None:
            ref = refs[column] = column_letters(column)
        shown = styles.get(style)
        if shown is None:
            shown = styles[style] = f' s="{style}"'
        if kind == "s":
            space = ' xml:space="preserve"' if content[0].isspace() or content[-1].isspace() \
                else ""
            append(f'<c r="{ref}{suffix}"{shown} t="inlineStr"><is><t{space}>'
                   f"{escape(content)}</t></is></c>")
        elif kind == "n":
            append(f'<c r="{ref}{suffix}"{shown}><v>{content}</v></c>')
        elif kind == "raw":
            append(f'<c r="{ref}{suffix}"{shown}{content.decode()}')
        elif kind == "":
            append(f'<c r="{ref}{suffix}"{shown}/>')
        elif kind == "b":
            append(f'<c r="{ref}{suffix}"{shown} t="b"><v>{1 if value else 0}</v></c>')
        elif kind == "f":
            append(f'<c r="{ref}{suffix}"{shown}><f>{escape(content)}</f></c>')
        else:  # "e"
            append(f'<c r="{ref}{suffix}"{shown} t="e"><v>{escape(content)}</v></c>')
    return "".join(parts)


def _prefixed(row: str, prefix: str) -> str:
    """A row written for a sheet whose elements carry a namespace prefix (`x:c`)."""
    return _TAG.sub(lambda m: f"<{m.group(1)}{prefix}{m.group(2)}", row)


def error_cells(data: bytes) -> dict[tuple[int, int], CellError]:
    """(row, column) -> error text of the cells holding an error (`t="e"`)."""
    found: dict[tuple[int, int], CellError] = {}
    if b't="e"' not in data and b"t='e'" not in data:
        return found
    pattern = re.compile(rb"<(?:[\w.-]+:)?c\b([^>]*?\bt=[\"']e[\"'][^>]*)>(.*?)</(?:[\w.-]+:)?c>",
                         re.S)
    for match in pattern.finditer(data):
        ref = re.search(rb'\br="([A-Z]{1,3})(\d+)"', match.group(1))
        value = re.search(rb"<(?:[\w.-]+:)?v>([^<]*)<", match.group(2))
        if ref and value:
            found[(int(ref.group(2)), column_number(ref.group(1)))] = CellError(
                _unescape(value.group(1)))
    return found


def translate(formula: str, origin: tuple[int, int], target: tuple[int, int]) -> str:
    """A formula (without "=") moved from one cell to another, its relative references
    following, as Excel's copy does: whole columns (`INDEX(B:B,5)`) and whole rows move
    only across, a reference pushed past the sheet's edge (above row 1, left of A,
    below row 1 048 576, right of XFD) becomes `#REF!` alone, the rest of the formula
    kept (`=#REF!+B4`)."""
    from openpyxl.formula.tokenizer import Token, Tokenizer  # only then
    from openpyxl.formula.translate import Translator, TranslatorError

    rows, columns = target[0] - origin[0], target[1] - origin[1]
    try:
        tokens = Tokenizer("=" + formula).items
    except Exception:  # not a formula openpyxl can read: kept as it is
        return formula
    out = []
    for token in tokens:
        if token.type != Token.OPERAND or token.subtype != Token.RANGE:
            out.append(token.value)
            continue
        sheet, _ = Translator.strip_ws_name(token.value)
        try:
            moved = Translator.translate_range(token.value, rows, columns)
        except TranslatorError:
            moved = None
        out.append(moved if moved is not None and _on_sheet(moved[len(sheet):])
                   else sheet + "#REF!")
    return "".join(out)


_CELL_PARTS = re.compile(r"^\$?([A-Z]{1,3})?\$?(\d+)?$")


def _on_sheet(reference: str) -> bool:
    """Whether every end of an A1 reference (`B5`, `B:B`, `3:4`, `A1:C9`) is on a sheet."""
    for part in reference.split(":"):
        found = _CELL_PARTS.match(part)
        if found is None:
            continue  # a name: not moved
        letters, digits = found.groups()
        if letters and column_number(letters) > 16_384:
            return False
        if digits and not 1 <= int(digits) <= 1_048_576:
            return False
    return True
