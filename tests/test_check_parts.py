"""`check_parts`, the guard's read of every part (issue 30): it answers what
`ZipFile.testzip` answers, and notes the XML parts holding no error cell so that the
engine need not inflate them a second time to look for error texts."""

from __future__ import annotations

import io
import zipfile

import pytest

from relances_xl.headless.package import _CHUNK, Package, check_parts

CLEAN = b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>'


def package_of(parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return out.getvalue()


def noted(data: bytes) -> dict[str, bool]:
    """Each part: may it hold an error cell, once `check_parts` read the package."""
    assert check_parts(zipfile.ZipFile(io.BytesIO(data))) is None
    package = Package(data)
    return {name: package.may_hold_errors(name) for name in package._names}


@pytest.mark.parametrize("quote", ['"', "'"])
def test_a_part_with_an_error_cell_is_looked_at_and_a_clean_one_is_not(quote):
    error = f'<c r="B2" t={quote}e{quote}><v>#N/A</v></c>'.encode()
    found = noted(package_of({"xl/worksheets/sheet1.xml": CLEAN + b"<!-- 1 -->",
                              "xl/worksheets/sheet2.xml": CLEAN + error}))
    assert found == {"xl/worksheets/sheet1.xml": False, "xl/worksheets/sheet2.xml": True}


@pytest.mark.parametrize("cut", [1, 2, 3, 4])
def test_an_error_mark_cut_between_two_chunks_is_found(cut):
    mark = b't="e"'
    padding = b" " * (_CHUNK - cut)  # the chunk ends `cut` bytes into the mark
    found = noted(package_of({"xl/worksheets/sheet3.xml": padding + mark + b"<v>#N/A</v>"}))
    assert found == {"xl/worksheets/sheet3.xml": True}


def test_a_part_never_read_through_or_changed_since_is_looked_at():
    data = package_of({"xl/worksheets/sheet4.xml": CLEAN + b"<!-- 4 -->"})
    unread = Package(data)
    assert unread.may_hold_errors("xl/worksheets/sheet4.xml")  # check_parts never saw it
    assert noted(data) == {"xl/worksheets/sheet4.xml": False}
    changed = Package(data)
    changed.write("xl/worksheets/sheet4.xml", CLEAN + b'<c t="e"><v>#REF!</v></c>')
    assert changed.may_hold_errors("xl/worksheets/sheet4.xml")


def test_a_damaged_part_is_named_as_testzip_names_it():
    data = bytearray(package_of({"a.xml": CLEAN, "b.xml": CLEAN}, zipfile.ZIP_STORED))
    start = data.index(CLEAN, data.index(b"b.xml"))  # b.xml's data, stored as it is
    data[start + 10:start + 16] = b"\xff" * 6
    package = zipfile.ZipFile(io.BytesIO(bytes(data)))
    assert package.testzip() == "b.xml"
    assert check_parts(package) == "b.xml"
    assert check_parts(zipfile.ZipFile(io.BytesIO(package_of({"a.xml": CLEAN})))) is None
