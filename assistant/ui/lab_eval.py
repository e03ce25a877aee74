"""The lab's bridge to the scenario suite: list scenarios, run two prompt versions, show them side by side.

Only the LLM drafter uses a prompt template. With no LLM configured the comparison still runs
(on the offline drafter, whose drafts are the same for every version) and says so plainly.
Everything rendered here is escaped: drafts, assertion details and scenario text are data.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistant.settings import Settings
from assistant.ui import render

OFFLINE_NOTICE = (
    "未配置大模型（OPENAI_BASE_URL / OPENAI_API_KEY），本次对比由离线起草器完成。"
    "离线起草器不使用提示词模板，两个版本的草稿完全相同；下面的断言和合规检查只反映离线草稿。"
    "要比较提示词版本，请先配置大模型。"
)
LAB_CASSETTES = "lab-cassettes"  # under the data dir: the lab's LLM answers, never in the repository


@dataclass(frozen=True)
class Comparison:
    """Chosen scenarios run once per prompt version."""

    refs: tuple[str, ...]  # as asked, e.g. ("draft_reply@1", "draft_reply@2")
    drafter: str  # "llm" or "offline"
    scenarios: tuple[Any, ...]  # eval.scenario.Scenario, in the suite's order
    outcomes: dict[tuple[str, str], Any]  # (prompt ref, scenario id) -> ScenarioOutcome

    @property
    def notice(self) -> str | None:
        return OFFLINE_NOTICE if self.drafter == "offline" else None


def scenario_choices() -> list[tuple[str, str]]:
    """(label, id) for every bundled scenario; empty while the suite has none."""
    from eval.scenario import load_scenarios

    try:
        scenarios = load_scenarios().scenarios
    except Exception:  # a broken or missing suite must not break the lab's listing
        return []
    return [(f"{s.id} · {s.section}", s.id) for s in scenarios]


def run_versions(
    settings: Settings, refs: Sequence[str], scenario_ids: Sequence[str], retriever: Any = None
) -> Comparison:
    """Run the chosen scenarios once per prompt version (LLM when configured, else offline)."""
    from eval.runner import Runner
    from eval.scenario import load_scenarios
    from prompts import open_store

    chosen = set(scenario_ids)
    suite = load_scenarios()
    picked = type(suite)(tuple(s for s in suite.scenarios if s.id in chosen), suite.origins, suite.files)
    drafter = "llm" if settings.llm_configured else "offline"
    runner = Runner(
        settings,
        drafter=drafter,
        prompts=list(refs),
        retriever=retriever,
        cassette_dir=settings.data_dir / LAB_CASSETTES,
    )
    by_prompt = {(o.prompt, o.id): o for o in runner.run(picked).outcomes}
    resolved = {
        ref: open_store(settings.prompts_dir).load(ref).ref for ref in refs
    }  # a label or a version: name@version
    outcomes = {(ref, s.id): by_prompt.get((resolved[ref], s.id)) for ref in refs for s in picked.scenarios}
    return Comparison(tuple(refs), drafter, picked.scenarios, outcomes)


def comparison_html(comparison: Comparison) -> str:
    """One row per scenario, one column per version: draft, assertions, guard findings."""
    refs = comparison.refs
    drafter = "大模型起草" if comparison.drafter == "llm" else "离线起草（未使用模板）"
    head = "".join(
        f"<th>{html.escape(ref)}<br><span class='muted'>{drafter} · 通过 "
        f"{_passed(comparison, ref)}/{len(comparison.scenarios)}</span></th>"
        for ref in refs
    )
    rows = "".join(_row(comparison, scenario) for scenario in comparison.scenarios)
    return (
        f"<table class='lab-table'><thead><tr><th>场景</th>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def _passed(comparison: Comparison, ref: str) -> int:
    return sum(
        1
        for s in comparison.scenarios
        if (o := comparison.outcomes.get((ref, s.id))) is not None and o.passed
    )


def _row(comparison: Comparison, scenario: Any) -> str:
    message = scenario.request().message
    first = (
        f"<td><b>{html.escape(scenario.id)}</b><br><span class='muted'>{html.escape(scenario.section)}</span>"
        f"<div class='lab-message'>客户：{html.escape(message)}</div></td>"
    )
    cells = "".join(
        _cell(comparison.outcomes.get((ref, scenario.id)), ref, scenario.id) for ref in comparison.refs
    )
    return f"<tr>{first}{cells}</tr>"


def _cell(outcome: Any, ref: str, scenario_id: str) -> str:
    if outcome is None:
        return "<td class='muted'>（未运行）</td>"
    run = outcome.shown
    mark = "<span class='ok'>✓ 通过</span>" if outcome.passed else "<span class='bad'>✗ 未通过</span>"
    error = f"<p class='banner banner-notice'>{html.escape(run.error)}</p>" if run.error else ""
    checks = "".join(
        "<li>{} {}：{}</li>".format(
            "–" if a.skipped else ("✓" if a.passed else "✗"), html.escape(a.name), html.escape(a.detail)
        )
        for a in run.assertions
    )
    return (
        f"<td class='lab-cell' data-ref='{html.escape(ref)}' data-scenario='{html.escape(scenario_id)}'>"
        f"<div class='lab-verdict'>{mark} <span class='muted'>得分 {run.score:.2f}</span></div>{error}"
        f"<div class='lab-reply'>{_marked_reply(run.reply, run.violations)}</div>"
        f"<div class='lab-findings'><b>合规检查</b>{_findings(run.violations)}</div>"
        f"<details class='lab-assertions'><summary>断言 {len(run.assertions)} 条</summary>"
        f"<ul>{checks}</ul></details></td>"
    )


def _findings(violations: Sequence[dict]) -> str:
    if not violations:
        return "<span class='muted'>：无问题</span>"
    items = "".join(
        "<li>{} · {}「{}」：{}</li>".format(
            html.escape(render.SEVERITY_LABELS.get(v["severity"], v["severity"])),
            html.escape(render.category_label(v["category"])),
            html.escape(v["text"]),
            html.escape(v.get("message") or ""),
        )
        for v in violations
    )
    return f"<ul>{items}</ul>"


def _marked_reply(reply: str, violations: Sequence[dict]) -> str:
    """The draft with the guard's spans wrapped in <mark>, every piece escaped."""

    class Span:
        def __init__(self, v: dict):
            self.start, self.end, self.category = v["start"], v["end"], v["category"]

    pieces = render.highlight_value(reply, [Span(v) for v in violations])
    return "".join(
        f"<mark title='{html.escape(label)}'>{html.escape(text)}</mark>" if label else html.escape(text)
        for text, label in pieces
    )
