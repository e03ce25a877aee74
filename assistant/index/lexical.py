"""Lexical retrieval: bm25s over jieba search tokens plus character bigrams of normalised text.

Character bigrams let a query with a typo (one wrong character) still share most of its tokens
with the right section. The index is saved next to the Chroma data so start-up does not rebuild it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path

import ahocorasick
import numpy as np

from assistant.index.text import normalize

_WORD = re.compile(r"[\w]+", re.UNICODE)
_HAN = re.compile(r"[\u4e00-\u9fff]")
# Particles and pronouns that carry no topic; BM25's idf handles the rest.
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "哦",
        "嘛",
        "是",
        "我",
        "你",
        "他",
        "她",
        "它",
        "们",
        "这",
        "那",
        "就",
        "都",
        "也",
        "还",
        "在",
        "和",
        "与",
        "及",
        "或",
        "把",
        "被",
        "给",
    ]
)


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def tokenize(text: str) -> list[str]:
    """Tokens of `text` after normalisation: jieba search-mode words and Han character bigrams."""
    text = normalize(text)
    tokens = [t for t in _jieba().lcut_for_search(text) if _WORD.fullmatch(t) and t not in STOPWORDS]
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


def term_automaton(owners: Mapping[str, Iterable[int]]) -> ahocorasick.Automaton:
    """An Aho-Corasick automaton of normalised terms, each with `(len(term), its owners' indexes)`,
    for `whole_word_hits`."""
    automaton = ahocorasick.Automaton()
    for term, who in owners.items():
        automaton.add_word(term, (len(term), tuple(sorted(who))))
    if owners:
        automaton.make_automaton()
    return automaton


def whole_word_hits(automaton: ahocorasick.Automaton, text: str) -> Iterator[tuple[int, ...]]:
    """The owners of each term of `automaton` (see `term_automaton`) found in `text` as a word: a
    hit that begins inside a jieba word and runs past its end is not the word it spells ("气炸" in
    空气|炸锅); one inside a single word is ("磨蹭" in 磨磨蹭蹭). Segments only texts with a hit."""
    if len(automaton) == 0:
        return
    ends: tuple[int, ...] = ()
    for last, (size, owners) in automaton.iter(text):
        start, end = last + 1 - size, last + 1
        ends = ends or _word_ends(text)
        if 0 < start < len(ends) and ends[start - 1] > start and end > ends[start]:
            continue
        yield owners


@lru_cache(maxsize=256)
def _word_ends(text: str) -> tuple[int, ...]:
    """For each character of `text`, where the jieba word holding it ends (the lexicon and the
    situation matcher both ask, for the same message)."""
    ends: list[int] = []
    for word in _jieba().lcut(text):
        ends.extend([len(ends) + len(word)] * len(word))
    return tuple(ends)


class LexicalIndex:
    """BM25 over a list of documents; `search` returns (document position, score), best first."""

    def __init__(self, bm25) -> None:
        self._bm25 = bm25

    @classmethod
    def build(cls, texts: list[str]) -> LexicalIndex:
        import bm25s

        bm25 = bm25s.BM25()
        corpus = [tokenize(t) or [""] for t in texts]
        bm25.index(corpus, show_progress=False)
        return cls(bm25)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self._bm25.save(str(directory), show_progress=False)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        import bm25s

        return cls(bm25s.BM25.load(str(directory), mmap=False))

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        ids = self._bm25.get_tokens_ids(tokenize(query))
        if not ids or k <= 0:
            return []
        scores = self._bm25.get_scores_from_ids(ids)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]
