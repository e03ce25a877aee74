"""Test data for the audit store: requests and drafts, checked by the real guard."""

from __future__ import annotations

import guardrails
from assistant.models import Draft, DraftRequest, SearchResult, Turn


def make_request(message: str = "我都等了二十分钟了，怎么还没人管？") -> DraftRequest:
    history = (Turn("customer", "你好，我的订单还没发货"), Turn("agent", "您好，请提供订单号"))
    return DraftRequest(message=message, history=history, channel="chat")


def make_draft(reply: str = "非常抱歉让您久等了，我马上为您查询订单进度。") -> Draft:
    source = SearchResult("s1", "客服规范", "8.3.2 电话规范用语 > 客户责备客服动作慢", "正文", 0.03)
    return Draft(
        reply=reply,
        drafter="offline",
        prompt="draft_reply@2",
        sources=(source,),
        guard=guardrails.check(reply),
        timings_ms={"retrieve": 4.1, "generate": 2.0},
    )
