"""The JSON shape of the site settings in API answers (see :mod:`intranet_social.core.resource`);
a change names some of the same fields."""

from __future__ import annotations

from intranet_social.config import REGISTRATION_MODES
from intranet_social.core.resource import prop, resource
from intranet_social.site_settings.service import AUDIENCES, MESSAGING_MODES, SPACE_CREATION


@resource("The settings in effect.")
class SiteSettings:
    site_name: str = prop(minLength=1, maxLength=100)
    registration: str = prop(enum=list(REGISTRATION_MODES))
    email_domains: list[str]
    messaging: str = prop(enum=list(MESSAGING_MODES))
    default_audience: str = prop(enum=list(AUDIENCES))
    space_creation: str = prop("Who may create spaces.", enum=list(SPACE_CREATION))
    max_image_mb: int = prop(minimum=1, maximum=100)
    max_video_mb: int = prop(minimum=1, maximum=4096)
