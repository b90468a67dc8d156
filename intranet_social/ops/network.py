"""The doctor's network checks: the site's names resolve, and its certificate fits them.

Names are looked up with this machine's own resolver (what the server and nginx see); the
check asks no other DNS server. The configured address is the IP address listed among
``site.hostnames`` (the installer puts it there).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization

from intranet_social.config import Config
from intranet_social.ops.checks import Check
from intranet_social.provision.tls import SERVER_CERT, SERVER_KEY

RESOLVE_TIMEOUT_SECONDS = 5.0
EXPIRY_MARGIN = timedelta(days=30)


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _resolve(name: str) -> set[str] | str:
    """The addresses ``name`` resolves to, or why it does not; never waits long."""
    answer: list[set[str] | str] = []

    def look_up() -> None:
        try:
            infos = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
            answer.append({str(info[4][0]).partition("%")[0] for info in infos})
        except (OSError, UnicodeError) as exc:
            answer.append(getattr(exc, "strerror", None) or str(exc))

    # getaddrinfo has no timeout of its own; a daemon thread cannot hold the command up.
    worker = threading.Thread(target=look_up, daemon=True)
    worker.start()
    worker.join(RESOLVE_TIMEOUT_SECONDS)
    return answer[0] if answer else f"no answer within {RESOLVE_TIMEOUT_SECONDS:.0f} seconds"


def check_hostnames(config: Config) -> list[Check]:
    """One check per configured host name: it resolves, to the configured address if any."""
    names = [name for name in config.site.hostnames if not _is_address(name)]
    expected = {name for name in config.site.hostnames if _is_address(name)}
    if not names:
        return [Check.skipped("hostnames", "no host names are configured (site.hostnames)")]
    checks = []
    for name in names:
        label = f"hostname {name}"
        found = _resolve(name)
        if isinstance(found, str):
            checks.append(
                Check.failed(
                    label,
                    f"does not resolve on this machine ({found}); add the records from the "
                    "DNS files the installer wrote to the organisation's DNS",
                )
            )
        elif expected and not expected & found:
            checks.append(
                Check.failed(
                    label,
                    f"resolves to {', '.join(sorted(found))}, not to the configured "
                    f"{', '.join(sorted(expected))}; correct the DNS record",
                )
            )
        else:
            checks.append(Check.passed(label, f"resolves to {', '.join(sorted(found))}"))
    return checks


def _covers(certificate: x509.Certificate, name: str) -> bool:
    try:
        alternatives = certificate.extensions.get_extension_for_class(
            x509.SubjectAlternativeName
        ).value
    except x509.ExtensionNotFound:
        return False
    if _is_address(name):
        return ipaddress.ip_address(name) in alternatives.get_values_for_type(x509.IPAddress)
    covered = {value.lower() for value in alternatives.get_values_for_type(x509.DNSName)}
    wildcard = "*." + name.partition(".")[2]
    return name.lower() in covered or ("." in name and wildcard.lower() in covered)


def _load_certificate(path: Path) -> x509.Certificate | str:
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except FileNotFoundError:
        return f"{path} does not exist"
    except (OSError, ValueError) as exc:
        return f"{path} is not a PEM certificate ({exc})"


def _validity_problems(certificate: x509.Certificate, what: str, now: datetime) -> list[str]:
    until = certificate.not_valid_after_utc
    if certificate.not_valid_before_utc > now:
        return [f"{what} is not valid before {certificate.not_valid_before_utc:%Y-%m-%d}"]
    if until <= now:
        return [f"{what} expired on {until:%Y-%m-%d}"]
    if until - now < EXPIRY_MARGIN:
        return [f"{what} expires on {until:%Y-%m-%d}, within 30 days"]
    return []


def _authority_problems(
    certificate: x509.Certificate, folder: Path, ca_path: Path, now: datetime
) -> list[str]:
    """The installer's layout: the site's authority, the server certificate and its key."""
    authority = _load_certificate(ca_path)
    if isinstance(authority, str):
        return [f"the site's certificate authority {authority}"]
    problems = _validity_problems(authority, f"the certificate authority {ca_path}", now)
    try:
        certificate.verify_directly_issued_by(authority)
    except (ValueError, TypeError, InvalidSignature):
        problems.append(f"it was not signed by the site's authority {ca_path}")
    key_path = folder / SERVER_KEY
    try:
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError):
        problems.append(f"its key {key_path} is missing or unreadable")
    else:
        if key.public_key() != certificate.public_key():
            problems.append(f"the key {key_path} does not belong to it")
    return problems


def check_tls(config: Config, given: Path | None, now: datetime) -> Check:
    """The server certificate: valid now and for 30 more days, for every configured name.

    The certificate is the one ``install --tls self-signed`` keeps beside the site's authority
    (``server.ca_cert``), or the file ``given`` (a certificate of the organisation's own).
    """
    ca_path = config.ca_cert_path
    if given is None and ca_path is None:
        return Check.skipped(
            "tls certificate",
            "no certificate is configured (server.ca_cert is empty); "
            "check one given to nginx with --certificate FILE",
        )
    path = given or ca_path.parent / SERVER_CERT  # type: ignore[union-attr]
    certificate = _load_certificate(path)
    if isinstance(certificate, str):
        return Check.failed("tls certificate", certificate)
    problems = _validity_problems(certificate, "it", now)
    missing = [name for name in config.site.hostnames if not _covers(certificate, name)]
    if missing:
        problems.append(f"it does not cover {', '.join(missing)}")
    if given is None and ca_path is not None:
        problems += _authority_problems(certificate, path.parent, ca_path, now)
    if problems:
        return Check.failed("tls certificate", f"{path}: " + "; ".join(problems))
    until = certificate.not_valid_after_utc
    return Check.passed(
        "tls certificate",
        f"{path} covers every host name and is valid until {until:%Y-%m-%d} "
        f"({(until - now).days} days)",
    )
