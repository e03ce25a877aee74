"""`assistant draft` as a user runs it: a real subprocess against the bundled index."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.support import Reply, Status


def run_draft(settings, *args: str, stdin: str | None = None, env: dict | None = None):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ASSISTANT_"))}
    environ.update({"ASSISTANT_DATA_DIR": str(settings.data_dir), **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "assistant", "draft", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
        env=environ,
    )


def test_json_result_follows_the_contract(bundled_index):
    result = run_draft(bundled_index, "我都等了二十分钟了", "--json", "--channel", "phone")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {
        "reply",
        "drafter",
        "prompt",
        "sources",
        "guard",
        "attempts",
        "notice",
        "hints",
        "timings_ms",
    }
    assert data["drafter"] == "offline" and data["guard"]["verdict"] == "pass"
    assert {"id", "title", "section", "text", "score"} <= set(data["sources"][0])
    assert {"retrieve", "generate", "guard"} <= set(data["timings_ms"])


def test_jsonl_keeps_order_and_reports_bad_lines(bundled_index):
    lines = [
        json.dumps({"message": "你们寄错颜色了"}, ensure_ascii=False),
        "{not json",
        json.dumps(
            {
                "message": "还没好吗",
                "history": [{"role": "customer", "text": "退款没到账"}],
                "channel": "phone",
            }
        ),
        json.dumps({"message": "   "}),
    ]
    result = run_draft(bundled_index, "--jsonl", stdin="\n".join(lines) + "\n")
    assert result.returncode == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 4
    assert out[0]["guard"]["verdict"] == "pass"
    assert out[1]["line"] == 2 and "JSON" in out[1]["error"]
    assert out[2]["reply"].endswith("祝您生活愉快！")  # phone closing
    assert out[3]["line"] == 4 and "message" in out[3]["error"]
    assert "2 行" in result.stderr


def test_message_from_stdin_and_human_output(bundled_index):
    result = run_draft(bundled_index, "--drafter", "offline", stdin="把你们经理的手机号给我\n")
    assert result.returncode == 0, result.stderr
    assert "回复" in result.stdout and "依据" in result.stdout
    assert "您好" in result.stdout


def test_llm_outage_still_succeeds_with_a_notice(bundled_index, openai_server):
    openai_server.script(Status(503))
    env = {
        "OPENAI_BASE_URL": openai_server.base_url,
        "ASSISTANT_LLM_MAX_SECONDS": "1",
        "ASSISTANT_LLM_MAX_ATTEMPTS": "2",
    }
    result = run_draft(bundled_index, "我都等了二十分钟了", "--json", env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["drafter"] == "offline" and "大模型暂时不可用" in data["notice"]
    assert len(openai_server.requests) == 2


def test_llm_draft_through_the_cli(bundled_index, openai_server):
    openai_server.script(
        Reply("您好，微厅客服1229号为您服务。非常抱歉让您久等了 [1]。请问还有其他可以帮您的吗？")
    )
    env = {"OPENAI_BASE_URL": openai_server.base_url}
    result = run_draft(bundled_index, "我都等了二十分钟了", "--json", "--drafter", "llm", env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["drafter"] == "llm" and data["prompt"] == "draft_reply@1" and len(data["sources"]) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(("--drafter", "magic", "你好"), "未知的起草方式", id="unknown-drafter"),
        pytest.param(("--channel", "fax", "你好"), "未知的渠道", id="unknown-channel"),
        pytest.param(("--json", "--jsonl"), "只能选一个", id="json-and-jsonl"),
        pytest.param(("--drafter", "llm", "你好"), "未配置大模型", id="llm-not-configured"),
    ],
)
def test_user_errors_are_one_line(bundled_index, args, message):
    result = run_draft(bundled_index, *args, stdin="")
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def _run_bytes(settings, *args: str, stdin: bytes) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ASSISTANT_"))}
    environ["ASSISTANT_DATA_DIR"] = str(settings.data_dir)
    return subprocess.run(
        [sys.executable, "-m", "assistant", "draft", *args],
        input=stdin,
        capture_output=True,
        timeout=180,
        env=environ,
    )


def test_stdin_that_is_not_utf8_is_one_clear_line(bundled_index):
    result = _run_bytes(bundled_index, stdin=b"\xff\xfe\x00\x81 binary")
    assert result.returncode == 2
    assert "不是 UTF-8" in result.stderr.decode() and b"Traceback" not in result.stderr


def test_an_undecodable_argument_is_refused_not_crashed(bundled_index):
    result = _run_bytes(bundled_index, b"\xff\xfe\xe4\xbd\xa0".decode("utf-8", "surrogateescape"), stdin=b"")
    assert result.returncode == 2
    assert "无法识别的字符" in result.stderr.decode() and b"Traceback" not in result.stderr


def test_jsonl_lines_before_a_non_utf8_line_are_all_answered(bundled_index):
    stdin = '{"message": "你好"}\n{"message": "在吗"}\n'.encode() + b"\xff\n"
    result = _run_bytes(bundled_index, "--jsonl", stdin=stdin)
    assert result.returncode == 2
    assert len(result.stdout.decode().splitlines()) == 2
    assert "第 3 行不是 UTF-8" in result.stderr.decode()
