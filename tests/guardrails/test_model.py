"""The learned second opinion: suspect clauses beside the rules' verdict, never instead of it."""

from pathlib import Path

import pytest
import yaml

import guardrails
from guardrails.model import MESSAGES, Model, clauses, default_model
from guardrails.result import CATEGORIES, GuardResult, Suspect
from guardrails.train import fit, samples, write

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[2]
MOCKING = "您好，这种问题你也问？"  # no rule catches it; the model has learned the tone


def _standard_phrases() -> list[str]:
    lines = (DATA / "standard_phrases.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _offline_phrases() -> list[str]:
    def strings(node):
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            for value in node.values():
                yield from strings(value)
        elif isinstance(node, list):
            for value in node:
                yield from strings(value)

    data = yaml.safe_load((ROOT / "prompts" / "offline_phrases.yaml").read_text(encoding="utf-8"))
    return [s for s in strings(data) if len(s) > 6]


def test_a_reply_no_rule_catches_gets_a_suspect_clause_and_keeps_its_verdict():
    plain, hinted = guardrails.check(MOCKING), guardrails.check(MOCKING, suspects=True)
    assert plain.verdict == hinted.verdict == "pass" and not plain.suspects
    (suspect,) = hinted.suspects
    assert (suspect.category, suspect.text) == ("attack", "这种问题你也问")
    assert MOCKING[suspect.start : suspect.end] == suspect.text
    assert suspect.message == MESSAGES["attack"] and 0.3 <= suspect.score <= 1


def test_suspects_never_overlap_what_the_rules_found():
    text = "这个我不知道，这种问题你也问？"
    result = guardrails.check(text, suspects=True)
    assert result.verdict == "block" and result.suspects
    for s in result.suspects:
        assert not any(v.start < s.end and s.start < v.end for v in result.violations)


@pytest.mark.parametrize("source", ["standard phrases", "offline phrasebook"])
def test_the_manuals_wording_and_the_offline_phrasebook_raise_no_suspect(source):
    texts = _standard_phrases() if source == "standard phrases" else _offline_phrases()
    assert len(texts) > 50
    assert [t for t in texts if default_model().suspects(t)] == []


def test_suspects_are_clauses_of_the_original_text_whatever_it_holds():
    text = "  您好！\u200b這種問題你也問？？\n\n请  稍等…  "
    spans = clauses(text)
    assert [text[s:e] for s, e in spans] == ["您好", "\u200b這種問題你也問", "请  稍等"]
    for start, end, category, _ in default_model().suspects(text, threshold=0.0):
        assert category in CATEGORIES and (start, end) in spans
    assert default_model().suspects("") == [] and default_model().suspects("，。！") == []


def test_the_json_shape_gains_suspects_only_when_there_are_some():
    assert "suspects" not in guardrails.check("您好", suspects=True).to_dict()
    result = guardrails.check(MOCKING, suspects=True)
    data = result.to_dict()
    assert data["suspects"][0]["category"] == "attack"
    assert GuardResult.from_dict(data) == result
    assert isinstance(result.suspects[0], Suspect)


def test_the_second_opinion_catches_more_of_a_dev_batch_it_was_not_trained_on():
    """dev_batch_8 is validation only (guardrails/train.py never reads it): the rules miss some of
    its violations and the second opinion finds most of those, at a small cost in clean hints."""
    from assistant.bench.guard import is_caught

    data = yaml.safe_load((DATA / "dev_batch_8.yaml").read_text(encoding="utf-8"))
    engine, model = guardrails.load_engine(), default_model()
    rules = sum(is_caught(engine, item) for item in data["violating"])
    hinted = sum(is_caught(engine, item, suspects=True) for item in data["violating"])
    clean = sum(1 for item in data["clean"] if model.suspects(item["text"]))
    assert hinted >= rules + 25  # measured: 263 -> 295 of 309 (rules round 7, model v3)
    assert clean <= 0.04 * len(data["clean"])  # measured: 6 of 212


def test_training_writes_weights_the_model_reads(tmp_path):
    data = yaml.safe_load((DATA / "labelled.yaml").read_text(encoding="utf-8"))
    items = [(t, c, None) for c, texts in data["violating"].items() for t in texts]
    items += [(t, None, None) for t in data["clean"]]
    weights = fit(samples(items), steps=60)
    write(weights, tmp_path / "model.json.gz")
    write(weights, tmp_path / "again.json.gz")
    assert (tmp_path / "model.json.gz").read_bytes() == (tmp_path / "again.json.gz").read_bytes()
    model = Model.load(tmp_path / "model.json.gz")
    assert model.classes[0] == "clean" and set(model.classes[1:]) == set(CATEGORIES)
    assert model.suspects("这个我不知道，您去问别人吧")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again.json.gz", "model.json.gz"]  # no .tmp
