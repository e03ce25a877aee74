"""Sectioning: turn cleaned text into sections with a heading path, from the manual's numbering.

Works on line-based pages (one heading per line, as in a mind-map outline) and on pages scraped
into one giant line (headings glued inside running text): inline markers are accepted only when
their numbering continues the current list (`二、` after `一、`, `8.3.2` after `8.3.1`), which keeps
`统一、专业` or `约3.5小时` from becoming headings.

A document's own headings (`## 到账时间` lines, see `headings.hash_heading`) outrank the numbering:
a `#` heading closes every heading below its level, and numbered headings nest inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.corpus.clean import LOST_HEADING
from assistant.corpus.headings import (
    Marker,
    hash_heading,
    inline_markers,
    int_to_cn,
    marker_at_line_start,
    split_title,
    unescape_heading_line,
)

MAX_HEADING_LINE = 30
_LIST_KINDS = ("num_paren", "num_dot")
_SENTENCE_PUNCT = re.compile(r"[。，,：:；;“”]")
_CHAPTER_IN_TITLE = re.compile(r"第\s*([一二三四五六七八九十百零]+|\d+)\s*章\s*(\S.*)")
_HAS_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


@dataclass(frozen=True)
class Section:
    path: tuple[str, ...]  # heading labels, outermost first
    text: str  # body, without the headings


@dataclass
class _Open:
    kind: str
    number: tuple[int, ...]
    label: str


class _Outline:
    """The open headings (a stack) and the body gathered under the innermost one."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.stack: list[_Open] = []
        self.body: list[str] = []
        self.sections: list[Section] = []
        self.last_dotted: tuple[int, ...] | None = None
        self.root_depth = 0  # 1 when the title's chapter (`第8章 …`) heads every path

    def add_text(self, text: str) -> None:
        if text.strip():
            self.body.append(text.strip())

    def flush(self) -> None:
        text = "\n".join(self.body).strip()
        self.body = []
        if _HAS_WORD.search(text):
            path = tuple(o.label for o in self.stack) or (self.title,)
            self.sections.append(Section(path, text))

    def open(self, marker: Marker, title: str) -> None:
        self.flush()
        number = self.complete_number(marker)
        label_number = ".".join(map(str, number)) if marker.kind.startswith("dotted") else marker.label
        sep = " " if marker.kind.startswith(("dotted", "chapter")) else ""
        self.stack = self.stack[: self._parent_depth(marker.kind)]
        self.stack.append(_Open(marker.kind, number, f"{label_number}{sep}{title.strip()}".strip()))
        if marker.kind.startswith("dotted"):
            self.last_dotted = number

    def complete_number(self, marker: Marker) -> tuple[int, ...]:
        """A dotted number that lost its first part (`.3.2` after `7.3.1`) takes it from context."""
        if marker.kind.startswith("dotted") and marker.number[0] == -1 and self.last_dotted:
            return (self.last_dotted[0], *marker.number[1:])
        return marker.number

    def open_hash(self, marker: Marker, title: str) -> None:
        """A document's own heading: it closes every heading at its level or below it."""
        level = marker.number[0]
        depth = self.root_depth
        for index, heading in enumerate(self.stack):
            if heading.kind.startswith("hash") and heading.number[0] < level:
                depth = index + 1
        self.flush()
        self.stack = [*self.stack[:depth], _Open(marker.kind, marker.number, title.strip())]
        self.last_dotted = None

    def _parent_depth(self, kind: str) -> int:
        kinds = [o.kind for o in self.stack]
        if kind.startswith("dotted"):
            depth = int(kind.split(":")[1])
            shallower = [
                i for i, k in enumerate(kinds) if k.startswith("dotted") and int(k.split(":")[1]) < depth
            ]
            if shallower:
                return shallower[-1] + 1
        return kinds.index(kind) if kind in kinds else len(kinds)

    def continues(self, marker: Marker) -> bool:
        """Does an inline marker continue the numbering in force? (`二、` after `一、`)"""
        if marker.kind.startswith("dotted"):
            number = self.complete_number(marker)
            return -1 not in number and (self.last_dotted is None or _follows(self.last_dotted, number))
        same = [o for o in self.stack if o.kind == marker.kind]
        expected = same[-1].number[0] + 1 if same else 1
        return marker.number[0] == expected


def _follows(previous: tuple[int, ...], number: tuple[int, ...]) -> bool:
    """8.3.1 → 8.3.2, 8.3 → 8.3.1, 2.3.2 → 3.1 (a gap of one number is tolerated)."""
    if number == (*previous, 1):
        return True
    for k in range(min(len(previous), len(number))):
        if number[:k] == previous[:k] and 1 <= number[k] - previous[k] <= 2:
            return all(part == 1 for part in number[k + 1 :])
    return False


