"""``intranet-social restore``: checks the archive first, refuses bad ones, swaps data safely."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import select, text

from intranet_social import MIGRATIONS_DIR, create_app
from intranet_social.accounts.models import User
from intranet_social.audit.models import AuditEvent
from intranet_social.config import load_config
from intranet_social.core.database import current_revision, head_revision, upgrade_database
from intranet_social.extensions import db
from intranet_social.posts.service import create_post
from tests.cli.conftest import assert_user_error
from tests.conftest import STRONG_PASSWORD, AuthActions, write_config
from tests.media.pictures import jpeg
from tests.ops.archives import first_media, members, with_manifest, write_members
from tests.ops.conftest import files_under, integrity, names_in, site_rows

# A SQLite site's archive holds a snapshot of its database file; test_postgres_backup.py
# backs up and restores a PostgreSQL site.
pytestmark = pytest.mark.sqlite(reason="the SQLite database file's snapshot and restore")


def first_revision() -> str:
    return list(ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions())[-1].revision


@pytest.fixture
def media(config_path: Path) -> Path:
    return config_path.parent / "media"


@pytest.fixture
def backup(run, app, make_user, config_path: Path, media: Path, tmp_path: Path) -> Path:
    """A backup of the test site with people, a photo post and a file of random bytes."""
    ana = make_user("ana.member")
    create_post(ana, "Before the backup", audience="everyone", images=[io.BytesIO(jpeg())])
    db.session.commit()
    (media / "zz").mkdir(parents=True, exist_ok=True)
    (media / "zz" / "noise.bin").write_bytes(bytes(range(256)) * 256)
    archive = tmp_path / "site.tar.gz"
    result = run("backup", archive, "--config", config_path)
    assert result.exit_code == 0, result.output
    return archive


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    """The configuration of a new site whose database and media folder do not exist yet."""
    folder = tmp_path / "fresh"
    folder.mkdir()
    return write_config(folder)


@pytest.fixture
def old_backup(run, tmp_path: Path) -> Path:
    """A backup of a site still at the first migration, holding one person."""
    folder = tmp_path / "old"
    folder.mkdir()
    config = write_config(folder)
    app = create_app(load_config(config))
    upgrade_database(app, first_revision())
    with app.app_context():
        db.session.execute(
            text(
                "INSERT INTO users (username, email, name, password_hash, must_change_password,"
                " password_set_at, role, status, department, title, created_at, failed_logins)"
                " VALUES ('old.timer', 'old@corp.example', 'Old Timer', 'x', 0,"
                " '2024-01-02 03:04:05.000000', 'member', 'active', 'Archive', 'Keeper',"
                " '2024-01-02 03:04:05.000000', 0)"
            )
        )
        db.session.commit()
        db.engine.dispose()
    archive = tmp_path / "old.tar.gz"
    result = run("backup", archive, "--config", config)
    assert result.exit_code == 0, result.output
    return archive


def test_backup_restored_into_a_new_folder_holds_every_row_and_file(
    run, backup: Path, config_path: Path, media: Path, fresh: Path
):
    result = run("restore", backup, "--config", fresh)

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "Restored the backup of" in result.stdout
    live = site_rows(config_path, skip=("audit_events",))
    assert site_rows(fresh, skip=("audit_events",)) == live
    assert live["users"] and live["post_media"]
    assert files_under(fresh.parent / "media") == files_under(media)
    assert integrity(fresh.parent / "social.db") == "ok"
    assert (fresh.parent / "social.db").stat().st_mode & 0o777 == 0o600
    assert not [name for name in names_in(fresh.parent) if "restore" in name]


def test_restored_site_lets_people_sign_in_and_records_the_restore(run, backup, fresh: Path):
    run("restore", backup, "--config", fresh)

    app = create_app(load_config(fresh), TESTING=True)
    with app.app_context():
        response = AuthActions(app.test_client()).login("ana.member", STRONG_PASSWORD)
        assert response.status_code == 302
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "site.restore"))
        assert event is not None and event.target == str(backup)
        db.session.remove()
        db.engine.dispose()


def test_restore_of_an_older_backup_upgrades_it_with_its_data(run, old_backup, fresh: Path):
    result = run("restore", old_backup, "--config", fresh)

    assert result.exit_code == 0, result.output
    assert f"Upgraded the database from revision {first_revision()}" in result.stdout
    app = create_app(load_config(fresh))
    assert current_revision(app) == head_revision()
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "old.timer"))
        assert (user.name, user.department, user.title) == ("Old Timer", "Archive", "Keeper")
        assert (user.location, user.bio, user.avatar_key) == ("", "", None)
        db.session.remove()
        db.engine.dispose()


def test_restore_over_existing_data_asks_first_and_keeps_it_unless_confirmed(
    run, backup: Path, config_path: Path, make_user, media: Path
):
    make_user("after.backup")
    rows, files = site_rows(config_path), files_under(media)

    result = run("restore", backup, "--config", config_path, input="n\n")

    assert_user_error(result, "nothing was restored", "--yes")
    assert "Replace the database" in result.output
    assert site_rows(config_path) == rows
    assert files_under(media) == files


def test_restore_with_yes_replaces_existing_data_and_keeps_no_old_copies(
    run, backup: Path, config_path: Path, make_user, media: Path
):
    make_user("after.backup")
    (media / "zz" / "later.bin").write_bytes(b"uploaded after the backup")
    db.session.remove()

    result = run("restore", backup, "--config", config_path, "--yes")

    assert result.exit_code == 0, result.output
    usernames = {row[1] for row in site_rows(config_path)["users"]}
    assert "ana.member" in usernames and "after.backup" not in usernames
    assert not (media / "zz" / "later.bin").exists()
    assert not [name for name in names_in(config_path.parent) if "restore" in name]


def test_restore_that_fails_midway_puts_the_old_data_back(
    run, old_backup: Path, backup: Path, config_path: Path, media: Path, monkeypatch
):
    def broken_upgrade(*args, **kwargs):
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr("intranet_social.ops.restore.upgrade_database", broken_upgrade)
    rows, files, names = site_rows(config_path), files_under(media), names_in(config_path.parent)

    result = run("restore", old_backup, "--config", config_path, "--yes")

    assert_user_error(result, "the disk is on fire")
    assert site_rows(config_path) == rows
    assert files_under(media) == files
    assert names_in(config_path.parent) == names


def _flip(data: bytes, position: int) -> bytes:
    changed = bytearray(data)
    changed[position] ^= 0xFF
    return bytes(changed)


def _drop(contents: dict[str, bytes], name: str) -> dict[str, bytes]:
    return {key: value for key, value in contents.items() if key != name}


DAMAGES = {
    "a byte flipped in the middle": (
        lambda data: _flip(data, len(data) // 2),
        "damaged or incomplete",
    ),
    "the last byte flipped": (lambda data: _flip(data, len(data) - 1), "damaged or incomplete"),
    "truncated": (lambda data: data[: len(data) * 2 // 3], "damaged or incomplete"),
    "empty": (lambda data: b"", "damaged or incomplete"),
    "not an archive": (lambda data: b"just some text\n" * 100, "damaged or incomplete"),
}

TAMPERING = {
    "missing manifest": (lambda c: _drop(c, "manifest.json"), "has no manifest.json"),
    "malformed manifest": (lambda c: {**c, "manifest.json": b"{"}, "malformed manifest"),
    "checksum mismatch": (
        lambda c: {**c, first_media(c): b"someone else's picture"},
        "does not match its checksum",
    ),
    "member missing": (lambda c: _drop(c, first_media(c)), "is incomplete"),
    "member not in the manifest": (
        lambda c: {"media/zz/extra.bin": b"extra", **c},
        "which its manifest does not list",
    ),
    "path leaving the folder": (
        lambda c: {"media/../../escape.txt": b"out", **c},
        "unexpected entry",
    ),
    "unknown schema revision": (
        lambda c: with_manifest(c, lambda m: m.update(schema_revision="9999_from_the_future")),
        "does not know",
    ),
    "other database kind": (
        lambda c: with_manifest(c, lambda m: m["database"].update(kind="postgresql")),
        "configuration uses sqlite",
    ),
    "another product": (
        lambda c: with_manifest(c, lambda m: m.update(product="other-social")),
        "not an Intranet Social backup",
    ),
}


def _assert_refused_and_nothing_changed(run, bad: Path, config_path: Path, media: Path, fragment):
    db.session.remove()
    rows, files, names = site_rows(config_path), files_under(media), names_in(config_path.parent)

    result = run("restore", bad, "--config", config_path, "--yes")

    assert_user_error(result, fragment)
    assert site_rows(config_path) == rows
    assert files_under(media) == files
    assert names_in(config_path.parent) == names


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_damaged_archive_is_refused_and_nothing_changes(
    run, backup: Path, config_path: Path, media: Path, damage
):
    change, fragment = damage
    bad = backup.with_name("bad.tar.gz")
    bad.write_bytes(change(backup.read_bytes()))

    _assert_refused_and_nothing_changed(run, bad, config_path, media, fragment)


@pytest.mark.parametrize("tampering", TAMPERING.values(), ids=TAMPERING.keys())
def test_tampered_or_unsuitable_archive_is_refused_and_nothing_changes(
    run, backup: Path, config_path: Path, media: Path, tampering
):
    change, fragment = tampering
    bad = write_members(backup.with_name("bad.tar.gz"), change(members(backup)))

    _assert_refused_and_nothing_changed(run, bad, config_path, media, fragment)


def test_missing_archive_is_refused(run, app, config_path: Path, tmp_path: Path):
    result = run("restore", tmp_path / "nowhere.tar.gz", "--config", config_path)

    assert_user_error(result, "nowhere.tar.gz does not exist")


def test_unknown_revision_refusal_names_the_version_that_made_the_backup(
    run, backup: Path, fresh: Path
):
    contents = with_manifest(
        members(backup), lambda m: m.update(schema_revision="ffff", product_version="9.0.0")
    )
    bad = write_members(backup.with_name("future.tar.gz"), contents)

    result = run("restore", bad, "--config", fresh)

    assert_user_error(result, "'ffff'", "version 9.0.0 or newer")
    assert names_in(fresh.parent) == {"config.toml"}


def test_restore_creates_the_folders_the_configuration_names(run, backup: Path, tmp_path: Path):
    folder = tmp_path / "new-box"
    folder.mkdir()
    config = write_config(
        folder, database={"url": "sqlite:///data/db/social.db"}, media={"dir": "data/media"}
    )

    result = run("restore", backup, "--config", config)

    assert result.exit_code == 0, result.output
    assert integrity(folder / "data" / "db" / "social.db") == "ok"
    assert files_under(folder / "data" / "media")


def test_restore_refuses_a_media_folder_that_holds_the_database(run, backup: Path, tmp_path):
    folder = tmp_path / "tangled"
    folder.mkdir()
    config = write_config(folder, media={"dir": "."})

    result = run("restore", backup, "--config", config)

    assert_user_error(result, "holds the database")
    assert names_in(folder) == {"config.toml"}
