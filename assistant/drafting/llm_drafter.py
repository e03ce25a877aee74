"""The LLM drafter: render the prompt template, call the chat model (LCEL), retry what is transient.

The answer is plain text with inline `[n]` citations: no tool calling, no JSON mode. Each call
carries `metadata={"prompt": "draft_reply@1", "model": ...}` and `run_name` = the prompt id in its
LangChain config, so a wrapping model (the eval's record/replay cassettes) can key a recording on
(model, prompt version, rendered messages).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.drafting.citations import numbered
from assistant.drafting.repair import violations_for_prompt
from assistant.llm import call_with_retries, is_llm_failure, retrying, unavailable
from assistant.models import DraftRequest, SearchResult

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.settings import Settings
    from guardrails import GuardResult
    from prompts import Message, PromptTemplate

_FENCE_CHARS = str.maketrans({"<": "＜", ">": "＞"})


@dataclass(frozen=True)
class RenderedPrompt:
    """What goes to the model: the prompt id and the messages, in order."""

    prompt: str  # "draft_reply@1"
    messages: tuple[Message, ...]
    variables: dict = field(default_factory=dict, compare=False, repr=False)


def fence(text: str) -> str:
    """Customer text cannot close the `<customer_message>` fence it is placed in."""
    return text.translate(_FENCE_CHARS)


def prompt_variables(request: DraftRequest, sources: tuple[SearchResult, ...], situations: list[str]) -> dict:
    return {
        "message": fence(request.message.strip()),
        "history": [{"role": t.role, "text": fence(t.text.strip())} for t in request.history],
        "channel": request.channel,
        "sections": numbered(sources),
        "situations": situations,
        "violations": [],
        "draft": "",
    }


def render(
    template: PromptTemplate, request: DraftRequest, sources: tuple[SearchResult, ...], situations: list[str]
) -> RenderedPrompt:
    variables = prompt_variables(request, sources, situations)
    return RenderedPrompt(template.ref, template.render(**variables), variables)


def render_repair(
    template: PromptTemplate, rendered: RenderedPrompt, draft: str, guard: GuardResult
) -> RenderedPrompt:
    """The conversation so far plus the model's blocked draft and a request to fix the violations."""
    from prompts import Message

    variables = {**rendered.variables, "violations": violations_for_prompt(guard), "draft": draft}
    text = template.render_field("repair", **variables)
    base = rendered.messages[:2]
    messages = (*base, Message("assistant", draft), Message("user", text))
    return RenderedPrompt(rendered.prompt, messages, rendered.variables)


def to_langchain(messages: tuple[Message, ...]) -> list:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
    return [kinds[m.role](content=m.content) for m in messages]


class LLMDrafter:
    """Calls the chat model for a rendered prompt, plain or streamed, under the retry policy."""

    def __init__(self, settings: Settings, chat_model: BaseChatModel):
        from langchain_core.output_parsers import StrOutputParser

        self.settings = settings
        self.chat_model = chat_model
        self.chain = chat_model | StrOutputParser()  # LCEL: model then plain text
        self.calls = 0  # HTTP-level attempts, retries included (for tests and benchmarks)

    @property
    def model_name(self) -> str:
        return str(getattr(self.chat_model, "model_name", None) or type(self.chat_model).__name__)

    def config(self, rendered: RenderedPrompt) -> dict:
        return {
            "run_name": rendered.prompt,
            "metadata": {"prompt": rendered.prompt, "model": self.model_name},
        }

    def complete(self, rendered: RenderedPrompt) -> str:
        """The model's answer; raises ServiceUnavailableError once retries are spent."""
        messages = to_langchain(rendered.messages)

        def once() -> str:
            self.calls += 1
            return self.chain.invoke(messages, config=self.config(rendered))

        return call_with_retries(once, self.settings).strip()

    def stream(self, rendered: RenderedPrompt) -> Iterator[str]:
        """Text deltas. Failures before the first delta are retried; later ones raise."""
        messages = to_langchain(rendered.messages)
        try:
            for attempt in retrying(self.settings):
                with attempt:
                    self.calls += 1
                    chunks = self.chain.stream(messages, config=self.config(rendered))
                    first = next(chunks, "")  # errors here are retried
            yield first
            yield from chunks
        except Exception as exc:
            if is_llm_failure(exc):
                raise unavailable(exc) from exc
            raise
