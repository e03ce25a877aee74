"""Reading standard input for the CLI: strict UTF-8, so bad bytes are one clear error."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TextIO

from assistant.errors import InputError


def _stream(what: str) -> TextIO:
    if sys.stdin is None or sys.stdin.isatty():
        raise InputError(f"请提供{what}：作为参数，或通过标准输入。")
    sys.stdin.reconfigure(encoding="utf-8", errors="strict")
    return sys.stdin


def read_text(what: str) -> str:
    """All of standard input; `what` names it in the error ("要检查的文本")."""
    try:
        return _stream(what).read()
    except UnicodeDecodeError as exc:
        raise InputError(f"标准输入不是 UTF-8 文本（第 {exc.start} 字节附近）。") from None


def read_lines(what: str) -> Iterator[tuple[int, str]]:
    """(line number, line) for each non-blank line; a line that is not UTF-8 stops with its number.

    Lines are read as bytes and decoded one by one, so the lines before a bad one are all handled.
    """
    stream = _stream(what).buffer
    for number, raw in enumerate(stream, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(f"第 {number} 行不是 UTF-8 文本。") from None
        if line.strip():
            yield number, line
