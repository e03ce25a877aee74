"""Assertions on the reply's wording, matched on folded text (Simplified, half-width, lower case)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator

from eval.assertions.base import BaseAssertion, EvalContext, ListValue, Outcome
from eval.similarity import chrf
from eval.textnorm import fold

_SENTENCE_END = re.compile(r"(?<=[。！？!?；;\n])")
_REQUEST_CUES = (
    "提供",
    "告知",
    "告诉",
    "发送",
    "发给",
    "发一下",
    "麻烦",
    "请您",
    "请问",
    "报一下",
    "核对",
    "确认",
)
GUARANTEES = (
    "保证",
    "担保",
    "绝对",
    "百分之百",
    "100%",
    "包您",
    "肯定能",
    "肯定会",
    "一定能",
    "一定可以",
    "承诺",
)
HEDGES = ("尽量", "争取", "努力", "预计", "大约", "大概", "约", "左右", "一般")
_TIME_PROMISE = re.compile(
    r"(\d+|[一二两三四五六七八九十半]+)\s*个?(分钟|小时|天|日|工作日|周)\s*(内|之内|以内|后|之后)"
    r"|今天|明天|后天|今晚|\d+\s*[点:：]\d*"
)  # a deadline or a date; "马上为您核实" is an action, "7天无理由退换" a policy


def _found(haystack: str, needles: list[str]) -> list[str]:
    return [n for n in needles if fold(n) in haystack]


class ContainsAny(ListValue):
    type: Literal["contains_any"]

    def evaluate(self, ctx: EvalContext) -> Outcome:
        hits = _found(fold(ctx.reply), self.value)
        if hits:
            return Outcome(True, f"包含：{'、'.join(hits)}")
        return Outcome(False, f"回复未包含以下任何一项：{'、'.join(self.value)}")


class ContainsAll(ListValue):
    type: Literal["contains_all"]

    def evaluate(self, ctx: EvalContext) -> Outcome:
        hits = set(_found(fold(ctx.reply), self.value))
        missing = [v for v in self.value if v not in hits]
        if missing:
            return Outcome(False, f"回复缺少：{'、'.join(missing)}")
        return Outcome(True, f"全部包含：{'、'.join(self.value)}")


class NotContains(ListValue):
    type: Literal["not_contains"]

    def evaluate(self, ctx: EvalContext) -> Outcome:
        hits = _found(fold(ctx.reply), self.value)
        if hits:
            return Outcome(False, f"回复不应包含：{'、'.join(hits)}")
        return Outcome(True, "未出现禁止内容")


class Regex(BaseAssertion):
    type: Literal["regex"]
    value: str = Field(description="Python regular expression, searched in the folded reply.")
    negate: bool = Field(default=False, description="Pass when the pattern does NOT match.")

    @field_validator("value")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"invalid regular expression: {exc}") from exc
        return value

    def evaluate(self, ctx: EvalContext) -> Outcome:
        match = re.search(self.value, fold(ctx.reply))
        if self.negate:
            return Outcome(
                match is None,
                f"不应匹配 /{self.value}/" + (f"，却匹配到 {match.group(0)!r}" if match else ""),
            )
        if match:
            return Outcome(True, f"匹配到 {match.group(0)!r}")
        return Outcome(False, f"回复未匹配 /{self.value}/")


class MaxChars(BaseAssertion):
    type: Literal["max_chars"]
    value: int = Field(gt=0)

    def evaluate(self, ctx: EvalContext) -> Outcome:
        length = len(ctx.reply.strip())
        return Outcome(length <= self.value, f"回复 {length} 字（上限 {self.value}）")


class AsksFor(ListValue):
    """The reply asks the customer for an item (e.g. 订单号): a request or a question mentions it."""

    type: Literal["asks_for"]

    def evaluate(self, ctx: EvalContext) -> Outcome:
        sentences = [s for s in _SENTENCE_END.split(fold(ctx.reply)) if s.strip()]
        asked = []
        for item in self.value:
            needle = fold(item)
            if any(needle in s and (_is_request(s)) for s in sentences):
                asked.append(item)
        if asked:
            return Outcome(True, f"向客户索取：{'、'.join(asked)}")
        return Outcome(False, f"回复没有向客户索取：{'、'.join(self.value)}")


def _is_request(sentence: str) -> bool:
    return sentence.rstrip().endswith(("?", "？")) or any(cue in sentence for cue in _REQUEST_CUES)


class Hedged(BaseAssertion):
    """No guarantee; when a time is promised, a hedge (尽量/争取/努力/预计…) goes with it."""

    type: Literal["hedged"]
    guarantees: list[str] = Field(default_factory=lambda: list(GUARANTEES))
    hedges: list[str] = Field(default_factory=lambda: list(HEDGES))

    def evaluate(self, ctx: EvalContext) -> Outcome:
        text = fold(ctx.reply)
        promised = _found(text, self.guarantees)
        if promised:
            return Outcome(False, f"出现保证性措辞：{'、'.join(promised)}")
        timed = _TIME_PROMISE.search(text)
        if timed and not _found(text, self.hedges):
            return Outcome(False, f"承诺了时间「{timed.group(0)}」却没有留余地（尽量/争取/预计…）")
        return Outcome(
            True, "留有余地" + (f"（时间「{timed.group(0)}」有限定）" if timed else "，未承诺时间")
        )


class SimilarTo(BaseAssertion):
    """Character n-gram F-score against `value` (or the scenario's reference reply)."""

    type: Literal["similar_to"]
    value: str | None = Field(default=None, description="Reference reply; defaults to the scenario's.")
    n: int = Field(default=3, ge=1, le=6, description="Longest character n-gram.")

    def evaluate(self, ctx: EvalContext) -> Outcome:
        reference = self.value or ctx.reference
        if not reference:
            return Outcome(False, "similar_to 没有参考回复（value 或场景的 reference）")
        threshold = 0.3 if self.threshold is None else self.threshold
        score = chrf(ctx.reply, reference, max_n=self.n)
        return Outcome(
            score >= threshold, f"字符 {self.n}-gram F 值 {score:.2f}（阈值 {threshold:.2f}）", score
        )
