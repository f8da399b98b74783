"""Writing a file so that it is never half replaced."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def write(target: Path, data: bytes) -> None:
    """Write `data` to a temporary file next to `target`, fsync it, then rename it over
    `target`: a crash or an error leaves the old file or the new one, whole, and no
    temporary file. The file keeps its permissions."""
    target = Path(target)
    if target.exists():
        mode = stat.S_IMODE(target.stat().st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".~{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:  # make the rename itself durable (POSIX; Windows cannot open a folder)
        dir_fd = os.open(target.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
