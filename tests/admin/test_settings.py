"""Site settings: the database's value wins over the config file's, checked and audited."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from intranet_social.accounts import registration
from intranet_social.audit.models import AuditEvent
from intranet_social.core.errors import Forbidden, Invalid
from intranet_social.extensions import db
from intranet_social.media import storage
from intranet_social.site_settings import service as settings
from intranet_social.site_settings.models import SiteSetting


@pytest.fixture
def site_settings():
    return {"security": {"registration": "closed", "email_domains": ["corp.example"]}}


def setting_rows() -> int:
    return db.session.scalar(select(func.count()).select_from(SiteSetting)) or 0


def test_settings_start_from_the_config_file(app):
    assert settings.get_setting("registration") == "closed"
    assert settings.get_setting("email_domains") == ["corp.example"]
    assert settings.get_setting("max_image_mb") == 15
    assert settings.get_setting("messaging") == "friends"
    assert settings.get_setting("default_audience") == "friends"


def test_admin_changes_a_setting_and_it_takes_effect_at_once_with_an_audit_entry(app, admin):
    settings.set_setting("registration", "open", actor=admin)
    db.session.commit()
    assert registration.registration_mode() == "open"
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "settings.change")
    ).one()
    assert event.target == "registration"
    assert event.details == {"old": "closed", "new": "open"}
    assert event.actor_id == admin.id


def test_unchanged_value_writes_nothing(app, admin):
    settings.set_setting("registration", "closed", actor=admin)
    db.session.commit()
    assert setting_rows() == 0


@pytest.mark.parametrize("role", ["member", "moderator"])
def test_members_and_moderators_cannot_change_settings(app, make_user, role):
    user = make_user("who", role=role)
    with pytest.raises(Forbidden):
        settings.set_setting("site_name", "Mine", actor=user)
    db.session.rollback()
    assert setting_rows() == 0


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("registration", "anyone", "registration"),
        ("site_name", "   ", "site_name"),
        ("site_name", "x" * 101, "site_name"),
        ("email_domains", ["not a domain"], "email_domains"),
        ("email_domains", 5, "email_domains"),
        ("messaging", "nobody", "messaging"),
        ("default_audience", "public", "default_audience"),
        ("max_image_mb", "0", "max_image_mb"),
        ("max_image_mb", "lots", "max_image_mb"),
        ("max_video_mb", 5000, "max_video_mb"),
        ("no_such_key", "x", "key"),
    ],
)
def test_bad_setting_values_are_refused_and_nothing_changes(app, admin, key, value, field):
    with pytest.raises(Invalid) as caught:
        settings.set_setting(key, value, actor=admin)
    assert caught.value.field == field
    db.session.rollback()
    assert setting_rows() == 0
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "settings.change")
        )
        == 0
    )


def test_domains_are_cleaned_and_deduplicated(app, admin):
    assert settings.set_setting(
        "email_domains", "@Corp.example, corp.example  lab.example", actor=admin
    ) == ["corp.example", "lab.example"]


def test_site_name_setting_shows_in_pages(app, admin, client):
    settings.set_setting("site_name", "Acme Social", actor=admin)
    db.session.commit()
    assert "Acme Social" in client.get("/login").get_data(as_text=True)


def test_upload_limit_setting_is_used_by_media_storage(app, admin):
    settings.set_setting("max_image_mb", 1, actor=admin)
    db.session.commit()
    with pytest.raises(Invalid) as caught:
        storage.store_image(io.BytesIO(b"x" * (storage.MEGABYTE + 10)), purpose="post")
    assert "1" in caught.value.message
