"""The offline drafter speaks reusable standard wording for the situations of the whole conversation.

The manual's `例如/示例` lines are cases (a named customer, 因系统故障错发, 运费由我们承担, 3个工作日):
an offline draft must never hand one customer's facts or unverified commitments to the next.
"""

from __future__ import annotations

import pytest

from assistant.drafting import DraftService
from assistant.drafting.phrasebook import load_phrasebook
from assistant.drafting.wording import clean_phrase, is_standard, reusable
from assistant.models import DraftRequest, Turn

BOOK = load_phrasebook()
CASE_FACTS = ("因系统故障", "错发", "运费由我们承担", "无需退回", "王女士", "换新新机", "立即安排", "9折")


@pytest.fixture(scope="module")
def service(bundled_index):
    return DraftService(bundled_index)


def body_of(reply: str, channel: str = "chat") -> str:
    return reply.removeprefix(getattr(BOOK.openings, channel))


@pytest.mark.parametrize(
    "quote",
    [
        pytest.param(
            "非常抱歉，您的订单因系统故障错发，我们将为您加急补发，原商品无需退回，运费由我们承担",
            id="wrong-shipment-case",
        ),
        pytest.param(
            "您看这样的处理方式可以吗？如果没有问题，我们会立即安排换货", id="unverified-commitment"
        ),
        pytest.param(
            "之前有客户反馈类似情况，是因为系统兼容性问题，您的设备系统版本是多少呢？",
            id="another-customers-case",
        ),
        pytest.param("您提到的‘服务态度不好’具体是指哪位工作人员的行为呢？", id="echoes-one-customer"),
        pytest.param(
            "非常抱歉让您这么著急，您的问题我们一定全力解决，能先和我说明具体情况吗？", id="guarantee-word"
        ),
        pytest.param("我们会在明天之前给您回复", id="unhedged-time"),
    ],
)
def test_case_examples_are_not_reusable_wording(quote):
    cleaned = clean_phrase(quote)
    assert cleaned is None or not reusable(cleaned)


@pytest.mark.parametrize(
    "quote",
    [
        pytest.param(
            "对不起，为了确保信息的准确让您久等了，实在抱歉。我会尽快帮您查询，请稍等。", id="8.3.2-slow"
        ),
        pytest.param("为了更好地帮您处理问题，请您注意您的礼貌用语，好吗？", id="8.3.2-abuse"),
        pytest.param("您慢慢说，我会详细记录您遇到的情况", id="listening"),
    ],
)
def test_standard_wording_is_reusable(quote):
    cleaned = clean_phrase(quote)
    assert cleaned is not None and reusable(cleaned)


def test_standard_sections_are_8_3_and_8_4_2():
    assert is_standard("第8章 客服技巧 > 8.3 微厅客服规范用语 > 8.3.2 电话规范用语 > 11.遇到用户骂人")
    assert not is_standard("二、业务处理类问题及优化路径 > （二）业务流程失误的补救")


@pytest.mark.parametrize(
    "message",
    [
        pytest.param("退款怎么还没到账，都一个礼拜了", id="refund-delay"),
        pytest.param("你們寄錯顏色了，我買的是黑色的，到手是白色", id="wrong-colour"),
        pytest.param("东西坏了你们说换新，那新机啥时候发？快递费谁出？", id="replacement-time"),
        pytest.param("上次投诉的事说好要回电话给我，到底什么时候能回？", id="callback-time"),
        pytest.param("现在下单有没有优惠？买了不喜欢能退吗", id="discount"),
    ],
)
def test_no_case_fact_or_commitment_reaches_the_reply(service, message):
    draft = service.draft(DraftRequest(message), drafter="offline")
    assert draft.guard.verdict == "pass"
    assert not [fact for fact in CASE_FACTS if fact in draft.reply], draft.reply


