"""Phrase and regex rules, matched on the compact view of the text.

All literal phrases of all rules, and the required literals of all regexes (see `anchors`), go into
one Aho-Corasick automaton (all overlapping matches in one pass). Each regex is compiled once and
runs only when one of its anchors is in the text, and, for a long regex or a short text, only where
its `requirements` hold; on a long text it searches only the stretch around its anchors (`extent`).
A match is dropped when one of its rule's exceptions (regexes of the context that makes the wording
fine, e.g. `听不清楚` around `不清楚`) covers it; an exception runs only when its requirements hold
near the matches. Every shortcut only skips work that could not find anything: the results are
those of running every regex and every exception (tests/guardrails/test_fast_paths.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain, compress
from operator import itemgetter
from typing import NamedTuple

import ahocorasick

from guardrails.anchors import Alternatives, Needs, anchors, extent, requirements, with_first_chars
from guardrails.loader import Rule
from guardrails.normalize import normalize
from guardrails.requirements import Requirements

WINDOW = 24  # characters of context either side searched for an exception
_LOCATE_FROM = 96  # on longer texts, a regex searches only around its located literals
_VERIFY_FROM = 300  # regexes this long are slow: they run only where their requirements hold


# What the automata hold for a literal: (length, the rules it is a phrase of, the regexes it is an
# anchor of, the literal, what it gives towards the regexes' requirements (`Requirements`)). A plain
# tuple: read in bulk with the getters below (`map` over the hits runs no bytecode per hit, and
# `itemgetter` is fastest on exact tuples).
Entry = tuple[int, tuple[int, ...], tuple[int, ...], str, tuple[int, ...]]
_VALUE = itemgetter(1)  # of a hit: (end, entry)
_RULES, _REGEXES, _LITERAL, _GIVES = map(itemgetter, range(1, 5))  # of an entry
_RULE, _START, _END = map(itemgetter, range(3))  # of a match


class Match(NamedTuple):
    """A rule's match at [start, end) of the compact view (a tuple: cheap to make, immutable)."""

    rule: Rule
    start: int
    end: int


def fold_phrase(phrase: str) -> str:
    return normalize(phrase).compact().text


def fold_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a pack regex for the normalised text: full-width punctuation becomes its (escaped)
    half-width form, as NFKC turns the text's `，？：` into `,?:`."""
    out = []
    for ch in pattern:
        folded = unicodedata.normalize("NFKC", ch) if not ch.isascii() else ch
        out.append(re.escape(folded) if folded != ch and folded.isascii() else folded)
    return re.compile("".join(out))


