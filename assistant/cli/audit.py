"""`assistant audit export`: the audit trail as JSON lines / CSV, or as candidate eval scenarios."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

import typer

from assistant.cli import app

audit_app = typer.Typer(help="审计记录：导出草稿与审核决定。", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@audit_app.command("export")
def export(
    since: str = typer.Option(None, "--since", help="只导出此时间之后的草稿（ISO 日期，UTC）"),
    fmt: str = typer.Option("jsonl", "--format", help="jsonl 或 csv"),
    output: Path = typer.Option(None, "--output", "-o", help="写入文件（默认标准输出）"),
    scenarios: bool = typer.Option(
        False, "--scenarios", help="导出修改后批准和被驳回的草稿为评测场景（YAML）"
    ),
) -> None:
    """导出草稿及其审核决定。"""
    from assistant.errors import InputError
    from assistant.review import REJECT_REASONS
    from assistant.store import AuditStore
    from assistant.store.export import parse_since, write_csv, write_jsonl, write_scenarios

    if fmt not in ("jsonl", "csv"):
        raise InputError(f"未知格式“{fmt}”，可选：jsonl、csv。")
    start = parse_since(since)
    kind: Literal["scenarios", "jsonl", "csv"] = "scenarios" if scenarios else fmt  # type: ignore[assignment]
    with AuditStore.open() as store:
        records = store.records(since=start)
        out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            if kind == "scenarios":
                count = write_scenarios(records, out, REJECT_REASONS)
            elif kind == "csv":
                count = write_csv(records, out)
            else:
                count = write_jsonl(records, out)
        finally:
            if output:
                out.close()
    noun = "个评测场景" if scenarios else "份草稿"
    typer.echo(f"已导出 {count} {noun}" + (f"到 {output}" if output else ""), err=True)
