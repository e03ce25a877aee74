"""One place for width, script and whitespace folding, shared by cleaning and by retrieval.

Decision on width: NFKC folds full-width Latin letters, digits and ASCII symbols to half-width
(`ＡＢＣ１２３` → `ABC123`), but NFKC would also turn the Chinese punctuation `，：；！？（）` into
ASCII. Those marks are kept full-width so that text stays readable Chinese and the splitter's
headings (`（一）`, `步骤1：`) keep one form. `。、“”‘’《》【】「」…` are untouched by NFKC anyway.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Chinese punctuation that NFKC would fold to ASCII and that we keep as it is.
KEPT_PUNCTUATION = frozenset("，：；！？（）～")

_HORIZONTAL_SPACE = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_BLANK_LINES = re.compile(r"\n{2,}")


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


def fold_width(text: str) -> str:
    """NFKC for everything except the Chinese punctuation in KEPT_PUNCTUATION."""
    if text.isascii():
        return text
    return "".join(ch if ch in KEPT_PUNCTUATION else unicodedata.normalize("NFKC", ch) for ch in text)


def to_simplified(text: str) -> str:
    """Traditional → Simplified Chinese with OpenCC's `t2s` table (one converter per process)."""
    return _t2s().convert(text) if not text.isascii() else text


def fold_whitespace(text: str) -> str:
    """Line ends to `\\n`, runs of spaces to one space, lines stripped, no blank lines."""
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (_HORIZONTAL_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n", "\n".join(lines)).strip("\n")


def normalize_text(text: str) -> str:
    """Width (NFKC, Chinese punctuation kept), Traditional→Simplified, whitespace collapsed.

    Used by `clean_text` and by the retriever for queries and BM25 tokens, so a query typed in
    Traditional script or with full-width characters meets the index in the same form.
    Newlines are kept (one per line break); other whitespace runs become one space.
    """
    return fold_whitespace(to_simplified(fold_width(text)))


def search_key(text: str) -> str:
    """`normalize_text`, lower-cased: the one form messages, sections and cues are compared in."""
    return normalize_text(text).lower()