def split_sections(text: str, title: str) -> list[Section]:
    """Sections of a cleaned document, in order; the title line itself is not a section."""
    outline = _Outline(title)
    root = _CHAPTER_IN_TITLE.search(title)
    if root:
        number = root.group(1)
        outline.stack.append(_Open("chapter", (0,), f"第{number}章 {root.group(2).strip()}"))
        outline.root_depth = 1
    lines = text.split("\n")
    if lines and lines[0].startswith(title):
        lines[0] = lines[0][len(title) :]
    for index, line in enumerate(lines):
        _read_line(outline, line.strip(), lines[index + 1].strip() if index + 1 < len(lines) else "")
    outline.flush()
    return outline.sections


def _read_line(outline: _Outline, line: str, next_line: str) -> None:
    if not line:
        return
    own = hash_heading(line)
    if own:
        outline.open_hash(own, line[own.start : own.end])
        return
    if line != unescape_heading_line(line):
        outline.add_text(unescape_heading_line(line))  # ordinary text that starts with `#`
        return
    marker = marker_at_line_start(line)
    if marker and len(line) <= MAX_HEADING_LINE and not _list_item(marker, next_line):
        outline.open(marker, line[marker.end - marker.start :])
        return
    parent = _bare_parent(outline, line, next_line)
    if parent:
        outline.open(parent, line)
        return
    _read_running_text(outline, line)


def _list_item(marker: Marker, next_line: str) -> bool:
    """`（1）不要攻击…` followed by `（2）…`, by nothing or by a `#` heading: a list item, not a heading."""
    if marker.kind not in _LIST_KINDS:
        return False
    following = marker_at_line_start(next_line) if next_line else None
    ends = not next_line or hash_heading(next_line) is not None
    return ends or (following is not None and following.kind == marker.kind)


def _lost_heading(outline: _Outline, line: str) -> Marker | None:
    """A line starting "X的应对" under a `（一）Y的处理` heading: its sibling whose marker was garbled away."""
    if not outline.stack or outline.stack[-1].kind != "cn_paren" or not LOST_HEADING.match(line):
        return None
    sibling = outline.stack[-1].label.split("）", 1)[-1]
    if not LOST_HEADING.fullmatch(sibling):
        return None
    number = outline.stack[-1].number[0] + 1
    return Marker("cn_paren", (number,), f"（{int_to_cn(number)}）", 0, 0)


def _bare_parent(outline: _Outline, line: str, next_line: str) -> Marker | None:
    """A short unnumbered line before `8.3.1 …` is the heading `8.3` (mind-map outlines)."""
    if len(line) > 20 or _SENTENCE_PUNCT.search(line) or marker_at_line_start(line):
        return None
    child = marker_at_line_start(next_line)
    if not child or not child.kind.startswith("dotted") or len(child.number) < 3:
        return None
    number = child.number[:-1]
    if any(o.kind.startswith("dotted") and o.number == number for o in outline.stack):
        return None
    label = ".".join(map(str, number))
    return Marker(f"dotted:{len(number)}", number, label, 0, 0)


def _read_running_text(outline: _Outline, line: str) -> None:
    lost = _lost_heading(outline, line)
    if lost:
        following = [m.start for m in inline_markers(line) if _plausible_inline(outline, m, line, [])]
        end = min(following, default=len(line))
        title, body = split_title(line[:end], ends_at_heading=False)
        outline.open(lost, title)
        outline.add_text(body)
        line = line[end:]
    accepted: list[Marker] = []
    for marker in inline_markers(line):
        if accepted and marker.start < accepted[-1].end:
            continue
        if _plausible_inline(outline, marker, line, accepted):
            accepted.append(marker)
    outline.add_text(line[: accepted[0].start] if accepted else line)
    for i, marker in enumerate(accepted):
        end = accepted[i + 1].start if i + 1 < len(accepted) else len(line)
        title, body = split_title(line[marker.end : end], ends_at_heading=i + 1 < len(accepted))
        outline.open(marker, title)
        outline.add_text(body)


def _plausible_inline(outline: _Outline, marker: Marker, line: str, accepted: list[Marker]) -> bool:
    before = line[marker.start - 1] if marker.start else ""
    if marker.kind == "cn_num" and re.match(r"[\u4e00-\u9fff]", before) and marker.number[0] == 1:
        return False  # 统一、专业
    # Validate against the outline as it will be once the earlier markers of this line are open.
    probe = _Outline(outline.title)
    probe.stack = [_Open(o.kind, o.number, o.label) for o in outline.stack]
    probe.last_dotted = outline.last_dotted
    for earlier in accepted:
        probe.open(earlier, "")
    return probe.continues(marker)
