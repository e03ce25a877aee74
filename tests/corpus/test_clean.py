"""Each cleaning step on real excerpts of the five bundled manual pages."""

import pytest

from assistant.corpus import clean_text, normalize_text
from assistant.corpus.clean import (
    balance_quotes,
    cut_site_tail,
    drop_boilerplate_lines,
    drop_garbled,
    drop_inline_boilerplate,
    drop_site_summary,
    remove_pinyin,
    unify_punctuation,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("易出現(xiàn)情緒失控", "易出現情緒失控", id="pinyin-after-character-000"),
        pytest.param("版權(quán)說(shuō)明", "版權說明", id="two-syllables-004"),
        pytest.param("適當(dāng)(yǔ)氣", "適當氣", id="chained-syllables-004"),
        pytest.param("包含F(xiàn)AQ、操作手冊", "包含FAQ、操作手冊", id="syllable-after-latin-letter-000"),
        pytest.param("優化用戶體驗(y\nàn)。", "優化用戶體驗。", id="syllable-broken-by-newline"),
    ],
)
def test_remove_pinyin_drops_inline_syllables(raw, expected):
    assert remove_pinyin(raw) == expected


@pytest.mark.parametrize(
    "legit",
    [
        pytest.param("(一)客戶情緒激動的應對", id="chinese-numeral"),
        pytest.param("(1)提高客戶滿意度", id="arabic-numeral"),
        pytest.param("(示例：“您好，這里是客服*”)", id="example-in-brackets"),
        pytest.param("同步問題背景(如“客戶因退款延遲情緒激動”)", id="such-as-in-brackets"),
        pytest.param("儲能變流器(PCS)", id="acronym"),
        pytest.param("选项(a)", id="single-letter"),
    ],
)
def test_remove_pinyin_keeps_legit_parentheses(legit):
    assert remove_pinyin(legit) == legit


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(
            "可降低客戶對抗心理??焖夙憫航ⅰ扒榫w客戶優先接入",
            "可降低客戶對抗心理客戶優先接入",
            id="double-question-run-000",
        ),
        pytest.param(
            "兼容性問題?！贝_保雙方對問題的理解一致", "兼容性問題保雙方對問題的理解一致", id="bang-run-000"
        ),
        pytest.param("請稍等,我?guī)湍_認產品細節", "請稍等,我認產品細節", id="latin-run-000"),
        pytest.param("非常抱歉?！蓖?/p>\n溫馨提示", "非常抱歉\n溫馨提示", id="run-with-markup-000"),
        pytest.param("操作不當?shù)取?.3.2故障應對", "操作不當.3.2故障應對", id="run-eating-a-digit-004"),
        pytest.param("替换\ufffd字符", "替换字符", id="replacement-character"),
        pytest.param(
            "準確答復?！保ǘ┯唵?業(yè)務流程失誤的補救訂單",
            "準確答復\n業(yè)務流程失誤的補救訂單",
            id="run-before-a-heading-becomes-a-line-break-000",
        ),
    ],
)
def test_drop_garbled_removes_mojibake_runs(raw, expected):
    assert drop_garbled(raw) == expected


@pytest.mark.parametrize(
    "legit",
    [
        pytest.param("無法登錄,對嗎?我們會優先排查", id="question-mark-between-sentences-000"),
        pytest.param("可以幫您?”)。", id="question-before-quote-002"),
        pytest.param("上班時間為9:00~23:00。", id="clock-times-001"),
    ],
)
def test_drop_garbled_keeps_ordinary_text(legit):
    assert drop_garbled(legit) == legit


def test_normalize_folds_traditional_width_and_whitespace():
    assert (
        normalize_text("客服崗位常見問題\u3000 ＡＢＣ１２３\r\n\n  溝通場景")
        == "客服岗位常见问题 ABC123\n沟通场景"
    )


def test_normalize_keeps_chinese_punctuation_full_width():
    assert normalize_text("您好，請問：（一）可以嗎？好！") == "您好，请问：（一）可以吗？好！"


