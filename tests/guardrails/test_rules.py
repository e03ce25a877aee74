"""Every rule's own examples, the manual's standard wording, and a labelled set of replies."""

from pathlib import Path

import pytest
import yaml

import guardrails

DATA = Path(__file__).parent / "data"
ENGINE = guardrails.load_engine()


def _standard_phrases() -> list[str]:
    lines = (DATA / "standard_phrases.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


LABELLED = yaml.safe_load((DATA / "labelled.yaml").read_text(encoding="utf-8"))
RULES = {rule.id: rule for rule in ENGINE.rules}


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_has_a_flagged_and_a_passing_example(rule_id):
    rule = RULES[rule_id]
    assert rule.examples.flag, f"{rule_id} has no flagged example"
    assert rule.examples.passing, f"{rule_id} has no passing example"


@pytest.mark.parametrize(
    ("rule_id", "text"),
    [pytest.param(r.id, t, id=f"{r.id}-{i}") for r in RULES.values() for i, t in enumerate(r.examples.flag)],
)
def test_rule_flags_its_examples(rule_id, text):
    result = ENGINE.check(text)
    assert rule_id in {v.rule for v in result.violations}
    assert result.verdict == ("warn" if RULES[rule_id].severity == "warn" else "block")


@pytest.mark.parametrize(
    ("rule_id", "text"),
    [
        pytest.param(r.id, t, id=f"{r.id}-{i}")
        for r in RULES.values()
        for i, t in enumerate(r.examples.passing)
    ],
)
def test_rule_passes_its_examples(rule_id, text):
    assert ENGINE.check(text).violations == ()


@pytest.mark.parametrize("text", _standard_phrases())
def test_manual_standard_phrase_is_never_flagged(text):
    assert ENGINE.check(text).violations == ()


@pytest.mark.parametrize(
    ("category", "text"),
    [
        pytest.param(c, t, id=f"{c}-{i}")
        for c, items in LABELLED["violating"].items()
        for i, t in enumerate(items)
    ],
)
def test_realistic_violation_is_caught_with_its_category(category, text):
    result = ENGINE.check(text)
    assert category in {v.category for v in result.violations}
    for v in result.violations:
        assert text[v.start : v.end] == v.text


@pytest.mark.parametrize("text", LABELLED["clean"])
def test_realistic_clean_reply_is_not_flagged(text):
    assert ENGINE.check(text).violations == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("您的电话仍听不清楚。", (), id="listening-is-not-dismissive"),
        pytest.param("工号1229为您服务", (), id="work-number"),
        pytest.param("已记录手机号138****5678", (), id="masked-mobile"),
        pytest.param("请拨打400-820-8820或95588", (), id="public-hotlines"),
        pytest.param("如有异议请拨打12315或12345", (), id="public-short-numbers"),
        pytest.param("退款128.50元将于2023-12-01前到账", (), id="amounts-and-dates"),
        pytest.param("订单号 13812345678 已发货", (), id="order-number-looks-like-mobile"),
        pytest.param("我的手机13812345678", ("contact.mobile",), id="mobile"),
        pytest.param("身份证11010519491231002X", ("data.id_card",), id="id-card-checksum-valid"),
        pytest.param("身份证110105194912310021", (), id="id-card-checksum-invalid"),
        pytest.param("卡号4111111111111112", (), id="bank-card-luhn-invalid"),
    ],
)
def test_numbers(text, expected):
    assert tuple(v.rule for v in ENGINE.check(text).violations) == expected


def test_verdict_is_warn_when_only_warnings():
    result = ENGINE.check("查询结果应该准确")
    assert result.verdict == "warn"
    assert not result.blocked


def test_result_round_trips_through_dict():
    result = ENGINE.check("我保证不清楚")
    data = result.to_dict()
    assert list(data) == ["verdict", "violations"]
    assert list(data["violations"][0]) == [
        "rule", "category", "severity", "start", "end", "text", "message", "suggestion",
    ]  # fmt: skip
    assert guardrails.GuardResult.from_dict(data) == result


def test_violations_are_sorted_by_position():
    result = ENGINE.check("绝对没问题，这个我不知道，加我微信 abc_12345")
    starts = [v.start for v in result.violations]
    assert starts == sorted(starts)
    assert {v.category for v in result.violations} == {"over_promise", "banned_phrase", "internal_contact"}
