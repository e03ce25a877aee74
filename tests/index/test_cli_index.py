"""`assistant ingest` and `assistant search` as a user runs them: real subprocesses, real exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def run_cli(*args: str, data_dir) -> subprocess.CompletedProcess:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], capture_output=True, text=True, timeout=300, env=env
    )


def test_search_without_an_index_says_to_ingest_first(tmp_path):
    result = run_cli("search", "退款", data_dir=tmp_path)
    assert result.returncode != 0
    assert result.stderr.strip() == "错误：索引不存在，请先运行 assistant ingest"


def test_ingest_of_a_missing_path_names_it_and_writes_nothing(tmp_path):
    result = run_cli("ingest", str(tmp_path / "nope.txt"), data_dir=tmp_path / "data")
    assert result.returncode != 0
    assert "nope.txt" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "data" / "index" / "manifest.json").exists()


def test_ingest_then_search_as_a_user(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "refund.txt").write_text(
        "退款政策\n一、退款时限\n退款在三个工作日内原路退回。\n", encoding="utf-8"
    )
    (docs / "invoice.txt").write_text(
        "发票说明\n一、发票开具\n电子发票在订单完成后开具。\n", encoding="utf-8"
    )
    data = tmp_path / "data"

    first = run_cli("ingest", str(docs), data_dir=data)
    assert first.returncode == 0, first.stderr
    assert "新增 2" in first.stdout

    again = run_cli("ingest", "--if-needed", data_dir=data)
    assert again.returncode == 0 and "跳过" in again.stdout

    found = run_cli("search", "退款多久到账", "--k", "2", "--json", data_dir=data)
    assert found.returncode == 0, found.stderr
    results = json.loads(found.stdout)
    assert len(results) == 2
    assert all(set(r) == {"id", "title", "section", "text", "score"} for r in results)
    assert "退款" in results[0]["text"]

    table = run_cli("search", "發票", data_dir=data)
    assert table.returncode == 0 and "发票" in table.stdout

    (docs / "invoice.txt").unlink()
    removed = run_cli("ingest", str(docs), data_dir=data)
    assert "删除：invoice.txt" in removed.stdout or "删除 1" in removed.stdout
