"""Random writes leave the same cells with the headless engine as with the openpyxl
engine it replaced (kept in tests/openpyxl_engine.py).

Each example applies one random sequence of range operations through xlwings' API
(block and scalar writes of every kind of value, clear, clear_contents, number
formats, copies within a sheet and across sheets) to two copies of one workbook,
one per engine, saves both, and compares what openpyxl reads back from the two
files, cell by cell: value, type and number format. What each engine reads back
before saving is compared too.

Three differences are deliberate. Numbers are compared to Excel's 15 significant
digits: openpyxl wrote 16 and lost the 17th a double may need (a date with seconds,
shown as a number), the new engine writes the double exactly, as Excel does. Kept
out of what is drawn: text with characters XML cannot hold (openpyxl refused it;
the new engine writes them as Excel does, `_x0001_`: test_headless_parts.py), and a
copy onto its own source (the old engine read source cells it had already
overwritten; the new one pastes what the source held, as Excel's clipboard does).
"""

from __future__ import annotations

import math
import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import openpyxl_engine  # the oracle, beside this file
import pytest
import xlsxwriter
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl.formula.tokenizer import TokenizerError
from openpyxl.formula.translate import TranslatorError

from relances_xl import layout
from relances_xl.headless import Options
from relances_xl.headless import app as headless

SHEETS = ("Relances", "Autre")
MAX_ROW, MAX_COLUMN = 8, 6  # the operations fall on A1:F8 of each sheet, and overlap
OPTIONS = Options(date_format=layout.DATE_FORMAT, checkbox_format=layout.CHECKBOX_FORMAT)
FORMATS = ("@", "0.00", layout.DATE_FORMAT, "General", layout.MONEY_FORMAT,
           layout.CHECKBOX_FORMAT, "yyyy-mm-dd")


def build(path: Path) -> Path:
    """Values of every kind, text and date formats, a formula, an error, formatted blanks."""
    wb = xlsxwriter.Workbook(path)
    text = wb.add_format({"num_format": "@"})
    day = wb.add_format({"num_format": layout.DATE_FORMAT})
    money = wb.add_format({"num_format": layout.MONEY_FORMAT, "bold": True})
    checkbox = wb.add_format({"num_format": layout.CHECKBOX_FORMAT})
    ws = wb.add_worksheet(SHEETS[0])
    ws.write_row("A1", ["Tiers", 12.5, "00123"])
    ws.write_string("D1", "00456", text)
    ws.write_datetime("E1", datetime(2024, 2, 29), day)
    ws.write_blank("F1", None, text)
    ws.write_number("A2", 1234.56, money)
    ws.write_formula("B2", "=B1*2", None, 25)
    ws.write_formula("C2", "=NA()", None, "#N/A")
    ws.insert_checkbox("D2", True, checkbox)
    ws.write_blank("E3", None, day)
    ws.write_boolean("F4", False)
    ws.write_column("A5", ["a", "b", "c"])
    other = wb.add_worksheet(SHEETS[1])
    other.write_row("A1", ["x", 1, datetime(2023, 12, 31, 10, 30)])
    other.write_blank("B2", None, money)
    wb.close()
    return path


places = st.tuples(st.integers(1, MAX_ROW), st.integers(1, MAX_COLUMN))


@st.composite
def rectangles(draw) -> tuple[int, int, int, int]:
    (r1, c1), (r2, c2) = draw(places), draw(places)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


values = st.one_of(
    st.none(),
    st.just(""),
    st.text(alphabet="ab =#/N!A0123-\n", max_size=6),
    st.sampled_from(["00123", "-5", "+7", "123456789012345", "1234567890123456", "#N/A",
                     "#DIV/0!", "=A1", "=SUM(A1:B2)", "=", " x ", "1,5", "1.5"]),
    st.integers(-10**6, 10**6),
    st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False,
                allow_infinity=False),
    st.decimals(min_value=-10**6, max_value=10**6, places=2).map(float),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 12, 31))
    .map(lambda d: d.replace(microsecond=0)),
)


