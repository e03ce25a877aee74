"""Query and chunk text as the index sees it: normalised, with the heading path in front."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from assistant.models import Chunk


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


def _fallback_normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return " ".join(_t2s().convert(text).split()).lower()


def normalize(text: str) -> str:
    """The corpus's own normaliser (Traditional→Simplified, width, whitespace) when it is there."""
    try:
        from assistant.corpus import normalize_text
    except ImportError:  # the corpus package is being written in parallel
        return _fallback_normalize(text)
    return normalize_text(text).lower()


def indexed_text(chunk: Chunk) -> str:
    """What both retrievers index for a chunk: its heading path, then its body."""
    return f"{chunk.section}\n{chunk.text}"


EMBED_CHARS = 256  # USE's cost grows faster than length; a section's start carries its topic


def embedding_text(chunk: Chunk) -> str:
    """What the dense embedder sees: the last two headings and the start of the body."""
    headings = " > ".join(chunk.section.split(" > ")[-2:])
    return f"{headings}\n{chunk.text}"[:EMBED_CHARS]
