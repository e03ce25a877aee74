"""Report writers: terminal (rich), JSON, self-contained HTML, JUnit XML."""

from __future__ import annotations

import json
from pathlib import Path

from eval.reports.html import render_html
from eval.reports.junit import render_junit
from eval.reports.terminal import print_comparison, print_report


def write_json(data: dict, path: Path) -> None:
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_html(data: dict, path: Path, comparison: dict | None = None) -> None:
    Path(path).write_text(render_html(data, comparison), encoding="utf-8")


def write_junit(data: dict, path: Path) -> None:
    Path(path).write_text(render_junit(data), encoding="utf-8")


__all__ = [
    "print_comparison",
    "print_report",
    "render_html",
    "render_junit",
    "write_html",
    "write_json",
    "write_junit",
]
