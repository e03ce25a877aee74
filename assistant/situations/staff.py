"""Agents' questions about a customer ("客户一直吼，我该怎么安抚") reduced to the customer's situation.

An agent asking how to handle a customer wraps the situation in a frame of its own: the customer as
the subject ("客户说…", "顾客一上来就…") and a how-to tail ("…怎么办", "怎么跟客户说", "我该咋安抚").
Embedded whole, the frame outweighs the situation: every such question lands on the situations whose
cues are agents' questions too (needs_analysis, agent_stress). The matcher embeds the message without
its frame as one more segment, so the situation inside can win on its own words.
"""

from __future__ import annotations

import re

_WHO = r"(?:客户|顾客|用户|客人|来电的?(?:客户|客人|用户)?|有(?:个|位)?(?:客户|顾客|用户))"
_HOW = r"(?:怎么样|怎么|怎样|如何|咋)"
_TO_WHOM = r"(?:(?:跟|和|对|向|给)(?:客户|顾客|用户|客人|他|她|对方|人家))"
_DO = r"(?:办|说|讲|回|回复|答复|解释|表达|处理|应对|沟通|安抚|开口|交代|引导|劝|说明|告诉|提|写|做|弄|搞)"
_POLITE = r"(?:比较好|才好|才对|合适|比较合适|最好|呢|啊|呀|吧)"

_LEADING = re.compile(rf"^{_WHO}(?:(?:说|问|讲|反映|跟我说|老是说|一直说|一直问)(?!的))?")
_TRAILING = re.compile(
    rf"(?:我|我们|客服)?(?:应该|应|该|要|得|能)?{_TO_WHOM}?{_HOW}{_TO_WHOM}?{_DO}?{_POLITE}?[?？]*$"
)
_STUMPED = re.compile(r"我?(?:被(?:客户|顾客|用户|他|她)?问住了|答不上来|不知道怎么回)[?？]*$")


def strip_staff_frame(text: str) -> str:
    """`text` without an agent's framing (customer as subject, how-to tail); `text` when it has none
    or when nothing would be left."""
    stripped = _LEADING.sub("", text.strip(), count=1)
    stripped = _TRAILING.sub("", stripped, count=1)
    stripped = _STUMPED.sub("", stripped, count=1).strip(" ，,。")
    return stripped if len(stripped) >= 2 else text
