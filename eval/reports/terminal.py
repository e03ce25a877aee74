"""The terminal report: a rich table of scenarios and a summary line."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table


def print_report(console: Console, data: dict, *, show_all: bool = False) -> None:
    summary = data["summary"]
    table = Table(title="场景评测", show_lines=False)
    for column in ("场景", "提示词", "章节", "得分", "结果", "未通过的断言"):
        table.add_column(column, overflow="fold")
    for s in data["scenarios"]:
        if s["passed"] and not show_all:
            continue
        failed = [a["name"] for a in s["assertions"] if a["passed"] is False]
        verdict = "[green]通过[/]" if s["passed"] else "[red]失败[/]"
        runs = f" {s['runs_passed']}/{s['runs']}" if s["runs"] > 1 else ""
        table.add_row(
            s["id"],
            s["prompt"],
            s["section"],
            f"{s['score']:.2f}",
            verdict + runs,
            "、".join(failed) or (s.get("error") or ""),
        )
    if table.row_count:
        console.print(table)
    for prompt, rate in summary["by_prompt"].items():
        console.print(f"[bold]{prompt}[/]：{rate['passed']}/{rate['total']} 通过（{rate['pass_rate']:.0%}）")
    extra = (
        f"，pass^{summary['repeat']}，单次通过率 {summary['pass_at_1']:.0%}" if summary["repeat"] > 1 else ""
    )
    console.print(
        f"共 {summary['total']} 项，通过 {summary['passed']}，通过率 {summary['pass_rate']:.0%}{extra}，用时 {summary['duration_s']:.1f} 秒"
    )


def print_comparison(console: Console, comparison: dict) -> None:
    changed = comparison["changed_fingerprint"]
    if changed:
        console.print("与基线相比改动了：" + "；".join(f"{k}: {v[0]} → {v[1]}" for k, v in changed.items()))
    for title, key, style in (("退步", "regressions", "red"), ("进步", "improvements", "green")):
        items = comparison[key]
        console.print(f"[{style}]{title} {len(items)} 项[/]")
        for item in items:
            console.print(f"  [{style}]·[/] {item}")
    for title, key in (("基线独有的场景", "only_in_baseline"), ("本次新增的场景", "only_in_run")):
        if comparison[key]:
            console.print(f"{title}：{'、'.join(comparison[key])}")
