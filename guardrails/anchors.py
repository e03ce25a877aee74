"""What the parse tree of a regex tells about its matches.

`pcre(pattern)` says a pattern in the syntax Hyperscan reads (from the parse tree, so that Python's
and PCRE's readings of the source cannot differ), matching at least what `re` matches.
`required_parts(pattern)` returns, per top-level branch, the parts every match holds (runs of
literals, alternations): the prefilter looks for those instead of compiling a lexicon-sized regex
whole (`prefilter`).

`bounded(pattern)` says whether a match depends on where the searched text starts or ends.

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


@lru_cache(maxsize=4096)
def _parsed(pattern: re.Pattern[str]):
    """The parse tree of a compiled pattern, parsed once however many analyses walk it (they only
    read it). None if it cannot be parsed."""
    try:
        return _parser.parse(pattern.pattern, pattern.flags & ~re.UNICODE)
    except (re.error, TypeError, ValueError):
        return None


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


def required_parts(pattern: re.Pattern[str]) -> list[list[tuple[str, ...]]] | None:
    """What a match needs, for each branch of a pattern that is one alternation (else for the
    whole pattern): the runs of literals and the alternations each match of the branch holds,
    each as its alternatives: strings (`(你|您)(去|找)问` needs `你|您`, `去|找` and `问`;
    `(垃圾|骗(子|人))` gives `垃圾`, `骗子`, `骗人`), or, for an alternative that matches too many
    strings, a regex in Hyperscan's syntax marked by a leading `REGEX`. None when a branch needs
    none of these (the pattern may match any text) or the pattern holds what `pcre` cannot say."""
    parsed = _parsed(pattern)
    if parsed is None or pattern.flags & re.IGNORECASE:
        return None
    out = []
    try:
        for branch in _top_branches(list(parsed)) or [list(parsed)]:
            needs = []
            for part in _parts(branch):
                if isinstance(part, str):
                    needs.append((part,))
                elif part[0] is C.BRANCH and all(b.getwidth()[0] > 0 for b in part[1][1]):
                    needs.append(tuple(sorted(_alternatives(part[1][1]))))
                elif part[0] is C.IN and (chars := _strings([part])):  # (你|您): a set of literals
                    needs.append(tuple(sorted(chars)))
            if not needs:
                return None
            out.append(list(dict.fromkeys(needs)))
    except ValueError:
        return None
    return out


_MOST_STRINGS = 64  # an alternative that matches more strings stays a regex


def _alternatives(branches) -> set[str]:
    """The alternatives of an alternation, for the prefilter: each as the strings it matches when
    they are few (its zero-width assertions dropped: more strings, never fewer), else as a regex
    in Hyperscan's syntax, marked by a leading `REGEX` (a NUL character)."""
    out: set[str] = set()
    for branch in branches:
        strings = _strings(list(branch))
        out.update(strings if strings is not None else {REGEX + _pcre_items(branch)})
    return out


REGEX = "\x00"  # marks a required part that is a regex, not a literal


def _strings(items) -> set[str] | None:
    """The strings a sequence of parsed items matches, or None when there are more than
    `_MOST_STRINGS` or it is not a finite set (zero-width assertions match the empty string)."""
    out = {""}
    for op, arg in items:
        if op is C.LITERAL:
            found = {chr(arg)}
        elif op is C.IN and all(member is C.LITERAL for member, _ in arg):
            found = {chr(code) for _, code in arg}
        elif op is C.SUBPATTERN and not (arg[1] or arg[2]):
            found = _strings(arg[-1])
        elif op is C.BRANCH:
            branches = [_strings(list(branch)) for branch in arg[1]]
            found = None if None in branches else set().union(*branches)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and arg[1] <= 3:
            inner = _strings(arg[2])
            found = None if inner is None else _repeats(inner, arg[0], arg[1])
        elif op in (C.ASSERT, C.ASSERT_NOT, C.AT):
            found = {""}
        else:
            return None
        if found is None or len(out) * len(found) > _MOST_STRINGS:
            return None
        out = {a + b for a in out for b in found}
    return out


def _repeats(strings: set[str], low: int, high: int) -> set[str] | None:
    out, layer = set(), {""}
    for count in range(high + 1):
        if count >= low:
            out |= layer
        layer = {a + b for a in layer for b in strings}
        if len(layer) > _MOST_STRINGS:
            return None
    return out


def pcre(pattern: re.Pattern[str]) -> str:
    """`pattern` in the syntax Hyperscan reads, matching at least what `re` matches (Python's
    `\\w` and `\\s` are widened to be sure; a category in a negated set, `\\W`, `\\S` and `\\D`
    become any character). ValueError for what it cannot say (scoped flags, conditionals)."""
    parsed = _parsed(pattern)
    if parsed is None or pattern.flags & re.IGNORECASE:
        raise ValueError("not a pattern Hyperscan can take")
    return _pcre_items(list(parsed))


_ANY = r"[\s\S]"
_CATEGORIES = {
    C.CATEGORY_DIGIT: r"\d",
    C.CATEGORY_SPACE: r"\s\x{1c}-\x{1f}\x{85}",  # Python's str.isspace holds these too
    C.CATEGORY_WORD: r"\p{L}\p{N}\p{M}_",
}
_AT = {
    C.AT_BEGINNING: "^",
    C.AT_BEGINNING_STRING: r"\A",
    C.AT_END: "$",
    C.AT_END_STRING: r"\z",
    C.AT_BOUNDARY: r"\b",
    C.AT_NON_BOUNDARY: r"\B",
}


