"""Building blocks of retrieval: tokens, fusion, the registered embedding function."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from assistant.index.ingest import apply_corpus
from assistant.index.lexical import LexicalIndex, tokenize
from assistant.index.retriever import RRF_K, Ranked, rrf
from assistant.settings import Settings
from tests.index.handmade import SECTIONS, corpus


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("客戶聲音很小", {"客户", "声音"}, id="traditional-folded"),
        pytest.param("ＡＢＣ退款", {"abc", "退款"}, id="full-width-folded"),
        pytest.param("杂英很大", {"很大"}, id="typo-keeps-bigrams"),
    ],
)
def test_tokens_are_normalised_words_and_bigrams(text, expected):
    assert expected <= set(tokenize(text))


def test_particles_are_not_tokens():
    assert not {"的", "了", "吗"} & set(tokenize("我的订单了吗"))


def test_bm25_finds_the_section_despite_a_typo():
    texts = ["客户声音很小或者杂音很大", "客户责备客服动作慢", "订单错发"]
    assert LexicalIndex.build(texts).search("杂英很大", 1)[0][0] == 0


def test_rrf_prefers_an_id_ranked_well_by_several_lists():
    fused = rrf([Ranked(("a", "b", "c"), (3, 2, 1)), Ranked(("c", "b"), (2, 1)), Ranked(("b",), (1,))])
    assert [cid for cid, _ in fused] == ["b", "c", "a"]
    assert fused[0][1] == pytest.approx(2 / (RRF_K + 2) + 1 / (RRF_K + 1))


def test_reopened_collection_rebuilds_our_embedding_function_in_a_fresh_process(tmp_path):
    apply_corpus(*corpus(SECTIONS), Settings(data_dir=tmp_path))
    script = textwrap.dedent(f"""
        import chromadb
        import assistant.index.embeddings  # registers the USE function with Chroma
        from assistant.index.generation import read_manifest
        from assistant.settings import Settings
        settings = Settings(data_dir={str(tmp_path)!r})
        client = chromadb.PersistentClient(path=str(settings.index_dir / "chroma"))
        collection = client.get_collection(read_manifest(settings).collection)  # no function given
        got = collection.query(query_texts=["退款多久到账"], n_results=1)
        print(got["metadatas"][0][0]["section"])
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "订单问题 > 退款进度"
