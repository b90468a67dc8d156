"""``intranet-social backup``: one archive, a consistent snapshot even while the site writes."""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from intranet_social import __version__
from intranet_social.accounts.models import User
from intranet_social.audit.models import AuditEvent
from intranet_social.core.database import head_revision
from intranet_social.extensions import db
from intranet_social.posts.models import Post
from intranet_social.posts.service import create_post
from tests.cli.conftest import assert_user_error
from tests.conftest import write_config
from tests.media.pictures import jpeg
from tests.ops.archives import manifest_of, members
from tests.ops.conftest import files_under, integrity, names_in, site_rows

# A SQLite site's archive holds a snapshot of its database file; test_postgres_backup.py
# backs up and restores a PostgreSQL site.
pytestmark = pytest.mark.sqlite(reason="the SQLite database file's snapshot and restore")

WRITERS = 4
POSTS_BEFORE_BACKUP = 40


@pytest.fixture
def populated(app, make_user, config_path: Path) -> Path:
    """The test site with people, a photo post and a nested media file; its media folder."""
    ana = make_user("ana.member", department="Finance")
    make_user("bo.member", one_time=True)
    create_post(ana, "Quarterly numbers are in", audience="everyone", images=[io.BytesIO(jpeg())])
    db.session.commit()
    media = config_path.parent / "media"
    (media / "zz").mkdir(parents=True, exist_ok=True)
    (media / "zz" / "noise.bin").write_bytes(os.urandom(64 * 1024))
    return media


def test_admin_backs_up_database_media_and_config_with_a_checksummed_manifest(
    run, populated: Path, config_path: Path, tmp_path: Path
):
    archive = tmp_path / "site.tar.gz"

    result = run("backup", archive, "--config", config_path)

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert f"Backed up the sqlite database (schema revision {head_revision()})" in result.stdout
    assert archive.stat().st_mode & 0o777 == 0o600
    contents = members(archive)
    assert list(contents)[-1] == "manifest.json"
    manifest = manifest_of(archive)
    assert manifest["product_version"] == __version__
    assert manifest["schema_revision"] == head_revision()
    assert manifest["database"] == {"kind": "sqlite", "member": "database/intranet-social.db"}
    assert datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
    checksums = manifest["checksums"]["members"]
    assert checksums == {
        name: hashlib.sha256(data).hexdigest()
        for name, data in contents.items()
        if name != "manifest.json"
    }
    media = {name.removeprefix("media/"): data for name, data in contents.items()}
    assert {name: media[name] for name in files_under(populated)} == files_under(populated)
    assert contents["config/config.toml"] == config_path.read_bytes()
    assert not [name for name in names_in(tmp_path) if name.startswith(".")]


def test_backup_snapshot_is_an_intact_copy_of_the_database(
    run, populated: Path, config_path: Path, tmp_path: Path
):
    archive = tmp_path / "site.tar.gz"
    run("backup", archive, "--config", config_path)
    with tarfile.open(archive) as tar:
        tar.extract("database/intranet-social.db", tmp_path / "out", filter="data")
    snapshot = tmp_path / "out" / "database" / "intranet-social.db"

    assert integrity(snapshot) == "ok"
    copy = write_config(snapshot.parent, database={"url": f"sqlite:///{snapshot.name}"})
    live = site_rows(config_path, skip=("audit_events",))
    assert site_rows(copy, skip=("audit_events",)) == live
    assert live["users"] and live["posts"] and live["post_media"]


def test_backup_is_recorded_in_the_audit_log(run, populated: Path, config_path: Path, tmp_path):
    archive = tmp_path / "site.tar.gz"
    run("backup", archive, "--config", config_path)

    db.session.rollback()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "site.backup"))
    assert event is not None and event.target == str(archive)
    assert event.actor_name.startswith("cli:")


def test_backup_during_concurrent_writes_holds_every_post_acknowledged_before_it_began(
    app, run, make_user, config_path: Path, tmp_path: Path
):
    authors = [make_user(f"writer{number}").id for number in range(WRITERS)]
    acknowledged: list[int] = []
    lock = threading.Lock()
    stop = threading.Event()
    errors: list[BaseException] = []

    def write_posts(author_id: int) -> None:
        with app.app_context():
            try:
                author = db.session.get(User, author_id)
                number = 0
                while not stop.is_set():
                    post_id = create_post(author, f"post {number}", audience="everyone").id
                    db.session.commit()
                    with lock:
                        acknowledged.append(post_id)
                    number += 1
            except BaseException as exc:
                errors.append(exc)
            finally:
                db.session.remove()

    writers = [threading.Thread(target=write_posts, args=(author,)) for author in authors]
    for writer in writers:
        writer.start()
    try:
        deadline = time.monotonic() + 60
        while len(acknowledged) < POSTS_BEFORE_BACKUP and time.monotonic() < deadline:
            time.sleep(0.01)
        with lock:
            before_backup = set(acknowledged)
        result = run("backup", tmp_path / "busy.tar.gz", "--config", config_path)
        with lock:
            after_backup = len(acknowledged)
        while len(acknowledged) < after_backup + WRITERS and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        stop.set()
        for writer in writers:
            writer.join()

    assert errors == []
    assert result.exit_code == 0, result.output
    assert len(before_backup) >= POSTS_BEFORE_BACKUP
    assert len(acknowledged) >= after_backup + WRITERS, "the site stopped taking writes"
    (tmp_path / "fresh").mkdir()
    fresh = write_config(tmp_path / "fresh")
    restored = run("restore", tmp_path / "busy.tar.gz", "--config", fresh)
    assert restored.exit_code == 0, restored.output
    posts = {row[0] for row in site_rows(fresh)["posts"]}
    assert before_backup <= posts
    assert posts <= set(acknowledged)
    assert integrity(tmp_path / "fresh" / "social.db") == "ok"
    db.session.rollback()
    assert db.session.scalar(select(db.func.count(Post.id))) == len(acknowledged)


def test_backup_will_not_overwrite_a_file_unless_forced(run, app, config_path: Path, tmp_path):
    archive = tmp_path / "site.tar.gz"
    archive.write_bytes(b"yesterday's backup")

    refused = run("backup", archive, "--config", config_path)

    assert_user_error(refused, "already exists", "--force")
    assert archive.read_bytes() == b"yesterday's backup"
    forced = run("backup", archive, "--config", config_path, "--force")
    assert forced.exit_code == 0, forced.output
    assert manifest_of(archive)["schema_revision"] == head_revision()


@pytest.mark.parametrize(
    ("where", "fragment"),
    [
        (lambda tmp: tmp / "no" / "such" / "folder" / "b.tar.gz", "does not exist"),
        (lambda tmp: tmp, "is a folder"),
        (lambda tmp: tmp / "media" / "b.tar.gz", "outside the media folder"),
    ],
    ids=["missing folder", "a folder", "inside media"],
)
def test_backup_to_an_unusable_place_is_refused_and_writes_nothing(
    run, app, config_path: Path, tmp_path: Path, where, fragment
):
    (tmp_path / "media").mkdir(exist_ok=True)
    before = names_in(tmp_path)

    result = run("backup", where(tmp_path), "--config", config_path)

    assert_user_error(result, fragment)
    assert names_in(tmp_path) == before


def test_backup_of_a_site_without_a_database_is_refused(run, tmp_path: Path):
    config = write_config(tmp_path)

    result = run("backup", tmp_path / "b.tar.gz", "--config", config)

    assert_user_error(result, "social.db does not exist")
    assert names_in(tmp_path) == {"config.toml"}
