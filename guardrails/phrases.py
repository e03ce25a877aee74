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
from collections.abc import Sequence
from itertools import chain, compress
from operator import itemgetter
from typing import NamedTuple

import ahocorasick

from guardrails.anchors import anchors, extent, requirements, with_first_chars
from guardrails.loader import Rule
from guardrails.normalize import normalize

_VALUE = itemgetter(1)  # of a hit: (end, value)
_OWNERS, _POSITIONS, _LITERAL, _CLAUSES = map(itemgetter, range(1, 5))  # of a value
_RULE, _START, _END = map(itemgetter, range(3))  # of a match
_WINDOW = 24  # characters of context either side searched for an exception
_LOCATE_FROM = 96  # on longer texts, a regex searches only around its located literals
_VERIFY_FROM = 300  # regexes this long are slow: they run only where their requirements hold


def _byte_view(text: str) -> str:
    """The UTF-8 bytes of `text` as a Latin-1 string (one character per byte)."""
    if text.isascii():
        return text
    return text.encode("utf-8", "surrogatepass").decode("latin-1")


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

    One Aho-Corasick automaton holds every literal phrase and the required literals of every
    regex, so a text is scanned once for both. It runs over the UTF-8 bytes of the text (seen as a
    Latin-1 string): pyahocorasick searches a node's children linearly, and the root of a Chinese
    automaton has hundreds of children but only a handful of UTF-8 lead bytes (about 5x faster).
    UTF-8 is self-synchronising, so a key's bytes occur only where the key's characters do.

    A regex runs when, for one of its `requirements`, a literal of every required set is in the
    text: a regex that needs one of `其他/别的…`, one of `客服/同事…` and one of `你/您` does not
    run on a text that only holds `其他`. A second, small automaton finds the exception literals
    in the context window of a match, so that only the exceptions that can match there run.
    """

    def __init__(self, rules: Sequence[Rule]):
        self._rules = [r for r in rules if r.phrases or r.regex]
        self._regexes = [
            (i, with_first_chars(fold_pattern(p))) for i, r in enumerate(self._rules) for p in r.regex
        ]
        owners: dict[str, list[int]] = {}
        for index, rule in enumerate(self._rules):
            for phrase in rule.phrases:
                key = fold_phrase(phrase)
                if key and index not in owners.setdefault(key, []):
                    owners[key].append(index)
        # A regex runs when one of its required literals (`anchors`) is in the text. A long regex
        # (a lexicon rule: slow to run) runs only when, besides, one of its conjunctions (see
        # `requirements`) holds where a match could be: a second automaton looks for their literals
        # there. A conjunction holds when all its clauses do; a clause when one of its units does;
        # a unit when all its literal sets have a literal in the text (each set has a mark).
        direct: dict[str, list[int]] = {}  # literal -> regexes it is an anchor of
        self._anchors: list[frozenset[str]] = []
        self._checks: list[tuple[frozenset[int], ...] | None] = []  # the clauses of each conjunction
        self._long: list[bool] = []
        second: dict[str, tuple[list[int], list[int]]] = {}  # literal -> (clauses it holds, marks)
        self._mark_unit: list[int] = []
        self._units: list[tuple[frozenset[int], int]] = []  # marks, clause
        clause_count = 0
        always: list[int] = []
        for position, (_, pattern) in enumerate(self._regexes):
            found = anchors(pattern) or frozenset()
            self._anchors.append(found)
            for literal in found:
                direct.setdefault(literal, []).append(position)
            needs = requirements(pattern)
            self._long.append(len(pattern.pattern) >= _VERIFY_FROM)
            if not found:
                always.append(position)
                needs = None
            if needs is not None and len(needs) == 1 and len(needs[0]) == 1 and len(needs[0][0]) == 1:
                needs = None  # one unit of one clause: little more than the anchors
            checks = []
            for clauses in needs or ():
                ids = []
                for clause in clauses:
                    for unit in clause:
                        if len(unit) == 1:
                            for literal in unit[0]:
                                second.setdefault(literal, ([], []))[0].append(clause_count)
                            continue
                        needed = []
                        for alternatives in unit:
                            needed.append(len(self._mark_unit))
                            for literal in alternatives:
                                second.setdefault(literal, ([], []))[1].append(len(self._mark_unit))
                            self._mark_unit.append(len(self._units))
                        self._units.append((frozenset(needed), clause_count))
                    ids.append(clause_count)
                    clause_count += 1
                checks.append(frozenset(ids))
            self._checks.append(tuple(checks) or None)
        self._always = tuple(always)
        self._unchecked = frozenset(p for p, checks in enumerate(self._checks) if checks is None)
        # Marks share the clauses' numbers, after them: one set holds both.
        base = self._mark_base = clause_count
        self._units = [(frozenset(m + base for m in needed), clause) for needed, clause in self._units]
        second = {k: (held, tuple(m + base for m in marks)) for k, (held, marks) in second.items()}
        self._extents = [extent(pattern) for _, pattern in self._regexes]
        # Values: (length, rules of the phrase, regexes of the anchor, the literal, clauses it
        # holds alone, marks). The main automaton holds phrases and anchors, for long texts; the
        # second the clauses' literals, searched where a long text's regexes could match; the
        # combined one all of them, for short texts (one pass).
        weights = byte_weights(rules)
        empty = ((), ())
        values = {
            key: (
                len(key),
                tuple(owners.get(key, ())),
                _unique(direct.get(key)),
                key,
                (*_unique(second.get(key, empty)[0]), *_unique(second.get(key, empty)[1])),
            )
            for key in dict.fromkeys([*owners, *direct, *second])
        }
        self._automaton = _automaton({k: v[:4] + ((),) for k, v in values.items() if v[1] or v[2]}, weights)
        self._second = _automaton({k: v for k, v in values.items() if v[4]}, weights)
        self._combined = _automaton(values, weights)
        # Per rule: the exceptions that always run (no requirements) and the numbers of the others;
        # those run where their requirements (see `requirements`) hold, as the gate automaton
        # finds near the matches: the same clauses, units and marks as for regexes.
        self._exceptions: list[tuple[tuple[int, ...], frozenset[int]]] = []
        self._exception_patterns: list[re.Pattern[str]] = []
        self._gate_conjunctions: list[tuple[frozenset[int], int]] = []  # clauses, exception
        first_clauses: list[int] = []
        gates: dict[str, tuple[list[int], list[int]]] = {}
        gate_units: list[tuple[list[int], int]] = []
        gate_mark_unit: list[int] = []
        clause_count = 0
        for rule in self._rules:
            ungated, gated = [], []
            for source in rule.exceptions:
                pattern = fold_pattern(source)
                number = len(self._exception_patterns)
                self._exception_patterns.append(pattern)
                needs = requirements(pattern, frequent=True)
                (ungated if needs is None else gated).append(number)
                for clauses in needs or ():
                    ids = []
                    for clause in clauses:
                        for unit in clause:
                            if len(unit) == 1:
                                for literal in unit[0]:
                                    gates.setdefault(literal, ([], []))[0].append(clause_count)
                                continue
                            needed = []
                            for alternatives in unit:
                                needed.append(len(gate_mark_unit))
                                for literal in alternatives:
                                    gates.setdefault(literal, ([], []))[1].append(len(gate_mark_unit))
                                gate_mark_unit.append(len(gate_units))
                            gate_units.append((needed, clause_count))
                        ids.append(clause_count)
                        clause_count += 1
                    first_clauses.append(ids[0])
                    self._gate_conjunctions.append((frozenset(ids), number))
            self._exceptions.append((tuple(ungated), frozenset(gated)))
        self._has_exceptions = [bool(ungated or gated) for ungated, gated in self._exceptions]
        base = self._gate_base = clause_count
        # The conjunctions by their first clause: one holds only if that clause does.
        self._gate_firsts: list[list[int]] = [[] for _ in range(clause_count)]
        for conjunction, clause in enumerate(first_clauses):
            self._gate_firsts[clause].append(conjunction)
        self._gate_units = [(frozenset(m + base for m in needed), clause) for needed, clause in gate_units]
        self._gate_mark_unit = gate_mark_unit
        self._gates = _automaton(
            {
                key: (*_unique(held), *(m + base for m in _unique(marks)))
                for key, (held, marks) in gates.items()
            }
        )

    def matches(self, text: str) -> list[Match]:
        """Rule matches in `text` (the compact view), exceptions applied."""
        return [Match(self._rules[i], s, e) for i, s, e in self.find(text)]

    def rule(self, index: int) -> Rule:
        return self._rules[index]

    def find(self, text: str) -> list[tuple[int, int, int]]:
        """(rule index, start, end) of each rule match in `text` (the compact view), exceptions
        applied; in the order phrases then regexes, without duplicates."""
        if self._automaton is None:
            return self._regex_matches(text, set(self._always), [])
        view = text if text.isascii() else text.encode("utf-8", "surrogatepass").decode("latin-1")
        if len(text) > _LOCATE_FROM:
            return self._find_long(text, view)
        # A short text: one pass of the combined automaton; map, itemgetter and chain gather what
        # the hits hold without running bytecode per hit.
        hits = list(self._combined.iter(view))
        values = list(map(_VALUE, hits))
        wanted = set(self._always)
        candidates = set(chain.from_iterable(map(_POSITIONS, values)))
        if candidates:
            direct = candidates & self._unchecked
            wanted |= direct
            if len(direct) < len(candidates):
                held = set(chain.from_iterable(map(_CLAUSES, values)))
                self._verify(candidates - direct, held, wanted)
        found: list[tuple[int, int, int]] = []
        phrase_hits = list(compress(hits, map(_OWNERS, values)))
        if phrase_hits:
            self._phrase_matches(view, text, phrase_hits, found)
        return self._regex_matches(text, wanted, found)

    def _find_long(self, text: str, view: str) -> list[tuple[int, int, int]]:
        """`find` on a long text: the main automaton, then the second one only around the anchors
        of long regexes that need verifying, and regexes search around their anchors only."""
        hits = list(self._automaton.iter(view))
        values = list(map(_VALUE, hits))
        wanted = set(self._always)
        candidates = set(chain.from_iterable(map(_POSITIONS, values)))
        spans: dict[int, frozenset[str]] = {}  # regex position -> its anchors in the text
        if candidates:
            present = set(map(_LITERAL, values))
            anchors, long, unchecked = self._anchors, self._long, self._unchecked
            verify = set()
            for position in candidates:
                spans[position] = anchors[position] & present
                if position in unchecked or not long[position]:
                    wanted.add(position)
                else:
                    verify.add(position)
            if verify:
                held = set(chain.from_iterable(map(_CLAUSES, self._second_values(text, verify, spans))))
                self._verify(verify, held, wanted)
        found: list[tuple[int, int, int]] = []
        phrase_hits = list(compress(hits, map(_OWNERS, values)))
        if phrase_hits:
            self._phrase_matches(view, text, phrase_hits, found)
        return self._regex_matches(text, wanted, found, spans)

    def _verify(self, positions: set[int], held: set[int], wanted: set[int]) -> None:
        """Add to `wanted` the regexes at `positions` one of whose conjunctions holds, given the
        clauses and marks in `held` (units whose marks are all there add their clauses)."""
        if held and max(held) >= self._mark_base:
            for unit in {self._mark_unit[m - self._mark_base] for m in held if m >= self._mark_base}:
                needed, clause = self._units[unit]
                if needed <= held:
                    held.add(clause)
        checks = self._checks
        for position in positions:
            for clauses in checks[position]:
                if clauses <= held:
                    wanted.add(position)
                    break

    @staticmethod
    def _phrase_matches(view: str, text: str, phrase_hits: list, found: list) -> None:
        """Append (rule, start, end) for the phrase hits (byte offsets of the view, ascending)."""
        same = len(view) == len(text)
        byte = char = 0
        for last, value in phrase_hits:
            if same:
                char = last + 1
            else:  # byte offset -> character offset, one slice of the view at a time
                char += len(view[byte : last + 1].encode("latin-1").decode("utf-8", "surrogatepass"))
                byte = last + 1
            start = char - value[0]
            for index in value[1]:
                found.append((index, start, char))

    def _second_values(self, text: str, positions: list[int], spans: dict) -> list[tuple]:
        """The second automaton's hits where the regexes at `positions` could match: around their
        anchors when their matches are bounded (a match holds an anchor and is at most `width`
        long), else in the whole text."""
        lo, hi = len(text), 0
        for position in positions:
            bounds = self._extents[position]
            if bounds is None:
                lo, hi = 0, len(text)
                break
            literals = spans[position]
            lo = min(lo, min(text.find(literal) for literal in literals) - bounds[0])
            hi = max(hi, max(text.rfind(literal) for literal in literals) + bounds[0])
        window = text[max(0, lo) : hi]
        view = window if window.isascii() else window.encode("utf-8", "surrogatepass").decode("latin-1")
        return [] if self._second is None else list(map(_VALUE, self._second.iter(view)))

    def _regex_matches(
        self, text: str, wanted: set[int], found: list, spans: dict[int, frozenset[str]] | None = None
    ) -> list[tuple[int, int, int]]:
        """Run the wanted regexes; one whose anchors were located (`spans`) and whose matches are
        bounded (`extent`) searches only the stretch of text around those anchors."""
        for position in sorted(wanted):
            index, pattern = self._regexes[position]
            literals = spans.get(position) if spans else None
            bounds = self._extents[position]
            if not literals or bounds is None:
                matches = pattern.finditer(text)
            else:
                width, reach = bounds
                lo = min(text.find(literal) for literal in literals)
                hi = max(text.rfind(literal) for literal in literals)
                matches = pattern.finditer(text, max(0, lo - width), hi + width + reach)
            found.extend((index, m.start(), m.end()) for m in matches if m.end() > m.start())
        if not found:
            return found
        if len(found) > 1:
            found = list(dict.fromkeys(found))
        exceptions, has = self._exceptions, self._has_exceptions
        if not any(map(has.__getitem__, map(_RULE, found))):
            return found
        # The exceptions whose requirements hold near some match: one pass of the gate automaton
        # over the stretch that holds every match's window (an exception whose requirements a
        # window lacks cannot match there, so running it in more windows changes nothing).
        size = len(text)
        lo = min(map(_START, found)) - _WINDOW
        held = self._gate_held(text[lo if lo > 0 else 0 : max(map(_END, found)) + _WINDOW])
        able = set()  # the exceptions whose requirements hold
        for clause in held:
            if clause < self._gate_base:
                for conjunction in self._gate_firsts[clause]:
                    clauses, number = self._gate_conjunctions[conjunction]
                    if clauses <= held:
                        able.add(number)
        ready = {}
        for index in set(map(_RULE, found)):
            ungated, gated = exceptions[index]
            ready[index] = (*ungated, *(gated & able)) if able else ungated
        if not any(ready.values()):
            return found
        kept, windows = [], {}
        for f in found:
            index, start, end = f
            numbers = ready[index]
            if not numbers:
                kept.append(f)
                continue
            lo = start - _WINDOW if start > _WINDOW else 0
            hi = end + _WINDOW if end + _WINDOW < size else size
            key = (index, lo, hi)
            spans = windows.get(key)
            if spans is None:  # the matches of the rule's exceptions that can match in the window
                window = text[lo:hi]
                spans = windows[key] = [
                    m.span() for number in numbers for m in self._exception_patterns[number].finditer(window)
                ]
            start, end = start - lo, end - lo
            for s, e in spans:
                if s <= start and end <= e:
                    break
            else:
                kept.append(f)
        return kept

    def _gate_held(self, text: str) -> set[int]:
        """The exception clauses that hold in `text` (units whose marks are all there add theirs)."""
        if self._gates is None:
            return set()
        view = text if text.isascii() else text.encode("utf-8", "surrogatepass").decode("latin-1")
        held = set(chain.from_iterable(map(_VALUE, self._gates.iter(view))))
        if held and max(held) >= self._gate_base:
            base = self._gate_base
            for unit in {self._gate_mark_unit[m - base] for m in held if m >= base}:
                needed, clause = self._gate_units[unit]
                if needed <= held:
                    held.add(clause)
        return held


def _unique(values: list[int] | None) -> tuple[int, ...]:
    return tuple(dict.fromkeys(values)) if values else ()


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
