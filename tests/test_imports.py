"""The layers of docs/design.md, read from the source with `ast`: imports run downward only.

The domain (the ledger's values, the workbook contract, the rules) imports no adapter
and no action, so it runs and is tested without a workbook, a letter or a command line;
the headless engine knows nothing of this project; and no two modules import each
other, even through others, when they load.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "relances_xl"

# The layers, bottom first; every module of the package belongs to exactly one.
DOMAIN = {
    "model", "config", "layout", "texts", "cells", "errors", "parse_memo", "long_lived",
    "rules", "rules.interest", "rules.engine", "rules.levels", "rules.table_row",
    "rules.allocation", "rules.aging",
    "rules.dashboard", "rules.findings", "rules.imputation", "rules.rates_table",
    "rules.statement", "rules.followup", "rules.timeline", "rules.currencies",
    "rules.recovery",
    "ledger", "followup_sheet", "parametres", "proposal", "sample",
    "fec", "fec.read", "fec.lines", "fec.encoding", "fec.numbers", "fec.plan", "fec.changes",
}
ENGINE = "headless"  # the package relances_xl/headless
ADAPTERS = ("excel", "letters")  # packages: the workbook's sheets and VBA, the letters
# the actions, bottom first: what the buttons share, the letters' button, the add-in (which
# runs the FEC import and names the letters' button), the recovery file's button, the
# command line runs the add-in and the installer; none imports one after it
ACTIONS_ORDER = ("fec.importer", "buttons", "impression", "addin", "recouvrement", "installer",
                 "terminal", "demo", "cli")
ACTIONS = set(ACTIONS_ORDER)
# the layers, bottom first: a module imports from its own layer or those before it
# ("package", relances_xl/__init__.py, holds only the version)
LAYERS = ("package", "domain", "engine", "adapter", "action")


def project_modules(package: Path) -> dict[str, Path]:
    """Dotted name under the package ("excel.sheets", "model") -> its file."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _is_type_checking(node: ast.stmt) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def _statements(body: list[ast.stmt], module_level: bool):
    """The import statements run at load time (module_level), or anywhere in the file."""
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif module_level and (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                               or _is_type_checking(node)):
            continue  # runs later, or never
        else:
            for field in ("body", "orelse", "finalbody", "handlers"):
                children = getattr(node, field, None)
                if isinstance(children, list):
                    yield from _statements(
                        [c for c in children if isinstance(c, ast.AST)], module_level)


