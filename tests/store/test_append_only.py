"""Audit rows can be added, never changed or removed: the database itself refuses."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from assistant.review import ReviewService
from assistant.store import AuditStore
from tests.store.helpers import make_draft, make_request

STATEMENTS = [
    pytest.param("UPDATE drafts SET reply = 'changed'", id="update-draft"),
    pytest.param("DELETE FROM drafts", id="delete-draft"),
    pytest.param("UPDATE edit_checks SET text = 'changed'", id="update-edit-check"),
    pytest.param("DELETE FROM edit_checks", id="delete-edit-check"),
    pytest.param("UPDATE decisions SET final_text = 'changed'", id="update-decision"),
    pytest.param("DELETE FROM decisions", id="delete-decision"),
]


def _fill(store: AuditStore) -> AuditStore:
    review = ReviewService(store)
    draft_id = review.record_draft("alice", make_request(), make_draft())
    review.check_edit(draft_id, "alice", "您好")
    review.approve(draft_id, "alice", "您好")
    return store


@pytest.fixture
def filled(store):
    return _fill(store)


@pytest.fixture
def pg_filled(pg_url):
    with AuditStore.open(pg_url) as opened:
        yield _fill(opened)


@pytest.mark.parametrize("statement", STATEMENTS)
def test_changing_audit_rows_is_refused(filled, statement):
    before = filled.counts()
    with pytest.raises(DBAPIError, match="append-only"), filled.engine.begin() as conn:
        conn.execute(text(statement))
    assert filled.counts() == before
    assert filled.decision_for(1).final_text == "您好"


def test_truncate_is_refused_on_postgresql(pg_filled):
    with pytest.raises(DBAPIError, match="append-only"), pg_filled.engine.begin() as conn:
        conn.execute(text("TRUNCATE decisions"))
    assert pg_filled.counts()["decisions"] == 1


def test_store_code_never_updates_or_deletes():
    import re
    from pathlib import Path

    import assistant.store as package

    for source in Path(package.__file__).parent.glob("*.py"):
        if source.name == "migrations.py":
            continue  # the triggers name UPDATE and DELETE to refuse them
        code = source.read_text(encoding="utf-8")
        assert not re.search(
            r"\b(UPDATE|DELETE)\s|\b(update|delete)\(\s*(drafts|edit_checks|decisions)", code
        )
