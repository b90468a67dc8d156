"""The home page. The social core fills it with the feed; until then it greets and guides."""

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("feed", __name__, template_folder="templates")


@bp.get("/")
@login_required
def home() -> str:
    return render_template("feed/home.html")
