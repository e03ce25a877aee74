"""UI strings: Simplified Chinese by default, English for an English browser (or picked in settings).

Components get `t("key")`, a `gr.I18n` key translated in the browser. Messages produced by
handlers (warnings, errors, banners) are plain Simplified Chinese strings.
"""

from __future__ import annotations

import gradio as gr

ZH: dict[str, str] = {
    "title": "客服回复助手 · 审核台",
    "tab_desk": "审核台",
    "tab_lab": "提示词实验室",
    "conversation": "对话",
    "customer_message": "客户消息",
    "customer_message_ph": "粘贴客户的最新消息（Ctrl+Enter 生成草稿）",
    "history": "历史对话（可选）",
    "history_ph": "每行一句，以“客户：”或“客服：”开头",
    "channel": "渠道",
    "generate": "生成草稿",
    "regenerate": "重新生成",
    "draft": "草稿",
    "hints": "给客服的提示",
    "sources": "引用的手册章节",
    "reply": "回复（可编辑，发给客户的文本，不含引用标注）",
    "findings": "合规检查",
    "findings_table": "问题明细",
    "col_severity": "级别",
    "col_category": "类别",
    "col_text": "原文",
    "col_message": "说明",
    "col_suggestion": "建议",
    "approve_reason": "批准理由（有“提醒”时必填，一行）",
    "approve": "批准",
    "reject_reason": "驳回原因",
    "reject_note": "补充说明",
    "reject": "驳回",
    "approved_text": "已批准的回复（可复制）",
    "lab_prompt": "提示词",
    "lab_refresh": "刷新",
    "lab_versions": "版本与标签",
    "lab_edit": "编辑为新版本（保存为新文件，已发布的版本不会被改动）",
    "lab_base_version": "编辑的基础版本",
    "lab_template": "模板内容",
    "lab_save": "另存为新版本",
    "lab_version_a": "版本 A",
    "lab_version_b": "版本 B",
    "lab_scenarios": "场景",
    "lab_run": "并排运行",
    "lab_label_version": "设为 production 的版本",
    "lab_set_label": "移动 production 标签",
    "lab_status": "状态",
}

EN: dict[str, str] = {
    "title": "Reply assistant · Review desk",
    "tab_desk": "Review desk",
    "tab_lab": "Prompt lab",
    "conversation": "Conversation",
    "customer_message": "Customer message",
    "customer_message_ph": "Paste the customer's latest message (Ctrl+Enter drafts)",
    "history": "History (optional)",
    "history_ph": "One turn per line, starting with 'customer:' or 'agent:'",
    "channel": "Channel",
    "generate": "Draft reply",
    "regenerate": "Regenerate",
    "draft": "Draft",
    "hints": "Hints for the agent",
    "sources": "Manual sections cited",
    "reply": "Reply (editable; what the customer gets, without citation marks)",
    "findings": "Guard findings",
    "findings_table": "Findings",
    "col_severity": "Severity",
    "col_category": "Category",
    "col_text": "Text",
    "col_message": "Why",
    "col_suggestion": "Suggestion",
    "approve_reason": "Reason to approve (required with warnings, one line)",
    "approve": "Approve",
    "reject_reason": "Reject reason",
    "reject_note": "Note",
    "reject": "Reject",
    "approved_text": "Approved reply (ready to copy)",
    "lab_prompt": "Prompt",
    "lab_refresh": "Refresh",
    "lab_versions": "Versions and labels",
    "lab_edit": "Edit into a new version (saved as a new file; released versions never change)",
    "lab_base_version": "Base version to edit",
    "lab_template": "Template",
    "lab_save": "Save as a new version",
    "lab_version_a": "Version A",
    "lab_version_b": "Version B",
    "lab_scenarios": "Scenarios",
    "lab_run": "Run side by side",
    "lab_label_version": "Version to label production",
    "lab_set_label": "Move the production label",
    "lab_status": "Status",
}

I18N = gr.I18n(**{"zh-CN": ZH, "en": EN})

# Gradio 6 picks the UI language from `navigator.language` when it is one of its own locales and
# otherwise falls back to English (a zh-HK, a Vietnamese or an unset browser all got English), and
# it does so before `launch(head=...)` runs. `ChineseByDefault` puts this script first in the
# page's <head>: every browser whose language is not English gets Simplified Chinese. English
# stays available (an English browser, or the language picker in the settings panel).
LOCALE_SCRIPT = (
    b"<script>(() => {"
    b"const asked = navigator.language || (navigator.languages || [])[0] || '';"
    b"if (!asked.toLowerCase().startsWith('en')) {"
    b"Object.defineProperty(Navigator.prototype, 'language', {get: () => 'zh-CN', configurable: true});"
    b"}})();</script>"
)


class ChineseByDefault:
    """ASGI middleware: inserts LOCALE_SCRIPT at the top of <head> in the app's HTML pages."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET":
            return await self.app(scope, receive, send)
        held: dict = {}
        body: list[bytes] = []

        async def rewrite(message):
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                if headers.get(b"content-type", b"").startswith(b"text/html"):
                    held["start"] = message
                    return None
                return await send(message)
            if "start" not in held:
                return await send(message)
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return None
            page = b"".join(body).replace(b"<head>", b"<head>" + LOCALE_SCRIPT, 1)
            start = held["start"]
            headers = [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
            headers.append((b"content-length", str(len(page)).encode()))
            await send({**start, "headers": headers})
            return await send({"type": "http.response.body", "body": page})

        return await self.app(scope, receive, rewrite)


def t(key: str) -> gr.i18n.I18nData:
    """A translated UI string; an unknown key fails at build time, not in the browser."""
    if key not in ZH:
        raise KeyError(f"no UI string {key!r}")
    return I18N(key)
