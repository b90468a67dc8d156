"""The site's own certificate authority and the server certificate it signs.

The authority is made once and kept: employees install its certificate (offered at
``/ca.crt``) once, and every later server certificate, for new names or a new address, is
trusted at once. The server certificate is re-issued only when its names or address change,
it no longer chains to the authority, or it expires within 30 days.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import (
    CertificateIssuerPrivateKeyTypes,
    PrivateKeyTypes,
)
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from intranet_social.core.errors import Invalid

CA_CERT = "ca.crt"
CA_KEY = "ca.key"
SERVER_CERT = "server.crt"
SERVER_KEY = "server.key"
CA_LIFETIME = timedelta(days=3650)
#: the longest lifetime browsers accept for a certificate from a locally trusted authority
SERVER_LIFETIME = timedelta(days=825)
RENEW_BEFORE = timedelta(days=30)


@dataclass(frozen=True)
class CertificatePlan:
    """What the TLS folder needs: the files to (re)write, and why."""

    #: file name -> new PEM content; only the files that change
    files: dict[str, bytes] = field(default_factory=dict)
    ca_certificate: x509.Certificate | None = None
    reasons: tuple[str, ...] = ()

    @property
    def ca_fingerprint(self) -> str:
        assert self.ca_certificate is not None
        digest = self.ca_certificate.fingerprint(hashes.SHA256())
        return ":".join(f"{byte:02X}" for byte in digest)


def _new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _cert_pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


SIGNING_KEYS = (
    ec.EllipticCurvePrivateKey,
    rsa.RSAPrivateKey,
    ed25519.Ed25519PrivateKey,
    ed448.Ed448PrivateKey,
)


def _same_key(certificate: x509.Certificate, key: PrivateKeyTypes) -> bool:
    return key.public_key() == certificate.public_key()


def subject_alternative_names(names: Sequence[str], ip: str) -> list[x509.GeneralName]:
    """The names a server certificate must cover: every host name, then the address."""
    return [
        *(x509.DNSName(name) for name in names),
        x509.IPAddress(ipaddress.ip_address(ip)),
    ]


def _make_ca(
    key: ec.EllipticCurvePrivateKey, site_name: str, canonical: str, now: datetime
) -> x509.Certificate:
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, site_name[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{site_name} CA for {canonical}"[:64]),
        ]
    )
    public = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + CA_LIFETIME)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    return certificate


def _make_server(
    names: Sequence[str],
    ip: str,
    ca_key: CertificateIssuerPrivateKeyTypes,
    ca: x509.Certificate,
    now: datetime,
) -> tuple[bytes, bytes]:
    key = _new_key()
    public = key.public_key()
    ca_identifier = ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
        .issuer_name(ca.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(min(now + SERVER_LIFETIME, ca.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.SubjectAlternativeName(subject_alternative_names(names, ip)), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_identifier),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return _key_pem(key), _cert_pem(certificate)


def _read_pair(
    folder: Path, cert_name: str, key_name: str
) -> tuple[x509.Certificate, PrivateKeyTypes] | None:
    """The certificate and key kept in ``folder``, ``None`` when neither is there."""
    cert_path, key_path = folder / cert_name, folder / key_name
    if not cert_path.exists() and not key_path.exists():
        return None
    try:
        certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise Invalid(
            f"the certificate {cert_path} or its key {key_path} cannot be used ({exc}); "
            "move both away to have new ones made",
            "--tls",
        ) from None
    if not _same_key(certificate, key):
        raise Invalid(
            f"the key {key_path} does not belong to the certificate {cert_path}; "
            "move both away to have new ones made",
            "--tls",
        )
    return certificate, key


def _covered_names(certificate: x509.Certificate) -> set[str]:
    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return set()
    return {name.lower() for name in names.get_values_for_type(x509.DNSName)} | {
        str(address) for address in names.get_values_for_type(x509.IPAddress)
    }


def _server_problem(
    certificate: x509.Certificate, ca: x509.Certificate, wanted: set[str], now: datetime
) -> str | None:
    try:
        certificate.verify_directly_issued_by(ca)
    except (ValueError, TypeError, InvalidSignature):
        return "the server certificate was not signed by the site's authority"
    if _covered_names(certificate) != wanted:
        return "the server certificate's names or address changed"
    if certificate.not_valid_after_utc - now < RENEW_BEFORE:
        return "the server certificate expires within 30 days"
    return None


def plan_certificates(
    folder: Path, names: Sequence[str], ip: str, site_name: str, now: datetime | None = None
) -> CertificatePlan:
    """What to write in ``folder`` (on disk) so the server certificate covers ``names`` and ``ip``.

    Nothing is written here; existing files are only read.
    """
    now = now or datetime.now(UTC)
    files: dict[str, bytes] = {}
    reasons: list[str] = []
    kept_ca = _read_pair(folder, CA_CERT, CA_KEY)
    if kept_ca is not None and kept_ca[0].not_valid_after_utc - now < RENEW_BEFORE:
        raise Invalid(
            f"the site's certificate authority {folder / CA_CERT} expires within 30 days; "
            "move ca.crt and ca.key away to have a new one made (employees must trust it again)",
            "--tls",
        )
    if kept_ca is None:
        new_ca_key = _new_key()
        ca = _make_ca(new_ca_key, site_name, names[0], now)
        ca_key: PrivateKeyTypes = new_ca_key
        files[CA_KEY], files[CA_CERT] = _key_pem(new_ca_key), _cert_pem(ca)
        reasons.append("made the site's certificate authority")
    else:
        ca, ca_key = kept_ca
    if not isinstance(ca_key, SIGNING_KEYS):
        raise Invalid(f"the key {folder / CA_KEY} cannot sign certificates", "--tls")
    kept_server = _read_pair(folder, SERVER_CERT, SERVER_KEY)
    wanted = {name.lower() for name in names} | {str(ipaddress.ip_address(ip))}
    problem = (
        "there was no server certificate"
        if kept_server is None
        else _server_problem(kept_server[0], ca, wanted, now)
    )
    if problem:
        files[SERVER_KEY], files[SERVER_CERT] = _make_server(names, ip, ca_key, ca, now)
        reasons.append(f"issued a new server certificate: {problem}")
    return CertificatePlan(files, ca, tuple(reasons))


def check_certificate_pair(cert_path: Path, key_path: Path) -> x509.Certificate:
    """The certificate of a ``--tls CERT:KEY`` pair after checking both files belong together."""
    for path in (cert_path, key_path):
        if not path.is_file():
            raise Invalid(f"{path} is not a file; give --tls CERT:KEY as two PEM files", "--tls")
    try:
        certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
    except (OSError, ValueError) as exc:
        raise Invalid(f"{cert_path} is not a PEM certificate ({exc})", "--tls") from None
    try:
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise Invalid(
            f"{key_path} is not an unencrypted PEM private key ({exc})", "--tls"
        ) from None
    if not _same_key(certificate, key):
        raise Invalid(f"the key {key_path} does not belong to the certificate {cert_path}", "--tls")
    return certificate


def uncovered_names(certificate: x509.Certificate, names: Sequence[str], ip: str) -> list[str]:
    """The host names and address a given certificate does not cover."""
    covered = _covered_names(certificate)

    def is_covered(name: str) -> bool:
        wildcard = "*." + name.partition(".")[2]
        return name.lower() in covered or ("." in name and wildcard.lower() in covered)

    return [name for name in [*names, ip] if not is_covered(name)]
