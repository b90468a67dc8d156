"""Schemathesis against the live app: every documented operation, generated inputs.

The app runs in-process (WSGI) on a migrated database of its own for each operation.
Schemathesis acts as an admin with an admin-scope token, so it reaches every operation, and
checks that nothing answers 5xx, that every status and content type is documented and that
every answer matches its schema.

The examples of one operation share its database. Schemathesis may guess the acting admin's
username or token id, and one disable, password reset or revoke aimed at them would leave
every later example testing only 401/403 answers; such examples are skipped. Every other
account and token is fair game, and the last-admin guard keeps an admin active anyway.
The happy paths of the admin actions, which random usernames rarely reach, are validated
against the document by the tests in test_admin.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from intranet_social.accounts import tokens
from intranet_social.accounts.models import User
from intranet_social.api.openapi import build_document
from intranet_social.extensions import db

#: examples per operation and phase; the whole run stays well under a minute on two cores
MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

SCHEMA = schemathesis.openapi.from_dict(
    build_document(),
    config=schemathesis.Config.from_dict(
        {
            # Deterministic, so a run is repeatable; no example database written to disk.
            "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
            "phases": {"stateful": {"enabled": False}},
        }
    ),
)


@dataclass(frozen=True)
class Acting:
    username: str
    token_id: int
    authorization: str

    def is_target_of(self, case: schemathesis.Case) -> bool:
        params = case.path_parameters or {}
        return str(params.get("username", "")).lower() == self.username or str(
            params.get("token_id", "")
        ) == str(self.token_id)


@pytest.fixture
def acting(admin: User) -> Acting:
    new = tokens.create_token(admin, name="schemathesis", scope="admin")
    db.session.commit()
    return Acting(admin.username, new.token.id, f"Bearer {new.secret}")


@SCHEMA.parametrize()
# The examples of an operation share one database on purpose (see the module docstring).
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_operation_answers_as_documented(
    case: schemathesis.Case, app: Flask, acting: Acting
) -> None:
    if acting.is_target_of(case):
        return
    case.call_and_validate(app=app, headers={"Authorization": acting.authorization}, checks=CHECKS)
