"""Replays scenarios through the drafting chain and scores every draft.

    runner = Runner(settings, drafter="offline", prompts=["draft_reply@1"], repeat=1, jobs=1)
    report = runner.run(load_scenarios(), on_run=callback)

Runs are (prompt × scenario × repetition); `jobs` bounds how many drafts are in flight (LLM calls
wait on the network, so threads suffice). `llm` records cassettes, `replay` uses only cassettes
and fails closed, naming the scenario, on a miss.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal

from assistant.errors import InputError
from assistant.settings import Settings
from eval.assertions import AssertionResult, EvalContext, rule_pack_results, run_assertion
from eval.cassette import CASSETTE_DIR, CassetteChatModel
from eval.fingerprint import fingerprint
from eval.results import RunReport, ScenarioOutcome, ScenarioRun, score_of
from eval.scenario import Scenario, ScenarioSet

DrafterKind = Literal["offline", "llm", "replay"]
DRAFTERS = ("offline", "llm", "replay")


class Runner:
    def __init__(
        self,
        settings: Settings,
        *,
        drafter: DrafterKind = "offline",
        prompts: Sequence[str] = (),
        repeat: int = 1,
        jobs: int = 1,
        cassette_dir: Path = CASSETTE_DIR,
        retriever: Any = None,
    ):
        if drafter not in DRAFTERS:
            raise InputError(f"未知的起草方式 {drafter}（可选：{'、'.join(DRAFTERS)}）")
        if repeat < 1 or jobs < 1:
            raise InputError("--repeat 与 -j 必须是正整数")
        self.settings = settings
        self.drafter = drafter
        self.prompts = resolve_prompts(prompts or [settings.prompt], settings.prompts_dir)
        self.repeat, self.jobs = repeat, jobs
        self.cassette_dir = Path(cassette_dir)
        self._retriever = retriever
        self._inner = None
        self._offline_service: Any = None
        self._lock = threading.Lock()

    # -- setup ------------------------------------------------------------------------------
    def _shared_retriever(self) -> Any:
        if self._retriever is None:
            from assistant.index import Retriever

            self._retriever = Retriever.from_settings(self.settings)
        return self._retriever

    def _uses_llm(self) -> bool:
        return self.drafter != "offline" or self.settings.llm_configured

    def _inner_model(self) -> Any:
        """The one real chat model (one HTTP client, one connection pool) all drafts share."""
        if self.drafter == "replay":
            return None
        with self._lock:  # -j 8 used to build eight clients at once, about a second each under load
            if self._inner is None:
                from assistant.llm import make_chat_model

                self._inner = make_chat_model(self.settings)
        return self._inner

    def _cassette(self, prompt: str, label: str) -> CassetteChatModel:
        return CassetteChatModel(
            inner=self._inner_model(),
            mode="replay" if self.drafter == "replay" else "record",
            directory=self.cassette_dir,
            model_name=self.settings.model,
            prompt_ref=prompt,
            label=label,
        )

    # -- running ----------------------------------------------------------------------------
    def run(self, scenarios: ScenarioSet, on_run: Callable[[ScenarioRun], None] | None = None) -> RunReport:
        retriever = self._shared_retriever()
        if self.drafter != "offline":
            self._inner_model()  # before the workers start: they only read it
        tasks = [(s, p, k) for p in self.prompts for s in scenarios.scenarios for k in range(self.repeat)]
        started = time.perf_counter()

        def work(task: tuple[Scenario, str, int]) -> ScenarioRun:
            run = self.run_one(*task, retriever=retriever)
            if on_run is not None:
                with self._lock:
                    on_run(run)
            return run

        if self.jobs == 1:
            runs = [work(t) for t in tasks]
        else:
            with ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="eval") as pool:
                runs = list(pool.map(work, tasks))
        return self._report(scenarios, runs, time.perf_counter() - started)

    def run_one(self, scenario: Scenario, prompt: str, repeat: int, retriever: Any = None) -> ScenarioRun:
        t0 = time.perf_counter()
        model = self._cassette(prompt, scenario.id) if self.drafter != "offline" else None
        service = self._service(retriever or self._shared_retriever(), model)
        try:
            draft = service.draft(scenario.request(), drafter=self._service_drafter(), prompt=prompt)
        except Exception as exc:  # one scenario's failure is reported, the run goes on
            return _errored(scenario, prompt, repeat, _miss_or(model, exc), t0)
        if model is not None and model.misses:
            return _errored(scenario, prompt, repeat, _miss_or(model, None), t0)
        judge = self._judge(scenario.id) if self._uses_llm() else None
        results = self._evaluate(scenario, draft, judge)
        score = score_of(results)
        return ScenarioRun(
            scenario_id=scenario.id,
            prompt=prompt,
            repeat=repeat,
            passed=score >= scenario.threshold,
            score=score,
            assertions=results,
            reply=draft.reply,
            sources=tuple(s.section for s in draft.sources),
            violations=tuple(v.to_dict() for v in draft.guard.violations),
            elapsed_ms=(time.perf_counter() - t0) * 1000,
        )

    def _service(self, retriever: Any, model: CassetteChatModel | None) -> Any:
        """One shared service offline; per draft with LLMs, so each cassette knows its scenario."""
        service_class = _draft_service_class()
        if model is not None:
            return service_class(self.settings, retriever=retriever, chat_model=model)
        with self._lock:
            if self._offline_service is None:
                self._offline_service = service_class(self.settings, retriever=retriever)
        return self._offline_service

    def _service_drafter(self) -> str:
        return "offline" if self.drafter == "offline" else "llm"

    def _judge(self, label: str) -> Any:
        from eval.judge import JUDGE_PROMPT, RubricJudge

        return RubricJudge(self._cassette(JUDGE_PROMPT, label))

    def _evaluate(self, scenario: Scenario, draft: Any, judge: Any) -> tuple[AssertionResult, ...]:
        request = scenario.request()
        ctx = EvalContext(
            scenario_id=scenario.id,
            message=request.message,
            reply=draft.reply,
            sources=tuple(draft.sources),
            guard=draft.guard,
            reference=scenario.reference,
            judge=judge,
            history=request.history,
        )
        results = [run_assertion(a, ctx) for a in scenario.assertions]
        results += rule_pack_results(draft.reply, draft.guard)
        if self.drafter != "offline" and draft.drafter != "llm":
            note = draft.notice or "大模型未作答"
            results.append(
                AssertionResult("drafter:llm", "drafter", False, f"由 {draft.drafter} 代答：{note}")
            )
        return tuple(_unique_names(results))

    def _report(self, scenarios: ScenarioSet, runs: list[ScenarioRun], duration: float) -> RunReport:
        by_key: dict[tuple[str, str], list[ScenarioRun]] = {}
        for run in runs:
            by_key.setdefault((run.prompt, run.scenario_id), []).append(run)
        outcomes = tuple(
            ScenarioOutcome(s.id, s.section, s.category, p, tuple(by_key[(p, s.id)]))
            for p in self.prompts
            for s in scenarios.scenarios
        )
        misses = tuple(sorted({r.scenario_id for r in runs if r.error and "回放缺少录制" in r.error}))
        fp = fingerprint(
            self.settings, drafter=self.drafter, prompts=self.prompts, scenario_set=scenarios.digest
        )
        return RunReport(fp, outcomes, duration_s=duration, repeat=self.repeat, replay_misses=misses)


def _draft_service_class() -> Any:
    from assistant.drafting import DraftService

    return DraftService


def resolve_prompts(refs: Sequence[str], prompts_dir: Path | None = None) -> list[str]:
    """`name@label` to `name@version`, validating each template (a broken prompt fails here)."""
    from prompts import open_store

    store = open_store(prompts_dir)
    resolved = []
    for ref in refs:
        template = store.load(ref)
        if template.ref not in resolved:
            resolved.append(template.ref)
    return resolved


def _miss_or(model: CassetteChatModel | None, exc: BaseException | None) -> str:
    if model is not None and model.misses:
        return f"回放缺少录制：场景 {model.label}（{model.prompt_ref}，cassette {model.misses[0]}）"
    return f"起草失败：{type(exc).__name__}: {exc}"


def _errored(scenario: Scenario, prompt: str, repeat: int, error: str, t0: float) -> ScenarioRun:
    result = AssertionResult("draft", "draft", False, error)
    return ScenarioRun(
        scenario.id,
        prompt,
        repeat,
        False,
        0.0,
        (result,),
        error=error,
        elapsed_ms=(time.perf_counter() - t0) * 1000,
    )


def _unique_names(results: list[AssertionResult]) -> list[AssertionResult]:
    seen: dict[str, int] = {}
    out = []
    for result in results:
        count = seen.get(result.name, 0) + 1
        seen[result.name] = count
        if count > 1:
            result = AssertionResult(
                f"{result.name}#{count}",
                result.type,
                result.passed,
                result.detail,
                result.weight,
                result.score,
            )
        out.append(result)
    return out