@st.composite
def operations(draw) -> tuple:
    sheet = draw(st.sampled_from(SHEETS))
    kind = draw(st.sampled_from(["block", "scalar", "clear", "clear_contents", "format",
                                 "copy"]))
    rect = draw(rectangles())
    if kind == "block":
        rows, cols = rect[2] - rect[0] + 1, rect[3] - rect[1] + 1
        block = [[draw(values) for _ in range(cols)] for _ in range(rows)]
        return sheet, kind, rect, block
    if kind == "scalar":
        return sheet, kind, rect, draw(values)
    if kind == "format":
        return sheet, kind, rect, draw(st.sampled_from(FORMATS))
    if kind == "copy":
        dest_sheet, dest = draw(st.sampled_from(SHEETS)), draw(rectangles())
        assume(dest_sheet != sheet or not _overlap(rect, _pasted(rect, dest)))
        return sheet, kind, rect, (dest_sheet, dest)
    return sheet, kind, rect, None


def _pasted(source: tuple, dest: tuple) -> tuple:
    """The cells a copy writes: the source's size, repeated when the destination is a
    multiple of it."""
    rows, cols = source[2] - source[0] + 1, source[3] - source[1] + 1
    d_rows, d_cols = dest[2] - dest[0] + 1, dest[3] - dest[1] + 1
    times_r = d_rows // rows if d_rows % rows == 0 else 1
    times_c = d_cols // cols if d_cols % cols == 0 else 1
    return dest[0], dest[1], dest[0] + rows * times_r - 1, dest[1] + cols * times_c - 1


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def apply(book, steps) -> list:
    """The steps through xlwings' API; what the book reads afterwards."""
    for name, kind, (r1, c1, r2, c2), arg in steps:
        sheet = book.sheets[name]
        target = sheet.range((r1, c1), (r2, c2))
        if kind == "block":
            target.options(ndim=2).value = arg
        elif kind == "scalar":
            target.value = arg
        elif kind == "clear":
            target.clear()
        elif kind == "clear_contents":
            target.clear_contents()
        elif kind == "format":
            target.number_format = arg
        else:
            dest_name, (d1, e1, d2, e2) = arg
            target.copy(book.sheets[dest_name].range((d1, e1), (d2, e2)))
    return [book.sheets[name].range((1, 1), (MAX_ROW * 2, MAX_COLUMN * 2))
            .options(ndim=2, err_to_str=True).value for name in SHEETS]


def cells(path: Path) -> dict:
    """Every cell openpyxl reads back: (sheet, row, column) -> value, type, format."""
    wb = openpyxl.load_workbook(path)
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None and cell.number_format == "General":
                    continue
                value = cell.value
                if isinstance(value, float):  # Excel's 15 digits (see the module's doc)
                    value = float(f"{value:.15g}")
                found[(ws.title, cell.row, cell.column)] = (value, cell.data_type,
                                                            cell.number_format)
    return found


@pytest.fixture(scope="module")
def fixture(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("fixture") / "Relances.xlsx")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(operations(), min_size=1, max_size=8))
def test_random_writes_leave_the_cells_the_openpyxl_engine_left(fixture, tmp_path, steps):
    old_path, new_path = tmp_path / "old.xlsx", tmp_path / "new.xlsx"
    shutil.copyfile(fixture, old_path)
    shutil.copyfile(fixture, new_path)
    old_book = openpyxl_engine.open_book(old_path)
    new_book = headless.open_book(new_path, OPTIONS)
    try:
        try:
            expected = apply(old_book, steps)
        except (TranslatorError, TokenizerError):  # the old engine refused a formula copied
            assume(False)  # off the sheet, or one it cannot parse ("=0#")
        assert apply(new_book, steps) == expected
        old_book.save()
        new_book.save()
    finally:
        old_book.impl.close()
        new_book.impl.close()
    assert_same_cells(cells(new_path), cells(old_path))


def assert_same_cells(new: dict, old: dict) -> None:
    """Equal cells; two serials of one date may differ in their last digit (each engine
    turns a datetime into days its own way, 1e-10 of a day apart at most: 9 µs)."""
    assert new.keys() == old.keys()
    for key, (value, kind, number_format) in new.items():
        other = old[key]
        assert (kind, number_format) == other[1:], (key, new[key], other)
        if isinstance(value, float) and isinstance(other[0], float):
            assert math.isclose(value, other[0], rel_tol=1e-14, abs_tol=1e-10), (key, value,
                                                                                 other[0])
        else:
            assert value == other[0], (key, value, other[0])
