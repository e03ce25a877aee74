"""Guard benchmark: replies/s and p99 on ~40- and ~500-character replies (half of them violating,
and clean ones alone), next to a naive substring scan of the manual's list (8.4.2) in the same
run, for the rules alone (`check`) and with the learned second opinion (`check(text,
suspects=True)`, what the desk shows), and the floor of the design (`Engine.floor`: normalising
and the one scan, nothing decided); catch and false-flag rates on the labelled set and, in
aggregate only (totals per category, never items), on every independent held-out set
(`tests/guardrails/data/heldout*.yaml`) and on the dev sets (`dev_*.yaml`: earlier held-out sets
and batches written as independently, tuned on), both ways; the import time of `guardrails`."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from rich.table import Table

from assistant.bench import percentile

# The manual's own list (001 §8.4.2 服务禁用语 and §8.4.3 保证), as a naive scan would use it.
NAIVE_LIST = (
    "不清楚", "不知道", "不可以", "很贵的，您买不起", "您没有经济能力就别来买", "您这么穷呀",
    "这么一点钱您都付不起", "没钱别来凑热闹", "去问其他客服吧", "去营业厅问吧", "不要再问了",
    "烦不烦", "急什么", "我就是这样的服务", "不服可以投诉我", "我怕您呀", "查询结果应该准确", "保证",
)  # fmt: skip
DATA = Path(__file__).resolve().parents[2] / "tests" / "guardrails" / "data"
SHORT = (
    "您好，您的订单已发货，快递单号SF1234567890，预计明天送达，请注意查收。",
    "这个我也不知道，您去问其他客服吧。",
)
LONG_PART = "非常抱歉让您久等了，经核实您的宽带已恢复正常，退款128.50元将在3个工作日内原路退回，请注意查收。"


def naive_scan(text: str) -> bool:
    return any(phrase in text for phrase in NAIVE_LIST)


def _replies(length: int, violating: bool = True) -> list[str]:
    """200 replies of about `length` characters, every other one violating (none without
    `violating`)."""
    out = []
    for i in range(200):
        ending = SHORT[i % 2 if violating else 0]
        base = ending if length < 100 else (LONG_PART * 8)[: length - 20] + ending[:20]
        out.append(f"{i}{base}")
    return out


def _measure(fn, texts: list[str], rounds: int) -> tuple[float, float]:
    """Replies per second and p99 latency in ms, one call per reply, after one untimed pass (the
    engine compiles a regex when it first runs it; start-up is measured on its own)."""
    for text in texts:
        fn(text)
    timings = []
    for _ in range(rounds):
        for text in texts:
            t0 = time.perf_counter()
            fn(text)
            timings.append((time.perf_counter() - t0) * 1000)
    return len(timings) / (sum(timings) / 1000), percentile(timings, 99)


def _rates(flagged) -> tuple[float, float, int, int] | None:
    import yaml

    if not (DATA / "labelled.yaml").exists():
        return None
    data = yaml.safe_load((DATA / "labelled.yaml").read_text(encoding="utf-8"))
    bad = [t for items in data["violating"].values() for t in items]
    lines = (DATA / "standard_phrases.txt").read_text(encoding="utf-8").splitlines()
    good = data["clean"] + [x.strip() for x in lines if x.strip() and not x.startswith("#")]
    caught = sum(1 for t in bad if flagged(t))
    false = sum(1 for t in good if flagged(t))
    return caught / len(bad), false / len(good), len(bad), len(good)


@dataclass(frozen=True)
class HeldoutRates:
    """Aggregate held-out figures: caught / total per category, and clean replies flagged."""

    caught: dict[str, tuple[int, int]]
    false_flags: int
    clean: int

    @property
    def catch_rate(self) -> float:
        return sum(c for c, _ in self.caught.values()) / max(1, sum(t for _, t in self.caught.values()))


def is_caught(engine, item: dict, suspects: bool = False) -> bool:
    """Caught when every offending word is overlapped by a violation (block or warn), or with
    `suspects`, by a violation or a suspect clause; the rule of every labelled set's `words`
    (tests/guardrails/test_heldout.py uses it too)."""
    result = engine.check(item["text"], suspects)
    text, violations = item["text"], (*result.violations, *result.suspects)

    def covered(word: str) -> bool:
        spans = [(m.start(), m.end()) for m in re.finditer(re.escape(word), text)]
        return any(v.start < end and v.end > start for v in violations for start, end in spans)

    return all(covered(word) for word in item["words"])


def heldout_sets() -> list[tuple[str, Path]]:
    """The guard's held-out sets, labelled: every independent `heldout*.yaml` in name order, then
    the dev sets (`dev_*.yaml`): held-out sets retired once tuning had read them, and batches written
    as independently but meant to be tuned on."""
    sets = [(f"held-out ({path.name})", path) for path in sorted(DATA.glob("heldout*.yaml"))]
    sets += [(f"dev, tuned on ({path.name})", path) for path in sorted(DATA.glob("dev_*.yaml"))]
    return sets


def heldout_rates(engine, path: Path, suspects: bool = False) -> HeldoutRates:
    """One held-out set's aggregate figures (totals per category, never items); with `suspects`,
    the second opinion's suspect clauses count as flags too."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    caught: dict[str, list[int]] = {}
    for item in data["violating"]:
        counts = caught.setdefault(item["category"], [0, 0])
        counts[0] += is_caught(engine, item, suspects)
        counts[1] += 1
    false_flags = sum(1 for item in data["clean"] if _flagged(engine.check(item["text"], suspects)))
    return HeldoutRates({k: (c, t) for k, (c, t) in sorted(caught.items())}, false_flags, len(data["clean"]))


