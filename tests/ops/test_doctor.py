"""``intranet-social doctor``: passes on a healthy site; names each problem and exits 1."""

from __future__ import annotations

import json
import shutil
import tomllib
from collections import namedtuple
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import Result
from cryptography.hazmat.primitives import serialization
from sqlalchemy import text, update

from intranet_social.accounts.models import User
from intranet_social.core.models import utcnow
from intranet_social.extensions import db
from tests.cli.conftest import assert_user_error
from tests.conftest import write_config
from tests.ops import certificates

HOSTNAMES = ["localhost", "127.0.0.1"]
GIB = 1024**3
Usage = namedtuple("Usage", "total used free")


@pytest.fixture
def site_settings():
    return {"site": {"hostnames": HOSTNAMES}, "server": {"ca_cert": "tls/ca.crt"}}


@pytest.fixture
def plenty_of_space(monkeypatch):
    monkeypatch.setattr(
        "intranet_social.ops.doctor.disk_usage", lambda path: Usage(100 * GIB, 50 * GIB, 50 * GIB)
    )


@pytest.fixture
def authority() -> certificates.Pair:
    return certificates.authority()


@pytest.fixture
def tls(config_path: Path, authority: certificates.Pair) -> Path:
    """The installer's layout: the site's authority and a server certificate for every name."""
    folder = config_path.parent / "tls"
    authority.write(folder, "ca")
    certificates.server(authority, HOSTNAMES).write(folder, "server")
    return folder


def rewrite(config: Path, **sections) -> None:
    """Write the site's configuration again with ``sections`` changed (and a new secret),
    on the same database."""
    database = tomllib.loads(config.read_text(encoding="utf-8"))["database"]
    settings = {
        "database": database,
        "site": {"hostnames": HOSTNAMES},
        "server": {"ca_cert": "tls/ca.crt"},
    }
    for name, values in sections.items():
        settings.setdefault(name, {}).update(values)
    write_config(config.parent, **settings).chmod(0o600)


@pytest.fixture
def healthy(app, make_user, config_path: Path, tls: Path, plenty_of_space) -> Path:
    """A site with nothing to fix: its configuration file."""
    make_user("ada.admin", role="admin")
    (config_path.parent / "media").mkdir()
    config_path.chmod(0o600)
    return config_path


def results(run, config: Path, *options: str) -> tuple[dict[str, tuple[str, str]], Result]:
    """The doctor's verdicts by check name, as (result, detail), and the command's result."""
    outcome = run("doctor", "--json", "--config", config, *options)
    document = json.loads(outcome.stdout)
    assert document["ok"] == (outcome.exit_code == 0)
    verdicts = {check["name"]: (check["result"], check["detail"]) for check in document["checks"]}
    return verdicts, outcome


def test_doctor_passes_a_healthy_site_and_prints_a_table(run, healthy: Path):
    result = run("doctor", "--config", healthy)

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["CHECK", "RESULT", "DETAILS"]
    for name in (
        "config", "secret key", "database", "rate limits", "media folder", "free space",
        "hostname localhost", "tls certificate", "admin password", "one-time passwords",
    ):  # fmt: skip
        row = next(line for line in lines if line.startswith(name + "  "))
        assert row[len(name) :].split()[0] == "pass", row
    assert lines[-1] == "10 passed, 0 failed, 0 warnings, 0 skipped"


def test_doctor_json_lists_every_check_with_its_result(run, healthy: Path):
    verdicts, result = results(run, healthy)

    assert result.exit_code == 0
    assert {verdict for verdict, _detail in verdicts.values()} == {"pass"}
    assert "resolves to 127.0.0.1" in verdicts["hostname localhost"][1]
    assert "covers every host name" in verdicts["tls certificate"][1]


def test_doctor_checks_the_real_free_space_of_the_media_disk(run, healthy, monkeypatch):
    monkeypatch.setattr("intranet_social.ops.doctor.disk_usage", shutil.disk_usage)

    verdicts, _result = results(run, healthy)

    assert "GiB free" in verdicts["free space"][1]


