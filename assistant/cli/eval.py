"""`assistant eval`: replay the manual's scenarios, score the drafts, report, and gate."""

from __future__ import annotations

from pathlib import Path

import typer

from assistant.cli import app


@app.command("eval")
def eval_command(
    scenarios: Path = typer.Option(None, "--scenarios", help="场景文件或目录（默认：内置场景集）。"),
    drafter: str = typer.Option("offline", "--drafter", help="offline | llm（录制）| replay（只用录制）。"),
    prompt: list[str] = typer.Option(None, "--prompt", help="NAME@VERSION；给两个以上即做版本对比矩阵。"),
    filter_: list[str] = typer.Option(None, "--filter", help="只跑带此标签（或 id、章节片段）的场景。"),
    jobs: int = typer.Option(1, "-j", "--jobs", help="同时进行的起草数（大模型调用）。"),
    repeat: int = typer.Option(1, "--repeat", help="每个场景重复 K 次，报告 pass^k。"),
    json_path: Path = typer.Option(None, "--json", help="写 JSON 报告。"),
    html_path: Path = typer.Option(None, "--html", help="写自包含 HTML 报告。"),
    junit_path: Path = typer.Option(None, "--junit", help="写 JUnit XML。"),
    baseline: Path = typer.Option(None, "--baseline", help="与此 JSON 报告逐项比较；有退步即失败。"),
    min_pass_rate: float = typer.Option(0.9, "--min-pass-rate", min=0, max=1, help="通过率门槛。"),
    force: bool = typer.Option(False, "--force", help="指纹不可比时仍与基线比较。"),
    show_all: bool = typer.Option(False, "--all", help="表格里也列出通过的场景。"),
    cassettes: Path = typer.Option(None, "--cassettes", help="录制目录（默认 eval/cassettes）。"),
) -> None:
    """回放服务手册场景，评分并生成报告；未达门槛时以非零状态退出。"""
    from rich.console import Console

    from assistant.settings import get_settings
    from eval.gate import run_and_gate

    console = Console(stderr=False)
    code = run_and_gate(
        console,
        get_settings(),
        scenarios=scenarios,
        drafter=drafter,
        prompts=prompt or [],
        filters=filter_ or [],
        jobs=jobs,
        repeat=repeat,
        outputs={"json": json_path, "html": html_path, "junit": junit_path},
        baseline=baseline,
        min_pass_rate=min_pass_rate,
        force=force,
        show_all=show_all,
        cassette_dir=cassettes,
    )
    raise typer.Exit(code)
