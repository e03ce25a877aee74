"""The review desk's core: the rules the UI only displays.

The UI (and tests) call `ReviewService`. Every rule is enforced here, server-side: the final text
is re-checked with the guard whatever the client says; a blocked text is never approved; a text
with warnings needs a one-line reason; every draft gets exactly one decision.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.errors import AssistantError, InputError
from assistant.models import Draft, DraftRequest
from assistant.store import AuditStore, Decision, DecisionExistsError, DraftNotFoundError

if TYPE_CHECKING:
    from guardrails import GuardResult

# Reject reasons: code -> label shown to agents. Codes are what the store keeps.
REJECT_REASONS: dict[str, str] = {
    "inaccurate": "内容不准确",
    "tone": "语气不当",
    "unresolved": "未解决客户问题",
    "policy": "违反规范",
    "other": "其他",
}
MAX_REASON_CHARS = 200
MAX_NOTE_CHARS = 1000

__all__ = [
    "REJECT_REASONS",
    "ApprovalBlockedError",
    "Decision",
    "DecisionExistsError",
    "DraftNotFoundError",
    "ReasonRequiredError",
    "ReviewService",
    "unified_diff",
]


class ApprovalBlockedError(AssistantError):
    """The final text still has a violation the guard blocks."""


class ReasonRequiredError(InputError):
    """Approving a text with warnings needs a one-line reason."""


def _default_guard(text: str) -> GuardResult:
    from guardrails import check

    return check(text, suspects=True)


def unified_diff(original: str, final: str) -> str:
    """Line-based unified diff; empty when the texts are equal."""
    lines = difflib.unified_diff(
        original.splitlines(), final.splitlines(), "draft", "final", lineterm="", n=2
    )
    return "\n".join(lines)


def one_line(text: str | None, limit: int, what: str) -> str:
    """Collapse whitespace (newlines included) into single spaces; refuse over-long text."""
    collapsed = " ".join((text or "").split())
    if len(collapsed) > limit:
        raise InputError(f"{what}过长（最多 {limit} 个字），请精简。")
    return collapsed


class ReviewService:
    """Record drafts, re-check edits, approve or reject. `guard(text) -> GuardResult`."""

    def __init__(self, store: AuditStore, guard: Callable[[str], GuardResult] | None = None) -> None:
        self.store = store
        self.guard = guard or _default_guard

    def record_draft(self, user: str, request: DraftRequest, draft: Draft) -> int:
        return self.store.add_draft(_user(user), request, draft)

    def check_edit(self, draft_id: int, user: str, text: str) -> GuardResult:
        """Re-check an edited reply with the guard and keep the check in the audit trail."""
        result = self.guard(text)
        self.store.add_edit_check(draft_id, _user(user), text, result.to_dict())
        return result

    def approve(self, draft_id: int, user: str, final_text: str, reason: str | None = None) -> Decision:
        user = _user(user)
        draft = self.store.get_draft(draft_id)
        self._refuse_if_decided(draft_id)
        if not final_text.strip():
            raise InputError("回复内容为空，不能批准。")
        result = self.guard(final_text)
        if result.verdict == "block":
            self.store.add_edit_check(draft_id, user, final_text, result.to_dict())
            raise ApprovalBlockedError(_blocked_message(result))
        reason_text = one_line(reason, MAX_REASON_CHARS, "批准理由")
        if result.verdict == "warn" and not reason_text:
            raise ReasonRequiredError(_warn_message(result))
        return self.store.add_decision(
            draft_id=draft_id,
            user=user,
            action="approve",
            original_text=draft.reply,
            final_text=final_text,
            diff=unified_diff(draft.reply, final_text),
            guard=result.to_dict(),
            reason=reason_text or None,
        )

    def reject(self, draft_id: int, user: str, reason_code: str, note: str | None = None) -> Decision:
        user = _user(user)
        code = reason_code_of(reason_code)
        note_text = one_line(note, MAX_NOTE_CHARS, "驳回说明")
        if code == "other" and not note_text:
            raise InputError("驳回理由选择“其他”时，请填写说明。")
        draft = self.store.get_draft(draft_id)
        return self.store.add_decision(
            draft_id=draft_id,
            user=user,
            action="reject",
            original_text=draft.reply,
            final_text=draft.reply,
            diff="",
            guard=draft.guard,
            reason_code=code,
            reason=note_text or None,
        )

    def _refuse_if_decided(self, draft_id: int) -> None:
        from assistant.store.audit import already_decided

        existing = self.store.decision_for(draft_id)
        if existing is not None:
            raise DecisionExistsError(already_decided(existing))


def reason_code_of(value: str) -> str:
    """Accept a reason code or its Chinese label; anything else is refused with the list."""
    value = (value or "").strip()
    if value in REJECT_REASONS:
        return value
    for code, label in REJECT_REASONS.items():
        if value == label:
            return code
    choices = "、".join(REJECT_REASONS.values())
    raise InputError(f"未知的驳回理由“{value}”，可选：{choices}。")


def _user(user: str) -> str:
    name = (user or "").strip()
    if not name:
        raise InputError("缺少操作人，请先登录。")
    return name


def _flagged(result: GuardResult, severity: str) -> str:
    words = [f"“{v.text}”" for v in result.violations if v.severity == severity]
    return "、".join(dict.fromkeys(words))


def _blocked_message(result: GuardResult) -> str:
    return f"回复中仍有禁止使用的内容：{_flagged(result, 'block')}，请修改后再批准。"


def _warn_message(result: GuardResult) -> str:
    return f"回复中有需要注意的内容：{_flagged(result, 'warn')}。如确需保留，请填写一行理由后再批准。"
