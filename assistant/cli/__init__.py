"""The `assistant` command. A thin shell: parse input, call the core, show the result.

Each subcommand lives in its own module under `assistant.cli` and registers itself on `app`.
Heavy libraries (chromadb, gradio, langchain) are imported inside the command functions, never
at module level, so that `assistant guard` starts fast.
"""

from __future__ import annotations

import os
import sys

import typer

app = typer.Typer(
    name="assistant",
    help="客服回复助手：检索服务手册、起草回复、合规检查、人工审核。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """客服回复助手。加 --debug 可在出错时查看完整回溯。"""


# Subcommand modules: each one is imported for its side effect of registering on `app`.
COMMAND_MODULES = ("guard", "ingest", "search", "draft", "serve", "users", "audit", "eval", "bench")


def _register_commands() -> None:
    import importlib
    import importlib.util

    for name in COMMAND_MODULES:
        module = f"assistant.cli.{name}"
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module)


def debug_enabled() -> bool:
    return os.environ.get("ASSISTANT_DEBUG") == "1"


def _user_error_types() -> tuple[type[BaseException], ...]:
    from assistant.errors import AssistantError
    from guardrails.errors import GuardrailsError

    return (AssistantError, GuardrailsError)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: one clear line on stderr for user errors, traceback only with --debug."""
    args = list(sys.argv[1:] if argv is None else argv)
    if "--debug" in args:
        args.remove("--debug")
        os.environ["ASSISTANT_DEBUG"] = "1"
    _register_commands()
    user_errors = _user_error_types()
    try:
        # standalone mode: Typer itself reports usage errors and exits with their codes
        app(args=args, prog_name="assistant")
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        raise SystemExit(130) from None
    except user_errors as exc:
        if debug_enabled():
            raise
        print(f"错误：{exc}", file=sys.stderr)
        raise SystemExit(2) from None
    except Exception as exc:  # an unexpected failure: still one line unless --debug
        if debug_enabled():
            raise
        print(f"内部错误：{type(exc).__name__}: {exc}（加 --debug 查看详细信息）", file=sys.stderr)
        raise SystemExit(1) from None
