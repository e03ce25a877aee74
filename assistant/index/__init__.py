"""The search index: Chroma (dense) and bm25s (lexical) generations behind one manifest.

Public entry points: `ingest()` builds or updates the index; `Retriever.from_settings()` searches it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.index.ingest import ingest
    from assistant.index.retriever import Retriever

__all__ = ["Retriever", "ingest"]


def __getattr__(name: str):  # lazy: importing the package must stay cheap
    if name == "ingest":
        from assistant.index.ingest import ingest

        return ingest
    if name == "Retriever":
        from assistant.index.retriever import Retriever

        return Retriever
    raise AttributeError(name)
