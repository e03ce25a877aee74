"""The guard's own user-facing errors (guardrails must not import assistant/)."""

from __future__ import annotations

from pathlib import Path


class GuardrailsError(Exception):
    """A problem the user can fix: a malformed rule pack, an unusable input."""


class PackError(GuardrailsError):
    """A rule pack that cannot be loaded; the message names the file, the line and the reason."""

    def __init__(self, path: Path | str, line: int | None, reason: str):
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"规则包 {where} 有误：{reason}")
