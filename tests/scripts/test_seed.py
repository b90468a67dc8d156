"""``scripts/seed``: a synthetic company, consistent down to the stored counts."""

from __future__ import annotations

import shutil

from intranet_social import create_app
from intranet_social.config import load_config
from intranet_social.core.database import head_revision
from intranet_social.extensions import db
from tests.conftest import STRONG_PASSWORD, csrf_from, write_config
from tests.scripts.conftest import (
    READERS,
    TINY,
    assert_one_error_line,
    query,
    run_script,
    scalar,
    size_args,
)

TABLES = ("users", "friendships", "posts", "post_likes", "comments")


def counts(path) -> dict[str, int]:
    return {table: scalar(path, f"SELECT count(*) FROM {table}") for table in TABLES}  # noqa: S608


def test_seed_makes_exactly_the_requested_numbers_of_everything(seeded):
    assert counts(seeded.path) == {
        "users": TINY["users"],
        "friendships": TINY["users"] * TINY["friends"],  # two rows per friendship
        "posts": TINY["posts"],
        "post_likes": TINY["likes"],
        "comments": TINY["comments"],
    }
    assert "40 people" in seeded.result.stdout
    assert "300 posts" in seeded.result.stdout
    assert "300 spaces" in seeded.result.stdout
    assert "posts" in seeded.result.stderr  # the progress bar


def test_seeded_like_and_comment_counts_equal_the_real_rows(seeded):
    wrong_likes = scalar(
        seeded.path,
        "SELECT count(*) FROM posts p WHERE like_count != "
        "(SELECT count(*) FROM post_likes l WHERE l.post_id = p.id)",
    )
    wrong_comments = scalar(
        seeded.path,
        "SELECT count(*) FROM posts p WHERE comment_count != "
        "(SELECT count(*) FROM comments c WHERE c.post_id = p.id)",
    )
    assert (wrong_likes, wrong_comments) == (0, 0)
    assert scalar(seeded.path, "SELECT sum(like_count) FROM posts") == TINY["likes"]
    assert scalar(seeded.path, "SELECT count(*) FROM post_likes l JOIN posts p "
                  "ON p.id = l.post_id WHERE l.user_id = p.author_id") == 0  # fmt: skip


def test_seeded_friendships_are_symmetric_and_never_with_oneself(seeded):
    one_way = scalar(
        seeded.path,
        "SELECT count(*) FROM friendships f WHERE NOT EXISTS (SELECT 1 FROM friendships g "
        "WHERE g.user_id = f.friend_id AND g.friend_id = f.user_id)",
    )
    assert one_way == 0
    assert scalar(seeded.path, "SELECT count(*) FROM friendships WHERE user_id = friend_id") == 0


def test_seeded_post_ids_increase_with_their_times_and_walls_are_friends(seeded):
    out_of_order = scalar(
        seeded.path,
        "SELECT count(*) FROM posts a JOIN posts b ON b.id = a.id + 1 "
        "WHERE b.created_at <= a.created_at",
    )
    assert out_of_order == 0
    strangers_walls = scalar(
        seeded.path,
        "SELECT count(*) FROM posts p WHERE p.wall_id != p.author_id AND NOT EXISTS "
        "(SELECT 1 FROM friendships f WHERE f.user_id = p.author_id AND f.friend_id = p.wall_id)",
    )
    assert strangers_walls == 0
    assert scalar(seeded.path, "SELECT count(*) FROM posts WHERE pinned") == 3


def test_seeded_people_are_active_members_with_one_admin_and_birthdays(seeded):
    assert query(seeded.path, "SELECT role, count(*) FROM users GROUP BY role ORDER BY role") == [
        ("admin", 1),
        ("member", TINY["users"] - 1),
    ]
    assert query(
        seeded.path,
        "SELECT DISTINCT status, must_change_password, failed_logins, locked_until FROM users",
    ) == [("active", 0, 0, None)]
    assert scalar(seeded.path, "SELECT count(DISTINCT password_hash) FROM users") == 1
    assert scalar(seeded.path, "SELECT count(DISTINCT birthday_month) FROM users") >= 6
    assert scalar(seeded.path, "SELECT count(*) FROM users WHERE birthday_day IS NULL") == 0
    assert scalar(seeded.path, "SELECT count(DISTINCT department) FROM users") >= 4
    assert scalar(seeded.path, "SELECT count(*) FROM users WHERE title = ''") == 0


def test_seeded_database_is_migrated_and_back_in_wal_mode(seeded):
    assert scalar(seeded.path, "SELECT version_num FROM alembic_version") == head_revision()
    assert scalar(seeded.path, "PRAGMA journal_mode") == "wal"


