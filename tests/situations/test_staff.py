"""An agent's framing around a customer's situation is left out of one matcher segment."""

from __future__ import annotations

import pytest

from assistant.situations.matcher import get_matcher
from assistant.situations.staff import strip_staff_frame


@pytest.mark.parametrize(
    ("question", "situation"),
    [
        pytest.param("客户在电话里一直吼，情绪很激动怎么办", "在电话里一直吼，情绪很激动", id="how-to-tail"),
        pytest.param(
            "要技术部门配合才能解决，怎么跟客户说", "要技术部门配合才能解决", id="how-to-tell-the-customer"
        ),
        pytest.param("客户一上来就拍桌子大喊大叫，我该咋安抚", "一上来就拍桌子大喊大叫", id="colloquial-how"),
        pytest.param("客户说我语速太快，该怎么调整才好", "我语速太快，该怎么调整才好", id="customer-says"),
        pytest.param("顾客问的型号区别我一点都不懂，被问住了", "问的型号区别我一点都不懂", id="stumped"),
        pytest.param(
            "客户说的不对，我想反驳他怎么表达比较好", "说的不对，我想反驳他", id="says-is-not-a-frame"
        ),
    ],
)
def test_an_agents_frame_is_stripped(question, situation):
    assert strip_staff_frame(question) == situation


@pytest.mark.parametrize(
    "message",
    [
        pytest.param("退款怎么还没到", id="customer-why-question"),
        pytest.param("这个功能怎么用", id="customer-how-to-use"),
        pytest.param("我该怎么办", id="nothing-left"),
        pytest.param("你们怎么回事", id="complaint"),
    ],
)
def test_customer_messages_and_bare_frames_are_left_as_they_are(message):
    assert strip_staff_frame(message) == message


@pytest.mark.parametrize(
    ("question", "situation"),
    [
        pytest.param("来电的阿姨讲的是客家话，我一个字都听不懂，怎么沟通", "dialect", id="dialect"),
        pytest.param("这个问题要财务部门处理，怎么跟用户解释", "other_dept", id="other-department"),
        pytest.param("客户老问同一个问题，我该怎么回", "repeat_question", id="repeat-question"),
    ],
)
def test_an_agents_question_ranks_the_customers_situation_near_the_top(question, situation):
    assert situation in [m.situation.id for m in get_matcher().rank(question, top=3)]
