"""Rule packs: malformed packs name file, line and reason; packs layer; env var adds packs."""

import os
import re

import pytest

import guardrails
from guardrails import loader
from guardrails.errors import PackError
from guardrails.loader import DEFAULT_PACK, load_pack

GOOD_RULE = """rules:
  - id: company.slang
    category: banned_phrase
    severity: block
    message: 公司禁用语
    phrases: [亲爱滴]
"""


@pytest.mark.parametrize(
    ("source", "line", "reason"),
    [
        pytest.param("rules:\n  - id: a\n    category: [unclosed\n", 4, "YAML 语法错误", id="yaml-syntax"),
        pytest.param(
            GOOD_RULE.replace("severity: block", "severity: fatal"), 4, "severity", id="bad-severity"
        ),
        pytest.param(GOOD_RULE.replace("banned_phrase", "banned_phase"), 3, "category", id="typo-category"),
        pytest.param(
            GOOD_RULE.replace("    phrases:", "    phrase:"), 6, "未知字段 'phrase'", id="unknown-field"
        ),
        pytest.param(
            GOOD_RULE.replace("phrases: [亲爱滴]", 'regex: ["(未闭合"]'), 6, "正则表达式", id="bad-regex"
        ),
        pytest.param(
            GOOD_RULE.replace("phrases: [亲爱滴]", 'regex: ["(?i)dear"]'), 6, "全局标志", id="global-flag"
        ),
        pytest.param(GOOD_RULE.replace("    message: 公司禁用语\n", ""), 2, "message", id="missing-message"),
        pytest.param(GOOD_RULE + GOOD_RULE.replace("rules:\n", ""), 7, "重复", id="duplicate-id"),
        pytest.param("rules: 3\n", 1, "列表", id="rules-not-a-list"),
        pytest.param(
            GOOD_RULE.replace("phrases: [亲爱滴]", 'regex: ["{slang}滴"]'),
            6,
            "未定义的词表 {slang}",
            id="unknown-lexicon",
        ),
        pytest.param(
            "lexicons:\n  slang: [亲爱]\n"
            + GOOD_RULE.replace("    phrases: [亲爱滴]\n", "    regex:\n      - 好\n      - '{slangs}滴'\n"),
            10,
            "{slangs}",
            id="lexicon-typo-names-the-regex-line",
        ),
        pytest.param("lexicons:\n  Slang: [亲爱]\n" + GOOD_RULE, 2, "词表名", id="bad-lexicon-name"),
        pytest.param("lexicons:\n  slang: []\n" + GOOD_RULE, 2, "为空", id="empty-lexicon"),
        pytest.param("lexicons:\n  slang: ['(亲爱']\n" + GOOD_RULE, 2, "正则表达式", id="bad-lexicon-entry"),
        pytest.param("lexicons: [亲爱]\n" + GOOD_RULE, 1, "映射", id="lexicons-not-a-mapping"),
    ],
)
def test_malformed_pack_names_file_line_and_reason(tmp_path, source, line, reason):
    path = tmp_path / "company.yaml"
    path.write_text(source, encoding="utf-8")
    with pytest.raises(PackError) as info:
        load_pack(path)
    message = str(info.value)
    assert f"company.yaml:{line}" in message
    assert reason in message


LEXICON_PACK = """lexicons:
  pets: [猫, 狗, 小(鸟|鱼)]
  pet_words: ['{pets}粮']
rules:
  - id: company.pets
    category: banned_phrase
    severity: block
    message: 宠物用语
    regex: ["{pets}(太|真)吵", "买{pet_words}"]
    exceptions: ["不是{pets}(太|真)吵"]
"""


def test_lexicon_reference_matches_every_entry_and_only_them(tmp_path):
    path = tmp_path / "company.yaml"
    path.write_text(LEXICON_PACK, encoding="utf-8")
    engine = guardrails.load_engine([path])

    def pet_rules(text: str) -> list[str]:
        return [v.text for v in engine.check(text).violations if v.rule == "company.pets"]

    assert pet_rules("您家的狗太吵") == ["狗太吵"]
    assert pet_rules("小鱼真吵") == ["小鱼真吵"]
    assert pet_rules("我去买猫粮") == ["买猫粮"]
    assert pet_rules("兔子太吵") == []
    assert pet_rules("不是猫太吵") == []  # exceptions expand lexicons too


