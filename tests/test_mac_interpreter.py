"""`Interpreter_Mac` as the installer writes it works in a folder whose name has a
space, a quote or a backslash (issue 32).

xlwings 0.37.8 on macOS reads the value from the xlwings.conf sheet (`GetConfig`,
then `ExpandEnvironmentStrings`, which changes only a value starting with "$"),
passes it to AppleScript inside a string literal (`ToPosixPath`: POSIX path of
("value")), and its `VbaHandler` (xlwings-0.37.8.applescript) starts the command
line `value & " -B -u -W ignore -c \\"...\\""` with `do shell script`, i.e. /bin/sh.
The shell's part runs here for real, on folders made with such names."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest
import xlwings

from relances_xl import installer

NAMES = ["Cabinet Dupont", "L'Étude", 'Le "Bureau"', "back\\slash", "a&b;c|d $HOME `x`",
         "tab\there", "(parenthèses) [crochets] {accolades} * ?"]


def test_the_pinned_xlwings_puts_the_value_unquoted_at_the_head_of_a_shell_command():
    handler = (Path(xlwings.__file__).parent / "xlwings-0.37.8.applescript").read_text()
    assert 'set ShellCommand to PythonInterpreter & " -B -u' in handler
    bas = (Path(xlwings.__file__).parent / "xlwings.bas").read_text()
    assert 'MacScript("return POSIX path of (" & Chr(34) & MacPath & Chr(34)' in bas


@pytest.mark.parametrize("name", NAMES)
def test_the_interpreter_runs_from_a_folder_so_named(tmp_path, name):
    folder = tmp_path / name / "Relances"
    python = installer.venv_python(folder, "darwin")
    Path(python).parent.mkdir(parents=True)
    os.symlink(sys.executable, python)
    value = installer.mac_interpreter(python)
    assert '"' not in value and "\\" not in value  # the AppleScript literal stays whole
    assert not value.startswith("$")  # xlwings' ExpandEnvironmentStrings leaves it alone
    command = value + ' -B -u -W ignore -c "import sys; print(sys.version)"'
    done = subprocess.run(["/bin/sh", "-c", command], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, (value, done.stderr)
    assert done.stdout.strip() == sys.version


def test_a_plain_folder_is_written_as_it_is():
    python = installer.venv_python(PurePosixPath("/Users/marie/Documents/Relances"), "darwin")
    assert installer.mac_interpreter(python) == "/Users/marie/Documents/Relances/.venv/bin/python"


def test_the_unquoted_value_would_not_run(tmp_path):
    folder = tmp_path / "Cabinet Dupont"
    python = installer.venv_python(folder, "darwin")
    Path(python).parent.mkdir(parents=True)
    os.symlink(sys.executable, python)
    done = subprocess.run(["/bin/sh", "-c", f'{python} -c "print(1)"'], capture_output=True,
                          check=False)
    assert done.returncode != 0  # what the installer wrote before