def test_cut_site_tail_drops_related_document_lists():
    page = "处理结果。\n您可能关注的文档\n- 技术支持标准化服务工具.doc\n原创力文档\n文档评论(0)"
    assert cut_site_tail(page) == "处理结果。\n"


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("版权说明:本文档由用户提供并上传,收益归属内容提供方", id="copyright-000"),
        pytest.param("文档简介", id="summary-header-004"),
        pytest.param("U217001655 浏览量:142022-11-25 13:11:58", id="view-counter-001"),
        pytest.param("- 约3.16千字", id="word-counter-002"),
        pytest.param("- 约 6页", id="page-counter-002"),
        pytest.param("- 2026-01-19 发布于江苏", id="publish-date-002"),
        pytest.param("- 举报", id="report-button-002"),
        pytest.param("PAGE", id="page-mark-003"),
        pytest.param("1-", id="page-number-003"),
        pytest.param("- 5、该文档为VIP文档,如果想要下载,成为VIP会员后,下载免费。", id="vip-tip-003"),
        pytest.param("树图思维导图提供 运营 第8章 客服技巧 在线思维导图免费制作", id="mindmap-site-001"),
        pytest.param(
            "当前位置:树图思维导图模板IT互联网互联网干货运营 第8章 客服技巧思维导图", id="breadcrumb-001"
        ),
    ],
)
def test_drop_boilerplate_lines_removes_site_furniture(line):
    assert drop_boilerplate_lines(f"正文第一行\n{line}\n正文第二行") == "正文第一行\n正文第二行"


def test_drop_boilerplate_lines_keeps_numbered_content():
    text = "（1）常用规范语\n1.开场语\n8.3.2 电话规范用语"
    assert drop_boilerplate_lines(text) == text


def test_drop_inline_boilerplate_removes_buttons_and_tags():
    assert drop_inline_boilerplate("收藏 分享 免费下载 正文</p>") == " 正文"


def test_drop_site_summary_keeps_title_and_drops_blurb_004():
    line = '在线客服管理与沟通技巧作业指导书《在线客服管理与沟通技巧作业指导书》旨在为从事在线客服工作的专业人士提供指南。The"OnlineCustomerServiceManagementandCommunicationSkillsHomeworkGuidance"isdesigned。在线客服管理与沟通技巧作业指导书详细内容如下:第一章引言互联网'
    assert drop_site_summary(line) == "在线客服管理与沟通技巧作业指导书\n第一章引言互联网"


def test_drop_site_summary_removes_mindmap_suffix_001():
    assert drop_site_summary("运营 第8章 客服技巧思维导图\n正文") == "运营 第8章 客服技巧\n正文"


def test_unify_punctuation_between_chinese_only():
    assert (
        unify_punctuation("(一)客户情绪激动,对吗?时间9:00,(PCS) ok")
        == "（一）客户情绪激动，对吗？时间9:00,(PCS) ok"
    )


def test_balance_quotes_drops_half_pairs():
    assert balance_quotes("建立客户优先接入”机制") == "建立客户优先接入机制"
    assert balance_quotes("说：“您好”，再说：“稍等") == "说：“您好”，再说：稍等"


def test_clean_text_whole_pipeline_on_000_opening():
    raw = "版權說明:本文檔由用戶提供并上傳\n文檔簡介\n客服崗位常見問題及解決方案手冊一、溝通場景類問題(一)客戶情緒激動的應對服務中客戶易出現(xiàn)情緒失控。"
    assert (
        clean_text(raw)
        == "客服岗位常见问题及解决方案手册一、沟通场景类问题（一）客户情绪激动的应对服务中客户易出现情绪失控。"
    )


def test_clean_text_is_reproducible():
    raw = "出現(xiàn)問題?！贝_保雙方\n最新文檔\n- 藝術品行業財務制度"
    assert clean_text(raw) == clean_text(raw) == "出现问题保双方"