def imports_of(name: str, path: Path, modules: dict[str, Path], root: str,
               module_level: bool) -> set[str]:
    """The project modules `name` imports, resolved to their dotted names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parts = name.split(".") if name else []
    package = parts if path.name == "__init__.py" else parts[:-1]
    found = set()
    for node in _statements(tree.body, module_level):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
            found.update(_ours(t, modules, root) for t in targets)
            continue
        if node.level:
            base = package[:len(package) - node.level + 1] if node.level > 1 else package
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
        else:
            module = node.module or ""
            if module != root and not module.startswith(root + "."):
                continue
            module = module[len(root) + 1:]
        for alias in node.names:
            inner = f"{module}.{alias.name}" if module else alias.name
            found.add(inner if inner in modules else module)
    found.discard(None)
    found.discard(name)
    return {m for m in found if m in modules}


def _ours(target: str, modules: dict[str, Path], root: str) -> str | None:
    if target == root or target.startswith(root + "."):
        inner = target[len(root) + 1:]
        return inner if inner in modules else None
    return None


def layer(name: str) -> str:
    top = name.split(".")[0]
    if name in DOMAIN:
        return "domain"
    if top == ENGINE:
        return "engine"
    if top in ADAPTERS:
        return "adapter"
    if name in ACTIONS:
        return "action"
    return "package" if name == "" else "unknown"


def graph(package: Path, module_level: bool) -> dict[str, set[str]]:
    modules = project_modules(package)
    return {name: imports_of(name, path, modules, package.name, module_level)
            for name, path in modules.items()}


def cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def rank(name: str) -> tuple[int, int]:
    """Where a module stands, bottom first: its layer, then among the actions its place."""
    found = layer(name)
    if found == "unknown":
        return (len(LAYERS), 0)
    return (LAYERS.index(found), ACTIONS_ORDER.index(name) if found == "action" else 0)


def upward_imports(edges: dict[str, set[str]]) -> list[str]:
    """Each import that breaks a rule of the layers, as "importer -> imported": one that
    runs upward (to a later layer, or to a later action), and any import of the project
    by the headless engine but of its own modules."""
    broken = []
    for importer, imported in sorted(edges.items()):
        for target in sorted(imported):
            engine = layer(importer) == "engine"
            if engine and layer(target) == "engine":
                continue  # the engine's modules among themselves
            if engine or rank(target) > rank(importer):
                broken.append(f"{importer} ({layer(importer)}) -> {target} ({layer(target)})")
    return broken


def test_the_layers_run_bottom_up_and_the_command_line_is_the_last_action():
    assert [rank(name)[0] for name in ("model", "headless.app", "excel.sheets", "addin")] \
        == [1, 2, 3, 4]
    assert sorted(ACTIONS, key=rank) == ["fec.importer", "buttons", "impression", "addin",
                                         "recouvrement", "installer", "terminal", "demo",
                                         "cli"]


def test_every_module_of_the_package_has_its_layer():
    unknown = [name for name in project_modules(PACKAGE) if layer(name) == "unknown"]
    assert unknown == [], "add them to a layer here and in docs/design.md"


def test_the_domain_imports_no_adapter_no_action_and_the_engine_nothing_of_ours():
    # anywhere in a file, a function's lazy import included
    assert upward_imports(graph(PACKAGE, module_level=False)) == []


def test_no_two_modules_import_each_other_when_they_load():
    assert cycle(graph(PACKAGE, module_level=True)) is None


def test_the_layer_names_of_design_md_are_those_checked_here():
    design = (PACKAGE.parent / "docs" / "design.md").read_text(encoding="utf-8")
    missing = [f"`{name}`" for name in sorted(DOMAIN | ACTIONS) if f"`{name}`" not in design]
    assert missing == []


@pytest.fixture
def toy(tmp_path: Path) -> Path:
    """A package shaped like ours, with one import of each kind the rules catch."""
    root = tmp_path / "relances_xl"
    (root / "excel").mkdir(parents=True)
    (root / "headless").mkdir()
    files = {
        "__init__.py": "",
        "model.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                    "    from .ledger import x\n",
        "ledger.py": "from . import model\n\ndef late():\n    from .excel import sheets\n",
        "layout.py": "import relances_xl.model\n",
        "excel/__init__.py": "",
        "excel/sheets.py": "from .. import layout\nfrom ..cli import main\n",
        "headless/__init__.py": "from . import app\n",
        "headless/app.py": "from ..model import ZERO\n",
        "cli.py": "from .excel.sheets import write\nfrom . import addin\n",
        "addin.py": "from . import cli\n",
        "installer.py": "def later():\n    from .cli import opened\n",
    }
    for name, text in files.items():
        (root / name).write_text(text)
    return root


def test_the_checker_finds_an_upward_import_a_lazy_one_and_a_cycle(toy: Path):
    edges = graph(toy, module_level=False)
    assert upward_imports(edges) == [
        "addin (action) -> cli (action)",
        "excel.sheets (adapter) -> cli (action)",
        "headless.app (engine) -> model (domain)",
        "installer (action) -> cli (action)",
        "ledger (domain) -> excel.sheets (adapter)",
    ]
    assert graph(toy, module_level=True)["ledger"] == {"model"}
    assert graph(toy, module_level=True)["layout"] == {"model"}
    assert graph(toy, module_level=True)["model"] == set()  # TYPE_CHECKING: not at load
    assert cycle(graph(toy, module_level=True)) == ["addin", "cli", "addin"]
