"""The code of an earlier commit, to time "today's path" in the same run as this one.

`checkout(ref)` writes the `relances_xl` package of commit `ref` (`git archive`, so the
repository and its worktrees are left as they are) into a temporary folder; a step run
with that folder first on PYTHONPATH runs the earlier code with the packages installed
now. The default is the last commit with the openpyxl engine, before
`relances_xl/headless/` (issue 16).
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import tempfile
from pathlib import Path

BEFORE_HEADLESS = "ed9632c"  # the openpyxl engine (excel/headless.py), before issue 16
ROOT = Path(__file__).resolve().parent.parent


def checkout(ref: str) -> Path | None:
    """A folder holding `relances_xl` as it was at `ref`; None outside a git clone."""
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "relances_xl"],
                                 check=True, capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    folder = Path(tempfile.mkdtemp(prefix=f"relances-{ref}-"))
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def environment(folder: Path | None) -> dict[str, str]:
    """The environment of a step: the earlier code first on the path, if any."""
    env = dict(os.environ)
    if folder is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder),
                                                          env.get("PYTHONPATH", "")]))
    return env
