"""Turn core results into widget values. Pure functions; everything shown is escaped text.

Nothing here trusts its input: customer and agent text, and the manual's text, are escaped
before they reach any HTML widget.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

from guardrails import Suspect

CATEGORY_LABELS: dict[str, str] = {
    "banned_phrase": "禁用语",
    "vague": "模糊语",
    "over_promise": "过度承诺",
    "attack": "攻击客户",
    "forbidden_topic": "禁谈话题",
    "competitor": "贬低同行",
    "internal_contact": "内部联系方式",
    "customer_data": "客户信息",
}
CATEGORY_COLORS: dict[str, str] = {
    "banned_phrase": "#ef4444",
    "vague": "#f59e0b",
    "over_promise": "#f97316",
    "attack": "#dc2626",
    "forbidden_topic": "#7c3aed",
    "competitor": "#0ea5e9",
    "internal_contact": "#db2777",
    "customer_data": "#be123c",
}
SEVERITY_LABELS: dict[str, str] = {"block": "拦截", "warn": "提醒"}
OTHER_COLOR = "#64748b"
# The learned second opinion's suspects: hints beside the rules' findings, one label and colour.
SUSPECT_LABEL = "疑似（模型提示）"
SUSPECT_SEVERITY = "模型提示"
SUSPECT_COLOR = "#eab308"


def category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category)


def color_map() -> dict[str, str]:
    """HighlightedText colours, keyed by the label shown (the Chinese category name)."""
    return {
        **{CATEGORY_LABELS[key]: colour for key, colour in CATEGORY_COLORS.items()},
        SUSPECT_LABEL: SUSPECT_COLOR,
    }


def _is_suspect(item: Any) -> bool:
    return isinstance(item, Suspect)


def _label(item: Any) -> str:
    return SUSPECT_LABEL if _is_suspect(item) else category_label(item.category)


def highlight_value(text: str, violations: Iterable[Any]) -> list[tuple[str, str | None]]:
    """`gr.HighlightedText` value: the whole text cut at the violations' (and suspects')
    character offsets.

    Overlapping spans are merged into the earlier one (its category wins) so that every
    character of `text` appears exactly once, in order.
    """
    pieces: list[tuple[str, str | None]] = []
    cursor = 0
    for v in sorted(violations, key=lambda v: (v.start, -v.end)):
        start, end = max(v.start, cursor), min(v.end, len(text))
        if end <= start:
            continue
        if start > cursor:
            pieces.append((text[cursor:start], None))
        pieces.append((text[start:end], _label(v)))
        cursor = end
    if cursor < len(text) or not pieces:
        pieces.append((text[cursor:], None))
    return pieces


def findings_rows(violations: Sequence[Any]) -> list[list[str]]:
    """One table row per violation (or suspect): severity, category, the flagged text, message,
    suggestion."""
    return [
        [
            SUSPECT_SEVERITY if _is_suspect(v) else SEVERITY_LABELS.get(v.severity, v.severity),
            category_label(v.category),
            v.text,
            v.message,
            "" if _is_suspect(v) else v.suggestion or "",
        ]
        for v in violations
    ]


def suggestion_label(violation: Any) -> str:
    return f"把「{violation.text}」改为「{violation.suggestion}」"


def apply_suggestion(text: str, violation: Any) -> str:
    """Replace the violation's span with its suggestion; unchanged if the span moved."""
    if not violation.suggestion or text[violation.start : violation.end] != violation.text:
        return text
    return text[: violation.start] + violation.suggestion + text[violation.end :]


def sources_html(sources: Sequence[Any]) -> str:
    """Cited sections, best first, each expandable to its text."""
    if not sources:
        return '<p class="muted">（无引用）</p>'
    items = [
        f"<details class='source'><summary>{i}. {html.escape(s.section or s.title)}</summary><div class='source-text'>{html.escape(s.text)}</div></details>"
        for i, s in enumerate(sources, start=1)
    ]
    return "\n".join(items)


def hints_html(hints: Sequence[Any]) -> str:
    if not hints:
        return '<p class="muted">（无）</p>'
    rows = [
        f"<li><b>{html.escape(h.situation)}</b>：{html.escape(h.advice)} <span class='muted'>（{html.escape(h.section)}）</span></li>"
        for h in hints
    ]
    return "<ul class='hints'>" + "".join(rows) + "</ul>"


def customer_text(reply: str) -> str:
    """The draft as the customer would read it: the `[n]` source markers removed."""
    from assistant.drafting.citations import strip_citations

    return strip_citations(reply)


def draft_meta_html(draft: Any) -> str:
    """Who wrote the draft: the LLM with which prompt version, or the offline drafter (no template)."""
    if draft.drafter == "llm":
        who = f"大模型 · 提示词 <code class='draft-prompt'>{html.escape(draft.prompt or '')}</code>"
    else:
        who = "离线起草器（按服务手册的标准用语拼写，不使用提示词模板）"
    return (
        f"<div class='draft-meta muted'>起草：{who} · 引用标注 [n] 只在草稿中，"
        "下方可编辑的回复是发给客户的文本</div>"
    )


def banner_html(message: str | None, kind: str = "notice") -> str:
    """A one-line banner (offline drafter stood in, local single-user mode); empty when none."""
    if not message:
        return ""
    return f"<div class='banner banner-{html.escape(kind)}'>{html.escape(message)}</div>"


def parse_history(text: str) -> list[tuple[str, str]]:
    """'客户：…' / '客服：…' lines (also customer:/agent:) into (role, text); other lines continue the last."""
    prefixes = {"客户": "customer", "customer": "customer", "客服": "agent", "agent": "agent"}
    turns: list[tuple[str, str]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        head, sep, rest = line.replace("：", ":", 1).partition(":")
        role = prefixes.get(head.strip().lower()) if sep else None
        if role:
            turns.append((role, rest.strip()))
        elif turns:
            turns[-1] = (turns[-1][0], turns[-1][1] + "\n" + line)
        else:
            turns.append(("customer", line))
    return turns
