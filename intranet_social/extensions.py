"""Every Flask extension singleton, initialised by :func:`intranet_social.create_app`."""

from typing import TYPE_CHECKING

from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from intranet_social.core.models import Base

db = SQLAlchemy(model_class=Base)

# The class every model derives from. ``db.Model`` is built when ``db`` is, from ``Base``'s
# bases and body, and type checkers cannot take an attribute for a base class; to them the
# models derive from ``Base``, whose registry and metadata ``db.Model`` shares.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()


def _client_address() -> str:
    return get_remote_address() or request.remote_addr or "unknown"


limiter = Limiter(key_func=_client_address, headers_enabled=True)
