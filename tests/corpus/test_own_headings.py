"""A user's own headings (Markdown `#`, HTML `<h1>`–`<h6>`, Word heading styles) become section paths.

The bundled manual, which has none, must section exactly as before: its section paths and chunk
ids were recorded in data/bundled_sections.json before own headings were introduced. If a change
to cleaning or splitting is meant to alter them, regenerate that file and say so in the commit.
"""

import json
from pathlib import Path

import pytest

from assistant.corpus import bundled_manual_paths, load_document, split_document
from assistant.corpus.sections import split_sections
from tests.corpus.own_documents import MEMBER_HTML, REFUND_MD, shipping_docx

RECORDED = Path(__file__).with_name("data") / "bundled_sections.json"


def paths_and_texts(document):
    return {chunk.section: chunk.text for chunk in split_document(document)}


def write(tmp_path, name, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_manual_sections_and_chunk_ids_are_unchanged():
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    assert [p.name for p in bundled_manual_paths()] == sorted(recorded)
    for path in bundled_manual_paths():
        document = load_document(path)
        chunks = [[chunk.id, chunk.section] for chunk in split_document(document)]
        assert document.title == recorded[path.name]["title"], path.name
        assert chunks == recorded[path.name]["chunks"], path.name


def test_markdown_headings_become_nested_section_paths(tmp_path):
    document = load_document(write(tmp_path, "refund.md", REFUND_MD))
    found = paths_and_texts(document)
    assert document.title == "退款政策"
    assert list(found) == [
        "退款政策",
        "退款政策 > 到账时间",
        "退款政策 > 退款条件 > 一、七天无理由",
        "退款政策 > 退款条件 > 二、质量问题 > （一）换货",
        "退款政策 > 退款条件 > 二、质量问题 > （二）退款",
        "换货政策",
    ]
    assert found["退款政策 > 到账时间"].startswith("原路退回的款项在三个工作日内到账。")
    assert "2. 银行卡：一至三个工作日" in found["退款政策 > 到账时间"]  # a list, not headings


def test_hash_inside_ordinary_text_is_never_a_heading(tmp_path):
    found = paths_and_texts(load_document(write(tmp_path, "refund.md", REFUND_MD)))
    assert (
        (found["退款政策 > 退款条件 > 一、七天无理由"])
        == "签收后七天内可申请，#1号机 的退货也适用。\nC# 开发的系统会自动审核。"
    )
    quality = found["退款政策 > 退款条件 > 二、质量问题 > （二）退款"]
    assert "# 这不是标题，是代码注释" in quality
    assert "# 缩进代码也不是标题" in quality


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("#1号机故障时请重启", id="no-space-after-hash"),
        pytest.param("#话题# 双十一活动", id="hashtag"),
        pytest.param("####### 七个井号", id="seven-hashes"),
        pytest.param("C# 开发的系统", id="hash-after-a-letter"),
    ],
)
def test_plain_text_lines_with_hash_stay_body_text(tmp_path, line):
    document = load_document(write(tmp_path, "notes.txt", f"操作说明\n{line}\n请联系技术支持。"))
    (section,) = split_sections(document.text, document.title)
    assert section.path == ("操作说明",)
    assert section.text == f"{line}\n请联系技术支持。"


def test_markdown_setext_headings_count_too(tmp_path):
    text = "发票说明\n========\n\n电子发票\n--------\n\n订单完成后开具。\n\n---\n\n纸质发票需另行申请。\n"
    found = paths_and_texts(load_document(write(tmp_path, "invoice.md", text)))
    assert found == {"发票说明 > 电子发票": "订单完成后开具。\n纸质发票需另行申请。"}


def test_html_h1_to_h6_become_section_paths(tmp_path):
    document = load_document(write(tmp_path, "member.html", MEMBER_HTML))
    assert document.title == "会员权益"
    assert paths_and_texts(document) == {
        "会员权益": "会员享受以下权益。",
        "会员权益 > 积分规则": "# 注意：积分不可转让。",
        "会员权益 > 积分规则 > 积分过期": "积分在次年年底过期。",
        "会员权益 > 专属客服": "会员可拨打专属热线。",
    }


def test_docx_heading_styles_become_section_paths_under_the_title(tmp_path):
    document = load_document(shipping_docx(tmp_path / "shipping.docx"))
    assert document.title == "物流说明"
    assert paths_and_texts(document) == {
        "物流说明 > 发货时间": "下单后四十八小时内发货。\n预售商品 按页面约定时间发货",
        "物流说明 > 发货时间 > 偏远地区": "偏远地区另加两天。\n# 不是标题的普通段落",
    }


def test_docx_chinese_heading_style_names_are_recognised(tmp_path):
    import docx

    word = docx.Document()
    for level in (1, 2):  # what a Chinese Word or WPS install names its heading styles
        word.styles[f"Heading {level}"].name = f"标题 {level}"
    word.add_paragraph("发货时间", style="标题 1")
    word.add_paragraph("下单后四十八小时内发货。")
    word.add_paragraph("偏远地区", style="标题 2")
    word.add_paragraph("偏远地区另加两天。")
    path = tmp_path / "shipping.docx"
    word.save(path)
    assert paths_and_texts(load_document(path)) == {
        "发货时间": "下单后四十八小时内发货。",
        "发货时间 > 偏远地区": "偏远地区另加两天。",
    }


def test_long_sections_carry_their_own_heading_path_into_every_chunk(tmp_path):
    body = "".join(
        f"第{n}条：退款申请提交后，客服会在一个工作日内审核并短信通知您结果。" for n in range(1, 21)
    )
    text = f"# 退款政策\n\n## 审核规则\n\n{body}\n\n## 到账时间\n\n三个工作日内到账。\n"
    chunks = split_document(load_document(write(tmp_path, "refund.md", text)))
    rules = [c for c in chunks if c.section == "退款政策 > 审核规则"]
    assert len(rules) >= 2
    assert "".join(c.text for c in rules) == body
    assert chunks[-1].section == "退款政策 > 到账时间"
    assert all(c.title == "退款政策" for c in chunks)


def test_own_heading_resets_numbered_headings_of_the_previous_section():
    text = "# 售后\n## 退货\n一、条件\n七天内。\n二、流程\n寄回仓库。\n## 换货\n一、条件\n十五天内。"
    found = {" > ".join(s.path): s.text for s in split_sections(text, "售后")}
    assert found == {
        "售后 > 退货 > 一、条件": "七天内。",
        "售后 > 退货 > 二、流程": "寄回仓库。",
        "售后 > 换货 > 一、条件": "十五天内。",
    }
