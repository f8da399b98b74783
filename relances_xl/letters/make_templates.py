"""Writes the Word templates of the top-level `templates/` and their README, reproducibly.

The .docx files are committed and edited by users in Word, yet they are generated
here so that a wording fix reaches the nine letters and the proposals at once,
and so that a test can check the committed files are exactly what this module
writes (fixed core-property dates and zip timestamps). Run
`python -m relances_xl.letters.make_templates` after changing it.

This module only gathers and writes them; each template is built beside it, on the
python-docx blocks of `docx_blocks.py`: the letters (`letter_template.py`), the proposal
(`proposal_template.py`), the statement (`make_statement.py`), the recovery file
(`make_recovery.py`), and the README of the fields (`templates_readme.py`).
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..config import LANGUES, PROPOSAL_FORME
from .letter_template import LETTER_FORMES, build_letter
from .make_recovery import recovery_files
from .make_statement import statement_files
from .proposal_template import build_proposal
from .render import TEMPLATES_DIR
from .templates_readme import readme_text, sample_inputs, sample_ledger

# what the tests, the benches and the command line import from here
__all__ = ["LETTER_FORMES", "TEMPLATES_DIR", "build_letter", "build_proposal", "main",
           "readme_text", "sample_inputs", "sample_ledger", "template_files",
           "write_templates"]


def template_files() -> dict[str, bytes]:
    """File name -> bytes of every template, and the README."""
    files = {f"{forme}_{langue}.docx": build_letter(forme, langue)
             for forme in LETTER_FORMES for langue in LANGUES}
    files.update({f"{PROPOSAL_FORME}_{langue}.docx": build_proposal(langue)
                  for langue in LANGUES})
    files.update(statement_files())
    files.update(recovery_files())  # the same blocks, French only
    files["README.md"] = readme_text().encode("utf-8")
    return files


def write_templates(folder: Path = TEMPLATES_DIR) -> list[Path]:
    """(Re)write the templates and README into `folder`; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in template_files().items():
        path = folder / name
        path.write_bytes(data)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Write the templates into the folder given (`templates/` by default), list them."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else TEMPLATES_DIR
    for path in write_templates(folder):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
