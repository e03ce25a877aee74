"""The `assistant` command as a user runs it: a real subprocess, real exit codes."""

import subprocess
import sys


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], input=stdin, capture_output=True, text=True, timeout=120
    )


def test_help_lists_commands():
    result = run_cli("--help")
    assert result.returncode == 0
    assert "bench" in result.stdout


def test_user_error_is_one_line_without_traceback():
    result = run_cli("bench", "--only", "no-such-benchmark")
    assert result.returncode == 2
    assert "没有这些基准" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback():
    result = run_cli("--debug", "bench", "--only", "no-such-benchmark")
    assert result.returncode != 0
    assert "Traceback" in result.stderr
