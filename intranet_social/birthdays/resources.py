"""The JSON shapes of a coming birthday and work anniversary (see
:mod:`intranet_social.core.resource`)."""

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


@resource("Someone's coming work anniversary.")
class Anniversary:
    user: Person
    date: str = prop(
        "The start date's month and day, MM-DD. A 02-29 start is celebrated on 28 February "
        "in other years.",
        pattern=MONTH_DAY,
    )
    years: int = prop("Whole years worked here on that day.", minimum=1)
    is_today: bool = prop("Celebrated today, in the site's time zone.")
    days_until: int = prop(minimum=0, maximum=59)
    can_congratulate: bool = prop(
        "Whether the caller may congratulate them: friends only.", source="can_greet"
    )
