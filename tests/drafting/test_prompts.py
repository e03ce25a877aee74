"""Prompt templates: versions, labels, validation that names file and line, safe releases."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from prompts import PromptError, PromptStore, labels, list_prompts, load_prompt, versions
from prompts.store import DEFAULT_ROOT


@pytest.fixture
def store(tmp_path: Path) -> PromptStore:
    shutil.copytree(DEFAULT_ROOT / "templates", tmp_path / "templates")
    shutil.copy(DEFAULT_ROOT / "labels.yaml", tmp_path / "labels.yaml")
    return PromptStore(tmp_path)


def test_shipped_prompts_load_by_version_and_label():
    assert {"draft_reply", "rubric_judge"} <= set(list_prompts())
    production = labels("draft_reply")["production"]
    assert production in versions("draft_reply")
    assert load_prompt("draft_reply@production") == load_prompt(f"draft_reply@{production}")
    assert load_prompt("rubric_judge").ref.startswith("rubric_judge@")


def test_rubric_judge_asks_for_pass_or_fail():
    system, user = load_prompt("rubric_judge@1").render(rubric="须先致歉", reply="您好", message="等太久了")
    assert "PASS" in system.content and "FAIL" in system.content
    assert "须先致歉" in user.content and "<reply>" in user.content


@pytest.mark.parametrize(
    ("ref", "reason"),
    [
        pytest.param("draft_reply@99", "没有版本 99", id="unknown-version"),
        pytest.param("draft_reply@staging", "没有标签 staging", id="unknown-label"),
        pytest.param("no_such@1", "没有版本 1", id="unknown-name"),
    ],
)
def test_bad_references_say_what_exists(ref, reason):
    with pytest.raises(PromptError, match=reason):
        load_prompt(ref)


def _write_v2(store: PromptStore, text: str) -> Path:
    path = store.path_for("draft_reply", 2)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("replace", "by", "expected"),
    [
        pytest.param("notes:", "note:", r"v2\.yaml:\d+: note: 未知字段", id="unknown-field"),
        pytest.param(
            "description:", "# description:", r"v2\.yaml:\d+: description: Field required", id="missing-field"
        ),
        pytest.param(
            "{{ message }}",
            "{{ mesage }}",
            r"v2\.yaml:\d+: user: 未知占位符 mesage",
            id="unknown-placeholder",
        ),
        pytest.param("inputs: [", "inputs: [[", r"v2\.yaml: 第 \d+ 行：YAML 语法错误", id="yaml-syntax"),
    ],
)
def test_template_mistakes_name_file_line_and_reason(store, replace, by, expected):
    text = store.path_for("draft_reply", 1).read_text(encoding="utf-8")
    assert replace in text
    _write_v2(store, text.replace("version: 1", "version: 2").replace(replace, by, 1))
    with pytest.raises(PromptError, match=expected):
        store.load("draft_reply@2")


def test_unknown_placeholder_points_at_its_line(store):
    text = store.path_for("draft_reply", 1).read_text(encoding="utf-8")
    path = _write_v2(store, text.replace("version: 1", "version: 2").replace("{{ message }}", "{{ secret }}"))
    line = next(n for n, row in enumerate(path.read_text().splitlines(), 1) if "{{ secret }}" in row)
    with pytest.raises(PromptError, match=rf":{line}: user: 未知占位符 secret"):
        store.load("draft_reply@2")


def test_save_new_version_never_overwrites_and_labels_move(store):
    v1 = store.load("draft_reply@1")
    changed = v1.model_copy(update={"notes": "更短的系统提示"})
    assert store.save_new_version("draft_reply", changed) == 2
    assert store.save_new_version("draft_reply", changed) == 3
    assert store.path_for("draft_reply", 1).read_text(encoding="utf-8").count("version: 1") == 1
    assert store.load("draft_reply@production").version == 1
    store.set_label("draft_reply", "production", 3)
    assert store.load("draft_reply@production").version == 3
    assert store.load("draft_reply@3").notes == "更短的系统提示"
    assert not list(store.root.glob(".labels.yaml.*")), "no temporary file left behind"


def test_label_must_point_at_a_released_version(store):
    with pytest.raises(PromptError, match="没有版本 7"):
        store.set_label("draft_reply", "production", 7)
    assert store.labels("draft_reply")["production"] == 1


def test_prompt_setting_picks_the_version(monkeypatch, tmp_path):
    from assistant.settings import Settings

    monkeypatch.setenv("ASSISTANT_PROMPT", "draft_reply@1")
    assert Settings(data_dir=tmp_path).prompt == "draft_reply@1"


def test_a_new_prompts_dir_starts_as_a_copy_and_then_is_the_teams_own(tmp_path):
    from assistant.drafting import DraftService
    from assistant.settings import Settings
    from prompts import open_store

    settings = Settings(data_dir=tmp_path / "data", prompts_dir=tmp_path / "team-prompts")
    store = open_store(settings.prompts_dir)
    assert store.versions("draft_reply") == versions("draft_reply")
    assert store.labels("draft_reply") == labels("draft_reply")
    v1 = store.load("draft_reply@1")
    version = store.save_new_version("draft_reply", v1.model_copy(update={"notes": "团队版本"}))
    store.set_label("draft_reply", "production", version)

    assert DraftService(settings).template().ref == f"draft_reply@{version}"
    assert open_store(settings.prompts_dir).labels("draft_reply")["production"] == version  # not re-seeded
    assert version not in versions("draft_reply"), "the bundled store is untouched"


def test_json_schema_for_editors_matches_the_model():
    import json

    from prompts.template import PromptTemplate

    shipped = json.loads((DEFAULT_ROOT / "prompt.schema.json").read_text(encoding="utf-8"))
    assert shipped["properties"] == PromptTemplate.model_json_schema()["properties"]
    assert shipped["additionalProperties"] is False
