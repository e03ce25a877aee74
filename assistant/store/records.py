"""What the audit store hands back: frozen dataclasses, one per kind of audit row.

Guard results are kept as the JSON the guard produced (`GuardResult.to_dict()`), exactly as
stored: the audit trail is the record of what the agent saw, whatever the guard's code becomes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from assistant.models import DraftRequest, Hint, SearchResult

Action = Literal["approve", "reject"]


@dataclass(frozen=True)
class DraftRecord:
    """One draft as it was shown to an agent, with the request that produced it."""

    id: int
    created_at: datetime
    user: str
    request: DraftRequest
    reply: str
    drafter: str
    prompt: str | None
    sources: tuple[SearchResult, ...]
    guard: dict[str, Any] = field(hash=False)
    attempts: int = 1
    notice: str | None = None
    hints: tuple[Hint, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict, hash=False)

    @property
    def verdict(self) -> str:
        return self.guard.get("verdict", "pass")

    @property
    def top_section(self) -> str:
        return self.sources[0].section if self.sources else ""


@dataclass(frozen=True)
class EditCheck:
    """One re-check of an agent's edited text."""

    id: int
    draft_id: int
    created_at: datetime
    user: str
    text: str
    guard: dict[str, Any] = field(hash=False)

    @property
    def verdict(self) -> str:
        return self.guard.get("verdict", "pass")


@dataclass(frozen=True)
class Decision:
    """The one decision on a draft: approved (possibly edited) or rejected."""

    id: int
    draft_id: int
    created_at: datetime
    user: str
    action: Action
    original_text: str
    final_text: str
    diff: str  # unified diff original -> final; empty when unchanged
    guard: dict[str, Any] = field(hash=False)  # the guard's result on final_text
    reason_code: str | None = None  # rejections: one of review.REJECT_REASONS
    reason: str | None = None  # approvals with warnings: the one-line reason; rejections: the note

    @property
    def verdict(self) -> str:
        return self.guard.get("verdict", "pass")

    @property
    def edited(self) -> bool:
        # The desk strips the `[n]` citation markers before approval: that alone is no edit.
        from assistant.drafting.citations import strip_citations

        return self.action == "approve" and self.final_text != strip_citations(self.original_text)


@dataclass(frozen=True)
class AuditRecord:
    """A draft with everything that happened to it, for export."""

    draft: DraftRecord
    edit_checks: tuple[EditCheck, ...] = ()
    decision: Decision | None = None
