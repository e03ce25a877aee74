"""Benchmarks. Each module here defines `run(console, quick: bool) -> None` and prints its figures.

Performance targets live here, not in timed unit tests: report medians and ratios.
"""

from __future__ import annotations

import importlib
import pkgutil
import statistics
import time
from collections.abc import Callable

from rich.console import Console

from assistant.errors import InputError


def available() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def run_all(only: list[str] | None = None, quick: bool = False) -> None:
    console = Console()
    names = available()
    unknown = sorted(set(only or ()) - set(names))
    if unknown:
        raise InputError(f"没有这些基准：{', '.join(unknown)}；可选：{', '.join(names)}")
    for name in only or names:
        console.rule(f"[bold]{name}")
        importlib.import_module(f"{__name__}.{name}").run(console, quick)


def timings_ms(fn: Callable[[], object], repeat: int, warmup: int = 3) -> list[float]:
    """Call fn `repeat` times after `warmup` calls; return each call's wall time in ms."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def p50(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]
