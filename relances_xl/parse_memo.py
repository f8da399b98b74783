"""Cell parsers memoised per value, for reading big ledgers.

A year of a busy wholesaler is 100,000 invoice rows but a few hundred distinct
dates, a few thousand customer codes, two companies and Oui/Non: parsing each
distinct value once makes reading the ledger markedly faster. Only pure parsers
(the same value always gives the same result, and the result is immutable: str,
date, bool, int) may be registered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

Parsed = tuple[object, str | None]
Parser = Callable[[object], Parsed]


class ParseMemo:
    """`parse(raw)` through a memo for the registered parsers, directly for any other."""

    def __init__(self, parsers: Iterable[Parser]) -> None:
        self._memos: dict[Parser, dict[tuple[type, object], Parsed]] = {
            parse: {} for parse in parsers}

    def parse(self, parse: Parser, raw: object) -> Parsed:
        memo = self._memos.get(parse)
        if memo is None:
            return parse(raw)
        key = (raw.__class__, raw)  # 1, 1.0 and True are equal keys: the type parts them
        try:
            return memo[key]
        except KeyError:
            found = memo[key] = parse(raw)
            return found
        except TypeError:  # an unhashable value: parsed as it is
            return parse(raw)

    def clear(self) -> None:
        """Forget the values seen (the memo lives as long as one ledger read)."""
        for memo in self._memos.values():
            memo.clear()
