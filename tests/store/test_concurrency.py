"""Twenty agents at once: nothing lost, and exactly one decision per draft (threads and processes)."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from assistant.review import DecisionExistsError, ReviewService
from tests.store.helpers import make_draft, make_request

AGENTS = 20
REPO = Path(__file__).resolve().parents[2]


def _run_together(target, count: int) -> list:
    """Start `count` threads at the same moment; return each one's result or exception."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def worker(n: int) -> None:
        barrier.wait()
        try:
            results[n] = target(n)
        except Exception as exc:  # collected and asserted on by the caller
            results[n] = exc

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_twenty_agents_approving_different_drafts_lose_nothing(store):
    review = ReviewService(store)
    ids = [review.record_draft(f"agent{n}", make_request(), make_draft()) for n in range(AGENTS)]
    results = _run_together(lambda n: review.approve(ids[n], f"agent{n}", f"回复 {n}"), AGENTS)
    assert all(not isinstance(r, Exception) for r in results), results
    assert store.counts()["decisions"] == AGENTS
    for n, draft_id in enumerate(ids):
        decision = store.decision_for(draft_id)
        assert (decision.user, decision.final_text) == (f"agent{n}", f"回复 {n}")


def test_twenty_agents_racing_on_one_draft_exactly_one_wins(store):
    review = ReviewService(store)
    draft_id = review.record_draft("alice", make_request(), make_draft())

    def decide(n: int):
        if n % 2:
            return review.reject(draft_id, f"agent{n}", "tone", None)
        return review.approve(draft_id, f"agent{n}", f"回复 {n}")

    results = _run_together(decide, AGENTS)
    winners = [r for r in results if not isinstance(r, Exception)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1
    assert all(isinstance(e, DecisionExistsError) for e in losers), losers
    assert all(winners[0].user in str(e) for e in losers)
    assert store.decision_for(draft_id) == winners[0]
    assert store.counts()["decisions"] == 1


WORKER = """
import sys, time
from pathlib import Path
from assistant.review import DecisionExistsError, ReviewService
from assistant.store import AuditStore
from guardrails.result import GuardResult

url, go, n, own, shared = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
with AuditStore.open(url) as store:
    review = ReviewService(store, guard=lambda text: GuardResult("pass"))
    while not go.exists():
        time.sleep(0.005)
    review.approve(own, f"agent{n}", f"回复 {n}")
    try:
        review.approve(shared, f"agent{n}", f"抢 {n}")
        print("won")
    except DecisionExistsError:
        print("lost")
"""


def test_twenty_processes_approving_at_once_lose_nothing_and_one_wins_the_race(store, tmp_path):
    url = store.engine.url.render_as_string(hide_password=False)
    review = ReviewService(store)
    own = [review.record_draft(f"agent{n}", make_request(), make_draft()) for n in range(AGENTS)]
    shared = review.record_draft("alice", make_request(), make_draft())
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, url, str(go), str(n), str(own[n]), str(shared)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for n in range(AGENTS)
    ]
    go.touch()
    outputs = [p.communicate(timeout=240) for p in procs]
    assert [p.returncode for p in procs] == [0] * AGENTS, [err[-500:] for _, err in outputs]
    verdicts = sorted(out.strip() for out, _ in outputs)
    assert verdicts == ["lost"] * (AGENTS - 1) + ["won"]
    assert store.counts()["decisions"] == AGENTS + 1
    assert {store.decision_for(d).final_text for d in own} == {f"回复 {n}" for n in range(AGENTS)}
