"""What a run was made of: prompt versions, model, manual, rule pack, retriever, scenario set.

Two reports are comparable scenario by scenario only when the yardstick is the same: the same
scenario set, the same manual and the same kind of drafter. Prompt, model, rule pack and retriever
are what a lead changes on purpose, so they may differ (and are listed).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from assistant.settings import BUNDLED_MANUAL_DIR, Settings

YARDSTICK = ("scenario_set", "manual", "drafter")


def hash_files(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def rule_pack_files(settings: Settings) -> list[Path]:
    import guardrails

    packs_dir = Path(guardrails.__file__).resolve().parent / "packs"
    return [*packs_dir.glob("*.yaml"), *settings.guard_packs, *guardrails.env_packs()]


def retriever_settings(settings: Settings) -> dict:
    situations = Path(BUNDLED_MANUAL_DIR).parent / "data" / "situations.yaml"
    return {
        "embedder": settings.embedder,
        "top_k": settings.top_k,
        "collection": settings.collection,
        "situations": hash_files([situations]),
    }


def fingerprint(settings: Settings, *, drafter: str, prompts: list[str], scenario_set: str) -> dict:
    return {
        "drafter": "offline" if drafter == "offline" else "llm",
        "prompts": prompts,
        "model": None if drafter == "offline" else settings.model,
        "manual": hash_files(Path(BUNDLED_MANUAL_DIR).glob("*.txt")),
        "rule_pack": hash_files(rule_pack_files(settings)),
        "retriever": retriever_settings(settings),
        "scenario_set": scenario_set,
    }


def differences(old: dict, new: dict) -> dict[str, tuple[object, object]]:
    keys = sorted(set(old) | set(new))
    return {k: (old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)}


def incomparable(old: dict, new: dict) -> list[str]:
    """The yardstick fields that differ (comparison is meaningless unless forced)."""
    return [k for k in YARDSTICK if old.get(k) != new.get(k)]
