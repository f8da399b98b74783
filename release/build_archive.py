"""The release archive, in one command: `python release/build_archive.py [--out dist]`.

`dist/relances-xl-<version>.zip` holds, in a folder of the same name, what a user on
Windows or macOS unpacks and double-clicks: the wheel (`python -m build`), the workbook
(built from these sources, the bytes of `workbook/Relances.xlsm`), `Installer.cmd`,
`Installer.command` (executable), `LISEZMOI.txt`, the sample company's signature image
(which the workbook's Paramètres names beside it) and `Guide de l'utilisateur.pdf` (the
French user guide of docs/guide/, made by release/guide_pdf.py). Both installers run
`relances_xl.installer` from the wheel with the Python they find.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STAMP = (2026, 1, 1, 0, 0, 0)  # every entry's date: the same archive for the same files
SCRIPTS = ("Installer.cmd", "Installer.command")


def version() -> str:
    namespace: dict[str, str] = {}
    exec((ROOT / "relances_xl" / "__init__.py").read_text(encoding="utf-8"), namespace)
    return namespace["__version__"]


def build_wheel(into: Path) -> Path:
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(into),
                    str(ROOT)], check=True)
    (wheel,) = into.glob("relances_xl-*.whl")
    return wheel


def build_archive(out: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(HERE))
    from guide_pdf import NAME as GUIDE
    from guide_pdf import build_guide_pdf

    from relances_xl.excel.build import build_workbook
    from relances_xl.sample import SIGNATURE_FILE

    name = f"relances-xl-{version()}"
    out.mkdir(parents=True, exist_ok=True)
    archive = out / f"{name}.zip"
    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_wheel(Path(tmp) / "wheel")
        workbook = build_workbook(Path(tmp) / "Relances.xlsm")
        readme = (HERE / "LISEZMOI.txt").read_bytes().replace(b"{version}",
                                                               version().encode())
        entries = [("LISEZMOI.txt", readme, 0o644),
                   *((script, (HERE / script).read_bytes(), 0o755 if script.endswith(
                       ".command") else 0o644) for script in SCRIPTS),
                   ("Relances.xlsm", workbook.read_bytes(), 0o644),
                   # the sample's signature, which the workbook's Paramètres names beside it
                   (SIGNATURE_FILE, (workbook.parent / SIGNATURE_FILE).read_bytes(), 0o644),
                   (GUIDE, build_guide_pdf(Path(tmp) / GUIDE).read_bytes(), 0o644),
                   (wheel.name, wheel.read_bytes(), 0o644)]
        partial = archive.with_suffix(".zip.part")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as package:
            for entry, data, mode in entries:
                info = zipfile.ZipInfo(f"{name}/{entry}", STAMP)
                info.external_attr = (0o100000 | mode) << 16  # a regular file, its mode
                info.compress_type = zipfile.ZIP_DEFLATED
                package.writestr(info, data)
        partial.replace(archive)
    return archive


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    args = parser.parse_args(argv)
    print(f"Archive écrite : {build_archive(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
