"""Heading markers of the manual's own numbering, and where a heading's title ends.

Kinds (one per numbering style): `chapter` 第三章, `cn_num` 一、, `cn_paren` （一）,
`dotted` 8.3.2 (its depth is part of the kind), `step` 步骤1：, `num_dot` 1. / 1、, `num_paren` （1）.

A document's own headings (Markdown `#`, HTML `<h1>`–`<h6>`, Word heading styles) reach the
splitter in one form: a line `## 到账时间` (kind `hash:2`). Loaders write such lines with
`heading_line` and escape ordinary lines that would read as one with `escape_heading_lines`
(`\\# 注意`, as Markdown does); `#1号机` or `C#` never match (a heading needs `#` + space).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUM = "[一二三四五六七八九十百零]+"

# Kinds that may start a heading in the middle of running text (pages scraped into one line).
INLINE_KINDS = ("chapter", "cn_num", "cn_paren", "dotted", "step")
MARKERS = {
    "chapter": re.compile(rf"第(?P<n>{_CN_NUM}|\d+)章[ ：:]?"),
    "cn_num": re.compile(rf"(?P<n>{_CN_NUM})、"),
    "cn_paren": re.compile(rf"（(?P<n>{_CN_NUM})）"),
    "dotted": re.compile(r"(?<![\d.])(?P<n>\d*(?:\.\d+)+)(?![\d.%])\s?"),
    "step": re.compile(r"步骤(?P<n>\d+)[：:]?"),
    "num_dot": re.compile(r"(?P<n>\d+)[.、](?!\d)"),
    "num_paren": re.compile(r"（(?P<n>\d+)）"),
}
_ANY_INLINE = re.compile(
    "|".join(f"(?P<{kind}>{MARKERS[kind].pattern})".replace("?P<n>", "?:") for kind in INLINE_KINDS)
)

# Nouns and verbs Chinese manuals end their headings with; used to find where a heading glued to
# its body (`1.1在线客服概述在线客服是指…`) stops.
HEADING_ENDINGS = [
    "应对",
    "处理",
    "补救",
    "缓解",
    "隔离",
    "解决",
    "概述",
    "重要性",
    "原则",
    "标准",
    "内容",
    "方式",
    "措施",
    "指标",
    "事项",
    "语言",
    "语速",
    "引导",
    "调节",
    "传递",
    "分析",
    "策略",
    "提升",
    "监控",
    "改进",
    "模式",
    "目标",
    "机制",
    "技巧",
    "凝聚力",
    "背景",
    "过程",
    "效果",
    "构建",
    "设定",
    "影响",
    "意义",
    "引言",
    "礼貌",
    "表达",
    "流程",
    "要求",
    "职责",
    "规范",
    "方法",
    "方案",
    "步骤",
    "建设",
    "场景",
    "范围",
    "分类",
    "渠道",
    "工具",
    "总结",
    "说明",
    "定义",
    "简介",
    "应用",
    "维护",
    "预警",
    "概况",
    "用语",
    "禁区",
    "操守",
]
_TITLE_STOP = re.compile(r"[。：；！？，“（]")
MAX_TITLE = 12

MAX_HASH_LEVEL = 6
MAX_HASH_TITLE = 80
_HASH_HEADING = re.compile(r"(#{1,6})[ \t]+(?P<title>\S.*?)(?:[ \t]+#+)?[ \t]*")
_HASH_LIKE = re.compile(r"^([ \t]*)(?=\\*#{1,6}[ \t])", re.M)
_ESCAPED = re.compile(r"\\+#{1,6}[ \t]")


@dataclass(frozen=True)
class Marker:
    kind: str  # e.g. "dotted:3"
    number: tuple[int, ...]  # (8, 3, 2) for 8.3.2; () when a number was lost
    label: str  # the marker as written, normalised: "8.3.2", "（一）", "第一章"
    start: int
    end: int


def cn_to_int(text: str) -> int:
    """一 → 1, 十 → 10, 十五 → 15, 二十三 → 23, 3 → 3."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return int("".join(str(CN_DIGITS.get(ch, 0)) for ch in text) or 0)
    tens, _, ones = text.partition("十")
    return (CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (CN_DIGITS.get(ones, 0) if ones else 0)


def int_to_cn(number: int) -> str:
    """1 → 一, 10 → 十, 15 → 十五, 23 → 二十三 (0 < number < 100)."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(number, 10)
    if not tens:
        return digits[ones]
    return f"{digits[tens] if tens > 1 else ''}十{digits[ones] if ones else ''}"


def make_marker(kind: str, match: re.Match, offset: int = 0) -> Marker:
    raw = match.group("n") if "n" in match.re.groupindex else match.group()
    if kind == "dotted":
        parts = raw.split(".")
        number = tuple(int(p) if p else -1 for p in parts)
        kind = f"dotted:{len(parts)}"
    else:
        number = (cn_to_int(raw),)
    label = match.group().strip().rstrip(":")
    if kind == "step":
        label = f"步骤{number[0]}："
    elif kind == "chapter":
        label = label.rstrip("：")
    return Marker(kind, number, label, match.start() + offset, match.end() + offset)


def marker_at_line_start(line: str) -> Marker | None:
    for kind, pattern in MARKERS.items():
        match = pattern.match(line)
        if match and match.end() < len(line):
            return make_marker(kind, match)
    return None


def inline_markers(text: str) -> list[Marker]:
    """Every place in running text that looks like a heading marker (not yet validated)."""
    found: list[Marker] = []
    for match in _ANY_INLINE.finditer(text):
        kind = match.lastgroup
        sub = MARKERS[kind].match(text, match.start())
        if sub and sub.end() < len(text) and re.match(r"[\u4e00-\u9fff]", text[sub.end()]):
            found.append(make_marker(kind, sub))
    return found


def split_title(segment: str, ends_at_heading: bool) -> tuple[str, str]:
    """Title and body of a heading glued to its text: `在线客服概述在线客服是指…`."""
    stop = _TITLE_STOP.search(segment)
    candidate = segment[: stop.start()] if stop else segment
    if (ends_at_heading and not stop) or (stop and stop.group() == "（" and len(candidate) <= 20):
        return candidate, segment[len(candidate) :]
    window = candidate[:MAX_TITLE]
    ends = [i + len(word) for word in HEADING_ENDINGS for i in _find_all(window, word)]
    repeats = [
        p
        for p in range(2, MAX_TITLE + 1)
        if len(candidate) >= p + 4 and candidate[p : p + 4] == candidate[:4]
    ]
    both = sorted(set(ends) & set(repeats))
    cut = both[0] if both else max(ends) if ends else repeats[0] if repeats else 0
    if cut:
        return candidate[:cut], segment[cut:]
    return candidate[:MAX_TITLE], segment  # no clue: a short title, the body keeps everything


def _find_all(text: str, word: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(word), text)]


def heading_line(level: int, title: str) -> str:
    """The one form of a document's own heading: `heading_line(2, "到账时间")` → `## 到账时间`."""
    title = " ".join(title.split())
    return f"{'#' * min(max(level, 1), MAX_HASH_LEVEL)} {title}" if title else ""


def escape_heading_lines(text: str) -> str:
    """Ordinary text whose lines start like a heading (`# 注意`) gets a backslash: `\\# 注意`."""
    return _HASH_LIKE.sub(lambda m: m.group(1) + "\\", text)


def unescape_heading_line(line: str) -> str:
    """`\\# 注意` → `# 注意` (an escaped ordinary line back as written); other lines unchanged."""
    return line[1:] if _ESCAPED.match(line) else line


def hash_heading(line: str) -> Marker | None:
    """`## 到账时间` → a `hash:2` marker whose title is `到账时间`; ordinary text → None."""
    match = _HASH_HEADING.fullmatch(line)
    if not match or len(match.group("title")) > MAX_HASH_TITLE:
        return None
    level = len(match.group(1))
    return Marker(f"hash:{level}", (level,), "", match.start("title"), match.end("title"))
