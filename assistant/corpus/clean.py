"""Cleaning of scraped manual pages: a fixed pipeline of small, separately tested steps.

Order matters and is part of the contract (`clean_text` is reproducible):
1. `drop_garbled` and `remove_pinyin` work on the raw text (they need the raw ASCII `?` and `(`);
2. `normalize_text` folds width, script (Traditional→Simplified) and whitespace;
3. the site-boilerplate steps then match one (Simplified) form only;
4. `unify_punctuation` gives Chinese text one punctuation form, so `(一)` and `（一）` read alike.
"""

from __future__ import annotations

import re

from assistant.corpus.normalize import fold_whitespace, normalize_text

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{CJK}]")

# --- garbled text ----------------------------------------------------------------------------

_BAD_CHARS = re.compile("[\ufffd\ue000-\uf8ff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A mojibake run in these pages starts with a lost character shown as `?`, followed by another
# `?`, a full-width `！` or pinyin letters, and ends at its last character that cannot occur in
# running Chinese (Latin letters, `?`, `_`, `)`, `/`, box drawing, roman numerals).
_MOJIBAKE_START = re.compile(r"\?(?=[?!！a-z\u00e0-\u01dc])")
_MOJIBAKE_BODY = re.compile(r"[^\s，,。：:；;、“”(（]{0,14}")
_MOJIBAKE_MARK = re.compile(r"[?!！A-Za-z\u00c0-\u024f_)/<>\u2160-\u217f\u2500-\u257f]")


# A heading of the "X的应对" form: when one follows a mojibake run, the run most likely ate the
# heading's marker (`（二）`), so the heading is put on a line of its own for the sectioner.
LOST_HEADING = re.compile(r"[\u4e00-\u9fff/]{2,12}?的(应对|处理|补救|缓解|隔离|解决)")


def drop_garbled(text: str) -> str:
    """Remove U+FFFD, control and private-use characters, and `??焖夙憫`-style mojibake runs.

    A run followed by a "X的应对"-style heading is replaced by a line break (its marker was lost).
    """
    text = _BAD_CHARS.sub("", text)
    out: list[str] = []
    pos = 0
    for start in _MOJIBAKE_START.finditer(text):
        if start.start() < pos:
            continue
        body = _MOJIBAKE_BODY.match(text, start.start() + 1).group()
        marks = [m.end() for m in _MOJIBAKE_MARK.finditer(body)]
        end = start.start() + 1 + (marks[-1] if marks else 0)
        out.append(text[pos : start.start()])
        if _heading_follows(text[end : end + 40]):
            out.append("\n")
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _heading_follows(raw: str) -> bool:
    return bool(LOST_HEADING.match(normalize_text(remove_pinyin(raw))))


# --- inline pinyin -----------------------------------------------------------------------------

# `出現(xiàn)`: a syllable in ASCII brackets glued to the character (or letter) before it. A syllable
# needs a tone mark or at least two letters, so `(a)`/`(1)`/`(一)`/`(示例：…)` are left alone.
_PINYIN = re.compile(
    rf"(?<=[{CJK}A-Za-z)])\((?=[a-zü\u00e0-\u01dc\n]*[\u00e0-\u01dc]|[a-zü]{{2}})[a-zü\u00e0-\u01dc\n]{{1,8}}\)"
)


def remove_pinyin(text: str) -> str:
    """`出現(xiàn)` → `出現`, `版權(quán)` → `版權`; chained groups such as `當(dāng)(yǔ)` too."""
    for _ in range(3):
        text, count = _PINYIN.subn("", text)
        if not count:
            break
    return text


# --- site boilerplate (on normalised, Simplified text) -----------------------------------------

_TAIL_MARKERS = re.compile(
    r"^(?:#{1,6} )?(相关文档|最新文档|您可能关注的文档|相关思维导图模板|温馨提示|原创力文档|文档评论\s*[(（]\d+[)）])$",
    re.M,
)
_BOILERPLATE_LINES = [
    re.compile(pattern)
    for pattern in (
        r"版权说明[:：].*",
        r"文档简介|思维导图大纲|PAGE|举报|评论|提交评论|收藏|分享|免费下载|免费使用文件",
        r"TreeMind.*|当前位置[:：].*|查看详情.*|树图思维导图提供.*|.*思维导图模板大纲",
        r".*浏览量[:：]?\s*\d+.*|已被使用\s*\d+\s*次",
        r"-?\s*\d+|\d+\s*-|\d+/\d+|PAGE\s*\d+\s*-?|-\s*举报",
        r"-\s*约\s*[\d.]+\s*[千万]?字|-\s*约\s*\d+\s*页|-\s*\d{4}-\d{1,2}-\d{1,2}.*发布于.*",
        r"-\s*\d+\s*[、.].*(本站|本文档|该文档|VIP|下载|上传|版权|侵权|book118|文库).*",
    )
]
_HEADING_MARK = re.compile(r"^#{1,6} ")
_INLINE_BOILERPLATE = re.compile(r"收藏\s*分享\s*免费下载|PAGE\s*\d+\s*-")
_MINDMAP_TITLE = re.compile(r"^(.{2,40}?)思维导图$", re.M)
# "X《X》旨在……详细内容如下：" – the site's own summary of document X before its text.
_SITE_SUMMARY = re.compile(r"^([^《\n]{4,40})《\1》.*?详细内容如下[:：]", re.M)
# An English translation blurb that lost its spaces: a long glued run of ASCII.
_GLUED_ENGLISH = re.compile(r"[A-Za-z\"',.;:()\-]{60,}")
_STRAY_MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,10}\s*/?>")


