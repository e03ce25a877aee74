"""Chunking: each section whole when short, else cut on sentence ends, never inside a quote."""

from __future__ import annotations

import hashlib
import re

from assistant.corpus.headings import hash_heading, inline_markers
from assistant.corpus.sections import split_sections
from assistant.models import Chunk, Document

PATH_SEPARATOR = " > "
_SENTENCE_END = frozenset("。！？!?")
_CLAUSE_END = frozenset("；;，,")
_OPENERS = {"“": "”", "「": "」"}
_CLOSERS = frozenset(_OPENERS.values())
_MAX_TITLE = 40


def derive_title(cleaned: str, fallback: str) -> str:
    """The document's own title: its first line, cut before a glued first heading (`手册一、…`).

    A first line that is the document's own top heading (`# 退款政策`) is the title as it stands.
    """
    first = cleaned.split("\n", 1)[0].strip()
    own = hash_heading(first)
    if own:
        return first[own.start : own.end] if own.kind == "hash:1" else fallback
    markers = [m for m in inline_markers(first) if m.start > 0 and m.kind != "chapter"]
    if markers:
        first = first[: markers[0].start].strip()
    starts_with_heading = bool(inline_markers(first[:8])) and inline_markers(first[:8])[0].start == 0
    if 2 <= len(first) <= _MAX_TITLE and not starts_with_heading and not re.search(r"[。！？]", first):
        return first
    return fallback


def split_document(doc: Document, max_chars: int = 400) -> list[Chunk]:
    """Chunks of a loaded document, in order, each with its heading path and a content-hash id."""
    chunks: list[Chunk] = []
    seen: set[str] = set()
    for section in split_sections(doc.text, doc.title):
        path = PATH_SEPARATOR.join(section.path)
        for text in split_body(section.text, max_chars):
            chunk_id = chunk_hash(doc.path, path, text)
            if chunk_id in seen:
                continue
            seen.add(chunk_id)
            chunks.append(Chunk(chunk_id, doc.path, doc.title, path, text, len(chunks)))
    return chunks


def chunk_hash(source: str, section: str, text: str) -> str:
    return hashlib.sha256(f"{source}\x1f{section}\x1f{text}".encode()).hexdigest()[:16]


def split_body(text: str, max_chars: int) -> list[str]:
    """`text` whole if it fits, else pieces of at most `max_chars` cut at sentence ends.

    Cuts happen only outside quotes, so a quoted example phrase is never split; a single sentence
    longer than `max_chars` is cut at clause ends (`；，`), and a quote longer than that stays whole.
    """
    text = text.strip()
    if len(text) <= max_chars:
        return [text] if text else []
    pieces: list[str] = []
    for sentence in _cut(text, _SENTENCE_END):
        pieces.extend(_cut(sentence, _CLAUSE_END) if len(sentence) > max_chars else [sentence])
    return _pack(pieces, max_chars)


def _cut(text: str, ends: frozenset[str]) -> list[str]:
    """Split after each end mark (or newline) that is outside any quote."""
    pieces: list[str] = []
    start = 0
    depth = 0
    for index, char in enumerate(text):
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(0, depth - 1)
        elif char == "\n":
            depth = 0
        if depth == 0 and (char in ends or char == "\n" or char in _CLOSERS):
            if char in _CLOSERS and not _ends_sentence(text, index, ends):
                continue
            pieces.append(text[start : index + 1])
            start = index + 1
    if start < len(text):
        pieces.append(text[start:])
    return [p for p in pieces if p.strip()]


def _ends_sentence(text: str, index: int, ends: frozenset[str]) -> bool:
    """A closing quote ends a sentence when the quoted text itself ended with one (`…吗？”`)."""
    return index > 0 and text[index - 1] in ends


def _pack(pieces: list[str], max_chars: int) -> list[str]:
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        if current and len(current) + len(piece) > max_chars:
            chunks.append(current.strip())
            current = ""
        current += piece
    if current.strip():
        chunks.append(current.strip())
    return chunks
