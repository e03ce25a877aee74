"""Which of a pack's regexes may match a text, and where its phrases occur: one Hyperscan scan.

Hyperscan compiles every regex in prefilter mode (it matches a superset of what the regex matches:
lookarounds and the like are relaxed), translated from Python's parse tree (`anchors.pcre`), and
every phrase as a literal, into one database; one scan of a text reports each regex that may match
(once) and each occurrence of each phrase. Only the regexes reported then run in `re`, which
decides. A lexicon-sized regex (slow to compile whole) is prefiltered by its parts instead: for
one of its branches, each literal run and alternation that any match holds must be found
(`anchors.required_parts`). A regex Hyperscan cannot take runs on every text, as does every regex
when Hyperscan cannot be imported: the results are the same, only slower.

Compiling the default pack takes seconds, so the compiled database is cached on disk (`cache`;
loading it takes a millisecond), with what else was derived from parsing the patterns: loading a
cached database parses nothing.
"""

from __future__ import annotations

import json
import re
import sys
import threading
from collections.abc import Collection, Sequence
from functools import lru_cache
from pathlib import Path

from guardrails import anchors
from guardrails.anchors import REGEX, bounded, pcre, pcre_literal, required_parts
from guardrails.cache import cache_dir, store, touch
from guardrails.cache import key as cache_key

try:
    import hyperscan
except ImportError:  # pragma: no cover - a platform without wheels: every regex runs
    hyperscan = None

LEXICON_SIZE = 300  # regexes this long are prefiltered by their parts: compiling them takes seconds
_CODE = (anchors, sys.modules[__name__])  # the code that says the patterns for Hyperscan


class _Expressions:
    """The expressions, ids and flags of one database."""

    def __init__(self) -> None:
        self.expressions: list[str] = []
        self.ids: list[int] = []
        self.flags: list[int] = []

    def add(self, number: int, expression: str, *, literal: bool = False, every: bool = False) -> None:
        """A regex in prefilter mode, or a `literal`; reported once, or with `every`, at each
        occurrence."""
        hs = hyperscan
        flags = hs.HS_FLAG_UTF8 if literal else hs.HS_FLAG_UTF8 | hs.HS_FLAG_UCP | hs.HS_FLAG_PREFILTER
        self.expressions.append(expression)
        self.ids.append(number)
        self.flags.append(flags if every else flags | hs.HS_FLAG_SINGLEMATCH)


class Prefilter:
    """One Hyperscan scan for which of `patterns` (regex sources, as `re.compile` reads them)
    may match a text and where `literals` occur.

    `scan(data)` reports (number, end) pairs: a pattern's number (its index) once when it may
    match, and, for each occurrence of a literal, `len(patterns)` plus the literal's index, `end`
    the byte offset just past it. The patterns in `always` may match whatever the scan reports.
    The patterns numbered in `windowed` are then searched in stretches of the text scanned rather
    than in all of it: those whose matches depend on where their text starts or ends (`^`, `$`,
    `\\b`) are always run. Unless `available` (Hyperscan cannot be imported, or refused a
    literal), the scan reports nothing and every pattern is in `always`: the caller finds the
    literals its own way.
    """

    def __init__(
        self,
        patterns: Sequence[str],
        literals: Sequence[str] = (),
        *,
        windowed: Collection[int] = (),
        cache: Path | None = None,
    ):
        self.available = False
        self.always: tuple[int, ...] = tuple(range(len(patterns)))
        if hyperscan is None or not (patterns or literals):
            return
        windowed = frozenset(windowed)
        key = cache_key(_CODE, [hyperscan.__version__, sorted(windowed), len(patterns), *patterns, *literals])
        path = (cache or cache_dir()) / f"{key}.hsdb"
        built = _load(path) or _build(patterns, literals, windowed, path)
        if built is None:
            return  # nothing Hyperscan can take
        database, refused, needs = built
        if any(n >= len(patterns) for n in refused):
            return  # a literal refused: the scan would miss it
        self._database = database
        self._parts_from = len(patterns) + len(literals)
        self._needs = needs
        self.available = True
        self.always = tuple(refused)
        self._local = threading.local()

    def scan(self, data: bytes) -> list[tuple[int, int]]:
        """(number, end) for each report on the text whose UTF-8 encoding is `data` (see the
        class), in no particular order."""
        if not self.available:
            return []
        try:
            scratch = self._local.scratch
        except AttributeError:  # a scratch space per thread: a scan may not share one
            scratch = self._local.scratch = hyperscan.Scratch(self._database)
        found: list[tuple[int, int]] = []
        self._database.scan(data, _collect, 0, found, scratch)
        if self._needs and found:
            first = self._parts_from
            parts = frozenset(number for number, _ in found if number >= first)
            if parts:
                found = [report for report in found if report[0] < first]
                found += self._needed(parts)
        return found

    @lru_cache(maxsize=512)  # noqa: B019 - one prefilter per engine, alive as long as the process
    def _needed(self, parts: frozenset[int]) -> list[tuple[int, int]]:
        """Reports for the lexicon-sized patterns that, given the `parts` found, may match."""
        return [(number, 0) for number, branches in self._needs if any(b <= parts for b in branches)]


