"""The run as the CLI drives it: load, run with a progress bar, write reports, apply the gates."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assistant.settings import Settings
from eval.baseline import compare, load_baseline
from eval.cassette import CASSETTE_DIR
from eval.reports import print_comparison, print_report, write_html, write_json, write_junit
from eval.runner import Runner
from eval.scenario import load_scenarios


def run_and_gate(
    console: Console,
    settings: Settings,
    *,
    scenarios: Path | None,
    drafter: str,
    prompts: list[str],
    filters: list[str],
    jobs: int,
    repeat: int,
    outputs: dict[str, Path | None],
    baseline: Path | None,
    min_pass_rate: float,
    force: bool = False,
    show_all: bool = False,
    cassette_dir: Path | None = None,
) -> int:
    """Returns the exit code: 0 when every gate holds, 1 when one fails (each says why)."""
    scenario_set = load_scenarios(scenarios).filtered(filters)
    base = load_baseline(baseline) if baseline else None
    runner = Runner(
        settings,
        drafter=drafter,  # type: ignore[arg-type]
        prompts=prompts,
        repeat=repeat,
        jobs=jobs,
        cassette_dir=cassette_dir or CASSETTE_DIR,
    )
    total = len(scenario_set.scenarios) * len(runner.prompts) * repeat
    with Progress(
        TextColumn("评测中"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("eval", total=total)
        report = runner.run(scenario_set, on_run=lambda _run: progress.advance(task))
    data = report.to_dict()
    comparison = compare(base, data, force=force).to_dict() if base is not None else None
    if comparison is not None:
        data["comparison"] = comparison
    _write(outputs, data, comparison)
    print_report(console, data, show_all=show_all)
    if comparison is not None:
        print_comparison(console, comparison)
    failures = gate_failures(data, min_pass_rate, comparison)
    for message in failures:
        console.print(f"[bold red]未通过门槛：[/]{message}")
    return 1 if failures else 0


def _write(outputs: dict[str, Path | None], data: dict, comparison: dict | None) -> None:
    if outputs.get("json"):
        write_json(data, outputs["json"])  # type: ignore[arg-type]
    if outputs.get("html"):
        write_html(data, outputs["html"], comparison)  # type: ignore[arg-type]
    if outputs.get("junit"):
        write_junit(data, outputs["junit"])  # type: ignore[arg-type]


def gate_failures(data: dict, min_pass_rate: float, comparison: dict | None) -> list[str]:
    summary, failures = data["summary"], []
    if summary["replay_misses"]:
        failures.append(f"回放缺少录制（fail closed）：{'、'.join(summary['replay_misses'])}")
    for prompt, rate in summary["by_prompt"].items():
        if rate["pass_rate"] < min_pass_rate:
            failures.append(f"{prompt} 通过率 {rate['pass_rate']:.0%} 低于门槛 {min_pass_rate:.0%}")
    if comparison is not None and comparison["regressions"]:
        failures.append(
            f"与基线相比有 {len(comparison['regressions'])} 项退步：{'；'.join(comparison['regressions'][:5])}"
        )
    return failures
