"""Citation parsing: valid `[n]` kept and renumbered to the sources, unknown ones dropped and reported."""

from __future__ import annotations

import pytest

from assistant.drafting.citations import resolve_citations, strip_citations
from tests.drafting.conftest import THREE_SECTIONS


@pytest.mark.parametrize(
    ("answer", "reply", "sources", "dropped"),
    [
        pytest.param("请稍等 [1]。", "请稍等 [1]。", (0,), (), id="kept"),
        pytest.param("请稍等 [3]。", "请稍等 [1]。", (2,), (), id="renumbered"),
        pytest.param("甲 [9]，乙 [2]。", "甲，乙 [1]。", (1,), (9,), id="unknown-dropped"),
        pytest.param("甲【1】乙［3］", "甲 [1]乙 [2]", (0, 2), (), id="full-width-brackets"),
        pytest.param("甲 [1, 3, 7]。", "甲 [1][2]。", (0, 2), (7,), id="list-in-one-bracket"),
        pytest.param("没有引用。", "没有引用。", (0, 1, 2), (), id="none-cited-keeps-all-sources"),
        pytest.param("甲 [0]。", "甲。", (0, 1, 2), (0,), id="zero-is-unknown"),
    ],
)
def test_resolve_citations(answer, reply, sources, dropped):
    result = resolve_citations(answer, THREE_SECTIONS)
    assert result.reply == reply
    assert result.sources == tuple(THREE_SECTIONS[i] for i in sources)
    assert result.dropped == dropped


def test_strip_citations_gives_the_customer_text():
    assert strip_citations("请稍等 [1]，马上为您核实 [2]。") == "请稍等，马上为您核实。"
