"""The org chart pages: ``/org`` (from the people with no manager) and ``/org/<username>``
(a person's chain of command above them and their team below)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from intranet_social.org import service

bp = Blueprint("org", __name__, template_folder="templates")


@bp.get("/org")
@login_required
def show_chart() -> str:
    return render_template("org/chart.html", nodes=service.top_chart(), trail=[], person=None)


@bp.get("/org/<username>")
@login_required
def show_person_chart(username: str) -> str:
    trail, node = service.person_chart(service.person_named(username))
    return render_template("org/chart.html", nodes=[node], trail=trail, person=node.person)
