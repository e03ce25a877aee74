"""Required literals of a regex, so that a regex runs only on text that contains one of them.

`anchors(pattern)` walks the parsed pattern and returns a set of strings one of which must occur in
any match (e.g. `{"投诉"}` for `(随便|尽管)投诉`), or None when no such set is found. The phrase
automaton finds anchors in one pass; regexes whose anchors are absent are skipped.
"""

from __future__ import annotations

import re
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

Alternatives = frozenset[str]


def _sequence(items) -> Alternatives | None:
    """The best required literal set of a sequence of parsed items."""
    best: Alternatives | None = None
    run = ""
    candidates: list[Alternatives] = []
    for op, arg in items:
        if op is C.LITERAL:
            run += chr(arg)
            continue
        if run:
            candidates.append(frozenset([run]))
            run = ""
        found = _item(op, arg)
        if found:
            candidates.append(found)
    if run:
        candidates.append(frozenset([run]))
    for alts in candidates:
        if best is None or _score(alts) > _score(best):
            best = alts
    return best


_COMMON = frozenset("你您我们的是了在有就不也都这那个一会能要去")


def _score(alts: Alternatives) -> tuple[int, bool, int]:
    """Longer anchors first, then anchors that are not everyday characters, then fewer of them."""
    return min(len(a) for a in alts), not (alts & _COMMON), -len(alts)


def _item(op, arg) -> Alternatives | None:
    if op is C.SUBPATTERN:
        return _sequence(arg[-1])
    if op is C.BRANCH:
        parts = [_sequence(branch) for branch in arg[1]]
        if any(p is None for p in parts):
            return None
        return frozenset().union(*parts)  # type: ignore[arg-type]
    if op is C.IN and all(o is C.LITERAL for o, _ in arg):
        return frozenset(chr(a) for _, a in arg)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) and arg[0] >= 1:
        return _sequence(arg[2])
    return None


def anchors(pattern: re.Pattern[str]) -> Alternatives | None:
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags & ~re.UNICODE)
    except (re.error, TypeError, ValueError):  # pragma: no cover - compiled already, so parseable
        return None
    found = _sequence(list(parsed))
    return found if found and all(found) else None
