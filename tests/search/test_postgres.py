"""The same search on PostgreSQL, which has no full-text index yet (needs a local server)."""

from __future__ import annotations

import pytest

from intranet_social.extensions import db
from intranet_social.posts import service as posts

pytestmark = pytest.mark.postgres


@pytest.fixture
def site_settings(postgres_url: str) -> dict[str, dict[str, str]]:
    return {"database": {"url": postgres_url}}


def test_people_and_visible_posts_are_found_on_postgresql(
    app, api, searcher, friend, stranger, make_user
):
    assert db.engine.dialect.name == "postgresql"
    make_user("asmith", name="Anna Smith", department="Finance", title="Accountant")
    make_user("joanne", name="Joanne Bell")
    posts.create_post(stranger, "hidden budget notes", audience="friends")
    shown = posts.create_post(friend, "Budget day, 100% done", audience="friends")
    db.session.commit()
    client = api(searcher)

    def found(kind: str, q: str, key: str) -> list[object]:
        answer = client.get(f"/search?type={kind}&q={q}")
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return [item[key] for item in answer.get_json()["items"]]

    assert found("people", "ann", "username") == ["asmith"]
    assert found("people", "smi fin", "username") == ["asmith"]
    assert found("people", "sid.str", "username") == ["sid.stranger"]
    assert found("posts", "BUDGET", "id") == [shown.id]
    for query in ("%22", "AND", "*", "%00", "%25", "_"):
        found("posts", query, "id")
        found("people", query, "username")
