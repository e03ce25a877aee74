"""Accuracy of the situation matcher on labelled messages, and a leave-cues-out estimate.

    .venv/bin/python -m assistant.situations.evaluate tests/situations/dev_messages.yaml

A labelled message is `{text, expect: [situation ids]}`; `expect: []` means it must match nothing.
Top-1: the best match is one of the expected ids. Top-3: every expected id is among the first three.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, TypeAdapter

from assistant.situations.catalogue import Catalogue, load_catalogue
from assistant.situations.matcher import SituationMatcher, _use_embed, default_cache_dir


class LabelledMessage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    expect: tuple[str, ...]


@dataclass(frozen=True)
class AccuracyReport:
    messages: int  # labelled with at least one situation
    top1: float
    top3: float
    nothing_ok: float | None  # share of `expect: []` messages that matched nothing
    extra_labels: float  # mean number of unexpected situations among the first three
    misses: tuple[str, ...] = ()


def load_messages(path: str | Path) -> list[LabelledMessage]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return TypeAdapter(list[LabelledMessage]).validate_python(data)


def accuracy(matcher: SituationMatcher, messages: Sequence[LabelledMessage]) -> AccuracyReport:
    hit1 = hit3 = labelled = quiet = quiet_ok = extra = 0
    misses = []
    for message in messages:
        got = [m.situation.id for m in matcher.match(message.text, top=3)]
        if not message.expect:
            quiet += 1
            quiet_ok += not got
            continue
        labelled += 1
        hit1 += bool(got) and got[0] in message.expect
        ok3 = all(e in got for e in message.expect)
        hit3 += ok3
        extra += len(set(got) - set(message.expect))
        if not ok3:
            misses.append(f"{message.text} → {got} (expected {list(message.expect)})")
    return AccuracyReport(
        messages=labelled,
        top1=hit1 / max(1, labelled),
        top3=hit3 / max(1, labelled),
        nothing_ok=quiet_ok / quiet if quiet else None,
        extra_labels=extra / max(1, labelled),
        misses=tuple(misses),
    )


def leave_cues_out(
    catalogue: Catalogue, folds: int = 5, soft: bool = False, **options: float
) -> AccuracyReport:
    """Hold out every `folds`-th cue of each situation, match it against a matcher built without it.

    `soft` scores the retrieval ranking (`rank`, no threshold) instead of the calibrated `match`.
    """
    memo = options.pop("embed", None) or _MemoEmbed()
    hit1 = hit3 = total = 0
    for fold in range(folds):
        kept, held = [], []
        for situation in catalogue.situations:
            keep = [c for i, c in enumerate(situation.cues) if i % folds != fold]
            held += [(c, situation.id) for i, c in enumerate(situation.cues) if i % folds == fold]
            kept.append(situation.model_copy(update={"cues": tuple(keep)}))
        reduced = catalogue.model_copy(update={"situations": tuple(kept)})
        matcher = SituationMatcher(reduced, embed=memo, **options)
        for cue, situation_id in held:
            found = matcher.rank(cue, top=3) if soft else matcher.match(cue, top=3)
            got = [m.situation.id for m in found]
            total += 1
            hit1 += bool(got) and got[0] == situation_id
            hit3 += situation_id in got
    return AccuracyReport(
        messages=total, top1=hit1 / total, top3=hit3 / total, nothing_ok=None, extra_labels=0
    )


class _MemoEmbed:
    """Embeds each distinct text once across the folds."""

    def __init__(self) -> None:
        self._vectors: dict[str, np.ndarray] = {}

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            self._vectors.update(zip(missing, _use_embed(missing), strict=True))
        return np.stack([self._vectors[t] for t in texts])


def main(argv: list[str]) -> None:
    catalogue = load_catalogue()
    matcher = SituationMatcher(catalogue, cache_dir=default_cache_dir())
    for path in argv:
        report = accuracy(matcher, load_messages(path))
        print(
            f"{path}: {report.messages} messages, top-1 {report.top1:.3f}, top-3 {report.top3:.3f}, "
            f"nothing-ok {report.nothing_ok}, extra labels/msg {report.extra_labels:.2f}"
        )
        for miss in report.misses:
            print("  miss:", miss)
    for soft in (False, True):
        loco = leave_cues_out(catalogue, soft=soft)
        print(
            f"leave-cues-out {'rank' if soft else 'match'} (5 folds, {loco.messages} cues): "
            f"top-1 {loco.top1:.3f}, top-3 {loco.top3:.3f}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
