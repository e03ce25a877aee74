"""Character n-gram F-score (chrF): similarity to a reference that needs no tokenizer.

Word-based ROUGE sees a Chinese sentence as one "word"; characters are the natural unit.
The score averages precision and recall over n = 1..max_n and combines them with F-beta.
"""

from __future__ import annotations

from collections import Counter

from eval.textnorm import letters_only


def _ngrams(text: str, n: int) -> Counter[str]:
    return Counter(text[i : i + n] for i in range(len(text) - n + 1))


def chrf(candidate: str, reference: str, max_n: int = 3, beta: float = 1.0) -> float:
    """chrF in [0, 1] on folded text without punctuation; 0 when either side is empty."""
    hyp, ref = letters_only(candidate), letters_only(reference)
    if not hyp or not ref:
        return 0.0
    precisions, recalls = [], []
    for n in range(1, max_n + 1):
        hyp_grams, ref_grams = _ngrams(hyp, n), _ngrams(ref, n)
        if not hyp_grams or not ref_grams:
            continue
        overlap = sum((hyp_grams & ref_grams).values())
        precisions.append(overlap / sum(hyp_grams.values()))
        recalls.append(overlap / sum(ref_grams.values()))
    precision = sum(precisions) / len(precisions)
    recall = sum(recalls) / len(recalls)
    if precision == 0 or recall == 0:
        return 0.0
    b2 = beta * beta
    return (1 + b2) * precision * recall / (b2 * precision + recall)
