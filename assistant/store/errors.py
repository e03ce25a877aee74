"""Errors the audit store raises for users (the AssistantError family)."""

from __future__ import annotations

from assistant.errors import AssistantError, InputError


class DraftNotFoundError(InputError):
    """No draft with this id in the audit store."""


class DecisionExistsError(AssistantError):
    """The draft already has its one decision."""
