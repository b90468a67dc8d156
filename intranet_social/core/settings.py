"""Access to the running site's configuration from services."""

from flask import current_app

from intranet_social.config import Config


def current_config() -> Config:
    """The :class:`Config` the running app was created with."""
    config: Config = current_app.config["SOCIAL_CONFIG"]
    return config
