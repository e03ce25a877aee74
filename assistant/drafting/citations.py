"""Numbered sections for the prompt, and the `[n]` citations in a drafted reply.

The model is given sections numbered 1..N. Its answer cites them inline (`[1]`, `【2】`, `[1, 3]`).
`resolve_citations` keeps the citations that exist, drops (and reports) the others, and renumbers
the kept ones 1..M in the order of the returned sources, so `[k]` in the reply is `sources[k-1]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.models import SearchResult

_CITATION = re.compile(r"\s?[\[【［]\s*(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\s*[\]】］]")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([，。！？；：,.!?;:])")


@dataclass(frozen=True)
class NumberedSection:
    """A retrieved section as the prompt shows it: `[number] section` then its text."""

    number: int
    section: str
    title: str
    text: str


@dataclass(frozen=True)
class Citations:
    reply: str  # the text with only valid citations, renumbered to match `sources`
    sources: tuple[SearchResult, ...]  # the cited sections, best first (all given when none cited)
    dropped: tuple[int, ...]  # citation numbers that matched no given section
    cited: bool  # whether the answer cited anything valid


def numbered(sources: tuple[SearchResult, ...] | list[SearchResult]) -> list[NumberedSection]:
    return [NumberedSection(i, s.section, s.title, s.text) for i, s in enumerate(sources, start=1)]


def cited_numbers(text: str) -> list[int]:
    """Every number cited in the text, in order of appearance (duplicates kept)."""
    return [int(n) for match in _CITATION.finditer(text) for n in re.findall(r"\d+", match.group(1))]


def resolve_citations(text: str, given: tuple[SearchResult, ...]) -> Citations:
    numbers = cited_numbers(text)
    valid = sorted({n for n in numbers if 1 <= n <= len(given)})
    dropped = tuple(sorted({n for n in numbers if not 1 <= n <= len(given)}))
    renumber = {old: new for new, old in enumerate(valid, start=1)}

    def replace(match: re.Match[str]) -> str:
        kept = [renumber[int(n)] for n in re.findall(r"\d+", match.group(1)) if int(n) in renumber]
        kept = sorted(set(kept))
        return " " + "".join(f"[{k}]" for k in kept) if kept else ""

    reply = _tidy(_CITATION.sub(replace, text))
    sources = tuple(given[n - 1] for n in valid) if valid else tuple(given)
    return Citations(reply=reply, sources=sources, dropped=dropped, cited=bool(valid))


def strip_citations(text: str) -> str:
    """The reply without any `[n]` markers (what a customer would read)."""
    return _tidy(_CITATION.sub("", text))


def _tidy(text: str) -> str:
    lines = [_SPACE_BEFORE_PUNCT.sub(r"\1", " ".join(line.split())) for line in text.strip().splitlines()]
    return "\n".join(lines).strip()
