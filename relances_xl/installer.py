"""`relances-xl installer DOSSIER`: the workbook and its Python, ready for Excel, in one go.

What a new user on Windows or macOS would otherwise do by hand, in the order Excel
needs it: a virtual environment `.venv` in DOSSIER holding this package (the
workbook's macro looks for it there, `excel/vba/Relances.bas`), then a fresh
`Relances.xlsm` beside it (a workbook already there is kept as it is), unblocked
("Mark of the Web", macOS quarantine) so that Excel offers to enable its macros; on
macOS, xlwings' AppleScript (`xlwings runpython install`) and the venv's interpreter
written in the workbook's `xlwings.conf` (VBA cannot find a folder beside the workbook
there); on OneDrive or SharePoint, where Excel sees the workbook's folder as a URL, the
same for Windows. It then says what it did and what to click.

This module imports nothing outside the standard library at load time: the release
archive's `Installer.cmd` and `Installer.command` run it from the wheel itself, with a
Python that has nothing installed yet. The steps that need the package (building the
workbook, writing its conf sheet) run in the new venv's interpreter.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

WORKBOOK = "Relances.xlsm"
VENV = ".venv"
# the sample company's signature image, which its Paramètres names beside the workbook
# (sample.SIGNATURE_FILE: a test holds the two equal); copied with the sample workbook
SAMPLE_SIGNATURE = "signature-vigne.png"
DISTRIBUTION = "relances_xl"
ONEDRIVE_VARIABLES = ("OneDrive", "OneDriveCommercial", "OneDriveConsumer")


class InstallError(Exception):
    """A step failed; the message says which, in French."""


@dataclass(frozen=True)
class Step:
    """One thing the installer does: said to the user, then run (a command or a call)."""

    says: str
    command: Sequence[str] = ()
    call: Callable[[], object] | None = None


@dataclass
class Plan:
    folder: Path
    platform: str
    steps: list[Step] = field(default_factory=list)
    afterwards: list[str] = field(default_factory=list)  # what to click, once done


def venv_python(folder: Path, platform: str = sys.platform) -> PurePath:
    """DOSSIER/.venv/Scripts/python.exe on Windows, DOSSIER/.venv/bin/python elsewhere."""
    if platform == "win32":
        return PureWindowsPath(folder, VENV, "Scripts", "python.exe")
    return PurePosixPath(folder, VENV, "bin", "python")


def mac_interpreter(python: PurePath) -> str:
    """The `Interpreter_Mac` value that runs `python` whatever its folder's name.

    xlwings 0.37.8 on macOS (xlwings.bas `ExecuteMac`, xlwings-0.37.8.applescript
    `VbaHandler`) puts the value through AppleScript's `POSIX path of ("value")`, then
    at the head of a `do shell script` command line, unquoted: a space in a folder's
    name ("Cabinet Dupont") splits the command. So each name holding a character the
    shell would act on is put in single quotes; a quote or backslash, which would also
    end the AppleScript literal, is matched by the shell's `?` instead (outside the
    quotes), so the value holds neither a double quote nor a backslash. The path
    keeps its leading "/", as xlwings' documented values do.
    """
    return "/".join(_shell_word(part) for part in PurePosixPath(python).parts).replace(
        "//", "/", 1)


_SHELL_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                        "._-+,@%:/")


def _shell_word(name: str) -> str:
    if all(ch in _SHELL_SAFE or ord(ch) > 127 for ch in name):
        return name  # letters (accents too), digits and the harmless signs
    quoted = "".join("'?'" if ch in "'\\\"" else ch for ch in name)
    return f"'{quoted}'"


def venv_script(folder: Path, name: str, platform: str = sys.platform) -> PurePath:
    if platform == "win32":
        return PureWindowsPath(folder, VENV, "Scripts", name + ".exe")
    return PurePosixPath(folder, VENV, "bin", name)


def on_onedrive(folder: Path, environ: dict[str, str] | None = None) -> bool:
    """A folder synced by OneDrive (Excel then names the workbook by its URL)."""
    environ = dict(os.environ if environ is None else environ)
    text = str(folder).lower()
    roots = [environ.get(name, "") for name in ONEDRIVE_VARIABLES]
    return any(root and text.startswith(root.lower()) for root in roots)


def plan(folder: Path, package: str, *, workbook: Path | None = None,
         platform: str = sys.platform, python: str = sys.executable,
         environ: dict[str, str] | None = None) -> Plan:
    """The steps for `folder`, in order; nothing is done here."""
    folder = Path(folder)
    target = folder / WORKBOOK
    interpreter = str(venv_python(folder, platform))
    found = Plan(folder, platform)
    steps = found.steps
    steps.append(Step(f"Dossier : {folder}", call=lambda: folder.mkdir(parents=True,
                                                                        exist_ok=True)))
    if Path(interpreter).exists():
        steps.append(Step(f"Environnement Python déjà présent, réutilisé : {folder / VENV}"))
    else:
        steps.append(Step(f"Environnement Python créé : {folder / VENV}",
                          command=[python, "-m", "venv", str(folder / VENV)]))
    steps.append(Step(f"Installation de {DISTRIBUTION} et de ses dépendances depuis {package} "
                      "(une à trois minutes la première fois)…",
                      command=[interpreter, "-m", "pip", "install", "--upgrade",
                               "--disable-pip-version-check", "--no-input", package]))
    if target.exists():
        steps.append(Step(f"{WORKBOOK} existe déjà dans le dossier : gardé tel quel."))
    elif workbook is not None:
        steps.append(Step(f"Classeur copié : {target}",
                          call=lambda: target.write_bytes(Path(workbook).read_bytes())))
        signature = Path(workbook).parent / SAMPLE_SIGNATURE
        if signature.exists() and not (folder / SAMPLE_SIGNATURE).exists():
            steps.append(Step(f"Signature de l'exemple copiée : {folder / SAMPLE_SIGNATURE}",
                              call=lambda: shutil.copyfile(signature,
                                                           folder / SAMPLE_SIGNATURE)))
    else:
        steps.append(Step(f"Classeur écrit : {target}",
                          command=[interpreter, "-m", "relances_xl.cli", "build", "--out",
                                   str(target)]))
    if platform in ("win32", "darwin"):
        steps.append(Step("Classeur débloqué (fichier venu d'Internet) pour qu'Excel propose "
                          "d'activer ses macros.", call=lambda: unblock(target, platform)))
    conf = conf_entries(folder, platform, environ)
    for key, value in conf.items():
        steps.append(Step(f"xlwings.conf du classeur : {key} = {value}",
                          command=[interpreter, "-m", "relances_xl.installer", "--configurer",
                                   str(target), key, value]))
    if platform == "darwin":
        steps.append(Step("Pont AppleScript d'xlwings installé pour Excel "
                          "(xlwings runpython install).",
                          command=[str(venv_script(folder, "xlwings", platform)), "runpython",
                                   "install"]))
    found.afterwards = afterwards(folder, platform)
    return found


def conf_entries(folder: Path, platform: str, environ: dict[str, str] | None = None
                 ) -> dict[str, str]:
    """The `xlwings.conf` keys to write into the workbook for this folder, if any.

    On Windows the macro finds `.venv` beside the workbook by itself, unless the folder
    is on OneDrive (a URL for Excel); on macOS it cannot, so the path is written.
    """
    if platform == "darwin":
        return {"Interpreter_Mac": mac_interpreter(venv_python(folder, platform))}
    if platform == "win32" and on_onedrive(folder, environ):
        return {"Interpreter_Win": str(venv_python(folder, platform))}
    return {}


def afterwards(folder: Path, platform: str) -> list[str]:
    """What the user does next, in the order they do it."""
    keyring = venv_script(folder, "keyring", platform)
    enable = ("« Activer le contenu »" if platform != "darwin"
              else "« Activer les macros »")
    return [
        f"1. Ouvrez {folder / WORKBOOK} dans Excel.",
        f"2. Cliquez sur {enable} dans le bandeau jaune (ou dans la question) d'Excel.",
        "3. Feuille « Relances » : tapez 27/07/2022 dans « Échéances échues au », puis "
        "cliquez sur « Appliquer » : le tableau des relances de l'exemple se remplit.",
        "4. Remplacez ensuite les lignes d'exemple de Clients, Factures et Règlements par "
        "les vôtres (ou « Importer un FEC »), et vos sociétés dans Paramètres.",
        f"5. E-mail : mot de passe SMTP gardé par le système avec « {keyring} set "
        "relances_xl <utilisateur SMTP> ».",
    ]


def unblock(target: Path, platform: str = sys.platform) -> None:
    """Drop the mark a download leaves on the file: the `Zone.Identifier` stream on
    Windows, the `com.apple.quarantine` attribute on macOS. Absent: nothing to do."""
    if platform == "win32":
        with suppress(OSError):
            os.remove(f"{target}:Zone.Identifier")
    elif platform == "darwin" and shutil.which("xattr"):
        subprocess.run(["xattr", "-d", "com.apple.quarantine", str(target)],
                       capture_output=True, check=False)


def run(found: Plan, say: Callable[[str], None] = print) -> None:
    """Do the steps in order, saying each; the first failure stops with InstallError."""
    for step in found.steps:
        say(step.says)
        if step.call is not None:
            step.call()
        if step.command:  # from the folder: never a `relances_xl` of the current folder
            done = subprocess.run(list(step.command), check=False, cwd=found.folder)
            if done.returncode != 0:
                raise InstallError(f"échec de l'étape ci-dessus (code {done.returncode}) : "
                                   f"{' '.join(step.command)}")


def this_package() -> str:
    """What to install into the new venv: where this package was installed from (the
    wheel or the project folder, as pip recorded it), or the wheel it runs from."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if parent.suffix == ".whl" and parent.is_file():
            return str(parent)
    for distribution in metadata.distributions(name=DISTRIBUTION):
        direct = distribution.read_text("direct_url.json")  # PEP 610, written by pip
        if not direct:
            continue  # a source tree's egg-info on sys.path: not an installation
        url = json.loads(direct).get("url", "")
        if url.startswith("file://"):
            from urllib.parse import unquote, urlparse

            path = unquote(urlparse(url).path)
            if os.name == "nt" and path.startswith("/"):
                path = path[1:]
            return path
    return f"{DISTRIBUTION}=={metadata.version(DISTRIBUTION)}"


