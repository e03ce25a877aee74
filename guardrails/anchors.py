"""Required literals of a regex, so that a regex runs only on text that contains one of them.

`anchors(pattern)` walks the parsed pattern and returns a set of strings one of which must occur in
any match (e.g. `{"投诉"}` for `(随便|尽管)投诉`), or None when no such set is found. The phrase
automaton finds anchors in one pass; regexes whose anchors are absent are skipped.

`with_first_chars(pattern)` prefixes a regex with a lookahead of the characters any match must
start with (`(?=[别其某…])`): `re` then skips other positions quickly instead of trying a long
alternation at every character (about 10x faster for the lexicon-sized rules of the default pack).
A regex that `re` can already skip through (it starts with a literal, a character set or an
alternation of literals: `re` then scans for those first characters in C) is left as it is: the
lookahead would hide that prefix from `re` and make it 2-10x slower.
"""

from __future__ import annotations

import re
from re import _compiler, _parser  # type: ignore[attr-defined]
from re import _constants as C  # type: ignore[attr-defined]

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


_MAX_FIRST = 256  # first-character sets larger than this are not worth a lookahead


def _first(items) -> tuple[frozenset[str], bool] | None:
    """The characters a match of the sequence can start with, and whether it can match empty;
    None when unknown (any character, a category, a negated set)."""
    chars: set[str] = set()
    for op, arg in items:
        found = _first_item(op, arg)
        if found is None:
            return None
        chars |= found[0]
        if not found[1]:
            return frozenset(chars), False
    return frozenset(chars), True


def _first_item(op, arg) -> tuple[frozenset[str], bool] | None:
    if op is C.LITERAL:
        return frozenset(chr(arg)), False
    if op is C.IN:
        return _first_in(arg)
    if op is C.SUBPATTERN:
        return _first(arg[-1])
    if op is C.BRANCH:
        parts = [_first(branch) for branch in arg[1]]
        if any(p is None for p in parts):
            return None
        return frozenset().union(*(p[0] for p in parts)), any(p[1] for p in parts)  # type: ignore[index]
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        inner = _first(arg[2])
        return None if inner is None else (inner[0], inner[1] or arg[0] == 0)
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return frozenset(), True  # zero-width: the next item decides
    return None


def _first_in(arg) -> tuple[frozenset[str], bool] | None:
    chars: set[str] = set()
    for op, value in arg:
        if op is C.LITERAL:
            chars.add(chr(value))
        elif op is C.RANGE and value[1] - value[0] < _MAX_FIRST:
            chars.update(chr(c) for c in range(value[0], value[1] + 1))
        else:
            return None
    return frozenset(chars), False


def _has_fast_prefix(parsed, flags: int) -> bool:
    """Whether `re` finds a literal prefix or a first-character set in the parsed pattern (then
    its search skips non-starting positions in C)."""
    try:
        return bool(
            _compiler._get_literal_prefix(parsed, flags)[0] or _compiler._get_charset_prefix(parsed, flags)
        )
    except (AttributeError, TypeError, ValueError):  # pragma: no cover - private API of `re` changed
        return False


def with_first_chars(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern` behind a lookahead of its possible first characters (same matches, faster scan);
    `pattern` itself when those are unknown, too many, or it can match the empty string."""
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags & ~re.UNICODE)
    except (re.error, TypeError, ValueError):  # pragma: no cover - compiled already, so parseable
        return pattern
    if _has_fast_prefix(parsed, pattern.flags):
        return pattern
    found = _first(list(parsed))
    if found is None or found[1] or not found[0] or len(found[0]) > _MAX_FIRST:
        return pattern
    chars = "".join(re.escape(ch) if ch in "\\]^-[" else ch for ch in sorted(found[0]))
    return re.compile(f"(?=[{chars}])(?:{pattern.pattern})", pattern.flags)
