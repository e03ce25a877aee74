"""The situations recognised in a customer's message, and the agent's hints (never sent)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.models import DraftRequest, Hint

if TYPE_CHECKING:
    from assistant.situations import SituationMatch

TOP_SITUATIONS = 3


@dataclass(frozen=True)
class Recognised:
    matches: tuple[SituationMatch, ...]
    hints: tuple[Hint, ...]

    @property
    def names(self) -> list[str]:
        return [m.situation.name for m in self.matches]


def recognise(request: DraftRequest, top: int = TOP_SITUATIONS) -> Recognised:
    """Match the message (and, for a short follow-up, the customer's previous turn) to situations."""
    from assistant.situations import hints_for, match_situations

    text = request.message
    earlier = [t.text for t in request.history if t.role == "customer"]
    if earlier and len(text.strip()) < 6:  # "还没好吗？" needs the context to be understood
        text = f"{earlier[-1]}。{text}"
    matches = tuple(match_situations(text, top=top))
    return Recognised(matches=matches, hints=hints_for(matches))
