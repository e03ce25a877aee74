"""Situation understanding: map a customer's message to the manual's situations.

    from assistant.situations import match_situations
    for m in match_situations("我都等了二十分钟了，还没人理我"):
        m.situation.name, m.situation.sections, m.situation.hint(), m.score

The retriever ranks the sections a match points to (`Situation.sections` / `Situation.points_to`);
the drafter turns matches into escalation hints (`hints_for`).
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.models import Hint
from assistant.situations.catalogue import (
    DEFAULT_CATALOGUE,
    Catalogue,
    CatalogueError,
    Situation,
    load_catalogue,
)
from assistant.situations.matcher import SituationMatch, SituationMatcher, get_matcher, match_situations


def hints_for(matches: Iterable[SituationMatch]) -> tuple[Hint, ...]:
    """The agent's hints for these matches, in order, skipping situations without advice."""
    hints = (m.situation.hint() for m in matches)
    return tuple(h for h in hints if h is not None)


__all__ = [
    "DEFAULT_CATALOGUE",
    "Catalogue",
    "CatalogueError",
    "Situation",
    "SituationMatch",
    "SituationMatcher",
    "get_matcher",
    "hints_for",
    "load_catalogue",
    "match_situations",
]
