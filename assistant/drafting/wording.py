"""Which of the manual's quoted phrases are reusable wording, and which are cases.

The manual quotes two kinds of sentences. 8.3's 规范用语 are standard wording an agent may say to
any customer in that situation. The `例如/示例` lines of the process chapters are mostly CASES:
"您的订单因系统故障错发，我们将为您加急补发…运费由我们承担" tells one customer facts and commitments
nobody has verified for the next one. `reusable(text)` keeps a quote only when it carries no case
facts, no commitment and no unhedged time; `is_standard(section)` says whether a section is
standard wording.
"""

from __future__ import annotations

import re

_PARENTHETICAL = re.compile(r"[（(][^（）()]{0,30}[）)]")
_HALF_TO_FULL = str.maketrans({",": "，", "?": "？", "!": "！", ":": "：", ";": "；"})
_PLACEHOLDERS = ("……", "...", "XX", "xx", "**", "／", "/", "+", "＋")
_ADDRESS = ("您", "你", "请", "我")  # a sentence said to the customer addresses them
_FACTS = re.compile(r"[0-9０-９A-Za-zＡ-Ｚａ-ｚ%％]")  # sample figures and placeholder letters
_SALUTATION = re.compile(r"^(先生|女士|小姐)[，,]?")
_INFORMAL_YOU = re.compile(r"你(?!们)")
_FRAME_MARKERS = ("为您服务", "还有其他可以帮您", "生活愉快", "您还在吗")
_END_PUNCT = "。！？"
MIN_CHARS, MAX_CHARS = 8, 90

STANDARD_SECTIONS = ("规范用语", "常用规范语")
# What makes a quote a case rather than wording: a named customer, a cause or a finding
# (因系统故障, 经检测), something already done (已为您, 已寄出), a remedy or money (补发, 换新, 退款,
# 优惠), a commitment (我们将, 立即安排, 一定) or a time (明天, 3个工作日) — none of it verified for
# the customer in front of the agent. Inner quotes (‘服务态度不好’) echo one customer's words.
_CASE_MARKERS = re.compile(
    r"女士|先生|小姐|之前有客户|有客户反馈|因为|是因|因系统|故障|经检测|核实到|"
    r"已为您|已经为您|已寄出|已出库|已经|我们将|将为您|立即|无需|承担|补发|换新|换货|"
    r"退款|退回|赔偿|补偿|优惠|[0-9一二三四五六七八九十]折|一定|保证|肯定|"
    r"今天|明天|后天|今晚|小时|工作日|分钟|天内|[‘’『』「」]"
)


def quoted_in(text: str) -> list[str]:
    """The manual's quoted example phrases in a section."""
    from assistant.corpus import quoted_phrases

    return list(quoted_phrases(text))


def clean_phrase(raw: str) -> str | None:
    """A quoted phrase made fit to send, or None when it is not a sendable sentence."""
    text = _PARENTHETICAL.sub("", raw).translate(_HALF_TO_FULL)
    text = "".join(text.split()).strip("“”\"'，、")
    text = _INFORMAL_YOU.sub("您", _SALUTATION.sub("", text))
    if any(p in text for p in _PLACEHOLDERS) or any(m in text for m in _FRAME_MARKERS):
        return None
    if _FACTS.search(text) or not any(w in text for w in _ADDRESS):
        return None  # the manual's sample facts (9折, 3个工作日) are not ours to promise
    if not MIN_CHARS <= len(text) <= MAX_CHARS:
        return None
    return text if text[-1] in _END_PUNCT else text + "。"


def reusable(text: str) -> bool:
    """True when a cleaned quote is wording for any customer, not one customer's case."""
    return _CASE_MARKERS.search(text) is None


def is_standard(section: str) -> bool:
    """Whether a section is the manual's standard wording (8.3 规范用语, 8.4.2 常用规范语)."""
    return any(marker in section for marker in STANDARD_SECTIONS)


def reusable_quotes(section_text: str) -> list[str]:
    """The section's quotes that are sendable and reusable, in the manual's order."""
    out: list[str] = []
    for raw in quoted_in(section_text):
        text = clean_phrase(raw)
        if text is not None and reusable(text) and text not in out:
            out.append(text)
    return out
