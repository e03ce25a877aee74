"""The core objects the desk calls, built once per app, and who is acting.

The UI never reaches around these: drafting, review (which stores to the audit trail), users
and prompts. Heavy parts are imported here, inside functions, so the CLI stays fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from assistant.errors import AssistantError
from assistant.models import Draft, DraftRequest
from assistant.settings import Settings

LOCAL_USER = "local"
LOCAL_MODE_BANNER = "本机单用户模式：未配置账号，仅限本机访问，所有操作记为用户 local。"


class AccessDenied(AssistantError):
    """The acting user's role does not allow this action."""


@dataclass
class DeskServices:
    """Everything the UI handlers need; one instance per running app."""

    settings: Settings
    drafting: Any  # assistant.drafting.DraftService
    review: Any  # assistant.review.ReviewService
    prompt_store: Any  # prompts.PromptStore
    local_mode: bool  # no users configured: a single local user, no login

    @classmethod
    def create(cls, settings: Settings, prompt_store: Any = None) -> DeskServices:
        from assistant.drafting import DraftService
        from assistant.review import ReviewService
        from assistant.store import AuditStore
        from prompts import open_store

        settings.data_dir.mkdir(parents=True, exist_ok=True)

        return cls(
            settings=settings,
            drafting=(drafting := DraftService(settings)),
            # edits are re-checked by the same guard as drafts (settings' packs included)
            review=ReviewService(AuditStore.open(settings.resolved_database_url), drafting.check),
            prompt_store=prompt_store or open_store(settings.prompts_dir),
            local_mode=not users_configured(settings),
        )

    # -- people ----------------------------------------------------------------------------
    def acting_user(self, request: Any) -> str:
        """The logged-in user (from `gr.Request.username`); the local user only in local mode."""
        name = getattr(request, "username", None)
        if name:
            return name
        if self.local_mode:
            return LOCAL_USER
        raise AccessDenied("未登录，请重新登录。")

    def is_lead(self, user: str) -> bool:
        if self.local_mode and user == LOCAL_USER:
            return True
        from assistant import users

        return users.role_of(user, path=self.settings.resolved_users_file) == "lead"

    def require_lead(self, request: Any) -> str:
        user = self.acting_user(request)
        if not self.is_lead(user):
            raise AccessDenied("只有客服主管（lead）可以使用提示词实验室。")
        return user

    def authenticate(self, name: str, password: str) -> bool:
        from assistant import users

        return bool(users.verify(name, password, path=self.settings.resolved_users_file))

    # -- drafting --------------------------------------------------------------------------
    def stream_draft(self, request: DraftRequest) -> Iterator[str | Draft]:
        """Text deltas while the LLM drafts, then the final guarded Draft."""
        yield from self.drafting.stream(request)

    def check(self, draft_id: int | None, user: str, text: str) -> Any:
        """Guard the reply; with a draft under review the check is kept in the audit trail."""
        if draft_id is not None:
            return self.review.check_edit(draft_id, user, text)
        return self.review.guard(text)


def users_configured(settings: Settings) -> bool:
    from assistant import users

    return users.has_users(path=settings.resolved_users_file)