def cut_site_tail(text: str) -> str:
    """Drop everything from the first "相关文档 / 最新文档 / 温馨提示 / 文档评论(0)…" line on."""
    match = _TAIL_MARKERS.search(text)
    return text[: match.start()] if match else text


def drop_boilerplate_lines(text: str) -> str:
    """Drop whole lines that are site furniture: notices, counters, buttons, page marks."""
    kept = [line for line in text.split("\n") if not _is_boilerplate_line(line.strip())]
    return "\n".join(kept)


def _is_boilerplate_line(line: str) -> bool:
    line = _HEADING_MARK.sub("", line)  # `## 评论`: a page's heading can be furniture too
    return any(pattern.fullmatch(line) for pattern in _BOILERPLATE_LINES)


def drop_inline_boilerplate(text: str) -> str:
    """`收藏 分享 免费下载`, `PAGE 1-` inside a line; stray HTML tags such as `</p>`."""
    return _STRAY_MARKUP.sub("", _INLINE_BOILERPLATE.sub("", text))


def drop_site_summary(text: str) -> str:
    """The site's "文档简介" summary and the glued English blurb; the document title stays."""
    text = _SITE_SUMMARY.sub(lambda m: m.group(1) + "\n", text)
    text = _GLUED_ENGLISH.sub("", text)
    return _MINDMAP_TITLE.sub(r"\1", text)


def strip_boilerplate(text: str) -> str:
    """All site-boilerplate steps, on normalised text."""
    text = cut_site_tail(text)
    text = drop_boilerplate_lines(text)
    text = drop_inline_boilerplate(text)
    return drop_site_summary(text)


# --- punctuation -------------------------------------------------------------------------------

_CJK_NEAR = rf"[{CJK}，。：；！？、“”（）《》]"
_ASCII_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_ASCII_PUNCT_NEAR_CJK = re.compile(rf"(?<={_CJK_NEAR})[,:;?!]|[,:;?!](?={_CJK_NEAR})")
_PARENS = re.compile(r"\(([^()\n]{0,80})\)")


def unify_punctuation(text: str) -> str:
    """ASCII `, : ; ? ! ( )` next to Chinese become `，：；？！（）`; `9:00` or `(PCS)` alone stay."""
    text = _PARENS.sub(_full_width_parens, text)
    return _ASCII_PUNCT_NEAR_CJK.sub(lambda m: _ASCII_TO_FULL[m.group()], text)


def _full_width_parens(match: re.Match) -> str:
    text, start, end = match.string, match.start(), match.end()
    around = text[start - 1 : start] + text[end : end + 1]
    if _CJK_CHAR.search(match.group(1)) or re.search(_CJK_NEAR, around):
        return f"（{match.group(1)}）"
    return match.group()


# --- quotes ------------------------------------------------------------------------------------

_QUOTE_PAIRS = {"“": "”", "「": "」"}
_CLOSERS = {close: open_ for open_, close in _QUOTE_PAIRS.items()}


def balance_quotes(text: str) -> str:
    """Per line, drop a closing quote with no opening one and an opening quote never closed.

    Garbled runs sometimes swallow half of a pair (`接入”机制`); an unbalanced mark would make a
    quoted phrase look like it runs to the end of the section.
    """
    return "\n".join(_balance_line(line) for line in text.split("\n"))


def _balance_line(line: str) -> str:
    drop: set[int] = set()
    stack: list[int] = []
    for index, char in enumerate(line):
        if char in _QUOTE_PAIRS:
            stack.append(index)
        elif char in _CLOSERS:
            if stack and line[stack[-1]] == _CLOSERS[char]:
                stack.pop()
            else:
                drop.add(index)
    drop.update(stack)
    return "".join(char for index, char in enumerate(line) if index not in drop) if drop else line


# --- the pipeline ------------------------------------------------------------------------------


def clean_text(raw: str) -> str:
    """Raw scraped page → clean Simplified Chinese text, one paragraph or heading per line."""
    text = remove_pinyin(drop_garbled(raw))
    text = strip_boilerplate(normalize_text(text))
    return fold_whitespace(balance_quotes(unify_punctuation(text)))
