"""Word templates -> letters, with docxtpl, in a sandbox.

Templates are edited by users in Word, so they are untrusted input: Jinja runs in
a `SandboxedEnvironment` (no reaching Python internals from a merge field), with
autoescape on (a customer called « Dupont & Fils <SARL> » must give valid XML),
and with `StrictUndefined` (a misspelt field stops the run instead of printing
nothing). `check_fields` finds unknown fields before the first letter is made,
so a bad template never leaves half a batch sent.
"""

from __future__ import annotations

import copy
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, Template, nodes
from jinja2 import TemplateError as JinjaError
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from lxml.etree import XMLSyntaxError

from .. import templates
from ..config import Settings
from ..errors import RelancesError
from .epc import Picture, TransferQr
from .fields import field_paths
from .formats import langue_of

# the repository's top-level templates/, installed as the package relances_xl.templates
TEMPLATES_DIR = Path(templates.__file__).resolve().parent
_FORME = re.compile(r"[A-Za-z0-9_-]+")


class TemplateError(RelancesError):
    """A template cannot be used: absent, unreadable, unknown field or refused code.

    The message is French and names the template file, for the user to fix it.
    """


_KEPT = 64  # distinct template parts remembered (forms x languages x parts)


def _remembered(cache: dict[str, Any], key: str, make: Callable[[], Any]) -> Any:
    """A small first-in, first-out memo: a run uses a handful of templates."""
    found = cache.get(key)
    if found is None:
        found = make()
        if len(cache) >= _KEPT:
            cache.pop(next(iter(cache)))
        cache[key] = found
    return found


class _CompilingOnce(SandboxedEnvironment):
    """The sandbox, compiling each template's XML once for a whole run.

    docxtpl hands over the same XML for every letter of a template; compiling it
    again for each letter was half the rendering time (see bench/letters.py).
    """

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined)
        self._compiled: dict[str, Template] = {}

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        return _remembered(self._compiled, source, lambda: super(
            _CompilingOnce, self).from_string(source))


_ENVIRONMENT = _CompilingOnce()


# a tab, a line break, a paragraph break or a page break inside a text (`<w:t>`)
_TYPED_BREAK = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\a\n\f]")


class _Template(DocxTemplate):
    """docxtpl's template, opening each template file and cleaning each distinct XML
    once for a whole run.

    `patch_xml` (regular expressions over the whole document) depends on the XML
    alone and was the costliest step of each letter. Opening the .docx (reading and
    parsing every part) came next: each letter now starts from a copy of the template
    opened once, cheaper than opening it (bench/letters.py, docs/performance.md).
    """

    _patched: ClassVar[dict[str, str]] = {}
    _opened: ClassVar[dict[str, Any]] = {}

    def patch_xml(self, src_xml: str) -> str:
        return _remembered(self._patched, src_xml, lambda: super(
            _Template, self).patch_xml(src_xml))

    def resolve_listing(self, xml: str) -> str:
        """docxtpl turns a tab, a line or a page break typed in a value into Word's, in
        three nested passes of regular expressions over every paragraph (half a
        millisecond of a letter's three). A part whose texts hold none of these
        characters is left as it is: those passes would change nothing in it (a
        picture's XML has line breaks of its own, between its tags)."""
        if _TYPED_BREAK.search(xml):
            return super().resolve_listing(xml)
        return xml

    def init_docx(self, reload: bool = True) -> None:
        if self.docx and not (self.is_rendered and reload):
            return
        path = Path(self.template_file)
        stat = path.stat()  # a template edited since is opened again
        key = f"{path.resolve()}|{stat.st_mtime_ns}|{stat.st_size}"
        self.docx = copy.deepcopy(_remembered(self._opened, key,
                                              lambda: Document(str(path))))
        self.is_rendered = False


def jinja_env() -> SandboxedEnvironment:
    """The one environment every template is parsed and rendered with."""
    return _ENVIRONMENT


def templates_folder(settings: Settings) -> Path | None:
    """The folder of the user's own templates (Paramètres), None for the package's."""
    folder = settings.option("dossier_modeles")
    return Path(folder) if folder else None


