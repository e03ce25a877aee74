"""The `rubric` judge: the `rubric_judge` prompt on a chat model, answering PASS or FAIL first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eval.assertions import EvalContext

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

JUDGE_PROMPT = "rubric_judge@production"


class RubricJudge:
    """Callable judge: (rubric, ctx) -> (1.0 or 0.0, reason). Unparseable output raises (a failure)."""

    def __init__(self, chat_model: BaseChatModel, prompt: str = JUDGE_PROMPT):
        from prompts import load_prompt

        self.template = load_prompt(prompt)
        self.chat_model = chat_model

    @property
    def ref(self) -> str:
        return self.template.ref

    def __call__(self, rubric: str, ctx: EvalContext) -> tuple[float, str]:
        from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

        kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
        rendered = self.template.render(rubric=rubric, reply=ctx.reply, message=ctx.message)
        answer = self.chat_model.invoke([kinds[m.role](content=m.content) for m in rendered])
        return parse_verdict(str(answer.content))


def parse_verdict(text: str) -> tuple[float, str]:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    head = lines[0].upper() if lines else ""
    reason = " ".join(lines[1:]) or "（评审未给理由）"
    if head.startswith("PASS"):
        return 1.0, reason
    if head.startswith("FAIL"):
        return 0.0, reason
    raise ValueError(f"评审输出无法解析（应以 PASS 或 FAIL 开头）：{text[:60]!r}")
