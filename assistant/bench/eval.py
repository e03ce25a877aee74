"""Scenario suite speed: the full offline suite (target ≤ 30 s), and 50 scenarios with -j 8 against a
local OpenAI-compatible server that answers in 1 s (target ≤ 10 s)."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console

from assistant.errors import IndexMissingError
from assistant.settings import REPO_DIR, Settings, get_settings


def _indexed_settings(console: Console, scratch: Path) -> Settings:
    settings = get_settings()
    try:
        from assistant.index import Retriever

        Retriever.from_settings(settings)
        return settings
    except IndexMissingError:
        from assistant.index import ingest

        console.print("索引不存在：把内置手册索引到临时目录")
        settings = settings.model_copy(update={"data_dir": scratch / "data"})
        ingest(None, settings)
        return settings


def _timed_run(runner, scenarios) -> float:
    t0 = time.perf_counter()
    report = runner.run(scenarios)
    return time.perf_counter() - t0, report


def run(console: Console, quick: bool) -> None:
    from eval.runner import Runner
    from eval.scenario import ScenarioSet, load_scenarios

    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        settings = _indexed_settings(console, scratch)
        suite = load_scenarios()
        seconds, report = _timed_run(Runner(settings, drafter="offline"), suite)
        summary = report.summary()
        console.print(
            f"离线全套 {summary['total']} 个场景：{seconds:.1f} 秒（目标 ≤ 30 秒），通过率 {summary['pass_rate']:.0%}"
        )
        if str(REPO_DIR) not in sys.path:
            sys.path.insert(0, str(REPO_DIR))
        from tests.support import OpenAIServer, Reply

        count = 10 if quick else 50
        subset = ScenarioSet(suite.scenarios[:count], suite.origins, suite.files)
        answer = "对不起，让您久等了，我会尽快帮您查询，请稍等。"
        with OpenAIServer(
            responder=lambda body: Reply("PASS\n好" if "评分标准" in str(body) else answer, delay_s=1.0)
        ) as server:
            llm = settings.model_copy(update={"openai_base_url": server.base_url, "model": "bench-model"})
            runner = Runner(llm, drafter="llm", jobs=8, cassette_dir=scratch / "cassettes")
            seconds, _ = _timed_run(runner, subset)
            calls = len(server.requests)
        console.print(
            f"-j 8、服务器每次 1 秒：{count} 个场景 {seconds:.1f} 秒（{calls} 次调用；目标 50 个 ≤ 10 秒）"
        )
