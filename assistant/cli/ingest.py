"""`assistant ingest [PATH ...] [--if-needed]`: make the index mirror the given files."""

from __future__ import annotations

from pathlib import Path

import typer

from assistant.cli import app

STAGES = {"load": "读取并切分文件", "embed": "计算向量", "write": "写入索引"}


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(None, help="文件或目录；不给则导入内置服务手册。"),
    if_needed: bool = typer.Option(False, "--if-needed", help="索引已存在时什么也不做。"),
) -> None:
    """导入文档并建立索引（增量：只处理新增、修改、删除的文件）。"""
    from rich.console import Console

    from assistant.index.ingest import index_exists
    from assistant.index.ingest import ingest as run_ingest
    from assistant.settings import get_settings

    settings = get_settings()
    console = Console()
    if if_needed and index_exists(settings):
        console.print("索引已存在，跳过导入。")
        return
    with _progress_bar(console) as progress:
        report = run_ingest(paths or None, settings, progress=progress)
    _print_report(console, report)


class _progress_bar:
    """A rich progress bar fed by ingest's progress(stage, done, total) callback."""

    def __init__(self, console) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._tasks: dict[str, int] = {}

    def __enter__(self):
        self._bar.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._bar.__exit__(*exc)

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self._tasks:
            self._tasks[stage] = self._bar.add_task(STAGES.get(stage, stage), total=total)
        self._bar.update(self._tasks[stage], completed=done, total=total)


def _print_report(console, report) -> None:
    for label, sources in (("新增", report.added), ("更新", report.updated), ("删除", report.removed)):
        for source in sources:
            console.print(f"{label}：{source}", markup=False)
    console.print(
        f"新增 {len(report.added)}，更新 {len(report.updated)}，删除 {len(report.removed)}，"
        f"未变 {len(report.unchanged)}；共 {report.chunks} 个片段。"
    )
