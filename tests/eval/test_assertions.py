"""Every assertion type with a passing and a failing example, on real guard results."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter

import guardrails
from assistant.models import SearchResult
from eval.assertions import Assertion, EvalContext, rule_pack_results, run_assertion
from eval.similarity import chrf

PARSE = TypeAdapter(Assertion)
SOURCES = (
    SearchResult(
        "a", "手册", "8.3.2 电话规范用语 > 8.遇到客户责备客服动作慢", "“对不起，让您久等了。”", 0.03
    ),
    SearchResult(
        "b", "手册", "8.3.2 电话规范用语 > 6.遇到客户讲方言", "请您用普通话再重复一遍可以吗？", 0.02
    ),
    SearchResult("c", "手册", "8.4.4 服务禁区", "不要涉及政治敏感性话题", 0.01),
)


def ctx(reply: str, reference: str | None = None, judge=None) -> EvalContext:
    return EvalContext("s", "客户消息", reply, SOURCES, guardrails.check(reply), reference, judge)


CASES = [
    pytest.param(
        {"type": "retrieves", "value": "讲方言", "k": 2}, "好的", True, id="retrieves-section-in-top-k"
    ),
    pytest.param(
        {"type": "retrieves", "value": "服务禁区", "k": 2}, "好的", False, id="retrieves-section-below-k"
    ),
    pytest.param(
        {"type": "retrieves", "value": "普通话再重复", "k": 3}, "好的", True, id="retrieves-phrase-in-text"
    ),
    pytest.param(
        {"type": "contains_any", "value": ["抱歉", "对不起"]}, "非常抱歉。", True, id="contains-any-hit"
    ),
    pytest.param(
        {"type": "contains_any", "value": ["订单号"]}, "請提供訂單號", True, id="contains-any-traditional"
    ),
    pytest.param({"type": "contains_any", "value": ["抱歉"]}, "好的。", False, id="contains-any-miss"),
    pytest.param(
        {"type": "contains_all", "value": ["您好", "1229"]},
        "您好，客服１２２９号",
        True,
        id="contains-all-fullwidth",
    ),
    pytest.param(
        {"type": "contains_all", "value": ["您好", "1229"]}, "您好。", False, id="contains-all-missing-one"
    ),
    pytest.param(
        {"type": "not_contains", "value": ["不知道"]}, "我帮您确认一下。", True, id="not-contains-clean"
    ),
    pytest.param(
        {"type": "not_contains", "value": ["不知道"]},
        "这个我不\u200b知道",
        False,
        id="not-contains-zero-width",
    ),
    pytest.param({"type": "regex", "value": "[?？]"}, "请问是哪方面的问题？", True, id="regex-match"),
    pytest.param(
        {"type": "regex", "value": r"1[3-9]\d{9}", "negate": True},
        "经理电话13812345678",
        False,
        id="regex-negated-phone",
    ),
    pytest.param({"type": "guard_clean"}, "您好，请问有什么可以帮您？", True, id="guard-clean-polite"),
    pytest.param({"type": "guard_clean"}, "这个我不知道，去问其他客服吧", False, id="guard-clean-blocked"),
    pytest.param(
        {"type": "asks_for", "value": "订单号"},
        "麻烦您提供一下订单号，我帮您核实。",
        True,
        id="asks-for-request",
    ),
    pytest.param(
        {"type": "asks_for", "value": "订单号"}, "您的订单号已经记录。", False, id="asks-for-mention-only"
    ),
    pytest.param(
        {"type": "asks_for", "value": "订单号"}, "方便说下您的订单号吗？", True, id="asks-for-question"
    ),
    pytest.param({"type": "hedged"}, "我们会争取在3个工作日内为您处理。", True, id="hedged-time-with-hedge"),
    pytest.param({"type": "hedged"}, "我们将在3个工作日内为您换新。", False, id="hedged-time-without-hedge"),
    pytest.param({"type": "hedged"}, "我保证明天送到。", False, id="hedged-guarantee"),
    pytest.param({"type": "hedged"}, "请稍等，马上为您核实。", True, id="hedged-action-not-deadline"),
    pytest.param({"type": "max_chars", "value": 10}, "您好。", True, id="max-chars-short"),
    pytest.param({"type": "max_chars", "value": 3}, "您好，请稍等。", False, id="max-chars-long"),
    pytest.param(
        {"type": "similar_to", "value": "对不起，让您久等了，我会尽快帮您查询。", "threshold": 0.5},
        "对不起让您久等了，我尽快帮您查询，请稍等。",
        True,
        id="similar-to-close-chinese",
    ),
    pytest.param(
        {"type": "similar_to", "value": "对不起，让您久等了，我会尽快帮您查询。", "threshold": 0.5},
        "感谢您提出的宝贵建议。",
        False,
        id="similar-to-unrelated-chinese",
    ),
]


@pytest.mark.parametrize(("spec", "reply", "expected"), CASES)
def test_assertion_types(spec, reply, expected):
    result = run_assertion(PARSE.validate_python(spec), ctx(reply))
    assert result.passed is expected, result.detail
    assert result.detail


def test_every_type_has_a_passing_and_a_failing_example():
    outcomes: dict[str, set[bool]] = {}
    for case in CASES:
        spec, _reply, expected = case.values
        outcomes.setdefault(spec["type"], set()).add(expected)
    outcomes["rubric"] = {True, False}  # covered by test_rubric_* below
    from eval.assertions import ASSERTION_TYPES

    assert {t for t, seen in outcomes.items() if seen == {True, False}} == set(ASSERTION_TYPES)


def test_rubric_is_skipped_without_a_judge_and_drops_out_of_the_score():
    from eval.results import score_of

    rubric = run_assertion(PARSE.validate_python({"type": "rubric", "value": "礼貌"}), ctx("您好"))
    ok = run_assertion(PARSE.validate_python({"type": "contains_any", "value": "您好"}), ctx("您好"))
    assert rubric.passed is None and "跳过" in rubric.detail
    assert score_of((rubric, ok)) == 1.0


@pytest.mark.parametrize(
    ("verdict", "expected"),
    [pytest.param("PASS\n礼貌", True, id="judge-pass"), pytest.param("FAIL\n敷衍", False, id="judge-fail")],
)
def test_rubric_follows_the_judge(verdict, expected):
    from eval.judge import parse_verdict

    result = run_assertion(
        PARSE.validate_python({"type": "rubric", "value": "礼貌"}),
        ctx("您好", judge=lambda r, c: parse_verdict(verdict)),
    )
    assert result.passed is expected


def test_a_crashing_assertion_is_a_failure_never_a_pass():
    def broken_judge(rubric, context):
        raise RuntimeError("judge exploded")

    result = run_assertion(
        PARSE.validate_python({"type": "rubric", "value": "x"}), ctx("您好", judge=broken_judge)
    )
    assert result.passed is False and "judge exploded" in result.detail


def test_unparseable_judge_output_fails():
    from eval.judge import parse_verdict

    with pytest.raises(ValueError):
        parse_verdict("我觉得还行")


def test_similar_to_uses_the_scenario_reference_when_no_value():
    spec = PARSE.validate_python({"type": "similar_to", "threshold": 0.9})
    assert run_assertion(spec, ctx("非常抱歉。", reference="非常抱歉。")).passed is True
    assert run_assertion(spec, ctx("非常抱歉。")).passed is False


def test_chrf_on_chinese_is_graded_not_all_or_nothing():
    reference = "非常抱歉，您的声音比较小，请您稍微大声一点可以吗？"
    assert chrf(reference, reference) == pytest.approx(1.0)
    close = chrf("抱歉，您声音有点小，请稍微大声一点好吗？", reference)
    far = chrf("感谢您对微厅的支持，祝您生活愉快！", reference)
    assert 0.4 < close < 1.0
    assert far < 0.2 < close
    assert chrf("非常抱歉。", "") == 0.0


def test_rule_pack_runs_as_assertions_with_the_desks_spans():
    reply = "您好，这个我不知道。"
    results = rule_pack_results(reply, guardrails.check(reply))
    failed = [r for r in results if r.passed is False]
    assert failed and all(r.name.startswith("guard:") for r in failed)
    assert "不知道" in failed[0].detail
    clean = rule_pack_results("您好。", guardrails.check("您好。"))
    assert [r.passed for r in clean] == [True]
