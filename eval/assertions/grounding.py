"""Assertions on what backs the reply: the retrieved sources and the guard's verdict."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from eval.assertions.base import AssertionResult, BaseAssertion, EvalContext, ListValue, Outcome
from eval.textnorm import fold


class Retrieves(ListValue):
    """A section-path fragment or a phrase of the text appears among the top-k sources."""

    type: Literal["retrieves"]
    k: int = Field(default=3, ge=1, le=50)

    def evaluate(self, ctx: EvalContext) -> Outcome:
        top = ctx.sources[: self.k]
        for rank, source in enumerate(top, start=1):
            section, text = fold(source.section), fold(source.text)
            for wanted in self.value:
                if fold(wanted) in section or fold(wanted) in text:
                    return Outcome(True, f"第 {rank} 条来源命中「{wanted}」：{source.section}")
        shown = "；".join(s.section for s in top) or "（无来源）"
        return Outcome(False, f"前 {self.k} 条来源未命中 {'、'.join(self.value)}：{shown}")


class GuardClean(BaseAssertion):
    """The guard does not block the reply (strict: no warning either)."""

    type: Literal["guard_clean"]
    strict: bool = Field(default=False, description="Also fail on warnings.")

    def evaluate(self, ctx: EvalContext) -> Outcome:
        if ctx.guard is None:
            return Outcome(False, "没有合规检查结果")
        verdict = str(ctx.guard.verdict)
        failing = {"block", "warn"} if self.strict else {"block"}
        spans = describe_violations(ctx.reply, ctx.guard)
        return Outcome(verdict not in failing, f"合规结论 {verdict}" + (f"：{spans}" if spans else ""))


def describe_violations(reply: str, guard: object) -> str:
    """`rule[start:end]「text」` for each violation, the same spans the desk highlights."""
    parts = []
    for v in getattr(guard, "violations", ()) or ():
        parts.append(f"{v.rule}[{v.start}:{v.end}]「{reply[v.start : v.end]}」({v.severity})")
    return "；".join(parts)


def rule_pack_results(reply: str, guard: object) -> list[AssertionResult]:
    """The rule pack as assertions on every draft: one failure per blocking rule, else one pass."""
    if guard is None:
        return [AssertionResult("guard", "guard", False, "没有合规检查结果")]
    results = []
    for v in getattr(guard, "violations", ()) or ():
        if str(v.severity) != "block":
            continue
        detail = f"{v.message}：[{v.start}:{v.end}]「{reply[v.start : v.end]}」"
        results.append(AssertionResult(f"guard:{v.rule}", "guard", False, detail))
    if not results:
        warns = describe_violations(reply, guard)
        results.append(
            AssertionResult(
                "guard", "guard", True, f"规则包未拦截{('（提醒：' + warns + '）') if warns else ''}"
            )
        )
    return results
