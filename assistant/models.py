"""Data that crosses layers: frozen dataclasses, never bare dicts or tuples."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from guardrails import GuardResult


@dataclass(frozen=True)
class Document:
    """One source file after loading and cleaning."""

    path: str  # as given (bundled files: relative name such as "001_e68bded2fad828ac.txt")
    title: str
    # Cleaned text. The file's own headings appear as Markdown "#" lines; a leading backslash escapes a plain "#".
    text: str
    content_hash: str  # sha256 of the raw bytes


@dataclass(frozen=True)
class Chunk:
    """A retrievable piece of a document: a whole short section or part of a long one."""

    id: str  # content hash of (source, section, text)
    source: str  # Document.path
    title: str  # document title
    section: str  # heading path, " > " separated
    text: str  # the chunk's body (without the heading path)
    ordinal: int = 0  # position in the document, for stable ordering


@dataclass(frozen=True)
class SearchResult:
    id: str
    title: str
    section: str
    text: str
    score: float

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class IngestReport:
    added: tuple[str, ...] = field(default=())  # sources
    updated: tuple[str, ...] = field(default=())
    removed: tuple[str, ...] = field(default=())
    unchanged: tuple[str, ...] = field(default=())
    chunks: int = 0


Channel = Literal["chat", "phone"]
Role = Literal["customer", "agent"]


@dataclass(frozen=True)
class Turn:
    role: Role
    text: str


@dataclass(frozen=True)
class DraftRequest:
    message: str
    history: tuple[Turn, ...] = ()
    channel: Channel = "chat"


@dataclass(frozen=True)
class Hint:
    """Advice for the agent (never sent to the customer), from the manual's situations."""

    situation: str
    advice: str
    section: str


@dataclass(frozen=True)
class Draft:
    """One drafted reply, guarded. `to_dict()` is the `assistant draft --json` contract."""

    reply: str
    drafter: str  # "offline" | "llm"
    prompt: str | None  # "draft_reply@2"; None for the offline drafter if it uses no template
    sources: tuple[SearchResult, ...]
    guard: GuardResult
    attempts: int = 1
    notice: str | None = None
    hints: tuple[Hint, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "reply": self.reply,
            "drafter": self.drafter,
            "prompt": self.prompt,
            "sources": [s.to_dict() for s in self.sources],
            "guard": self.guard.to_dict(),
            "attempts": self.attempts,
            "notice": self.notice,
            "hints": [asdict(h) for h in self.hints],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }
