"""The situation matcher with the real USE embedder and the bundled catalogue."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.situations import SituationMatcher, hints_for, load_catalogue
from assistant.situations.evaluate import accuracy, load_messages
from assistant.situations.matcher import RANK_LEXICAL_WEIGHT, normalize

DEV_SET = Path(__file__).with_name("dev_messages.yaml")
CATALOGUE = load_catalogue()
DEV_MESSAGES = load_messages(DEV_SET)


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("situation-cache")


@pytest.fixture(scope="module")
def matcher(cache_dir) -> SituationMatcher:
    return SituationMatcher(CATALOGUE, cache_dir=cache_dir)


def ids(matcher: SituationMatcher, text: str, top: int = 3) -> list[str]:
    return [m.situation.id for m in matcher.match(text, top=top)]


def test_dev_set_is_large_enough_and_names_real_situations():
    known = {s.id for s in CATALOGUE.situations}
    assert len(DEV_MESSAGES) >= 60
    assert {e for m in DEV_MESSAGES for e in m.expect} <= known
    cues = {c for s in CATALOGUE.situations for c in s.cues}
    assert not [m.text for m in DEV_MESSAGES if m.text in cues], "dev messages must differ from the cues"


@pytest.mark.parametrize("situation", CATALOGUE.situations, ids=lambda s: s.id)
def test_every_situation_is_found_for_one_of_its_dev_messages(matcher, situation):
    texts = [m.text for m in DEV_MESSAGES if situation.id in m.expect]
    assert texts, f"no dev message for {situation.id}"
    assert any(situation.id in ids(matcher, text) for text in texts)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("你好", id="greeting"),
        pytest.param("在吗", id="are-you-there"),
        pytest.param("今天天气真不错", id="weather-chat"),
        pytest.param("帮我写一首关于春天的诗", id="off-topic-request"),
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
    ],
)
def test_greetings_and_off_topic_match_nothing(matcher, text):
    assert matcher.match(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("我都等了二十分钟了", "urging", id="waiting-is-urging"),
        pytest.param("你们寄错颜色了", "order_error", id="wrong-colour-is-wrong-shipment"),
        pytest.param("你們寄錯顏色了，我要的是藍色", "order_error", id="traditional-script"),
        pytest.param("ＡＰＰ一直閃退，進不去", "system_fault", id="full-width-and-traditional"),
        pytest.param("你们经理的电话给我一个", "internal_contact", id="asks-for-leader-phone"),
    ],
)
def test_customer_wording_maps_to_the_manual_situation(matcher, text, expected):
    assert ids(matcher, text)[0] == expected


def test_an_upset_customer_with_a_late_refund_gets_both_situations(matcher):
    found = ids(matcher, "退款拖了一个礼拜还没到，我真的要气炸了")
    assert {"upset", "order_error"} <= set(found)


def test_matches_are_sorted_best_first_and_capped(matcher):
    matches = matcher.match("你们这帮废物，我的退款到底什么时候到", top=3)
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert len(matcher.match("你们这帮废物，我的退款到底什么时候到", top=1)) == 1
    assert all(m.score >= matcher.threshold for m in matches)


def test_matching_is_deterministic_across_calls_and_instances(matcher, cache_dir):
    text = "东西坏了好几天了一直没人理，气死我了"
    again = SituationMatcher(CATALOGUE, cache_dir=cache_dir)
    assert matcher.match(text) == matcher.match(text) == again.match(text)


def test_cue_vectors_are_cached_on_disk_and_reused(matcher, cache_dir):
    files = list(cache_dir.glob("situation-cues-*.npy"))
    assert len(files) == 1
    cues = sum(len(s.cues) for s in CATALOGUE.situations) + len(CATALOGUE.background)
    assert np.load(files[0]).shape == (cues, 512)
    calls = []

    def counting_embed(texts):
        calls.append(len(texts))
        from assistant.situations.matcher import _use_embed

        return _use_embed(texts)

    SituationMatcher(CATALOGUE, cache_dir=cache_dir)  # reads the cache: no new file
    assert len(list(cache_dir.glob("situation-cues-*.npy"))) == 1
    SituationMatcher(CATALOGUE, embed=counting_embed)  # a custom embedder never uses the cache
    assert calls == [cues]


def test_an_upset_customer_gets_the_escalation_hint(matcher):
    hints = hints_for(matcher.match("别跟我扯这些，我现在气得不行，马上给我解决"))
    assert hints, "expected the 情绪激动 hint"
    assert hints[0].situation == "情绪激动"
    assert "1分钟内转接资深客服或主管" in hints[0].advice


def test_dev_set_accuracy_floor(matcher):
    report = accuracy(matcher, DEV_MESSAGES)
    assert report.top3 >= 0.85, report.misses
    assert report.top1 >= 0.8, report.misses
    assert report.nothing_ok == 1.0


def test_rank_gives_the_closest_situations_where_match_gives_none(matcher):
    text = "那个事你们到底弄好了没有"
    ranked = matcher.rank(text, top=3)
    assert len(ranked) == 3
    assert [m.score for m in ranked] == sorted((m.score for m in ranked), reverse=True)
    assert matcher.rank("", top=3) == []


def test_rank_puts_a_clear_situation_first(matcher):
    assert matcher.rank("你们寄错颜色了，我要的是黑色", top=3)[0].situation.id == "order_error"


def test_nearest_puts_the_owner_of_a_verbatim_cue_first(matcher):
    situation = CATALOGUE.get("dialect")
    nearest = matcher.nearest(situation.cues[0], top=2)
    assert [m.situation.id for m in nearest][0] == "dialect"
    assert len(nearest) == 2
    assert nearest[0].score >= nearest[1].score


def test_nearest_scores_a_situation_by_its_single_best_cue(matcher):
    text = "我在你们这边排队排了半个钟头"
    nearest = matcher.nearest(text, top=3)
    assert len(nearest) == 3
    best = nearest[0].situation
    cue_vectors = matcher._embed([normalize(cue) for cue in best.cues])
    best_cue = float((cue_vectors @ matcher._embed([normalize(text)])[0]).max())
    # the embedding similarity of its best cue, plus a non-negative character n-gram share
    assert nearest[0].score >= best_cue - 1e-3
    assert nearest[0].score <= best_cue + RANK_LEXICAL_WEIGHT + 1e-3


def test_nearest_of_an_empty_message_is_empty(matcher):
    assert matcher.nearest("  ", top=2) == []
