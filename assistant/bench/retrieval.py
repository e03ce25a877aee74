"""Retrieval benchmark: cold ingest, warm search latency, quality per mode, and a synthetic large corpus."""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from rich.table import Table

from assistant.bench import p50, percentile, timings_ms
from assistant.settings import Settings

QUERIES = ["客户说电话里听不清楚", "你们寄错颜色了", "我都等了二十分钟了", "怎么申请退款", "客戶聲音很小"]
# Warm latency is timed over distinct messages: the situation matcher remembers its last few texts,
# so repeating a handful of queries would time its memory, not a search.
MIN_DISTINCT = 50


def run(console, quick: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-retrieval-") as tmp:
        settings = Settings(data_dir=Path(tmp) / "bundled")
        _bundled(console, settings, quick)
        _quality(console, settings)
        _synthetic(console, Settings(data_dir=Path(tmp) / "synthetic"), 5_000 if quick else 50_000)


def _bundled(console, settings: Settings, quick: bool) -> None:
    from assistant.index.ingest import ingest
    from assistant.index.retriever import Retriever

    t0 = time.perf_counter()
    report = ingest(None, settings)
    cold_s = time.perf_counter() - t0
    console.print(f"冷启动导入内置手册：{cold_s:.2f} s，{report.chunks} 个片段（目标 ≤ 10 s）")
    retriever = Retriever.from_settings(settings)
    _latency_table(console, retriever, "内置手册", repeat=MIN_DISTINCT if quick else 150)


def distinct_messages() -> list[str]:
    """The dev sets' messages, each once, in file order (the held-out sets are never used here)."""
    from assistant.index.quality import dev_files, load_queries

    messages = [q.message for path in dev_files() for q in load_queries(path)]
    return list(dict.fromkeys(messages + QUERIES))


def _latency_table(console, retriever, label: str, repeat: int) -> None:
    messages = distinct_messages()
    repeat = min(repeat, len(messages) - 3)  # 3 warm-up calls, then each message at most once
    table = Table(title=f"检索延迟（{label}，{len(retriever)} 个片段，预热后，{repeat} 条不同的消息，ms）")
    for column in ("模式", "p50", "p95"):
        table.add_column(column)
    modes = {
        "hybrid": retriever.search,
        "bm25": retriever.search_lexical,
        "dense": retriever.search_dense,
    }
    for name, search in modes.items():
        queries = iter(messages)
        times = timings_ms(lambda s=search, q=queries: s(next(q), 5), repeat=repeat)
        table.add_row(name, f"{p50(times):.1f}", f"{percentile(times, 95):.1f}")
    console.print(table)


def _quality(console, settings: Settings) -> None:
    from assistant.index.quality import evaluate_modes, held_out_files, load_query_sets
    from assistant.index.retriever import Retriever

    paths = held_out_files()
    if not paths:
        console.print("没有留出查询集 eval/retrieval_queries*.yaml，跳过质量评估。")
        return
    retriever = Retriever.from_settings(settings)
    for name, queries in load_query_sets(paths).items():
        table = Table(title=f"检索质量（{name}，{len(queries)} 条标注查询，目标 hybrid recall@3 ≥ 0.9）")
        # Only the number of misses: the held-out messages themselves must not be read while tuning.
        for column in ("模式", "recall@1", "recall@3", "MRR", "前3未命中数"):
            table.add_column(column)
        for q in evaluate_modes(retriever, queries):
            table.add_row(
                q.mode, f"{q.recall_at_1:.2f}", f"{q.recall_at_3:.2f}", f"{q.mrr:.2f}", str(len(q.misses))
            )
        console.print(table)


def _synthetic(console, settings: Settings, size: int) -> None:
    """A large corpus from recombined manual sentences; vectors from a USE-embedded pool plus noise."""
    from assistant.index.retriever import Retriever
    from assistant.index.synthetic import write_synthetic_index

    rng = random.Random(7)
    stats = write_synthetic_index(settings, size, rng)
    console.print(
        f"合成语料 {size} 个片段：向量化 {stats.embed_rate:.0f} 片段/s（USE，{settings.threads} 线程，"
        f"抽样 {stats.embedded} 个）；写入 Chroma {stats.chroma_rate:.0f} 片段/s；"
        f"BM25 建索引 {stats.lexical_rate:.0f} 片段/s；"
        f"估计端到端导入 {stats.end_to_end_rate:.0f} 片段/s"
    )
    retriever = Retriever.from_settings(settings)
    _latency_table(console, retriever, "合成语料（目标 hybrid p50 ≤ 100 ms）", repeat=MIN_DISTINCT)
