"""LibreOffice in batch mode, for `pdf.convert_to_pdf`: one `soffice --convert-to`
start converts many documents, and `processes` of them run side by side.

Starting LibreOffice costs many times what converting a one-page letter does. Letters
of one template are given to it in bundles (bundle.py) and each bundle's PDF is cut
back into one PDF per letter as soon as LibreOffice has written it, while it converts
the next (it announces each document before storing it). Each running instance needs
its own profile folder (LibreOffice refuses to share one between live instances, and a
user's open LibreOffice would otherwise swallow the job); the folders are kept in a
pool for the life of the Python process, as a start in a new profile costs more.
LibreOffice exits with 0 whatever it could not convert: the caller checks every PDF.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from contextlib import AbstractContextManager
from pathlib import Path

from ..errors import ConversionError
from .bundle import (
    Bundle,
    BundleError,
    Finish,
    Letter,
    alone,
    bundles_at,
    plan_bundles,
    plan_positions,
    split_bundle,
)
from .render import PARALLEL_FROM

# LibreOffice's launcher silently drops arguments past about the 254th (7.4 on Linux:
# 500 documents given, 242 converted, exit code 0), so one start gets at most this many.
MAX_ARGUMENTS = 250
# Characters of one command line: Windows stops at 32,767, macOS's ARG_MAX is 1 MiB.
MAX_COMMAND_CHARS = 30_000 if sys.platform == "win32" else 200_000
# The PDF export, with Word bookmarks as named destinations: they mark where each
# letter of a bundle starts (LibreOffice 7.4+ reads filter options written as JSON),
# and each picture as it is in the letter: by default LibreOffice resamples every
# picture printed above 300 dpi, again on each page that shows it (a signature
# scanned a little finer than that was a tenth of a bundle's conversion), where Word
# prints the picture as it is.
PDF_EXPORT = ('pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":'
              '{"type":"boolean","value":"true"},'
              '"ReduceImageResolution":{"type":"boolean","value":"false"}}')
# Letters of one template laid end to end in one document for LibreOffice (bundle.py).
BUNDLE_LETTERS = 200
# The last bundle of a LibreOffice start: its cut is what is left once LibreOffice exits.
LAST_BUNDLE_LETTERS = 50

# Force the Word 2007+ import filter on .docx: without it LibreOffice "converts" a
# damaged file as plain text and the failure goes unnoticed.
INPUT_FILTERS = {".docx": "MS Word 2007 XML"}


class _ProfilePool:
    """LibreOffice profile folders, one per running instance, kept for the next batch."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._free: list[Path] = []
        self._all: list[Path] = []
        atexit.register(self.remove_all)

    def take(self) -> Path:
        with self._lock:
            if self._free:
                return self._free.pop()
            folder = Path(tempfile.mkdtemp(prefix="relances-lo-profile-"))
            self._all.append(folder)
            return folder

    def give_back(self, folder: Path) -> None:
        with self._lock:
            self._free.append(folder)

    def discard(self, folder: Path) -> None:
        """A killed instance may leave its profile locked: never reuse it."""
        with self._lock:
            if folder in self._all:
                self._all.remove(folder)
        shutil.rmtree(folder, ignore_errors=True)

    def remove_all(self) -> None:
        with self._lock:
            folders, self._all, self._free = self._all, [], []
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


_PROFILES = _ProfilePool()


def convert(
    soffice: str, documents: list[Path | Letter], out_dir: Path, processes: int,
    timeout: float, progress: Callable[[int, int], None] | None,
    made: Callable[[Mapping[Path, int | None]], None], finish: Finish | None = None,
) -> None:
    """Letters of one template go through LibreOffice in bundles (bundle.py), the rest
    alone; a bundle that does not cut cleanly into its letters is converted again
    letter by letter, so the result is the same either way, only slower. `finish` is
    given each letter cut from a bundle before it is written (`split_bundle`)."""
    deadline = time.monotonic() + timeout
    done = 0

    def count(letters: int) -> None:
        nonlocal done
        done += letters
        if progress:
            progress(done, len(documents))

    with tempfile.TemporaryDirectory(prefix="relances-lots-") as staging, \
            ThreadPoolExecutor(max_workers=1) as cutter:
        folder = Path(staging)
        by_source: dict[Path, Bundle] = {}  # every bundle, in the order planned
        cut: dict[Path, Future[None]] = {}

        def planned() -> Iterator[list[Bundle]]:
            for part in _planned(documents, processes, folder / "docx"):
                by_source.update((bundle.source, bundle) for bundle in part)
                yield part

        def converted(source: Path) -> None:  # a bundle's PDF is whole: cut it meanwhile
            cut[source] = cutter.submit(_deliver, by_source[source], folder, out_dir, made,
                                        finish)

        _run_libreoffice(soffice, planned(), folder, processes, deadline, count, converted)
        again = []
        for bundle in by_source.values():
            try:  # a bundle LibreOffice did not announce is delivered here
                cut[bundle.source].result() if bundle.source in cut else _deliver(
                    bundle, folder, out_dir, made, finish)
            except BundleError:
                again += [alone(letter, folder / "docx") for letter in bundle.letters]
        if again:  # already counted in the progress
            _run_libreoffice(soffice, [again], out_dir, processes, deadline, lambda _: None,
                             split=processes)


