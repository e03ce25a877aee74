"""Index generations and the manifest that names the live one.

An ingest writes a complete new generation (a Chroma collection plus a directory with the chunks and
the BM25 index) and then switches `manifest.json` atomically (tmp file + `os.replace`). A crash at
any point leaves the old manifest pointing at the old, complete generation.
"""

from __future__ import annotations

import json
import secrets
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from assistant.fileio import atomic_write_text
from assistant.models import Chunk
from assistant.settings import Settings

MANIFEST_VERSION = 1
CHUNKS_FILE = "chunks.jsonl"


@dataclass(frozen=True)
class Manifest:
    generation: str
    collection: str  # Chroma collection name of this generation
    embedder: str  # embeddings.embedder_id()
    chroma: str  # chroma.chroma_target()
    files: dict[str, str] = field(default_factory=dict)  # source -> content hash
    chunks: int = 0
    created: float = 0.0
    version: int = MANIFEST_VERSION


def manifest_path(settings: Settings) -> Path:
    return settings.index_dir / "manifest.json"


def generations_dir(settings: Settings) -> Path:
    return settings.index_dir / "generations"


def generation_dir(settings: Settings, generation: str) -> Path:
    return generations_dir(settings) / generation


def new_generation(settings: Settings) -> tuple[str, str]:
    """A fresh generation id and its collection name (Chroma: [a-zA-Z0-9._-], 3..512 chars)."""
    generation = f"g{time.strftime('%Y%m%d%H%M%S')}{secrets.token_hex(4)}"
    return generation, f"{settings.collection}-{generation}"


def read_manifest(settings: Settings) -> Manifest | None:
    path = manifest_path(settings)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return None  # unreadable manifest: treated as no index; the next ingest rebuilds
    if data.get("version") != MANIFEST_VERSION:
        return None
    return Manifest(**data)


def write_manifest(settings: Settings, manifest: Manifest) -> None:
    atomic_write_text(manifest_path(settings), json.dumps(asdict(manifest), ensure_ascii=False, indent=1))


def save_chunks(directory: Path, chunks: list[Chunk]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / CHUNKS_FILE).open("w", encoding="utf-8") as fh:
        for chunk in chunks:
            fh.write(json.dumps(asdict(chunk), ensure_ascii=False) + "\n")


def load_chunks(directory: Path) -> list[Chunk]:
    with (directory / CHUNKS_FILE).open(encoding="utf-8") as fh:
        return [Chunk(**json.loads(line)) for line in fh if line.strip()]


def remove_stale_dirs(settings: Settings, keep: str | None) -> None:
    """Delete generation directories other than `keep` (left by a finished or crashed ingest)."""
    root = generations_dir(settings)
    if not root.is_dir():
        return
    for child in root.iterdir():
        if child.name != keep:
            shutil.rmtree(child, ignore_errors=True)
