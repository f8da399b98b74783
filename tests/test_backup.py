"""The `.bak` kept before each headless save, in the states a killed save leaves."""

from __future__ import annotations

import os

from relances_xl.excel.backup import backup_path, keep_backup


def test_a_backup_that_already_is_the_workbook_leaves_no_temporary_file(tmp_path):
    """A save killed after keeping its backup and before its rename leaves the backup
    as a second link of the workbook itself; the next save keeps it, and renaming a
    link over another link of the same file would do nothing and leave the temporary
    link behind."""
    workbook = tmp_path / "Relances.xlsm"
    workbook.write_bytes(b"PK version 1")
    os.link(workbook, backup_path(workbook))
    assert keep_backup(workbook) == backup_path(workbook)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Relances.xlsm", "Relances.xlsm.bak"]
    assert backup_path(workbook).read_bytes() == b"PK version 1"


def test_the_backup_is_the_file_before_the_save(tmp_path):
    workbook = tmp_path / "Relances.xlsm"
    workbook.write_bytes(b"PK version 1")
    keep_backup(workbook)
    workbook.unlink()
    workbook.write_bytes(b"PK version 2")  # what an atomic save does: a new file
    keep_backup(workbook)
    assert backup_path(workbook).read_bytes() == b"PK version 2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Relances.xlsm", "Relances.xlsm.bak"]
