"""What the guards around a headless save cost, next to loading the same workbook.

Run: python bench/guard.py [--factures 100000] [--repeat 5]

Writes a Relances.xlsm with `bench/generate.py`'s ledger, then times (best of
`--repeat`) each guard of `relances_xl/excel/guard.py` that a command runs: the
readability check (the zip's every part read back and its CRC checked), the owner-file
check, taking and releasing the lock, and the fingerprint (SHA-256 of the file), taken
twice (at open and before the save); beside them, the floor of any command, a bare
`openpyxl.load_workbook(keep_vba=True)` of the same file. It prints each time and the
guards' total as a share of that load.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent


def best(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factures", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    import openpyxl
    from generate import generate

    from relances_xl.excel import guard

    with tempfile.TemporaryDirectory() as tmp:
        workbook = Path(tmp) / "Relances.xlsm"
        generate(workbook, args.factures)

        def lock() -> None:
            with guard.exclusive(workbook, wait=0):
                pass

        steps = {
            "readable (every part, CRC)": lambda: guard.check_readable(workbook),
            "owner files": lambda: guard.check_not_open(workbook),
            "lock taken and released": lock,
            "fingerprint x2 (SHA-256)": lambda: (guard.Fingerprint.of(workbook),
                                                 guard.Fingerprint.of(workbook)),
        }
        times = {name: best(step, args.repeat) for name, step in steps.items()}
        load = best(lambda: openpyxl.load_workbook(workbook, keep_vba=True),
                    max(1, args.repeat // 2))
        size = workbook.stat().st_size / 1e6
    print(f"{args.factures} factures, Relances.xlsm {size:.1f} MB, best of {args.repeat}")
    for name, seconds in times.items():
        print(f"  {name:<28} {seconds * 1000:9.1f} ms")
    total = sum(times.values())
    print(f"  {'guards, total':<28} {total * 1000:9.1f} ms")
    print(f"  {'openpyxl load (keep_vba)':<28} {load * 1000:9.1f} ms")
    print(f"  guards / load: {total / load:.3f}")


if __name__ == "__main__":
    main()
