"""A self-contained HTML report: inline CSS and SVG, no scripts, every piece of text escaped."""

from __future__ import annotations

from html import escape

_CSS = """
body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:2rem;color:#222}
h1{font-size:1.4rem}table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.3rem .5rem;
vertical-align:top;text-align:left}.pass{color:#17803d}.fail{color:#b42318}.skip{color:#777}
mark{background:#fcd34d;border-bottom:2px solid #b42318}.draft{background:#f7f7f8;padding:.6rem;white-space:pre-wrap}
.card{border:1px solid #e5e5e5;border-radius:6px;padding:.8rem;margin:1rem 0}code{font-size:.85rem}
"""
_BAR_H, _BAR_GAP, _CHART_W, _LABEL_W = 18, 6, 640, 160


def render_html(data: dict, comparison: dict | None = None) -> str:
    summary = data["summary"]
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>场景评测报告</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>场景评测报告</h1>",
        f"<p>共 {summary['total']} 项，通过 {summary['passed']}，通过率 <b>{summary['pass_rate']:.0%}</b>"
        f"（用时 {summary['duration_s']} 秒）</p>",
        _fingerprint(data["fingerprint"]),
        "<h2>各类别通过率</h2>",
        category_chart(summary["by_category"]),
    ]
    if comparison is not None:
        parts.append(_comparison(comparison))
    failing = [s for s in data["scenarios"] if not s["passed"]]
    parts.append(f"<h2>未通过的场景（{len(failing)}）</h2>")
    parts.extend(_failing_card(s) for s in failing)
    parts.append(_all_table(data["scenarios"]))
    parts.append("</body></html>")
    return "\n".join(parts)


def _fingerprint(fp: dict) -> str:
    rows = "".join(
        f"<tr><th>{escape(str(k))}</th><td><code>{escape(str(v))}</code></td></tr>" for k, v in fp.items()
    )
    return f"<details><summary>指纹</summary><table>{rows}</table></details>"


def category_chart(by_category: dict[str, dict]) -> str:
    """Horizontal bars of pass rate per category, as inline SVG."""
    items = sorted(by_category.items())
    height = len(items) * (_BAR_H + _BAR_GAP) + _BAR_GAP
    bars = []
    for i, (name, rate) in enumerate(items):
        y = _BAR_GAP + i * (_BAR_H + _BAR_GAP)
        width = (_CHART_W - _LABEL_W - 60) * rate["pass_rate"]
        colour = "#17803d" if rate["pass_rate"] >= 1 else "#d97706" if rate["pass_rate"] >= 0.8 else "#b42318"
        bars.append(
            f"<text x='{_LABEL_W - 6}' y='{y + 13}' text-anchor='end' font-size='12'>{escape(name)}</text>"
            f"<rect x='{_LABEL_W}' y='{y}' width='{width:.1f}' height='{_BAR_H}' fill='{colour}'/>"
            f"<text x='{_LABEL_W + width + 4:.1f}' y='{y + 13}' font-size='12'>"
            f"{rate['pass_rate']:.0%} ({rate['passed']}/{rate['total']})</text>"
        )
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{_CHART_W}' height='{height}' role='img' "
        f"aria-label='各类别通过率'>{''.join(bars)}</svg>"
    )


def highlight(reply: str, violations: list[dict]) -> str:
    """The reply with each violation's span marked, escaped piece by piece."""
    out, cursor = [], 0
    for v in sorted(violations, key=lambda v: (v["start"], v["end"])):
        start, end = max(v["start"], cursor), v["end"]
        if start >= end or end > len(reply):
            continue
        out.append(escape(reply[cursor:start]))
        title = escape(f"{v['rule']}（{v['severity']}）：{v['message']}", quote=True)
        out.append(f'<mark title="{title}">{escape(reply[start:end])}</mark>')
        cursor = end
    out.append(escape(reply[cursor:]))
    return "".join(out)


def _failing_card(s: dict) -> str:
    rows = "".join(_assertion_row(a) for a in s["assertions"])
    sources = "；".join(s.get("sources", [])[:3])
    return (
        f"<div class='card'><h3>{escape(s['id'])} <small>{escape(s['section'])} · {escape(s['prompt'])}</small></h3>"
        f"<div class='draft'>{highlight(s.get('reply') or '', s.get('violations', []))}</div>"
        f"<p><small>来源：{escape(sources)}</small></p>"
        + (f"<p class='fail'>{escape(s['error'])}</p>" if s.get("error") else "")
        + f"<table><tr><th>断言</th><th>结果</th><th>说明</th></tr>{rows}</table></div>"
    )


def _assertion_row(a: dict) -> str:
    state = "skip" if a["passed"] is None else "pass" if a["passed"] else "fail"
    word = {"skip": "跳过", "pass": "通过", "fail": "失败"}[state]
    return (
        f"<tr><td>{escape(a['name'])}</td><td class='{state}'>{word}</td><td>{escape(a['detail'])}</td></tr>"
    )


def _comparison(comparison: dict) -> str:
    def items(key: str) -> str:
        return "".join(f"<li>{escape(x)}</li>" for x in comparison[key]) or "<li>无</li>"

    return f"<h2>与基线比较</h2><h3 class='fail'>退步</h3><ul>{items('regressions')}</ul><h3 class='pass'>进步</h3><ul>{items('improvements')}</ul>"


def _all_table(scenarios: list[dict]) -> str:
    rows = "".join(
        f"<tr><td>{escape(s['id'])}</td><td>{escape(s['prompt'])}</td><td>{escape(s['category'])}</td>"
        f"<td>{escape(s['section'])}</td><td class='{'pass' if s['passed'] else 'fail'}'>"
        f"{'通过' if s['passed'] else '失败'}</td><td>{s['score']:.2f}</td></tr>"
        for s in scenarios
    )
    return f"<h2>全部场景</h2><table><tr><th>场景</th><th>提示词</th><th>类别</th><th>章节</th><th>结果</th><th>得分</th></tr>{rows}</table>"
