"""The customer→manual lexicon: query expansion for lexical retrieval, as data a team lead can edit.

    from assistant.situations.lexicon import expand_query
    expand_query("磨磨蹭蹭的，快点")  # → "客户责备客服动作慢 久等"

Each entry maps customer words (`terms`) to the manual's words (`expand`); a message containing any
term gets the entry's words appended to its BM25 query. One pass over the message (Aho-Corasick).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from assistant.index.lexical import term_automaton, whole_word_hits
from assistant.situations.catalogue import CatalogueError, read_yaml_model
from assistant.situations.matcher import normalize

DEFAULT_LEXICON = Path(__file__).resolve().parent.parent / "data" / "lexicon.yaml"


class LexiconEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    terms: tuple[str, ...] = Field(min_length=1, description="Customer words (any one triggers the entry).")
    expand: tuple[str, ...] = Field(min_length=1, description="The manual's words added to the query.")


class Lexicon(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = Field(ge=1)
    entries: tuple[LexiconEntry, ...] = Field(min_length=1)


class QueryExpander:
    """Finds every lexicon term in a message in one pass and returns the manual's words for them."""

    def __init__(self, lexicon: Lexicon) -> None:
        owners: dict[str, set[int]] = {}
        for index, entry in enumerate(lexicon.entries):
            for term in entry.terms:
                key = normalize(term)
                if key:
                    owners.setdefault(key, set()).add(index)
        self._entries = lexicon.entries
        self._automaton = term_automaton(owners)

    def expansions(self, text: str) -> tuple[str, ...]:
        """The manual's words for the terms found in `text`, each once, in entry order."""
        clean = normalize(text)
        if not clean or len(self._automaton) == 0:
            return ()
        hit = sorted({i for who in whole_word_hits(self._automaton, clean) for i in who})
        return tuple(dict.fromkeys(word for i in hit for word in self._entries[i].expand))


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Read and validate a lexicon file (the bundled one by default); errors name file and line."""
    return read_yaml_model(Path(path) if path is not None else DEFAULT_LEXICON, Lexicon, "词表")


@lru_cache(maxsize=1)
def get_expander() -> QueryExpander:
    return QueryExpander(load_lexicon())


def expand_query(text: str) -> str:
    """The manual's words for `text` (space-separated; "" when no term occurs)."""
    return " ".join(get_expander().expansions(text))


__all__ = ["CatalogueError", "Lexicon", "LexiconEntry", "QueryExpander", "expand_query", "load_lexicon"]
