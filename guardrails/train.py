"""Train the guard's clause classifier (`guardrails/model.py`) and write its weights.

Clause-level labels: in a violating item, a clause overlapping one of its offending `words` is
positive for the item's category; its other clauses, and every clause of a clean item, are clean.
Items of `labelled.yaml` carry no `words`: a one-clause item is positive, a longer one is left out
(labelling its clauses with the rules measured no better and would tie the weights to the pack).
Features are `guardrails.model.features`; the model is a multinomial logistic regression with L2,
fitted by full-batch Adam from zero weights: deterministic, no sampling, no seed needed.

    .venv/bin/python -m guardrails.train        # writes guardrails/packs/model.json.gz (~1 min)

numpy is needed here only: `import guardrails` never imports this module.

dev_batch_8.yaml is validation only, and the held-out sets (heldout*.yaml) are never read.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
from pathlib import Path

import numpy as np
import yaml

from guardrails.model import CLEAN, WEIGHTS, clauses, features
from guardrails.result import CATEGORIES

ROOT = Path(__file__).resolve().parents[1]

DATA = ROOT / "tests" / "guardrails" / "data"
TRAIN_FILES = (
    "dev_heldout.yaml",
    "dev_heldout_2.yaml",
    "dev_heldout_3.yaml",
    "dev_heldout_4.yaml",
    "dev_batch_3.yaml",
    "dev_batch_5.yaml",
    "dev_batch_6.yaml",
    "dev_batch_7.yaml",
    "dev_batch_9.yaml",
    "dev_batch_10.yaml",
    "dev_batch_11.yaml",
    "dev_batch_12.yaml",
    "labelled.yaml",
    "standard_phrases.txt",
)
CLASSES = (CLEAN, *CATEGORIES)
THRESHOLD = 0.3

# An item: (text, category or None when clean, offending words or None when unknown).
Item = tuple[str, str | None, list[str] | None]


def load_items(path: Path) -> list[Item]:
    """The items of one data file: a labelled set (yaml) or one clean reply per line (txt)."""
    if path.suffix == ".txt":
        lines = path.read_text(encoding="utf-8").splitlines()
        return [(line.strip(), None, None) for line in lines if line.strip() and not line.startswith("#")]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items: list[Item] = []
    violating = data["violating"]
    if isinstance(violating, dict):  # labelled.yaml: {category: [text, ...]}
        items += [(text, category, None) for category, texts in violating.items() for text in texts]
    else:
        items += [(item["text"], item["category"], item["words"]) for item in violating]
    items += [(item if isinstance(item, str) else item["text"], None, None) for item in data["clean"]]
    return items


def samples(items: list[Item]) -> list[tuple[str, str]]:
    """(clause, label) pairs of some items."""
    out = []
    for text, category, words in items:
        spans = clauses(text)
        if category is None:
            out += [(text[s:e], CLEAN) for s, e in spans]
        elif words is None:
            out += [(text[s:e], category) for s, e in spans] if len(spans) == 1 else []
        else:
            hits = [m.span() for word in words for m in re.finditer(re.escape(word), text)]
            out += [
                (text[s:e], category if any(a < e and b > s for a, b in hits) else CLEAN) for s, e in spans
            ]
    return out


def training_samples(files=TRAIN_FILES) -> list[tuple[str, str]]:
    return [pair for name in files for pair in samples(load_items(DATA / name))]


def fit(
    pairs: list[tuple[str, str]],
    sizes: tuple[int, ...] = (1, 2, 3),
    l2: float = 3e-4,
    min_count: int = 2,
    steps: int = 400,
    rate: float = 0.05,
    prune: float = 0.02,
) -> dict:
    """Fit the model on (clause, label) pairs; the weights as `guardrails.model.Model` reads them."""
    grams = [features(clause, sizes) for clause, _ in pairs]
    counts: dict[str, int] = {}
    for row in grams:
        for gram in set(row):
            counts[gram] = counts.get(gram, 0) + 1
    vocab = sorted(g for g, c in counts.items() if c >= min_count)
    index = {g: i for i, g in enumerate(vocab)}
    rows, cols = [], []
    for r, row in enumerate(grams):
        for gram in row:
            if gram in index:
                rows.append(r)
                cols.append(index[gram])
    rows_a, cols_a = np.array(rows), np.array(cols)
    n, v, k = len(pairs), len(vocab), len(CLASSES)
    y = np.zeros((n, k))
    y[np.arange(n), [CLASSES.index(label) for _, label in pairs]] = 1.0

    w, b = np.zeros((v, k)), np.zeros(k)
    moments = [np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)]
    for step in range(1, steps + 1):
        logits = b + np.stack([np.bincount(rows_a, w[cols_a, j], minlength=n) for j in range(k)], axis=1)
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        grad = (probs - y) / n
        grad_w = np.stack([np.bincount(cols_a, grad[rows_a, j], minlength=v) for j in range(k)], axis=1)
        grad_w += l2 * w
        grad_b = grad.sum(axis=0)
        for param, g, m, s in ((w, grad_w, *moments[:2]), (b, grad_b, *moments[2:])):
            m *= 0.9
            m += 0.1 * g
            s *= 0.999
            s += 0.001 * g * g
            param -= rate * (m / (1 - 0.9**step)) / (np.sqrt(s / (1 - 0.999**step)) + 1e-8)
    keep = np.abs(w).max(axis=1) >= prune
    return {
        "classes": list(CLASSES),
        "sizes": list(sizes),
        "threshold": THRESHOLD,
        "bias": [round(float(x), 3) for x in b],
        "weights": {vocab[i]: [round(float(x), 3) for x in w[i]] for i in np.flatnonzero(keep)},
    }


def write(model: dict, path: Path = WEIGHTS) -> None:
    """Write the weights atomically (a temporary file renamed over the old one)."""
    raw = json.dumps(model, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(gzip.compress(raw, mtime=0) if path.suffix == ".gz" else raw)
    os.replace(temporary, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    parser.add_argument("--l2", type=float, default=3e-4)
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    args = parser.parse_args()
    pairs = training_samples()
    model = fit(pairs, l2=args.l2, steps=args.steps)
    model["threshold"] = args.threshold
    write(model, args.out)
    positives = sum(1 for _, label in pairs if label != CLEAN)
    print(
        f"{len(pairs)} clauses ({positives} violating), {len(model['weights'])} n-grams kept; "
        f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB)"
    )


if __name__ == "__main__":
    main()
