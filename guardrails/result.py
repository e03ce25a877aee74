"""What a check returns: frozen dataclasses with the JSON shape of DESIGN.md."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

_new = object.__new__
Severity = Literal["warn", "block"]
Verdict = Literal["pass", "warn", "block"]

CATEGORIES = (
    "banned_phrase",  # 负面语, 蔑视语, 烦躁语, 斗气语 (8.4.2)
    "vague",  # 模糊语 (8.4.2), warn
    "over_promise",  # guarantees of outcomes (8.4.3 凡事留有余地)
    "attack",  # attacking, mocking or blaming the customer (8.4.4)
    "forbidden_topic",  # politics, pornography, gambling, drugs (8.4.4)
    "competitor",  # disparaging other companies (002)
    "internal_contact",  # staff / leaders' phones, extensions, e-mails, IM handles (8.4.2(6))
    "customer_data",  # ID cards, bank cards, other customers' phones and addresses (8.4.2(6))
)


@dataclass(frozen=True)
class Violation:
    rule: str
    category: str
    severity: Severity
    start: int
    end: int
    text: str
    message: str
    suggestion: str | None = None

    @classmethod
    def make(
        cls,
        rule: str,
        category: str,
        severity: Severity,
        start: int,
        end: int,
        text: str,
        message: str,
        suggestion: str | None,
    ) -> Violation:
        """The same as `Violation(...)`, faster: fills the instance dict directly (a frozen
        dataclass's `__init__` sets each field through `object.__setattr__`)."""
        v = _new(cls)
        v.__dict__.update(
            rule=rule,
            category=category,
            severity=severity,
            start=start,
            end=end,
            text=text,
            message=message,
            suggestion=suggestion,
        )
        return v

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "message": self.message,
            "suggestion": self.suggestion,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Violation:
        return cls(
            rule=str(data["rule"]),
            category=str(data["category"]),
            severity=data["severity"],
            start=int(data["start"]),
            end=int(data["end"]),
            text=str(data["text"]),
            message=str(data["message"]),
            suggestion=data.get("suggestion"),
        )


@dataclass(frozen=True)
class Suspect:
    """A clause the learned second opinion (`guardrails.model`) finds likely to break a rule that
    no rule caught: shown to the agent as a hint, never part of the verdict."""

    category: str
    start: int
    end: int
    text: str
    score: float
    message: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Suspect:
        return cls(
            category=str(data["category"]),
            start=int(data["start"]),
            end=int(data["end"]),
            text=str(data["text"]),
            score=float(data["score"]),
            message=str(data["message"]),
        )


def verdict_of(violations: tuple[Violation, ...]) -> Verdict:
    if any(v.severity == "block" for v in violations):
        return "block"
    return "warn" if violations else "pass"


@dataclass(frozen=True)
class GuardResult:
    """`violations` decide the verdict; `suspects` (only when asked for) are hints beside it."""

    verdict: Verdict
    violations: tuple[Violation, ...] = ()
    suspects: tuple[Suspect, ...] = ()

    @classmethod
    def of(cls, violations: tuple[Violation, ...]) -> GuardResult:
        result = _new(cls)
        result.__dict__.update(verdict=verdict_of(violations), violations=violations, suspects=())
        return result

    def with_suspects(self, suspects: tuple[Suspect, ...]) -> GuardResult:
        return GuardResult(self.verdict, self.violations, suspects) if suspects else self

    @property
    def blocked(self) -> bool:
        return self.verdict == "block"

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of DESIGN.md; `suspects` only when there are some (an extension)."""
        out: dict[str, Any] = {"verdict": self.verdict, "violations": [v.to_dict() for v in self.violations]}
        if self.suspects:
            out["suspects"] = [s.to_dict() for s in self.suspects]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GuardResult:
        violations = tuple(Violation.from_dict(v) for v in data.get("violations", ()))
        suspects = tuple(Suspect.from_dict(s) for s in data.get("suspects", ()))
        return cls(data.get("verdict") or verdict_of(violations), violations, suspects)
