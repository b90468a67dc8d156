"""Running the server install again: nothing changes unless a flag changes it."""

from __future__ import annotations

import tomllib

from cryptography import x509
from sqlalchemy import select

from intranet_social.accounts import passwords
from intranet_social.accounts.models import User
from intranet_social.extensions import db
from tests.provision.conftest import ADDRESS, ALIAS, CANONICAL, one_time_password, site_of

NEW_NAME = "friends.corp.example"


def admin_hash(box) -> str:
    with site_of(box.config):
        return db.session.scalar(select(User.password_hash).where(User.username == "admin"))


def covered(path) -> set[str]:
    cert = x509.load_pem_x509_certificate(path.read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return set(names.get_values_for_type(x509.DNSName))


def test_rerun_with_the_same_flags_changes_nothing_and_says_so(install, box):
    assert install().exit_code == 0
    before = box.snapshot()
    first_hash = admin_hash(box)

    result = install()

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Nothing changed:")
    assert "One-time password" not in result.stdout
    assert box.snapshot() == before
    assert admin_hash(box) == first_hash


def test_rerun_without_hostnames_keeps_the_names_of_the_config(install, box):
    assert install().exit_code == 0
    before = box.snapshot()

    result = install(names=())

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Nothing changed:")
    assert box.snapshot() == before


def test_new_hostname_updates_config_certificate_site_and_dns_and_keeps_ca_and_admin(install, box):
    assert install().exit_code == 0
    ca_before = (box.tls / "ca.crt").read_bytes()
    unit_before = box.unit.read_bytes()
    first_hash = admin_hash(box)

    result = install(names=(CANONICAL, ALIAS, NEW_NAME))

    assert result.exit_code == 0, result.output
    assert "issued a new server certificate" in result.stdout
    raw = tomllib.loads(box.config.read_text(encoding="utf-8"))
    assert raw["site"]["hostnames"] == [CANONICAL, ALIAS, NEW_NAME, ADDRESS]
    assert covered(box.tls / "server.crt") == {CANONICAL, ALIAS, NEW_NAME}
    assert (box.tls / "ca.crt").read_bytes() == ca_before
    assert f"server_name {CANONICAL} {ALIAS} {NEW_NAME} {ADDRESS};" in box.site.read_text()
    assert f"{NEW_NAME}.\t3600\tIN\tCNAME\t{CANONICAL}." in (box.dns / "bind.zone").read_text()
    assert NEW_NAME in (box.dns / "hosts.txt").read_text()
    assert box.unit.read_bytes() == unit_before
    assert admin_hash(box) == first_hash
    assert "One-time password" not in result.stdout


def test_new_address_reissues_the_certificate_and_rewrites_the_records(install, box):
    assert install().exit_code == 0

    result = install("--ip", "10.20.30.99")

    assert result.exit_code == 0, result.output
    assert "10.20.30.99" in tomllib.loads(box.config.read_text())["site"]["hostnames"]
    assert f"{CANONICAL}.\t3600\tIN\tA\t10.20.30.99" in (box.dns / "bind.zone").read_text()
    assert "names or address changed" in result.stdout


def test_rerun_keeps_settings_the_admin_changed_in_the_config(install, box):
    assert install().exit_code == 0
    text = box.config.read_text(encoding="utf-8")
    text = text.replace('registration = "approval"', '# chosen by IT\nregistration = "closed"')
    secret = tomllib.loads(text)["security"]["secret_key"]
    box.config.write_text(text, encoding="utf-8")

    assert install("--listen", "127.0.0.1:9000").exit_code == 0

    text = box.config.read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    assert raw["security"]["registration"] == "closed"
    assert "# chosen by IT\n" in text
    assert raw["security"]["secret_key"] == secret
    assert raw["server"]["listen"] == "127.0.0.1:9000"


def test_reset_admin_gives_a_new_one_time_password_and_nothing_else(install, box):
    assert install().exit_code == 0
    before = {name: value for name, value in box.snapshot().items() if "var/lib" not in name}

    result = install("--reset-admin")

    assert result.exit_code == 0, result.output
    username, password = one_time_password(result)
    assert username == "admin"
    assert passwords.verify_password(admin_hash(box), password)
    after = {name: value for name, value in box.snapshot().items() if "var/lib" not in name}
    assert after == before


def test_reset_of_an_admin_that_does_not_exist_fails_before_writing(install, box):
    assert install().exit_code == 0
    before = box.snapshot()
    first_hash = admin_hash(box)

    result = install("--reset-admin", "--admin", "nobody", names=(CANONICAL, NEW_NAME))

    assert result.exit_code == 1
    assert result.stderr == (
        "error: there is no admin called 'nobody'; the admins are admin. Name one with --admin.\n"
    )
    assert box.snapshot() == before
    assert admin_hash(box) == first_hash


def test_plain_http_install_writes_no_certificates_and_a_port_80_site(install, box):
    result = install("--tls", "none")

    assert result.exit_code == 0, result.output
    assert not box.tls.exists()
    site = box.site.read_text(encoding="utf-8")
    assert "443" not in site and "ssl_certificate" not in site
    assert "listen 80;" in site and "proxy_pass http://127.0.0.1:8080;" in site
    assert tomllib.loads(box.config.read_text())["server"]["ca_cert"] == ""
    assert f"http://{CANONICAL}/" in result.stdout


def test_given_certificate_and_key_are_used_as_they_are(install, box, tmp_path):
    assert install().exit_code == 0
    own = tmp_path / "own"
    own.mkdir()
    (own / "site.crt").write_bytes((box.tls / "server.crt").read_bytes())
    (own / "site.key").write_bytes((box.tls / "server.key").read_bytes())

    result = install("--tls", f"{own / 'site.crt'}:{own / 'site.key'}", names=(CANONICAL, NEW_NAME))

    assert result.exit_code == 0, result.output
    site = box.site.read_text(encoding="utf-8")
    assert f"ssl_certificate {own / 'site.crt'};" in site
    assert f"ssl_certificate_key {own / 'site.key'};" in site
    assert f"does not cover {NEW_NAME}" in result.stdout
    assert "location = /ca.crt" not in site
