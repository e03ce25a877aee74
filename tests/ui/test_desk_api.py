"""The running desk's HTTP API (through `gradio_client`): roles are checked on the server, and
twenty agents approving at once lose nothing."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.ui.support import AGENT, LEAD

pytestmark = pytest.mark.server

CONCURRENT_APPROVALS = 20
LOAD_TIME_LIMIT_S = 240


def client_for(url: str, user: tuple[str, str]):
    from gradio_client import Client

    return Client(
        url,
        auth=user,
        verbose=False,
        analytics_enabled=False,
        download_files=False,
        httpx_kwargs={"timeout": 60},
    )


def test_agent_cannot_use_the_lab_even_through_the_api(desk_server):
    from gradio_client.exceptions import AppError

    agent = client_for(desk_server.url, AGENT)
    with pytest.raises(AppError, match="只有客服主管"):
        agent.predict("draft_reply", api_name="/lab_refresh")
    with pytest.raises(AppError, match="只有客服主管"):
        agent.predict("draft_reply", 1, api_name="/lab_set_label")


def test_lead_can_list_prompt_versions_through_the_api(desk_server):
    lead = client_for(desk_server.url, LEAD)
    listing = lead.predict("draft_reply", api_name="/lab_refresh")
    assert listing[0]["value"] == "draft_reply"
    assert listing[1]["data"], "the versions table lists at least one version"
    assert listing[1]["data"][0][0] == 1


def test_lab_says_plainly_that_offline_drafts_ignore_the_prompt(desk_server):
    lead = client_for(desk_server.url, LEAD)
    notice, table = lead.predict("draft_reply", 1, 1, ["chat-first-reply-late"], api_name="/lab_run")
    assert "离线起草器不使用提示词模板" in notice
    assert "chat-first-reply-late" in table
    assert "离线起草（未使用模板）" in table


def test_blocked_reply_is_refused_by_the_server(desk_server):
    from gradio_client.exceptions import AppError

    agent = client_for(desk_server.url, AGENT)
    agent.predict("你们寄错颜色了", "", "chat", api_name="/generate")
    with pytest.raises(AppError, match="禁止使用"):
        agent.predict("这个我不清楚。", "理由", api_name="/approve")


def approve_one(client, index: int) -> str:
    outputs = client.predict(f"第{index}号客户：我的快递三天了还没到", "", "chat", api_name="/generate")
    final_text = f"{outputs[5]}（编号{index}）"  # draft, notice, meta, hints, sources, reply, ...
    approved = client.predict(final_text, "负载测试", api_name="/approve")
    return approved[0] if isinstance(approved, tuple | list) else approved


def test_twenty_concurrent_approvals_lose_nothing(desk_server):
    from assistant.store import AuditStore

    clients = [client_for(desk_server.url, AGENT) for _ in range(CONCURRENT_APPROVALS)]  # 20 sessions
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CONCURRENT_APPROVALS) as pool:
        futures = [pool.submit(approve_one, client, i) for i, client in enumerate(clients)]
        approved = [f.result(timeout=LOAD_TIME_LIMIT_S) for f in futures]
    elapsed = time.monotonic() - started
    print(f"{CONCURRENT_APPROVALS} concurrent draft+approve round trips: {elapsed:.1f}s")

    with AuditStore.open(desk_server.database_url) as store:
        stored = {
            r.decision.final_text for r in store.records() if r.decision and r.decision.reason == "负载测试"
        }
    assert len(set(approved)) == CONCURRENT_APPROVALS
    assert set(approved) <= stored
    assert elapsed < LOAD_TIME_LIMIT_S