def _planned(documents: list[Path | Letter], processes: int, folder: Path
             ) -> Iterator[list[Bundle]]:
    """One share of the letters a process, each to be started as soon as its bundles
    are written: the first share's here, the others' at the same time in another
    process when there are many letters (docs/performance.md)."""
    shares = _shares(documents, processes)
    plan = {"folder": folder, "size": BUNDLE_LETTERS, "last": LAST_BUNDLE_LETTERS}
    with _elsewhere(sum(map(len, shares[1:]))) as pool:
        later = {} if pool is None else {
            number: pool.submit(plan_positions, share, name=f"lot{number}", **plan)
            for number, share in enumerate(shares[1:], start=2)}
        for number, share in enumerate(shares, start=1):
            yield (bundles_at(later[number].result(), share) if number in later
                   else plan_bundles(share, name=f"lot{number}", **plan))


def _elsewhere(letters: int) -> AbstractContextManager[ProcessPoolExecutor | None]:
    """Where the bundles of the shares after the first are written: another process
    from PARALLEL_FROM letters on two cores (None: here, after the first share's)."""
    if letters < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        return contextlib.nullcontext()
    return ProcessPoolExecutor(max_workers=1)


def _shares(documents: list[Path | Letter], processes: int) -> list[list[Path | Letter]]:
    """The documents in `processes` runs of consecutive documents, as even as can be."""
    count = len(documents)
    shares = [documents[n * count // processes:(n + 1) * count // processes]
              for n in range(processes)]
    return [share for share in shares if share]


def _deliver(bundle: Bundle, folder: Path, out_dir: Path,
             made: Callable[[Mapping[Path, int | None]], None],
             finish: Finish | None = None) -> None:
    """The PDFs of a bundle's letters into `out_dir`: its PDF cut at each letter, or
    moved there for a document given alone; then `made` of them, with their page
    counts where the cut gives them. Raises BundleError (split_bundle)."""
    converted = folder / f"{bundle.source.stem}.pdf"
    if bundle.bundled:
        made(split_bundle(converted, bundle, out_dir, finish))
    elif converted.exists():
        shutil.move(converted, out_dir / converted.name)
        made({out_dir / converted.name: None})


def _run_libreoffice(
    soffice: str, groups: Iterable[list[Bundle]], out_dir: Path, processes: int,
    deadline: float, count: Callable[[int], None],
    converted: Callable[[Path], None] | None = None, split: int = 1,
) -> None:
    """`processes` LibreOffice starts at a time until every bundle went through one,
    each group of bundles started as soon as it is there, in `split` even batches or a
    multiple of them; `converted(source)` as soon as a document's PDF is written
    (`run_batch`)."""
    stop = threading.Event()
    pending: set[Future[list[Path]]] = set()
    with ThreadPoolExecutor(max_workers=processes) as pool:
        try:
            for bundles in groups:
                letters = {bundle.source: bundle.letters for bundle in bundles}
                pending.update(
                    pool.submit(run_batch, cmd, [ltr for doc in batch for ltr in letters[doc]],
                                deadline, stop, sources=batch, converted=converted)
                    for cmd, batch in _batches(soffice, list(letters), out_dir, split))
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    count(len(future.result()))  # re-raises the batch's error
        finally:
            stop.set()  # batches not started yet return at once; running ones are killed


def _batches(
    soffice: str, documents: list[Path], out_dir: Path, processes: int
) -> Iterator[tuple[list[str], list[Path]]]:
    """Commands (without the profile) and their documents, in order: as few starts as
    MAX_ARGUMENTS allows, in a multiple of `processes` even batches so that no process
    is left working alone at the end, cut further under the command-line limit."""
    suffixes = {d.suffix.lower() for d in documents}
    in_filter = INPUT_FILTERS.get(suffixes.pop()) if len(suffixes) == 1 else None
    base = [soffice, "--headless", "--norestore"]
    if in_filter:
        base.append(f"--infilter={in_filter}")
    base += ["--convert-to", PDF_EXPORT, "--outdir", str(out_dir)]
    per_start = max(1, MAX_ARGUMENTS - len(base) - 1)  # 1: the profile
    starts = -(-len(documents) // per_start)
    starts = min(len(documents), -(-starts // processes) * processes)  # ceil to a multiple
    room = MAX_COMMAND_CHARS - sum(len(a) + 3 for a in base) - 300  # 300: the profile URL
    count = len(documents)
    for number in range(starts):
        share = documents[number * count // starts : (number + 1) * count // starts]
        batch: list[Path] = []
        used = 0
        for doc in share:
            size = len(str(doc)) + 3
            if batch and used + size > room:
                yield base + [str(d) for d in batch], batch
                batch, used = [], 0
            batch.append(doc)
            used += size
        yield base + [str(d) for d in batch], batch


def run_batch(
    command: list[str], batch: list[Path], deadline: float, stop: threading.Event,
    env: dict[str, str] | None = None, sources: Sequence[Path] = (),
    converted: Callable[[Path], None] | None = None,
) -> list[Path]:
    """One LibreOffice start, with a profile of its own, killed at the deadline; `batch`
    names the letters it converts, for the messages and the progress. With `converted`,
    each of `sources` is announced once its PDF is written (`_Announced`), so that the
    caller cuts a bundle while LibreOffice converts the next."""
    if stop.is_set():
        return []
    profile = _PROFILES.take()
    command = [command[0], f"-env:UserInstallation={profile.as_uri()}", *command[1:]]
    try:
        proc = subprocess.Popen(
            command, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL if converted is None else subprocess.PIPE,
            stderr=subprocess.DEVNULL, env=with_heap_kept(env), **_own_process_group(),
        )
    except OSError as exc:
        _PROFILES.give_back(profile)
        raise ConversionError(f"LibreOffice n'a pas pu démarrer : {exc}", batch) from exc
    announced = None if converted is None else _Announced(proc, sources, converted)
    try:
        while proc.poll() is None:
            if stop.is_set() or time.monotonic() >= deadline:
                raise ConversionError(
                    "La conversion en PDF a dépassé le délai ou a été interrompue "
                    f"(LibreOffice arrêté) : {some_names(batch)}",
                    batch,
                )
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(0.001, min(deadline - time.monotonic(), 0.2)))
    except BaseException:
        if announced is not None:
            announced.silence()  # what it converted is not waited for: the run stops
        _kill_tree(proc)
        _PROFILES.discard(profile)
        raise
    _PROFILES.give_back(profile)
    if announced is not None:
        announced.finish()
    return batch


# At its start LibreOffice's headless backend fills, frees and fills again large
# buffers; glibc's allocator gives the freed memory back to the system each time, and
# takes it again page by page: 300,000 page faults a start, 0.65 s of system time on
# this project's machines, where the whole start takes a second. Kept in the heap
# (glibc's M_TOP_PAD, mallopt(3)), a start makes 50,000 (docs/performance.md).
HEAP_KEPT = {"MALLOC_TOP_PAD_": str(256 * 1024 * 1024)}


def with_heap_kept(env: Mapping[str, str] | None) -> dict[str, str]:
    """The environment LibreOffice is started with: the caller's (or this process's),
    with HEAP_KEPT where it does not say otherwise."""
    return {**HEAP_KEPT, **(os.environ if env is None else env)}


def _ignore(_: Path) -> None:
    pass


class _Announced(threading.Thread):
    """LibreOffice's "convert <document> -> <pdf> using filter" lines, read as they come:
    each is printed before that document is loaded and stored, so the document announced
    before it has its PDF written, and the last one has once LibreOffice exits. A line
    naming none of `sources` (an error, another wording) announces nothing: that
    document is delivered after the run, as without this."""

    def __init__(self, proc: subprocess.Popen, sources: Sequence[Path],
                 converted: Callable[[Path], None]) -> None:
        super().__init__(daemon=True, name="relances-lo-lines")
        self._stream, self._converted = proc.stdout, converted
        self._sources = {str(source): source for source in sources}
        self._last: Path | None = None
        self.start()

    def run(self) -> None:
        for line in self._stream:  # drained to the end: LibreOffice never blocks on it
            text = line.decode(errors="replace")
            if not text.startswith("convert ") or " -> " not in text:
                continue
            source = self._sources.get(text[len("convert "):text.index(" -> ")])
            if self._last is not None:
                self._converted(self._last)
            self._last = source
        self._stream.close()

    def silence(self) -> None:
        self._converted = _ignore

    def finish(self) -> None:
        """LibreOffice exited: its last document is written too."""
        self.join()
        if self._last is not None:
            self._converted(self._last)


def some_names(documents: list[Path], shown: int = 5) -> str:
    names = ", ".join(d.name for d in documents[:shown])
    rest = len(documents) - shown
    return f"{names} et {rest} autre(s)" if rest > 0 else names


def _own_process_group() -> dict:
    """Start soffice in a group of its own, so a kill reaches soffice.bin too, and
    without a console window flashing up over Excel on Windows."""
    if sys.platform == "win32":
        flags = subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.CREATE_NO_WINDOW
        return {"creationflags": flags}
    return {"start_new_session": True}


def _kill_tree(proc: subprocess.Popen) -> None:
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True,
                       check=False, creationflags=subprocess.CREATE_NO_WINDOW)
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.kill()
    proc.wait()
