"""What every assertion shares: its YAML fields, the context it reads, the outcome it returns.

An assertion is a small pydantic model (pydantic_evals style): its fields are its YAML
parameters, `evaluate(ctx)` returns an `Outcome` carrying the reason. `run_assertion` turns a
crash into a failure, never a pass; `passed=None` means skipped (dropped from the score).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

if TYPE_CHECKING:
    from assistant.models import SearchResult


class Judge(Protocol):
    """Scores a reply against a Chinese rubric: (score in [0, 1], reason)."""

    def __call__(self, rubric: str, ctx: EvalContext) -> tuple[float, str]: ...


@dataclass(frozen=True)
class EvalContext:
    """Everything an assertion may look at for one drafted reply."""

    scenario_id: str
    message: str
    reply: str
    sources: tuple[SearchResult, ...] = ()
    guard: Any = None  # guardrails.GuardResult of the reply (the desk's spans)
    reference: str | None = None
    judge: Judge | None = None
    history: tuple[Any, ...] = field(default=())


@dataclass(frozen=True)
class Outcome:
    passed: bool | None  # None: skipped
    detail: str
    score: float | None = None


@dataclass(frozen=True)
class AssertionResult:
    """One assertion's verdict on one draft, as reports and baselines see it."""

    name: str
    type: str
    passed: bool | None
    detail: str
    weight: float = 1.0
    score: float | None = None

    @property
    def skipped(self) -> bool:
        return self.passed is None

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "type": self.type,
            "passed": self.passed,
            "skipped": self.skipped,
            "detail": self.detail,
            "weight": self.weight,
            "score": None if self.score is None else round(self.score, 4),
        }


def as_list(value: object) -> list[str]:
    """YAML convenience: a single string stands for a one-item list."""
    items = [value] if isinstance(value, str) else list(value or [])  # type: ignore[call-overload]
    cleaned = [str(item).strip() for item in items]
    if not cleaned or any(not item for item in cleaned):
        raise ValueError("value must be a non-empty string or list of non-empty strings")
    return cleaned


class BaseAssertion(BaseModel):
    """Fields every assertion accepts besides its own."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    weight: float = Field(default=1.0, ge=0, description="Share of the scenario score.")
    threshold: float | None = Field(
        default=None, ge=0, le=1, description="Pass mark for scored assertions (similar_to, rubric)."
    )
    name: str | None = Field(
        default=None, description="Label in reports; derived from type and value if absent."
    )

    def label(self) -> str:
        value = getattr(self, "value", None)
        if value is None:
            return self.name or str(getattr(self, "type", "assertion"))
        shown = "|".join(value) if isinstance(value, list) else str(value)
        shown = shown if len(shown) <= 24 else shown[:23] + "…"
        return self.name or f"{self.type}:{shown}"  # type: ignore[attr-defined]

    def evaluate(self, ctx: EvalContext) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError


class ListValue(BaseAssertion):
    """An assertion whose `value` is one string or a list of them."""

    value: list[str]

    @field_validator("value", mode="before")
    @classmethod
    def _listify(cls, value: object) -> list[str]:
        return as_list(value)


def run_assertion(assertion: BaseAssertion, ctx: EvalContext, name: str | None = None) -> AssertionResult:
    """Evaluate one assertion; an exception becomes a failure with its reason."""
    try:
        outcome = assertion.evaluate(ctx)
    except Exception as exc:  # a crashing assertion must never count as a pass
        outcome = Outcome(False, f"断言执行出错：{type(exc).__name__}: {exc}")
    return AssertionResult(
        name=name or assertion.label(),
        type=str(getattr(assertion, "type", "?")),
        passed=outcome.passed,
        detail=outcome.detail,
        weight=assertion.weight,
        score=outcome.score,
    )
