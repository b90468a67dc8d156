"""Rendering the files a box needs from the templates in ``provision/templates``.

Those templates (systemd, nginx, DNS formats) are the single source of these files: the
installer renders them, and they ship inside the package so an offline box has them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from intranet_social.config import Config
from intranet_social.core.about import PACKAGE_DIR
from intranet_social.core.settings import MEGABYTE, largest_request
from intranet_social.provision.processes import (
    BIRTHDAYS_TIMER,
    BIRTHDAYS_UNIT,
    SINGLE_UNIT,
    TARGET_UNIT,
    TEMPLATE_UNIT,
    ProcessLayout,
)

#: nginx's own request limit stays a little above the app's, so the app answers with its message
BODY_SIZE_MARGIN_MB = 1
#: nginx's variable for the Host the browser asked for
NGINX_HOST = "$host"
#: the nginx upstream block that lists several app processes
UPSTREAM_NAME = "intranet_social"

_environment = Environment(
    loader=PackageLoader("intranet_social.provision", "templates"),
    autoescape=False,  # noqa: S701 - configuration files, not HTML
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(template: str, **context: Any) -> str:
    return _environment.get_template(template).render(**context)


def upload_limit_mb(config: Config) -> int:
    """Megabytes of request body nginx must let through: the app's own limit plus a margin.

    The app accepts up to ten photos or one video per request (``largest_request``).
    """
    return math.ceil(largest_request(config) / MEGABYTE) + BODY_SIZE_MARGIN_MB


@dataclass(frozen=True)
class SiteTls:
    """Where nginx finds the certificate and key; ``None`` serves plain HTTP only."""

    certificate: PurePosixPath
    key: PurePosixPath
    #: whether the site offers its own authority's certificate at /ca.crt
    serves_ca: bool


def render_nginx_site(
    config: Config, server_names: list[str], tls: SiteTls | None, layout: ProcessLayout
) -> str:
    return render(
        "nginx/intranet-social.conf",
        server_names=server_names,
        tls=tls is not None,
        serve_ca=bool(tls and tls.serves_ca),
        certificate=tls.certificate if tls else "",
        certificate_key=tls.key if tls else "",
        https_redirect=f"https://{NGINX_HOST}$request_uri",
        app_servers=layout.app_servers,
        upstream_name=UPSTREAM_NAME,
        proxy_target=f"http://{UPSTREAM_NAME if layout.several else layout.app_servers[0]}",
        client_max_body_size=f"{upload_limit_mb(config)}m",
        static_dir=f"{PACKAGE_DIR / 'static'}/",
    )


def render_systemd_units(
    layout: ProcessLayout,
    *,
    executable: str,
    config_path: PurePosixPath,
    data_dir: PurePosixPath,
    writable_paths: list[PurePosixPath],
    service_user: str,
) -> dict[str, str]:
    """The unit files that run ``layout``'s processes, and the birthday notices' timer and
    its service, by file name."""
    serve = f"{executable} serve --config {config_path}"
    shared = {
        "data_dir": data_dir,
        "writable_paths": [str(path) for path in writable_paths],
        "service_user": service_user,
    }
    notify = f"{executable} birthdays notify --config {config_path}"
    timer = {
        BIRTHDAYS_UNIT: render(f"systemd/{BIRTHDAYS_UNIT}", exec_start=notify, **shared),
        BIRTHDAYS_TIMER: render(f"systemd/{BIRTHDAYS_TIMER}"),
    }
    if not layout.several:
        return {SINGLE_UNIT: render(f"systemd/{SINGLE_UNIT}", exec_start=serve, **shared), **timer}
    instance = f"{serve} --listen {layout.listen_host}:%i"
    return {
        TEMPLATE_UNIT: render(f"systemd/{TEMPLATE_UNIT}", exec_start=instance, **shared),
        TARGET_UNIT: render(f"systemd/{TARGET_UNIT}", instances=layout.instances),
        **timer,
    }
