"""The ledger's sheets read ahead in a thread of their own (issue 30): the blocks are
the ones read in turn, a sheet asked for before its turn is read once, and an error of
a sheet is raised in the thread that asked for it, as without the read-ahead."""

from __future__ import annotations

import gc
import re
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from relances_xl import layout
from relances_xl.cells import excel_value
from relances_xl.cli import READS_LEDGER, main
from relances_xl.excel import guard
from relances_xl.excel.headless import close_book, open_book
from relances_xl.excel.session import opened
from relances_xl.excel.sheets import LEDGER_SHEETS, read_block, read_ledger_blocks
from relances_xl.long_lived import acyclic


@contextmanager
def book_of(path: Path) -> Iterator:
    """The workbook opened by the engine, closed (its read-ahead joined) after."""
    book = open_book(path)
    try:
        yield book
    finally:
        close_book(book)


def blocks_in_turn(path: Path) -> dict[str, object]:
    """Each sheet read in this thread, one after the other, nothing read ahead."""
    with book_of(path) as book:
        return {name: read_block(book, name) for name in LEDGER_SHEETS}


def as_excel(block):
    """A block's cells made Excel's (`cells.excel_value`)."""
    return None if block is None else [[excel_value(v) for v in row] for row in block]


def test_sheets_read_ahead_are_the_sheets_read_in_turn(workbook):
    """The ledger's sheets come as python-calamine parsed them ("" for an empty cell, a
    date as a date), the others as Excel gives them: once made Excel's, the same cells
    as the same sheets read in turn through the range, each one."""
    with book_of(workbook) as book:
        ahead = dict(read_ledger_blocks(book))
    in_turn = blocks_in_turn(workbook)
    assert {name: as_excel(block) for name, block in ahead.items()} == in_turn
    assert ahead[layout.FACTURES] and ahead[layout.CLIENTS]
    parsed = {name for name, block in ahead.items()
              if any(type(v) is date or v == "" for row in block for v in row)}
    assert parsed == {layout.CLIENTS, layout.FACTURES, layout.REGLEMENTS, layout.HISTORIQUE}


def test_a_sheet_asked_for_before_its_turn_is_read_once(workbook):
    with book_of(workbook) as book:
        blocks = read_ledger_blocks(book)  # the thread starts on Clients
        last = blocks[LEDGER_SHEETS[-1]]
        first = blocks[LEDGER_SHEETS[0]]
        states = {e.name: book.impl.state(e) for e in book.impl.workbook.sheets}
        grids = {name: states[name].values for name in LEDGER_SHEETS}
        for name in LEDGER_SHEETS:  # loaded once: asking again gives the same grid
            states[name].load()
            assert states[name].values is grids[name]
    expected = blocks_in_turn(workbook)
    assert (as_excel(first), last) == (expected[LEDGER_SHEETS[0]], expected[LEDGER_SHEETS[-1]])


