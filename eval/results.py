"""A run's results: per draft (`ScenarioRun`), per scenario and prompt (`ScenarioOutcome`), per run.

`RunReport.to_dict()` is the JSON report (top level `fingerprint`, `summary`, `scenarios`) and the
baseline format; `--baseline` reads it back as plain dicts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from eval.assertions import AssertionResult


@dataclass(frozen=True)
class ScenarioRun:
    """One drafted reply for one scenario (one prompt, one repetition), scored."""

    scenario_id: str
    prompt: str
    repeat: int
    passed: bool
    score: float
    assertions: tuple[AssertionResult, ...]
    reply: str = ""
    sources: tuple[str, ...] = ()  # section paths, best first
    violations: tuple[dict, ...] = ()  # guard violations with spans into `reply`
    error: str | None = None
    elapsed_ms: float = 0.0


def score_of(assertions: tuple[AssertionResult, ...]) -> float:
    """Weighted share of passed assertions; skipped ones drop out. No assertion scored: 0."""
    counted = [a for a in assertions if not a.skipped]
    total = sum(a.weight for a in counted)
    if total <= 0:
        return 0.0
    return sum(a.weight for a in counted if a.passed) / total


@dataclass(frozen=True)
class ScenarioOutcome:
    """A scenario under one prompt across its repetitions: passes only if every run passed (pass^k)."""

    id: str
    section: str
    category: str
    prompt: str
    runs: tuple[ScenarioRun, ...]

    @property
    def passed(self) -> bool:
        return bool(self.runs) and all(r.passed for r in self.runs)

    @property
    def shown(self) -> ScenarioRun:
        """The run reports show: the first failing one, else the last."""
        return next((r for r in self.runs if not r.passed), self.runs[-1])

    def to_dict(self) -> dict:
        run = self.shown
        return {
            "id": self.id,
            "section": self.section,
            "category": self.category,
            "prompt": self.prompt,
            "passed": self.passed,
            "score": round(run.score, 4),
            "runs": len(self.runs),
            "runs_passed": sum(r.passed for r in self.runs),
            "error": run.error,
            "reply": run.reply,
            "sources": list(run.sources),
            "violations": list(run.violations),
            "assertions": [a.to_dict() for a in run.assertions],
        }


@dataclass(frozen=True)
class RunReport:
    fingerprint: dict
    outcomes: tuple[ScenarioOutcome, ...]
    duration_s: float = 0.0
    repeat: int = 1
    replay_misses: tuple[str, ...] = field(default=())

    def summary(self) -> dict:
        total = len(self.outcomes)
        passed = sum(o.passed for o in self.outcomes)
        runs = [r for o in self.outcomes for r in o.runs]
        return {
            "total": total,
            "passed": passed,
            "failed": total - passed,
            "pass_rate": round(passed / total, 4) if total else 0.0,
            "repeat": self.repeat,
            "pass_at_1": round(sum(r.passed for r in runs) / len(runs), 4) if runs else 0.0,
            "by_prompt": _rates(self.outcomes, key=lambda o: o.prompt),
            "by_category": _rates(self.outcomes, key=lambda o: o.category),
            "duration_s": round(self.duration_s, 2),
            "replay_misses": list(self.replay_misses),
        }

    def to_dict(self) -> dict:
        return {
            "fingerprint": self.fingerprint,
            "summary": self.summary(),
            "scenarios": [o.to_dict() for o in self.outcomes],
        }


def _rates(outcomes: tuple[ScenarioOutcome, ...], key) -> dict[str, dict]:
    groups: dict[str, list[ScenarioOutcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[key(outcome)].append(outcome)
    return {
        name: {
            "total": len(items),
            "passed": sum(o.passed for o in items),
            "pass_rate": round(sum(o.passed for o in items) / len(items), 4),
        }
        for name, items in groups.items()
    }
