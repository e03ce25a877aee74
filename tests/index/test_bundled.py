"""Retrieval on the bundled manual: script, width and typo variants; the labelled set's floor."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.index.quality import (
    dev_files,
    evaluate,
    first_hit_rank,
    held_out_files,
    labelled_files,
    load_queries,
    load_query_sets,
)
from assistant.index.retriever import Retriever

# Regression guards on dev data, just under the measured hybrid r@3. Earlier held-out sets were read
# while tuning and are dev data now (tests/index/dev_heldout_*.yaml); the held-out sets' floor
# (eval/retrieval_queries_4.yaml, _5) is set by the lead, who alone measures them.
DEV_HELDOUT_FLOOR = 0.98  # measured 1.0 (54 of 54; 0.852 before it became dev data)
DEV_FLOOR = 0.945  # every dev set together: measured 0.952 (560 of 588, batch 4 included)
# The held-out sets, measured once after each tuning round. Set 4 (143 messages): 0.825 before
# tuning, 0.909 after round 1, 0.916 after round 2. Set 5 (128), first measured after round 1:
# 0.828 on the retriever before round 1, 0.898 after it, 0.914 after round 2. Together 0.915
# (248/271). The target (bench) is 0.9. On failure only the count is shown.
HELD_OUT_FLOOR = 0.9
DEV_HELDOUT = Path(__file__).with_name("dev_heldout_1.yaml")


@pytest.fixture(scope="module")
def retriever(bundled_index) -> Retriever:
    return Retriever.from_settings(bundled_index)


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        pytest.param("客户声音很小，杂音很大", "杂音很大", id="manual-wording"),
        pytest.param("客戶聲音很小或者雜音很大", "杂音很大", id="traditional-script"),
        pytest.param(
            "客户声音很小或者杂音很大".translate({0x3001: 0xFF0C}) + "！！", "杂音很大", id="full-width"
        ),
        pytest.param("ＫＦ客户声音很小，杂英很大", "杂音很大", id="typo-and-full-width-latin"),
        pytest.param("客户声音很小或者杂音很大", "杂音很大", id="manual-heading"),
        pytest.param("客户责备客服动做慢", "动作慢", id="typo-one-character"),
    ],
)
def test_variants_of_a_query_find_the_right_section(retriever, query, fragment):
    results = retriever.search(query, k=3)
    assert first_hit_rank(results, [fragment]) is not None, [r.section for r in results]


def test_results_carry_id_title_section_text_and_descending_scores(retriever):
    results = retriever.search("客户讲方言", k=5)
    assert len(results) == 5
    assert all(r.id and r.title and r.section and r.text for r in results)
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)


def test_reingesting_the_bundled_manual_changes_nothing(bundled_index):
    from assistant.index.generation import read_manifest
    from assistant.index.ingest import ingest

    before = read_manifest(bundled_index)
    report = ingest(None, bundled_index)
    assert not (report.added or report.updated or report.removed)
    assert read_manifest(bundled_index) == before


def test_earlier_held_out_sets_are_dev_data_and_the_held_out_sets_are_the_newest():
    assert [path.name for path in held_out_files()] == [
        "retrieval_queries_4.yaml",
        "retrieval_queries_5.yaml",
    ]
    retired = {path.name for path in dev_files()}
    assert {"dev_heldout_1.yaml", "dev_heldout_2.yaml", "dev_heldout_3.yaml"} <= retired
    assert set(labelled_files()) == set(dev_files()) | set(held_out_files())


def test_hybrid_recall_at_3_on_the_first_held_out_set_stays_above_its_floor(retriever):
    quality = evaluate("hybrid", retriever.search, load_queries(DEV_HELDOUT))
    assert quality.queries == 54
    assert quality.recall_at_3 >= DEV_HELDOUT_FLOOR, quality.misses


def test_hybrid_recall_at_3_on_the_held_out_sets_stays_above_the_floor(retriever):
    queries = [q for path in held_out_files() for q in load_queries(path)]
    quality = evaluate("hybrid", retriever.search, queries)
    assert quality.queries >= 270
    assert quality.recall_at_3 >= HELD_OUT_FLOOR, f"{len(quality.misses)} held-out misses"


def test_hybrid_recall_at_3_on_all_dev_sets_stays_above_the_floor(retriever):
    queries = load_query_sets(dev_files())["combined"]
    quality = evaluate("hybrid", retriever.search, queries)
    assert quality.queries >= 200
    assert quality.recall_at_3 >= DEV_FLOOR, quality.misses


def test_the_first_k_results_do_not_depend_on_k(retriever):
    query = "我都等了二十分钟了，到底有没有人管"
    assert [r.id for r in retriever.search(query, k=3)] == [r.id for r in retriever.search(query, k=10)[:3]]


DEV_QUERIES = Path(__file__).with_name("dev_queries.yaml")


def test_hybrid_beats_or_matches_each_single_retriever_on_the_dev_set(retriever):
    queries = load_queries(DEV_QUERIES)
    hybrid = evaluate("hybrid", retriever.search, queries)
    lexical = evaluate("bm25", retriever.search_lexical, queries)
    assert hybrid.recall_at_3 >= 0.5, hybrid.misses
    assert hybrid.mrr >= lexical.mrr - 0.1


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        pytest.param("他磨磨蹭蹭的，半天弄不好", "动作慢", id="dawdling"),
        pytest.param("你们寄错颜色了", "业务流程失误", id="wrong-colour"),
        pytest.param("你们人工几点下班", "工作范围", id="closing-time"),
    ],
)
def test_the_lexicon_brings_customer_words_to_the_manual_section_in_bm25(retriever, query, fragment):
    assert first_hit_rank(retriever.search_lexical(query, k=3), [fragment]) is not None


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        pytest.param("发了消息五分钟没人理", "处理时限要求", id="no-reply-is-response-time"),
        pytest.param("你们几点下班", "工作范围", id="closing-time-is-working-hours"),
        pytest.param("这个问题该找售前还是售后", "客服工作分类", id="which-agent-role"),
        pytest.param("你能保证明天一定送到吗", "留有余地", id="asks-for-a-guarantee"),
    ],
)
def test_sections_reached_only_through_new_situations_are_found(retriever, query, fragment):
    assert first_hit_rank(retriever.search(query, k=3), [fragment]) is not None


def test_the_nearest_cue_list_leads_with_its_situations_sections(retriever):
    from assistant.situations import load_catalogue

    cue = load_catalogue().get("dialect").cues[0]
    ranked = retriever.rank_situations(cue, depth=20, how="nearest", top=2)
    assert list(ranked.scores) == sorted(ranked.scores, reverse=True)
    top = retriever.search(cue, k=3)
    assert ranked.ids[0] == top[0].id
    assert "讲方言" in top[0].section


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        pytest.param("来电的大爷一口潮汕话，我完全听不懂", "讲方言", id="a-dialect-by-name"),
        pytest.param("顾客在电话那头大发雷霆，我该怎么安抚", "情绪激动", id="anger-in-other-words"),
        pytest.param(
            "客户问这两款空调有什么区别，我答不上来怎么办", "产品知识储备不足", id="stumped-on-a-product"
        ),
        pytest.param("这个问题要财务部门处理，怎么跟用户解释", "其他部门协助", id="another-department"),
        pytest.param("客户想让我们写个保证书，怎么回复比较好", "留有余地", id="asked-for-a-guarantee"),
    ],
)
def test_an_agents_question_about_a_customer_finds_the_customers_situation(retriever, query, fragment):
    assert first_hit_rank(retriever.search(query, k=3), [fragment]) is not None


def test_a_chat_up_line_finds_the_manuals_forbidden_zone(retriever):
    results = retriever.search("加个微信私聊呗，交个朋友", k=3)
    assert first_hit_rank(results, ["服务禁区", "聊天过程中"]) == 1, [r.section for r in results]
