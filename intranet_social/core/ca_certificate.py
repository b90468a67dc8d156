"""``GET /ca.crt``: the site's own certificate authority, for employees to trust.

Installing it once makes browsers trust the site's certificate, and every later one the
installer issues. No login needed: the certificate is public, and a computer fetches it
before it can trust the site.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app
from werkzeug.wrappers import Response

from intranet_social.extensions import limiter

bp = Blueprint("tls", __name__)


@bp.get("/ca.crt")
@limiter.exempt
def ca_certificate() -> Response:
    path = current_app.config["SOCIAL_CONFIG"].ca_cert_path
    try:
        certificate = path.read_bytes() if path is not None else None
    except OSError:
        certificate = None
    if certificate is None:
        abort(404, description="This site has no certificate authority of its own.")
    return Response(
        certificate,
        mimetype="application/x-x509-ca-cert",
        headers={
            "Content-Disposition": 'attachment; filename="intranet-social-ca.crt"',
            "Cache-Control": "public, max-age=3600",
        },
    )
