"""Required literals of a regex, so that a regex runs only on text that contains one of them.

`anchors(pattern)` walks the parsed pattern and returns a set of strings one of which must occur in
any match (e.g. `{"投诉"}` for `(随便|尽管)投诉`), or None when no such set is found. The phrase
automaton finds anchors in one pass; regexes whose anchors are absent are skipped.

`requirements(pattern)` says more of what a match needs (all the literal sets it must hold, not
just the best one), for regexes too slow to run on every text that holds an anchor, and for rule
exceptions (see guardrails/requirements.py). `extent(pattern)` bounds how far a match can lie from
a literal it holds, so that a long text is searched only around its anchors.

`with_first_chars(pattern)` prefixes a regex with a lookahead of the characters any match must
start with (`(?=[别其某…])`): `re` then skips other positions quickly instead of trying a long
alternation at every character (about 10x faster for the lexicon-sized rules of the default pack).
A regex that `re` can already skip through (it starts with a literal, a character set or an
alternation of literals: `re` then scans for those first characters in C) is left as it is: the
lookahead would hide that prefix from `re` and make it 2-10x slower.
"""

from __future__ import annotations

import re
from functools import lru_cache
from re import _compiler, _parser  # type: ignore[attr-defined]
from re import _constants as C  # type: ignore[attr-defined]

Alternatives = frozenset[str]  # one of these literals occurs
Unit = tuple[Alternatives, ...]  # literal sets that all occur
Clause = tuple[Unit, ...]  # one of its units holds
Needs = tuple[tuple[Clause, ...], ...]  # what a match needs: all clauses of one of the conjunctions


@lru_cache(maxsize=4096)
def _parsed(pattern: re.Pattern[str]):
    """The parse tree of a compiled pattern, parsed once however many analyses walk it (they only
    read it). None if it cannot be parsed."""
    try:
        return _parser.parse(pattern.pattern, pattern.flags & ~re.UNICODE)
    except (re.error, TypeError, ValueError):
        return None


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
# The most frequent characters of everyday Chinese (and of replies). A set holding one of them as
# a whole literal occurs in most texts: it filters little and costs an automaton hit each time.
FREQUENT = frozenset(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过"
    "发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前"
    "您请问题"
)


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
    parsed = _parsed(pattern)
    if parsed is None:  # pragma: no cover - compiled already, so parseable
        return None
    found = _sequence(list(parsed))
    return found if found and all(found) else None


def _parts(items):
    """The parts every match of a sequence of parsed items holds, in order: each run of literals
    (a string), and each other item (op, arg), looking into groups (unless case-insensitive) and
    into repeats that occur at least once."""
    run = ""
    for op, arg in items:
        if op is C.LITERAL:
            run += chr(arg)
            continue
        if run:
            yield run
            run = ""
        if op is C.SUBPATTERN:
            if not arg[1] & re.IGNORECASE:
                yield from _parts(arg[-1])
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and arg[0] >= 1:
            yield from _parts(arg[2])
        else:
            yield op, arg
    if run:
        yield run


def _required(items) -> list[Alternatives]:
    """Every required literal set of a sequence of parsed items (each one must occur in a match),
    looking into groups and repeats: `(你|您)(去|找)` gives `[{你, 您}, {去, 找}]`."""
    out: list[Alternatives] = []
    for part in _parts(items):
        found = frozenset([part]) if isinstance(part, str) else _item(*part)
        if found and all(found):
            out.append(found)
    return out


def _top_branches(items) -> list | None:
    """The branches of a pattern that is one alternation (behind zero-width assertions and group
    brackets), else None."""
    while True:
        items = [(op, arg) for op, arg in items if op not in (C.ASSERT, C.ASSERT_NOT, C.AT)]
        if len(items) != 1:
            return None
        op, arg = items[0]
        if op is C.BRANCH:
            return list(arg[1])
        if op is not C.SUBPATTERN:
            return None
        items = list(arg[-1])


def _frequent(alts: Alternatives) -> bool:
    return any(len(a) == 1 and a in FREQUENT for a in alts)


def _pick(sets: list[Alternatives], frequent: bool = False) -> tuple[Alternatives, ...]:
    """The two best sets, those without a FREQUENT character as a literal of its own first; a
    FREQUENT set only alone, when there is nothing else (it would be in almost every text).
    With `frequent`, simply the two best sets."""
    if frequent:
        return tuple(sorted(set(sets), key=_score, reverse=True)[:2])
    ranked = sorted(set(sets), key=lambda alts: (not _frequent(alts), _score(alts)), reverse=True)
    if ranked and _frequent(ranked[0]):
        return tuple(ranked[:1])
    return tuple(alts for alts in ranked[:2] if not _frequent(alts))


