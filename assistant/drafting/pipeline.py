"""`DraftService`: message → retrieve → situations → drafter (LLM or offline) → guard (→ repair) → Draft.

    service = DraftService(settings)                      # or retriever=..., chat_model=...
    draft = service.draft(DraftRequest("我都等了二十分钟了"))  # drafter="auto" | "offline" | "llm"
    for item in service.stream(request): ...              # str deltas, then the final Draft

`auto` uses the LLM when one is configured (or injected) and falls back to the offline drafter, with
a Chinese `notice`, when the LLM fails after its retries. `llm` raises ServiceUnavailableError instead.
`Draft.attempts` counts the drafts requested from the LLM (1 + repairs; transport retries are not
counted), and is 1 for an offline draft (the fallback included). The final `Draft.reply` is authoritative: a streamed text may
be replaced by a repaired one or by the offline fallback.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from assistant.drafting.citations import resolve_citations
from assistant.drafting.hints import Recognised, recognise
from assistant.drafting.llm_drafter import LLMDrafter, RenderedPrompt, render, render_repair
from assistant.drafting.offline import OfflineDrafter
from assistant.drafting.phrasebook import load_phrasebook
from assistant.drafting.repair import Attempt, guarded_with_repair
from assistant.errors import InputError, ServiceUnavailableError
from assistant.models import Draft, DraftRequest, SearchResult
from prompts.store import open_store

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.settings import Settings
    from guardrails import Engine, GuardResult
    from prompts import PromptTemplate

DrafterName = Literal["auto", "offline", "llm"]
DRAFTERS = ("auto", "offline", "llm")
CHANNELS = ("chat", "phone")
MAX_MESSAGE_CHARS = 4000


@dataclass
class _Context:
    """What every drafter needs for one request: sources, situations and the timings so far."""

    request: DraftRequest
    sources: tuple[SearchResult, ...]
    recognised: Recognised
    timings: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def timed(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + (time.perf_counter() - start) * 1000


class DraftService:
    """The drafting chain. Cheap to call repeatedly: the retriever, guard and model are built once."""

    def __init__(
        self, settings: Settings, *, retriever=None, chat_model: BaseChatModel | None = None
    ) -> None:
        self.settings = settings
        self._retriever = retriever
        self._chat_model = chat_model
        self._llm: LLMDrafter | None = None
        guard = guard_engine(settings)
        # What an agent sees: the verdict with the second opinion's suspects (hints beside it).
        self.check: Callable[[str], GuardResult] = partial(guard.check, suspects=True)
        self.offline = OfflineDrafter(load_phrasebook(), guard.check)  # verdicts only
        self.prompts = open_store(settings.prompts_dir)

    # -- parts -------------------------------------------------------------------------------
    @property
    def retriever(self):
        if self._retriever is None:
            from assistant.index import Retriever

            self._retriever = Retriever.from_settings(self.settings)
        return self._retriever

    @property
    def llm_available(self) -> bool:
        return self._chat_model is not None or self.settings.llm_configured

    @property
    def llm(self) -> LLMDrafter:
        if self._llm is None:
            if self._chat_model is None:
                if not self.settings.llm_configured:
                    raise ServiceUnavailableError("未配置大模型：请设置 OPENAI_BASE_URL 或 OPENAI_API_KEY。")
                from assistant.llm import make_chat_model

                self._chat_model = make_chat_model(self.settings)
            self._llm = LLMDrafter(self.settings, self._chat_model)
        return self._llm

    def template(self, prompt: str | None = None) -> PromptTemplate:
        """The template for a reference; labels are resolved on every call (a lead may move one),
        released versions are immutable, so each is read, validated and compiled once."""
        store = self.prompts
        name, version = store.resolve(prompt or self.settings.prompt)
        path = store.path_for(name, version)
        try:
            stamp = path.stat().st_mtime_ns  # a file edited in place (never for a release) is re-read
        except OSError:
            stamp = 0  # load_template_file names the missing file
        return _released_template(str(path), name, version, stamp)

    def render(self, request: DraftRequest, prompt: str | None = None) -> RenderedPrompt:
        """The messages the LLM would get for this request (for the prompt lab and cassettes)."""
        ctx = self._prepare(request)
        return render(self.template(prompt), request, ctx.sources, ctx.recognised.names)

    # -- drafting ----------------------------------------------------------------------------
    def draft(self, request: DraftRequest, drafter: DrafterName = "auto", prompt: str | None = None) -> Draft:
        ctx = self._prepare(request, drafter)
        if not self._wants_llm(drafter):
            return self._offline_draft(ctx)
        template = self.template(prompt)
        rendered = render(template, request, ctx.sources, ctx.recognised.names)
        try:
            return self._llm_draft(ctx, template, rendered, lambda: self.llm.complete(rendered))
        except ServiceUnavailableError as exc:
            return self._fallback(ctx, drafter, exc, rendered.prompt)

    def stream(
        self, request: DraftRequest, drafter: DrafterName = "auto", prompt: str | None = None
    ) -> Iterator[str | Draft]:
        """Text deltas of the first LLM answer as they arrive, then the final Draft."""
        ctx = self._prepare(request, drafter)
        if not self._wants_llm(drafter):
            result = self._offline_draft(ctx)
            yield result.reply
            yield result
            return
        template = self.template(prompt)
        rendered = render(template, request, ctx.sources, ctx.recognised.names)
        pieces: list[str] = []
        try:
            with ctx.timed("generate"):
                for delta in self.llm.stream(rendered):
                    pieces.append(delta)
                    yield delta
            yield self._llm_draft(ctx, template, rendered, lambda: "".join(pieces).strip(), timed_first=False)
        except ServiceUnavailableError as exc:
            yield self._fallback(ctx, drafter, exc, rendered.prompt)

    # -- steps -------------------------------------------------------------------------------
    def _prepare(self, request: DraftRequest, drafter: str = "auto") -> _Context:
        _validate(request, drafter)
        ctx = _Context(request, (), Recognised((), ()))
        with ctx.timed("retrieve"):
            ctx.sources = tuple(self.retriever.search(_query(request), k=self.settings.top_k))
        with ctx.timed("situations"):
            ctx.recognised = recognise(request)
        return ctx

    def _wants_llm(self, drafter: str) -> bool:
        return drafter == "llm" or (drafter == "auto" and self.llm_available)

    def _offline_draft(self, ctx: _Context, notice: str | None = None, attempts: int = 1) -> Draft:
        request = ctx.request
        with ctx.timed("generate"):
            raw = self.offline.draft(request, ctx.sources, ctx.recognised)
        cited = resolve_citations(raw, ctx.sources)
        with ctx.timed("guard"):
            guard = self.check(cited.reply)
        if guard.verdict != "pass":  # should not happen: every piece was checked; stay safe anyway
            cited = resolve_citations(self.offline.fallback(request), ctx.sources)
            with ctx.timed("guard"):
                guard = self.check(cited.reply)
        return Draft(
            reply=cited.reply,
            drafter="offline",
            prompt=None,
            sources=cited.sources,
            guard=guard,
            attempts=attempts,
            notice=notice,
            hints=ctx.recognised.hints,
            timings_ms=dict(ctx.timings),
        )

    def _llm_draft(
        self,
        ctx: _Context,
        template: PromptTemplate,
        rendered: RenderedPrompt,
        first_answer: Callable[[], str],
        timed_first: bool = True,
    ) -> Draft:
        def attempt(raw: str) -> Attempt:
            reply = resolve_citations(raw, ctx.sources).reply
            with ctx.timed("guard"):
                return Attempt(raw=raw, reply=reply, guard=self.check(reply))

        def first() -> Attempt:
            if not timed_first:
                return attempt(first_answer())
            with ctx.timed("generate"):
                raw = first_answer()
            return attempt(raw)

        def repair(last: Attempt) -> Attempt:
            with ctx.timed("generate"):
                raw = self.llm.complete(render_repair(template, rendered, last.raw, last.guard))
            return attempt(raw)

        max_repairs = self.settings.repair_attempts if template.repair else 0
        outcome = guarded_with_repair(first, repair, max_repairs)
        cited = resolve_citations(outcome.final.raw, ctx.sources)
        return Draft(
            reply=cited.reply,
            drafter="llm",
            prompt=rendered.prompt,
            sources=cited.sources,
            guard=outcome.final.guard,
            attempts=outcome.attempts,
            notice=_notice(cited.dropped, outcome.final.guard.blocked, outcome.attempts),
            hints=ctx.recognised.hints,
            timings_ms=dict(ctx.timings),
        )

    def _fallback(self, ctx: _Context, drafter: str, exc: ServiceUnavailableError, prompt: str) -> Draft:
        if drafter == "llm":
            raise exc
        notice = f"大模型暂时不可用（{exc}），本条草稿由离线起草器根据服务手册生成，请核对后再发送。"
        return self._offline_draft(ctx, notice=notice, attempts=1)


@lru_cache(maxsize=32)
def _released_template(path: str, name: str, version: int, stamp: int) -> PromptTemplate:
    """A released template file, read and compiled once per process (released files never change;
    the eval builds one DraftService per LLM draft, so a per-service cache would not help it)."""
    from prompts import load_template_file

    return load_template_file(Path(path), expect=(name, version))


def guard_engine(settings: Settings) -> Engine:
    """The guard: the default pack, the packs of ASSISTANT_GUARD_PACKS, then settings' packs."""
    import guardrails

    return guardrails.load_engine([*guardrails.env_packs(), *settings.guard_packs])


