"""``intranet-social install`` for a server: every file, its mode and content, and the site
that starts from them."""

from __future__ import annotations

import ipaddress
import tomllib
from datetime import UTC, datetime

from cryptography import x509
from cryptography.x509.verification import PolicyBuilder, Store
from sqlalchemy import select

from intranet_social.accounts import passwords
from intranet_social.accounts.models import User
from intranet_social.config import secret_key_problem
from intranet_social.core.database import current_revision, head_revision
from intranet_social.extensions import db
from tests.conftest import csrf_from
from tests.provision.conftest import (
    ADDRESS,
    ALIAS,
    CANONICAL,
    one_time_password,
    site_of,
)

NEW_PASSWORD = "harbour-violet-quartz-58"


def mode_of(path) -> int:
    return path.stat().st_mode & 0o777


def certificate(path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def names_in(cert: x509.Certificate) -> set[str]:
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return set(names.get_values_for_type(x509.DNSName)) | {
        str(address) for address in names.get_values_for_type(x509.IPAddress)
    }


def verify_for(box, name: str) -> None:
    """Check the server certificate chains to the site's CA and is valid for ``name``."""
    store = Store([certificate(box.tls / "ca.crt")])
    builder = PolicyBuilder().store(store).time(datetime.now(UTC))
    try:
        subject = x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        subject = x509.DNSName(name)
    verifier = builder.build_server_verifier(subject)
    verifier.verify(certificate(box.tls / "server.crt"), [])


def test_server_install_writes_config_folders_tls_dns_unit_and_site(install, box):
    result = install()

    assert result.exit_code == 0, result.output
    assert mode_of(box.config) == 0o640
    raw = tomllib.loads(box.config.read_text(encoding="utf-8"))
    assert raw["site"]["hostnames"] == [CANONICAL, ALIAS, ADDRESS]
    assert raw["server"]["trusted_proxies"] == 1
    assert raw["server"]["listen"] == "127.0.0.1:8080"
    assert raw["server"]["ca_cert"] == "tls/ca.crt"
    assert secret_key_problem(raw["security"]["secret_key"]) is None
    assert (box.config.parent / raw["database"]["url"].removeprefix("sqlite:///")).resolve() == (
        box.data / "intranet-social.db"
    ).resolve()
    assert (box.config.parent / raw["media"]["dir"]).resolve() == (box.data / "media").resolve()
    assert mode_of(box.data) == 0o750 and mode_of(box.data / "media") == 0o750
    assert mode_of(box.data / "intranet-social.db") == 0o600
    assert mode_of(box.tls / "ca.key") == 0o600 and mode_of(box.tls / "server.key") == 0o600
    assert mode_of(box.tls / "ca.crt") == 0o644 and mode_of(box.tls / "server.crt") == 0o644
    assert "no owner is changed" in result.stdout


def test_server_certificate_covers_every_name_and_the_address_and_chains_to_the_ca(install, box):
    assert install("--hostname", "social").exit_code == 0

    server = certificate(box.tls / "server.crt")
    assert names_in(server) == {CANONICAL, ALIAS, "social", ADDRESS}
    for name in (CANONICAL, ALIAS, ADDRESS):
        verify_for(box, name)
    ca = certificate(box.tls / "ca.crt")
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert server.issuer == ca.subject


def test_dns_records_name_the_canonical_host_and_alias_in_every_format(install, box):
    result = install("--hostname", "social")

    assert result.exit_code == 0, result.output
    bind = (box.dns / "bind.zone").read_text(encoding="utf-8")
    assert f"{CANONICAL}.\t3600\tIN\tA\t{ADDRESS}" in bind
    assert f"{ALIAS}.\t3600\tIN\tCNAME\t{CANONICAL}." in bind
    dnsmasq = (box.dns / "dnsmasq.conf").read_text(encoding="utf-8")
    assert f"host-record={CANONICAL},{ALIAS},social,{ADDRESS}" in dnsmasq
    unbound = (box.dns / "unbound.conf").read_text(encoding="utf-8")
    assert f'local-data: "{CANONICAL}. 3600 IN A {ADDRESS}"' in unbound
    assert f'local-data: "{ALIAS}. 3600 IN A {ADDRESS}"' in unbound
    windows = (box.dns / "windows-dns.ps1").read_text(encoding="utf-8")
    assert (
        f'Add-DnsServerResourceRecordA -ZoneName "corp.example" -Name "social" '
        f'-IPv4Address "{ADDRESS}"'
    ) in windows
    assert (
        f'Add-DnsServerResourceRecordCName -ZoneName "corp.example" -Name "intranet" '
        f'-HostNameAlias "{CANONICAL}"'
    ) in windows
    hosts = (box.dns / "hosts.txt").read_text(encoding="utf-8")
    assert f"{ADDRESS}\t{CANONICAL} {ALIAS} social\n" in hosts
    assert f"{CANONICAL}.\t3600\tIN\tA\t{ADDRESS}" in result.stdout
    assert f"{ADDRESS}\t{CANONICAL} {ALIAS} social" in result.stdout
    assert "Next steps:" in result.stdout


def test_systemd_unit_runs_serve_with_the_config_and_is_hardened(install, box):
    assert install("--service-user", "social-app").exit_code == 0

    unit = box.unit.read_text(encoding="utf-8")
    exec_line = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    assert exec_line.endswith(" serve --config /etc/intranet-social/config.toml")
    for line in (
        "User=social-app",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ReadWritePaths=/var/lib/intranet-social",
        "PrivateTmp=yes",
        "ProtectHome=yes",
    ):
        assert f"\n{line}\n" in unit, line
    assert str(box.root) not in unit


def test_a_timer_records_the_birthday_notices_every_hour_as_the_service_user(install, box):
    assert install("--service-user", "social-app").exit_code == 0

    folder = box.unit.parent
    timer = (folder / "intranet-social-birthdays.timer").read_text(encoding="utf-8")
    assert "\nOnCalendar=hourly\n" in timer and "\nPersistent=true\n" in timer
    assert "\nWantedBy=timers.target\n" in timer
    notify = (folder / "intranet-social-birthdays.service").read_text(encoding="utf-8")
    exec_line = next(line for line in notify.splitlines() if line.startswith("ExecStart="))
    assert exec_line.endswith(" birthdays notify --config /etc/intranet-social/config.toml")
    for line in ("Type=oneshot", "User=social-app", "ProtectSystem=strict", "NoNewPrivileges=yes"):
        assert f"\n{line}\n" in notify, line
    hardening = box.unit.read_text(encoding="utf-8").split("# Hardening")[1].split("[Install]")[0]
    assert notify.split("# Hardening")[1].strip() == hardening.strip(), "hardened as the app"


def test_nginx_site_redirects_to_tls_serves_static_and_forwards_to_the_app(install, box):
    assert install("--listen", "127.0.0.1:9090").exit_code == 0

    site = box.site.read_text(encoding="utf-8")
    assert site.count(f"server_name {CANONICAL} {ALIAS} {ADDRESS};") == 2
    assert "return 301 https://$host$request_uri;" in site
    assert "listen 443 ssl" in site
    assert "ssl_certificate /etc/intranet-social/tls/server.crt;" in site
    assert "ssl_certificate_key /etc/intranet-social/tls/server.key;" in site
    # The largest upload is a 200 MB video, plus room for the form and a margin.
    assert "client_max_body_size 202m;" in site
    assert "location /static/ {" in site and "immutable" in site
    assert site.count("proxy_pass http://127.0.0.1:9090;") == 2
    for header in (
        "proxy_set_header Host $host;",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
    ):
        assert header in site


def test_site_from_the_written_config_takes_the_printed_password_and_forces_a_change(install, box):
    result = install("--admin", "it.admin")
    assert result.exit_code == 0, result.output
    username, password = one_time_password(result)
    assert username == "it.admin"
    assert password not in "".join(p.read_text(errors="replace") for p in box.dns.iterdir())

    with site_of(box.config) as app:
        assert current_revision(app) == head_revision()
        admin = db.session.scalar(select(User).where(User.username == "it.admin"))
        assert admin.role == "admin" and admin.must_change_password
        assert passwords.verify_password(admin.password_hash, password)
        client = app.test_client()
        site = {"base_url": f"https://{CANONICAL}"}
        # Over HTTPS the CSRF check also wants the form's page as the Referer.
        same_site = {"Referer": f"https://{CANONICAL}/"}
        token = csrf_from(client.get("/login", **site).get_data(as_text=True))
        response = client.post(
            "/login",
            data={"username": "it.admin", "password": password, "csrf_token": token},
            headers=same_site,
            **site,
        )
        assert response.headers["Location"] == "/account/password"
        assert client.get("/", **site).headers["Location"] == "/account/password"
        token = csrf_from(client.get("/account/password", **site).get_data(as_text=True))
        response = client.post(
            "/account/password",
            data={
                "csrf_token": token,
                "current_password": password,
                "new_password": NEW_PASSWORD,
                "new_password_confirm": NEW_PASSWORD,
            },
            headers=same_site,
            **site,
        )
        assert response.status_code == 302
        assert client.get("/", **site).status_code == 200


def test_site_offers_its_certificate_authority_at_ca_crt(install, box):
    assert install().exit_code == 0

    with site_of(box.config) as app:
        client = app.test_client()
        response = client.get("/ca.crt", headers={"Host": CANONICAL})
        assert response.status_code == 200
        assert response.data == (box.tls / "ca.crt").read_bytes()
        assert response.mimetype == "application/x-x509-ca-cert"
        assert client.get("/ca.crt", headers={"Host": "evil.example"}).status_code == 400


def test_nginx_upload_limit_follows_the_media_limits_of_the_config(install, box):
    assert install().exit_code == 0
    text = box.config.read_text(encoding="utf-8")
    box.config.write_text(text.replace("max_video_mb = 200", "max_video_mb = 500"))

    assert install().exit_code == 0

    assert "client_max_body_size 502m;" in box.site.read_text(encoding="utf-8")