class PhraseRules:
    """The text rules of a set of packs, ready to run.

    One Aho-Corasick automaton holds every literal phrase and the anchors of every regex, so a text
    is scanned once for both. A regex runs when one of its anchors is in the text and, for one of
    its `requirements`, a literal of every required set is too: a regex that needs one of
    `其他/别的…`, one of `客服/同事…` and one of `你/您` does not run on a text that only holds
    `其他`. A short text is scanned once for all those literals (the combined automaton). On a long
    text only long regexes (slow ones) have their requirements checked, by a second automaton run
    only around their anchors, and every regex searches only around its anchors.
    """

    def __init__(self, rules: Sequence[Rule]):
        self._rules = [r for r in rules if r.phrases or r.regex]
        self._regexes = [
            (i, with_first_chars(fold_pattern(p))) for i, r in enumerate(self._rules) for p in r.regex
        ]
        patterns = [pattern for _, pattern in self._regexes]
        self._anchors = [anchors(pattern) or frozenset() for pattern in patterns]
        self._always = tuple(regex for regex, found in enumerate(self._anchors) if not found)
        self._extents = [extent(pattern) for pattern in patterns]
        self._long = [len(pattern.pattern) >= _VERIFY_FROM for pattern in patterns]
        self._requirements = Requirements(list(map(_regex_needs, patterns, self._anchors)))
        self._build_automata(rules)
        self._exceptions = Exceptions(self._rules)

    def _build_automata(self, rules: Sequence[Rule]) -> None:
        """The main automaton (phrases and anchors), the second (what the regexes' requirements
        need) and the combined one (all of them, for short texts: one pass)."""
        phrase_rules: dict[str, list[int]] = {}
        for index, rule in enumerate(self._rules):
            for phrase in rule.phrases:
                key = fold_phrase(phrase)
                if key and index not in phrase_rules.setdefault(key, []):
                    phrase_rules[key].append(index)
        anchored: dict[str, list[int]] = {}
        for regex, found in enumerate(self._anchors):
            for literal in found:
                anchored.setdefault(literal, []).append(regex)
        gives = self._requirements.literals
        entries: dict[str, Entry] = {
            key: (
                len(key),
                tuple(phrase_rules.get(key, ())),
                tuple(anchored.get(key, ())),
                key,
                gives.get(key, ()),
            )
            for key in dict.fromkeys([*phrase_rules, *anchored, *gives])
        }
        weights = byte_weights(rules)
        main = {key: (*entry[:4], ()) for key, entry in entries.items() if entry[1] or entry[2]}
        self._automaton = _automaton(main, weights)
        self._second = _automaton({key: entry for key, entry in entries.items() if entry[4]}, weights)
        self._combined = _automaton(entries, weights)

    def matches(self, text: str) -> list[Match]:
        """Rule matches in `text` (the compact view), exceptions applied."""
        return [Match(self._rules[i], s, e) for i, s, e in self.find(text)]

    def rule(self, index: int) -> Rule:
        return self._rules[index]

    def find(self, text: str) -> list[tuple[int, int, int]]:
        """(rule index, start, end) of each rule match in `text` (the compact view), exceptions
        applied; in the order phrases then regexes, without duplicates."""
        if self._automaton is None:  # no phrase and no anchor: every regex always runs
            return self._exceptions.apply(text, self._regex_matches(text, set(self._always), []))
        view = _byte_view(text)
        located = None
        if len(text) > _LOCATE_FROM:
            hits = list(self._automaton.iter(view))
            entries = list(map(_VALUE, hits))
            wanted, located = self._wanted_long(text, entries)
        else:
            hits = list(self._combined.iter(view))
            entries = list(map(_VALUE, hits))
            wanted = self._wanted_short(entries)
        found: list[tuple[int, int, int]] = []
        phrase_hits = list(compress(hits, map(_RULES, entries)))
        if phrase_hits:
            _phrase_matches(view, text, phrase_hits, found)
        found = self._regex_matches(text, wanted, found, located)
        return self._exceptions.apply(text, found) if found else found

    def _wanted_short(self, entries: list[Entry]) -> set[int]:
        """The regexes to run on a short text (the combined automaton's `entries`): those without
        anchors, and those with an anchor in the text whose requirements hold or need no check."""
        wanted = set(self._always)
        candidates = set(chain.from_iterable(map(_REGEXES, entries)))
        if candidates:
            needs = self._requirements
            free = candidates & needs.free
            wanted |= free
            if len(free) < len(candidates):
                wanted |= needs.met(chain.from_iterable(map(_GIVES, entries)), candidates - free)
        return wanted

    def _wanted_long(self, text: str, entries: list[Entry]) -> tuple[set[int], dict[int, Alternatives]]:
        """The regexes to run on a long text (the main automaton's `entries`), and the anchors each
        regex with an anchor has in the text. Only long regexes have their requirements checked,
        by the second automaton, around their anchors: checking costs more than short regexes do."""
        wanted = set(self._always)
        located: dict[int, Alternatives] = {}
        candidates = set(chain.from_iterable(map(_REGEXES, entries)))
        if not candidates:
            return wanted, located
        present = set(map(_LITERAL, entries))
        anchors, long, free = self._anchors, self._long, self._requirements.free
        verify = set()
        for regex in candidates:
            located[regex] = anchors[regex] & present
            if regex in free or not long[regex]:
                wanted.add(regex)
            else:
                verify.add(regex)
        if verify:
            wanted |= self._requirements.met(self._gives_near(text, verify, located), verify)
        return wanted, located

    def _gives_near(self, text: str, regexes: set[int], located: dict[int, Alternatives]) -> Iterable[int]:
        """What the second automaton finds towards the requirements of `regexes` where they could
        match: around their anchors when their matches are bounded (`extent`), else anywhere."""
        if self._second is None:
            return ()
        lo, hi = len(text), 0
        for regex in regexes:
            bounds = self._extents[regex]
            if bounds is None:
                lo, hi = 0, len(text)
                break
            start, end = _around(text, located[regex], bounds[0])
            lo, hi = min(lo, start), max(hi, end)
        return chain.from_iterable(map(_GIVES, map(_VALUE, self._second.iter(_byte_view(text[lo:hi])))))

    def _regex_matches(
        self, text: str, wanted: set[int], found: list, located: dict[int, Alternatives] | None = None
    ) -> list[tuple[int, int, int]]:
        """`found` and the matches of the wanted regexes, without duplicates. A regex whose anchors
        were located and whose matches are bounded (`extent`) searches only around those anchors."""
        for regex in sorted(wanted):
            rule, pattern = self._regexes[regex]
            literals = located.get(regex) if located else None
            bounds = self._extents[regex]
            if not literals or bounds is None:
                matches = pattern.finditer(text)
            else:
                width, reach = bounds
                lo, hi = _around(text, literals, width)
                matches = pattern.finditer(text, lo, hi + reach)
            found.extend((rule, m.start(), m.end()) for m in matches if m.end() > m.start())
        return list(dict.fromkeys(found)) if len(found) > 1 else found


