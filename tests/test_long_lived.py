"""The objects of an action kept out of the garbage collector, and given back after; the
engine run with the collector paused, which is safe because it makes no cycle."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable
from datetime import timedelta

import pytest

from relances_xl.letters.make_templates import sample_ledger
from relances_xl.long_lived import acyclic, built_to_last, long_lived
from relances_xl.model import Filters
from relances_xl.rules.engine import compute_reminders
from relances_xl.sample import DEMO_DATE


def test_nested_actions_give_everything_back_at_the_outermost_end() -> None:
    assert gc.get_freeze_count() == 0
    outer = [object() for _ in range(10)]
    with long_lived():
        frozen = gc.get_freeze_count()
        assert frozen > 0
        inner = [[] for _ in range(10)]
        with long_lived():
            assert gc.get_freeze_count() > frozen
        assert gc.get_freeze_count() > frozen  # the inner end leaves the outer's frozen
    assert gc.get_freeze_count() == 0
    assert outer and inner


def test_a_failed_action_gives_its_objects_back() -> None:
    with pytest.raises(ValueError, match="stop"), long_lived():
        raise ValueError("stop")
    assert gc.get_freeze_count() == 0


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_a_cycle_dropped_during_an_action_is_freed_after_it() -> None:
    node = Node()
    alive = weakref.ref(node)
    with long_lived():
        del node
        gc.collect()
        assert alive() is not None  # frozen: out of the collector's sight
    gc.collect()
    assert alive() is None


def test_an_appliquer_leaves_nothing_frozen(workbook) -> None:
    from relances_xl.cli import apply_workbook

    outcome = apply_workbook(workbook, Filters(date=DEMO_DATE))

    assert outcome.rows and not outcome.blocked
    assert gc.get_freeze_count() == 0


def test_acyclic_pauses_the_collector_and_resumes_it_even_after_an_error() -> None:
    assert gc.isenabled()
    with acyclic():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError, match="stop"), acyclic():
        raise ValueError("stop")
    assert gc.isenabled()


def test_acyclic_leaves_a_paused_collector_paused() -> None:
    gc.disable()
    try:
        with acyclic():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def _cycles_left_by(action: Callable[[], object]) -> int:
    """Objects only the cyclic collector could free, left by `action` (collector paused)."""
    gc.collect()
    with acyclic():
        action()
        return gc.collect()


def test_cycles_left_by_counts_a_cycle() -> None:
    assert _cycles_left_by(Node) >= 1  # the yardstick of the test below can fail


def test_the_engine_makes_no_cycle_so_runs_with_the_collector_paused() -> None:
    ledger, settings = sample_ledger()
    letter_day = max(entry.date for entry in ledger.history)  # rows issued "today"
    runs = [Filters(date=DEMO_DATE), Filters(date=letter_day),
            Filters(date=DEMO_DATE + timedelta(days=90), societes=frozenset({"VIGNE"})),
            Filters(date=DEMO_DATE, clients=frozenset({"nobody"}))]
    compute_reminders(ledger, settings, runs[0])  # first-call caches (Babel's locale data)

    def engine() -> None:
        for filters in runs:
            rows, _ = compute_reminders(ledger, settings, filters)
            assert rows or filters.clients

    assert _cycles_left_by(engine) == 0


def test_reading_the_ledger_makes_no_cycle_so_runs_with_the_collector_paused(
        workbook) -> None:
    from relances_xl.excel.headless import close_book, open_book
    from relances_xl.excel.sheets import read_ledger_blocks
    from relances_xl.ledger import read_ledger

    book = open_book(workbook)
    read_ledger(read_ledger_blocks(book))  # first-call caches

    def read() -> None:
        ledger, problems = read_ledger(read_ledger_blocks(book))
        assert ledger.invoices and not any(p.blocking for p in problems)

    try:
        assert _cycles_left_by(read) == 0
    finally:
        close_book(book)


def test_a_command_reads_the_ledger_paused_and_holds_it_out_of_the_collectors_passes(
        workbook, monkeypatch) -> None:
    """Sauver on a large ledger spent a sixth of its time in the collector's full
    passes over the ledger (docs/performance.md); they grow faster than the ledger."""
    from relances_xl import buttons, ledger, long_lived
    from relances_xl.cli import main

    said = []

    def read_ledger(blocks):
        read = ledger.read_ledger(blocks)
        said.append(("read", gc.isenabled(), gc.get_freeze_count()))
        return read

    monkeypatch.setattr(buttons, "read_ledger", read_ledger)
    hold = long_lived.hold_what_exists

    def held() -> None:
        hold()
        said.append(("held", None, gc.get_freeze_count()))

    monkeypatch.setattr(long_lived, "hold_what_exists", held)
    assert main(["appliquer", str(workbook), "--date", DEMO_DATE.isoformat()]) == 0
    assert main(["sauver", str(workbook)]) == 0

    reads = [i for i, (what, _, _) in enumerate(said) if what == "read"]
    assert len(reads) == 2  # appliquer's read, then sauver's
    for i in reads:
        _, enabled, frozen_before = said[i]
        assert not enabled
        assert said[i + 1][0] == "held"  # the next thing done: the ledger just read held
        assert said[i + 1][2] > frozen_before
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_what_a_block_built_to_last_is_held_out_of_the_collectors_sight() -> None:
    with long_lived():
        with built_to_last():
            assert not gc.isenabled()
            rows = [[] for _ in range(1000)]
        assert gc.isenabled()
        assert not any(seen is rows[0] for seen in gc.get_objects())  # frozen
    assert gc.get_freeze_count() == 0
    assert any(seen is rows[0] for seen in gc.get_objects())  # given back at the end


def test_outside_an_action_a_block_built_to_last_holds_nothing() -> None:
    with built_to_last():
        rows = [[] for _ in range(10)]
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert any(seen is rows[0] for seen in gc.get_objects())


def test_appliquers_rows_and_cells_written_are_held_until_the_save(workbook, monkeypatch
                                                                   ) -> None:
    """The table's rows and the cells written last to the end of Appliquer: the
    collector's first passes after them visited each (0.2 s on 100,000 invoices)."""
    from relances_xl import addin
    from relances_xl.cli import apply_workbook

    kept = {}

    def table_rows(inputs):
        rows, problems = buttons_table_rows(inputs)
        kept["rows"] = rows
        kept["rows tracked"] = any(seen is rows[0] for seen in gc.get_objects())
        return rows, problems

    def write_table(sheet, rows):
        write(sheet, rows)
        kept["written"] = gc.isenabled()

    buttons_table_rows, write = addin.table_rows, addin.sheets.write_table
    monkeypatch.setattr(addin, "table_rows", table_rows)
    monkeypatch.setattr(addin.sheets, "write_table", write_table)
    outcome = apply_workbook(workbook, Filters(date=DEMO_DATE))

    assert outcome.rows and kept["rows"]
    assert kept["rows tracked"] is False
    assert kept["written"] is False  # written with the collector paused
    assert gc.get_freeze_count() == 0


