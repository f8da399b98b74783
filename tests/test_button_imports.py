"""Every click in Excel starts a Python that imports `relances_xl.addin` first
(RunPython): what only the letters, the proposal, the FEC import or the Fiche client
need is imported when such a button runs, so that Appliquer does not wait for it
(issue 30; about 0.25 s of each click). The command line does the same."""

from __future__ import annotations

import json
import subprocess
import sys

from relances_xl import layout

LETTERS_ONLY = ("docxtpl", "docx", "pypdf", "jinja2", "segno", "facturx",
                "relances_xl.letters.run", "relances_xl.letters.pdf",
                "relances_xl.fec.importer", "relances_xl.excel.dashboard_pdf")


def imported_by(statement: str) -> set[str]:
    """The modules a fresh Python holds after `statement`."""
    code = f"import json, sys; {statement}; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=120)
    return set(json.loads(done.stdout))


def test_the_appliquer_button_imports_nothing_the_letters_alone_need():
    found = imported_by(layout.MACROS["Appliquer"].split(";")[0])
    assert "relances_xl.addin" in found and "relances_xl.rules.engine" in found
    assert not found & set(LETTERS_ONLY), sorted(found & set(LETTERS_ONLY))


def test_the_command_line_imports_them_only_for_a_command_that_prints():
    found = imported_by("import relances_xl.cli")
    assert not found & set(LETTERS_ONLY), sorted(found & set(LETTERS_ONLY))
