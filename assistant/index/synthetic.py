"""A large synthetic index for the benchmark: manual sentences recombined into many chunks.

Embedding 50,000 chunks with USE on 2 cores takes minutes, so a sample is embedded to measure the
rate, and every chunk gets a pooled vector plus noise; Chroma and BM25 get the full corpus.
"""

from __future__ import annotations

import hashlib
import random
import re
import time
from dataclasses import dataclass

import numpy as np

from assistant.index.chroma import chroma_target, make_client
from assistant.index.embeddings import embedder_id, make_embedding_function
from assistant.index.generation import Manifest, generation_dir, new_generation, save_chunks, write_manifest
from assistant.index.lexical import LexicalIndex
from assistant.index.text import embedding_text, indexed_text
from assistant.index.writer import LEXICAL_DIR, add_chunks
from assistant.models import Chunk
from assistant.settings import Settings

POOL = 256


@dataclass(frozen=True)
class SyntheticStats:
    chunks: int
    embedded: int
    embed_rate: float  # chunks/s through USE
    chroma_rate: float  # chunks/s into Chroma
    lexical_rate: float  # chunks/s tokenised and indexed by BM25
    end_to_end_rate: float  # estimate: 1 / sum of the per-chunk times


def synthetic_chunks(size: int, rng: random.Random) -> list[Chunk]:
    from assistant.index.ingest import load_corpus

    _, base = load_corpus(None)
    sentences = [s for c in base for s in re.split(r"(?<=[。！？])", c.text) if len(s) > 4]
    sections = [c.section for c in base]
    chunks = []
    for i in range(size):
        text = "".join(rng.sample(sentences, k=min(4, len(sentences))))
        section = f"合成 {i // 50} > {rng.choice(sections)}"
        cid = hashlib.sha256(f"{i}\n{section}\n{text}".encode()).hexdigest()[:32]
        chunks.append(Chunk(cid, f"synthetic-{i // 500}.txt", "合成文档", section, text, i))
    return chunks


def write_synthetic_index(settings: Settings, size: int, rng: random.Random) -> SyntheticStats:
    chunks = synthetic_chunks(size, rng)
    ef = make_embedding_function(settings)
    sample = chunks[: min(POOL, size)]
    t0 = time.perf_counter()
    pool = np.asarray(ef([embedding_text(c) for c in sample]), dtype=np.float32)
    embed_s = (time.perf_counter() - t0) / len(sample)
    noise = np.random.default_rng(7).normal(0, 0.05, (size, pool.shape[1])).astype(np.float32)
    vectors = pool[np.arange(size) % len(pool)] + noise
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)

    client = make_client(settings)
    generation, name = new_generation(settings)
    collection = client.create_collection(
        name, embedding_function=ef, configuration={"hnsw": {"space": "cosine"}}
    )
    t0 = time.perf_counter()
    add_chunks(client, collection, chunks, list(vectors), None)
    chroma_s = (time.perf_counter() - t0) / size
    directory = generation_dir(settings, generation)
    t0 = time.perf_counter()
    LexicalIndex.build([indexed_text(c) for c in chunks]).save(directory / LEXICAL_DIR)
    lexical_s = (time.perf_counter() - t0) / size
    save_chunks(directory, chunks)
    write_manifest(
        settings,
        Manifest(generation, name, embedder_id(settings), chroma_target(settings), {}, size, time.time()),
    )
    return SyntheticStats(
        size, len(sample), 1 / embed_s, 1 / chroma_s, 1 / lexical_s, 1 / (embed_s + chroma_s + lexical_s)
    )
