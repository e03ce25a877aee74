"""The lab's bridge to the scenario suite: list scenarios, run two prompt versions, show results.

Everything rendered here is escaped: drafts, assertion details and scenario text are data.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from assistant.settings import Settings
from assistant.ui import render


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
) -> dict[str, list[Any]]:
    """Run the chosen scenarios once per prompt version; outcomes grouped by prompt ref."""
    from eval.runner import Runner
    from eval.scenario import load_scenarios

    chosen = set(scenario_ids)
    suite = load_scenarios()
    picked = type(suite)(tuple(s for s in suite.scenarios if s.id in chosen), suite.origins, suite.files)
    drafter = "llm" if settings.llm_configured else "offline"
    runner = Runner(settings, drafter=drafter, prompts=list(refs), retriever=retriever)
    report = runner.run(picked)
    grouped: dict[str, list[Any]] = {ref: [] for ref in runner.prompts}
    for outcome in report.outcomes:
        grouped.setdefault(outcome.prompt, []).append(outcome)
    return grouped


def outcomes_html(ref: str, outcomes: Sequence[Any]) -> str:
    parts = [f"<h4>{html.escape(ref)}</h4>"]
    passed = sum(o.passed for o in outcomes)
    parts.append(f"<p>通过 {passed}/{len(outcomes)}</p>")
    parts.extend(_outcome_html(o) for o in outcomes)
    return "\n".join(parts)


def _outcome_html(outcome: Any) -> str:
    run = outcome.shown
    mark = "✅" if outcome.passed else "❌"
    rows = "".join(
        "<li>{} {}：{}</li>".format(
            "⏭" if a.skipped else ("✅" if a.passed else "❌"), html.escape(a.name), html.escape(a.detail)
        )
        for a in run.assertions
    )
    error = f"<p class='banner banner-notice'>{html.escape(run.error)}</p>" if run.error else ""
    return (
        f"<details open class='lab-outcome'><summary>{mark} {html.escape(outcome.id)}"
        f" <span class='muted'>{html.escape(outcome.section)}</span></summary>"
        f"{error}<div class='lab-reply'>{_marked_reply(run.reply, run.violations)}</div>"
        f"<ul>{rows}</ul></details>"
    )


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
