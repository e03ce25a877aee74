"""Ingest: make the index mirror a set of files, never leaving it half-written.

All files are loaded and split before anything is written; an unreadable file raises InputError
and the index stays as it was. The new generation reuses the embeddings of unchanged chunks.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from assistant.errors import InputError
from assistant.index.chroma import chroma_target, make_client
from assistant.index.embeddings import embedder_id
from assistant.index.generation import (
    Manifest,
    generation_dir,
    read_manifest,
    remove_stale_dirs,
    write_manifest,
)
from assistant.index.writer import build_generation, drop_collections, generation_is_intact
from assistant.models import Chunk, IngestReport
from assistant.settings import Settings, get_settings

# progress(stage, done, total): stage is "load", "embed" or "write"
Progress = Callable[[str, int, int], None]


def ingest(
    paths: Sequence[Path] | None = None, settings: Settings | None = None, progress: Progress | None = None
) -> IngestReport:
    """Make the index mirror `paths` (files or folders; None = the bundled manual)."""
    settings = settings or get_settings()
    files, chunks = load_corpus(paths, progress)
    return apply_corpus(files, chunks, settings, progress)


def load_corpus(
    paths: Sequence[Path] | None, progress: Progress | None = None
) -> tuple[dict[str, str], list[Chunk]]:
    """Load and split every file first: {source: content hash} and all chunks, in order."""
    from assistant import corpus

    found = corpus.bundled_manual_paths() if not paths else corpus.discover([Path(p) for p in paths])
    if not found:
        raise InputError("没有找到可导入的文件")
    files: dict[str, str] = {}
    chunks: list[Chunk] = []
    for done, path in enumerate(found, start=1):
        try:
            document = corpus.load_document(path)
            pieces = corpus.split_document(document)
        except InputError:
            raise
        except (OSError, UnicodeError, ValueError) as exc:
            raise InputError(f"无法读取文件 {path}：{exc}") from exc
        files[document.path] = document.content_hash
        chunks.extend(pieces)
        if progress:
            progress("load", done, len(found))
    return files, chunks


def diff_report(old: dict[str, str], new: dict[str, str], chunks: int) -> IngestReport:
    return IngestReport(
        added=tuple(sorted(s for s in new if s not in old)),
        updated=tuple(sorted(s for s in new if s in old and old[s] != new[s])),
        removed=tuple(sorted(s for s in old if s not in new)),
        unchanged=tuple(sorted(s for s in new if old.get(s) == new[s])),
        chunks=chunks,
    )


def apply_corpus(
    files: dict[str, str], chunks: list[Chunk], settings: Settings, progress: Progress | None = None
) -> IngestReport:
    """Write a new generation for these chunks unless the live one already mirrors them."""
    chunks = list({c.id: c for c in reversed(chunks)}.values())[::-1]  # drop duplicate ids, keep order
    with _ingest_lock(settings):
        old = read_manifest(settings)
        report = diff_report(old.files if old else {}, files, len(chunks))
        compatible = old is not None and old.embedder == embedder_id(settings)
        compatible = compatible and old.chroma == chroma_target(settings)
        client = make_client(settings)
        changed = report.added or report.updated or report.removed
        if compatible and not changed and generation_is_intact(client, settings, old):
            return report
        manifest = build_generation(client, settings, chunks, old if compatible else None, progress)
        manifest = Manifest(**{**manifest.__dict__, "files": dict(files), "created": time.time()})
        write_manifest(settings, manifest)
        _drop_previous(client, settings, manifest, old)
        return report


def _drop_previous(client, settings: Settings, live: Manifest, old: Manifest | None) -> None:
    if old is not None and old.chroma == live.chroma:
        drop_collections(client, settings, keep=live.collection)
    remove_stale_dirs(settings, keep=live.generation)


def index_exists(settings: Settings) -> bool:
    manifest = read_manifest(settings)
    return manifest is not None and generation_dir(settings, manifest.generation).is_dir()


@contextmanager
def _ingest_lock(settings: Settings) -> Iterator[None]:
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(settings.index_dir / ".ingest.lock", os.O_CREAT | os.O_RDWR, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError("另一个导入正在进行，请稍后再试") from None
        yield
    finally:
        os.close(fd)