def pcre_literal(text: str) -> str:
    """`text` as a Hyperscan literal."""
    return "".join(_char(ord(ch)) for ch in text)


def _char(code: int) -> str:
    """A character as itself, unless it is ASCII punctuation or a control (escaped)."""
    ch = chr(code)
    return ch if ch.isalnum() or (not ch.isascii() and ch.isprintable()) else f"\\x{{{code:x}}}"


def _pcre_items(items) -> str:
    return "".join(_pcre_item(op, arg) for op, arg in items)


def _pcre_item(op, arg) -> str:
    if op is C.LITERAL:
        return _char(arg)
    if op is C.NOT_LITERAL:
        return f"[^{_char(arg)}]"
    if op is C.ANY:
        return "."
    if op is C.IN:
        return _pcre_set(arg)
    if op is C.BRANCH:
        return "(?:" + "|".join(_pcre_items(branch) for branch in arg[1]) + ")"
    if op is C.SUBPATTERN:
        group, add_flags, del_flags, items = arg
        if add_flags or del_flags:
            raise ValueError("scoped flags")
        return ("(" if group else "(?:") + _pcre_items(items) + ")"
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        low, high, items = arg
        bounds = f"{{{low},}}" if high is C.MAXREPEAT else f"{{{low},{high}}}"
        return "(?:" + _pcre_items(items) + ")" + bounds + ("?" if op is C.MIN_REPEAT else "")
    if op is C.AT:
        return _AT[arg]
    if op in (C.ASSERT, C.ASSERT_NOT):
        direction, items = arg
        kind = ("=" if op is C.ASSERT else "!") if direction > 0 else ("<=" if op is C.ASSERT else "<!")
        return f"(?{kind}" + _pcre_items(items) + ")"
    if op is C.GROUPREF:
        return f"\\g{{{arg}}}"
    if op is C.ATOMIC_GROUP:
        return "(?>" + _pcre_items(arg) + ")"
    raise ValueError(f"cannot say {op} for Hyperscan")


def _pcre_set(members) -> str:
    negated = members and members[0][0] is C.NEGATE
    out = []
    for op, arg in members[1:] if negated else members:
        if op is C.LITERAL:
            out.append(_char(arg))
        elif op is C.RANGE:
            out.append(f"{_char(arg[0])}-{_char(arg[1])}")
        elif op is C.CATEGORY and arg in _CATEGORIES and not negated:
            out.append(_CATEGORIES[arg])
        elif op is C.CATEGORY:  # a negated category, or any category in a negated set
            return _ANY
        else:
            raise ValueError(f"cannot say {op} in a set for Hyperscan")
    return ("[^" if negated else "[") + "".join(out) + "]"


def bounded(pattern: re.Pattern[str]) -> bool:
    """Whether a match depends on where the searched text starts or ends, or on what lies just
    beyond a match outside lookarounds (`^`, `$`, `\\b`, `\\B`, `\\A`, `\\Z`): whether searching a
    window of a text can find a match that searching the whole text does not have there."""
    parsed = _parsed(pattern)
    return parsed is None or _has_at(list(parsed))


def _has_at(items) -> bool:
    for op, arg in items:
        if op is C.AT:
            return True
        if op is C.SUBPATTERN and _has_at(arg[-1]):
            return True
        if op is C.BRANCH and any(_has_at(branch) for branch in arg[1]):
            return True
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and _has_at(arg[2]):
            return True
        if op is C.ATOMIC_GROUP and _has_at(arg):
            return True
    return False


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
    shifted = _lookbehinds_after_first_char(parsed, pattern.flags)
    if shifted is not None:
        return shifted
    found = _first(list(parsed))
    if found is None or found[1] or not found[0] or len(found[0]) > _MAX_FIRST:
        return pattern
    chars = "".join(re.escape(ch) if ch in "\\]^-[" else ch for ch in sorted(found[0]))
    return re.compile(f"(?=[{chars}])(?:{pattern.pattern})", pattern.flags)


_ANY_CHAR = (C.IN, [(C.CATEGORY, C.CATEGORY_SPACE), (C.CATEGORY, C.CATEGORY_NOT_SPACE)])


def _lookbehinds_after_first_char(parsed, flags: int) -> re.Pattern[str] | None:
    """A pattern that starts with lookbehinds and then an item of a fixed width w
    (`(?<![帮为])(你|您)…`), compiled with that item first and each lookbehind w characters longer
    after it (`(你|您)(?<![帮为][\\s\\S])…`): the same matches, and `re` can then skip to the
    item's first characters in C. None when the pattern is not of that shape (or `re`'s private
    API moved)."""
    items = list(parsed)
    behind = 0
    while behind < len(items) and items[behind][0] in (C.ASSERT, C.ASSERT_NOT) and items[behind][1][0] < 0:
        behind += 1
    if not behind or behind == len(items):
        return None
    first = items[behind]
    try:
        low, high = _parser.SubPattern(parsed.state, [first]).getwidth()
        if low != high or not low:
            return None
        moved = [
            (op, (direction, _parser.SubPattern(parsed.state, [*body.data, *[_ANY_CHAR] * low])))
            for op, (direction, body) in items[:behind]
        ]
        reordered = _parser.SubPattern(parsed.state, [first, *moved, *items[behind + 1 :]])
        if not _has_fast_prefix(reordered, flags):
            return None
        return _compiler.compile(reordered, flags)
    except (AttributeError, TypeError, ValueError, re.error):  # pragma: no cover - private API moved
        return None
