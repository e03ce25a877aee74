"""Ingest keeps the index a mirror of the given files and never leaves it half-written."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from assistant.errors import IndexMissingError
from assistant.index.chroma import make_client
from assistant.index.generation import read_manifest
from assistant.index.ingest import apply_corpus
from assistant.index.retriever import Retriever
from assistant.settings import Settings
from tests.index.handmade import SECTIONS, corpus


@pytest.fixture(params=["embedded", "server"])
def settings(request, tmp_path) -> Settings:
    if request.param == "server":
        url = request.getfixturevalue("chroma_server")
        return Settings(data_dir=tmp_path, chroma_url=url, collection=f"t{tmp_path.name[-20:]}")
    return Settings(data_dir=tmp_path)


def sections_found(settings: Settings, query: str) -> list[str]:
    return [r.section for r in Retriever.from_settings(settings).search(query, k=4, situations=False)]


def our_collections(settings: Settings) -> list[str]:
    names = [c.name for c in make_client(settings).list_collections()]
    return [n for n in names if n.startswith(f"{settings.collection}-g")]


def test_reingesting_the_same_files_changes_nothing(settings):
    files, chunks = corpus(SECTIONS)
    first = apply_corpus(files, chunks, settings)
    before = read_manifest(settings)
    second = apply_corpus(files, chunks, settings)
    assert first.added == ("orders.txt", "phone.txt")
    assert second.unchanged == ("orders.txt", "phone.txt")
    assert not (second.added or second.updated or second.removed)
    assert read_manifest(settings) == before
    assert our_collections(settings) == [before.collection]


def test_changed_file_replaces_its_chunks_and_reuses_other_embeddings(settings):
    apply_corpus(*corpus(SECTIONS), settings)
    changed = {**SECTIONS, "orders.txt": [("订单问题 > 发票开具", "电子发票在订单完成后开具。")]}
    embedded: list[int] = []

    def record(stage, done, total):
        if stage == "embed":
            embedded.append(total)

    report = apply_corpus(*corpus(changed), settings, progress=record)
    assert report.updated == ("orders.txt",) and report.unchanged == ("phone.txt",)
    assert set(embedded) == {1}  # only the new chunk was embedded; phone.txt's vectors were reused
    found = sections_found(settings, "发票")
    assert found[0] == "订单问题 > 发票开具"
    assert "订单问题 > 订单错发" not in found
    assert len(our_collections(settings)) == 1


def test_file_no_longer_given_is_removed(settings):
    apply_corpus(*corpus(SECTIONS), settings)
    report = apply_corpus(*corpus({"phone.txt": SECTIONS["phone.txt"]}), settings)
    assert report.removed == ("orders.txt",)
    assert all(not s.startswith("订单问题") for s in sections_found(settings, "订单错发 换货"))


def test_failure_mid_build_leaves_the_old_index_in_place(settings):
    apply_corpus(*corpus(SECTIONS), settings)
    before = read_manifest(settings)

    def explode(stage, done, total):
        if stage == "write":
            raise RuntimeError("disk full")

    changed = {**SECTIONS, "orders.txt": [("订单问题 > 发票开具", "电子发票在订单完成后开具。")]}
    with pytest.raises(RuntimeError, match="disk full"):
        apply_corpus(*corpus(changed), settings, progress=explode)
    assert read_manifest(settings) == before
    assert our_collections(settings) == [before.collection]
    assert sections_found(settings, "订单错发")[0] == "订单问题 > 订单错发"


def test_process_killed_mid_write_leaves_a_usable_old_index(tmp_path):
    settings = Settings(data_dir=tmp_path)
    apply_corpus(*corpus(SECTIONS), settings)
    before = read_manifest(settings)
    script = textwrap.dedent(f"""
        import os
        from assistant.index.ingest import apply_corpus
        from assistant.settings import Settings
        from tests.index.handmade import SECTIONS, corpus
        def die(stage, done, total):
            if stage == "write":
                os._exit(9)
        changed = {{**SECTIONS, "extra.txt": [("新章节", "新增的内容。")]}}
        apply_corpus(*corpus(changed), Settings(data_dir={str(tmp_path)!r}), progress=die)
    """)
    killed = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert killed.returncode == 9, killed.stderr.decode()
    assert read_manifest(settings) == before
    assert sections_found(settings, "杂音很大")[0].endswith("客户声音很小或者杂音很大")
    report = apply_corpus(*corpus(SECTIONS), settings)  # the next ingest cleans up the leftovers
    assert report.unchanged == ("orders.txt", "phone.txt")
    assert len(list((tmp_path / "index" / "generations").iterdir())) == 1


def test_missing_index_is_a_clear_user_error(tmp_path):
    with pytest.raises(IndexMissingError, match="请先运行 assistant ingest"):
        Retriever.from_settings(Settings(data_dir=tmp_path))


def test_index_built_with_another_embedder_is_refused(tmp_path):
    apply_corpus(*corpus(SECTIONS), Settings(data_dir=tmp_path))
    with pytest.raises(IndexMissingError, match="嵌入模型 use"):
        Retriever.from_settings(Settings(data_dir=tmp_path, embedder="openai"))