def template_path(forme: str, langue: str, folder: Path | None = None) -> Path:
    """LET02 + DE -> LET02_DE.docx; the French template when that language has none."""
    folder = TEMPLATES_DIR if folder is None else Path(folder)
    forme = (forme or "").strip().upper()
    if not _FORME.fullmatch(forme):
        raise TemplateError(f"Forme « {forme} » invalide : lettres, chiffres, _ ou - seulement.")
    wanted = f"{forme}_{langue_of(langue)}.docx"
    for name in dict.fromkeys((wanted, f"{forme}_FR.docx")):
        found = _find(folder, name)
        if found is not None:
            return found
    raise TemplateError(f"Modèle {wanted} introuvable dans {folder} (ni {forme}_FR.docx).")


def _find(folder: Path, name: str) -> Path | None:
    """The file, whatever the case of its name: users rename templates by hand."""
    exact = folder / name
    if exact.is_file():
        return exact
    if not folder.is_dir():
        return None
    return next((p for p in sorted(folder.iterdir())
                 if p.name.casefold() == name.casefold() and p.is_file()), None)


def render_letter(template: Path, context: dict, out: Path) -> Path:
    """Merge `context` into the template and save the .docx to `out`."""
    doc = _Template(template)
    with _template_errors(template):
        doc.render(with_images(doc, context), jinja_env=jinja_env())
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    return out


# From this many letters a second process renders half of them: on two cores the
# rendering then takes a little over half the time (bench/letters.py); under it, the
# second process's start costs more than it saves.
PARALLEL_FROM = 60
T = TypeVar("T")
Job = tuple[Path, dict, str]  # template, context, name of the .docx (no extension)