def test_doctor_reports_a_configuration_that_does_not_load(run, tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text("[site\n")

    verdicts, result = results(run, config)

    assert verdicts["config"][0] == "fail" and "not valid TOML" in verdicts["config"][1]
    assert verdicts["other checks"][0] == "skip"
    assert_user_error(result, "1 check failed: config")


@pytest.mark.parametrize(
    ("secret", "mode", "fragment"),
    [
        ("abcdefgh" * 4, 0o600, "bits of randomness"),
        (None, 0o644, "can be read by everyone"),
    ],
    ids=["guessable secret", "config readable by everyone"],
)
def test_doctor_fails_a_weak_or_exposed_secret_key(run, healthy: Path, secret, mode, fragment):
    if secret:
        rewrite(healthy, security={"secret_key": secret})
    healthy.chmod(mode)

    verdicts, result = results(run, healthy)

    assert verdicts["secret key"][0] == "fail"
    assert fragment in verdicts["secret key"][1]
    assert_user_error(result, "1 check failed: secret key")


def test_doctor_fails_a_missing_database_and_skips_the_account_checks(run, tmp_path):
    config = write_config(tmp_path)
    config.chmod(0o600)

    verdicts, result = results(run, config)

    assert verdicts["database"][0] == "fail"
    assert "social.db does not exist" in verdicts["database"][1]
    assert verdicts["admin password"][0] == verdicts["one-time passwords"][0] == "skip"
    assert not (tmp_path / "social.db").exists()
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("revision", "fragment"),
    [("f74aa3747155", "older than"), ("ffffffffffff", "does not know")],
    ids=["older", "unknown"],
)
def test_doctor_fails_a_database_not_at_the_newest_migration(run, healthy, revision, fragment):
    db.session.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    db.session.commit()

    verdicts, result = results(run, healthy)

    assert verdicts["database"][0] == "fail" and fragment in verdicts["database"][1]
    assert_user_error(result, "1 check failed: database")


def test_doctor_fails_a_database_it_cannot_reach(run, tmp_path: Path):
    config = write_config(tmp_path, database={"url": "postgresql+psycopg://nobody@127.0.0.1:1/x"})

    verdicts, result = results(run, config)

    assert verdicts["database"][0] == "fail" and "cannot be reached" in verdicts["database"][1]
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_doctor_fails_a_missing_media_folder(run, healthy: Path):
    (healthy.parent / "media").rmdir()

    verdicts, result = results(run, healthy)

    assert verdicts["media folder"][0] == "fail" and "does not exist" in verdicts["media folder"][1]
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("usage", "verdict", "exit_code"),
    [
        (Usage(100 * GIB, 99.5 * GIB, 0.5 * GIB), "fail", 1),
        (Usage(1000 * GIB, 970 * GIB, 30 * GIB), "fail", 1),
        (Usage(100 * GIB, 92 * GIB, 8 * GIB), "warn", 0),
    ],
    ids=["under 1 GiB", "under 5 percent", "under 10 percent"],
)
def test_doctor_fails_or_warns_when_the_media_disk_runs_low(
    run, healthy: Path, monkeypatch, usage, verdict, exit_code
):
    monkeypatch.setattr("intranet_social.ops.doctor.disk_usage", lambda path: usage)

    verdicts, result = results(run, healthy)

    assert verdicts["free space"][0] == verdict
    assert result.exit_code == exit_code


@pytest.mark.parametrize(
    ("hostnames", "fragment"),
    [
        (["nowhere.invalid", "127.0.0.1"], "does not resolve"),
        (["localhost", "10.9.8.7"], "not to the configured 10.9.8.7"),
    ],
    ids=["unknown name", "other address"],
)
def test_doctor_fails_a_hostname_that_does_not_resolve_to_the_site(
    run, healthy: Path, hostnames, fragment
):
    rewrite(healthy, site={"hostnames": hostnames}, server={"ca_cert": ""})

    verdicts, result = results(run, healthy)

    assert verdicts[f"hostname {hostnames[0]}"][0] == "fail"
    assert fragment in verdicts[f"hostname {hostnames[0]}"][1]
    assert result.exit_code == 1


