from assistant.corpus import quoted_phrases


def test_quoted_phrases_in_order_without_duplicates():
    text = "例如：“非常抱歉让您这么着急”。示例：「请稍等」。再说“非常抱歉让您这么着急”。"
    assert quoted_phrases(text) == ["非常抱歉让您这么着急", "请稍等"]


def test_nested_quote_gives_inner_phrase():
    assert quoted_phrases("说：“若仍听不清时说：“您的电话仍听不清楚。””") == ["您的电话仍听不清楚。"]


def test_no_quotes_no_phrases():
    assert quoted_phrases("先致歉，再说明。") == []
