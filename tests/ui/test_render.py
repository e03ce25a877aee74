"""What the desk shows for a guard result: highlights at the right characters, escaped HTML."""

from __future__ import annotations

import pytest

import guardrails
from assistant.models import Hint, SearchResult
from assistant.ui import render


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("这个我不清楚，您自己看吧。", id="dismissive"),
        pytest.param("我们保证明天一定到货，不清楚的话再问。", id="two-findings"),
        pytest.param("您好，很高兴为您服务。", id="clean"),
        pytest.param("", id="empty"),
    ],
)
def test_highlights_cover_the_text_once_in_order(text):
    result = guardrails.check(text)
    pieces = render.highlight_value(text, result.violations)
    assert "".join(piece for piece, _ in pieces) == text
    flagged = [piece for piece, label in pieces if label]
    assert flagged == [text[v.start : v.end] for v in sorted(result.violations, key=lambda v: v.start)]


def test_flagged_piece_is_labelled_with_its_category_in_chinese():
    result = guardrails.check("这个我不清楚。")
    assert result.verdict == "block"
    labels = {label for _, label in render.highlight_value("这个我不清楚。", result.violations) if label}
    assert labels <= set(render.color_map())
    assert labels


def test_overlapping_spans_keep_every_character_once():
    class Span:  # the shape of a violation; overlaps can come from two rules on one word
        def __init__(self, start, end, category):
            self.start, self.end, self.category = start, end, category

    text = "不清楚不知道"
    pieces = render.highlight_value(text, [Span(0, 4, "banned_phrase"), Span(2, 6, "vague")])
    assert "".join(p for p, _ in pieces) == text
    assert pieces[0] == ("不清楚不", "禁用语")


def test_applying_the_suggestion_clears_the_block():
    text = "这个我不清楚，您自己看吧。"
    violation = next(v for v in guardrails.check(text).violations if v.suggestion)
    fixed = render.apply_suggestion(text, violation)
    assert violation.suggestion in fixed
    assert all(v.rule != violation.rule for v in guardrails.check(fixed).violations)


def test_suggestion_is_not_applied_when_the_span_moved():
    text = "这个我不清楚。"
    violation = next(v for v in guardrails.check(text).violations if v.suggestion)
    moved = "您好！" + text
    assert render.apply_suggestion(moved, violation) == moved


@pytest.mark.parametrize(
    "hostile",
    [
        pytest.param("<script>alert(1)</script>", id="script-tag"),
        pytest.param('<img src=x onerror="alert(1)">', id="event-handler"),
    ],
)
def test_html_widgets_escape_their_text(hostile):
    source = SearchResult(id="1", title=hostile, section=hostile, text=hostile, score=0.1)
    hint = Hint(situation=hostile, advice=hostile, section=hostile)
    for shown in (render.sources_html([source]), render.hints_html([hint]), render.banner_html(hostile)):
        assert "<script" not in shown and "<img" not in shown
        assert "&lt;" in shown


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "客户：东西坏了\n客服：您好", [("customer", "东西坏了"), ("agent", "您好")], id="chinese-prefixes"
        ),
        pytest.param(
            "customer: hi\nagent: hello", [("customer", "hi"), ("agent", "hello")], id="english-prefixes"
        ),
        pytest.param("东西坏了\n还没修好", [("customer", "东西坏了\n还没修好")], id="no-prefix-is-customer"),
    ],
)
def test_history_lines_become_turns(text, expected):
    assert render.parse_history(text) == expected
