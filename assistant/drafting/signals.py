"""What the wording of the whole conversation says, beside the manual's situations.

Deterministic and cheap (no model): whether the customer only greeted, is upset, asks about an
order, is asking the same thing again, and whether the conversation is already under way (then the
reply does not open with the greeting again).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.models import DraftRequest

_GREETING = re.compile(
    r"喂|你好|您好|在吗|在不在|有人吗|是客服吗|客服|哈喽|hello|hi|请问|[，。,.！!？?~～…\s]"
)
_HEATED = re.compile(
    r"[！!]{2,}|[？?]{2,}|气死|火大|受不了|太过分|失望|曝光|有没有人管|搞什么|差劲|废物|他妈"
)
_ORDER = re.compile(r"订单|定单|单号|下的单|拍的|退款|发货|物流|快递|寄错|发错|少发|换新|换货|补发|付款")
_HAS_NUMBER = re.compile(r"\d{5,}")
REPEAT_SIMILARITY = 0.3  # Dice overlap of character bigrams with an earlier customer turn


@dataclass(frozen=True)
class Signals:
    greeting: bool  # the customer only said hello: ask what they need
    heated: bool  # exclamations, insults, threats: empathy first
    order: bool  # an order is involved and no order number was given
    repeated: bool  # the customer asks what they asked before
    under_way: bool  # an agent already answered in this conversation


def read_signals(request: DraftRequest) -> Signals:
    message = request.message
    earlier = [t.text for t in request.history if t.role == "customer"]
    conversation = " ".join([*earlier, message])
    return Signals(
        greeting=not _GREETING.sub("", message.lower()),
        heated=_HEATED.search(message) is not None,
        order=_ORDER.search(conversation) is not None and not _HAS_NUMBER.search(conversation),
        repeated=any(similarity(message, text) >= REPEAT_SIMILARITY for text in earlier),
        under_way=any(t.role == "agent" for t in request.history),
    )


def bigrams(text: str) -> set[str]:
    chars = [c for c in text if c.isalnum()]
    return {a + b for a, b in zip(chars, chars[1:], strict=False)}


def similarity(a: str, b: str) -> float:
    """Dice overlap of character bigrams: cheap, deterministic, good enough for short Chinese text."""
    x, y = bigrams(a), bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def coverage(line: str, by: str) -> float:
    """How much of `line` (its bigrams) `by` already says."""
    x = bigrams(line)
    return len(x & bigrams(by)) / len(x) if x else 1.0
