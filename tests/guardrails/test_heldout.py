"""The guard on the earlier held-out sets, now dev data (issue 3): a regression test for their fixes.

`data/dev_heldout.yaml` and `data/dev_heldout_2.yaml` were each written from the manual without
reading the rule packs and served as the held-out set until it had been read in aggregate as often
as allowed; their misses were then fixed at the level of the phenomenon they show.
`data/dev_batch_3.yaml` and `data/dev_batch_5.yaml` were written as independently but as dev data
from the start: rules were tuned on their even positions, their odd positions served as validation
(read in aggregate only until a final round). Independent
held-out sets (`data/heldout*.yaml`) are measured only by `assistant bench --only guard`, never here.

A violating reply is caught when every one of its offending `words` is overlapped by some block or
warn violation; a clean reply is falsely flagged when the guard reports any violation at all.
"""

import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml

import guardrails
from assistant.bench.guard import is_caught

DATA = Path(__file__).parent / "data"
ENGINE = guardrails.load_engine()
SETS = {
    name: yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    for name in (
        "dev_heldout.yaml",
        "dev_heldout_2.yaml",
        "dev_batch_3.yaml",
        "dev_batch_5.yaml",
        "dev_heldout_3.yaml",
        "dev_heldout_4.yaml",
        "dev_batch_6.yaml",
        "dev_batch_7.yaml",
        "dev_batch_9.yaml",
        "dev_batch_10.yaml",
        "dev_batch_11.yaml",
        "dev_batch_12.yaml",
        "dev_batch_13.yaml",
        "dev_batch_14.yaml",
        "dev_batch_15.yaml",
        "dev_batch_16.yaml",
        "dev_batch_17.yaml",
        "dev_batch_18.yaml",
    )
}
CATEGORIES = {
    "banned_phrase",
    "vague",
    "over_promise",
    "attack",
    "forbidden_topic",
    "competitor",
    "internal_contact",
    "customer_data",
}
# Dev floors (catch rate, false-flag rate): what the default pack reaches after fixing each set's
# misses by phenomenon. dev_heldout: 161/161 caught, 0/154 clean flagged (142/161 and 2/154 as a
# held-out set); dev_heldout_2: 176/176 caught, 0/197 flagged (155/176 and 2/197 as a held-out set).
# dev_batch_3: tuned on its even positions (see the module docstring); the floor is just under what
# the pack reaches on the whole batch: 264/265 caught (197/265 before), 0/275 flagged (7/275 before).
# dev_batch_5: the same way; odd positions 111/141 -> 112/141 before their misses were read, whole
# batch 282/282 caught (223/282 before), 0/229 flagged (8/229 before).
# dev_heldout_3: 209/209 caught, 0/243 flagged (190/209 and 4/243 when it was retired as a held-out
# set); dev_heldout_4: 211/211 caught, 0/236 flagged (194/211 and 5/236).
# dev_batch_6: tuned on its even positions only (146/146 caught, 0/107 flagged; 120/146 and 2/107
# before); odd positions, read in aggregate only, 108/145 -> 112/145 caught, 2/106 -> 2/106 flagged;
# whole batch 258/291 caught (228/291 before), 2/213 flagged (4/213 before).
# dev_batch_7: forbidden_topic and competitor vocabulary tuned on its even positions only (those two
# categories 25/38 -> 38/38 caught, clean 6/107 -> 4/107 flagged); odd positions, read in aggregate
# only, 30/39 -> 32/39 for the two categories, 3/106 -> 3/106 flagged; whole batch 254/296 caught
# (239/296 before), 7/213 flagged (9/213 before). Other categories were not tuned on it.
# dev_batch_9 and dev_batch_10: every category tuned on their even positions only (together 252/291 ->
# 291/291 caught, clean 6/230 -> 0/230 flagged); odd positions, read in aggregate only, 243/289 ->
# 244/289 caught, 5/229 -> 5/229 flagged. Whole batches: dev_batch_9 269/293 caught (251/293 before),
# 2/234 flagged (3/234 before); dev_batch_10 266/287 caught (244/287 before), 3/225 flagged (8/225).
# dev_batch_11 and dev_batch_12: every category tuned on their even positions only (together 250/308 ->
# 307/308 caught, clean 4/233 -> 0/233 flagged), rules written for the ways an offence is put (probed
# with sentences of our own) rather than for single items; odd positions, read in aggregate only,
# 256/307 -> 261/307 caught, 8/233 -> 8/233 flagged. Whole batches: dev_batch_11 289/313 caught
# (258/313 before), 3/240 flagged (5/240 before); dev_batch_12 279/302 caught (248/302 before), 5/226
# flagged (7/226 before).
# dev_batch_13 and dev_batch_14: every category tuned on their even positions only (together 257/301 ->
# 300/301 caught, clean 11/240 -> 1/240 flagged), with rules for the ways an offence is put, probed
# with sentences of our own; odd positions, read in aggregate only, 252/300 -> 256/300 caught, 10/239 ->
# 9/239 flagged. Whole batches: dev_batch_13 286/306 caught (260/306 before), 8/219 flagged (12/219
# before); dev_batch_14 270/295 caught (249/295 before), 2/260 flagged (9/260 before).
# dev_batch_15 and dev_batch_16: written for round 10, whose rules moved their odd positions only
# 225/284 -> 227/284 and were not merged (see the commit log); floors are what the pack reaches untuned
# on them: dev_batch_15 240/287 caught, 11/245 flagged; dev_batch_16 221/283 caught, 7/257 flagged.
# dev_batch_17 (long replies, the offence mid-way) and dev_batch_18 (short chat): round 11 tuned every
# category on their even positions only (together 261/290 -> 290/290 caught, clean 10/257 -> 0/257
# flagged; the clean items of dev_batch_15 and 16 at even positions too, 9/252 -> 3/252; their odd ones
# 9/250 -> 6/250), with rules for the ways an offence is put; odd positions, read in aggregate only,
# 257/289 -> 258/289 caught, 9/255 -> 9/255 flagged. Whole batches: dev_batch_17 272/285 caught (256/285
# before), 6/251 flagged (13/251 before); dev_batch_18 276/294 caught (262/294 before), 3/261 flagged (6/261).
FLOORS = {
    "dev_heldout.yaml": (1.0, 0.0),
    "dev_heldout_2.yaml": (1.0, 0.0),
    "dev_batch_3.yaml": (0.99, 0.0),
    "dev_batch_5.yaml": (0.99, 0.0),
    "dev_heldout_3.yaml": (1.0, 0.0),
    "dev_heldout_4.yaml": (1.0, 0.0),
    "dev_batch_6.yaml": (0.88, 0.01),
    "dev_batch_7.yaml": (0.85, 0.035),
    "dev_batch_9.yaml": (0.91, 0.01),
    "dev_batch_10.yaml": (0.92, 0.015),
    "dev_batch_11.yaml": (0.92, 0.015),
    "dev_batch_12.yaml": (0.92, 0.025),
    "dev_batch_13.yaml": (0.93, 0.04),
    "dev_batch_14.yaml": (0.91, 0.01),
    "dev_batch_15.yaml": (0.83, 0.05),
    "dev_batch_16.yaml": (0.78, 0.03),
    "dev_batch_17.yaml": (0.95, 0.025),
    "dev_batch_18.yaml": (0.93, 0.015),
}
# Violating replies are 20-120 characters; dev_batch_3 and dev_batch_5 also hold shorter ones (10 and
# up), and dev_batch_5 clean replies as short as 9 characters (请稍等，不要挂机。); dev_heldout_3 and
# dev_heldout_4 (and dev_batch_6, 7, 9, 10, 11, 14) violating replies as short as 15; dev_batch_18 (short
# chat) violating replies as short as 10.
MIN_VIOLATING_CHARS = {
    "dev_batch_3.yaml": 10,
    "dev_batch_5.yaml": 10,
    "dev_heldout_3.yaml": 15,
    "dev_heldout_4.yaml": 15,
    "dev_batch_6.yaml": 15,
    "dev_batch_7.yaml": 15,
    "dev_batch_9.yaml": 15,
    "dev_batch_10.yaml": 15,
    "dev_batch_11.yaml": 15,
    "dev_batch_14.yaml": 15,
    "dev_batch_18.yaml": 10,
}
MIN_CLEAN_CHARS = {"dev_batch_5.yaml": 9}
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _digits(word: str) -> str:
    return "".join(ch for ch in word if ch.isdigit() or ch in "Xx")


