"""The review desk tab: draft, see the guard's findings, edit, approve or reject.

Layout in `build_desk`; each event handler is a small function closed over `DeskServices`.
Every decision is made again on the server (the review service refuses a blocked approval
even if a browser re-enables the button).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import gradio as gr

from assistant.errors import AssistantError
from assistant.models import Draft, DraftRequest, Turn
from assistant.ui import render
from assistant.ui.i18n import t
from assistant.ui.services import DeskServices

MAX_SUGGESTIONS = 5
CHANNELS = [("在线聊天", "chat"), ("电话", "phone")]


@dataclass(frozen=True)
class DeskSession:
    """Per-browser-session state: the draft under review and the last check of the reply."""

    draft_id: int | None = None
    draft: Draft | None = None
    checked_text: str = ""
    guard: Any = None  # GuardResult of checked_text


@dataclass
class DeskWidgets:
    message: gr.Textbox
    history: gr.Textbox
    channel: gr.Radio
    generate: gr.Button
    regenerate: gr.Button
    draft: gr.Textbox
    notice: gr.HTML
    meta: gr.HTML
    hints: gr.HTML
    sources: gr.HTML
    reply: gr.Textbox
    highlight: gr.HighlightedText
    findings: gr.Dataframe
    suggestions: list[gr.Button]
    approve_reason: gr.Textbox
    approve: gr.Button
    reject_reason: gr.Dropdown
    reject_note: gr.Textbox
    reject: gr.Button
    approved: gr.Textbox
    session: gr.State


def build_desk(services: DeskServices) -> DeskWidgets:
    """Lay out the desk inside the current Blocks/Tab context and wire its events."""
    with gr.Row(equal_height=False):
        with gr.Column(scale=2):
            left = _conversation_column()
        with gr.Column(scale=3):
            right = _review_column(services)
    w = DeskWidgets(**left, **right, session=gr.State(DeskSession()))
    _wire(w, services)
    return w


def _conversation_column() -> dict[str, Any]:
    return {
        "message": gr.Textbox(
            label=t("customer_message"),
            placeholder=t("customer_message_ph"),
            lines=4,
            elem_id="customer-message",
        ),
        "history": gr.Textbox(label=t("history"), placeholder=t("history_ph"), lines=3, elem_id="history"),
        "channel": gr.Radio(CHANNELS, value="chat", label=t("channel"), elem_id="channel"),
        "generate": gr.Button(t("generate"), variant="primary", elem_id="generate-btn"),
        "regenerate": gr.Button(t("regenerate"), elem_id="regenerate-btn"),
        "hints": gr.HTML(label=t("hints"), show_label=True, container=True, elem_id="hints"),
    }


def _review_column(services: DeskServices) -> dict[str, Any]:
    notice = gr.HTML(elem_id="notice")
    draft = gr.Textbox(label=t("draft"), lines=4, interactive=False, elem_id="draft")
    meta = gr.HTML(elem_id="draft-meta")
    with gr.Accordion(t("sources"), open=False, elem_id="sources-box"):
        sources = gr.HTML(elem_id="sources")
    reply = gr.Textbox(label=t("reply"), lines=5, interactive=True, elem_id="reply")
    highlight = gr.HighlightedText(
        label=t("findings"), color_map=render.color_map(), show_legend=True, elem_id="highlight"
    )
    with gr.Row():
        suggestions = [
            gr.Button(visible=False, size="sm", elem_id=f"suggestion-{i}") for i in range(MAX_SUGGESTIONS)
        ]
    findings = gr.Dataframe(
        headers=["级别", "类别", "原文", "说明", "建议"],
        label=t("findings_table"),
        interactive=False,
        wrap=True,
        elem_id="findings",
    )
    with gr.Row(equal_height=True):
        approve_reason = gr.Textbox(label=t("approve_reason"), scale=3, elem_id="approve-reason")
        approve = gr.Button(
            t("approve"), variant="primary", interactive=False, scale=1, elem_id="approve-btn"
        )
    with gr.Row(equal_height=True):
        reject_reason = gr.Dropdown(
            _reject_choices(services), label=t("reject_reason"), scale=2, elem_id="reject-reason"
        )
        reject_note = gr.Textbox(label=t("reject_note"), scale=3, elem_id="reject-note")
        reject = gr.Button(t("reject"), variant="stop", interactive=False, scale=1, elem_id="reject-btn")
    approved = gr.Textbox(
        label=t("approved_text"), interactive=False, buttons=["copy"], lines=3, elem_id="approved"
    )
    return {
        "notice": notice,
        "draft": draft,
        "meta": meta,
        "sources": sources,
        "reply": reply,
        "highlight": highlight,
        "suggestions": suggestions,
        "findings": findings,
        "approve_reason": approve_reason,
        "approve": approve,
        "reject_reason": reject_reason,
        "reject_note": reject_note,
        "reject": reject,
        "approved": approved,
    }


def _reject_choices(services: DeskServices) -> list[tuple[str, str]]:
    from assistant.review import REJECT_REASONS

    return [(label, code) for code, label in REJECT_REASONS.items()]


# -- handlers --------------------------------------------------------------------------------
def _wire(w: DeskWidgets, services: DeskServices) -> None:
    draft_outputs = [
        w.draft,
        w.notice,
        w.meta,
        w.hints,
        w.sources,
        w.reply,
        w.approved,
        w.approve,
        w.reject,
        w.session,
    ]
    check_outputs = [w.highlight, w.findings, w.approve, *w.suggestions, w.session]

    def generate(message, history, channel, session, request: gr.Request):
        yield from _generate(services, message, history, channel, session, request)

    def recheck(text, session, request: gr.Request):
        return _recheck(services, text, session, request)

    for button, api_name in ((w.generate, "generate"), (w.regenerate, False)):
        button.click(generate, [w.message, w.history, w.channel, w.session], draft_outputs, api_name=api_name)
    # Every change of the reply is re-checked; "always_last" collapses a burst of keystrokes
    # into one check after the running one (the guard takes milliseconds).
    w.reply.change(
        recheck,
        [w.reply, w.session],
        check_outputs,
        trigger_mode="always_last",
        show_progress="hidden",
        api_name="check",
    )
    for index, button in enumerate(w.suggestions):
        button.click(_apply_handler(services, index), [w.reply, w.session], [w.reply], api_name=False)

    def approve(text, reason, session, request: gr.Request):
        return _approve(services, text, reason, session, request)

    def reject(code, note, session, request: gr.Request):
        return _reject(services, code, note, session, request)

    decided = [w.approved, w.approve, w.reject]
    w.approve.click(approve, [w.reply, w.approve_reason, w.session], decided, api_name="approve")
    w.reject.click(reject, [w.reject_reason, w.reject_note, w.session], decided, api_name="reject")


def _draft_request(message: str, history: str, channel: str) -> DraftRequest:
    if not (message or "").strip():
        raise gr.Error("请先输入客户消息。")
    turns = tuple(Turn(role=role, text=text) for role, text in render.parse_history(history or ""))
    return DraftRequest(message=message.strip(), history=turns, channel=channel or "chat")


def _generate(services: DeskServices, message, history, channel, session, request):
    user = services.acting_user(request)
    draft_request = _draft_request(message, history, channel)
    text = ""
    try:
        for item in services.stream_draft(draft_request):
            if isinstance(item, Draft):
                draft = item
                break
            text += item
            yield (text, *[gr.skip()] * 9)
        else:
            raise gr.Error("草稿生成没有完成，请重试。")
        draft_id = services.review.record_draft(user, draft_request, draft)
    except AssistantError as exc:
        raise gr.Error(str(exc)) from exc
    reply = render.customer_text(draft.reply)  # [n] markers are for the agent, not the customer
    yield (
        draft.reply,
        render.banner_html(draft.notice),
        render.draft_meta_html(draft),
        render.hints_html(draft.hints),
        render.sources_html(draft.sources),
        reply,
        "",
        gr.Button(interactive=draft.guard.verdict != "block"),
        gr.Button(interactive=True),
        DeskSession(draft_id=draft_id, draft=draft),
    )


def _recheck(services: DeskServices, text: str, session: DeskSession, request) -> list[Any]:
    text = text or ""
    user = services.acting_user(request)
    try:
        result = services.check(session.draft_id, user, text)
    except AssistantError as exc:
        raise gr.Error(str(exc)) from exc
    session = replace(session, checked_text=text, guard=result)
    return _check_view(text, result, session)


def _check_view(text: str, result: Any, session: DeskSession) -> list[Any]:
    violations = list(result.violations)
    fixable = [v for v in violations if v.suggestion][:MAX_SUGGESTIONS]
    buttons = [
        gr.Button(render.suggestion_label(fixable[i]), visible=True)
        if i < len(fixable)
        else gr.Button(visible=False)
        for i in range(MAX_SUGGESTIONS)
    ]
    can_approve = session.draft_id is not None and result.verdict != "block" and bool(text.strip())
    found = [*violations, *result.suspects]  # the rules' findings, then the second opinion's hints
    return [
        render.highlight_value(text, found),
        render.findings_rows(found),
        gr.Button(interactive=can_approve),
        *buttons,
        session,
    ]


def _apply_handler(services: DeskServices, index: int):
    def apply(text, session, request: gr.Request):
        text = text or ""
        result = session.guard
        if result is None or session.checked_text != text:  # the reply moved on: fresh offsets
            result = services.check(session.draft_id, services.acting_user(request), text)
        fixable = [v for v in result.violations if v.suggestion]
        if index < len(fixable):
            text = render.apply_suggestion(text, fixable[index])
        return text  # the reply's change event re-checks it

    return apply


def _approve(services: DeskServices, text, reason, session: DeskSession, request) -> tuple:
    user = services.acting_user(request)
    if session.draft_id is None:
        raise gr.Error("还没有草稿，请先生成草稿。")
    try:
        services.review.approve(session.draft_id, user, text or "", reason=(reason or "").strip() or None)
    except AssistantError as exc:
        raise gr.Error(str(exc)) from exc
    gr.Info("已批准，已记录到审计日志。")
    return text, gr.Button(interactive=False), gr.Button(interactive=False)


def _reject(services: DeskServices, code, note, session: DeskSession, request) -> tuple:
    user = services.acting_user(request)
    if session.draft_id is None:
        raise gr.Error("还没有草稿，请先生成草稿。")
    if not code:
        raise gr.Error("请选择驳回原因。")
    try:
        services.review.reject(session.draft_id, user, code, (note or "").strip())
    except AssistantError as exc:
        raise gr.Error(str(exc)) from exc
    gr.Info("已驳回，已记录到审计日志。")
    return "", gr.Button(interactive=False), gr.Button(interactive=False)