def _validate(request: DraftRequest, drafter: str) -> None:
    if drafter not in DRAFTERS:
        raise InputError(f"未知的起草方式：{drafter}（可选：{'、'.join(DRAFTERS)}）")
    if not isinstance(request.message, str) or not request.message.strip():
        raise InputError("客户消息为空，无法起草回复。")
    if not _encodable(request.message) or not all(_encodable(t.text) for t in request.history):
        raise InputError("消息含有无法识别的字符（不是有效的 UTF-8 文本）。")
    if len(request.message) > MAX_MESSAGE_CHARS:
        raise InputError(f"客户消息过长（{len(request.message)} 字），上限为 {MAX_MESSAGE_CHARS} 字。")
    if request.channel not in CHANNELS:
        raise InputError(f"未知的渠道：{request.channel}（可选：chat、phone）")


def _encodable(text: str) -> bool:
    """False for lone surrogates: bytes that were not UTF-8 (e.g. a command-line argument)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _query(request: DraftRequest) -> str:
    """The retrieval query: the message, with the previous customer turn when the message is short."""
    earlier = [t.text for t in request.history if t.role == "customer"]
    if earlier and len(request.message.strip()) < 6:
        return f"{earlier[-1]} {request.message}"
    return request.message


def _notice(dropped: tuple[int, ...], blocked: bool, attempts: int) -> str | None:
    parts = []
    if dropped:
        numbers = "、".join(f"[{n}]" for n in dropped)
        parts.append(f"草稿引用了不存在的章节 {numbers}，已删除这些引用。")
    if blocked:
        parts.append(f"草稿经 {attempts} 次生成仍未通过合规检查，不能直接发送，请按提示修改。")
    return " ".join(parts) or None