def install(folder: Path, package: str | None = None, workbook: Path | None = None,
            say: Callable[[str], None] = print) -> int:
    """The whole installation; 0 when done, 1 when a step failed (said in French)."""
    found = plan(Path(folder).expanduser().resolve(), package or this_package(),
                 workbook=workbook)
    try:
        run(found, say)
    except (InstallError, OSError) as error:
        say(f"ERREUR : {error}")
        say("Rien d'autre n'a été fait ; corrigez puis relancez : les étapes déjà faites "
            "sont reprises sans rien perdre.")
        return 1
    say("")
    say("C'est prêt. Ensuite :")
    for line in found.afterwards:
        say(line)
    return 0


def set_conf(workbook: Path, key: str, value: str) -> None:
    """Write `key` = `value` in the workbook's `xlwings.conf` sheet (replacing the key,
    else after the last one), through the command line's guarded open and save."""
    from . import layout
    from .excel.session import opened
    from .excel.text_cells import as_text

    with opened(Path(workbook)) as book:
        sheet = book.sheets[layout.XLWINGS_CONF]
        keys = sheet.range("A1:A50").value
        upper = [str(k).upper() if k else None for k in keys]
        row = upper.index(key.upper()) + 1 if key.upper() in upper else upper.index(None) + 1
        sheet.range(f"A{row}").value = key
        sheet.range(f"B{row}").value = as_text(value)  # a path stays text, whatever it is


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--configurer"]:  # the installer's own step, in the new venv
        set_conf(Path(argv[1]), argv[2], argv[3])
        return 0
    parser = argparse.ArgumentParser(prog="relances-xl installer",
                                     description=__doc__.splitlines()[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    return install(args.dossier, args.paquet, args.classeur)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dossier", type=Path, metavar="DOSSIER",
                        help="dossier du classeur (créé au besoin)")
    parser.add_argument("--paquet", help="roue (.whl) ou dossier du projet à installer "
                        "(défaut : d'où ce paquet a été installé)")
    parser.add_argument("--classeur", type=Path, help="Relances.xlsm à copier (défaut : un "
                        "classeur neuf écrit par le paquet installé)")


if __name__ == "__main__":
    sys.exit(main())
