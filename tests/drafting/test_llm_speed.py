"""The chain around an LLM call costs little: one compiled prompt, one client, a loopback round trip
that is not held back by Nagle's algorithm (the ~40 ms a request that looked like network time)."""

from __future__ import annotations

import statistics

from assistant.models import DraftRequest
from tests.support import Reply

ANSWER = "您好，微厅客服1229号为您服务。我会尽快帮您查询 [1]。请问还有其他可以帮您的吗？"


def test_zero_delay_round_trip_is_not_held_back(llm_service, openai_server):
    openai_server.script(Reply(ANSWER))
    request = DraftRequest("我都等了二十分钟了")
    for _ in range(3):  # connect, warm the client
        llm_service.draft(request, drafter="llm")
    generate = [llm_service.draft(request, drafter="llm").timings_ms["generate"] for _ in range(9)]
    assert statistics.median(generate) < 30, generate  # Nagle + delayed ACK made every one >= 40


def test_the_prompt_is_compiled_once_and_its_label_still_followed(llm_service):
    first = llm_service.template()
    assert llm_service.template() is first
    assert llm_service.template(f"{first.name}@{first.version}") is first


def test_one_chat_client_serves_every_draft(llm_service, openai_server):
    openai_server.script(Reply(ANSWER))
    for message in ("在吗", "退款还没到账"):
        llm_service.draft(DraftRequest(message), drafter="llm")
    assert llm_service.llm is llm_service.llm and llm_service.llm.calls == 2
