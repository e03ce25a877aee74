"""The bundled situation catalogue, and how a broken catalogue file is reported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from assistant.errors import InputError
from assistant.settings import BUNDLED_MANUAL_DIR
from assistant.situations import CatalogueError, load_catalogue
from assistant.situations.catalogue import DEFAULT_CATALOGUE
from assistant.situations.schema import SCHEMA_PATH, schema_text

CATALOGUE = load_catalogue()


def cleaned_manual() -> str:
    from assistant.corpus.clean import clean_text

    return "\n".join(
        clean_text(p.read_text(encoding="utf-8")) for p in sorted(BUNDLED_MANUAL_DIR.glob("*.txt"))
    )


def test_bundled_catalogue_covers_the_manual_situations():
    names = {s.name for s in CATALOGUE.situations}
    for required in (
        "情绪激动",
        "需求模糊",
        "催促/等待",
        "声音小或杂音",
        "方言",
        "骂人",
        "投诉（普通）",
        "投诉（重大）",
        "错发/退款延迟",
        "系统故障",
        "需研发协助",
        "索要内部联系方式或他人资料",
        "售前",
        "售中",
        "售后",
    ):
        assert required in names


@pytest.mark.parametrize("situation", CATALOGUE.situations, ids=lambda s: s.id)
def test_section_fragments_exist_in_the_cleaned_manual(situation):
    manual = cleaned_manual()
    for fragment in (*situation.sections, situation.advice_section or situation.sections[0]):
        assert fragment in manual, f"{situation.id}: '{fragment}' is not in the cleaned manual"


@pytest.mark.parametrize("situation", CATALOGUE.situations, ids=lambda s: s.id)
def test_advice_points_to_one_of_its_sections(situation):
    if situation.advice:
        assert situation.advice_section in situation.sections
        hint = situation.hint()
        assert (hint.situation, hint.advice, hint.section) == (
            situation.name,
            situation.advice,
            situation.advice_section,
        )


def test_cues_are_not_copied_from_the_manual():
    manual = re.sub(r"\s", "", cleaned_manual())
    copied = [
        c for s in CATALOGUE.situations for c in s.cues if len(c) >= 8 and re.sub(r"\s", "", c) in manual
    ]
    assert copied == []


def test_json_schema_for_editors_is_up_to_date():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "run: .venv/bin/python -m assistant.situations.schema"
    )
    assert "$schema=../situations/situations.schema.json" in DEFAULT_CATALOGUE.read_text(encoding="utf-8")


def minimal_catalogue(**overrides) -> dict:
    situation = {
        "id": "upset",
        "name": "情绪激动",
        "sections": ["客户情绪激动的应对"],
        "cues": [f"气死我了{i}" for i in range(15)],
    }
    situation.update(overrides)
    return {"version": 1, "situations": [situation]}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "situations.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_valid_minimal_catalogue_loads(tmp_path):
    text = yaml.safe_dump(minimal_catalogue(), allow_unicode=True, sort_keys=False)
    catalogue = load_catalogue(write(tmp_path, text))
    assert catalogue.get("upset").cues[0] == "气死我了0"


@pytest.mark.parametrize(
    ("overrides", "needle", "reason"),
    [
        pytest.param({"advise": "typo"}, "advise:", "Extra inputs are not permitted", id="unknown-field"),
        pytest.param({"cues": "气死我了"}, "cues:", "valid tuple", id="bad-type-string-for-list"),
        pytest.param({"id": "情绪"}, "id:", "pattern", id="non-ascii-id"),
        pytest.param({"cues": ["太慢了"] * 15}, "cues:", "duplicate", id="duplicate-cues"),
        pytest.param({"cues": ["太慢了"]}, "cues:", "at least 15", id="too-few-cues"),
        pytest.param(
            {"advice": "转主管"}, "- id: upset", "advice needs an advice_section", id="advice-without-section"
        ),
    ],
)
def test_a_malformed_catalogue_names_file_line_and_reason(tmp_path, overrides, needle, reason):
    text = yaml.safe_dump(minimal_catalogue(**overrides), allow_unicode=True, sort_keys=False)
    path = write(tmp_path, text)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    message = str(caught.value)
    assert f"{path}:{line_of(text, needle)}:" in message
    assert reason in message
    assert isinstance(caught.value, InputError)


def test_a_missing_field_points_at_its_situation(tmp_path):
    data = minimal_catalogue()
    del data["situations"][0]["sections"]
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(write(tmp_path, text))
    assert f":{line_of(text, '- id: upset')}: situations.0.sections: Field required" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        pytest.param("version: 1\nsituations:\n  - id: [unclosed\n", 4, "YAML", id="yaml-syntax"),
        pytest.param(
            "version: 1\nversion: 2\nsituations: []\n", 2, "重复的字段 'version'", id="duplicate-key"
        ),
        pytest.param("- just\n- a list\n", 1, "顶层必须是映射", id="not-a-mapping"),
    ],
)
def test_broken_yaml_names_the_line(tmp_path, text, line, reason):
    path = write(tmp_path, text)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    assert f"{path}:{line}:" in str(caught.value)
    assert reason in str(caught.value)


def test_an_unreadable_file_is_a_user_error(tmp_path):
    with pytest.raises(CatalogueError, match="无法读取"):
        load_catalogue(tmp_path / "missing.yaml")


def test_duplicate_situation_ids_are_rejected(tmp_path):
    data = minimal_catalogue()
    data["situations"].append(dict(data["situations"][0], name="别名"))
    with pytest.raises(CatalogueError, match="duplicate situation id: upset"):
        load_catalogue(write(tmp_path, yaml.safe_dump(data, allow_unicode=True)))


# Manual sections a customer (not an employee) could need: each must be some situation's section,
# so that a message in customers' words reaches it through situation understanding, not BM25 alone.
CUSTOMER_FACING_SECTIONS = [
    "客服工作分类",
    "微厅客服工作范围",
    "微厅客服服务方式",
    "处理时限要求",
    "回访用户语",
    "主动服务场景",
    "服务禁用语",
    "语调与语速",
    "凡事留有余地",
    "坚守诚信",
    "表达不同意见时尊重对方立场",
    "修正习惯性口头禅",
    "转化成客户化语言",
    "多虚心请教，多倾听客户声音",
    "信息管理策略",
    "客户关怀方式",
    "客服质量监控",
    "培训内容",
    "实时聊天工具",
    "留言回复工具",
    "工单管理工具",
    "投诉处理流程",
    "危机应对措施",
    "预警指标设定",
]


def manual_section_paths() -> list[str]:
    from assistant.corpus import bundled_manual_paths, load_document, split_document

    return sorted({c.section for p in bundled_manual_paths() for c in split_document(load_document(p))})


@pytest.mark.parametrize("fragment", CUSTOMER_FACING_SECTIONS)
def test_every_customer_facing_section_has_a_situation(fragment):
    paths = [path for path in manual_section_paths() if fragment in path]
    assert paths, f"'{fragment}' is no section of the cleaned manual"
    for path in paths:
        assert any(s.points_to(path) for s in CATALOGUE.situations), f"no situation points at {path}"
