"""Ready-to-paste DNS records for the site's names, in the formats organisations run.

The first host name is the canonical one: it gets the address record, the others point at
it (CNAME) where the format has aliases. A short name such as ``social`` is taken to live in
the canonical name's domain, which computers reach through their DNS search suffix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from intranet_social.provision.rendering import render

#: file written beside the configuration -> template
DNS_FILES = {
    "bind.zone": "dns/bind.zone",
    "dnsmasq.conf": "dns/dnsmasq.conf",
    "unbound.conf": "dns/unbound.conf",
    "windows-dns.ps1": "dns/windows-dns.ps1",
    "hosts.txt": "dns/hosts",
}


@dataclass(frozen=True)
class Record:
    owner: str
    kind: str
    value: str


@dataclass(frozen=True)
class WindowsRecord:
    zone: str
    name: str
    kind: str
    value: str


def _unique(names: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _absolute(name: str) -> str:
    """A zone-file owner: complete (ending in a dot) when it has a domain, else relative."""
    return f"{name}." if "." in name else name


def _context(names: Sequence[str], ip: str) -> dict[str, object]:
    canonical = names[0]
    domain = canonical.partition(".")[2]
    dotted = {name for name in names if "." in name}
    skipped = [
        name for name in names[1:] if "." not in name and domain and f"{name}.{domain}" in dotted
    ]
    qualified = _unique(
        [
            name if "." in name or not domain else f"{name}.{domain}"
            for name in names
            if name not in skipped
        ]
    )
    bind_records = [Record(_absolute(qualified[0]), "A", ip)] + [
        Record(_absolute(alias), "CNAME", _absolute(qualified[0])) for alias in qualified[1:]
    ]
    windows_records = [
        WindowsRecord(
            f'"{name.partition(".")[2]}"' if "." in name else "$Zone",
            name.partition(".")[0],
            "A" if index == 0 else "CNAME",
            ip if index == 0 else qualified[0],
        )
        for index, name in enumerate(qualified)
    ]
    return {
        "canonical": canonical,
        "canonical_fqdn": qualified[0],
        "domain": domain,
        "ip": ip,
        "bind_records": bind_records,
        "skipped_short_names": skipped,
        "windows_records": windows_records,
        "zone_placeholder": any(record.zone == "$Zone" for record in windows_records),
        "qualified_names": qualified,
        "all_names": _unique([*qualified, *names]),
    }


def render_dns_files(names: Sequence[str], ip: str) -> dict[str, str]:
    """File name -> content of every DNS format, for ``names`` (canonical first) at ``ip``."""
    context = _context(names, ip)
    return {file_name: render(template, **context) for file_name, template in DNS_FILES.items()}
