"""Detectors for contact details and personal data, run on the digits view of the text.

Numbers are read as runs of digits with separators (`138 1234 5678`, `+86-138-…`, `一三八…`),
then classified: mobile, landline with area code, ID card (checksum), bank card (Luhn).
Masked numbers (`138****5678`), short numbers (`工号1229`, `12315`) and numbers glued to
letters (tracking numbers such as `SF0…`) never classify.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from guardrails.normalize import _range_class

_SEP = r"[ \t\-.·()]"
# A run of at least 10 digits (the shortest number worth reporting: a landline with area code).
# Starts at a digit (the look-behind comes after it) so that `re` skips to digits fast; a leading
# `+` or `(` is added back after.
_NUMBER_RUN = re.compile(rf"\d(?<![0-9a-z*]\d)(?:{_SEP}{{0,2}}\d){{9,}}(?:{_SEP}?x)?(?![0-9a-z*])")
_MOBILE = re.compile(r"(?:0{0,2}86)?1[3-9]\d{9}")
_LANDLINE = re.compile(r"(?:0{0,2}86)?0[1-9]\d{8,10}")
_ID_CARD = re.compile(r"\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dx]")
_BANK_CARD = re.compile(r"[3-6]\d{15,18}")
# Words one of which every match of a pattern detector starts with (or, for e-mail, holds).
_EXTENSION_WORDS = "分机|内线|直线|短号|内部|转"
_IM_WORDS = "微信|weixin|wechat|vx|wx|v信|薇信|威信|qq|扣扣|企鹅|钉钉|dingtalk"
_ADDRESS_WORDS = "路|街|大道|巷|弄"
_PHONE_WORDS = "手机|电话|座机|直拨|拨打|致电"
_TRIGGER_KINDS = {
    **dict.fromkeys(_EXTENSION_WORDS.split("|"), "extension"),
    **dict.fromkeys(_PHONE_WORDS.split("|"), "labelled_phone"),
    "@": "email",
    **dict.fromkeys(_IM_WORDS.split("|"), "im_handle"),
    **dict.fromkeys(_ADDRESS_WORDS.split("|"), "address"),
}
# Trigger words their detector matches only before a number: what may come between (a road name
# and its number: nothing; `转` and an extension: spaces).
_BEFORE_NUMBER = {**dict.fromkeys(_ADDRESS_WORDS.split("|"), ""), "转": r"\s*"}
# Plain literals (no groups), so that `re` skips to their first characters fast.
_TRIGGERS = re.compile(
    "|".join(
        word + (rf"(?={_BEFORE_NUMBER[word]}\d)" if word in _BEFORE_NUMBER else "")
        for word in sorted(_TRIGGER_KINDS, key=len, reverse=True)
    )
)
_EXTENSION = re.compile(
    r"(?:分机|内线|直线|短号|内部号码|内部电话)(?:电话|号码|号)?[是为:：\s]*(\d{2,8})(?!\d)"
    r"|转\s*(\d{3,6})(?![\d个次天元块号分秒小时%位折倍件单])"
)
_EMAIL = re.compile(r"[a-z0-9][a-z0-9._%+\-]*@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}")
# A handle right after the app's name (微信：zhangsan88), or after a short "search / add" phrase
# (钉钉里搜一下 wangfang_kf, 微信上加我 lili_01; 一 is already read as 1 in the digits view).
_IM = re.compile(
    f"(?:{_IM_WORDS})"
    r"(?:号码|账号|号|id"
    r"|(?:里|上|中)?(?:搜索|搜|添加|加|找|联系|私聊|私信)(?:1下|下)?(?:我|他|她)?(?:的)?(?:号|账号|id)?)?"
    r"[:：是为\s]*([a-z][a-z0-9_\-]{4,19}|\d{5,12})(?![a-z0-9_])"
)
# A road and house number, then any of 弄 / 号 / 栋 / 楼 / 单元 / 室 (张江路1000弄12号602室).
_ADDRESS = re.compile(rf"(?:{_ADDRESS_WORDS})\d+(?:号|弄)(?:[\d\-]+(?:号|弄|栋|幢|楼|层|单元|室))*")
# A number of 7-13 digits announced as a phone number (组长手机139…, 座机 6234 5678) that is no
# well-formed mobile or landline: a mistyped or local number leaks as much as a well-formed one.
_LABELLED_PHONE = re.compile(
    rf"(?:{_PHONE_WORDS})(?:号码|号|打|给他|给她|到)?[:：是为\s]*"
    r"(?<![0-9a-z*])(\+?\d(?:[ \-]?\d){6,12})(?![0-9a-z*])"
)
# What the compact view of a text must hold for a pattern detector to find anything in the digits
# view of the same text: one of its trigger words (`_TRIGGERS`), followed, where the detector needs
# a number right after it, by a digit or a Chinese numeral. Compacting only drops separators next
# to CJK characters (`路 12号` becomes `路12号`) and the digits view only reads Chinese numerals as
# digits; trigger words hold neither. The engine's Hyperscan scan of the compact view looks for
# these, and a pattern detector runs only when one of its gates is there. The number detectors
# have no gate: `may_hold_number` is as cheap. Gate -> the detectors it opens.
_DIGIT_OR_NUMERAL = r"[\d〇零一二三四五六七八九幺壹贰叁肆伍陆柒捌玖两]"
GATES: dict[str, frozenset[str]] = {
    "|".join(
        word + (_BEFORE_NUMBER[word] + _DIGIT_OR_NUMERAL if word in _BEFORE_NUMBER else "")
        for word, its in _TRIGGER_KINDS.items()
        if its == kind
    ): frozenset({kind})
    for kind in dict.fromkeys(_TRIGGER_KINDS.values())
}
_CJK_BEFORE = re.compile(r"[\u4e00-\u9fff]{2,12}$")
_SPACE = re.compile(r"\s")
_PIECE = re.compile(r"\S+")
_NOT_DIGIT = re.compile(r"[^0-9x]")
NUMBER_DETECTORS = frozenset({"mobile", "landline", "id_card", "bank_card"})
_PATTERN_KINDS = frozenset(_TRIGGER_KINDS.values())
# For `may_hold_number`: ASCII digits and the bytes of the run separators (`·` is C2 B7) → "d",
# what may not come right before a run (`[a-z*]`, the digits view is lower case) → "a", the
# rest → "x".
_RUN_BYTES = bytes(
    ord("d")
    if chr(b) in "0123456789 \t-.()" or b in (0xC2, 0xB7)
    else ord("a")
    if chr(b) in "abcdefghijklmnopqrstuvwxyz*"
    else ord("x")
    for b in range(256)
)
_TEN = b"d" * 10
_LETTER = ord("a")

# A digit outside ASCII, or any character outside the BMP (where some digits are).
_WIDE_DIGIT = re.compile(
    "["
    + _range_class([chr(c) for c in range(0x80, 0x10000) if unicodedata.category(chr(c)) == "Nd"])
    + "\U00010000-\U0010ffff]"
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@dataclass(frozen=True)
class Hit:
    """A detected item: `start`/`end` index the view it was found in; `value` is its folded form."""

    detector: str
    start: int
    end: int
    value: str


def id_card_valid(digits: str) -> bool:
    if not _ID_CARD.fullmatch(digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:17], _ID_WEIGHTS, strict=True))
    return "10x98765432"[total % 11] == digits[17]


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def classify_number(digits: str) -> str | None:
    """Name the kind of a separator-free digit string, or None for an ordinary number."""
    if _MOBILE.fullmatch(digits):
        return "mobile"
    if id_card_valid(digits):
        return "id_card"
    if _LANDLINE.fullmatch(digits):
        return "landline"
    if _BANK_CARD.fullmatch(digits) and luhn_valid(digits):
        return "bank_card"
    return None


def _pieces(run: re.Match[str]) -> Iterator[tuple[int, int]]:
    """The whole run first, then each separator-delimited piece of it."""
    yield run.span()
    if _SPACE.search(run.group()):
        for piece in _PIECE.finditer(run.group()):
            yield run.start() + piece.start(), run.start() + piece.end()


def may_hold_number(text: str, ascii_digits: bool = False) -> bool:
    """False only when `_NUMBER_RUN` cannot match: no ten bytes in a row of the text's UTF-8 are
    ASCII digits or run separators (a run of ten digits gives at least ten) after something other
    than a letter or `*` (the run's look-behind), and no digit is outside ASCII (known when
    `ascii_digits`, else looked for). C-speed passes, where the run regex tries every digit."""
    runs = text.encode("utf-8", "surrogatepass").translate(_RUN_BYTES)
    # A run's first digit follows the start, a separator (then eleven "d" in a row) or an "x";
    # most texts hold no ten "d" in a row at all.
    at = runs.find(_TEN)
    while at >= 0:
        if at == 0 or runs[at - 1] != _LETTER or runs[at + 10 : at + 11] == b"d":
            return True
        at = runs.find(_TEN, at + 11)  # ten "d" after a letter, no more: the next run
    return not ascii_digits and _WIDE_DIGIT.search(text) is not None


def find_numbers(text: str) -> Iterator[Hit]:
    for run in _NUMBER_RUN.finditer(text):
        for start, end in _pieces(run):
            digits = _NOT_DIGIT.sub("", text[start:end])
            kind = classify_number(digits)
            if kind:
                if start == run.start() and start and text[start - 1] in "+(":
                    start -= 1
                yield Hit(kind, start, end, digits)
                break


def find_patterns(text: str, wanted: frozenset[str]) -> Iterator[Hit]:
    """Hits of the wanted pattern detectors whose trigger words are in `text` (one scan for all)."""
    if wanted.isdisjoint(_PATTERN_KINDS):
        return
    kinds = {_TRIGGER_KINDS[word] for word in _TRIGGERS.findall(text)} & wanted
    if not kinds:
        return
    if "extension" in kinds:
        for m in _EXTENSION.finditer(text):
            yield Hit("extension", m.start(), m.end(), m.group(1) or m.group(2))
    if "email" in kinds:
        for m in _EMAIL.finditer(text):
            yield Hit("email", m.start(), m.end(), m.group())
    if "im_handle" in kinds:
        for m in _IM.finditer(text):
            yield Hit("im_handle", m.start(), m.end(), m.group(1))
    if "labelled_phone" in kinds:
        for m in _LABELLED_PHONE.finditer(text):
            digits = _NOT_DIGIT.sub("", m.group(1))
            if classify_number(digits) is None:  # well-formed numbers are their own detectors' hits
                yield Hit("labelled_phone", m.start(1), m.end(1), digits)
    if "address" not in kinds:
        return
    for m in _ADDRESS.finditer(text):
        before = _CJK_BEFORE.search(text, max(0, m.start() - 12), m.start())
        if before:
            yield Hit("address", before.start(), m.end(), text[before.start() : m.end()])


def masked(hit: Hit) -> str:
    """The hit's value with all but its first three and last four characters starred."""
    value = hit.value[-11:] if hit.detector == "mobile" else hit.value
    if hit.detector == "id_card":
        value = value.upper()
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def detect(text: str, wanted: frozenset[str], numbers: bool = True) -> list[Hit]:
    """All hits of the wanted detectors in `text` (the digits view of a reply); the number
    detectors run only with `numbers` (when `may_hold_number(text)`: else they find nothing)."""
    hits = list(find_numbers(text)) if numbers and not NUMBER_DETECTORS.isdisjoint(wanted) else []
    hits.extend(find_patterns(text, wanted))
    return [h for h in hits if h.detector in wanted] if hits else hits