def _selective(parts: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """A branch's parts without those made only of single characters (的, 你|您: in nearly every
    text, so they would be reported on nearly every scan and gate nothing), unless that is all
    the branch has."""
    longer = [part for part in parts if any(len(a) > 1 for a in part)]
    return longer or parts


def _collect(number: int, start: int, end: int, flags: int, found: list[tuple[int, int]]) -> None:
    found.append((number, end))


# What a database holds besides Hyperscan's own: the patterns that always run (sorted; a literal
# refused among them), and the lexicon-sized patterns' needs: per pattern, per branch, its parts.
Built = tuple[object, list[int], list[tuple[int, list[frozenset[int]]]]]


def _load(path: Path) -> Built | None:
    """The database cached at `path`, or None (not cached, damaged, or cached for another CPU or
    Hyperscan version: compiled again)."""
    try:
        head, blob = path.read_bytes().split(b"\n", 1)
        facts = json.loads(head)
        refused = [int(n) for n in facts["refused"]]
        needs = [(int(n), [frozenset(map(int, b)) for b in branches]) for n, branches in facts["needs"]]
        database = hyperscan.loadb(blob, hyperscan.HS_MODE_BLOCK)
        database.scan(b"", match_event_handler=_collect, context=[], scratch=hyperscan.Scratch(database))
    except (OSError, ValueError, TypeError, KeyError, hyperscan.error):
        return None
    touch(path)
    return database, refused, needs


def _build(
    patterns: Sequence[str], literals: Sequence[str], windowed: frozenset[int], path: Path
) -> Built | None:
    """Compile the database (see the class) and cache it at `path`; None when Hyperscan refuses
    every expression. Parsing the patterns (`re`) happens only here."""
    compiled = [re.compile(p) for p in patterns]
    first_part = len(patterns) + len(literals)
    parts: dict[tuple[str, ...], int] = {}  # of lexicon-sized patterns, numbered after the literals
    needs: list[tuple[int, list[frozenset[int]]]] = []
    refused: list[int] = []
    out = _Expressions()
    for number, pattern in enumerate(compiled):
        if number in windowed and bounded(pattern):
            refused.append(number)
        elif len(pattern.pattern) >= LEXICON_SIZE:
            branches = [_selective(branch) for branch in required_parts(pattern) or []]
            if branches:
                needs.append(
                    (
                        number,
                        [
                            frozenset(parts.setdefault(x, first_part + len(parts)) for x in b)
                            for b in branches
                        ],
                    )
                )
            else:
                refused.append(number)
        else:
            try:
                out.add(number, pcre(pattern))
            except ValueError:
                refused.append(number)
    for number, literal in enumerate(literals, len(patterns)):
        out.add(number, pcre_literal(literal), literal=True, every=True)
    for part, number in parts.items():
        for alternative in part:  # reported when one of them matches
            if alternative.startswith(REGEX):
                out.add(number, alternative[len(REGEX) :])
            else:
                out.add(number, pcre_literal(alternative), literal=True)
    database = _compile(out, refused)
    if database is None:
        return None
    lost = {n for n in refused if n >= first_part}
    if lost:  # a part refused: a branch needs only the others; with none left, the pattern always runs
        kept = []
        for number, branches in needs:
            branches = [b - lost for b in branches]
            if all(branches):
                kept.append((number, branches))
            else:
                refused.append(number)
        needs = kept
    refused = sorted(n for n in refused if n < first_part)
    facts = {"refused": refused, "needs": [(n, [sorted(b) for b in branches]) for n, branches in needs]}
    store(path, json.dumps(facts).encode() + b"\n" + hyperscan.dumpb(database))
    return database, refused, needs


def _compile(expressions: _Expressions, refused: list[int]):
    """Compile all; if Hyperscan refuses one, find which (one by one) and compile the others."""
    e = expressions
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    try:
        database.compile(expressions=[x.encode() for x in e.expressions], ids=e.ids, flags=e.flags)
        return database
    except hyperscan.error:
        pass
    keep = []
    for i, (expression, number, flags) in enumerate(zip(e.expressions, e.ids, e.flags, strict=True)):
        try:
            hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK).compile(
                expressions=[expression.encode()], ids=[number], flags=[flags]
            )
            keep.append(i)
        except hyperscan.error:
            refused.append(number)
    if not keep:
        return None
    database.compile(
        expressions=[e.expressions[i].encode() for i in keep],
        ids=[e.ids[i] for i in keep],
        flags=[e.flags[i] for i in keep],
    )
    return database
