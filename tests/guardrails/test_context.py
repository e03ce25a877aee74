"""Context around a flagged phrase: greetings never unflag it, exceptions protect only their own
words, and bare insults at a clause boundary are attacks."""

import pytest

import guardrails

ENGINE = guardrails.load_engine()
PREFIXES = ["您好", "您好，", "你好", "亲，", "好的", "嗯", "这个", "您好这个"]
FLAGGED = [(r.id, t) for r in ENGINE.rules for t in r.examples.flag]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_greeting_before_a_flagged_example_never_unflags_it(prefix):
    missed = [
        (rule_id, prefix + text)
        for rule_id, text in FLAGGED
        if rule_id not in {v.rule for v in ENGINE.check(prefix + text).violations}
    ]
    assert missed == []


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        pytest.param("您好这个我不清楚。", "不清楚", id="greeting-glued-to-dismissive"),
        pytest.param("您好我不知道", "不知道", id="greeting-then-i-dont-know"),
        pytest.param("你说的我不知道", "不知道", id="you-said-then-i-dont-know"),
        pytest.param("我不知道你在说什么呢", "不知道", id="rhetorical-question-is-not-polite"),
        pytest.param("您看这个我们也不了解", "不了解", id="we-dont-understand"),
    ],
)
def test_dismissive_wording_is_flagged_whatever_precedes_it(text, flagged):
    hits = [v.text for v in ENGINE.check(text).violations if v.rule == "banned.dismissive"]
    assert hits == [flagged]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("您还有不清楚的地方可以随时问我", id="customer-has-questions"),
        pytest.param("您如果对资费不了解，可以随时咨询", id="customer-unfamiliar"),
        pytest.param("不知道您现在方便接听吗？", id="polite-question"),
        pytest.param("不知道您对处理结果是否满意？", id="polite-satisfaction-question"),
        pytest.param("您的电话仍听不清楚。", id="cannot-hear"),
    ],
)
def test_customer_side_not_knowing_is_fine(text):
    assert ENGINE.check(text).violations == ()


@pytest.mark.parametrize(
    "text",
    [
        "这个我不清楚，滚",
        "滚！",
        "滚蛋",
        "你给我滚",
        "爬！",
        "有病吧",
        "有病！",
        "闭嘴，听我说",
        "神经病",
        "烦死了，去死",
    ],
)
def test_bare_insult_at_a_clause_boundary_is_an_attack(text):
    assert "attack" in {v.category for v in ENGINE.check(text).violations}


@pytest.mark.parametrize(
    "text",
    [
        "页面可以上下滚动",
        "滚筒洗衣机已为您登记",
        "翻滚吧，少年！",
        "您可以爬楼梯到三楼",
        "您是否有病史需要说明？",
    ],
)
def test_words_containing_an_insult_character_are_not_attacks(text):
    assert ENGINE.check(text).violations == ()


def test_manual_recommended_commitment_passes():
    assert ENGINE.check("您的问题我们一定全力解决").violations == ()