def test_seeded_member_signs_in_through_the_login_form_with_the_password(seeded, tmp_path):
    shutil.copyfile(seeded.path, tmp_path / "social.db")
    app = create_app(load_config(write_config(tmp_path)))
    username = scalar(tmp_path / "social.db", "SELECT username FROM users WHERE id = 2")
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))

    answer = client.post(
        "/login", data={"username": username, "password": STRONG_PASSWORD, "csrf_token": token}
    )

    assert answer.status_code == 302
    assert answer.headers["Location"] == "/"
    with app.app_context():
        db.engine.dispose()


def test_seeded_benchmark_readers_have_exactly_100_friends_and_20_spaces(readers_company):
    path = readers_company.path
    readers = query(
        path,
        "SELECT u.id, u.username, (SELECT count(*) FROM friendships f WHERE f.user_id = u.id),"
        " (SELECT count(*) FROM space_members m WHERE m.user_id = u.id)"
        " FROM users u WHERE u.id BETWEEN 2 AND 17 ORDER BY u.id",
    )

    assert [(user_id, friends, spaces) for user_id, _, friends, spaces in readers] == [
        (user_id, 100, 20) for user_id in range(2, 18)
    ]
    # none of them another reader's friend, and each in their own department's space
    assert scalar(path, "SELECT count(*) FROM friendships WHERE user_id BETWEEN 2 AND 17"
                  " AND friend_id BETWEEN 2 AND 17") == 0  # fmt: skip
    assert scalar(path, "SELECT count(*) FROM users u WHERE u.id BETWEEN 2 AND 17 AND NOT EXISTS"
                  " (SELECT 1 FROM space_members m JOIN spaces s ON s.id = m.space_id"
                  " WHERE m.user_id = u.id AND s.department = u.department)") == 0  # fmt: skip
    assert f"benchmark readers: {readers[0][1]} and the next 15" in readers_company.result.stdout
    # the others share the rest: the average is still the one asked for
    assert scalar(path, "SELECT count(*) FROM friendships") == READERS["users"] * 100


def test_seeded_spaces_are_open_closed_and_secret_with_a_space_per_department(readers_company):
    path = readers_company.path
    visibilities = dict(query(path, "SELECT visibility, count(*) FROM spaces GROUP BY 1"))
    departments = scalar(path, "SELECT count(DISTINCT department) FROM users")

    assert sum(visibilities.values()) == READERS["spaces"]
    assert set(visibilities) == {"open", "closed", "secret"}
    assert scalar(path, "SELECT count(*) FROM spaces WHERE department IS NOT NULL") == departments
    # a department's space holds exactly that department's people
    assert (
        scalar(
            path,
            "SELECT count(*) FROM space_members m JOIN spaces s ON s.id = m.space_id"
            " JOIN users u ON u.id = m.user_id WHERE s.department != u.department",
        )
        == 0
    )
    assert scalar(path, "SELECT count(*) FROM users u WHERE NOT EXISTS (SELECT 1 FROM"
                  " space_members m JOIN spaces s ON s.id = m.space_id"
                  " WHERE m.user_id = u.id AND s.department = u.department)") == 0  # fmt: skip
    sizes = query(path, "SELECT count(*) FROM space_members m JOIN spaces s ON s.id = m.space_id"
                  " WHERE s.department IS NULL GROUP BY m.space_id")  # fmt: skip
    assert all(10 <= size <= 500 for (size,) in sizes)
    assert (
        scalar(
            path,
            "SELECT count(*) FROM spaces s WHERE NOT EXISTS (SELECT 1 FROM"
            " space_members m WHERE m.space_id = s.id AND m.role = 'owner')",
        )
        == 0
    )
    assert scalar(path, "SELECT count(*) FROM space_members WHERE role = 'moderator'") > 0
    assert scalar(path, "SELECT count(DISTINCT slug) FROM spaces") == READERS["spaces"]


def test_seeded_space_posts_are_written_and_liked_by_those_who_may_see_them(readers_company):
    path = readers_company.path
    in_spaces = scalar(path, "SELECT count(*) FROM posts WHERE space_id IS NOT NULL")

    assert 0.25 * READERS["posts"] < in_spaces < 0.35 * READERS["posts"]
    assert scalar(path, "SELECT count(*) FROM posts WHERE (space_id IS NULL) !="
                  " (audience != 'space')") == 0  # fmt: skip
    assert scalar(path, "SELECT count(*) FROM posts WHERE space_id IS NOT NULL"
                  " AND wall_id != author_id") == 0  # fmt: skip
    not_a_member = (
        "SELECT count(*) FROM {table} x JOIN posts p ON p.id = x.post_id"
        " JOIN spaces s ON s.id = p.space_id WHERE s.visibility != 'open' AND NOT EXISTS"
        " (SELECT 1 FROM space_members m WHERE m.space_id = p.space_id AND m.user_id = x.{who})"
    )
    assert scalar(path, "SELECT count(*) FROM posts p WHERE space_id IS NOT NULL AND NOT EXISTS"
                  " (SELECT 1 FROM space_members m WHERE m.space_id = p.space_id"
                  " AND m.user_id = p.author_id)") == 0  # fmt: skip
    assert scalar(path, not_a_member.format(table="post_likes", who="user_id")) == 0
    assert scalar(path, not_a_member.format(table="comments", who="author_id")) == 0
    assert scalar(path, "SELECT sum(like_count) FROM posts") == READERS["likes"]


