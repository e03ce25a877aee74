"""Text normalisation with a map back to the original offsets.

`normalize(text)` folds what an evasion would vary (full-width forms, case, zero-width and other
format characters, Traditional script) and keeps, for every character of the result, the index of
the original character it came from. `Normalized.compact()` then drops soft separators (spaces,
line breaks, `·-_.*` and the like) next to CJK characters, so `不 知 道` matches `不知道`.
`Normalized.digits()` reads Chinese-numeral digits as ASCII digits, for contact detection.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Invisible marks outside the Cf category (combining grapheme joiner, variation selectors, fillers).
_INVISIBLE = re.compile(r"[\u034f\u115f\u1160\u3164\ufe00-\ufe0f\uffa0\U000e0100-\U000e01ef]")
# Soft separators: may sit inside a phrase to break naive matching. Sentence punctuation
# (，。！？；：) is NOT soft: it is a real boundary between words.
_SOFT = r" \t\n\r\f\v\u00a0\u2000-\u200a\u2028\u2029\u3000·・•‧\-_.*~/\\|'\"`^+=#‐‑‒–—―﹣"
_CJK = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"  # as `is_cjk`
# A maximal run of soft separators with a CJK character on either side. It starts with the soft
# class, so `re` skips to soft characters fast; inside a run the second alternative can only match
# up to the run's end (soft and CJK characters are disjoint), so only whole runs match.
_SOFT_RUN_BY_CJK = re.compile(f"[{_SOFT}](?:(?<=[{_CJK}][{_SOFT}])[{_SOFT}]*|[{_SOFT}]*(?=[{_CJK}]))")
_CN_DIGIT_CHARS = re.compile("[〇零一二三四五六七八九幺壹贰叁肆伍陆柒捌玖两]")
_CN_DIGITS = tuple(zip("〇零一二三四五六七八九幺壹贰叁肆伍陆柒捌玖两", "0012345678911234567892", strict=True))
# Full-width punctuation common in every Chinese reply: folded with str.replace (fast, 1:1).
_COMMON_WIDE = (("，", ","), ("！", "!"), ("？", "?"), ("：", ":"), ("；", ";"), ("（", "("), ("）", ")"))
_UPPER = re.compile(r"[A-Z]+")
# Characters that folding may change, other than the above: everything outside ASCII, the common
# CJK block and CJK punctuation that NFKC keeps. They go through a per-character pass (rare).
_KEPT = "\x00-\x7f\u4e00-\u9fff\u3001-\u3003\u3008-\u3011\u3014-\u301b\u2018\u2019\u201c\u201d\u00b7\u2014"
_MAYBE_CHANGES = re.compile(f"[^{_KEPT}]")
# Characters that OpenCC's t2s changes only inside a phrase (回覆 → 回复, 深沈 → 深沉, 打坏 → 打坯),
# one per phrase entry made only of characters that t2s keeps on their own. Derived from the
# installed dictionaries; tests/guardrails/test_normalize_fast.py checks them against OpenCC's.
T2S_PHRASE_ONLY = "哩坏沈甦瞭藉衹覆"


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U0002fa1f"


@dataclass(frozen=True)
class Normalized:
    """`text` is the normalised text; `offsets[i]` is the original index of `text[i]`
    (`raw_offsets` is None when the two line up one to one)."""

    original: str
    text: str
    raw_offsets: tuple[int, ...] | None = None

    @property
    def offsets(self) -> tuple[int, ...]:
        return self.raw_offsets if self.raw_offsets is not None else tuple(range(len(self.text)))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of `text` back to the original text."""
        if self.raw_offsets is None:
            return start, end
        return self.raw_offsets[start], self.raw_offsets[end - 1] + 1

    def compact(self) -> Normalized:
        """Drop runs of soft separators that touch a CJK character."""
        text, offsets = compact_raw(self.text, self.raw_offsets)
        return self if text is self.text else Normalized(self.original, text, offsets)

    def digits(self) -> Normalized:
        """Chinese-numeral digits (一三八…, 〇, 幺) read as ASCII digits; same length, same offsets."""
        text = digits_raw(self.text)
        return self if text is self.text else Normalized(self.original, text, self.raw_offsets)


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    category = unicodedata.category(ch)
    if category == "Cf" or _INVISIBLE.match(ch):
        return ""
    if category == "Cs":  # a lone surrogate (possible from JSON "\ud800"): not text, keep the slot
        return "\ufffd"
    return unicodedata.normalize("NFKC", ch).lower()


def _narrow_punctuation(text: str) -> str:
    for wide, narrow in _COMMON_WIDE:
        text = text.replace(wide, narrow)
    return text


def _one_to_one(text: str) -> str:
    text = _narrow_punctuation(text)
    if _UPPER.search(text):
        text = _UPPER.sub(lambda m: m.group().lower(), text)
    return text


def _char_pass(text: str) -> tuple[str, tuple[int, ...] | None]:
    """Fold every character; offsets are None while nothing changed length."""
    text = _one_to_one(text)
    pieces: list[str] = []
    offsets: list[int] = []
    last, same_length = 0, True
    for m in _MAYBE_CHANGES.finditer(text):
        i = m.start()
        folded = _fold_char(text[i])
        if folded == text[i]:
            continue
        pieces.append(text[last:i])
        offsets.extend(range(last, i))
        pieces.append(folded)
        offsets.extend([i] * len(folded))
        same_length = same_length and len(folded) == 1
        last = i + 1
    if not pieces:
        return text, None
    pieces.append(text[last:])
    offsets.extend(range(last, len(text)))
    return "".join(pieces), None if same_length else tuple(offsets)


