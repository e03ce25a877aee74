"""The guard: checks a reply against rule packs and returns violations with exact spans.

    >>> import guardrails
    >>> guardrails.check("这个我不知道").verdict
    'block'

Imports nothing from `assistant/` and nothing heavy, so it starts fast and stands on its own.
Extra packs layered on the default: `ASSISTANT_GUARD_PACKS` (paths separated by os.pathsep).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from guardrails.engine import Engine
from guardrails.errors import GuardrailsError, PackError
from guardrails.normalize import Normalized, fold, normalize
from guardrails.result import GuardResult, Suspect, Violation

__all__ = [
    "Engine",
    "GuardResult",
    "GuardrailsError",
    "Normalized",
    "PackError",
    "Suspect",
    "Violation",
    "check",
    "default_engine",
    "fold",
    "load_engine",
    "normalize",
]

PACKS_ENV = "ASSISTANT_GUARD_PACKS"


@lru_cache(maxsize=16)
def _cached_engine(paths: tuple[str, ...]) -> Engine:
    from guardrails.engine import build_engine

    return build_engine(paths)


def load_engine(extra_packs: Sequence[Path | str] = ()) -> Engine:
    """The default pack plus `extra_packs`, layered in order; built once per tuple of paths."""
    return _cached_engine(tuple(str(Path(p).expanduser().resolve()) for p in extra_packs))


def env_packs() -> tuple[Path, ...]:
    raw = os.environ.get(PACKS_ENV, "")
    return tuple(Path(p) for p in raw.split(os.pathsep) if p.strip())


def default_engine() -> Engine:
    """The process-wide engine: default pack plus the packs named in ASSISTANT_GUARD_PACKS."""
    return load_engine(env_packs())


def check(text: str, suspects: bool = False) -> GuardResult:
    """Check one reply with the process-wide engine (with `suspects`: and the second opinion)."""
    return default_engine().check(text, suspects)
