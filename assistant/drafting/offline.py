"""The offline drafter: a reply from the manual's own example phrases, framed by the channel.

No network, no model, deterministic for the same input and index. The reply is:
    opening · [empathy] · [the manual's best-fitting example phrase [n]] · [next step] · [question] · closing
The example phrase is chosen among the quoted phrases (“……”) of the retrieved sections by its
similarity to the customer's message, the section's rank, and whether the section belongs to a
situation recognised in the message. Every candidate must pass the guard on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.drafting.phrasebook import Phrasebook, SituationLines
from assistant.models import DraftRequest, SearchResult

if TYPE_CHECKING:
    from assistant.situations import SituationMatch
    from guardrails import GuardResult

_QUOTED = re.compile(r"[“\"]([^“”\"]{2,160})[”\"]")
_PARENTHETICAL = re.compile(r"[（(][^（）()]{0,30}[）)]")
_HALF_TO_FULL = str.maketrans({",": "，", "?": "？", "!": "！", ":": "：", ";": "；"})
_PLACEHOLDERS = ("……", "...", "XX", "xx", "**", "／", "/", "+", "＋")
_ADDRESS = ("您", "你", "请", "我")  # a sentence said to the customer addresses them
_FACTS = re.compile(r"[0-9０-９A-Za-zＡ-Ｚａ-ｚ%％]")  # sample figures and placeholder letters
_SALUTATION = re.compile(r"^(先生|女士|小姐)[，,]?")
_FRAME_MARKERS = ("为您服务", "还有其他可以帮您", "生活愉快", "您还在吗")
_PHONE_ONLY = ("挂机", "回电", "电话", "声音", "杂音", "听不清", "普通话", "方言", "线路")
_APOLOGY = ("抱歉", "对不起")
_END_PUNCT = "。！？"
MIN_CHARS, MAX_CHARS = 8, 90
MIN_SCORE = 0.3  # a phrase needs its situation's section or real word overlap, not rank alone
RANK_WEIGHT = 0.15


@dataclass(frozen=True)
class Candidate:
    text: str
    source: int  # 1-based rank of the section it was quoted in
    score: float


def clean_phrase(raw: str) -> str | None:
    """A quoted phrase made fit to send, or None when it is not a sendable sentence."""
    text = _PARENTHETICAL.sub("", raw).translate(_HALF_TO_FULL)
    text = "".join(text.split()).strip("“”\"'，、")
    text = _SALUTATION.sub("", text)
    if any(p in text for p in _PLACEHOLDERS) or any(m in text for m in _FRAME_MARKERS):
        return None
    if _FACTS.search(text) or not any(w in text for w in _ADDRESS):
        return None  # the manual's sample facts (9折, 3个工作日) are not ours to promise
    if not MIN_CHARS <= len(text) <= MAX_CHARS:
        return None
    return text if text[-1] in _END_PUNCT else text + "。"


def quoted_in(text: str) -> list[str]:
    """The manual's quoted example phrases in a section (the corpus helper when it exists)."""
    try:
        from assistant.corpus import quoted_phrases
    except ImportError:
        return [m.group(1) for m in _QUOTED.finditer(text)]
    return list(quoted_phrases(text))


def bigrams(text: str) -> set[str]:
    chars = [c for c in text if c.isalnum()]
    return {a + b for a, b in zip(chars, chars[1:], strict=False)}


def similarity(a: str, b: str) -> float:
    """Dice overlap of character bigrams: cheap, deterministic, good enough for short Chinese text."""
    x, y = bigrams(a), bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def coverage(line: str, by: str) -> float:
    """How much of `line` (its bigrams) `by` already says."""
    x = bigrams(line)
    return len(x & bigrams(by)) / len(x) if x else 1.0


