"""Sectioning and chunking of the five bundled manual pages, and of small made-up texts."""

import re

import pytest

from assistant.corpus import bundled_manual_paths, load_document, quoted_phrases, split_document
from assistant.corpus.split import split_body
from assistant.models import Document

PHONE = "第8章 客服技巧 > 8.3 微厅客服规范用语 > 8.3.2 电话规范用语"
PHONE_SITUATIONS = [
    "1.开场语",
    "2.结束语",
    "3.回复时间要求",
    "4.回访用户语",
    "5.客户声音很小或者杂音很大",
    "6.遇到客户讲方言",
    "7.需要记录用户信息",
    "8.遇到客户责备客服动作慢",
    "9.遇到客户要等待",
    "10.短时间内不能答复",
    "11.遇到用户骂人",
    "12.需要其他部门协助处理",
    "13.客户提出建议",
    "14.已解释问题用户还是不明白",
    "15.反复咨询同一个问题",
]


@pytest.fixture(scope="module")
def manual():
    """{file prefix: (document, chunks)} for the bundled manual."""
    loaded = {}
    for path in bundled_manual_paths():
        document = load_document(path)
        loaded[path.name[:3]] = (document, split_document(document))
    return loaded


def sections(manual, prefix):
    return [chunk.section for chunk in manual[prefix][1]]


@pytest.mark.parametrize(
    ("prefix", "title"),
    [
        pytest.param("000", "客服岗位常见问题及解决方案手册", id="title-glued-to-first-heading-000"),
        pytest.param("001", "运营 第8章 客服技巧", id="mindmap-title-001"),
        pytest.param("002", "客户服务规范与应对策略指南", id="title-after-counters-002"),
        pytest.param("003", "客服前台星级考核题库二", id="title-after-vip-tips-003"),
        pytest.param("004", "在线客服管理与沟通技巧作业指导书", id="title-before-site-summary-004"),
    ],
)
def test_titles_come_from_the_content(manual, prefix, title):
    document, chunks = manual[prefix]
    assert document.title == title
    assert all(chunk.title == title and chunk.source == document.path for chunk in chunks)


def test_each_phone_situation_is_its_own_section_001(manual):
    found = sections(manual, "001")
    for situation in PHONE_SITUATIONS:
        assert f"{PHONE} > {situation}" in found


def test_phone_situation_body_holds_its_standard_phrase_001(manual):
    chunk = next(c for c in manual["001"][1] if c.section == f"{PHONE} > 8.遇到客户责备客服动作慢")
    assert quoted_phrases(chunk.text) == [
        "对不起，为了确保信息的准确让您久等了，实在抱歉。我会尽快帮您查询，请稍等。"
    ]


def test_bare_outline_lines_become_numbered_parents_001(manual):
    found = set(sections(manual, "001"))
    assert "第8章 客服技巧 > 8.1 客服工作职责 > 8.1.1 客服工作分类" in found
    assert "第8章 客服技巧 > 8.4 技能要求 > 8.4.2 服务规范要求 > （2）服务禁用语" in found


@pytest.mark.parametrize(
    ("prefix", "section"),
    [
        pytest.param(
            "000", "一、沟通场景类问题及应对策略 > （一）客户情绪激动的应对", id="inline-headings-000"
        ),
        pytest.param(
            "000", "四、流程与系统类问题及改进方案 > （二）系统操作障碍的应对", id="last-inline-heading-000"
        ),
        pytest.param(
            "002",
            "三、客户服务标准化操作流程 > （一）售前咨询响应流程 > 步骤1：快速响应，建立信任",
            id="steps-002",
        ),
        pytest.param(
            "002",
            "三、客户服务标准化操作流程 > （三）客户投诉应对流程 > 步骤4：闭环管理，总结改进",
            id="last-step-002",
        ),
        pytest.param("003", "二、问题解决能力", id="numbered-paragraphs-stay-body-003"),
        pytest.param("004", "第一章 引言 > 1.1 在线客服概述", id="heading-glued-to-body-004"),
        pytest.param(
            "004",
            "第二章 在线客服团队建设与管理 > 2.1 团队组建与人员选拔 > 2.1.1 团队组建原则",
            id="three-levels-004",
        ),
        pytest.param(
            "004",
            "第七章 在线客服技术支持 > 7.3 技术故障应对 > 7.3.2 故障应对策略",
            id="number-lost-to-garbling-004",
        ),
        pytest.param(
            "004", "第九章 在线客服危机管理 > 9.3 危机后续处理 > 9.3.1 评估危机影响", id="last-chapter-004"
        ),
    ],
)
def test_sections_follow_the_manual_numbering(manual, prefix, section):
    assert section in sections(manual, prefix)


def test_all_nine_chapters_found_004(manual):
    chapters = {s.split(" > ")[0] for s in sections(manual, "004")}
    assert len(chapters) == 9
    assert "第一章 引言" in chapters


