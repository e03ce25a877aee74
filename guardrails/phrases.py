"""Phrase and regex rules, matched on the compact view of the text.

All literal phrases of all rules go into one Aho-Corasick automaton (all overlapping matches in one
pass), run only when a prefix-factored regex of the same phrases finds any. Each regex is compiled
once and runs only when one of its required literals (see `anchors`) is in the text. A match is
dropped when one of its rule's exceptions (regexes of the context that makes the wording fine,
e.g. `听不清楚` around `不清楚`) covers it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import ahocorasick

from guardrails.anchors import anchors
from guardrails.loader import Rule
from guardrails.normalize import normalize

_WINDOW = 24  # characters of context either side searched for an exception


@dataclass(frozen=True)
class Match:
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


def trie_regex(words: Sequence[str]) -> re.Pattern[str]:
    """One regex for many literal words, factored by common prefixes (fast in `re`)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and "" not in node else "(?:" + "|".join(alts) + ")"
        return body + ("?" if "" in node else "")

    return re.compile(build(trie) or r"(?!)")


def _anchor_automaton(patterns: Sequence[re.Pattern[str]]):
    """Regexes without anchors (always run), and an automaton from anchor to regex positions."""
    always: list[int] = []
    by_anchor: dict[str, list[int]] = {}
    for position, pattern in enumerate(patterns):
        found = anchors(pattern)
        if not found:
            always.append(position)
        for anchor in found or ():
            by_anchor.setdefault(anchor, []).append(position)
    automaton = ahocorasick.Automaton()
    for anchor, positions in by_anchor.items():
        automaton.add_word(anchor, tuple(positions))
    if by_anchor:
        automaton.make_automaton()
    return tuple(always), automaton if by_anchor else None


class PhraseRules:
    """The text rules of a set of packs, ready to run."""

    def __init__(self, rules: Sequence[Rule]):
        self._rules = [r for r in rules if r.phrases or r.regex]
        self._automaton = ahocorasick.Automaton()
        owners: dict[str, list[int]] = {}
        for index, rule in enumerate(self._rules):
            for phrase in rule.phrases:
                key = fold_phrase(phrase)
                if key and index not in owners.setdefault(key, []):
                    owners[key].append(index)
        for key, indexes in owners.items():
            self._automaton.add_word(key, (len(key), tuple(indexes)))
        self._has_phrases = bool(owners)
        if self._has_phrases:
            self._automaton.make_automaton()
        # pyahocorasick searches a node's children linearly: with ~150 first characters at the root
        # a scan costs ~40 µs per 500 characters. A prefix-factored regex answers "any phrase?" in a
        # third of that; the automaton then runs only on text that has one (all overlapping matches).
        self._any_phrase = trie_regex(list(owners))
        # Each regex runs only on text that holds one of its required literals (its anchors).
        self._regexes = [(i, fold_pattern(p)) for i, r in enumerate(self._rules) for p in r.regex]
        self._always, self._anchors = _anchor_automaton([p for _, p in self._regexes])
        self._exceptions = [[fold_pattern(p) for p in r.exceptions] for r in self._rules]

    def matches(self, text: str) -> list[Match]:
        """Rule matches in `text` (the compact view), exceptions applied."""
        found: list[tuple[int, int, int]] = []
        if self._has_phrases and self._any_phrase.search(text):
            for last, (length, indexes) in self._automaton.iter(text):
                found.extend((i, last + 1 - length, last + 1) for i in indexes)
        wanted = set(self._always)
        if self._anchors is not None:
            for _, positions in self._anchors.iter(text):
                wanted.update(positions)
        for position in sorted(wanted):
            index, pattern = self._regexes[position]
            found.extend((index, m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start())
        return [
            Match(self._rules[i], s, e)
            for i, s, e in dict.fromkeys(found)
            if not self._excepted(text, i, s, e)
        ]

    def _excepted(self, text: str, index: int, start: int, end: int) -> bool:
        lo = max(0, start - _WINDOW)
        window = text[lo : end + _WINDOW]
        for pattern in self._exceptions[index]:
            for m in pattern.finditer(window):
                if m.start() + lo <= start and end <= m.end() + lo:
                    return True
        return False