def _clauses(items, frequent: bool = False) -> list[Clause]:
    """The required parts of a sequence of parsed items, each as the alternatives (units) one of
    which its match holds: `(小(店|快递)|京东)…(坑|差)` gives [({店, 快递}, {小}), ({京东})] and
    [({坑, 差})]."""
    out: list[Clause] = []
    for part in _parts(items):
        if isinstance(part, str):
            out.append(((frozenset([part]),),))
        elif part[0] is C.BRANCH:
            units = [_pick(_required(branch), frequent) for branch in part[1][1]]
            if all(units):
                out.append(tuple(dict.fromkeys(units)))
        else:
            found = _item(*part)
            if found and all(found):
                out.append(((found,),))
    return out


def _clause_score(clause: Clause) -> tuple[int, bool, int]:
    """A clause is as selective as its least selective unit."""
    return min(_score(unit[0]) for unit in clause)


def requirements(pattern: re.Pattern[str], most: int = 3, frequent: bool = False) -> Needs | None:
    """What a match needs, as alternatives of conjunctions of clauses: a match satisfies, for one
    of the returned tuples, every clause in it; it satisfies a clause when, for one of the
    clause's units, it holds a literal of every set of the unit. A pattern that is one
    alternation gives one tuple per branch; each tuple keeps the `most` most selective clauses
    without a unit that a FREQUENT character satisfies (or the best clause, when all have one).
    None when some branch (or the pattern) needs no literal: such a regex always runs. With
    `frequent`, FREQUENT characters count like any other (for a search of a short stretch)."""
    parsed = _parsed(pattern)
    if parsed is None:  # pragma: no cover - compiled already, so parseable
        return None
    if pattern.flags & re.IGNORECASE:
        return None
    branches = _top_branches(list(parsed)) or [list(parsed)]
    out = []
    for branch in branches:
        clauses = sorted(set(_clauses(branch, frequent)), key=_clause_score, reverse=True)
        if not clauses:
            return None
        selective = [c for c in clauses if frequent or not any(_frequent(unit[0]) for unit in c)]
        out.append(tuple(selective[:most] or clauses[:1]))
    return tuple(out)


_UNBOUNDED = 1 << 16


def _reach(items) -> int:
    """How far past a position the zero-width assertions of a parsed pattern may look: the widest
    lookahead, or 2 for an `AT` code (`$` looks at the next character and at the end)."""
    reach = 0
    for op, arg in items:
        if op in (C.ASSERT, C.ASSERT_NOT):
            if arg[0] >= 0:  # a lookahead (a lookbehind looks back, before `pos` too)
                reach = max(reach, arg[1].getwidth()[1], _reach(arg[1]))
            else:
                reach = max(reach, _reach(arg[1]))
        elif op is C.AT:
            reach = max(reach, 2)
        elif op is C.SUBPATTERN:
            reach = max(reach, _reach(arg[-1]))
        elif op is C.BRANCH:
            reach = max([reach, *(_reach(branch) for branch in arg[1])])
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            reach = max(reach, _reach(arg[2]))
        elif op is C.ATOMIC_GROUP:
            reach = max(reach, _reach(arg))
        elif op is C.GROUPREF_EXISTS:
            reach = max(reach, _reach(arg[1]), _reach(arg[2]) if arg[2] else 0)
    return reach


def extent(pattern: re.Pattern[str]) -> tuple[int, int] | None:
    """(the widest match, how far past a match its lookaheads look), or None when either is
    unbounded. A match that holds a literal at `q` then lies in [q - width, q + width), and
    searching only [q - width, q + width + reach) finds exactly the matches a whole-text search
    finds there (a lookbehind sees before `pos`)."""
    parsed = _parsed(pattern)
    if parsed is None:  # pragma: no cover - compiled already, so parseable
        return None
    width = parsed.getwidth()[1]
    reach = _reach(list(parsed))
    if width >= _UNBOUNDED or reach >= _UNBOUNDED:
        return None
    return width, reach


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
    parsed = _parsed(pattern)
    if parsed is None:  # pragma: no cover - compiled already, so parseable
        return pattern
    if _has_fast_prefix(parsed, pattern.flags):
        return pattern
    found = _first(list(parsed))
    if found is None or found[1] or not found[0] or len(found[0]) > _MAX_FIRST:
        return pattern
    chars = "".join(re.escape(ch) if ch in "\\]^-[" else ch for ch in sorted(found[0]))
    return re.compile(f"(?=[{chars}])(?:{pattern.pattern})", pattern.flags)
