"""The JSON shape of a coming birthday (see :mod:`intranet_social.core.resource`)."""

from __future__ import annotations

from intranet_social.accounts.resources import MONTH_DAY
from intranet_social.core.resource import prop, resource
from intranet_social.friends.resources import Person


@resource("Someone's coming birthday.")
class Birthday:
    user: Person
    date: str = prop(
        "The birthday, MM-DD; the year is private and never shown. A 02-29 birthday is "
        "celebrated on 28 February in other years.",
        pattern=MONTH_DAY,
    )
    is_today: bool = prop("Celebrated today, in the site's time zone.")
    days_until: int = prop(minimum=0, maximum=59)
    can_greet: bool = prop("Whether the caller may greet them: friends only.")