def test_default_pack_regexes_hold_no_unexpanded_lexicon_reference():
    pack = load_pack(DEFAULT_PACK)
    leftovers = [(r.id, p) for r in pack.rules for p in r.regex + r.exceptions if re.search(r"\{[a-z_]", p)]
    assert leftovers == []


def test_a_pack_that_passed_loads_again_without_compiling_and_an_edited_one_is_checked_again(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("GUARDRAILS_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "company.yaml"
    path.write_text(GOOD_RULE.replace("phrases: [亲爱滴]", 'regex: ["亲爱(滴|的)"]'), encoding="utf-8")
    first = load_pack(path)
    assert len(list((tmp_path / "cache").glob("*.checked"))) == 1

    def no_compile(source):
        raise AssertionError(f"compiled {source!r} again")

    with monkeypatch.context() as patched:
        patched.setattr(loader, "fold_pattern", no_compile)
        assert load_pack(path) == first
    path.write_text(GOOD_RULE.replace("phrases: [亲爱滴]", 'regex: ["亲爱(滴|的"]'), encoding="utf-8")
    with pytest.raises(PackError, match="正则表达式") as error:
        load_pack(path)
    assert error.value.line == 6
    assert len(list((tmp_path / "cache").glob("*.checked"))) == 1  # a failed load marks nothing


def test_missing_and_empty_pack_are_clear_errors(tmp_path):
    with pytest.raises(PackError, match="文件不存在"):
        load_pack(tmp_path / "none.yaml")
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    with pytest.raises(PackError, match="文件为空"):
        load_pack(tmp_path / "empty.yaml")


def test_default_pack_loads_and_covers_every_category():
    pack = load_pack(DEFAULT_PACK)
    assert {r.category for r in pack.rules} == set(guardrails.result.CATEGORIES)


def test_company_pack_layers_on_default(tmp_path):
    path = tmp_path / "company.yaml"
    path.write_text(
        GOOD_RULE
        + "disable: [vague.uncertain]\nallowlist:\n  numbers: ['010-62345678']\n  emails: [boss@corp.example.com]\n",
        encoding="utf-8",
    )
    engine = guardrails.load_engine([path])
    assert [v.rule for v in engine.check("亲爱滴，您好").violations] == ["company.slang"]
    assert engine.check("查询结果应该准确").violations == ()
    assert engine.check("请拨打010-62345678").violations == ()
    assert engine.check("写信给 boss@corp.example.com").violations == ()
    assert guardrails.load_engine().check("亲爱滴").violations == ()
    assert guardrails.load_engine([path]) is engine


def test_env_var_adds_packs_to_the_process_engine(tmp_path, monkeypatch):
    path = tmp_path / "company.yaml"
    path.write_text(GOOD_RULE, encoding="utf-8")
    assert guardrails.check("亲爱滴").verdict == "pass"
    monkeypatch.setenv("ASSISTANT_GUARD_PACKS", os.pathsep.join([str(path), ""]))
    assert guardrails.check("亲爱滴").verdict == "block"


def test_company_rule_with_same_id_replaces_default(tmp_path):
    path = tmp_path / "company.yaml"
    path.write_text(GOOD_RULE.replace("company.slang", "banned.dismissive"), encoding="utf-8")
    engine = guardrails.load_engine([path])
    assert engine.check("我不知道").violations == ()
    assert engine.check("亲爱滴").blocked


def test_non_text_is_a_guardrails_error():
    with pytest.raises(guardrails.GuardrailsError):
        guardrails.check(b"bytes")  # type: ignore[arg-type]


def test_default_pack_satisfies_the_json_schema():
    import json

    import jsonschema
    import yaml

    schema = json.loads((DEFAULT_PACK.parent.parent / "pack.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load(DEFAULT_PACK.read_text(encoding="utf-8")), schema)