def rewritten(path: Path, sheet_part: str, change: Callable[[bytes], bytes] = bytes,
              stored: bool = False) -> None:
    """The package written again, `sheet_part` changed (stored uncompressed if `stored`)."""
    with zipfile.ZipFile(path) as package:
        parts = {info: package.read(info) for info in package.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in parts.items():
            if info.filename == sheet_part:
                package.writestr(info, change(data), zipfile.ZIP_STORED if stored else None)
            else:
                package.writestr(info, data)


def broken_sheet(path: Path, sheet_part: str) -> None:
    """The worksheet part cut in the middle of its XML: python-calamine cannot read it."""
    rewritten(path, sheet_part, lambda data: data[: len(data) // 2])


def part_of(path: Path, sheet: str) -> str:
    with zipfile.ZipFile(path) as package:
        book = package.read("xl/workbook.xml").decode()
        rels = package.read("xl/_rels/workbook.xml.rels").decode()
    rel_id = re.search(rf'<sheet [^>]*name="{sheet}"[^>]*r:id="(\w+)"', book).group(1)
    target = re.search(rf'Id="{rel_id}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'Target="([^"]+)"[^>]*Id="{rel_id}"', rels)
    return "xl/" + target.group(1).removeprefix("/xl/")


def test_a_sheet_that_cannot_be_read_fails_in_the_thread_that_asks(workbook):
    broken_sheet(workbook, part_of(workbook, layout.REGLEMENTS))
    with book_of(workbook) as book, pytest.raises(Exception) as in_turn:
        read_block(book, layout.REGLEMENTS)
    with book_of(workbook) as book:
        blocks = read_ledger_blocks(book)
        assert blocks[layout.FACTURES]  # the sheets before it are read
        with pytest.raises(type(in_turn.value), match=re.escape(str(in_turn.value))):
            blocks[layout.REGLEMENTS]
        assert blocks[layout.HISTORIQUE] is not None  # the thread stopped; this one reads on


def test_the_ledger_read_twice_is_read_the_same_and_no_thread_outlives_the_book(workbook):
    """Appliquer after the close prompt's "sauver" reads the ledger twice in one command:
    the second read-ahead asks for nothing the first did not."""
    with book_of(workbook) as book:
        first = dict(read_ledger_blocks(book))
        second = dict(read_ledger_blocks(book))
    assert first == second
    assert {name: as_excel(block) for name, block in first.items()} == blocks_in_turn(workbook)
    assert not [t for t in threading.enumerate() if t.name == "relances-prefetch"]


def a_part_damaged_inside(path: Path, sheet_part: str) -> None:
    """One figure of the worksheet part changed after its CRC was written: the zip's
    directory and every other part intact, as a bad sector or a broken copy leaves it."""
    rewritten(path, sheet_part, stored=True)
    data = bytearray(path.read_bytes())
    at = data.index(b"<v>", data.index(sheet_part.encode()) + 200) + 3
    data[at] = ord("9") if data[at] != ord("9") else ord("8")
    path.write_bytes(bytes(data))


def test_a_part_damaged_inside_is_refused_by_the_guard_while_the_sheets_were_read_ahead(
        workbook, capsys):
    """The guard reads every part beside the read-ahead (issue 30): its refusal still
    comes first, in one line naming the part, and nothing of the workbook is written."""
    part = part_of(workbook, layout.FACTURES)
    a_part_damaged_inside(workbook, part)
    damaged = workbook.read_bytes()
    before = {p.name for p in workbook.parent.iterdir()}
    assert main(["appliquer", str(workbook), "--date", "2022-07-27"]) == 2
    out, err = capsys.readouterr()
    assert err.splitlines() == [err.rstrip("\n")] and out == ""
    assert f"archive abîmée, partie {part} illisible" in err
    assert workbook.read_bytes() == damaged
    made = {p.name for p in workbook.parent.iterdir()} - before
    assert made <= {guard.lock_path(workbook).name}  # the lock every command leaves
    assert not [t for t in threading.enumerate() if t.name == "relances-prefetch"]


def test_sheets_read_ahead_from_the_open_are_not_asked_again_by_appliquer(workbook):
    """The command's read-ahead (cli.READS_LEDGER) covers the ledger: Appliquer's own
    asks for nothing more, and the blocks are the ones read in turn."""
    expected = blocks_in_turn(workbook)
    with opened(workbook, read_ahead=READS_LEDGER) as book:
        thread = book.impl._ahead._thread
        blocks = dict(read_ledger_blocks(book))
        assert book.impl._ahead._thread is thread is not None  # no second thread started
    assert {name: as_excel(block) for name, block in blocks.items()} == expected


def test_the_read_ahead_leaves_the_collector_as_the_caller_set_it(workbook):
    """The read-ahead starts at the open, before Appliquer pauses the cyclic collector
    for the ledger's build: a parse ending in its thread must not turn the collector
    back on inside that pause (a read there did: the build ran twice as slow), nor leave
    it off."""
    book = open_book(workbook)
    entered, go = threading.Event(), threading.Event()
    ahead = book.impl._ahead
    parse = ahead._parse

    def held(name):
        entered.set()
        assert go.wait(timeout=30)
        return parse(name)

    ahead._parse = held
    assert gc.isenabled()
    try:
        book.impl.prefetch([layout.CLIENTS, layout.FACTURES])
        assert entered.wait(timeout=30)  # the thread parses its first sheet
        with acyclic():
            go.set()
            ahead.join()  # Clients and Factures parsed
            assert not gc.isenabled()
    finally:
        go.set()
        close_book(book)
    assert gc.isenabled()


def test_the_largest_sheet_is_read_ahead_first(workbook):
    """The read-ahead starts on the sheet whose part is the largest (Factures in a
    year's ledger, Paramètres in the sample), so that its parse runs while the caller
    reads the others."""
    book = open_book(workbook)
    first: list[str] = []
    entered, go = threading.Event(), threading.Event()
    ahead = book.impl._ahead
    parse = ahead._parse

    def held(name):
        if not first:
            first.append(name)
            entered.set()
            assert go.wait(timeout=30)
        return parse(name)

    ahead._parse = held
    sizes = {e.name: book.impl.package.stored_size(e.part) for e in book.impl.workbook.sheets}
    try:
        book.impl.prefetch(READS_LEDGER)
        assert entered.wait(timeout=30)
        assert first == [max(READS_LEDGER, key=sizes.get)]
    finally:
        go.set()
        close_book(book)
    assert first != [READS_LEDGER[0]]  # not the order asked (Paramètres in the sample)


def test_a_second_read_ahead_starts_on_the_largest_of_the_sheets_it_adds(workbook):
    """Appliquer's own read-ahead after the command's: the sheets not asked yet, the
    largest of them first, whatever was the largest of all."""
    book = open_book(workbook)
    sizes = {e.name: book.impl.package.stored_size(e.part) for e in book.impl.workbook.sheets}
    largest = max(READS_LEDGER, key=sizes.get)
    ahead = book.impl._ahead
    parse, parsed = ahead._parse, []

    def noted(name):
        parsed.append(name)
        return parse(name)

    ahead._parse = noted
    try:
        book.impl.prefetch([largest])
        ahead.join()
        book.impl.prefetch(READS_LEDGER)
        ahead.join()
    finally:
        close_book(book)
    rest = [name for name in READS_LEDGER if name != largest and name in sizes]
    assert parsed[:2] == [largest, max(rest, key=sizes.get)]
    assert sorted(parsed) == sorted([largest, *rest])  # each once
    assert max(rest, key=sizes.get) != rest[0]  # not merely the order asked


class _Watched:
    """A parsed sheet that notes the thread making its Python values."""

    def __init__(self, sheet, made_in: dict[str, str], name: str) -> None:
        self._sheet, self._made_in, self._name = sheet, made_in, name
        self.start, self.end = sheet.start, sheet.end

    def to_python(self, **options):
        self._made_in[self._name] = threading.current_thread().name
        return self._sheet.to_python(**options)


def test_the_read_ahead_parses_and_the_caller_makes_the_values(workbook):
    """The thread only parses (python-calamine releases the interpreter's lock for it);
    the Python values of every sheet are made in the thread that asks for them, so the
    thread never takes the lock from the caller's work (issue 30). The blocks are the
    ones read in turn."""
    expected = blocks_in_turn(workbook)
    parsed_in: dict[str, str] = {}
    parses: list[str] = []
    made_in: dict[str, str] = {}
    with book_of(workbook) as book:
        ahead = book.impl._ahead
        parse = ahead._parse

        def watched(name):
            parsed_in[name] = threading.current_thread().name
            parses.append(name)
            return _Watched(parse(name), made_in, name)

        ahead._parse = watched
        book.impl.prefetch(LEDGER_SHEETS)
        ahead.join()  # every sheet parsed ahead, none made yet
        assert set(parsed_in.values()) == {"relances-prefetch"} and made_in == {}
        blocks = dict(read_ledger_blocks(book))
    assert set(parsed_in) == {n for n in LEDGER_SHEETS if expected.get(n)}
    assert sorted(parses) == sorted(parsed_in)  # each parsed once: the thread's was taken
    assert set(made_in.values()) == {threading.current_thread().name}
    assert {name: as_excel(block) for name, block in blocks.items()} == expected


def test_a_sheet_asked_for_while_a_reader_is_busy_is_read_by_another(workbook):
    """A reader parses one sheet at a time: while the read-ahead's reader is busy with
    the largest sheet, a sheet the caller asks for is read by a second reader, now, not
    after it (issue 30)."""
    expected = blocks_in_turn(workbook)
    done: list[object] = []
    with book_of(workbook) as book, book.impl._values_reader():  # the only reader, busy
        asking = threading.Thread(target=lambda: done.append(
            read_block(book, layout.REGLEMENTS)))
        asking.start()
        asking.join(timeout=30)
        assert done == [expected[layout.REGLEMENTS]]


def test_the_table_sheet_is_read_ahead_after_the_ledger(applied):
    """The commands that compute the table read Relances last (its filter cells, then
    its table, 10,000 rows once applied): the read-ahead parses it too (in a year's
    ledger after Factures, the largest; here it is the largest), and its cells are
    those read in turn."""
    from relances_xl.excel.sheets import read_top

    with book_of(applied) as book:
        expected = read_block(book, layout.RELANCES)
    book = open_book(applied)
    parsed_ahead: list[str] = []
    ahead = book.impl._ahead
    parse = ahead._parse
    ahead._parse = lambda name: parsed_ahead.append(name) or parse(name)
    try:
        book.impl.prefetch(READS_LEDGER)
        dict(read_ledger_blocks(book))
        ahead.join()
        read_top(book.sheets[layout.RELANCES])
        assert read_block(book, layout.RELANCES) == expected
    finally:
        close_book(book)
    assert layout.RELANCES in parsed_ahead


def test_an_error_cell_of_the_ledger_reads_as_its_text_the_sheets_own_row_unchanged(
        workbook):
    """The ledger's sheets read as python-calamine parsed them carry an error cell's
    text ("#N/A") as the range read with err_to_str does, in a copy of its row."""
    part = part_of(workbook, layout.FACTURES)
    cell = re.compile(rb'<c r="([A-Z]+)2"( s="\d+")?( t="n")?><v>[^<]*</v></c>')
    rewritten(workbook, part, lambda data: cell.sub(rb'<c r="\g<1>2"\2 t="e"><v>#N/A</v></c>',
                                                     data, count=1))
    expected = blocks_in_turn(workbook)[layout.FACTURES]
    column = next(i for i, value in enumerate(expected[1]) if value == "#N/A")
    with book_of(workbook) as book:
        block = read_ledger_blocks(book)[layout.FACTURES]
        state = next(book.impl.state(e) for e in book.impl.workbook.sheets
                     if e.name == layout.FACTURES)
        own = state.parsed_rows()
        assert own is not None and own[1][column] == "" and block[2] is own[2]
    assert type(block[1][column]).__name__ == "CellError" and block[1][column] == "#N/A"
    assert as_excel(block) == expected


def test_a_ledger_sheet_formatted_beyond_its_cells_is_read_through_the_range(workbook):
    """A used range wider than the cells python-calamine read (formats beyond them):
    read as Excel gives it, the range's empty columns included."""
    part = part_of(workbook, layout.REGLEMENTS)
    dimension = re.compile(rb'<dimension ref="A1:[A-Z]+(\d+)"/>')
    rewritten(workbook, part, lambda data: dimension.sub(rb'<dimension ref="A1:Z\1"/>', data))
    expected = blocks_in_turn(workbook)[layout.REGLEMENTS]
    with book_of(workbook) as book:
        block = read_ledger_blocks(book)[layout.REGLEMENTS]
    assert len(block[0]) == 26 and block == expected
    assert not any(type(v) is date or v == "" for row in block for v in row)
