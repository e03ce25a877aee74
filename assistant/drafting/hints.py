"""The situations recognised in the whole conversation, and the agent's hints (never sent).

The last message leads; the history adds what the message alone cannot show: a customer asking
what they asked before is 反复咨询同一个问题 whatever its words, and a short or vague follow-up
("反正就是差") continues the situation of the customer's previous turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.drafting.signals import Signals, read_signals
from assistant.models import DraftRequest, Hint

if TYPE_CHECKING:
    from assistant.situations import SituationMatch

TOP_SITUATIONS = 3
REPEAT_ID = "repeat_question"
FOLLOW_UP_IDS = frozenset({"vague"})  # a message that leans on what came before
SHORT_MESSAGE = 6


@dataclass(frozen=True)
class Recognised:
    matches: tuple[SituationMatch, ...]
    hints: tuple[Hint, ...]
    signals: Signals | None = None

    @property
    def names(self) -> list[str]:
        return [m.situation.name for m in self.matches]

    @property
    def ids(self) -> list[str]:
        return [m.situation.id for m in self.matches]


def recognise(request: DraftRequest, top: int = TOP_SITUATIONS) -> Recognised:
    """Situations of the message, completed by the conversation, best first, at most `top`."""
    from assistant.situations import get_matcher, hints_for

    matcher = get_matcher()
    signals = read_signals(request)
    matches = list(matcher.match(request.message, top=top))
    earlier = [t.text for t in request.history if t.role == "customer"]
    if earlier and _leans_on_history(request.message, matches):
        before = [m for m in matcher.match(earlier[-1], top=top) if m.situation.id not in _ids(matches)]
        matches = before + matches  # the earlier turn names the need; the message only adds to it
    if signals.repeated and REPEAT_ID not in _ids(matches):
        repeat = _situation(matcher, REPEAT_ID)
        if repeat is not None:
            from assistant.situations import SituationMatch

            matches.insert(0, SituationMatch(repeat, 1.0))
    chosen = tuple(matches[:top])
    return Recognised(matches=chosen, hints=hints_for(chosen), signals=signals)


def _leans_on_history(message: str, matches: list[SituationMatch]) -> bool:
    short = len(message.strip()) < SHORT_MESSAGE
    return short or not matches or matches[0].situation.id in FOLLOW_UP_IDS


def _ids(matches: list[SituationMatch]) -> set[str]:
    return {m.situation.id for m in matches}


def _situation(matcher, situation_id: str):
    try:
        return matcher.catalogue.get(situation_id)
    except KeyError:  # a catalogue without it: nothing to add
        return None