def render_letters(jobs: list[Job], work: Path,
                   progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """Each (template, context, name) merged into `work/<name>.docx`, in the order of
    `jobs`; with many letters and two cores, the second half in a second process."""
    return in_two_halves(_render_all, jobs, work, progress)


def in_two_halves(render_all: Callable[..., list[T]], jobs: list[Job], work: Path,
                  progress: Callable[[int, int], None] | None = None) -> list[T]:
    """`render_all(jobs, work, count)` on the jobs, in their order; from PARALLEL_FROM
    jobs on two cores, the second half in a second process (`render_all` must be a
    module's function, for that process to find it)."""
    def count(done: int) -> None:
        if progress:
            progress(done, len(jobs))

    if len(jobs) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        return render_all(jobs, work, count)
    half = len(jobs) // 2
    with ProcessPoolExecutor(max_workers=1) as pool:
        other = pool.submit(render_all, jobs[half:], work)
        mine = render_all(jobs[:half], work, lambda done: count(2 * done))
        theirs = other.result()  # re-raises the other process's TemplateError
    count(len(jobs))
    return mine + theirs


def _render_all(jobs: list[Job], work: Path,
                count: Callable[[int], None] | None = None) -> list[Path]:
    made = []
    for done, (template, context, name) in enumerate(jobs, start=1):
        made.append(render_letter(template, context, work / f"{name}.docx"))
        if count:
            count(done)
    return made


def with_images(doc: DocxTemplate, context: Mapping[str, Any]) -> dict:
    """The context with its pictures (signature, QR code) as docxtpl's own inline images,
    which need the document they go into; the context itself stays plain values."""
    def convert(value: Any) -> Any:
        if isinstance(value, Picture | TransferQr):
            return InlineImage(doc, io.BytesIO(value.image()), width=Mm(value.width_mm))
        if isinstance(value, Mapping):
            return {key: convert(item) for key, item in value.items()}
        if isinstance(value, list):
            return [convert(item) for item in value]
        return value

    return convert(context)


def check_fields(template: Path, context: Mapping[str, object]) -> None:
    """Refuse, before any letter is made, a template naming a field the context lacks.

    Top-level names come from docxtpl's own analysis; names used inside a loop
    (`l.numero` in `{%tr for l in lignes %}`) are checked against the loop's items.
    Attributes starting with "_" are refused outright: they only serve to reach
    Python internals, which the sandbox would refuse at render time anyway.
    """
    env = jinja_env()
    doc = DocxTemplate(template)
    with _template_errors(template):
        missing = doc.get_undeclared_template_variables(jinja_env=env, context=dict(context))
        trees = [env.parse(source) for source in _sources(doc)]
    missing -= set(env.globals)
    known = field_paths(context)
    mappings = {path.rsplit(".", 1)[0] for path in known if "." in path}
    for tree in trees:
        used, unsafe = _used_paths(tree)
        if unsafe:
            names = ", ".join(f"« {name} »" for name in sorted(unsafe))
            raise _error(template, f"accès interdit à {names} "
                                   "(réservé au fonctionnement interne de Python)")
        missing |= {p for p in used
                    if "." in p and p.rsplit(".", 1)[0] in mappings and p not in known}
    if missing:
        plural = "champs inconnus" if len(missing) > 1 else "champ inconnu"
        names = ", ".join(f"« {name} »" for name in sorted(missing))
        raise _error(template, f"{plural} {names}")


@contextmanager
def _template_errors(template: Path) -> Iterator[None]:
    """Turns what docxtpl and Jinja raise on a bad template into one TemplateError."""
    try:
        yield
    except SecurityError as error:
        raise _error(template, f"code refusé par le bac à sable ({error})") from error
    except UndefinedError as error:
        raise _error(template, f"champ inconnu ({error})") from error
    except TemplateSyntaxError as error:
        raise _error(template, f"balise mal formée ({error.message})") from error
    except JinjaError as error:
        raise _error(template, f"erreur dans le modèle ({error})") from error
    except (PackageNotFoundError, zipfile.BadZipFile, FileNotFoundError) as error:
        raise _error(template, "fichier absent ou qui n'est pas un document Word (.docx)"
                     ) from error
    except XMLSyntaxError as error:
        raise _error(template, "les balises produisent un document Word invalide "
                     "({%tr ou {%p mal placés ?)") from error


def _error(template: Path, why: str) -> TemplateError:
    return TemplateError(f"Modèle {Path(template).name} : {why}")


def _sources(doc: DocxTemplate) -> Iterator[str]:
    """The Jinja source of the body, headers and footers, as docxtpl prepares it."""
    doc.init_docx()
    yield doc.patch_xml(doc.get_xml())
    for uri in (doc.HEADER_URI, doc.FOOTER_URI):
        for _key, part in doc.get_headers_footers(uri):
            yield doc.patch_xml(doc.get_part_xml(part))


def _used_paths(tree: nodes.Node) -> tuple[set[str], set[str]]:
    """Field paths the template reads (`lignes[].numero`), and attributes starting "_"."""
    used: set[str] = set()
    unsafe: set[str] = set()

    def resolve(node: nodes.Node, scope: Mapping[str, str]) -> str | None:
        if isinstance(node, nodes.Name):
            return scope.get(node.name, node.name)
        attr = _attribute(node)
        if attr is None:
            return None
        base = resolve(node.node, scope)  # type: ignore[attr-defined]
        return f"{base}.{attr}" if base else None

    def visit(node: nodes.Node, scope: dict[str, str]) -> None:
        attr = _attribute(node)
        if attr is not None:
            if attr.startswith("_"):
                unsafe.add(attr)
            path = resolve(node, scope)
            if path:
                used.add(path)
        if isinstance(node, nodes.For):
            visit(node.iter, scope)
            inner = dict(scope)
            base = resolve(node.iter, scope)
            if isinstance(node.target, nodes.Name) and base:
                inner[node.target.name] = f"{base}[]"
            for child in [*node.body, *node.else_, *([node.test] if node.test else [])]:
                visit(child, inner)
            return
        for child in node.iter_child_nodes():
            visit(child, scope)

    visit(tree, {})
    return used, unsafe


def _attribute(node: nodes.Node) -> str | None:
    """`x.name` and `x["name"]` alike: both read the field "name"."""
    if isinstance(node, nodes.Getattr):
        return node.attr
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return node.arg.value if isinstance(node.arg.value, str) else None
    return None
