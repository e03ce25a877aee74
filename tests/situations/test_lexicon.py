"""The customer→manual lexicon: the bundled file, expansion, and how a broken file is reported."""

from __future__ import annotations

import pytest

from assistant.situations import CatalogueError
from assistant.situations.lexicon import QueryExpander, expand_query, load_lexicon
from assistant.situations.schema import LEXICON_SCHEMA_PATH, lexicon_schema_text
from tests.situations.test_catalogue import cleaned_manual

LEXICON = load_lexicon()


def test_expansions_are_the_manuals_own_words():
    manual = cleaned_manual()
    missing = [word for entry in LEXICON.entries for word in entry.expand if word not in manual]
    assert missing == []


@pytest.mark.parametrize(
    ("message", "manual_words"),
    [
        pytest.param("他磨磨蹭蹭的，能不能快点", "动作慢", id="dawdling-is-slow-action"),
        pytest.param("你们寄錯顏色了", "错发", id="traditional-script"),
        pytest.param("ＡＰＰ一直閃退", "系统故障", id="full-width-and-traditional"),
        pytest.param("我听不清你说话，信号不好", "杂音很大", id="bad-line-is-noise"),
        pytest.param("你们几点下班", "上班时间", id="closing-time-is-working-hours"),
    ],
)
def test_customer_words_expand_to_the_manuals_words(message, manual_words):
    assert manual_words in expand_query(message)


@pytest.mark.parametrize("message", ["你好", "", "   ", "今天天气真不错"])
def test_greetings_and_empty_messages_expand_to_nothing(message):
    assert expand_query(message) == ""


def test_each_expansion_word_appears_once_in_entry_order():
    lexicon = LEXICON.model_validate(
        {
            "version": 1,
            "entries": [
                {"terms": ["寄错"], "expand": ["错发", "补救"]},
                {"terms": ["退款"], "expand": ["补救"]},
            ],
        }
    )
    assert QueryExpander(lexicon).expansions("寄错了，退款呢") == ("错发", "补救")


def test_a_broken_lexicon_names_the_file_and_line(tmp_path):
    path = tmp_path / "lexicon.yaml"
    path.write_text("version: 1\nentries:\n  - terms: [寄错]\n    expnd: [错发]\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_lexicon(path)
    assert f"{path}:4:" in str(caught.value)


def test_lexicon_json_schema_is_up_to_date():
    assert LEXICON_SCHEMA_PATH.read_text(encoding="utf-8") == lexicon_schema_text(), (
        "run: .venv/bin/python -m assistant.situations.schema"
    )
