"""Evasions: the match happens on normalised text, the span points at the original characters."""

import pytest

import guardrails
from guardrails.normalize import fold, normalize


@pytest.mark.parametrize(
    ("text", "highlight", "rule"),
    [
        pytest.param("这个我不 知 道啊", "不 知 道", "banned.dismissive", id="spaces"),
        pytest.param(
            "这个我不\u200b知\u200d道", "不\u200b知\u200d道", "banned.dismissive", id="zero-width-evasion"
        ),
        pytest.param("我不\n知道", "不\n知道", "banned.dismissive", id="line-break"),
        pytest.param("我們保證明天到", "保證", "promise.guarantee", id="traditional"),
        pytest.param("ＯＫ，我保·证", "保·证", "promise.guarantee", id="punctuation-inside"),
        pytest.param("不-清-楚", "不-清-楚", "banned.dismissive", id="hyphens-inside"),
        pytest.param(
            "打１３８１２３４５６７８", "１３８１２３４５６７８", "contact.mobile", id="full-width-digits"
        ),
        pytest.param(
            "打一三八一二三四五六七八", "一三八一二三四五六七八", "contact.mobile", id="chinese-numerals"
        ),
        pytest.param("打 138 1234 5678 吧", "138 1234 5678", "contact.mobile", id="separated-mobile"),
        pytest.param(
            "＋８６ １３８-１２３４-５６７８",
            "＋８６ １３８-１２３４-５６７８",
            "contact.mobile",
            id="plus86-full-width",
        ),
        pytest.param("１００％解决", "１００％", "promise.percent", id="full-width-percent"),
    ],
)
def test_evasion_is_caught_and_span_points_at_original(text, highlight, rule):
    result = guardrails.check(text)
    hits = [v for v in result.violations if v.rule == rule]
    assert hits, result
    assert hits[0].text == highlight
    assert text[hits[0].start : hits[0].end] == highlight


def test_sentence_punctuation_still_separates_words():
    assert guardrails.check("您别着急，什么问题我都帮您查").violations == ()


def test_fold_is_nfkc_simplified_without_zero_width():
    assert fold("保證\u200b１００％ＡＢ") == "保证100%ab"


def test_offsets_map_every_character_back():
    norm = normalize("ａ\u200bB測")
    assert norm.text == "ab测"
    assert [norm.original[i] for i in norm.offsets] == ["ａ", "B", "測"]


def test_compact_drops_separators_only_next_to_cjk():
    assert normalize("不 知 道 and 100 %").compact().text == "不知道and 100 %"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("\ud800不知道", id="lone-surrogate"),
        pytest.param("\u200b\u200b\u200b", id="only-zero-width"),
        pytest.param("ﬁ不知道Ⅻ", id="nfkc-expands-characters"),
    ],
)
def test_odd_unicode_gives_exact_spans(text):
    result = guardrails.check(text)
    assert [v.text for v in result.violations] == (["不知道"] if "不知道" in text else [])
    for v in result.violations:
        assert text[v.start : v.end] == v.text
