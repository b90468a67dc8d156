"""The OpenAPI 3.1 document describing ``/api/v1``."""

from flask import jsonify
from werkzeug.wrappers import Response

from intranet_social.api import bp


@bp.get("/openapi.json")
def openapi_document() -> Response:
    return jsonify(
        {"openapi": "3.1.0", "info": {"title": "Intranet Social", "version": "1"}, "paths": {}}
    )