def _to_simplified(text: str) -> str:
    if text.isascii():
        return text
    converted = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase conversion changed the length (rare): convert one character at a time instead.
    return "".join(c if len(c := _t2s().convert(ch)) == 1 else ch for ch in text)


def _range_class(chars: list[str]) -> str:
    """A regex character-class body for `chars` (sorted), as ranges."""
    ranges: list[list[int]] = []
    for code in sorted(map(ord, chars)):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(re.escape(chr(a)) + ("" if a == b else "-" + re.escape(chr(b))) for a, b in ranges)


@lru_cache(maxsize=1)
def _stable() -> tuple[str, ...]:
    """Every ASCII, common-CJK and kept-punctuation character that folds to itself and that t2s
    keeps, alone and (see T2S_PHRASE_ONLY) in phrases. Built once (about 15 ms)."""
    candidates = [chr(c) for c in range(0x80)] + [chr(c) for c in range(0x4E00, 0xA000)]
    candidates += [chr(c) for c in range(0x2000, 0x3100) if not _MAYBE_CHANGES.match(chr(c))]
    candidates += ["\u00b7", *(wide for wide, _ in _COMMON_WIDE)]
    folded = [_one_to_one(ch) for ch in candidates]
    converted = [_t2s().convert(ch) for ch in folded[:0x80]]  # ASCII, one by one (holds "\n")
    converted += _t2s().convert("\n".join(folded[0x80:])).split("\n")
    return tuple(
        ch
        for ch, one, simple in zip(candidates, folded, converted, strict=True)
        if one == simple and _fold_char.__wrapped__(one) == one and one not in T2S_PHRASE_ONLY
    )


@lru_cache(maxsize=1)
def _unstable() -> re.Pattern[str]:
    """Any character that `normalize` might change other than through `_one_to_one`: a text
    without one is its own normal form (after `_one_to_one`), offsets one to one."""
    return re.compile(f"[^{_range_class(list(_stable()))}]")


@lru_cache(maxsize=1)
def _unstable_or_upper() -> re.Pattern[str]:
    """`_unstable()` or an ASCII upper-case letter: a text without one needs no lower-casing."""
    return re.compile(f"[^{_range_class([ch for ch in _stable() if not 'A' <= ch <= 'Z'])}]")


def normalize(text: str, *, fast: bool = True) -> Normalized:
    """NFKC, lower case, format characters dropped, Traditional → Simplified; offsets kept.
    A text made only of characters that none of this changes skips the per-character pass and
    OpenCC (`fast=False` always takes them: the reference the fast path must equal)."""
    if fast:
        folded, offsets, _ = normalize_raw(text)
        return Normalized(text, folded, offsets)
    folded, offsets = _char_pass(text)
    return Normalized(text, _to_simplified(folded), offsets)


def digits_raw(text: str) -> str:
    """`text` with Chinese-numeral digits read as ASCII digits (`text` itself when it has none).
    One `str.replace` per numeral: several times faster than `str.translate` on CJK text."""
    first = _CN_DIGIT_CHARS.search(text)
    if first is None:
        return text
    head, text = text[: first.start()], text[first.start() :]
    for numeral, digit in _CN_DIGITS:
        text = text.replace(numeral, digit)
    return head + text


def normalize_raw(text: str) -> tuple[str, tuple[int, ...] | None, bool]:
    """`normalize(text)`'s text and raw offsets, without building a `Normalized` (the engine's
    hot path), and whether `text` is made only of stable characters (ASCII, common CJK, kept
    punctuation: no digit outside ASCII, nothing outside the BMP). The common case, a text of
    stable characters without an upper-case letter, costs one scan and the punctuation
    replacements."""
    first = _unstable_or_upper().search(text)
    if first is None:
        return _narrow_punctuation(text), None, True
    if not _unstable().search(text, first.start()):
        # Only ASCII letters have case here, so `lower()` is `_one_to_one`'s lower-casing, faster.
        return _narrow_punctuation(text).lower(), None, True
    folded, offsets = _char_pass(text)
    return _to_simplified(folded), offsets, False


def compact_raw(text: str, offsets: tuple[int, ...] | None) -> tuple[str, tuple[int, ...] | None]:
    """`Normalized.compact` on a (text, raw offsets) pair; `text` itself when nothing is dropped."""
    first = _SOFT_RUN_BY_CJK.search(text)
    if first is None:
        return text, offsets
    pieces: list[str] = []
    kept: list[int] = []
    last = 0
    for m in _SOFT_RUN_BY_CJK.finditer(text, first.start()):
        pieces.append(text[last : m.start()])
        kept.extend(range(last, m.start()) if offsets is None else offsets[last : m.start()])
        last = m.end()
    pieces.append(text[last:])
    kept.extend(range(last, len(text)) if offsets is None else offsets[last:])
    return "".join(pieces), tuple(kept)


def fold(text: str) -> str:
    """The normalised form alone (NFKC, Simplified, zero-width dropped), for comparisons."""
    return normalize(text).text


@lru_cache(maxsize=4096)
def fold_source(pattern: str) -> str:
    """A pack regex's source for the normalised text: full-width punctuation becomes its
    (escaped) half-width form, as NFKC turns the text's `，？：` into `,?:`."""
    out = []
    for ch in pattern:
        folded = unicodedata.normalize("NFKC", ch) if not ch.isascii() else ch
        out.append(re.escape(folded) if folded != ch and folded.isascii() else folded)
    return "".join(out)


@lru_cache(maxsize=4096)
def fold_pattern(pattern: str) -> re.Pattern[str]:
    """A pack regex compiled for the normalised text (`fold_source`). Cached: the loader
    validates a pack's regexes with it and the engine then compiles nothing twice."""
    return re.compile(fold_source(pattern))
