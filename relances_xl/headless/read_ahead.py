"""The sheets a command is about to read, parsed ahead in a thread of its own.

python-calamine parses a sheet without the interpreter's lock (`get_sheet_by_name`
releases it) but makes the sheet's Python values with it (`to_python`). The thread
here does the first only: on two cores the largest sheet is parsed while the caller
reads and works on the others, and the caller makes the Python values of a sheet when
it asks for them. Making them in the thread as well took the lock from the caller's
own work on the other sheets, and each then ran at half speed (docs/performance.md).

One `Future` per sheet: a sheet the thread has not begun when the caller asks for it
is the caller's to parse (it cancels the thread's turn); one the thread is parsing,
the caller waits for; an error is raised in the caller, as without the read-ahead, and
the thread stops there, the sheets after it left to the caller.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Generic, TypeVar

Parsed = TypeVar("Parsed")


class ReadAhead(Generic[Parsed]):
    """Sheets parsed ahead by `parse(name)`, each handed once to the caller who asks;
    `size(name)` says which one takes longest to parse."""

    def __init__(self, parse: Callable[[str], Parsed], size: Callable[[str], int]) -> None:
        self._parse, self._size = parse, size
        self._asked: set[str] = set()  # every sheet handed to a read-ahead
        self._ahead: dict[str, Future[Parsed]] = {}  # those not taken yet
        self._thread: threading.Thread | None = None

    def start(self, names: Sequence[str]) -> None:
        """Parse these sheets in a thread, the largest first (its parse runs while the
        caller works on the others), then the others in this order; a sheet already
        asked for is not asked again (the command's read-ahead, then Appliquer's). One
        thread at a time: the last one is joined first."""
        names = [name for name in names if name not in self._asked]
        if not names:
            return
        largest = max(names, key=self._size)
        names = [largest, *(name for name in names if name != largest)]
        self._asked.update(names)
        self.join()
        queue = [(name, Future()) for name in names]
        self._ahead.update(queue)
        self._thread = threading.Thread(target=_parse_all, args=(self._parse, queue),
                                        daemon=True, name="relances-prefetch")
        self._thread.start()

    def take(self, name: str) -> Parsed | None:
        """The sheet as the thread parsed it (waiting for it if it is being parsed), or
        None when the caller is to parse it: not asked ahead, or not begun yet."""
        future = self._ahead.pop(name, None)
        if future is None or future.cancel():
            return None
        return future.result()

    def join(self) -> None:
        """Wait for the thread: a book is not left with a thread parsing it."""
        if self._thread is not None:
            self._thread.join()


def _parse_all(parse: Callable[[str], Parsed], queue: list[tuple[str, Future[Parsed]]]
               ) -> None:
    for position, (name, future) in enumerate(queue):
        if not future.set_running_or_notify_cancel():
            continue  # the caller asked for it first and parses it itself
        try:
            future.set_result(parse(name))
        except Exception as error:  # the caller meets it when it asks for the sheet
            future.set_exception(error)
            for _, later in queue[position + 1:]:
                later.cancel()  # left to the caller: it reads on, as without the thread
            return