def test_an_order_problem_asks_for_the_order_number(service):
    draft = service.draft(DraftRequest("退款怎么还没到账，都一个礼拜了"), drafter="offline")
    assert "订单号" in draft.reply and "抱歉" in draft.reply


def test_upset_customer_gets_empathy_first(service):
    draft = service.draft(
        DraftRequest("我真的气死了，你们让我很失望，一点都不在乎用户感受"), drafter="offline"
    )
    assert body_of(draft.reply).startswith(("非常抱歉", "对不起", "非常理解")), draft.reply


def test_vague_need_gets_a_layered_question(service):
    draft = service.draft(DraftRequest("你们这东西不好用"), drafter="offline")
    assert "？" in body_of(draft.reply) and "是" in draft.reply and "还是" in draft.reply


def test_asking_the_same_thing_again_is_answered_as_a_repeat(service):
    history = (
        Turn("customer", "这个月话费怎么多扣了二十块？"),
        Turn("agent", "您好，多出的二十元是本月订购的流量包费用。"),
        Turn("customer", "那这个月话费到底为什么多扣了二十块？"),
        Turn("agent", "是您本月订购的流量包，月费二十元。"),
    )
    request = DraftRequest("我就想知道为什么多扣了二十块钱", history=history, channel="phone")
    draft = service.draft(request, drafter="offline")
    assert "再为您解释" in draft.reply
    assert "订单号" not in draft.reply, "the repeat is the situation, not the words 多扣"
    assert any(h.situation.startswith("反复咨询") for h in draft.hints)


def test_a_conversation_under_way_is_not_greeted_again(service):
    history = (Turn("customer", "宽带的事帮我登记好了是吧？"), Turn("agent", "已经为您登记好了。"))
    draft = service.draft(DraftRequest("没有了，就这些", history=history, channel="phone"), drafter="offline")
    assert not draft.reply.startswith(BOOK.openings.phone)
    assert draft.reply.endswith(BOOK.closings_after_question.phone)
    assert "还有其他可以帮您" not in draft.reply, "the customer just said there is nothing else"


def test_a_vague_follow_up_continues_the_earlier_complaint(service):
    history = (Turn("customer", "你们服务态度太差了"), Turn("agent", "非常抱歉给您带来了不好的体验。"))
    draft = service.draft(DraftRequest("反正就是差，你们自己反省吧", history=history), drafter="offline")
    assert "操作使用" not in draft.reply, "a product-usage question does not fit a complaint"
    assert "？" in draft.reply and "具体" in draft.reply


def test_manual_standard_phrase_is_used_and_cited(service):
    draft = service.draft(DraftRequest("我都等了快二十分钟了，你们查个东西怎么这么磨蹭？"), drafter="offline")
    assert "对不起，为了确保信息的准确让您久等了，实在抱歉。我会尽快帮您查询，请稍等 [1]。" in draft.reply
    assert "遇到客户责备客服动作慢" in draft.sources[0].section


def test_every_phrasebook_situation_is_in_the_catalogue():
    from assistant.situations import load_catalogue

    known = {s.id for s in load_catalogue().situations}
    assert set(BOOK.situations) <= known, set(BOOK.situations) - known


@pytest.mark.parametrize(
    "message",
    [
        pytest.param("我都等了二十分钟了还没人理我，你们到底还管不管？", id="waiting-and-ignored"),
        pytest.param("你们效率也太低了吧，查个话费要查半天，我等得火都上来了", id="slow-and-upset"),
        pytest.param("你们这服务太烂了，我要投诉！", id="complaint"),
    ],
)
def test_a_reply_apologises_once(service, message):
    reply = service.draft(DraftRequest(message), drafter="offline").reply
    apologies = sum(reply.count(word) for word in ("抱歉", "对不起", "不好意思"))
    assert apologies <= 2, reply  # a sentence may pair 对不起 with 实在抱歉; no second apology sentence
    assert reply.count("久等") <= 1, reply
