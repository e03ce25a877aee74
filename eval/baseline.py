"""Compare a run with a saved JSON report, scenario by scenario and assertion by assertion."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import InputError
from eval.fingerprint import differences, incomparable


class BaselineError(InputError):
    """The baseline cannot be read, or cannot meaningfully be compared with this run."""


@dataclass(frozen=True)
class Change:
    scenario: str  # key: id, or prompt/id in a prompt matrix
    assertion: str | None  # None: the scenario as a whole
    detail: str = ""

    def __str__(self) -> str:
        where = self.scenario if self.assertion is None else f"{self.scenario} · {self.assertion}"
        return f"{where}{('：' + self.detail) if self.detail else ''}"


@dataclass(frozen=True)
class Comparison:
    regressions: tuple[Change, ...]
    improvements: tuple[Change, ...]
    changed_fingerprint: dict = field(default_factory=dict)
    only_in_baseline: tuple[str, ...] = ()
    only_in_run: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "regressions": [str(c) for c in self.regressions],
            "improvements": [str(c) for c in self.improvements],
            "changed_fingerprint": {k: list(v) for k, v in self.changed_fingerprint.items()},
            "only_in_baseline": list(self.only_in_baseline),
            "only_in_run": list(self.only_in_run),
        }


def load_baseline(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BaselineError(f"{path}: 无法读取基线报告（{exc}）") from exc
    if not isinstance(data, dict) or not {"fingerprint", "scenarios"} <= set(data):
        raise BaselineError(f"{path}: 不是评测 JSON 报告（缺少 fingerprint 或 scenarios）")
    return data


def compare(baseline: dict, current: dict, *, force: bool = False) -> Comparison:
    old_fp, new_fp = baseline["fingerprint"], current["fingerprint"]
    bad = incomparable(old_fp, new_fp)
    if bad and not force:
        raise BaselineError(
            f"无法与基线比较：{'、'.join(bad)} 不同（{_describe(old_fp, new_fp, bad)}）；确需比较请加 --force"
        )
    old, new = _index(baseline), _index(current)
    regressions, improvements = [], []
    for key in sorted(set(old) & set(new)):
        _diff_scenario(key, old[key], new[key], regressions, improvements)
    return Comparison(
        tuple(regressions),
        tuple(improvements),
        differences(old_fp, new_fp),
        tuple(sorted(set(old) - set(new))),
        tuple(sorted(set(new) - set(old))),
    )


def _describe(old: dict, new: dict, keys: list[str]) -> str:
    return "；".join(f"{k}: {old.get(k)} → {new.get(k)}" for k in keys)


def _index(report: dict) -> dict[str, dict]:
    """Scenario entries by id; by prompt/id when the report is a prompt matrix."""
    matrix = len(report["fingerprint"].get("prompts") or []) > 1
    return {(f"{s['prompt']}/{s['id']}" if matrix else s["id"]): s for s in report["scenarios"]}


def _diff_scenario(key: str, old: dict, new: dict, regressions: list, improvements: list) -> None:
    if old["passed"] and not new["passed"]:
        regressions.append(Change(key, None, "通过 → 失败"))
    elif new["passed"] and not old["passed"]:
        improvements.append(Change(key, None, "失败 → 通过"))
    old_asserts = {a["name"]: a for a in old.get("assertions", [])}
    for item in new.get("assertions", []):
        before = old_asserts.get(item["name"])
        if before is None or before.get("passed") is None or item.get("passed") is None:
            continue
        if before["passed"] and not item["passed"]:
            regressions.append(Change(key, item["name"], item.get("detail", "")))
        elif item["passed"] and not before["passed"]:
            improvements.append(Change(key, item["name"], "失败 → 通过"))
