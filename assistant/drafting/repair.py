"""Guard every draft; when the guard blocks an LLM draft, re-ask with the violations, bounded.

The loop never rewrites a draft itself: if the last attempt is still blocked, that draft is returned
with its `block` verdict and violations, for the agent to see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guardrails import GuardResult

Check = Callable[[str], "GuardResult"]


@dataclass(frozen=True)
class Attempt:
    """One generated draft and what the guard said about it."""

    raw: str  # the model's answer as given
    reply: str  # after citation clean-up: what the guard checked
    guard: GuardResult


@dataclass(frozen=True)
class RepairOutcome:
    final: Attempt
    attempts: int  # generation calls made (1 + repairs)
    history: tuple[Attempt, ...]


def guarded_with_repair(
    first: Callable[[], Attempt],
    repair: Callable[[Attempt], Attempt],
    max_repairs: int,
) -> RepairOutcome:
    """`first()` drafts; while blocked and repairs remain, `repair(last)` drafts again."""
    attempt = first()
    history = [attempt]
    while attempt.guard.blocked and len(history) <= max_repairs:
        attempt = repair(attempt)
        history.append(attempt)
    return RepairOutcome(final=attempt, attempts=len(history), history=tuple(history))


def violations_for_prompt(result: GuardResult) -> list[dict[str, str]]:
    """The violations as the repair prompt lists them: rule, the offending words, the suggestion."""
    listed = []
    for v in result.violations:
        listed.append(
            {
                "rule": v.rule,
                "text": v.text,
                "message": v.message,
                "severity": v.severity,
                "suggestion": v.suggestion or "",
            }
        )
    return listed
