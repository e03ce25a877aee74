"""Retrieval quality over labelled query sets: recall@1, recall@3 and MRR per retrieval mode.

A set is a YAML list of `{id, message, sections}`; a result is a hit when its section path
contains any of the listed heading fragments. The held-out sets are `eval/retrieval_queries*.yaml`
(written by people who never saw the situation catalogue or the lexicon); read only their
aggregates, never their messages or misses. Tune on the dev sets: tests/index/dev_queries*.yaml and
tests/index/dev_heldout_*.yaml (earlier held-out sets, retired to dev once tuning had read them):

    .venv/bin/python -m assistant.index.quality          # held-out aggregates (ingests into a temp folder)
    .venv/bin/python -m assistant.index.quality --dev    # dev aggregates and the ids of the dev misses
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import InputError
from assistant.models import SearchResult
from assistant.settings import REPO_DIR

DEV_DIR = REPO_DIR / "tests" / "index"
LABELLED_QUERIES = DEV_DIR / "dev_heldout_1.yaml"  # the first held-out set, now dev data
HELD_OUT_GLOB = "retrieval_queries*.yaml"
DEV_GLOBS = ("dev_queries*.yaml", "dev_heldout*.yaml", "dev_long_messages*.yaml")
MRR_DEPTH = 10

Search = Callable[[str, int], list[SearchResult]]


@dataclass(frozen=True)
class LabelledQuery:
    id: str
    message: str
    sections: tuple[str, ...]


@dataclass(frozen=True)
class Quality:
    mode: str
    queries: int
    recall_at_1: float
    recall_at_3: float
    mrr: float
    misses: tuple[str, ...]  # ids of queries with no hit in the top 3


def load_queries(path: Path = LABELLED_QUERIES) -> list[LabelledQuery]:
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{path}：无法读取标注查询（{exc}）") from exc
    if not isinstance(data, list):
        raise InputError(f"{path}：应为查询列表")
    queries = []
    for n, item in enumerate(data, start=1):
        try:
            sections = item["sections"]
            sections = (sections,) if isinstance(sections, str) else tuple(str(s) for s in sections)
            queries.append(LabelledQuery(str(item["id"]), str(item["message"]), sections))
        except (KeyError, TypeError) as exc:
            raise InputError(f"{path}：第 {n} 条缺少 id / message / sections（{exc}）") from exc
    return queries


def held_out_files(folder: Path = REPO_DIR / "eval") -> list[Path]:
    """Every held-out query set (`eval/retrieval_queries*.yaml`), in name order."""
    return sorted(folder.glob(HELD_OUT_GLOB))


def dev_files(folder: Path = DEV_DIR) -> list[Path]:
    """Every dev query set (`tests/index/dev_queries*.yaml`, `dev_heldout*.yaml`,
    `dev_long_messages*.yaml`), in name order."""
    return sorted({path for pattern in DEV_GLOBS for path in folder.glob(pattern)})


def labelled_files() -> list[Path]:
    """Every labelled query set, dev and held-out: for checks that only need many realistic messages."""
    return dev_files() + held_out_files()


def load_query_sets(paths: Sequence[Path]) -> dict[str, list[LabelledQuery]]:
    """Each file's queries by file name, then all of them together under "combined" (when several)."""
    sets = {Path(path).name: load_queries(Path(path)) for path in paths}
    if len(sets) > 1:
        sets["combined"] = [q for queries in list(sets.values()) for q in queries]
    return sets


def first_hit_rank(results: Sequence[SearchResult], fragments: Sequence[str]) -> int | None:
    """1-based rank of the first result whose section contains a fragment, or None."""
    for rank, result in enumerate(results, start=1):
        if any(fragment in result.section for fragment in fragments):
            return rank
    return None


def evaluate(mode: str, search: Search, queries: Sequence[LabelledQuery]) -> Quality:
    ranks = [first_hit_rank(search(q.message, MRR_DEPTH), q.sections) for q in queries]
    n = max(1, len(queries))
    return Quality(
        mode=mode,
        queries=len(queries),
        recall_at_1=sum(r == 1 for r in ranks) / n,
        recall_at_3=sum(r is not None and r <= 3 for r in ranks) / n,
        mrr=sum(1 / r for r in ranks if r) / n,
        misses=tuple(q.id for q, r in zip(queries, ranks, strict=True) if r is None or r > 3),
    )


def evaluate_modes(retriever, queries: Sequence[LabelledQuery]) -> list[Quality]:
    """BM25 only, dense only, BM25+dense fused, and the full hybrid (with situations when available)."""
    modes: list[tuple[str, Search]] = [
        ("bm25", retriever.search_lexical),
        ("dense", retriever.search_dense),
        ("bm25+dense", lambda q, k: retriever.search(q, k, situations=False)),
        ("hybrid", retriever.search),
    ]
    return [evaluate(name, search, queries) for name, search in modes]


def main(argv: Sequence[str]) -> int:
    """Print the aggregates per mode, per set and combined; with `--dev`, the dev sets and the ids
    of their hybrid misses (held-out sets: aggregates only, never the messages or the missed ids)."""
    from assistant.index.ingest import ingest
    from assistant.index.retriever import Retriever
    from assistant.settings import Settings

    dev = "--dev" in argv
    paths = [Path(a) for a in argv if a != "--dev"] or (dev_files() if dev else held_out_files())
    if not paths:
        print("没有标注查询集（eval/retrieval_queries*.yaml）", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="retrieval-quality-") as tmp:
        settings = Settings(data_dir=Path(tmp))
        ingest(None, settings)
        retriever = Retriever.from_settings(settings)
        for name, queries in load_query_sets(paths).items():
            for q in evaluate_modes(retriever, queries):
                print(
                    f"{name:28s} {q.mode:10s} n={q.queries:3d} r@1 {q.recall_at_1:.3f} "
                    f"r@3 {q.recall_at_3:.3f} MRR {q.mrr:.3f} top-3 misses {len(q.misses)}"
                )
            if dev and name != "combined":
                print(f"{name:28s} hybrid misses: {' '.join(q.misses) or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
