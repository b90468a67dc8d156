"""Access to the running site's configuration from services, and what it implies."""

from flask import current_app

from intranet_social.config import Config

MEGABYTE = 1024 * 1024
#: room for a form's other fields on top of the largest upload
UPLOAD_OVERHEAD = MEGABYTE
#: the most photos one request may carry: as many as one post takes (``posts.service.MAX_PHOTOS``)
PHOTOS_PER_REQUEST = 10


def current_config() -> Config:
    """The :class:`Config` the running app was created with."""
    config: Config = current_app.config["SOCIAL_CONFIG"]
    return config


def largest_request(config: Config) -> int:
    """Bytes of the largest request body the app accepts: ten photos or one video, and the
    form's other fields. nginx's limit (rendered by the installer) is set from it too."""
    largest_upload = max(config.media.max_image_mb * PHOTOS_PER_REQUEST, config.media.max_video_mb)
    return largest_upload * MEGABYTE + UPLOAD_OVERHEAD
