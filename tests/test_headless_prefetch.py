"""headless/prefetch.py: the ledger's sheets parsed in two threads read as one by one."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
import xlsxwriter

from relances_xl import layout
from relances_xl.excel import headless
from relances_xl.excel.sheets import read_ledger_blocks
from relances_xl.headless import app
from relances_xl.headless.prefetch import Prefetch


def ledger_workbook(path):
    """Every ledger sheet with a few rows of each kind of cell, an error among them."""
    wb = xlsxwriter.Workbook(path)
    day = wb.add_format({"num_format": "dd/mm/yyyy"})
    for number, name in enumerate(read_order()):
        ws = wb.add_worksheet(name)
        ws.write_row("A1", ["Code tiers", "Date", "Montant", "Texte"])
        for row in range(2, 40 + 10 * number):
            ws.write_string(row - 1, 0, f"{name}-{row}")
            ws.write_datetime(row - 1, 1, datetime(2024, 1, 1 + row % 28), day)
            ws.write_number(row - 1, 2, row * 1.25)
        ws.write_formula("D2", "=NA()", None, "#N/A")
        ws.write_blank("D3", None)
    wb.add_worksheet(layout.RELANCES)
    wb.close()
    return path


def read_order():
    return (layout.CLIENTS, layout.FACTURES, layout.REGLEMENTS, layout.HISTORIQUE,
            layout.PARAMETRES, layout.SUIVI)


def blocks(path, prefetching: bool, monkeypatch: pytest.MonkeyPatch):
    with monkeypatch.context() as patch:
        if not prefetching:
            patch.delattr(app.Book, "prefetch")
        book = headless.open_book(path)
        try:
            return read_ledger_blocks(book)
        finally:
            headless.close_book(book)


def test_sheets_parsed_in_the_background_read_as_they_do_one_by_one(tmp_path, monkeypatch):
    path = ledger_workbook(tmp_path / "Relances.xlsx")
    started = []
    monkeypatch.setattr(app, "Prefetch", lambda data, sizes: started.append(sizes) or
                        Prefetch(data, sizes))

    found = blocks(path, True, monkeypatch)

    assert list(started[0]) == list(read_order())  # every ledger sheet, in reading order
    assert found == blocks(path, False, monkeypatch)
    assert found[layout.FACTURES][1] == ["Factures-2", datetime(2024, 1, 3), 2.5, "#N/A"]


def test_a_sheet_read_already_or_absent_is_not_parsed_again(tmp_path, monkeypatch):
    path = ledger_workbook(tmp_path / "Relances.xlsx")
    started = []
    monkeypatch.setattr(app, "Prefetch", lambda data, sizes: started.append(sizes) or
                        Prefetch(data, sizes))
    book = headless.open_book(path)
    try:
        book.sheets[layout.CLIENTS].used_range  # noqa: B018  (reads its cells)
        book.impl.prefetch([layout.CLIENTS, "Absente", layout.FACTURES])
        book.impl.prefetch([layout.FACTURES])  # being parsed already
        assert [list(sizes) for sizes in started] == [[layout.FACTURES]]
        assert book.sheets[layout.FACTURES].range("A2").value == "Factures-2"
    finally:
        headless.close_book(book)


def test_the_sheets_are_dealt_largest_first_each_thread_in_reading_order(monkeypatch):
    lanes = []
    monkeypatch.setattr(threading, "Thread", lambda target, daemon, name, args: type(
        "Started", (), {"start": lambda self: lanes.append([n for n, _ in args[1]])})())
    Prefetch(b"", {"A": 5, "B": 100, "C": 60, "D": 30, "E": 1})
    # B alone weighs more than C + D; the small ones go to the lighter thread
    assert lanes == [["B"], ["A", "C", "D", "E"]]


def test_an_error_of_the_parse_is_raised_where_the_sheet_is_taken(tmp_path):
    broken = Prefetch(b"not a workbook", {"Clients": 10, "Factures": 20})
    for name in ("Clients", "Factures"):
        with pytest.raises(Exception):  # noqa: B017  (python-calamine's own error)
            broken.take(name)
    path = ledger_workbook(tmp_path / "Relances.xlsx")
    found = Prefetch(path.read_bytes(), {layout.CLIENTS: 1, "Absente": 1})
    with pytest.raises(Exception):  # noqa: B017
        found.take("Absente")
    assert found.take(layout.CLIENTS).to_python()[1][0] == "Clients-2"
    assert found.take(layout.CLIENTS) is None  # taken once
    assert found.take(layout.FACTURES) is None  # never asked for
