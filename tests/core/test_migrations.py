"""Migrations: an empty database upgrades through every revision and then equals the models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from intranet_social import MIGRATIONS_DIR, create_app
from intranet_social.config import load_config
from intranet_social.core.database import current_revision, head_revision, upgrade_database
from intranet_social.extensions import db
from intranet_social.search.index import include_name
from tests.conftest import write_config


def test_empty_database_upgrades_step_by_step_to_a_schema_equal_to_the_models(
    tmp_path, empty_database_url
):
    app = create_app(load_config(write_config(tmp_path, database={"url": empty_database_url})))
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    revisions = [rev.revision for rev in script.walk_revisions()][::-1]
    assert revisions, "no migrations found"
    for revision in revisions:
        upgrade_database(app, revision)
        assert current_revision(app) == revision
    assert current_revision(app) == head_revision()
    with app.app_context(), db.engine.connect() as connection:
        # the full-text index tables (and their shadow tables) have no model: left out by name
        opts = {"render_as_batch": True, "include_name": include_name}
        context = MigrationContext.configure(connection, opts=opts)
        differences = compare_metadata(context, db.metadata)
    with app.app_context():
        db.engine.dispose()
    assert differences == [], f"models and migrations differ: {differences}"


def test_there_is_one_head():
    assert len(ScriptDirectory(str(MIGRATIONS_DIR)).get_heads()) == 1


@pytest.mark.sqlite(reason="the permissions of the SQLite file")
def test_a_new_sqlite_database_is_readable_by_its_owner_only(tmp_path):
    app = create_app(load_config(write_config(tmp_path)))
    upgrade_database(app)
    with app.app_context():
        db.engine.dispose()
    assert (tmp_path / "social.db").stat().st_mode & 0o777 == 0o600
