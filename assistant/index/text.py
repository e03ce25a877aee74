"""Query and chunk text as the index sees it: normalised, with the heading path in front."""

from __future__ import annotations

from assistant.corpus.normalize import search_key
from assistant.models import Chunk


def normalize(text: str) -> str:
    """Traditional→Simplified, width, whitespace, lower case: the corpus's own folding."""
    return search_key(text)


def indexed_text(chunk: Chunk) -> str:
    """What both retrievers index for a chunk: its heading path, then its body."""
    return f"{chunk.section}\n{chunk.text}"


EMBED_CHARS = 256  # USE's cost grows faster than length; a section's start carries its topic


def embedding_text(chunk: Chunk) -> str:
    """What the dense embedder sees: the last two headings and the start of the body."""
    headings = " > ".join(chunk.section.split(" > ")[-2:])
    return f"{headings}\n{chunk.text}"[:EMBED_CHARS]