class Exceptions:
    """The exceptions of each rule: regexes of the context that makes a match's wording fine.

    A match is dropped when an exception of its rule, searched in the match's window (`WINDOW`
    characters either side), covers it. An exception with requirements runs only when they hold
    near the matches, as a small automaton of their literals (the gate) finds.
    """

    def __init__(self, rules: Sequence[Rule]):
        self._patterns: list[re.Pattern[str]] = []
        needs: list[Needs | None] = []
        self._always: list[tuple[int, ...]] = []  # per rule: its exceptions without requirements
        self._gated: list[frozenset[int]] = []  # per rule: the others
        for rule in rules:
            numbers = range(len(self._patterns), len(self._patterns) + len(rule.exceptions))
            for source in rule.exceptions:
                self._patterns.append(fold_pattern(source))
                needs.append(requirements(self._patterns[-1], frequent=True))
            self._always.append(tuple(n for n in numbers if needs[n] is None))
            self._gated.append(frozenset(n for n in numbers if needs[n] is not None))
        self._has_exceptions = [bool(rule.exceptions) for rule in rules]
        self._requirements = Requirements(needs)
        self._gate = _automaton(self._requirements.literals)

    def apply(self, text: str, found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """The matches (rule, start, end) of `found` that no exception of their rule covers."""
        if not found or not any(map(self._has_exceptions.__getitem__, map(_RULE, found))):
            return found
        ready = self._ready(text, found)
        if not any(ready.values()):
            return found
        return self._uncovered(text, found, ready)

    def _ready(self, text: str, found: list[tuple[int, int, int]]) -> dict[int, tuple[int, ...]]:
        """The exceptions to run, per rule of `found`: those without requirements, and those whose
        requirements hold in the stretch that holds every match's window (an exception whose
        requirements a window lacks cannot match there, so running it in more windows changes
        nothing)."""
        able: set[int] = set()
        if self._gate is not None:
            lo = min(map(_START, found)) - WINDOW
            stretch = _byte_view(text[lo if lo > 0 else 0 : max(map(_END, found)) + WINDOW])
            able = self._requirements.met(chain.from_iterable(map(_VALUE, self._gate.iter(stretch))))
        ready = {}
        for rule in set(map(_RULE, found)):
            ready[rule] = (*self._always[rule], *(self._gated[rule] & able)) if able else self._always[rule]
        return ready

    def _uncovered(
        self, text: str, found: list[tuple[int, int, int]], ready: dict[int, tuple[int, ...]]
    ) -> list[tuple[int, int, int]]:
        """The matches that no `ready` exception of their rule covers in their window. Matches of
        one rule with the same window share its search."""
        size = len(text)
        kept, windows = [], {}
        for match in found:
            rule, start, end = match
            numbers = ready[rule]
            if not numbers:
                kept.append(match)
                continue
            lo = start - WINDOW if start > WINDOW else 0
            hi = end + WINDOW if end + WINDOW < size else size
            spans = windows.get((rule, lo, hi))
            if spans is None:
                window = text[lo:hi]
                spans = windows[rule, lo, hi] = [
                    m.span() for number in numbers for m in self._patterns[number].finditer(window)
                ]
            start, end = start - lo, end - lo
            for s, e in spans:
                if s <= start and end <= e:
                    break
            else:
                kept.append(match)
        return kept


def _regex_needs(pattern: re.Pattern[str], found: Alternatives) -> Needs | None:
    """A regex's requirements, or None when not worth checking: it has no anchor (it always runs),
    or needs one unit of one clause (little more than its anchors)."""
    if not found:
        return None
    needs = requirements(pattern)
    if needs is not None and len(needs) == 1 and len(needs[0]) == 1 and len(needs[0][0]) == 1:
        return None
    return needs


def _around(text: str, literals: Alternatives, width: int) -> tuple[int, int]:
    """The stretch of `text` that holds every match of at most `width` characters that holds one
    of `literals` (all of them in the text)."""
    lo = min(text.find(literal) for literal in literals) - width
    return lo if lo > 0 else 0, max(text.rfind(literal) for literal in literals) + width


def _phrase_matches(view: str, text: str, phrase_hits: list, found: list) -> None:
    """Append (rule, start, end) for the phrase hits (byte offsets of the view, ascending)."""
    same = len(view) == len(text)
    byte = char = 0
    for last, entry in phrase_hits:
        if same:
            char = last + 1
        else:  # byte offset -> character offset, one slice of the view at a time
            char += len(view[byte : last + 1].encode("latin-1").decode("utf-8", "surrogatepass"))
            byte = last + 1
        start = char - entry[0]
        for index in entry[1]:
            found.append((index, start, char))


def _byte_view(text: str) -> str:
    """The UTF-8 bytes of `text` as a Latin-1 string (one character per byte): pyahocorasick
    searches a node's children linearly, and the root of a Chinese automaton has hundreds of
    children but only a handful of UTF-8 lead bytes (about 5x faster). UTF-8 is self-synchronising,
    so a key's bytes occur only where the key's characters do."""
    if text.isascii():
        return text
    return text.encode("utf-8", "surrogatepass").decode("latin-1")


def _automaton(values: dict[str, tuple], weights: Counter[int] | None = None) -> ahocorasick.Automaton | None:
    """An automaton over the UTF-8 bytes of `values`' keys (None when there are none). A node's
    children are searched linearly, in the order they were added: keys go in by decreasing
    `weights` of their bytes (byte counts of sample text), so that common bytes come first."""
    if not values:
        return None
    views = {_byte_view(key): value for key, value in values.items()}
    order = sorted(views, key=lambda view: [-weights[ord(b)] for b in view]) if weights else views
    automaton = ahocorasick.Automaton()
    for view in order:
        automaton.add_word(view, views[view])
    automaton.make_automaton()
    return automaton


def byte_weights(rules: Sequence[Rule]) -> Counter[int]:
    """How often each UTF-8 byte occurs in the rules' examples, messages and suggestions: sample
    text of the kind the automaton scans."""
    texts = (t for r in rules for t in (*r.examples.flag, *r.examples.passing, r.message, r.suggestion or ""))
    return Counter(normalize("\n".join(texts)).text.encode("utf-8", "surrogatepass"))