class OfflineDrafter:
    """Drafts from the retrieved sections and the phrasebook; `check` is the guard."""

    def __init__(self, phrasebook: Phrasebook, check: Callable[[str], GuardResult]):
        self.book = phrasebook
        self.check = check
        self._safe: dict[str, bool] = {}

    def draft(
        self, request: DraftRequest, sources: Sequence[SearchResult], matches: Sequence[SituationMatch]
    ) -> str:
        """The reply text, with `[n]` citing `sources[n-1]` where a manual phrase is used."""
        best = self.best_phrase(request, sources, matches)
        lines = self.situation_lines(matches)
        body: list[str] = []
        if lines.empathy and not (best and any(w in best.text for w in _APOLOGY)):
            body.append(lines.empathy)
        if best:
            body.append(f"{best.text[:-1]} [{best.source}]{best.text[-1]}")
        if lines.action and (best is None or coverage(lines.action, best.text) < 0.35):
            body.append(lines.action)
        if lines.question:
            body.append(lines.question)
        channel = request.channel
        opening, closing = getattr(self.book.openings, channel), getattr(self.book.closings, channel)
        if not body and _is_greeting(request, matches):  # "在吗": ask, do not close (8.3.1 开场语)
            return opening + self.book.greeting_question
        if best is None and not lines.action:
            body.append(self.book.default_action)
        if body[-1].endswith("？"):  # a question to the customer: do not ask a second one
            closing = getattr(self.book.closings_after_question, channel)
        return "".join([opening, *body, closing])

    def fallback(self, request: DraftRequest) -> str:
        """The plainest safe reply: frame and the default next step (used if a draft is blocked)."""
        channel = request.channel
        parts = (
            getattr(self.book.openings, channel),
            self.book.default_action,
            getattr(self.book.closings, channel),
        )
        return "".join(parts)

    def situation_lines(self, matches: Sequence[SituationMatch]) -> SituationLines:
        """Empathy, action and question from the recognised situations, best match first."""
        found: dict[str, str] = {}
        for match in matches:
            entry = self.book.situations.get(match.situation.id)
            if entry is None:
                continue
            for field in ("empathy", "action", "question"):
                value = getattr(entry, field)
                if value and field not in found and self.is_safe(value):
                    found[field] = value
        return SituationLines(**found)

    def best_phrase(
        self, request: DraftRequest, sources: Sequence[SearchResult], matches: Sequence[SituationMatch]
    ) -> Candidate | None:
        candidates = self.candidates(request, sources, matches)
        if not candidates:
            return None
        best = max(candidates, key=lambda c: (c.score, -c.source, -len(c.text)))
        return best if best.score >= MIN_SCORE else None

    def candidates(
        self, request: DraftRequest, sources: Sequence[SearchResult], matches: Sequence[SituationMatch]
    ) -> list[Candidate]:
        out: list[Candidate] = []
        seen: set[str] = set()
        for rank, source in enumerate(sources, start=1):
            fit = _situation_fit(source.section, matches)
            for raw in quoted_in(source.text):
                text = clean_phrase(raw)
                if text is None or text in seen or not self._fits_channel(text, request.channel):
                    continue
                seen.add(text)
                if not self.is_safe(text):
                    continue
                score = similarity(text, request.message) + RANK_WEIGHT / rank + fit
                out.append(Candidate(text=text, source=rank, score=round(score, 6)))
        return out

    def is_safe(self, text: str) -> bool:
        if text not in self._safe:
            self._safe[text] = self.check(text).verdict == "pass"
        return self._safe[text]

    @staticmethod
    def _fits_channel(text: str, channel: str) -> bool:
        return channel == "phone" or not any(word in text for word in _PHONE_ONLY)


def _situation_fit(section: str, matches: Sequence[SituationMatch]) -> float:
    """A bonus when the section is one of the recognised situations' sections (more for the best)."""
    for position, match in enumerate(matches):
        if match.situation.points_to(section):
            return 0.5 if position == 0 else 0.3
    return 0.0


def _is_greeting(request: DraftRequest, matches: Sequence[SituationMatch]) -> bool:
    return not matches and len(bigrams(request.message)) <= 4
