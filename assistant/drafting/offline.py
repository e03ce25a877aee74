"""The offline drafter: a reply from reusable standard wording, for the situations of the conversation.

No network, no model, deterministic for the same input and index. The reply is:
    [opening] · [empathy] · a line per recognised situation (at most two) · [订单号 request] ·
    [layered question] · closing
A situation's line is its phrasebook wording (prompts/offline_phrases.yaml, which leads tune); the
manual's own quote replaces it only when the quote is standard wording (8.3 规范用语) that fits the
message better, or when the phrasebook has none and the quote is reusable (no case facts, no
commitment, no unhedged time: see `wording`). Each line cites the retrieved section of its situation.
Every line must pass the guard on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.drafting.phrasebook import Phrasebook, SituationLines
from assistant.drafting.signals import Signals, coverage, read_signals, similarity
from assistant.drafting.wording import is_standard, reusable_quotes
from assistant.models import DraftRequest, SearchResult

if TYPE_CHECKING:
    from assistant.drafting.hints import Recognised
    from assistant.situations import SituationMatch
    from guardrails import GuardResult

_PHONE_ONLY = ("挂机", "回电", "电话", "声音", "杂音", "听不清", "普通话", "方言", "线路")
_LEADING_APOLOGY = re.compile(r"^(非常抱歉|对不起|很抱歉)[，,]")
_APOLOGY = re.compile(r"抱歉|对不起|不好意思")
MAX_SITUATIONS = 2
COVERED = 0.5  # a line whose bigrams the reply already says to this extent adds nothing
UPSET_ID = "upset"


@dataclass(frozen=True)
class Line:
    """One sentence of the reply and the 1-based rank of the section it rests on (None: none)."""

    text: str
    source: int | None = None

    def cited(self) -> str:
        if self.source is None:
            return self.text
        return f"{self.text[:-1]} [{self.source}]{self.text[-1]}"


class OfflineDrafter:
    """Drafts from the phrasebook and the retrieved sections; `check` is the guard."""

    def __init__(self, phrasebook: Phrasebook, check: Callable[[str], GuardResult]):
        self.book = phrasebook
        self.check = check
        self._safe: dict[str, bool] = {}
        self._quotes: dict[str, list[str]] = {}

    def draft(self, request: DraftRequest, sources: Sequence[SearchResult], recognised: Recognised) -> str:
        """The reply text, with `[n]` citing `sources[n-1]` for the lines that rest on a section."""
        signals = recognised.signals or read_signals(request)
        channel = request.channel
        opening = getattr(self.book.openings, channel)
        if signals.greeting:  # "在吗": ask, do not close (8.3.1 开场语)
            return opening + self.book.greeting_question
        matches = recognised.matches[:MAX_SITUATIONS]
        entries = [self.book.situations.get(m.situation.id) for m in matches]
        if entries and entries[0] is not None and entries[0].ends_conversation:
            return self._closing_reply(request, signals, entries[0], sources, matches[0])
        body = self._body(request, sources, matches, entries, signals)
        asked = body[-1].text.endswith("？")
        closing = getattr(self.book.closings_after_question if asked else self.book.closings, channel)
        head = "" if signals.under_way else opening
        return head + "".join(line.cited() for line in body) + closing

    def _body(
        self,
        request: DraftRequest,
        sources: Sequence[SearchResult],
        matches: Sequence[SituationMatch],
        entries: list[SituationLines | None],
        signals: Signals,
    ) -> list[Line]:
        if entries and entries[0] is not None and entries[0].alone:
            matches, entries = matches[:1], entries[:1]
        lines: list[Line] = []
        for match, entry in zip(matches, entries, strict=True):
            if entry is not None and entry.ends_conversation:
                continue  # "没有了" beside another need: the need is answered, not the goodbye
            line = self.line_for(match, sources, request, said="".join(x.text for x in lines))
            if line is not None:
                lines.append(line)
        empathy = self._empathy(entries, signals)
        if empathy and any(_APOLOGY.search(x.text) or coverage(empathy, x.text) >= COVERED for x in lines):
            empathy = None  # one apology is enough: the manual's sentence already makes it (8.3.2 动作慢)
        if empathy and lines:
            lines[0] = Line(_LEADING_APOLOGY.sub("", lines[0].text), lines[0].source)
        question = self._question(entries)
        if not lines and not question:
            lines.append(Line(self.book.default_action))
        if signals.order and not entries_alone(entries) and not any("订单号" in x.text for x in lines):
            lines.append(Line(self.book.order_question))
        if question and not any(x.text.endswith("？") for x in lines):
            lines.append(Line(question))
        return ([Line(empathy)] if empathy else []) + lines

    def _closing_reply(
        self,
        request: DraftRequest,
        signals: Signals,
        entry: SituationLines,
        sources: Sequence[SearchResult],
        match: SituationMatch,
    ) -> str:
        """The customer is done: thank them and close (8.3 结束语), asking nothing more."""
        channel = request.channel
        head = "" if signals.under_way else getattr(self.book.openings, channel)
        line = Line(entry.action, _source_of(match, sources)) if entry.action else None
        text = line.cited() if line and self.is_safe(line.text) else ""
        return head + text + getattr(self.book.closings_after_question, channel)

    def _empathy(self, entries: list[SituationLines | None], signals: Signals) -> str | None:
        for entry in entries:
            if entry is not None and entry.empathy and self.is_safe(entry.empathy):
                return entry.empathy
        upset = self.book.situations.get(UPSET_ID)
        if signals.heated and upset and upset.empathy and self.is_safe(upset.empathy):
            return upset.empathy
        return None

    def _question(self, entries: list[SituationLines | None]) -> str | None:
        for entry in entries:
            if entry is not None and entry.question and self.is_safe(entry.question):
                return entry.question
        return None

    def line_for(
        self, match: SituationMatch, sources: Sequence[SearchResult], request: DraftRequest, said: str = ""
    ) -> Line | None:
        """The situation's sentence: the phrasebook's, or the manual's when it is the better wording.

        A sentence the reply already says (`said`) is not repeated; the other one is tried instead.
        """
        entry = self.book.situations.get(match.situation.id)
        action = entry.action if entry and entry.action and self.is_safe(entry.action) else None
        if action is None and entry is not None and entry.question:
            return None  # the situation's layered question is its sentence (需求模糊)
        quote = self.best_quote(match, sources, request)
        options: list[Line] = []
        if action is not None:
            options.append(Line(action, _source_of(match, sources)))
        if quote is not None and (
            action is None or self._manual_fits_better(quote, action, sources, request)
        ):
            options.insert(0, quote)
        fresh = [line for line in options if coverage(line.text, said) < COVERED]
        return fresh[0] if fresh else None

    @staticmethod
    def _manual_fits_better(
        quote: Line, action: str, sources: Sequence[SearchResult], request: DraftRequest
    ) -> bool:
        if quote.source is None or not is_standard(sources[quote.source - 1].section):
            return False
        return similarity(quote.text, request.message) > similarity(action, request.message)

    def best_quote(
        self, match: SituationMatch, sources: Sequence[SearchResult], request: DraftRequest
    ) -> Line | None:
        """The situation's reusable manual quote most like the message (the first on a tie)."""
        best: tuple[float, Line] | None = None
        for rank, source in enumerate(sources, start=1):
            if not match.situation.points_to(source.section):
                continue
            for text in self._reusable(source.text):
                if not _fits_channel(text, request.channel) or not self.is_safe(text):
                    continue
                score = similarity(text, request.message)
                if best is None or score > best[0]:
                    best = (score, Line(text, rank))
        return best[1] if best else None

    def fallback(self, request: DraftRequest) -> str:
        """The plainest safe reply: frame and the default next step (used if a draft is blocked)."""
        channel = request.channel
        parts = (
            getattr(self.book.openings, channel),
            self.book.default_action,
            getattr(self.book.closings, channel),
        )
        return "".join(parts)

    def is_safe(self, text: str) -> bool:
        if text not in self._safe:
            self._safe[text] = self.check(text).verdict == "pass"
        return self._safe[text]

    def _reusable(self, section_text: str) -> list[str]:
        if section_text not in self._quotes:
            self._quotes[section_text] = reusable_quotes(section_text)
        return self._quotes[section_text]


def entries_alone(entries: list[SituationLines | None]) -> bool:
    return bool(entries) and entries[0] is not None and entries[0].alone


def _source_of(match: SituationMatch, sources: Sequence[SearchResult]) -> int | None:
    """The rank of the first retrieved section that belongs to the situation."""
    for rank, source in enumerate(sources, start=1):
        if match.situation.points_to(source.section):
            return rank
    return None


def _fits_channel(text: str, channel: str) -> bool:
    return channel == "phone" or not any(word in text for word in _PHONE_ONLY)
