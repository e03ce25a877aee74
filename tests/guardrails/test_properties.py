"""Properties: padding a flagged phrase with invisible characters or spaces never makes it pass;
the first-character lookahead put in front of pack regexes never changes what they match."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import guardrails
from guardrails.anchors import REGEX, bounded, required_parts, with_first_chars
from guardrails.normalize import fold_pattern

PHRASES = ["不知道", "不清楚", "保证", "烦不烦", "绝对", "百分之百", "去营业厅问", "包您满意", "13812345678"]
PADDING = st.sampled_from(["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", " ", "\u00ad"])


@st.composite
def padded(draw):
    phrase = draw(st.sampled_from(PHRASES))
    out = []
    for ch in phrase:
        out.append(ch)
        out.append("".join(draw(st.lists(PADDING, max_size=2))))
    prefix = draw(st.sampled_from(["", "您好，", "这个", "嗯。"]))
    return phrase, prefix + "".join(out).rstrip("".join(["\u200b", " "]))


@settings(max_examples=200, deadline=None)
@given(padded())
def test_padding_a_flagged_phrase_never_makes_it_pass(case):
    phrase, text = case
    assert guardrails.check(phrase).violations, phrase
    result = guardrails.check(text)
    assert result.verdict != "pass", repr(text)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("不知道保证清楚您好，。 \u200b１３８０一三八12345微信@.a")), max_size=60
    )
)
def test_spans_always_slice_the_original_text(text):
    for v in guardrails.check(text).violations:
        assert text[v.start : v.end] == v.text
        assert 0 <= v.start < v.end <= len(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gives_a_result_not_an_exception(text):
    result = guardrails.check(text)
    assert result.verdict in ("pass", "warn", "block")
    for v in result.violations:
        assert text[v.start : v.end] == v.text


PACK_REGEXES = [fold_pattern(p) for rule in guardrails.load_engine().rules for p in rule.regex]
PACK_CHARS = sorted({ch for p in PACK_REGEXES for ch in p.pattern if not ch.isascii()} | set("，。！？ab1 "))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=PACK_CHARS, max_size=40), st.sampled_from(PACK_REGEXES))
def test_first_character_lookahead_never_changes_a_regex_match(text, pattern):
    fast = with_first_chars(pattern)
    assert [(m.span(), m.groups()) for m in fast.finditer(text)] == [
        (m.span(), m.groups()) for m in pattern.finditer(text)
    ]


def test_first_character_lookahead_is_added_only_when_first_characters_are_known():
    assert with_first_chars(re.compile("(?<!不)(别|友)?商[^。]{0,4}(垃圾|坑)")).pattern.startswith(
        "(?=[别友商])"
    )
    assert with_first_chars(re.compile(".{0,3}垃圾")).pattern == ".{0,3}垃圾"
    assert with_first_chars(re.compile("(您)?好")).pattern.startswith("(?=[好您])")


@pytest.mark.parametrize("text", ["别家垃圾", "不别家垃圾", "友商的坑，不友商坑", "别\n家坑", "友商\n坑"])
def test_leading_lookbehinds_move_after_a_fixed_width_start_with_the_same_matches(text):
    pattern = re.compile("(?<!不)(?<![买卖])(别家|友商)[^。]{0,4}(垃圾|坑)")
    fast = with_first_chars(pattern)
    assert fast is not pattern and fast.pattern is None  # compiled from the reordered parse tree
    assert [(m.span(), m.groups()) for m in fast.finditer(text)] == [
        (m.span(), m.groups()) for m in pattern.finditer(text)
    ]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("(别家|友商)[^。]{0,4}(垃圾|坑)", id="alternation-of-literals"),
        pytest.param("投诉(我)?(也)?(没用|好了)", id="literal-prefix"),
        pytest.param("[笨蠢傻](死了|透了)", id="character-set"),
    ],
)
def test_first_character_lookahead_is_not_added_where_re_already_skips_to_first_characters(source):
    assert with_first_chars(re.compile(source)).pattern == source


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=PACK_CHARS, max_size=40), st.sampled_from(PACK_REGEXES))
def test_every_match_of_a_regex_holds_the_required_parts_of_one_of_its_branches(text, pattern):
    branches = required_parts(pattern)
    for m in pattern.finditer(text):
        if branches and m.end() > m.start():
            assert any(all(_holds(part, m.group()) for part in branch) for branch in branches)


def _holds(part: tuple[str, ...], text: str) -> bool:
    """Whether `text` holds one of the part's literals (a part with a regex alternative: yes)."""
    return any(a.startswith(REGEX) or a in text for a in part)


def test_required_parts_are_the_literals_and_alternations_of_each_branch():
    assert required_parts(re.compile("(你|您)(去|找)问")) == [[("你", "您"), ("去", "找"), ("问",)]]
    assert required_parts(re.compile("(垃圾|骗(子|人))[^。]{0,4}坑|别家")) == [
        [("垃圾", "骗人", "骗子"), ("坑",)],
        [("别家",)],
    ]
    assert required_parts(re.compile("a?")) is None
    ((word, (regex, literal)),) = required_parts(re.compile("说(好[^。]{0,9}坏|差)"))  # many strings
    assert word == ("说",) and regex.startswith(REGEX) and literal == "差"


@pytest.mark.parametrize(
    ("source", "bounded_"),
    [
        ("(?<!不)知道(?=$|[,。])", False),
        ("^知道", True),
        ("知道$", True),
        (r"(a|\bb)+", True),
        ("a(?:b|c)", False),
    ],
)
def test_a_pattern_is_bounded_when_a_match_depends_on_where_the_text_ends(source, bounded_):
    assert bounded(re.compile(source)) is bounded_