def _flagged(result) -> bool:
    return bool(result.violations or result.suspects)


def _print_heldout(console, engine) -> None:
    for label, path in heldout_sets():
        rules, hinted = heldout_rates(engine, path), heldout_rates(engine, path, suspects=True)
        table = Table(f"{label}: category", "rules: caught / total", "+ second opinion")
        for category, (caught, total) in rules.caught.items():
            table.add_row(category, f"{caught} / {total}", f"{hinted.caught[category][0]} / {total}")
        total = sum(t for _, t in rules.caught.values())
        table.add_row(
            "all",
            f"{sum(c for c, _ in rules.caught.values())} / {total} = {rules.catch_rate:.1%}",
            f"{sum(c for c, _ in hinted.caught.values())} / {total} = {hinted.catch_rate:.1%}",
        )
        table.add_row("clean flagged", *(_share(r.false_flags, r.clean) for r in (rules, hinted)))
        console.print(table)


def _row(ours: tuple[float, float], naive: tuple[float, float]) -> tuple[str, str, str]:
    return f"{ours[0]:,.0f}", f"{ours[1]:.4f}", f"{ours[0] / naive[0]:.3f}"


def _share(part: int, whole: int) -> str:
    return f"{part} / {whole} = {part / max(1, whole):.1%}"


def _import_seconds() -> float:
    code = "import time; t = time.perf_counter(); import guardrails; guardrails.check('不知道'); print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def run(console, quick: bool) -> None:
    import guardrails

    engine = guardrails.load_engine()
    rounds = 3 if quick else 25
    table = Table("replies", "scanner", "replies/s", "p99 ms", "ours / naive")
    for label, length in (("~40 chars", 40), ("~500 chars", 500)):
        texts = _replies(length)
        ours = _measure(engine.check, texts, rounds)
        naive = _measure(naive_scan, texts, rounds)
        hinted = _measure(lambda text: engine.check(text, suspects=True), texts, rounds)
        table.add_row(label, "naive substring", f"{naive[0]:,.0f}", f"{naive[1]:.4f}", "")
        table.add_row(label, "guardrails", *_row(ours, naive))
        table.add_row(label, "guardrails + second opinion", *_row(hinted, naive))
        floor = _measure(engine.floor, texts, rounds)  # normalise + the one scan, nothing decided
        table.add_row(label, "floor: normalise + scan only", *_row(floor, naive))
        clean = _replies(length, violating=False)  # what the guard mostly sees: drafts pass
        ours, naive = _measure(engine.check, clean, rounds), _measure(naive_scan, clean, rounds)
        table.add_row(label, "guardrails, clean replies only", *_row(ours, naive))
    console.print(table)
    quality = Table("scanner", "catch rate", "false-flag rate", "violating / clean")
    for name, flagged in (
        ("naive substring", naive_scan),
        ("guardrails", lambda t: engine.check(t).violations),
    ):
        rates = _rates(flagged)
        if rates:
            quality.add_row(name, f"{rates[0]:.1%}", f"{rates[1]:.1%}", f"{rates[2]} / {rates[3]}")
    console.print(quality)
    _print_heldout(console, engine)
    console.print(f"import guardrails + first check: {_import_seconds() * 1000:.0f} ms")