def test_running_text_commas_are_not_headings_002(manual):
    # "保证服务行为统一、专业" must not start a section "一、专业…"
    assert not any("一、专业" in s for s in sections(manual, "002"))


def test_step_body_keeps_its_example_phrases_002(manual):
    chunk = next(c for c in manual["002"][1] if c.section.endswith("步骤1：快速响应，建立信任"))
    assert "“您好，这里是客服*，很高兴为您服务，请问有什么可以帮您？”" in chunk.text


@pytest.mark.parametrize(
    "leftover",
    [
        "版权",
        "VIP",
        "思维导图模板",
        "浏览量",
        "下载",
        "举报",
        "文档评论",
        "book118",
        "足球",
        "(xiàn)",
        "xiàn",
        "\ufffd",
        "</p>",
    ],
)
def test_no_boilerplate_left_in_any_chunk(manual, leftover):
    for _, chunks in manual.values():
        for chunk in chunks:
            assert leftover not in chunk.text and leftover not in chunk.section, chunk.section


def test_no_pinyin_left_in_any_chunk(manual):
    for _, chunks in manual.values():
        for chunk in chunks:
            assert not re.search(r"\([a-zà-ǜ]{1,8}\)", chunk.text), chunk.text[:60]


def test_no_chunk_cuts_a_quote_in_half(manual):
    for _, chunks in manual.values():
        for chunk in chunks:
            assert chunk.text.count("“") == chunk.text.count("”"), chunk.section


def test_chunks_respect_max_chars_and_are_in_order(manual):
    for _, chunks in manual.values():
        assert [c.ordinal for c in chunks] == list(range(len(chunks)))
        assert all(0 < len(c.text) <= 400 for c in chunks)
        assert len({c.id for c in chunks}) == len(chunks)


def test_long_section_is_split_with_its_path_on_every_chunk_003(manual):
    chunks = [c for c in manual["003"][1] if c.section == "一、服务态度与沟通技巧"]
    assert len(chunks) >= 2
    assert all(c.text.endswith(("。", "”", "）")) for c in chunks[:-1])


def test_split_is_idempotent(manual):
    document, chunks = manual["004"]
    assert [c.id for c in split_document(document)] == [c.id for c in chunks]


def test_chunk_id_changes_with_content():
    a = Document("a.txt", "t", "一、退款\n退款三天到账。", "x")
    b = Document("a.txt", "t", "一、退款\n退款五天到账。", "x")
    assert split_document(a)[0].id != split_document(b)[0].id


def test_long_quote_is_never_cut():
    quote = "“" + "非常抱歉让您久等了，我们正在处理。" * 30 + "”"
    body = "前言。" * 50 + "例如：" + quote + "后记。" * 50
    pieces = split_body(body, max_chars=100)
    assert "".join(pieces) == body
    assert any(quote in piece for piece in pieces)
    assert all(p.count("“") == p.count("”") for p in pieces)


def test_short_section_stays_whole():
    assert split_body("先致歉。再说明。最后确认。", max_chars=400) == ["先致歉。再说明。最后确认。"]


def test_text_without_headings_is_one_section_named_by_title():
    document = Document("/tmp/x.txt", "退款说明", "退款说明\n退款会在三个工作日内到账。", "h")
    (chunk,) = split_document(document)
    assert chunk.section == "退款说明"
    assert chunk.text == "退款会在三个工作日内到账。"


def test_list_items_without_body_stay_in_their_section_001(manual):
    chunk = next(c for c in manual["001"][1] if c.section.endswith("8.4.4 服务禁区"))
    assert "不要攻击、奚落、回击用户" in chunk.text
    assert "不要涉及政治敏感性话题和黄、赌、毒问题" in chunk.text


def test_heading_whose_marker_was_garbled_is_recovered_000(manual):
    found = sections(manual, "000")
    assert "二、业务处理类问题及优化路径 > （二）业务流程失误的补救" in found
    before = [c for c in manual["000"][1] if c.section.endswith("（一）产品知识储备不足的应对")]
    assert before and not any("订单错发" in c.text for c in before)


@pytest.mark.parametrize(
    ("text", "section", "body"),
    [
        pytest.param(
            "一、总则\n（一）甲方的应对\n正文一。\n乙方的处理正文二。",
            "（二）乙方的处理",
            "正文二。",
            id="lost-marker",
        ),
        pytest.param(
            "一、总则\n（一）总体要求\n客户的处理要及时。",
            "（一）总体要求",
            "客户的处理要及时。",
            id="body-not-a-heading",
        ),
        pytest.param(
            "8.1 禁区\n（1）不要骂人。\n（2）不要承诺。", "8.1 禁区", "（2）不要承诺。", id="body-list"
        ),
    ],
)
def test_made_up_texts_keep_every_line(text, section, body):
    from assistant.corpus.sections import split_sections

    found = {s.path[-1]: s.text for s in split_sections(text, "标题")}
    assert body in found.get(section, ""), found