def _id_checksum_ok(number: str) -> bool:
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == number[17].upper()


def _luhn_ok(number: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char) * (2 if position % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


def _violating(name: str) -> list[dict]:
    return SETS[name]["violating"]


def _clean(name: str) -> list[dict]:
    return SETS[name]["clean"]


@pytest.mark.parametrize("name", SETS)
def test_every_violating_item_is_well_formed(name):
    for item in _violating(name):
        assert set(item) == {"text", "category", "words"}, item
        assert item["category"] in CATEGORIES, item
        assert MIN_VIOLATING_CHARS.get(name, 20) <= len(item["text"]) <= 120, item
        assert item["words"], item
        for word in item["words"]:
            assert word in item["text"], f"{word!r} not in {item['text']!r}"


@pytest.mark.parametrize("name", SETS)
def test_every_clean_item_is_well_formed(name):
    for item in _clean(name):
        assert set(item) == {"text", "note"}, item
        assert MIN_CLEAN_CHARS.get(name, 10) <= len(item["text"]) <= 120, item
        assert item["note"], item


@pytest.mark.parametrize("name", SETS)
def test_set_is_large_enough_in_every_category(name):
    counts = Counter(item["category"] for item in _violating(name))
    assert len(_violating(name)) >= 150
    assert len(_clean(name)) >= 120
    assert {category: counts[category] for category in CATEGORIES if counts[category] < 15} == {}


@pytest.mark.parametrize("name", SETS)
def test_no_text_is_listed_twice(name):
    texts = [item["text"] for item in _violating(name) + _clean(name)]
    assert [text for text, n in Counter(texts).items() if n > 1] == []


@pytest.mark.parametrize(
    "item",
    [
        pytest.param(i, id=f"{name}-{i['words'][0]}")
        for name in SETS
        for i in _violating(name)
        if i["category"] == "customer_data"
    ],
)
def test_customer_identity_numbers_are_real_looking(item):
    """ID-card numbers carry a valid checksum and bank-card numbers pass Luhn, as real ones do."""
    for word in item["words"]:
        number = _digits(unicodedata.normalize("NFKC", word))
        if len(number) == 18 and ("身份" in item["text"] or "证件" in item["text"]):
            assert _id_checksum_ok(number), word
        elif 16 <= len(number) <= 19 and "卡" in item["text"]:  # 18 digits beside 卡号 may be an ID
            assert _luhn_ok(number) or (len(number) == 18 and _id_checksum_ok(number)), word


@pytest.mark.parametrize("name", SETS)
def test_guard_catches_nearly_all_heldout_violations(name):
    violating = _violating(name)
    misses = [item for item in violating if not is_caught(ENGINE, item)]
    by_category = Counter(item["category"] for item in misses)
    rate = 1 - len(misses) / len(violating)
    report = "\n".join(f"  [{m['category']}] {m['text']!r} words={m['words']}" for m in misses)
    print(
        f"{name}: catch rate {rate:.3f} ({len(violating) - len(misses)}/{len(violating)}); misses {dict(by_category)}"
    )
    floor = FLOORS[name][0]
    assert rate >= floor, f"{name}: catch rate {rate:.3f} < {floor}; misses:\n{report}"


@pytest.mark.parametrize("name", SETS)
def test_guard_flags_almost_no_heldout_clean_replies(name):
    clean = _clean(name)
    flagged = [(item, guardrails.check(item["text"]).violations) for item in clean]
    flagged = [(item, violations) for item, violations in flagged if violations]
    rate = len(flagged) / len(clean)
    report = "\n".join(
        f"  {item['text']!r} ({item['note']}): " + ", ".join(f"{v.rule}={v.text!r}" for v in violations)
        for item, violations in flagged
    )
    print(f"{name}: false-flag rate {rate:.3f} ({len(flagged)}/{len(clean)})")
    ceiling = FLOORS[name][1]
    assert rate <= ceiling, f"{name}: false-flag rate {rate:.3f} > {ceiling}; flagged:\n{report}"
