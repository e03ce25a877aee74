"""The drafting chain: grounded, cited, guarded reply drafts from an LLM or the offline drafter.

from assistant.drafting import DraftService
draft = DraftService(settings).draft(DraftRequest("我都等了二十分钟了"), drafter="auto")
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.drafting.llm_drafter import RenderedPrompt
    from assistant.drafting.pipeline import DRAFTERS, DraftService

__all__ = ["DRAFTERS", "DraftService", "RenderedPrompt"]


def __getattr__(name: str) -> object:
    # Lazy, so that light submodules (citations) can be imported without the whole chain.
    if name in ("DRAFTERS", "DraftService"):
        from assistant.drafting import pipeline

        return getattr(pipeline, name)
    if name == "RenderedPrompt":
        from assistant.drafting.llm_drafter import RenderedPrompt

        return RenderedPrompt
    raise AttributeError(name)
