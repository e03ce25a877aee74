"""Phrase and regex rules, matched on the compact view of the text.

All literal phrases of all rules, and the required literals of all regexes (see `anchors`), go into
one Aho-Corasick automaton (all overlapping matches in one pass). Each regex is compiled once and
runs only when one of its anchors is in the text. A match is dropped when one of its rule's exceptions (regexes of the context that
makes the wording fine, e.g. `听不清楚` around `不清楚`) covers it; an exception, too, runs only
when one of its anchors is near the match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick

from guardrails.anchors import anchors, with_first_chars
from guardrails.loader import Rule
from guardrails.normalize import normalize

_WINDOW = 24  # characters of context either side searched for an exception


def _byte_view(text: str) -> str:
    """The UTF-8 bytes of `text` as a Latin-1 string (one character per byte)."""
    if text.isascii():
        return text
    return text.encode("utf-8", "surrogatepass").decode("latin-1")


def _char_offset(view: str, byte_offset: int) -> int:
    """The character offset of the text at `byte_offset` of its byte view."""
    return len(view[:byte_offset].encode("latin-1").decode("utf-8", "surrogatepass"))


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


def _regex_anchors(patterns: Sequence[re.Pattern[str]]) -> tuple[tuple[int, ...], dict[str, list[int]]]:
    """Regexes without anchors (always run), and each anchor's regex positions."""
    always: list[int] = []
    by_anchor: dict[str, list[int]] = {}
    for position, pattern in enumerate(patterns):
        found = anchors(pattern)
        if not found:
            always.append(position)
        for anchor in found or ():
            by_anchor.setdefault(anchor, []).append(position)
    return tuple(always), by_anchor


@dataclass(frozen=True)
class _Exception:
    """An exception regex, and a regex of the literals one of which its match must hold (its
    gate: None when it has no such literals and always runs)."""

    pattern: re.Pattern[str]
    gate: re.Pattern[str] | None

    @classmethod
    def compile(cls, source: str) -> _Exception:
        pattern = fold_pattern(source)
        found = anchors(pattern)
        return cls(pattern, trie_regex(sorted(found)) if found else None)


class PhraseRules:
    """The text rules of a set of packs, ready to run.

    One Aho-Corasick automaton holds every literal phrase and every regex anchor, so a text is
    scanned once for both. It runs over the UTF-8 bytes of the text (seen as a Latin-1 string):
    pyahocorasick searches a node's children linearly, and the root of a Chinese automaton has
    hundreds of children but only a handful of UTF-8 lead bytes (about 5x faster). UTF-8 is
    self-synchronising, so a key's bytes occur only where the key's characters do.
    """

    def __init__(self, rules: Sequence[Rule]):
        self._rules = [r for r in rules if r.phrases or r.regex]
        owners: dict[str, list[int]] = {}
        for index, rule in enumerate(self._rules):
            for phrase in rule.phrases:
                key = fold_phrase(phrase)
                if key and index not in owners.setdefault(key, []):
                    owners[key].append(index)
        self._regexes = [
            (i, with_first_chars(fold_pattern(p))) for i, r in enumerate(self._rules) for p in r.regex
        ]
        self._always, by_anchor = _regex_anchors([p for _, p in self._regexes])
        keys = list(dict.fromkeys([*owners, *by_anchor]))
        self._automaton = ahocorasick.Automaton()
        for key in keys:
            value = (len(key), tuple(owners.get(key, ())), tuple(by_anchor.get(key, ())))
            self._automaton.add_word(_byte_view(key), value)
        if keys:
            self._automaton.make_automaton()
        self._exceptions = [[_Exception.compile(p) for p in r.exceptions] for r in self._rules]

    def matches(self, text: str) -> list[Match]:
        """Rule matches in `text` (the compact view), exceptions applied."""
        found: list[tuple[int, int, int]] = []
        wanted = set(self._always)
        if self._automaton.kind == ahocorasick.AHOCORASICK:
            view = _byte_view(text)
            for last, (length, indexes, positions) in self._automaton.iter(view):
                if indexes:
                    end = last + 1 if len(view) == len(text) else _char_offset(view, last + 1)
                    found.extend((i, end - length, end) for i in indexes)
                wanted.update(positions)
        for position in sorted(wanted):
            index, pattern = self._regexes[position]
            found.extend((index, m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start())
        if not found:
            return []
        return [
            Match(self._rules[i], s, e)
            for i, s, e in dict.fromkeys(found)
            if not self._excepted(text, i, s, e)
        ]

    def _excepted(self, text: str, index: int, start: int, end: int) -> bool:
        exceptions = self._exceptions[index]
        if not exceptions:
            return False
        lo = max(0, start - _WINDOW)
        window = text[lo : end + _WINDOW]
        start, end = start - lo, end - lo
        for x in exceptions:
            if x.gate is not None and not x.gate.search(window):
                continue
            for m in x.pattern.finditer(window):
                if m.start() <= start and end <= m.end():
                    return True
        return False
