"""Small hand-made corpora for index tests that must not depend on the corpus loader."""

from __future__ import annotations

import hashlib

from assistant.models import Chunk

SECTIONS = {
    "phone.txt": [
        ("电话规范用语 > 5.客户声音很小或者杂音很大", "您好，您的声音比较小，请您大声一点好吗？"),
        ("电话规范用语 > 6.遇到客户责备客服动作慢", "对不起，让您久等了，我会尽快为您处理。"),
    ],
    "orders.txt": [
        ("订单问题 > 订单错发", "商品发错时，先致歉，再为客户办理换货并承担运费。"),
        ("订单问题 > 退款进度", "退款一般在三个工作日内原路退回。"),
    ],
}


def make_chunks(source: str, sections: list[tuple[str, str]]) -> list[Chunk]:
    return [
        Chunk(
            id=hashlib.sha256(f"{source}\n{section}\n{text}".encode()).hexdigest()[:32],
            source=source,
            title=source.removesuffix(".txt"),
            section=section,
            text=text,
            ordinal=i,
        )
        for i, (section, text) in enumerate(sections)
    ]


def corpus(sections: dict[str, list[tuple[str, str]]]) -> tuple[dict[str, str], list]:
    """({source: content hash}, chunks) as `load_corpus` would return them."""
    files, chunks = {}, []
    for source, items in sections.items():
        files[source] = hashlib.sha256(repr(items).encode()).hexdigest()
        chunks.extend(make_chunks(source, items))
    return files, chunks
