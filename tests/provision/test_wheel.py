"""The deployment templates ship inside the wheel, so an offline install has them."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import intranet_social

PROJECT = Path(intranet_social.__file__).resolve().parents[1]
TEMPLATES = Path(intranet_social.__file__).resolve().parent / "provision" / "templates"
NO_BUILD_BACKEND = ("No matching distribution found", "Could not find a version")


@pytest.mark.slow
def test_built_wheel_holds_every_deployment_template(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(PROJECT / name, source / name)
    shutil.copytree(
        PROJECT / "intranet_social",
        source / "intranet_social",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path)]
        + [str(source)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if built.returncode != 0 and any(text in built.stderr for text in NO_BUILD_BACKEND):
        pytest.skip("the build backend (setuptools) cannot be fetched here")
    assert built.returncode == 0, built.stderr
    [wheel] = tmp_path.glob("intranet_social-*.whl")

    shipped = set(zipfile.ZipFile(wheel).namelist())

    templates = {
        f"intranet_social/provision/templates/{path.relative_to(TEMPLATES).as_posix()}"
        for path in TEMPLATES.rglob("*")
        if path.is_file()
    }
    assert "intranet_social/provision/templates/systemd/intranet-social.service" in templates
    assert "intranet_social/provision/templates/nginx/intranet-social.conf" in templates
    assert "intranet_social/provision/templates/dns/bind.zone" in templates
    assert templates <= shipped, sorted(templates - shipped)


def test_deploy_folder_shows_the_packaged_templates_not_a_copy():
    assert (PROJECT / "deploy" / "templates").resolve() == TEMPLATES
    assert (PROJECT / "deploy" / "README.md").is_file()
