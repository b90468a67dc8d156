"""The JSON shape of the friend request lists (see :mod:`intranet_social.core.resource`)."""

from __future__ import annotations

from intranet_social.core.resource import resource
from intranet_social.profiles.resources import FriendRequest


@resource("Open requests to the caller and from the caller, newest first.")
class FriendRequests:
    incoming: list[FriendRequest]
    outgoing: list[FriendRequest]