def test_the_aged_balance_and_the_dashboard_make_no_cycle_so_run_paused() -> None:
    """balance-agee builds them with the collector paused and holds them to the save
    (addin.balance_agee): three full passes of the collector on 100,000 invoices."""
    from relances_xl.rules import dashboard
    from relances_xl.rules.aging import balance_agee

    ledger, settings = sample_ledger()
    filters = Filters(date=DEMO_DATE)
    balance_agee(ledger, settings, filters)  # first-call caches

    def figures() -> None:
        aged = balance_agee(ledger, settings, filters)
        assert aged
        assert dashboard.top_overdue(aged) and dashboard.dso(aged, ledger, DEMO_DATE)
        dashboard.reminder_effect(ledger, DEMO_DATE)

    assert _cycles_left_by(figures) == 0


def test_a_saved_proposal_makes_no_cycle_so_is_built_paused() -> None:
    from datetime import datetime

    from relances_xl.proposal import snapshot

    ledger, settings = sample_ledger()
    filters = Filters(date=DEMO_DATE)
    rows, _ = compute_reminders(ledger, settings, filters)
    proposed = {row.key: row.a_relancer for row in rows}

    def saved() -> None:
        assert snapshot(rows, filters, datetime(2026, 12, 7, 10, 0), proposed).rows

    assert _cycles_left_by(saved) == 0


def test_balance_agee_builds_its_figures_paused_and_holds_them_until_the_save(
        workbook, monkeypatch) -> None:
    from relances_xl import addin
    from relances_xl.cli import main

    seen = []

    def aged_balance(*args):
        rows = balance(*args)
        seen.append((gc.isenabled(), rows))
        return rows

    def totals_by_currency(rows):  # called once the figures are built and written
        held.append(not any(tracked is rows[0] for tracked in gc.get_objects()))
        return totals(rows)

    balance, totals, held = addin.aged_balance, addin.totals_by_currency, []
    monkeypatch.setattr(addin, "aged_balance", aged_balance)
    monkeypatch.setattr(addin, "totals_by_currency", totals_by_currency)
    assert main(["balance-agee", str(workbook), "--date", DEMO_DATE.isoformat()]) == 0

    assert seen and not any(enabled for enabled, _ in seen)
    assert seen[0][1] and held == [True]  # the rows out of the collector's sight
    assert gc.get_freeze_count() == 0
