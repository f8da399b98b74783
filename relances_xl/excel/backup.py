"""The previous version of the workbook, kept beside it on every headless save.

`Relances.xlsm` saved headless first becomes `Relances.xlsm.bak` (the file as it was
before this save), then the new content replaces it atomically. The backup is a hard
link to the old file where the file system allows it (no copy, no time), else a copy;
either way it is itself put in place by a rename, so a crash leaves the old backup or
the new one, never half of one. One generation only: each save replaces it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

SUFFIX = ".bak"
STALE_AFTER = 600  # seconds: a save's temporary file older than this was left by a kill


def backup_path(target: Path) -> Path:
    """`Relances.xlsm` -> `Relances.xlsm.bak`, in the same folder."""
    target = Path(target)
    return target.with_name(target.name + SUFFIX)


def keep_backup(target: Path) -> Path | None:
    """Make `<target>.bak` the current content of `target`; None if there is no target.

    Failing to keep a backup (a read-only folder…) must not stop a save: it is skipped.
    """
    target = Path(target)
    sweep_stale(target)
    if not target.is_file():
        return None
    bak = backup_path(target)
    try:
        if bak.is_file() and os.path.samefile(target, bak):
            return bak  # a save killed before its rename left the backup already made
    except OSError:
        pass
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".~{bak.name}.", suffix=".tmp")
    os.close(fd)
    try:
        os.unlink(tmp)
        try:
            os.link(target, tmp)
        except OSError:
            shutil.copy2(target, tmp)
        os.replace(tmp, bak)
        Path(tmp).unlink(missing_ok=True)  # rename() does nothing between two links of a file
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        return None
    return bak


def sweep_stale(target: Path, older_than: float = STALE_AFTER) -> list[Path]:
    """Remove the temporary files a killed save of `target` left (`.~Relances.xlsm.*.tmp`),
    once they are old enough not to belong to a save in progress; returns them."""
    target = Path(target)
    limit = time.time() - older_than
    removed = []
    for temp in target.parent.glob(f".~{glob_escape(target.name)}.*.tmp"):
        try:
            if temp.is_file() and temp.stat().st_mtime < limit:
                temp.unlink()
                removed.append(temp)
        except OSError:
            continue
    return removed


def glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)
