"""Backup and restore of a PostgreSQL site (pg_dump and pg_restore); needs a local server."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from intranet_social import create_app
from intranet_social.accounts import service
from intranet_social.config import load_config
from intranet_social.core.database import current_revision, head_revision, upgrade_database
from intranet_social.extensions import db
from intranet_social.posts.service import create_post
from tests.cli.conftest import assert_user_error
from tests.conftest import STRONG_PASSWORD, write_config
from tests.databases import PostgresDatabases
from tests.media.pictures import jpeg
from tests.ops.archives import first_media, manifest_of, members, write_members
from tests.ops.conftest import files_under, site_rows

pytestmark = pytest.mark.postgres


@pytest.fixture
def databases(postgres: PostgresDatabases) -> list[str]:
    """The URLs of two new, empty databases on the PostgreSQL server."""
    if not (shutil.which("pg_dump") and shutil.which("pg_restore") and shutil.which("psql")):
        pytest.skip("the PostgreSQL client programs are not installed")
    return [postgres.empty(), postgres.empty()]


def _sites(tmp_path: Path, databases: list[str]) -> tuple[Path, Path]:
    """The configurations of a source site and a target site, one database each."""
    configs = []
    for name, url in zip(("source", "target"), databases, strict=True):
        (tmp_path / name).mkdir()
        configs.append(write_config(tmp_path / name, database={"url": url}))
    return configs[0], configs[1]


def _revision(config: Path) -> str | None:
    app = create_app(load_config(config))
    try:
        return current_revision(app)
    finally:
        with app.app_context():
            db.engine.dispose()


def _populate(config: Path) -> None:
    app = create_app(load_config(config))
    upgrade_database(app)
    with app.app_context():
        ana = service.create_user("ana.member", "ana@corp.example", "Ana", password=STRONG_PASSWORD)
        service.create_user("bo.member", "bo@corp.example", "Bo")
        create_post(ana.user, "On PostgreSQL", audience="everyone", images=[io.BytesIO(jpeg())])
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def _add_person(config: Path, username: str) -> None:
    app = create_app(load_config(config))
    with app.app_context():
        service.create_user(username, f"{username}@corp.example", "Someone")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def test_postgres_site_is_backed_up_and_restored_into_an_empty_database(
    run, tmp_path: Path, databases: list[str]
):
    source, target = _sites(tmp_path, databases)
    _populate(source)
    archive = tmp_path / "pg.tar.gz"

    backed_up = run("backup", archive, "--config", source)
    restored = run("restore", archive, "--config", target)

    assert backed_up.exit_code == 0, backed_up.output
    manifest = manifest_of(archive)
    assert manifest["database"] == {
        "kind": "postgresql",
        "member": "database/intranet-social.pgdump",
    }
    assert restored.exit_code == 0, restored.output
    live = site_rows(source, skip=("audit_events",))
    assert site_rows(target, skip=("audit_events",)) == live
    assert live["users"] and live["post_media"]
    assert files_under(tmp_path / "target" / "media") == files_under(tmp_path / "source" / "media")
    assert _revision(target) == head_revision()


def test_postgres_restore_over_existing_data_replaces_it_all(
    run, tmp_path: Path, databases: list[str]
):
    source, target = _sites(tmp_path, databases)
    _populate(source)
    archive = tmp_path / "pg.tar.gz"
    run("backup", archive, "--config", source)
    run("restore", archive, "--config", target)
    _add_person(target, "after.backup")

    result = run("restore", archive, "--config", target, "--yes")

    assert result.exit_code == 0, result.output
    assert site_rows(target, skip=("audit_events",)) == site_rows(source, skip=("audit_events",))


def test_postgres_restore_of_a_tampered_archive_changes_nothing(
    run, tmp_path: Path, databases: list[str]
):
    source, _target = _sites(tmp_path, databases)
    _populate(source)
    archive = tmp_path / "pg.tar.gz"
    run("backup", archive, "--config", source)
    contents = members(archive)
    bad = write_members(tmp_path / "bad.tar.gz", {**contents, first_media(contents): b"other"})
    before = site_rows(source)

    result = run("restore", bad, "--config", source, "--yes")

    assert_user_error(result, "does not match its checksum")
    assert site_rows(source) == before
