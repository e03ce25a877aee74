"""Write one complete index generation: a Chroma collection and a directory with chunks and BM25."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable

from assistant.index.chroma import chroma_target
from assistant.index.embeddings import embedder_id, make_embedding_function
from assistant.index.generation import Manifest, generation_dir, new_generation, save_chunks
from assistant.index.lexical import LexicalIndex
from assistant.index.text import embedding_text, indexed_text
from assistant.models import Chunk
from assistant.settings import Settings

EMBED_BATCH = 32
LEXICAL_DIR = "lexical"


def build_generation(
    client,
    settings: Settings,
    chunks: list[Chunk],
    previous: Manifest | None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Manifest:
    """Build a new generation; on any failure remove what was written of it and re-raise."""
    generation, name = new_generation(settings)
    directory = generation_dir(settings, generation)
    ef = make_embedding_function(settings)
    try:
        vectors = _embeddings(client, ef, chunks, previous, progress)
        collection = client.create_collection(
            name,
            embedding_function=ef,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedder": embedder_id(settings), "generation": generation},
        )
        add_chunks(client, collection, chunks, vectors, progress)
        save_chunks(directory, chunks)
        LexicalIndex.build([indexed_text(c) for c in chunks]).save(directory / LEXICAL_DIR)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        _delete_quietly(client, name)
        raise
    return Manifest(
        generation=generation,
        collection=name,
        embedder=embedder_id(settings),
        chroma=chroma_target(settings),
        chunks=len(chunks),
    )


def _embeddings(client, ef, chunks: list[Chunk], previous: Manifest | None, progress) -> list:
    known = _reusable_embeddings(client, ef, previous, [c.id for c in chunks])
    # shortest first: a batch is padded to its longest text
    todo = sorted((c for c in chunks if c.id not in known), key=lambda c: len(embedding_text(c)))
    for start in range(0, len(todo), EMBED_BATCH):
        batch = todo[start : start + EMBED_BATCH]
        for chunk, vector in zip(batch, ef([embedding_text(c) for c in batch]), strict=True):
            known[chunk.id] = vector
        if progress:
            progress("embed", min(start + EMBED_BATCH, len(todo)), len(todo))
    return [known[c.id] for c in chunks]


def _reusable_embeddings(client, ef, previous: Manifest | None, ids: list[str]) -> dict:
    """Embeddings of chunk ids the previous generation already has (content-hash ids)."""
    if previous is None or not ids:
        return {}
    try:
        collection = client.get_collection(previous.collection, embedding_function=ef)
    except Exception:  # gone or unreadable: embed everything again
        return {}
    found: dict = {}
    step = client.get_max_batch_size()
    for start in range(0, len(ids), step):
        got = collection.get(ids=ids[start : start + step], include=["embeddings"])
        found.update(zip(got["ids"], got["embeddings"], strict=True))
    return found


def add_chunks(client, collection, chunks: list[Chunk], vectors: list, progress) -> None:
    step = client.get_max_batch_size()
    for start in range(0, len(chunks), step):
        batch = chunks[start : start + step]
        collection.add(
            ids=[c.id for c in batch],
            embeddings=vectors[start : start + step],
            documents=[c.text for c in batch],
            metadatas=[
                {"source": c.source, "title": c.title, "section": c.section, "ordinal": c.ordinal}
                for c in batch
            ],
        )
        if progress:
            progress("write", min(start + step, len(chunks)), len(chunks))


def generation_is_intact(client, settings: Settings, manifest: Manifest) -> bool:
    if not (generation_dir(settings, manifest.generation) / LEXICAL_DIR).is_dir():
        return False
    try:
        return client.get_collection(manifest.collection, embedding_function=None).count() == manifest.chunks
    except Exception:
        return False


def drop_collections(client, settings: Settings, keep: str) -> None:
    """Delete this index's other generations (the previous one, and any left by a crash)."""
    prefix = f"{settings.collection}-g"
    for collection in client.list_collections():
        name = collection if isinstance(collection, str) else collection.name
        if name.startswith(prefix) and name != keep:
            _delete_quietly(client, name)


def _delete_quietly(client, name: str) -> None:
    with contextlib.suppress(Exception):
        client.delete_collection(name)
