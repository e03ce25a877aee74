"""`assistant draft [MESSAGE] [--json | --jsonl] [--drafter auto|offline|llm] [--channel chat|phone]`.

MESSAGE or standard input. `--jsonl` reads one `{"message", "history", "channel"}` object per line
and writes one result per line, in order. A line that cannot be used (not JSON, no message, a bad
role or channel) gives `{"error": "...", "line": N}` in its place and the other lines still run;
the exit status is then 1. Problems that concern every line (no index, `--drafter llm` with the
LLM unreachable) stop the run with one line on stderr, as for any command.
"""

from __future__ import annotations

import json
import sys

import typer

from assistant.cli import app
from assistant.cli.stdin import read_lines, read_text


@app.command()
def draft(
    message: str = typer.Argument(None, help="客户消息；省略时从标准输入读取。"),
    as_json: bool = typer.Option(False, "--json", help="输出一个 JSON 结果。"),
    jsonl: bool = typer.Option(
        False, "--jsonl", help="逐行读入 JSON（message/history/channel），逐行输出结果。"
    ),
    drafter: str = typer.Option("auto", "--drafter", help="auto（默认：已配置大模型则用之）| offline | llm"),
    channel: str = typer.Option("chat", "--channel", help="chat（在线文字）| phone（电话）"),
    prompt: str = typer.Option(
        None, "--prompt", help="提示词版本，如 draft_reply@2（默认取 ASSISTANT_PROMPT）。"
    ),
) -> None:
    """根据服务手册起草客服回复：引用章节、合规检查、必要时自动修正。"""
    from assistant.drafting import DraftService
    from assistant.errors import InputError
    from assistant.settings import get_settings

    if as_json and jsonl:
        raise InputError("--json 与 --jsonl 只能选一个。")
    if jsonl and message is not None:
        raise InputError("--jsonl 从标准输入逐行读取，不能同时给出 MESSAGE。")
    service = DraftService(get_settings())
    if jsonl:
        failed = _run_jsonl(service, drafter, channel, prompt)
        if failed:
            typer.echo(f"{failed} 行无法处理，见输出中的 error。", err=True)
            raise typer.Exit(1)
        return
    text = message if message is not None else read_text("客户消息")
    result = service.draft(_request(text, [], channel), drafter=drafter, prompt=prompt)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
    else:
        _print_draft(result)


def _request(message: object, history: object, channel: object):
    """A DraftRequest from loosely typed input; InputError names what is wrong."""
    from assistant.errors import InputError
    from assistant.models import DraftRequest, Turn

    if not isinstance(message, str) or not message.strip():
        raise InputError("缺少客户消息（message）。")
    if channel not in ("chat", "phone"):
        raise InputError(f"未知的渠道：{channel}（可选：chat、phone）")
    if not isinstance(history, list):
        raise InputError("history 应为列表。")
    turns = []
    for turn in history:
        if not isinstance(turn, dict) or turn.get("role") not in ("customer", "agent"):
            raise InputError('history 的每一项应为 {"role": "customer"|"agent", "text": ...}。')
        if not isinstance(turn.get("text"), str):
            raise InputError("history 中缺少 text。")
        turns.append(Turn(role=turn["role"], text=turn["text"]))
    return DraftRequest(message=message.strip(), history=tuple(turns), channel=channel)


def _run_jsonl(service, drafter: str, channel: str, prompt: str | None) -> int:
    from assistant.errors import InputError

    failed = 0
    for number, line in read_lines("JSONL 输入"):
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise InputError("每行应为一个 JSON 对象。")
            request = _request(data.get("message"), data.get("history") or [], data.get("channel") or channel)
            out = service.draft(request, drafter=drafter, prompt=prompt).to_dict()
        except (ValueError, InputError) as exc:
            failed += 1
            reason = f"不是合法的 JSON：{exc.msg}" if isinstance(exc, json.JSONDecodeError) else str(exc)
            out = {"error": reason, "line": number}
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return failed


def _print_draft(result) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console()
    colour = {"pass": "green", "warn": "yellow", "block": "red"}[result.guard.verdict]
    label = result.prompt or "离线"
    console.print(f"[bold]回复[/]（{result.drafter}，{label}，合规：[{colour}]{result.guard.verdict}[/]）")
    console.print(escape(result.reply), highlight=False)
    if result.notice:
        console.print(f"\n[yellow]提示：{escape(result.notice)}[/]")
    if result.sources:
        console.print("\n[bold]依据[/]")
        for number, source in enumerate(result.sources, start=1):
            console.print(escape(f"  [{number}] {source.section}"), highlight=False)
    if result.guard.violations:
        console.print("\n[bold]合规问题[/]")
        for v in result.guard.violations:
            hint = f" → 建议：{v.suggestion}" if v.suggestion else ""
            console.print(f"  [{colour}]{v.severity}[/] “{escape(v.text)}” {escape(v.message)}{escape(hint)}")
    if result.hints:
        console.print("\n[bold]给客服的提示（不发送给客户）[/]")
        for h in result.hints:
            console.print(f"  · {escape(h.situation)}：{escape(h.advice)}", highlight=False)
