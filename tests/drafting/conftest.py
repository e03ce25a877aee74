"""Fixtures for the drafting chain: a real OpenAI-compatible server on 127.0.0.1 and settings for it.

Copy `openai_server` and `llm_settings` to reuse them elsewhere (eval, UI): the server is
`tests.support.OpenAIServer`, scripted per test with `server.script(Reply(...), Status(429), ...)`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from assistant.models import SearchResult
from assistant.settings import Settings
from tests.support import OpenAIServer

# Three sections of the manual (as cleaned): data for the pure citation-parsing tests.
THREE_SECTIONS = (
    SearchResult(
        id="s1",
        title="微厅客服规范",
        section="8.3.2 电话规范用语 > 8.遇到客户责备客服动作慢",
        text="“对不起，为了确保信息的准确让您久等了，实在抱歉。我会尽快帮您查询，请稍等。”",
        score=0.033,
    ),
    SearchResult(
        id="s2",
        title="微厅客服规范",
        section="8.3.2 电话规范用语 > 10.短时间内不能答复",
        text="需要长时间查询，或自己解决不了的问题，必须先讲明查询的事项或暂时解决不了的合理原因，"
        "然后再告知用户：“非常抱歉，我帮您确认一下，有结果给您回电，您看可以吗？”",
        score=0.021,
    ),
    SearchResult(
        id="s3",
        title="微厅客服规范",
        section="8.4.2 服务规范要求 > (6)客服在与客户聊天过程中",
        text="应明确首问责任制，不得推脱、搪塞客户，在未经许可下，不得将客户资料、不对外的公司产品信息、"
        "公司内部电话或相关领导电话告诉客户。",
        score=0.012,
    ),
)


@pytest.fixture
def openai_server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as server:
        yield server


@pytest.fixture
def llm_settings(openai_server: OpenAIServer, bundled_index: Settings) -> Settings:
    """The bundled index, the local server, three sections per draft, tiny timeouts and retry budgets."""
    return bundled_index.model_copy(
        update=dict(
            top_k=3,
            openai_base_url=openai_server.base_url,
            openai_api_key=SecretStr("test-key"),
            model="test-model",
            llm_timeout_s=0.5,
            llm_max_attempts=3,
            llm_max_seconds=2.0,
            repair_attempts=2,
            guard_packs=[],
        )
    )


@pytest.fixture(scope="session")
def manual_retriever(bundled_index: Settings):
    """The real hybrid retriever over the bundled manual, opened once."""
    from assistant.index import Retriever

    return Retriever.from_settings(bundled_index)


@pytest.fixture
def llm_service(llm_settings: Settings, manual_retriever):
    from assistant.drafting import DraftService

    return DraftService(llm_settings, retriever=manual_retriever)


def sections_for(service, request) -> tuple[SearchResult, ...]:
    """The sections the chain gives the model for `request` (the real retriever is deterministic)."""
    return tuple(service.retriever.search(request.message, k=service.settings.top_k))
