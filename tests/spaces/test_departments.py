"""Department spaces: everyone of a department is a member, and moves with their department
whichever face changes it (profile form, admin console, command line, CSV import)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from intranet_social.accounts import service as accounts
from intranet_social.audit.models import AuditEvent
from intranet_social.extensions import db
from intranet_social.posts import service as posts
from intranet_social.spaces import departments, service
from intranet_social.spaces.models import Space, SpaceMember
from tests.spaces.helpers import snapshot


def member_names(slug: str) -> dict[str, str]:
    db.session.expire_all()
    return {member.username: member.role for member in service.members(None, slug)}


def space_department(slug: str) -> str | None:
    db.session.expire_all()
    return db.session.scalar(select(Space.department).where(Space.slug == slug))


@pytest.fixture
def staff(make_user):
    """Two engineers, a disabled engineer, a salesperson."""
    eng = make_user("eva", name="Eva Engineer", department="Engineering")
    eli = make_user("eli", name="Eli Engineer", department="engineering")
    gone = make_user("gus", name="Gus Gone", department="Engineering")
    accounts.disable_user(gone)
    sam = make_user("sam", name="Sam Sales", department="Sales")
    db.session.commit()
    return eng, eli, gone, sam


@pytest.fixture
def eng_space(admin, staff):
    space = service.create_space(admin, "Engineering", visibility="closed")
    db.session.commit()
    return space


@pytest.fixture
def sales_space(admin, staff):
    space = service.create_space(admin, "Sales floor", slug="sales", visibility="secret")
    departments.link_department(admin, space, "Sales")
    db.session.commit()
    return space


def test_linking_a_space_adds_the_active_people_of_the_department_at_once(admin, staff, eng_space):
    joined = departments.link_department(admin, eng_space, "Engineering")
    db.session.commit()
    assert joined == 2
    assert member_names("engineering") == {"ada.admin": "owner", "eli": "member", "eva": "member"}
    assert space_department("engineering") == "Engineering"
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "space.department")
    ).one()
    assert event.target == "space:engineering"


def test_linking_keeps_the_roles_of_those_already_in_and_drops_their_requests(
    admin, staff, eng_space
):
    eva, eli, _, _ = staff
    service.add_member(admin, "engineering", eva.username, "moderator")
    service.join(eli, "engineering")  # a closed space: eli asks
    departments.link_department(admin, eng_space, "Engineering")
    db.session.commit()
    assert member_names("engineering")["eva"] == "moderator"
    assert service.get_space(eli, "engineering").requested is False
    assert service.join_requests(None, "engineering") == []


def test_only_admins_link_a_space_and_a_refusal_changes_nothing(author, staff, eng_space, admin):
    service.add_member(admin, "engineering", author.username, "owner")
    db.session.commit()
    before = snapshot()
    with pytest.raises(Exception, match="Only admins"):
        departments.link_department(author, eng_space, "Engineering")
    db.session.rollback()
    with pytest.raises(Exception, match="at most 100"):
        departments.link_department(admin, eng_space, "x" * 101)
    db.session.rollback()
    assert snapshot() == before and space_department("engineering") is None


def test_a_profile_change_moves_someone_from_one_department_space_to_another(
    browser, admin, staff, eng_space, sales_space
):
    eva, _, _, _ = staff
    departments.link_department(admin, eng_space, "Engineering")
    posts.create_post(admin, "engineers only", audience="space", space="sales")
    db.session.commit()
    page = browser(eva)
    assert page.get("/s/sales").status_code == 404
    answer = page.post("/account/profile", {"name": eva.name, "department": "Sales"})
    assert answer.status_code == 302
    assert "eva" not in member_names("engineering")
    assert member_names("sales")["eva"] == "member"
    shown = page.get("/s/sales").get_data(as_text=True)
    assert "engineers only" in shown and "Everyone in the Sales department" in shown
    # and back again: the secret space's posts are gone for her at once
    page.post("/account/profile", {"name": eva.name, "department": "Engineering"})
    assert page.get("/s/sales").status_code == 404
    assert member_names("engineering")["eva"] == "member"


def test_an_owner_or_moderator_keeps_their_role_when_leaving_the_department(
    admin, staff, sales_space
):
    _, _, _, sam = staff
    service.set_role(admin, "sales", sam.username, "moderator")
    accounts.set_department(sam, "Engineering")
    db.session.commit()
    assert member_names("sales")["sam"] == "moderator"


def test_department_members_cannot_leave_while_the_space_follows_the_department(
    browser, admin, staff, sales_space
):
    _, _, _, sam = staff
    before = snapshot()
    page = browser(sam)
    assert page.post("/s/sales/leave").status_code == 302
    shown = page.get("/s/sales").get_data(as_text=True)
    assert "Everyone in the Sales department belongs" in shown
    with pytest.raises(Exception, match="Sales department"):
        service.remove_member(admin, "sales", sam.username)
    db.session.rollback()
    assert snapshot() == before


def test_an_account_that_becomes_active_joins_its_department_space(admin, staff, eng_space):
    _, _, gus, _ = staff
    departments.link_department(admin, eng_space, "Engineering")
    db.session.commit()
    assert "gus" not in member_names("engineering")
    accounts.enable_user(gus)
    db.session.commit()
    assert member_names("engineering")["gus"] == "member"
    # a disabled account keeps its memberships, as it keeps its friendships
    accounts.disable_user(gus)
    db.session.commit()
    assert "gus" in member_names("engineering")


def test_unlinking_keeps_the_members_and_stops_following(admin, staff, sales_space):
    _, _, _, sam = staff
    departments.link_department(admin, sales_space, "")
    accounts.set_department(sam, "Engineering")
    db.session.commit()
    assert space_department("sales") is None and "sam" in member_names("sales")


def test_the_admin_console_links_and_unlinks_a_space(browser, admin, staff, eng_space):
    console = browser(admin)
    page = console.get("/admin/spaces").get_data(as_text=True)
    assert "Engineering" in page and 'name="department"' in page
    answer = console.post("/admin/spaces/engineering/department", {"department": "Engineering"})
    assert answer.status_code == 302
    assert "2 joined" in console.get("/admin/spaces").get_data(as_text=True)
    assert set(member_names("engineering")) == {"ada.admin", "eva", "eli"}
    console.post("/admin/spaces/engineering/department", {"department": ""})
    assert space_department("engineering") is None
    assert len(member_names("engineering")) == 3


def test_the_admin_console_refuses_others_a_missing_token_and_unknown_spaces(
    browser, app, admin, author, staff, eng_space, sales_space
):
    before = snapshot()
    assert browser(author).get("/admin/spaces").status_code == 403
    refused = browser(author).post(
        "/admin/spaces/engineering/department", {"department": "Engineering"}
    )
    assert refused.status_code == 403
    no_token = browser(admin).post(
        "/admin/spaces/engineering/department",
        {"department": "Engineering", "csrf_token": ""},
    )
    assert no_token.status_code == 400
    console = browser(admin)
    assert console.post("/admin/spaces/nowhere/department", {"department": "X"}).status_code == 404
    assert snapshot() == before


def test_a_department_name_with_markup_is_shown_as_text(browser, admin, staff, eng_space):
    console = browser(admin)
    console.post("/admin/spaces/engineering/department", {"department": "<b>R&D</b>"})
    assert space_department("engineering") == "<b>R&D</b>"
    page = console.get("/s/engineering").get_data(as_text=True)
    assert "&lt;b&gt;R&amp;D&lt;/b&gt;" in page and "<b>R&D</b>" not in page


def test_the_admin_console_moves_a_person_and_their_spaces_follow(
    browser, admin, staff, eng_space, sales_space
):
    departments.link_department(admin, eng_space, "Engineering")
    db.session.commit()
    console = browser(admin)
    answer = console.post("/admin/people/eva/department", {"department": "Sales"})
    assert answer.status_code == 302
    assert "eva" not in member_names("engineering") and "eva" in member_names("sales")
    actions = list(
        db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.target == "eva").order_by(AuditEvent.id)
        )
    )
    assert actions[-1] == "user.update"
    assert (
        browser(staff[0]).post("/admin/people/eli/department", {"department": "X"}).status_code
        == 403
    )
    assert "eli" in member_names("engineering")


def test_the_api_shows_the_department_and_only_admins_change_it(
    api, admin, author, stranger, staff, eng_space
):
    service.add_member(admin, "engineering", author.username, "owner")
    db.session.commit()
    owner = api(author)
    assert owner.get("/spaces/engineering").get_json()["department"] is None
    refused = owner.patch("/spaces/engineering", json={"department": "Engineering"})
    assert refused.status_code == 403 and space_department("engineering") is None
    writer = api(admin)
    assert writer.patch("/spaces/engineering", json={"department": "Sales"}).status_code == 403
    assert api(stranger).patch("/spaces/engineering", json={}).status_code == 403
    linked = api(admin, scope="admin").patch(
        "/spaces/engineering", json={"department": "Engineering"}
    )
    assert linked.status_code == 200 and linked.get_json()["department"] == "Engineering"
    assert linked.get_json()["member_count"] == 4
    assert (
        api(admin, scope="admin").patch("/spaces/nowhere", json={"department": "X"}).status_code
        == 404
    )
    db.session.expire_all()
    assert db.session.get(SpaceMember, (eng_space.id, staff[0].id)) is not None
