"""`assistant serve`: the review desk (Gradio) on 127.0.0.1 by default."""

from __future__ import annotations

import typer

from assistant.cli import app


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="绑定地址；非本机地址需要先配置账号。"),
    port: int = typer.Option(7860, "--port", min=1, max=65535, help="端口。"),
) -> None:
    """启动审核台（网页界面）。"""
    from assistant.settings import get_settings
    from assistant.ui.app import launch

    typer.echo(f"审核台：http://{host}:{port}/", err=True)
    launch(get_settings(), host, port)
