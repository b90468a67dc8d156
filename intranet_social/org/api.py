"""``GET /users/{username}/reports``: the people who report to someone directly."""

from __future__ import annotations

from flask import Blueprint, g
from werkzeug.wrappers import Response

from intranet_social.core.paging import list_response
from intranet_social.core.resource import to_json
from intranet_social.friends.cards import profile_cards
from intranet_social.friends.resources import Person
from intranet_social.org import service

bp = Blueprint("org", __name__)


@bp.get("/users/<username>/reports")
def list_reports(username: str) -> Response:
    reports = service.direct_reports_of(service.person_named(username))
    return list_response(
        [to_json(Person, card) for card in profile_cards(g.api_user, reports)], None
    )
