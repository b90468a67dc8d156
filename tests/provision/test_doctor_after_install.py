"""The issue's "done when": a server install under --root, the admin's first sign-in, and
then `doctor` passes every check against the files the install wrote."""

from __future__ import annotations

import json

from click.testing import CliRunner

from intranet_social.cli import main
from tests.conftest import csrf_from
from tests.provision.conftest import one_time_password, site_of

NEW_PASSWORD = "saffron-meadow-harbour-58"


def _first_sign_in(config, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    with site_of(config) as app:
        client = app.test_client()
        site = {"base_url": "https://localhost"}
        same_site = {"Referer": "https://localhost/"}
        token = csrf_from(client.get("/login", **site).get_data(as_text=True))
        client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": token},
            headers=same_site,
            **site,
        )
        token = csrf_from(client.get("/account/password", **site).get_data(as_text=True))
        answer = client.post(
            "/account/password",
            data={
                "csrf_token": token,
                "current_password": password,
                "new_password": NEW_PASSWORD,
                "new_password_confirm": NEW_PASSWORD,
            },
            headers=same_site,
            **site,
        )
        assert answer.status_code == 302


def test_doctor_passes_on_a_fresh_server_install_once_the_admin_chose_a_password(box):
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "install",
            "--root",
            str(box.root),
            "--hostname",
            "localhost",
            "--ip",
            "127.0.0.1",
            "--yes",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    username, password = one_time_password(result)

    before = runner.invoke(main, ["doctor", "--json", "--config", str(box.config)])
    assert before.exit_code == 1
    failed = [c["name"] for c in json.loads(before.stdout)["checks"] if c["result"] == "fail"]
    assert len(failed) == 1, before.stdout  # only the admin's unchanged install password

    _first_sign_in(box.config, username, password)
    after = runner.invoke(main, ["doctor", "--json", "--config", str(box.config)])
    report = json.loads(after.stdout)
    assert after.exit_code == 0, after.stdout + after.stderr
    results = {check["name"]: check["result"] for check in report["checks"]}
    assert "fail" not in results.values(), report
    assert results["hostname localhost"] == "pass"
    assert results["tls certificate"] == "pass"
