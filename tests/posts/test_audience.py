"""Who may see a post is one rule (posts/audience.py): its SQL and its Python check agree for
every kind of viewer and post (on walls and in open, closed and secret spaces), the
shortcuts read paths take (the feed's arms) keep exactly the visible posts, and a rule
narrowed there is obeyed by the feed on either database."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from intranet_social.extensions import db
from intranet_social.feed.service import stream_ids
from intranet_social.friends.models import Friendship
from intranet_social.posts import audience
from intranet_social.posts.audience import Grant, Relation, can_view_post, visible_to
from intranet_social.posts.models import Audience, Post
from intranet_social.spaces import service as spaces
from intranet_social.spaces.models import SpaceMember, Visibility
from tests.posts.helpers import befriend

EVERY = audience.EVERY_AUDIENCE
#: a rule no friendship opens anything in: what an audience of its own (a space) looks like
#: to the read paths that pick posts by friendship
NO_FRIENDS = (
    Grant(Relation.ANYONE, frozenset({Audience.EVERYONE})),
    Grant(Relation.AUTHOR, EVERY),
    Grant(Relation.WALL_OWNER, EVERY),
)
#: a rule whose grants each depend on the audience
NARROW = (
    Grant(Relation.ANYONE, frozenset({Audience.EVERYONE})),
    Grant(Relation.AUTHOR, EVERY),
    Grant(Relation.WALL_OWNER, frozenset({Audience.FRIENDS})),
    Grant(Relation.FRIEND_OF_WALL_OWNER, frozenset({Audience.FRIENDS})),
)
RULES = {"the rule": audience.GRANTS, "no friends": NO_FRIENDS, "narrow": NARROW}


@pytest.fixture
def rule(request, monkeypatch):
    """The grants to check (the real ones unless a test asks for others)."""
    name = getattr(request, "param", "the rule")
    monkeypatch.setattr(audience, "GRANTS", RULES[name])
    audience.opened_text.cache_clear()
    yield name
    audience.opened_text.cache_clear()


@pytest.fixture
def site(make_user, admin, moderator):
    """An author, the owner of a wall the author writes on, a friend of each, a friend of
    both, a stranger, an admin and a moderator; posts of every audience on the author's own
    wall and on the other wall, and the stranger's. The author and a member (a friend of
    nobody) belong to an open, a closed and a secret space, and each writes in every one;
    the author's friend belongs to the open one only."""
    people = {
        "author": make_user("ann.author"),
        "owner": make_user("walt.owner"),
        "author's friend": make_user("fay.friend"),
        "owner's friend": make_user("olly.friend"),
        "friend of both": make_user("bo.both"),
        "stranger": make_user("sid.stranger"),
        "admin": admin,
        "moderator": moderator,
    }
    befriend(people["author"], people["owner"])
    befriend(people["author"], people["author's friend"])
    befriend(people["owner"], people["owner's friend"])
    befriend(people["author"], people["friend of both"])
    befriend(people["owner"], people["friend of both"])
    posts = []
    walls = [("author", "author"), ("author", "owner"), ("stranger", "stranger")]
    for (writer, wall), kind in itertools.product(walls, Audience):
        post = Post(
            author_id=people[writer].id,
            wall_id=people[wall].id,
            body=f"{kind} by {writer} on {wall}'s wall",
            audience=kind.value,
        )
        posts.append(post)
    people["space member"] = make_user("sam.member")
    for visibility in Visibility:
        space = spaces.create_space(people["author"], f"{visibility} space", visibility=visibility)
        spaces.add_member(people["author"], space.slug, "sam.member")
        if visibility == Visibility.OPEN:
            spaces.add_member(people["author"], space.slug, "fay.friend")
        for writer in ("author", "space member"):
            posts.append(
                Post(
                    author_id=people[writer].id,
                    wall_id=people[writer].id,
                    body=f"{writer} in the {visibility} space",
                    audience=Audience.SPACE.value,
                    space_id=space.id,
                )
            )
    db.session.add_all(posts)
    db.session.commit()
    return people, posts