def test_doctor_skips_hostnames_and_tls_when_none_are_configured(run, healthy: Path):
    rewrite(healthy, site={"hostnames": []}, server={"ca_cert": ""})

    verdicts, result = results(run, healthy)

    assert verdicts["hostnames"][0] == "skip"
    assert verdicts["tls certificate"][0] == "skip"
    assert "--certificate" in verdicts["tls certificate"][1]
    assert result.exit_code == 0


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda ca: certificates.server(ca, HOSTNAMES, valid_for=timedelta(days=20)), "within 30"),
        (
            lambda ca: certificates.server(
                ca, HOSTNAMES, valid_from=timedelta(days=-30), valid_for=timedelta(days=-2)
            ),
            "expired",
        ),
        (
            lambda ca: certificates.server(ca, HOSTNAMES, valid_from=timedelta(days=2)),
            "not valid before",
        ),
        (lambda ca: certificates.server(ca, ["localhost"]), "does not cover 127.0.0.1"),
        (
            lambda ca: certificates.server(certificates.authority("Other"), HOSTNAMES),
            "not signed by the site's authority",
        ),
    ],
    ids=["expiring", "expired", "not yet valid", "name missing", "other authority"],
)
def test_doctor_fails_a_certificate_browsers_would_refuse(
    run, healthy: Path, tls: Path, authority, make, fragment
):
    make(authority).write(tls, "server")

    verdicts, result = results(run, healthy)

    assert verdicts["tls certificate"][0] == "fail"
    assert fragment in verdicts["tls certificate"][1]
    assert_user_error(result, "1 check failed: tls certificate")


def test_doctor_fails_a_server_key_that_does_not_belong_to_the_certificate(
    run, healthy: Path, tls: Path, authority
):
    other = certificates.server(authority, HOSTNAMES)
    (tls / "server.key").write_bytes(
        other.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )  # fmt: skip

    verdicts, _result = results(run, healthy)

    assert "does not belong to it" in verdicts["tls certificate"][1]


def test_doctor_fails_a_missing_server_certificate(run, healthy: Path, tls: Path):
    (tls / "server.crt").unlink()

    verdicts, _result = results(run, healthy)

    assert verdicts["tls certificate"][0] == "fail"
    assert "server.crt does not exist" in verdicts["tls certificate"][1]


def test_doctor_checks_a_certificate_given_on_the_command_line(
    run, healthy: Path, tmp_path: Path, authority
):
    rewrite(healthy, server={"ca_cert": ""})
    certificates.server(authority, HOSTNAMES).write(tmp_path / "own", "good")
    certificates.server(authority, ["localhost"]).write(tmp_path / "own", "partial")

    good, passed = results(run, healthy, "--certificate", str(tmp_path / "own" / "good.crt"))
    bad, failed = results(run, healthy, "--certificate", str(tmp_path / "own" / "partial.crt"))

    assert good["tls certificate"][0] == "pass" and passed.exit_code == 0
    assert "does not cover 127.0.0.1" in bad["tls certificate"][1] and failed.exit_code == 1


def test_doctor_fails_while_an_admin_keeps_the_install_password(run, healthy, make_user):
    make_user("root.admin", role="admin", one_time=True)

    verdicts, result = results(run, healthy)

    assert verdicts["admin password"][0] == "fail"
    assert "root.admin still has the one-time password" in verdicts["admin password"][1]
    assert_user_error(result, "admin password")


def test_doctor_fails_a_site_without_an_active_admin(run, healthy):
    db.session.execute(update(User).values(status="disabled"))
    db.session.commit()

    verdicts, _result = results(run, healthy)

    assert "no active admin" in verdicts["admin password"][1]


@pytest.mark.parametrize(
    ("age_days", "status", "verdict"),
    [
        (8, "active", "fail"),
        (8, "pending", "fail"),
        (6, "active", "pass"),
        (30, "disabled", "pass"),
    ],
)
def test_doctor_fails_one_time_passwords_left_unused_for_over_a_week(
    run, healthy, make_user, age_days, status, verdict
):
    person = make_user("new.starter", one_time=True, status=status)
    db.session.execute(
        update(User)
        .where(User.id == person.id)
        .values(password_set_at=utcnow() - timedelta(days=age_days))
    )
    db.session.commit()

    verdicts, _result = results(run, healthy)

    assert verdicts["one-time passwords"][0] == verdict
    if verdict == "fail":
        assert "new.starter has had a one-time password" in verdicts["one-time passwords"][1]
