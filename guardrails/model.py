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
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from guardrails.normalize import compact_raw, digits_raw, normalize_raw
from guardrails.result import Suspect, Violation

WEIGHTS = Path(__file__).parent / "packs" / "model.json.gz"
CLEAN = "clean"
# Sentence punctuation, full and half width, and line breaks. Not "." (decimals, evasions like
# 不.可.以) and not ":" (a label and its value, 电话:138..., belong together).
_CLAUSE = re.compile(r"[^，。！？；…,!?;\n\s](?:[^，。！？；…,!?;\n]*[^，。！？；…,!?;\n\s])?")
_WORDY = re.compile(r"[^\W_]")  # a letter, digit or CJK character (str.isalnum)
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
    return [m.span() for m in _CLAUSE.finditer(text) if _WORDY.search(m.group())]


def features(clause: str, sizes: tuple[int, ...] = (1, 2, 3)) -> list[str]:
    """Character n-grams of the folded clause (numbers reduced as above, "^" and "$" marking
    its edges) and skip bigrams: "不_道" is two characters with any one between them."""
    text = compact_raw(normalize_raw(clause)[0], None)[0]  # `normalize(clause).compact().text`
    text = _CN_NUMBER.sub(lambda m: digits_raw(m.group().replace(" ", "").replace("-", "")), text)
    text = "^" + _NUMBER.sub(_number, text) + "$"
    grams = [text[i : i + n] for n in sizes for i in range(len(text) - n + 1)]
    grams += [f"{text[i]}_{text[i + 2]}" for i in range(len(text) - 2)]
    return grams


class Model:
    """Weights of a trained model: `classes` (the first is "clean"), one bias per class and, per
    n-gram, one weight per class."""

    def __init__(self, data: dict):
        import numpy as np  # only the second opinion needs it: `import guardrails` does not

        self.classes: list[str] = data["classes"]
        self.sizes = tuple(data["sizes"])
        self.threshold: float = data["threshold"]
        if self.classes[0] != CLEAN:
            raise ValueError(f"the first class must be {CLEAN!r}, not {self.classes[0]!r}")
        self._bias = np.array(data["bias"], dtype=np.float64)
        # One row of weights per n-gram, and a last row of zeros that every clause gets (so that
        # a clause without a known n-gram still has a row to sum).
        self._index = {gram: row for row, gram in enumerate(data["weights"])}
        weights = [*data["weights"].values(), [0.0] * len(self.classes)]
        self._rows = np.array(weights, dtype=np.float64)

    @classmethod
    def load(cls, path: Path | str = WEIGHTS) -> Model:
        path = Path(path)
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        return cls(json.loads(raw))

    def probabilities(self, clauses: Sequence[str]):
        """The softmax over `classes` of each clause: one row per clause (a numpy array), the
        n-gram weights of all clauses summed in one call."""
        import numpy as np

        index, zero = self._index, len(self._index)
        rows: list[int] = []
        starts: list[int] = []
        for clause in clauses:
            starts.append(len(rows))
            rows.append(zero)
            rows.extend(row for row in map(index.get, features(clause, self.sizes)) if row is not None)
        logits = self._bias + np.add.reduceat(self._rows[rows], starts, axis=0)
        exps = np.exp(logits - logits.max(axis=1, keepdims=True))
        return exps / exps.sum(axis=1, keepdims=True)

    def suspects_beside(self, text: str, violations: Sequence[Violation]) -> tuple[Suspect, ...]:
        """The suspect clauses of `text` that no violation overlaps, as `Suspect`s."""
        return tuple(
            Suspect(category, start, end, text[start:end], score, MESSAGES[category])
            for start, end, category, score in self.suspects(text)
            if not any(v.start < end and start < v.end for v in violations)
        )

    def suspects(self, text: str, threshold: float | None = None) -> list[tuple[int, int, str, float]]:
        """(start, end, category, score) of every clause of `text` whose score (its probability
        of not being clean) reaches the threshold (the model's own unless given); the category
        is its likeliest violating one; spans are offsets into `text`."""
        spans = clauses(text)
        if not spans:
            return []
        probabilities = self.probabilities([text[start:end] for start, end in spans])
        scores = (1.0 - probabilities[:, 0]).tolist()
        best = (probabilities[:, 1:].argmax(axis=1) + 1).tolist()
        limit = self.threshold if threshold is None else threshold
        return [
            (start, end, self.classes[category], round(score, 3))
            for (start, end), score, category in zip(spans, scores, best, strict=True)
            if score >= limit
        ]


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
