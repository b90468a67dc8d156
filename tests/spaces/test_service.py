"""Spaces: who may create, join, leave and manage them; a space keeps an owner; bad input
changes nothing."""

from __future__ import annotations

import pytest

from intranet_social.core.errors import Conflict, Forbidden, Invalid, NotFound
from intranet_social.extensions import db
from intranet_social.site_settings.service import set_setting
from intranet_social.spaces import service
from tests.spaces.helpers import audit_actions, snapshot


@pytest.fixture
def owner(make_user):
    return make_user("olga.owner")


@pytest.fixture
def space(owner):
    made = service.create_space(owner, "Team News", visibility="closed", description="Ours")
    db.session.commit()
    return made


def test_the_creator_owns_the_new_space_and_it_is_audited(owner, space):
    view = service.get_space(owner, "team-news")
    assert (view.name, view.visibility, view.member_count, view.my_role) == (
        "Team News",
        "closed",
        1,
        "owner",
    )
    assert audit_actions() == ["space.create"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "Team", "slug": "Has Spaces"}, "slug"),
        ({"name": "Team", "slug": "Capitals"}, "slug"),
        ({"name": "Team", "slug": "team-news"}, "slug"),
        ({"name": "Team News"}, "slug"),
        ({"name": "   "}, "name"),
        ({"name": "Team", "visibility": "public"}, "visibility"),
        ({"name": "x" * 101}, "name"),
    ],
)
def test_bad_space_input_is_refused_and_nothing_changes(owner, space, fields, field):
    before = snapshot()
    with pytest.raises((Invalid, Conflict)) as refused:
        service.create_space(owner, fields.pop("name"), **fields)
    assert refused.value.field == field
    db.session.rollback()
    assert snapshot() == before


def test_members_may_not_create_spaces_when_only_admins_may(member, admin):
    set_setting("space_creation", "admins")
    with pytest.raises(Forbidden):
        service.create_space(member, "Mine")
    assert service.create_space(admin, "Admins' own").slug == "admins-own"


def test_joining_an_open_space_joins_and_a_closed_one_asks(owner, space, member):
    opened = service.create_space(owner, "Open Club", visibility="open")
    assert service.join(member, opened.slug) == "joined"
    assert service.join(member, space.slug) == "requested"
    assert service.get_space(member, space.slug).requested
    assert [who.username for who in service.join_requests(owner, space.slug)] == [member.username]
    service.answer_request(owner, space.slug, member.username, approve=True)
    assert service.get_space(member, space.slug).my_role == "member"


def test_a_secret_space_is_not_found_by_outsiders_nor_listed(owner, member):
    service.create_space(owner, "Hush", visibility="secret")
    with pytest.raises(NotFound):
        service.get_space(member, "hush")
    with pytest.raises(NotFound):
        service.join(member, "hush")
    assert "hush" not in [view.slug for view in service.directory(member)]
    assert "hush" in [view.slug for view in service.directory(owner)]


def test_the_directory_lists_my_spaces_first_and_searches(owner, space, member):
    service.create_space(owner, "Alpha Open", visibility="open")
    service.create_space(member, "Zulu Mine", visibility="open")
    assert [view.slug for view in service.directory(member)] == [
        "zulu-mine",
        "alpha-open",
        "team-news",
    ]
    assert [view.slug for view in service.directory(member, "ZULU")] == ["zulu-mine"]


def test_the_last_owner_can_be_neither_demoted_nor_removed_nor_leave(owner, space):
    before = snapshot()
    for attempt in (
        lambda: service.set_role(owner, space.slug, owner.username, "member"),
        lambda: service.remove_member(owner, space.slug, owner.username),
        lambda: service.leave(owner, space.slug),
    ):
        with pytest.raises(Conflict):
            attempt()
    assert snapshot() == before


def test_with_a_second_owner_the_first_may_leave_and_roles_are_audited(owner, space, member):
    service.add_member(owner, space.slug, member.username, "owner")
    service.leave(owner, space.slug)
    assert service.get_space(member, space.slug).my_role == "owner"
    assert audit_actions() == ["space.create", "space.role"]


def test_moderators_add_members_but_neither_owners_nor_remove_owners(
    owner, space, member, make_user
):
    mod = make_user("mod.erator")
    service.add_member(owner, space.slug, mod.username, "moderator")
    service.add_member(mod, space.slug, member.username)
    with pytest.raises(Forbidden):
        service.add_member(mod, space.slug, "olga.owner", "owner")
    with pytest.raises(Forbidden):
        service.remove_member(mod, space.slug, owner.username)
    service.remove_member(mod, space.slug, member.username)
    with pytest.raises(Forbidden):
        service.add_member(member, space.slug, mod.username)


def test_adding_someone_unknown_or_twice_is_refused(owner, space, member):
    service.add_member(owner, space.slug, member.username)
    before = snapshot()
    with pytest.raises(NotFound):
        service.add_member(owner, space.slug, "nobody.here")
    with pytest.raises(Conflict):
        service.add_member(owner, space.slug, member.username)
    with pytest.raises(NotFound):
        service.add_member(owner, "no-such-space", member.username)
    assert snapshot() == before


def test_changing_visibility_is_audited_and_opening_lets_in_who_asked(owner, space, member):
    service.join(member, space.slug)
    service.update_space(owner, space.slug, visibility="open", name="Team News!")
    assert service.get_space(member, space.slug).my_role == "member"
    assert audit_actions() == ["space.create", "space.visibility"]
    with pytest.raises(Forbidden):
        service.update_space(member, space.slug, name="Taken over")


def test_only_owners_delete_a_space_and_it_is_audited(owner, space, member):
    with pytest.raises(Forbidden):
        service.delete_space(member, space.slug)
    service.delete_space(owner, space.slug)
    with pytest.raises(NotFound):
        service.get_space(owner, space.slug)
    assert audit_actions() == ["space.create", "space.delete"]
