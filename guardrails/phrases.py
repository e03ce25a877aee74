"""Phrase and regex rules, matched on the compact view of the text.

One Hyperscan scan of the text (`prefilter`) finds every occurrence of every literal phrase of all
rules (overlapping ones too), tells which regexes may match, and which detectors' gates the text
holds. A regex runs in `re` only when the scan says it may match (compiled the first time). Where
Hyperscan is missing, an Aho-Corasick automaton finds the phrases and every regex runs: the same
results, slower. A match is dropped when one of its rule's exceptions (regexes of the context that
makes the wording fine, e.g. `听不清楚` around `不清楚`) covers it; an exception runs only when the
same scan says it may match in the text. Every shortcut only skips work that could not find
anything: the results are those of running every regex and every exception
(tests/guardrails/test_fast_paths.py).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from operator import itemgetter
from pathlib import Path

import ahocorasick

from guardrails.anchors import with_first_chars
from guardrails.loader import Rule
from guardrails.normalize import fold_pattern, fold_source, normalize
from guardrails.prefilter import Prefilter

WINDOW = 24  # characters of context either side searched for an exception


# Getters for plain tuples, read in bulk (`map` over a list runs no bytecode per item).
_END_BYTE = itemgetter(0)  # of a phrase hit: (the byte offset of its last byte, its entry)
_RULE = itemgetter(0)  # of a match: (rule, start, end)


def fold_phrase(phrase: str) -> str:
    return normalize(phrase).compact().text


class PhraseRules:
    """The text rules of a set of packs, ready to run.

    `scan(text)` gives the rule matches and the `gates` (patterns of the compact view that the
    engine's detectors need, see `contacts.GATES`) that may match, from one Hyperscan scan.
    """

    def __init__(self, rules: Sequence[Rule], gates: Sequence[str] = (), cache: Path | None = None):
        self._rules = [r for r in rules if r.phrases or r.regex]
        # (rule, regex source); `_fast` holds a regex compiled, when it first runs: most never do
        self._regexes = [(i, source) for i, r in enumerate(self._rules) for source in r.regex]
        self._fast: dict[int, re.Pattern[str]] = {}
        phrase_rules: dict[str, list[int]] = {}
        for index, rule in enumerate(self._rules):
            for phrase in rule.phrases:
                key = fold_phrase(phrase)
                if key and index not in phrase_rules.setdefault(key, []):
                    phrase_rules[key].append(index)
        self._exceptions = Exceptions(self._rules)
        # The prefilter's numbers: the regexes, the gates, the exceptions (searched in windows
        # around matches), then the phrases (literals).
        patterns = [fold_source(source) for _, source in self._regexes] + list(gates)
        self._first_exception = len(patterns)
        patterns += map(fold_source, self._exceptions.sources)
        windowed = range(self._first_exception, len(patterns))
        self._prefilter = Prefilter(patterns, list(phrase_rules), windowed=windowed, cache=cache)
        self._first_phrase = len(patterns)
        regexes, exceptions = len(self._regexes), self._first_exception
        always = self._prefilter.always
        self._always = frozenset(n for n in always if n < regexes)
        self._gates_open = frozenset(n - regexes for n in always if regexes <= n < exceptions)
        self._exceptions_able = frozenset(n - exceptions for n in always if n >= exceptions)
        # What a phrase's report or automaton hit carries: (its length, the rules it is a phrase of)
        self._entries = [(len(key), tuple(indices)) for key, indices in phrase_rules.items()]
        self._automaton = None
        if not self._prefilter.available:  # Hyperscan cannot find the phrases: Aho-Corasick does
            entries = dict(zip(phrase_rules, self._entries, strict=True))
            self._automaton = _automaton(entries)

    def rule(self, index: int) -> Rule:
        return self._rules[index]

    def reports(self, text: str) -> tuple[bytes, list[tuple[int, int]]]:
        """The UTF-8 of `text` (the compact view) and the prefilter's reports on it, nothing more."""
        data = text.encode("utf-8", "surrogatepass")
        return data, self._prefilter.scan(data)

    def scan(self, text: str) -> tuple[list[tuple[int, int, int]], Collection[int]]:
        """(rule index, start, end) of each rule match in `text` (the compact view), exceptions
        applied, in the order phrases then regexes, without duplicates; and the gates (by index)
        that may match `text`."""
        data, reports = self.reports(text)
        if not reports and self._automaton is None and not self._always:
            return [], self._gates_open  # the common case: a clean reply
        wanted, gates, able = [*self._always], [*self._gates_open], [*self._exceptions_able]
        phrase_hits = []  # (the byte offset of a phrase's last byte, its entry), ascending
        regexes, exceptions, literals = len(self._regexes), self._first_exception, self._first_phrase
        for number, end in reports:  # each pattern is reported at most once
            if number < regexes:
                wanted.append(number)
            elif number < exceptions:
                gates.append(number - regexes)
            elif number < literals:
                able.append(number - exceptions)
            else:
                phrase_hits.append((end - 1, self._entries[number - literals]))
        found: list[tuple[int, int, int]] = []
        if self._automaton is not None:
            phrase_hits = self._automaton.iter(_byte_view(text))
        elif len(phrase_hits) > 1:
            phrase_hits.sort(key=_END_BYTE)
        if phrase_hits:
            _phrase_matches(data, text, phrase_hits, found)
        if wanted:
            found = self._regex_matches(text, wanted, found)
        return (self._exceptions.apply(text, found, able) if found else found), gates

    def _regex_matches(self, text: str, wanted: Iterable[int], found: list) -> list[tuple[int, int, int]]:
        """`found` and the matches of the wanted regexes, without duplicates."""
        for regex in sorted(wanted):
            rule, source = self._regexes[regex]
            fast = self._fast.get(regex)
            if fast is None:
                fast = self._fast[regex] = with_first_chars(fold_pattern(source))
            found.extend((rule, m.start(), m.end()) for m in fast.finditer(text) if m.end() > m.start())
        return list(dict.fromkeys(found)) if len(found) > 1 else found


class Exceptions:
    """The exceptions of each rule: regexes of the context that makes a match's wording fine.

    A match is dropped when an exception of its rule, searched in the match's window (`WINDOW`
    characters either side), covers it. Only the exceptions that the scan of the whole text says
    may match (`able`) run: one that cannot match in the text cannot match in any of its windows.
    """

    def __init__(self, rules: Sequence[Rule]):
        self.sources: list[str] = []  # as the pack says them; compiled when first run
        self._numbers: list[range] = []  # per rule: the numbers of its exceptions
        for rule in rules:
            self._numbers.append(range(len(self.sources), len(self.sources) + len(rule.exceptions)))
            self.sources.extend(rule.exceptions)
        self._has_exceptions = [bool(rule.exceptions) for rule in rules]

    def apply(
        self, text: str, found: list[tuple[int, int, int]], able: Collection[int]
    ) -> list[tuple[int, int, int]]:
        """The matches (rule, start, end) of `found` that no exception of their rule covers, of
        the exceptions numbered in `able` (the others cannot match in the text)."""
        if not able or not any(map(self._has_exceptions.__getitem__, map(_RULE, found))):
            return found
        ready = {rule: tuple(n for n in self._numbers[rule] if n in able) for rule in set(map(_RULE, found))}
        if not any(ready.values()):
            return found
        return self._uncovered(text, found, ready)

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
                    m.span()
                    for number in numbers
                    for m in fold_pattern(self.sources[number]).finditer(window)
                ]
            start, end = start - lo, end - lo
            for s, e in spans:
                if s <= start and end <= e:
                    break
            else:
                kept.append(match)
        return kept


def _phrase_matches(data: bytes, text: str, phrase_hits: Iterable, found: list) -> None:
    """Append (rule, start, end) for the phrase hits (byte offsets of `data`, the UTF-8 of
    `text`, ascending)."""
    same = len(data) == len(text)
    byte = char = 0
    for last, entry in phrase_hits:
        if same:
            char = last + 1
        else:  # byte offset -> character offset, one slice at a time
            char += len(data[byte : last + 1].decode("utf-8", "surrogatepass"))
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


def _automaton(values: dict[str, tuple]) -> ahocorasick.Automaton | None:
    """An automaton over the UTF-8 bytes of `values`' keys (None when there are none)."""
    if not values:
        return None
    automaton = ahocorasick.Automaton()
    for key, value in values.items():
        automaton.add_word(_byte_view(key), value)
    automaton.make_automaton()
    return automaton
