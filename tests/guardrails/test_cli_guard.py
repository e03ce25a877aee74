"""`assistant guard` as a user runs it: a real subprocess, real stdin, real exit codes."""

import json
import os
import subprocess
import sys
import time

import pytest


def guard(
    *args: str, stdin: bytes | str | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "guard", *args],
        input=data if data is not None else b"",
        capture_output=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )
    result.stdout = result.stdout.decode("utf-8")
    result.stderr = result.stderr.decode("utf-8")
    return result


def test_text_argument_json_matches_the_contract():
    result = guard("您好，这个我不清楚", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["verdict"] == "block"
    v = data["violations"][0]
    assert (v["rule"], v["category"], v["severity"], v["start"], v["end"], v["text"]) == (
        "banned.dismissive", "banned_phrase", "block", 6, 9, "不清楚",
    )  # fmt: skip
    assert v["suggestion"] == "帮您确认一下"


def test_suspects_are_added_beside_the_verdict_only_when_asked_for():
    lines = '{"text": "您好，这种问题你也问？"}\n{"text": "您好"}\n'
    plain = [json.loads(line) for line in guard("--jsonl", stdin=lines).stdout.splitlines()]
    hinted = [json.loads(line) for line in guard("--jsonl", "--suspects", stdin=lines).stdout.splitlines()]
    assert plain == [{"verdict": "pass", "violations": []}] * 2
    assert hinted[0]["verdict"] == "pass" and hinted[0]["suspects"][0]["text"] == "这种问题你也问"
    assert hinted[1] == {"verdict": "pass", "violations": []}
    human = guard("--suspects", "您好，这种问题你也问？").stdout
    assert "通过" in human and "疑似" in human and "这种问题你也问" in human


def test_human_output_names_the_verdict():
    result = guard("保证明天到")
    assert result.returncode == 0
    assert "拦截" in result.stdout and "保证" in result.stdout


def test_jsonl_writes_one_result_per_line_in_order():
    lines = [{"text": "您好"}, {"text": "不 知 道"}, {"text": "查询结果应该准确"}]
    result = guard("--jsonl", stdin="\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\n")
    assert result.returncode == 0, result.stderr
    verdicts = [json.loads(line)["verdict"] for line in result.stdout.splitlines()]
    assert verdicts == ["pass", "block", "warn"]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        pytest.param(
            ("--jsonl",), '{"text": "您好"}\nnot json\n', "第 2 行不是有效的 JSON", id="invalid-jsonl"
        ),
        pytest.param(("--jsonl",), '{"text": 42}\n', "text 应为字符串", id="jsonl-text-not-a-string"),
        pytest.param(("--jsonl",), '["a"]\n', '{"text": ...}', id="jsonl-not-an-object"),
        pytest.param(("--json",), b"\xff\xfe\x00bad", "UTF-8", id="non-utf8-stdin"),
        pytest.param(("--json", "--jsonl"), "", "只能选一个", id="both-formats"),
    ],
)
def test_bad_input_is_one_clear_line_without_traceback(args, stdin, message):
    result = guard(*args, stdin=stdin)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_malformed_pack_from_env_is_a_clear_error(tmp_path):
    pack = tmp_path / "bad.yaml"
    pack.write_text("rules:\n  - id: x\n    severity: nope\n", encoding="utf-8")
    result = guard("您好", env={"ASSISTANT_GUARD_PACKS": str(pack)})
    assert result.returncode == 2
    assert "bad.yaml:2" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("stdin", [pytest.param("", id="empty"), pytest.param("   \n", id="blank")])
def test_empty_text_passes(stdin):
    result = guard("--json", stdin=stdin)
    assert result.returncode == 0
    assert json.loads(result.stdout) == {"verdict": "pass", "violations": []}


def test_100kb_text_gives_a_result_with_exact_spans():
    text = ("您好，您的订单已发货，请注意查收。" * 6000)[:100_000] + "这个我不知道"
    result = guard("--json", stdin=text)
    assert result.returncode == 0, result.stderr
    (violation,) = json.loads(result.stdout)["violations"]
    assert text[violation["start"] : violation["end"]] == "不知道"


def test_lone_surrogate_in_jsonl_gives_a_clean_result():
    result = guard("--jsonl", stdin='{"text": "\\ud800不知道"}\n')
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["violations"][0]["text"] == "不知道"


def test_binary_stdin_that_decodes_is_checked_not_crashed():
    result = guard("--json", stdin="\x00\x01不知道\x7f".encode())
    assert result.returncode == 0
    assert json.loads(result.stdout)["verdict"] == "block"


def test_guard_imports_nothing_heavy_and_starts_fast():
    code = (
        "import sys, time; t = time.perf_counter(); from assistant.cli import main\n"
        "try:\n    main(['guard', '--json', '不知道'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('gradio', 'chromadb', 'langchain_core', 'langchain_openai') if m in sys.modules]\n"
        "print(heavy, time.perf_counter() - t, file=sys.stderr)"
    )
    t0 = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    wall = time.perf_counter() - t0
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("[]"), result.stderr
    assert wall < 3.0  # the target is 1 s on an idle machine; leave room for a shared CI box
