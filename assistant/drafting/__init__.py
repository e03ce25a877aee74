"""The drafting chain: grounded, cited, guarded reply drafts from an LLM or the offline drafter.

from assistant.drafting import DraftService
draft = DraftService(settings).draft(DraftRequest("我都等了二十分钟了"), drafter="auto")
"""

from __future__ import annotations

from assistant.drafting.llm_drafter import RenderedPrompt
from assistant.drafting.pipeline import DRAFTERS, DraftService

__all__ = ["DRAFTERS", "DraftService", "RenderedPrompt"]