def friends_of(person) -> set[int]:
    rows = db.session.scalars(select(Friendship.friend_id).where(Friendship.user_id == person.id))
    return set(rows)


def spaces_of(person) -> set[int]:
    rows = db.session.scalars(select(SpaceMember.space_id).where(SpaceMember.user_id == person.id))
    return set(rows)


def open_spaces() -> set[int]:
    return set(db.session.scalars(spaces.open_space_ids()))


def product_rule(viewer, post) -> bool:
    """What the product promises, written plainly for the test: everyone's posts for all,
    friends' posts for the author, the wall's owner and the friends of either; a space's
    posts for its members (whoever else is a friend), and for all in an open space."""
    if post.audience == Audience.EVERYONE or viewer.id in (post.author_id, post.wall_id):
        return True
    if post.audience == Audience.SPACE:
        return post.space_id in spaces_of(viewer) | open_spaces()
    return bool({post.author_id, post.wall_id} & friends_of(viewer))


def sql_visible(viewer) -> set[int]:
    return set(db.session.scalars(select(Post.id).where(visible_to(viewer))))


def test_the_sql_and_python_rules_agree_with_the_product_for_every_viewer_and_post(site, rule):
    people, posts = site
    for name, viewer in people.items():
        in_sql = sql_visible(viewer)
        for post in posts:
            expected = product_rule(viewer, post)
            assert can_view_post(viewer, post) is expected, (name, post.body)
            assert (post.id in in_sql) is expected, (name, post.body)


@pytest.mark.parametrize("rule", ["no friends", "narrow"], indirect=True)
def test_sql_and_python_agree_for_any_grants(site, rule):
    people, posts = site
    for name, viewer in people.items():
        in_sql = sql_visible(viewer)
        for post in posts:
            assert can_view_post(viewer, post) is (post.id in in_sql), (rule, name, post.body)


def test_the_feed_needs_no_condition_for_my_posts_and_wall_and_an_audience_test_for_friends():
    """The feed's arms for my posts and my wall are bare index reads; a friend's arm keeps
    only what friendship opens (so not the friend's space posts), testing nothing but the
    audience, which the index holds."""
    for relation in (Relation.AUTHOR, Relation.WALL_OWNER):
        assert audience.opened_text("sqlite", relation) == ""
    friends_arm = audience.opened_text("sqlite", Relation.FRIEND_OF_AUTHOR)
    assert friends_arm == " AND (posts.audience IN ('everyone', 'friends'))"
    assert (
        audience.opened_text("sqlite", Relation.SPACE_MEMBER) == " AND (posts.audience = 'space')"
    )


def in_an_arm(viewer_id, friends, spaces, post) -> bool:
    """Whether one of the feed's arms (my posts, my wall, a friend's posts, one of my
    spaces') picks ``post`` and its relation's own grants open the post's audience."""
    picked_by = {
        Relation.AUTHOR: post.author_id == viewer_id,
        Relation.WALL_OWNER: post.wall_id == viewer_id,
        Relation.FRIEND_OF_AUTHOR: post.author_id in friends,
        Relation.SPACE_MEMBER: post.space_id in spaces,
    }
    return any(
        picked_by.get(grant.relation, False) and post.audience in grant.audiences
        for grant in audience.GRANTS
    )


@pytest.mark.parametrize("rule", list(RULES), indirect=True)
def test_the_feed_obeys_the_rule_written_in_the_audience_module_on_either_database(site, rule):
    """The feed's statements (SQLite's compound SELECT, PostgreSQL's LATERAL join) are
    made from the rule: each arm shows what its relation opens, all of it visible; narrow
    the rule, and the feed leaves out what it no longer allows."""
    people, posts = site
    for name, viewer in people.items():
        shown = stream_ids(viewer, None, [], 50)
        by_id = {post.id: post for post in posts}
        friends = friends_of(viewer)
        mine = spaces_of(viewer)
        expected = sorted(
            (post.id for post in posts if in_an_arm(viewer.id, friends, mine, post)),
            reverse=True,
        )
        assert shown == expected, (rule, name)
        assert all(can_view_post(viewer, by_id[post_id]) for post_id in shown), (rule, name)
