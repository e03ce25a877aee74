"""`assistant search QUERY [--k N] [--json]`: hybrid search over the index."""

from __future__ import annotations

import json

import typer

from assistant.cli import app


@app.command()
def search(
    query: str = typer.Argument(..., help="要检索的问题或客户原话。"),
    k: int = typer.Option(None, "--k", min=1, max=50, help="返回条数（默认取设置 top_k）。"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON 列表（id、title、section、text、score）。"),
) -> None:
    """在服务手册索引中检索（BM25 + 向量 + 情形，RRF 融合）。"""
    from assistant.errors import InputError
    from assistant.index.retriever import Retriever
    from assistant.settings import get_settings

    if not query.strip():
        raise InputError("检索内容不能为空")
    settings = get_settings()
    results = Retriever.from_settings(settings).search(query, k=k or settings.top_k)
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=1))
        return
    _print_table(results)


def _print_table(results) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    if not results:
        console.print("没有找到相关内容。")
        return
    table = Table(show_lines=True)
    for column in ("#", "章节", "内容", "得分"):
        table.add_column(column, overflow="fold")
    for rank, result in enumerate(results, start=1):
        text = result.text if len(result.text) <= 120 else result.text[:120] + "…"
        table.add_row(str(rank), Text(result.section), Text(text), f"{result.score:.4f}")
    console.print(table)
