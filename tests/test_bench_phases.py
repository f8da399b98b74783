"""bench/phases.py times the phases of one Appliquer by wrapping the functions it
names: a function renamed or moved must fail here, not leave the bench silently
timing nothing."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("serial", [[], ["--serial"]])
def test_every_phase_of_an_appliquer_is_timed(tmp_path: Path, serial: list[str]):
    """With the read-ahead and without it (`--serial`: each sheet read when asked)."""
    generate, phases = _module("generate"), _module("phases")
    workbook = generate.generate(tmp_path / "Relances-200.xlsm", 200)
    done = subprocess.run([sys.executable, str(BENCH / "phases.py"), str(workbook),
                           "--runs", "1", "--date", generate.BENCH_DATE.isoformat(), *serial],
                          capture_output=True, text=True, timeout=120, check=True)
    lines = done.stdout.splitlines()
    assert lines[0].startswith("run 1: appliquer ") and lines[-1].startswith("floor: ")
    timed = {line.split()[0] for line in lines[1:-1]}
    called_once_at_least = {name for _, name in phases.PHASES}
    assert called_once_at_least <= timed, called_once_at_least - timed


def test_against_a_smaller_workbook_each_phase_says_how_it_grew(tmp_path: Path):
    generate = _module("generate")
    smaller = generate.generate(tmp_path / "Relances-100.xlsm", 100)
    larger = generate.generate(tmp_path / "Relances-300.xlsm", 300)
    done = subprocess.run([sys.executable, str(BENCH / "phases.py"), str(larger),
                           "--runs", "1", "--date", generate.BENCH_DATE.isoformat(),
                           "--against", str(smaller)],
                          capture_output=True, text=True, timeout=120, check=True)
    lines = done.stdout.splitlines()
    growth = lines[lines.index("growth, best of 1 runs: Relances-100.xlsm -> "
                               "Relances-300.xlsm") + 1:-1]
    figures = {line.split()[0]: line.split()[1:] for line in growth}
    small, large, grew = figures["appliquer"]
    assert float(large) > float(small) > 0
    assert float(grew.removeprefix("x")) == pytest.approx(float(large) / float(small),
                                                          rel=0.05)
    assert "read_ledger" in figures and "compute_reminders" in figures
