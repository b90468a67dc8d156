"""``GET /ca.crt`` on sites with and without a certificate authority of their own."""

from __future__ import annotations

import pytest

from intranet_social import create_app
from intranet_social.config import load_config
from tests.conftest import write_config

PEM = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def test_site_without_its_own_authority_answers_not_found(client):
    response = client.get("/ca.crt")

    assert response.status_code == 404
    assert "no certificate authority" in response.get_data(as_text=True)


@pytest.mark.parametrize("present", [True, False])
def test_anyone_gets_the_configured_authority_or_a_clear_not_found(tmp_path, present):
    if present:
        (tmp_path / "tls").mkdir()
        (tmp_path / "tls" / "ca.crt").write_bytes(PEM)
    config = load_config(write_config(tmp_path, server={"ca_cert": "tls/ca.crt"}), environ={})
    client = create_app(config).test_client()

    response = client.get("/ca.crt")

    if present:
        assert response.status_code == 200
        assert response.data == PEM
        assert response.headers["Content-Disposition"].startswith("attachment;")
    else:
        assert response.status_code == 404
