"""Text folding for matching: the guard's normaliser when it is there, a faithful fallback otherwise.

Assertions match on folded text (Simplified script, half-width, lower case, no zero-width
characters), so `contains_any: [订单号]` also finds 訂單號 and ｏｒｄｅｒ-style full-width forms.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")
_PUNCT_OR_SPACE = re.compile(r"[\s\W_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _guard_fold():
    try:
        from guardrails.normalize import fold
    except ImportError:  # the guard package is being built alongside; fall back to our own
        return None
    return fold


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


def _fallback_fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))
    return _t2s().convert(text).lower()


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Simplified, half-width, lower-case text for matching (same length rules as the guard's)."""
    guard_fold = _guard_fold()
    if guard_fold is None:
        return _fallback_fold(text)
    folded = guard_fold(text)
    if isinstance(folded, str):
        return folded
    return str(getattr(folded, "text", folded))


def letters_only(text: str) -> str:
    """Folded text without whitespace and punctuation, for n-gram similarity."""
    return _PUNCT_OR_SPACE.sub("", fold(text))
