"""`rubric`: an LLM judge in Chinese. Only runs when a judge is configured; otherwise skipped."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from eval.assertions.base import BaseAssertion, EvalContext, Outcome


class Rubric(BaseAssertion):
    type: Literal["rubric"]
    value: str = Field(min_length=1, description="The criterion, in Chinese, the judge scores against.")

    def evaluate(self, ctx: EvalContext) -> Outcome:
        if ctx.judge is None:
            return Outcome(None, "未配置大模型，评分标准断言跳过（不计入得分）")
        threshold = 0.7 if self.threshold is None else self.threshold
        score, reason = ctx.judge(self.value, ctx)
        return Outcome(score >= threshold, f"评审得分 {score:.2f}（阈值 {threshold:.2f}）：{reason}", score)
