"""The list format: ``items`` and ``next_cursor``, ``?cursor=`` and ``?limit=``."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import func, select

from intranet_social.accounts.models import User
from intranet_social.audit import service as audit
from intranet_social.audit.models import AuditEvent
from intranet_social.core.paging import encode_cursor
from intranet_social.extensions import db


def add_people(usernames: list[str], password_hash: str) -> None:
    """Many accounts at once, sharing one password hash: hashing each would be slow."""
    db.session.add_all(
        User(
            username=name,
            email=f"{name}@corp.example",
            name=name.title(),
            password_hash=password_hash,
        )
        for name in usernames
    )
    db.session.commit()


def page_through(api, path: str, limit: int) -> list[list[dict]]:  # type: ignore[no-untyped-def]
    pages, cursor = [], None
    while True:
        query = {"limit": limit} | ({"cursor": cursor} if cursor else {})
        response = api.get(path, query_string=query)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert set(body) == {"items", "next_cursor"}
        pages.append(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages


def test_admin_pages_through_people_by_username(admin_api, admin):
    add_people(["cara", "bea", "dan", "eve", "abe"], admin.password_hash)
    pages = page_through(admin_api, "/admin/users", limit=2)
    assert [len(page) for page in pages] == [2, 2, 2]
    usernames = [item["username"] for page in pages for item in page]
    assert usernames == ["abe", "ada.admin", "bea", "cara", "dan", "eve"]


def test_list_without_limit_gives_twenty_items(admin_api, admin):
    add_people([f"p{number:02d}" for number in range(22)], admin.password_hash)
    body = admin_api.get("/admin/users").get_json()
    assert len(body["items"]) == 20
    assert body["next_cursor"] is not None
    assert len(admin_api.get("/admin/users?limit=").get_json()["items"]) == 20
    assert len(admin_api.get("/admin/users?limit=100").get_json()["items"]) == 23


def test_admin_pages_through_the_audit_log_newest_first(admin_api):
    for number in range(5):
        audit.record("test.event", target=f"t{number}")
    db.session.commit()
    pages = page_through(admin_api, "/admin/audit", limit=3)
    ids = [item["id"] for page in pages for item in page]
    assert ids == sorted(ids, reverse=True)
    assert len(ids) == len(set(ids)) == db.session.scalar(select(func.count(AuditEvent.id)))
    assert [item["target"] for item in pages[0]] == ["t4", "t3", "t2"]


@pytest.mark.parametrize("limit", ["0", "101", "-1", "abc", "1.5", "٣", "1e2", "9" * 30])
def test_bad_limit_answers_422_naming_limit(admin_api, error_of, limit):
    response = admin_api.get("/admin/users", query_string={"limit": limit})
    assert response.status_code == 422
    error = error_of(response)
    assert error["field"] == "limit"
    assert "1 to 100" in error["message"]


@pytest.mark.parametrize(
    ("path", "cursor"),
    [
        ("/admin/users", "not base64 !"),
        ("/admin/users", "e30"),  # {} is not a username
        ("/admin/users", encode_cursor(5)),
        ("/admin/users", base64.urlsafe_b64encode(b"\xff\xfe").decode()),
        ("/admin/audit", encode_cursor("ada")),
        ("/admin/audit", encode_cursor(0)),
        ("/admin/audit", encode_cursor(2**63)),
        ("/admin/audit", base64.urlsafe_b64encode(b"[" * 5000).decode()),
    ],
)
def test_bad_cursor_answers_422_naming_cursor(admin_api, error_of, path, cursor):
    response = admin_api.get(path, query_string={"cursor": cursor})
    assert response.status_code == 422
    assert error_of(response)["field"] == "cursor"
