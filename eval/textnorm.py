"""Text folding for matching: the guard's normaliser, so assertions see what the guard sees.

Assertions match on folded text (Simplified script, half-width, lower case, no zero-width
characters), so `contains_any: [订单号]` also finds 訂單號 and ｏｒｄｅｒ-style full-width forms.
"""

from __future__ import annotations

import re
from functools import lru_cache

from guardrails.normalize import fold as guard_fold

_PUNCT_OR_SPACE = re.compile(r"[\s\W_]+", re.UNICODE)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Simplified, half-width, lower-case text for matching (same length rules as the guard's)."""
    return guard_fold(text)


def letters_only(text: str) -> str:
    """Folded text without whitespace and punctuation, for n-gram similarity."""
    return _PUNCT_OR_SPACE.sub("", fold(text))
