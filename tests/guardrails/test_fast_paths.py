"""The guard's fast paths give exactly what the general paths give."""

import re
import subprocess
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import guardrails
from guardrails.contacts import _NUMBER_RUN, may_hold_number
from guardrails.normalize import (
    _SOFT,
    T2S_PHRASE_ONLY,
    Normalized,
    _unstable,
    digits_raw,
    is_cjk,
    normalize,
    normalize_raw,
)
from guardrails.result import GuardResult, Violation

# Characters the fast path must tell apart: plain ASCII (upper case too), common simplified
# characters, Traditional ones, the characters t2s changes only inside phrases, full-width forms,
# zero-width and format characters, soft separators, CJK punctuation, an astral character.
MIXED = (
    "abcXYZ019 .-_*@+()"
    "你您我不知道清楚保证好的客服问其他吧回复深沉打坏覆"
    "們證問題後門開關龍"
    + T2S_PHRASE_ONLY
    + "，。！？：；（）、“”《》【】·—"
    + "ＡＢ１２３＠"
    + "\u200b\u200d\u2060\ufeff\u00ad\u3000\u00a0\t\n"
    + "😀"
)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=MIXED, max_size=60))
def test_normalising_on_the_fast_path_equals_the_full_pass(text):
    fast, full = normalize(text), normalize(text, fast=False)
    assert (fast.text, fast.offsets) == (full.text, full.offsets)


def test_every_character_the_fast_path_accepts_normalises_to_what_the_full_pass_gives():
    accepted = [chr(c) for c in range(0x3100) if not _unstable().search(chr(c))]
    accepted += [chr(c) for c in range(0x4E00, 0xA000) if not _unstable().search(chr(c))]
    assert len(accepted) > 15_000  # the common block is mostly on the fast path
    text = "".join(accepted)
    assert normalize(text).text == normalize(text, fast=False).text


def _t2s_entries(tmp_path: Path) -> list[tuple[str, str]]:
    """Every entry of the dictionaries OpenCC's t2s uses, dumped with its own `opencc_dict` tool."""
    clib = Path(opencc.__file__).parent / "clib"
    config = (clib / "share" / "opencc" / "t2s.json").read_text(encoding="utf-8")
    entries = []
    for name in sorted(set(re.findall(r'"file":\s*"([^"]+\.ocd2)"', config))):
        out = tmp_path / f"{name}.txt"
        subprocess.run(
            [
                clib / "bin" / "opencc_dict",
                "-i",
                clib / "share" / "opencc" / name,
                "-o",
                out,
                "-f",
                "ocd2",
                "-t",
                "text",
            ],
            check=True,
            capture_output=True,
        )
        for line in out.read_text(encoding="utf-8").splitlines():
            key, values = line.split("\t")
            entries.append((key, values.split(" ")[0]))
    return entries


def test_every_t2s_dictionary_entry_that_changes_text_holds_a_character_the_fast_path_refuses(tmp_path):
    entries = _t2s_entries(tmp_path)
    assert len(entries) > 5_000
    missed = [key for key, value in entries if key != value and not _unstable().search(key)]
    assert missed == []


def _compact_reference(norm: Normalized) -> Normalized:
    """Drop every maximal run of soft separators that touches a CJK character, one run at a time."""
    text, keep = norm.text, []
    drop = set()
    for m in re.finditer(f"[{_SOFT}]+", text):
        s, e = m.span()
        if (s and is_cjk(text[s - 1])) or (e < len(text) and is_cjk(text[e])):
            drop.update(range(s, e))
    keep = [i for i in range(len(text)) if i not in drop]
    return Normalized(norm.original, "".join(text[i] for i in keep), tuple(norm.offsets[i] for i in keep))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=MIXED, max_size=60))
def test_compacting_drops_exactly_the_soft_runs_that_touch_cjk(text):
    norm = normalize(text)
    compact, reference = norm.compact(), _compact_reference(norm)
    assert (compact.text, compact.offsets) == (reference.text, reference.offsets)


@pytest.mark.parametrize(
    ("text", "highlight"),
    [
        pytest.param("😀😀这个我不知道", "不知道", id="astral-characters-before"),
        pytest.param("Hello, 这个我不知道", "不知道", id="ascii-before"),
        pytest.param("不知道", "不知道", id="whole-text"),
        pytest.param("\ud800我不知道", "不知道", id="lone-surrogate-before"),
        pytest.param("回覆：这个我不知道", "不知道", id="phrase-only-traditional-before"),
    ],
)
def test_phrase_spans_are_character_offsets_whatever_comes_before(text, highlight):
    violations = guardrails.check(text).violations
    assert [text[v.start : v.end] for v in violations if v.rule == "banned.dismissive"] == [highlight]


def test_a_clean_text_gets_the_shared_pass_result():
    assert guardrails.check("您好，您的订单已发货，请注意查收。") is guardrails.check("感谢您的耐心等待。")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=MIXED + "一二三八零〇幺两", max_size=60))
def test_the_raw_helpers_equal_the_full_passes(text):
    folded, offsets, stable = normalize_raw(text)
    full = normalize(text, fast=False)
    assert (folded, offsets or tuple(range(len(folded)))) == (full.text, full.offsets)
    assert digits_raw(full.text) == full.text.translate(
        str.maketrans("〇零一二三四五六七八九幺两", "0012345678912")
    )
    if stable:  # a stable text has no digit outside ASCII and nothing outside the BMP
        assert all(ch.isascii() or not ch.isdigit() for ch in text) and max(text, default="a") <= "\uffff"


NUMBER_ALPHABET = "0123456789 -.()·x*ab一，\n"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=NUMBER_ALPHABET, max_size=40))
def test_the_number_gate_never_hides_a_number_run(text):
    if _NUMBER_RUN.search(text):
        assert may_hold_number(text, ascii_digits=True)
        assert may_hold_number(text)


def test_a_digit_outside_ascii_opens_the_number_gate():
    assert may_hold_number("\u0661\u0662\u0663")
    assert not may_hold_number("sf1234567890，128.50元")


def test_violations_made_fast_equal_violations_made_plainly():
    args = ("r", "vague", "warn", 1, 3, "不知", "消息", None)
    fast, plain = Violation.make(*args), Violation(*args)
    assert fast == plain and hash(fast) == hash(plain) and repr(fast) == repr(plain)
    assert GuardResult.of((fast,)) == GuardResult("warn", (plain,))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=MIXED + "一二三八零〇幺两", max_size=60))
def test_the_benchmarks_floor_takes_every_text_check_takes(text):
    engine = guardrails.load_engine()
    assert engine.floor(text) is None
    assert engine.check(text).verdict in ("pass", "warn", "block")
