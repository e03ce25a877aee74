"""A small learned clause classifier that runs beside the rules and reports suspect clauses.

The reply is cut into clauses at sentence punctuation of the original text; each clause is folded
(`guardrails.normalize`: NFKC, Simplified, soft separators dropped), turned into character n-grams,
and scored by a multinomial logistic regression over the guard's categories plus "clean". A clause
is a suspect when its probability of not being clean reaches the threshold; its category is the
likeliest violating one. Pure Python: the weights are a JSON file read once, scoring is a few dict
look-ups per n-gram. Trained by `guardrails/train.py`, which uses `features` below.

    >>> default_model().suspects("這個我不知道，您問別人吧！")
    [(0, 6, 'banned_phrase', 0.988), (7, 12, 'banned_phrase', 0.401)]
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from guardrails.normalize import digits_raw, normalize
from guardrails.result import Suspect, Violation

WEIGHTS = Path(__file__).parent / "packs" / "model.json.gz"
CLEAN = "clean"
# Sentence punctuation, full and half width, and line breaks. Not "." (decimals, evasions like
# 不.可.以) and not ":" (a label and its value, 电话:138..., belong together).
_CLAUSE = re.compile(r"[^，。！？；…,!?;\n]+")
# A number (digits, maybe grouped by spaces or hyphens: 139 6021 8837) of more than four digits
# keeps its first three and becomes one private-use character that says how long it is: the
# n-grams then see "a 400 hotline" or "a 13x mobile-length number after 电话", not the number.
_NUMBER = re.compile(r"\d(?:[\d\- ]*\d)?")
_LENGTHS = ((6, "\ue001"), (10, "\ue002"), (11, "\ue003"), (15, "\ue004"), (19, "\ue005"))
# Seven or more Chinese-numeral digits in a row (幺三九五七二一六三四八): read as a number.
_CN_NUMBER = re.compile(
    "[〇零一二三四五六七八九幺两][〇零一二三四五六七八九幺两 \\-]{5,}[〇零一二三四五六七八九幺两]"
)


def _number(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    if len(digits) <= 4:
        return digits
    return digits[:3] + next((mark for most, mark in _LENGTHS if len(digits) <= most), "\ue006")


def clauses(text: str) -> list[tuple[int, int]]:
    """[start, end) spans of the clauses of `text`, edges stripped of white space; clauses with
    no letter, digit or CJK character are left out."""
    spans = []
    for m in _CLAUSE.finditer(text):
        start, end = m.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if any(ch.isalnum() for ch in text[start:end]):
            spans.append((start, end))
    return spans


def features(clause: str, sizes: tuple[int, ...] = (1, 2, 3)) -> list[str]:
    """Character n-grams of the folded clause (numbers reduced as above, "^" and "$" marking
    its edges) and skip bigrams: "不_道" is two characters with any one between them."""
    text = normalize(clause).compact().text
    text = _CN_NUMBER.sub(lambda m: digits_raw(m.group().replace(" ", "").replace("-", "")), text)
    text = "^" + _NUMBER.sub(_number, text) + "$"
    grams = [text[i : i + n] for n in sizes for i in range(len(text) - n + 1)]
    grams += [f"{text[i]}_{text[i + 2]}" for i in range(len(text) - 2)]
    return grams


class Model:
    """Weights of a trained model: `classes` (the first is "clean"), one bias per class and, per
    n-gram, one weight per class."""

    def __init__(self, data: dict):
        self.classes: list[str] = data["classes"]
        self.sizes = tuple(data["sizes"])
        self.threshold: float = data["threshold"]
        self.bias: list[float] = data["bias"]
        self.weights: dict[str, list[float]] = data["weights"]
        if self.classes[0] != CLEAN:
            raise ValueError(f"the first class must be {CLEAN!r}, not {self.classes[0]!r}")

    @classmethod
    def load(cls, path: Path | str = WEIGHTS) -> Model:
        path = Path(path)
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        return cls(json.loads(raw))

    def probabilities(self, clause: str) -> list[float]:
        """The softmax over `classes` for one clause."""
        weights = self.weights
        rows = [weights[gram] for gram in features(clause, self.sizes) if gram in weights]
        logits = self.bias
        if rows:  # sum the rows column by column (zip and sum run in C)
            logits = [b + sum(c) for b, c in zip(logits, zip(*rows, strict=True), strict=True)]
        top = max(logits)
        exps = [math.exp(z - top) for z in logits]
        total = sum(exps)
        return [e / total for e in exps]

    def score(self, clause: str) -> tuple[str, float]:
        """The likeliest violating category of a clause and its probability of not being clean."""
        probs = self.probabilities(clause)
        best = max(range(1, len(probs)), key=probs.__getitem__)
        return self.classes[best], 1.0 - probs[0]

    def suspects_beside(self, text: str, violations: Sequence[Violation]) -> tuple[Suspect, ...]:
        """The suspect clauses of `text` that no violation overlaps, as `Suspect`s."""
        return tuple(
            Suspect(category, start, end, text[start:end], score, MESSAGES[category])
            for start, end, category, score in self.suspects(text)
            if not any(v.start < end and start < v.end for v in violations)
        )

    def suspects(self, text: str, threshold: float | None = None) -> list[tuple[int, int, str, float]]:
        """(start, end, category, score) of every clause of `text` whose score reaches the
        threshold (the model's own unless given); spans are offsets into `text`."""
        limit = self.threshold if threshold is None else threshold
        out = []
        for start, end in clauses(text):
            category, score = self.score(text[start:end])
            if score >= limit:
                out.append((start, end, category, round(score, 3)))
        return out


# What the agent reads beside a suspect clause, per category.
MESSAGES = {
    "banned_phrase": "模型提示：这句话像服务禁用语（推脱、不耐烦、斗气或看不起客户），请再读一遍。",
    "vague": "模型提示：这句话像模糊答复，请核实后给出确定的信息。",
    "over_promise": "模型提示：这句话像在保证结果，请改用“尽量”“争取”“努力”。",
    "attack": "模型提示：这句话像在指责、嘲讽或贬低客户，请换成中性的说法。",
    "forbidden_topic": "模型提示：这句话像涉及政治、色情、赌博或毒品，请删去。",
    "competitor": "模型提示：这句话像在贬低其他公司，请删去评价。",
    "internal_contact": "模型提示：这句话像含有内部联系方式，请勿发给客户。",
    "customer_data": "模型提示：这句话像含有客户个人信息，请勿外发。",
}


@lru_cache(maxsize=1)
def default_model() -> Model:
    """The shipped model, loaded once per process."""
    return Model.load()
