"""A user's Markdown, HTML and Word files through the real `assistant ingest PATH` and `assistant search`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.corpus.own_documents import MEMBER_HTML, REFUND_MD, shipping_docx

ASSISTANT = Path(sys.executable).with_name("assistant")


def run_assistant(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir)}
    return subprocess.run([str(ASSISTANT), *args], capture_output=True, text=True, timeout=300, env=env)


@pytest.fixture(scope="module")
def own_index(tmp_path_factory) -> Path:
    """A data dir holding an index of three user files with their own headings, ingested by the CLI."""
    docs = tmp_path_factory.mktemp("own-docs")
    (docs / "refund.md").write_text(REFUND_MD, encoding="utf-8")
    (docs / "member.html").write_text(MEMBER_HTML, encoding="utf-8")
    shipping_docx(docs / "shipping.docx")
    data = tmp_path_factory.mktemp("own-data")
    result = run_assistant("ingest", str(docs), data_dir=data)
    assert result.returncode == 0, result.stderr
    assert "新增 3" in result.stdout
    return data


@pytest.mark.parametrize(
    ("query", "title", "section"),
    [
        pytest.param("积分什么时候过期", "会员权益", "会员权益 > 积分规则 > 积分过期", id="html-h3"),
        pytest.param("偏远地区发货要多久", "物流说明", "物流说明 > 发货时间 > 偏远地区", id="docx-heading-2"),
        pytest.param(
            "质量问题能换货吗",
            "退款政策",
            "退款政策 > 退款条件 > 二、质量问题 > （一）换货",
            id="markdown-with-numbering-inside",
        ),
    ],
)
def test_search_finds_the_users_own_section(own_index, query, title, section):
    result = run_assistant("search", query, "--k", "3", "--json", data_dir=own_index)
    assert result.returncode == 0, result.stderr
    best = json.loads(result.stdout)[0]
    assert (best["title"], best["section"]) == (title, section)
