"""The Hyperscan prefilter changes no result: the engine gives what it gives without Hyperscan
(every regex and exception run, an Aho-Corasick automaton finds the phrases, every detector runs),
only faster; its compiled database is cached on disk and survives a bad cache."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import guardrails
import guardrails.prefilter as prefilter
from guardrails import cache
from guardrails.engine import build_engine
from guardrails.normalize import fold_pattern
from guardrails.prefilter import Prefilter

DATA = Path(__file__).parent / "data"
ENGINE = guardrails.load_engine()


@pytest.fixture(scope="module")
def reference():
    """The default engine built without Hyperscan: nothing is skipped."""
    saved, prefilter.hyperscan = prefilter.hyperscan, None
    try:
        engine = build_engine(())
    finally:
        prefilter.hyperscan = saved
    assert not engine._text_rules._prefilter.available
    return engine


def _corpus() -> list[str]:
    texts = [t for r in ENGINE.rules for t in (*r.examples.flag, *r.examples.passing)]
    for path in [DATA / "labelled.yaml", *sorted(DATA.glob("dev_*.yaml"))]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        violating = data["violating"]
        items = violating if isinstance(violating, list) else [t for v in violating.values() for t in v]
        texts += [t["text"] if isinstance(t, dict) else t for t in [*items, *data["clean"]]]
    long = ["，".join(texts[i : i + 12]) for i in range(0, len(texts), 7)]  # 100-1000 characters
    return texts + long


def test_the_default_engine_uses_hyperscan():
    rules = ENGINE._text_rules
    assert rules._prefilter.available and rules._prefilter.available
    assert not rules._always  # every pack regex is prefiltered, none runs on every text


def test_prefiltering_changes_no_result_on_the_pack_examples_and_the_dev_sets(reference):
    texts = _corpus()
    assert len(texts) > 4000
    different = [t for t in texts if ENGINE.check(t) != reference.check(t)]
    assert different == []


# Digits, numerals, separators, trigger words and the characters of common violations.
MIXED = list(
    "0123456789一二三四五六七八九零幺两 -.·()@:：，。abcqxvw转路号弄室手机电话微信分机不知道保证您你"
)
MIXED += ["不清楚", "去问其他客服吧", "138", "0571", "微信号", "分机", "张江路", "@example.com", "\u200b"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(MIXED), max_size=40).map("".join))
def test_prefiltering_changes_no_result_on_any_mix_of_numbers_and_trigger_words(reference, text):
    assert ENGINE.check(text) == reference.check(text)


PACK_REGEXES = [source for _, source in ENGINE._text_rules._regexes]
PACK_CHARS = sorted({ch for p in PACK_REGEXES for ch in p if not ch.isascii()} | set("，。！？ab1 \n"))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=PACK_CHARS, max_size=60))
def test_the_scan_reports_every_pack_regex_that_matches(text):
    """Hyperscan's reading of each regex (`anchors.pcre`, prefilter mode; the required parts of a
    lexicon-sized one) matches at least what `re` matches."""
    rules = ENGINE._text_rules
    reported = {number for number, _ in rules._prefilter.scan(text.encode())}
    for number, (_, source) in enumerate(rules._regexes):
        if any(m.end() > m.start() for m in fold_pattern(source).finditer(text)):
            assert number in reported, source


def test_checks_from_many_threads_agree_with_checks_from_one():
    texts = _corpus()[:400]
    alone = [ENGINE.check(t) for t in texts]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(ENGINE.check, texts * 4))
    assert together == alone * 4


PATTERNS = [
    "不(知道|清楚)",
    "(?<!帮)您去问[^。]{0,4}客服",
    "(?i:qq)号",
]


def test_a_pattern_hyperscan_cannot_take_runs_on_every_text(tmp_path):
    found = Prefilter(PATTERNS, ["保证"], cache=tmp_path)
    assert found.available and found.always == (2,)  # scoped flags: not said for Hyperscan
    reports = found.scan("我不知道，我保证".encode())
    assert {n for n, _ in reports} == {0, 3}
    assert (3, len("我不知道，我保证".encode())) in reports  # a literal: where it ends, in bytes


def test_python_syntax_that_pcre_reads_otherwise_is_said_from_the_parse_tree(tmp_path):
    found = Prefilter(["a{,3}b", r"[\u4e00-\u9fff]x", "[^:]y"], cache=tmp_path)
    assert found.always == ()
    assert {n for n, _ in found.scan("ab 中x zy".encode())} == {0, 1, 2}


def test_windowed_patterns_that_depend_on_where_the_text_ends_always_run(tmp_path):
    patterns = ["知道$", "知道", "不清楚$"]
    found = Prefilter(patterns, windowed=[0, 1], cache=tmp_path)
    assert found.always == (0,)  # 不清楚$ is searched in the whole text: the scan can tell


def test_the_compiled_database_is_cached_and_reused(tmp_path, monkeypatch):
    Prefilter(PATTERNS, cache=tmp_path)
    (cached,) = tmp_path.glob("*.hsdb")

    def no_compile(*args):
        raise AssertionError("compiled again")

    monkeypatch.setattr(prefilter, "_build", no_compile)  # where patterns are parsed and compiled
    again = Prefilter(PATTERNS, cache=tmp_path)
    assert again.always == (2,) and {n for n, _ in again.scan("不清楚".encode())} == {0}
    assert list(tmp_path.iterdir()) == [cached]  # written atomically: no temporary left


def test_a_lexicon_sized_pattern_is_gated_by_its_parts_from_the_cache_too(tmp_path, monkeypatch):
    lexicon = "(?:" + "|".join(f"词{i:03d}" for i in range(80)) + ")(?:太差|很烂)"
    assert len(lexicon) >= prefilter.LEXICON_SIZE
    texts = ["词005太差", "词079很烂", "太差", "词005", "很好"]
    built = Prefilter([lexicon, "好"], cache=tmp_path)
    monkeypatch.setattr(prefilter, "_build", lambda *args: pytest.fail("built again"))
    cached = Prefilter([lexicon, "好"], cache=tmp_path)
    for found in (built, cached):
        assert found.always == ()
        reported = [{n for n, _ in found.scan(text.encode())} for text in texts]
        assert reported == [{0}, {0}, set(), set(), {1}]


def test_a_damaged_cache_is_compiled_again(tmp_path):
    Prefilter(PATTERNS, cache=tmp_path)
    (cached,) = tmp_path.glob("*.hsdb")
    cached.write_bytes(b"[]\ngarbage")
    found = Prefilter(PATTERNS, cache=tmp_path)
    assert {n for n, _ in found.scan("不清楚".encode())} == {0}
    assert cached.read_bytes() != b"[]\ngarbage"


def test_a_cache_that_cannot_be_written_only_costs_the_compile(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    found = Prefilter(PATTERNS, cache=blocked / "cache")
    assert {n for n, _ in found.scan("不清楚".encode())} == {0}


def test_only_the_most_recently_used_databases_are_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "CACHE_SIZE", 2)
    for word in ("甲", "乙", "丙"):
        Prefilter([word], cache=tmp_path)
    assert len(list(tmp_path.glob("*.hsdb"))) == 2


def test_the_cache_key_changes_with_the_code_that_says_patterns_for_hyperscan(tmp_path, monkeypatch):
    Prefilter(PATTERNS, cache=tmp_path)
    real = Path.read_bytes
    changed = Path(prefilter.anchors.__file__)
    monkeypatch.setattr(Path, "read_bytes", lambda p: real(p) + (b"#" if p == changed else b""))
    Prefilter(PATTERNS, cache=tmp_path)
    assert len(list(tmp_path.glob("*.hsdb"))) == 2


def test_without_a_writable_home_the_cache_is_a_private_temporary_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("GUARDRAILS_CACHE", raising=False)
    home = tmp_path / "home"
    home.mkdir()
    (home / ".cache").write_text("a file where the cache folder would go")
    monkeypatch.setattr(Path, "home", lambda: home)
    monkeypatch.setattr(cache.tempfile, "tempdir", str(tmp_path))
    folder = cache.cache_dir()
    assert folder.parent == tmp_path and folder.name.startswith("guardrails-cache-")
    assert folder.stat().st_mode & 0o077 == 0
