"""Certificates made in memory for the doctor's TLS checks."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class Pair:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    def write(self, folder: Path, stem: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{stem}.crt").write_bytes(
            self.certificate.public_bytes(serialization.Encoding.PEM)
        )
        (folder / f"{stem}.key").write_bytes(
            self.key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def authority(common_name: str = "Test CA") -> Pair:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    return Pair(certificate, key)


def server(
    issuer: Pair,
    names: Sequence[str],
    *,
    valid_for: timedelta = timedelta(days=400),
    valid_from: timedelta = timedelta(days=-1),
) -> Pair:
    """A server certificate for ``names`` (host names and addresses) signed by ``issuer``."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    alternatives: list[x509.GeneralName] = []
    for name in names:
        try:
            alternatives.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alternatives.append(x509.DNSName(name))
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(names[0]))
        .issuer_name(issuer.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + valid_from)
        .not_valid_after(now + valid_for)
        .add_extension(x509.SubjectAlternativeName(alternatives), critical=False)
        .sign(issuer.key, hashes.SHA256())
    )
    return Pair(certificate, key)
