"""`assistant bench`: run every benchmark module under `assistant.bench` and print its figures."""

from __future__ import annotations

import typer

from assistant.cli import app


@app.command()
def bench(
    only: list[str] = typer.Option(None, "--only", help="Run only these benchmarks (module names)."),
    quick: bool = typer.Option(False, "--quick", help="Fewer repetitions and a smaller synthetic corpus."),
) -> None:
    """运行性能基准（中位数与比值），打印结果。"""
    from assistant.bench import run_all

    run_all(only=only or None, quick=quick)
