"""The project's small exception family: each message is French and names what failed.

Problems in the ledger are not exceptions: they are `model.Problem` values, listed
all at once. These are for the steps that cannot go on (a template, a converter, an
output), so the command line and the add-in can show them plainly.
"""

from __future__ import annotations

from pathlib import Path


class RelancesError(Exception):
    """Base of the errors a user can act on; the message says what and where."""


class ConversionError(RelancesError):
    """A document could not be turned into PDF; `documents` names the ones concerned."""

    def __init__(self, message: str, documents: list[Path] | None = None) -> None:
        super().__init__(message)
        self.documents = list(documents or [])
