"""`assistant guard [TEXT] [--json | --jsonl] [--suspects]`: check replies against the packs.

TEXT or standard input. `--jsonl` reads one `{"text": ...}` object per line and writes one
result per line, in order. `--suspects` adds the learned second opinion's suspect clauses (a
`suspects` list beside the verdict, which stays the rules'). The exit status is 0 whenever the
check ran, whatever the verdict; unusable input is one clear line on stderr and status 2.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import typer

from assistant.cli import app
from assistant.cli.stdin import read_lines, read_text
from assistant.errors import InputError

if TYPE_CHECKING:
    from guardrails import GuardResult


@app.command()
def guard(
    text: str = typer.Argument(None, help="要检查的回复；省略时从标准输入读取。"),
    as_json: bool = typer.Option(False, "--json", help="输出一个 JSON 结果。"),
    jsonl: bool = typer.Option(False, "--jsonl", help='每行读一个 {"text": ...}，每行输出一个结果。'),
    suspects: bool = typer.Option(False, "--suspects", help="同时给出模型提示的可疑句子（不影响结论）。"),
) -> None:
    """检查回复是否含禁用语、过度承诺、内部联系方式或客户资料。"""
    import guardrails

    if as_json and jsonl:
        raise InputError("--json 与 --jsonl 只能选一个。")
    if jsonl:
        if text is not None:
            raise InputError("--jsonl 从标准输入逐行读取，不接受 TEXT 参数。")
        for number, line in read_lines("JSONL 输入"):
            _write_line(_to_json(guardrails.check(_text_of(line, number), suspects).to_dict()))
        return
    reply = text if text is not None else read_text("要检查的文本")
    result = guardrails.check(reply, suspects)
    if as_json:
        _write_line(_to_json(result.to_dict()))
    else:
        _write_human(result)


def _text_of(line: str, number: int) -> str:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"第 {number} 行不是有效的 JSON：{exc.msg}（第 {exc.colno} 列）。") from None
    if not isinstance(item, dict) or "text" not in item:
        raise InputError(f'第 {number} 行应为 {{"text": ...}} 对象。')
    if not isinstance(item["text"], str):
        raise InputError(f"第 {number} 行的 text 应为字符串，实际是 {type(item['text']).__name__}。")
    return item["text"]


def _to_json(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (from "\ud800" escapes): keep them escaped
        return json.dumps(data)
    return text


def _write_line(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


_VERDICT = {"pass": "通过", "warn": "提醒", "block": "拦截"}


def _write_human(result: GuardResult) -> None:
    lines = [f"结论：{_VERDICT[result.verdict]}（{result.verdict}）"]
    for v in result.violations:
        lines.append(f"- [{v.severity}] {v.rule} {v.start}-{v.end}「{v.text}」{v.message}")
        if v.suggestion:
            lines.append(f"  建议：{v.suggestion}")
    for s in result.suspects:
        lines.append(f"- [疑似 {s.score:.2f}] {s.category} {s.start}-{s.end}「{s.text}」{s.message}")
    _write_line("\n".join(lines))
