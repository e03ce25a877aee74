"""Drafting benchmark: offline draft latency (target p50 ≤ 50 ms warm) and the chain's own overhead
around an LLM call (retrieval + situations + prompt + parse + guard; target p50 ≤ 30 ms), measured
against the test suite's local OpenAI-compatible server answering with zero delay.

"Warm" means the models are loaded and the prompt compiled, not that the message was seen before:
every timed draft is a message not drafted before in the run (the labelled retrieval queries), so
the per-text caches of the matcher and the embedder do not flatter the figures. `warm repeat` shows
what those caches give a message drafted again (the desk re-drafting after an edit).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from rich.table import Table

from assistant.bench import p50, percentile
from assistant.models import DraftRequest
from assistant.settings import REPO_DIR, Settings

MESSAGES = (
    "我都等了二十分钟了，怎么还没人处理？",
    "你们寄错颜色了，我要的是黑色",
    "把你们主管的手机号给我",
    "喂？听得到吗？我这边信号不好",
    "退款都一个星期了还没到账",
)
ANSWER = "您好，微厅客服1229号为您服务。非常抱歉让您久等了 [1]，我会尽快帮您查询，请稍等。请问还有其他可以帮您的吗？"


def run(console, quick: bool) -> None:
    from assistant.index.ingest import ingest

    repeat = 10 if quick else 40
    with tempfile.TemporaryDirectory(prefix="bench-draft-") as tmp:
        settings = Settings(data_dir=Path(tmp))
        ingest(None, settings)
        table = Table("measure", "p50 ms", "p90 ms", "target")
        _offline(table, settings, repeat)
        _llm_overhead(console, table, settings, repeat)
        console.print(table)


def fresh_messages() -> list[str]:
    """Messages for timed drafts, none of them among the warm-up MESSAGES."""
    from assistant.index.quality import labelled_files, load_queries

    found = [q.message for path in labelled_files() for q in load_queries(path)]
    return [m for m in dict.fromkeys(found) if m not in MESSAGES] or list(MESSAGES)


def _offline(table: Table, settings: Settings, repeat: int) -> None:
    from assistant.drafting import DraftService

    service = DraftService(settings)
    for message in MESSAGES:  # warm-up: models loaded, guard and phrasebook caches filled
        service.draft(DraftRequest(message), drafter="offline")
    messages = fresh_messages()[0::2][:repeat]  # the odd ones are the LLM run's
    fresh = [_timed(lambda m=m: service.draft(DraftRequest(m), drafter="offline")) for m in messages]
    again = [_timed(lambda m=m: service.draft(DraftRequest(m), drafter="offline")) for m in messages]
    table.add_row(
        "offline draft (warm, new message)", f"{p50(fresh):.1f}", f"{percentile(fresh, 90):.1f}", "≤ 50"
    )
    table.add_row("offline draft (warm repeat)", f"{p50(again):.1f}", f"{percentile(again, 90):.1f}", "")


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _llm_overhead(console, table: Table, settings: Settings, repeat: int) -> None:
    if not (REPO_DIR / "tests" / "support" / "openai_server.py").exists():
        console.print(
            "[yellow]跳过 LLM 链路开销：需要源码仓库中的 tests/support（本地 OpenAI 兼容服务）。[/]"
        )
        return
    if str(REPO_DIR) not in sys.path:
        sys.path.insert(0, str(REPO_DIR))
    from assistant.drafting import DraftService
    from tests.support import OpenAIServer, Reply

    with OpenAIServer() as server:
        server.script(Reply(ANSWER))
        llm = settings.model_copy(update={"openai_base_url": server.base_url, "openai_api_key": None})
        service = DraftService(llm)
        for message in MESSAGES:  # warm-up: client connected, prompt compiled
            service.draft(DraftRequest(message), drafter="llm")
        totals, overheads = [], []
        for message in fresh_messages()[1::2][:repeat]:  # not the offline run's messages
            start = time.perf_counter()
            draft = service.draft(DraftRequest(message), drafter="llm")
            total = (time.perf_counter() - start) * 1000
            totals.append(total)
            overheads.append(total - draft.timings_ms.get("generate", 0.0))
    table.add_row(
        "LLM draft, zero-delay server (total)", f"{p50(totals):.1f}", f"{percentile(totals, 90):.1f}", ""
    )
    table.add_row(
        "chain overhead around the LLM call",
        f"{p50(overheads):.1f}",
        f"{percentile(overheads, 90):.1f}",
        "≤ 30",
    )