def test_seeded_must_reads_are_the_admins_or_a_space_owners_with_acknowledgements(
    readers_company,
):
    path = readers_company.path
    must_reads = query(
        path,
        "SELECT p.id, p.audience, p.space_id, u.role, (SELECT m.role FROM space_members m"
        " WHERE m.space_id = p.space_id AND m.user_id = p.author_id),"
        " (SELECT count(*) FROM post_acknowledgements a WHERE a.post_id = p.id)"
        " FROM posts p JOIN users u ON u.id = p.author_id WHERE p.must_read ORDER BY p.id",
    )

    assert len(must_reads) == 5
    assert {(audience, role) for _, audience, space, role, _, _ in must_reads if not space} == {
        ("everyone", "admin")
    }
    assert {space_role for _, _, space, _, space_role, _ in must_reads if space} == {"owner"}
    assert all(acknowledged > 0 for *_, acknowledged in must_reads)
    # only people who may see a must-read acknowledge it, and never its author
    assert scalar(path, "SELECT count(*) FROM post_acknowledgements a JOIN posts p"
                  " ON p.id = a.post_id WHERE p.space_id IS NOT NULL AND NOT EXISTS"
                  " (SELECT 1 FROM space_members m WHERE m.space_id = p.space_id"
                  " AND m.user_id = a.user_id)") == 0  # fmt: skip
    assert (
        scalar(
            path,
            "SELECT count(*) FROM post_acknowledgements a JOIN posts p"
            " ON p.id = a.post_id WHERE a.user_id = p.author_id OR NOT p.must_read",
        )
        == 0
    )
    # the first reader reads at least one of them in a space of theirs
    assert (
        scalar(
            path,
            "SELECT count(*) FROM posts p JOIN space_members m"
            " ON m.space_id = p.space_id WHERE p.must_read AND m.user_id = 2",
        )
        >= 1
    )


def test_seed_refuses_a_database_that_already_has_people(seeded, tmp_path):
    copy = tmp_path / "again.db"
    shutil.copyfile(seeded.path, copy)
    before = counts(copy)

    result = run_script("seed", "--database", f"sqlite:///{copy}", *size_args())

    assert_one_error_line(result, "already has 40 people", "new, empty database")
    assert counts(copy) == before


def test_seed_fills_the_database_named_by_a_config_file(tmp_path):
    config = write_config(tmp_path, database={"url": "sqlite:///company.db"})

    result = run_script(
        "seed", "--config", str(config), "--password", STRONG_PASSWORD,
        *size_args(users=5, friends=2, posts=10, likes=4, comments=3),
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert counts(tmp_path / "company.db") == {
        "users": 5, "friendships": 10, "posts": 10, "post_likes": 4, "comments": 3,
    }  # fmt: skip


def test_seed_without_a_password_generates_one_and_prints_it(tmp_path):
    path = tmp_path / "company.db"

    result = run_script("seed", "--database", f"sqlite:///{path}", *size_args(posts=5, likes=5))

    assert result.returncode == 0, result.stderr
    assert "with this generated password:" in result.stdout
    printed = result.stdout.splitlines()[-1]
    assert len(printed) >= 20 and " " not in printed


def test_seed_refuses_impossible_sizes_before_touching_anything(tmp_path):
    path = tmp_path / "company.db"
    url = f"sqlite:///{path}"

    too_many_friends = run_script("seed", "--database", url, *size_args(users=10, friends=10))
    too_many_likes = run_script(
        "seed", "--database", url, *size_args(users=3, friends=2, posts=2, likes=5)
    )
    negative = run_script("seed", "--database", url, *size_args(comments=-1))
    no_spaces = run_script("seed", "--database", url, *size_args(spaces=-1))

    assert_one_error_line(too_many_friends, "--friends can be at most 9")
    assert_one_error_line(too_many_likes, "--likes can be at most")
    assert_one_error_line(negative, "cannot be negative")
    assert_one_error_line(no_spaces, "--spaces cannot be negative")
    assert not path.exists()


def test_seed_refuses_a_weak_password_and_a_missing_or_foreign_database(tmp_path):
    path = tmp_path / "company.db"

    weak = run_script("seed", "--database", f"sqlite:///{path}", "--password", "password123")
    nowhere = run_script("seed", "--password", STRONG_PASSWORD)
    foreign = run_script("seed", "--database", "mysql://seed@127.0.0.1/nowhere")

    assert_one_error_line(weak, "--password", "commonly used")
    assert_one_error_line(nowhere, "--config PATH or --database URL")
    assert_one_error_line(foreign, "sqlite:///FILE or postgresql+psycopg://")
    assert not path.exists()
