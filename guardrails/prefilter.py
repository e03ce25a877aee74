"""Which of a pack's regexes may match a text, and where its phrases occur: one Hyperscan scan.

Hyperscan compiles every regex in prefilter mode (it matches a superset of what the regex matches:
lookarounds and the like are relaxed), translated from Python's parse tree (`anchors.pcre`), and
every phrase as a literal, into one database; one scan of a text reports each regex that may match
(once) and each occurrence of each phrase. Only the regexes reported then run in `re`, which
decides. A lexicon-sized regex (slow to compile whole) is prefiltered by its parts instead: for
one of its branches, each literal run and alternation that any match holds must be found
(`anchors.required_parts`). A regex Hyperscan cannot take runs on every text, as does every regex
when Hyperscan cannot be imported: the results are the same, only slower.

Compiling the default pack takes seconds, so the compiled database is cached on disk (loading it
takes a millisecond), under `$GUARDRAILS_CACHE` or `~/.cache/guardrails` (see `cache_dir`), named
by a hash of what it was compiled from; it is written atomically, only the most recently used
databases are kept, and a cache that cannot be read or written only costs the compile.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import tempfile
import threading
from collections.abc import Callable, Collection, Sequence
from functools import lru_cache
from pathlib import Path

from guardrails import anchors
from guardrails.anchors import REGEX, bounded, pcre, pcre_literal, required_parts

try:
    import hyperscan
except ImportError:  # pragma: no cover - a platform without wheels: every regex runs
    hyperscan = None

CACHE_SIZE = 16  # compiled databases kept on disk, the most recently used (3-4 MB each)
LEXICON_SIZE = 300  # regexes this long are prefiltered by their parts: compiling them takes seconds


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
    """One Hyperscan scan for which of `patterns` may match a text and where `literals` occur.

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
        patterns: Sequence[re.Pattern[str]],
        literals: Sequence[str] = (),
        *,
        windowed: Collection[int] = (),
        cache: Path | None = None,
    ):
        self.available = False
        windowed = frozenset(windowed)
        self.always: tuple[int, ...] = tuple(range(len(patterns)))
        if hyperscan is None or not (patterns or literals):
            return
        refused: list[int] = []
        parts: dict[tuple[str, ...], int] = {}  # of lexicon-sized patterns, numbered after the literals
        self._needs: list[tuple[int, list[frozenset[int]]]] = []  # (pattern, per branch its parts)
        self._parts_from = len(patterns) + len(literals)
        for number, pattern in enumerate(patterns):
            if len(pattern.pattern) >= LEXICON_SIZE and not (number in windowed and bounded(pattern)):
                branches = [_selective(branch) for branch in required_parts(pattern) or []]
                needs = [
                    frozenset(parts.setdefault(x, self._parts_from + len(parts)) for x in b) for b in branches
                ]
                if needs:
                    self._needs.append((number, needs))

        def expressions() -> _Expressions:
            out = _Expressions()
            lexicon = {number for number, _ in self._needs}
            for number, pattern in enumerate(patterns):
                if number in windowed and bounded(pattern) or len(pattern.pattern) >= LEXICON_SIZE:
                    if number not in lexicon:
                        refused.append(number)
                    continue
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
            return out

        key = _key([sorted(windowed), len(patterns), *(p.pattern for p in patterns), *literals])
        database = _load_or_compile(key, expressions, refused, cache or cache_dir())
        if database is None or any(len(patterns) <= n < self._parts_from for n in refused):
            return  # nothing to scan for, or a literal refused (the scan would miss it)
        if any(n >= self._parts_from for n in refused):  # a part refused: a branch needs the others
            lost = {n for n in refused if n >= self._parts_from}
            needs, self._needs = self._needs, []
            for number, branches in needs:
                branches = [b - lost for b in branches]
                if all(branches):
                    self._needs.append((number, branches))
                else:
                    refused.append(number)
            refused = [n for n in refused if n < len(patterns)]
        self._database = database
        self.available = True
        self.always = tuple(sorted(refused))
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


def cache_dir() -> Path:
    """`$GUARDRAILS_CACHE`, else `~/.cache/guardrails`, else (no home, or a read-only one) a
    folder of this user's own in the temporary directory."""
    if os.environ.get("GUARDRAILS_CACHE"):
        return Path(os.environ["GUARDRAILS_CACHE"])
    try:
        home = Path.home() / ".cache" / "guardrails"
        home.mkdir(parents=True, exist_ok=True)
        if os.access(home, os.W_OK):
            return home
    except (OSError, RuntimeError):  # RuntimeError: no home directory
        pass
    return _private_temporary()


def _private_temporary() -> Path:
    """A cache folder in the temporary directory that only this user can write (a database is
    loaded from it: another user must not be able to plant one)."""
    uid = getattr(os, "getuid", lambda: None)()
    folder = Path(tempfile.gettempdir()) / f"guardrails-cache-{uid if uid is not None else 'user'}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.stat()
        if uid is None or (info.st_uid == uid and not info.st_mode & 0o022):
            return folder
    except OSError:
        pass
    return Path(tempfile.mkdtemp(prefix="guardrails-cache-"))  # this process's own


def _key(sources: list) -> str:
    """What a database is compiled from: `sources`, the code that says them for Hyperscan (this
    module and `anchors`) and Hyperscan's version."""
    code = b"".join(Path(module.__file__).read_bytes() for module in (anchors, sys.modules[__name__]))
    sources = [hashlib.sha256(code).hexdigest(), hyperscan.__version__, *sources]
    return hashlib.sha256(json.dumps(sources, ensure_ascii=False).encode()).hexdigest()[:32]


def _load_or_compile(key: str, expressions: Callable[[], _Expressions], refused: list[int], cache: Path):
    """The database compiled from `expressions()` (from the cache when it holds it), or None when
    Hyperscan refuses every expression; the numbers of those it refuses are added to `refused`."""
    path = cache / f"{key}.hsdb"
    try:
        head, blob = path.read_bytes().split(b"\n", 1)
        numbers = [int(n) for n in json.loads(head)]
        database = hyperscan.loadb(blob, hyperscan.HS_MODE_BLOCK)
        database.scan(b"", match_event_handler=_collect, context=[], scratch=hyperscan.Scratch(database))
        refused.extend(numbers)
        os.utime(path)  # recently used: kept when the cache is pruned
        return database
    except (OSError, ValueError, TypeError, hyperscan.error):
        pass  # not cached, damaged, or cached for another CPU or version: compile
    database = _compile(expressions(), refused)
    if database is not None:
        _store(path, json.dumps(refused).encode() + b"\n" + hyperscan.dumpb(database))
    return database


def _store(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically (a temporary file renamed); a cache that cannot be
    written is no error."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as out:
            temporary = out.name
            out.write(data)
        os.replace(temporary, path)
        for stale in sorted(path.parent.glob("*.hsdb"), key=_modified, reverse=True)[CACHE_SIZE:]:
            stale.unlink(missing_ok=True)
    except OSError:
        if temporary:
            Path(temporary).unlink(missing_ok=True)


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


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
