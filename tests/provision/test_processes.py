"""``install --processes N``: a systemd template unit with one instance per port, a target
starting exactly those, an nginx upstream listing them, and Redis for the shared limits."""

from __future__ import annotations

import tomllib

import pytest

from tests.cli.conftest import assert_user_error
from tests.limits.conftest import free_port
from tests.provision.test_checkers import nginx_test, program, run
from tests.redis_server import answering_redis

UNITS = "/etc/systemd/system"


@pytest.fixture
def redis_url() -> str:
    return answering_redis()


#: written by every install, whatever the layout: the birthday notices' timer and its service
BIRTHDAY_UNITS = {"intranet-social-birthdays.service", "intranet-social-birthdays.timer"}


def units_of(box) -> set[str]:
    folder = box.path(UNITS)
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if not path.is_dir()}


def target_wants(box) -> list[str]:
    target = box.path(f"{UNITS}/intranet-social.target").read_text(encoding="utf-8")
    [line] = [line for line in target.splitlines() if line.startswith("Wants=")]
    return line.removeprefix("Wants=").split()


def service_section(unit: str) -> list[str]:
    """The [Service] lines of a unit, without its ExecStart."""
    lines = unit.split("[Service]\n", 1)[1].split("\n[Install]", 1)[0].splitlines()
    return [line for line in lines if not line.startswith("ExecStart=")]


def test_three_processes_get_a_hardened_template_a_target_and_an_upstream(
    install, box, redis_url, tmp_path
):
    result = install("--processes", "3", "--limits-storage", redis_url)

    assert result.exit_code == 0, result.output
    assert units_of(box) == {"intranet-social@.service", "intranet-social.target", *BIRTHDAY_UNITS}
    assert target_wants(box) == [
        "intranet-social@8080.service",
        "intranet-social@8081.service",
        "intranet-social@8082.service",
    ]
    template = box.path(f"{UNITS}/intranet-social@.service").read_text(encoding="utf-8")
    exec_line = next(line for line in template.splitlines() if line.startswith("ExecStart="))
    assert exec_line.endswith(
        " serve --config /etc/intranet-social/config.toml --listen 127.0.0.1:%i"
    )
    assert "\nPartOf=intranet-social.target\n" in template
    # The same hardening as the single unit, line for line.
    other = tmp_path / "single"
    other.mkdir()
    single = install("--root", str(other))
    assert single.exit_code == 0, single.output
    unit = (other / UNITS.lstrip("/") / "intranet-social.service").read_text(encoding="utf-8")
    assert service_section(template) == service_section(unit)
    assert "ProtectSystem=strict" in service_section(template)
    config = tomllib.loads(box.config.read_text(encoding="utf-8"))
    assert config["limits"]["storage_uri"] == redis_url
    site = box.site.read_text(encoding="utf-8")
    upstream = site.split("upstream intranet_social {\n", 1)[1].split("}", 1)[0]
    assert upstream.split("\n") == [
        "    least_conn;",
        "    server 127.0.0.1:8080;",
        "    server 127.0.0.1:8081;",
        "    server 127.0.0.1:8082;",
        "    keepalive 16;",
        "",
    ]
    assert site.count("proxy_pass http://intranet_social;") == 2
    assert site.count("proxy_http_version 1.1;") == 2
    assert site.count('proxy_set_header Connection "";') == 2
    assert "systemctl enable --now intranet-social.target" in result.stdout
    assert "it runs 3 app processes" in result.stdout


def test_nginx_accepts_the_site_with_its_upstream(install, box, redis_url, tmp_path):
    assert install("--processes", "4", "--limits-storage", redis_url).exit_code == 0

    checked = nginx_test(box, tmp_path)

    assert checked.returncode == 0, checked.stderr


def test_systemd_accepts_the_template_its_instances_and_the_target(install, box, redis_url):
    analyze = program("systemd-analyze")
    assert install("--processes", "2", "--limits-storage", redis_url).exit_code == 0
    template = box.path(f"{UNITS}/intranet-social@.service")
    instance = template.with_name("intranet-social@8081.service")
    instance.write_bytes(template.read_bytes())

    for unit in (template, instance, box.path(f"{UNITS}/intranet-social.target")):
        checked = run(analyze, "verify", str(unit))
        assert checked.returncode == 0, checked.stderr
        assert unit.name not in checked.stderr, checked.stderr


def test_rerun_with_or_without_processes_changes_nothing(install, box, redis_url):
    assert install("--processes", "3", "--limits-storage", redis_url).exit_code == 0
    before = box.snapshot()

    for flags in (("--processes", "3"), ()):
        result = install(*flags)
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("Nothing changed:")
        assert box.snapshot() == before


def test_fewer_processes_leave_only_the_remaining_instances_and_name_the_one_to_stop(
    install, box, redis_url
):
    assert install("--processes", "3", "--limits-storage", redis_url).exit_code == 0

    result = install("--processes", "2")

    assert result.exit_code == 0, result.output
    assert target_wants(box) == ["intranet-social@8080.service", "intranet-social@8081.service"]
    site = box.site.read_text(encoding="utf-8")
    assert "server 127.0.0.1:8081;" in site and "8082" not in site
    assert "systemctl stop intranet-social@8082.service &&" in result.stdout
    assert "retired    intranet-social@8082.service" in result.stdout


def test_back_to_one_process_removes_template_target_and_its_enable_link(install, box, redis_url):
    assert install("--processes", "3", "--limits-storage", redis_url).exit_code == 0
    enabled = box.path(f"{UNITS}/multi-user.target.wants/intranet-social.target")
    enabled.parent.mkdir()
    enabled.symlink_to("../intranet-social.target")

    result = install("--processes", "1")

    assert result.exit_code == 0, result.output
    assert units_of(box) == {"intranet-social.service", *BIRTHDAY_UNITS}
    assert not enabled.is_symlink()
    assert f"removed    {enabled}" in result.stdout
    site = box.site.read_text(encoding="utf-8")
    assert "upstream" not in site and site.count("proxy_pass http://127.0.0.1:8080;") == 2
    assert (
        "systemctl stop intranet-social.target intranet-social@8080.service "
        "intranet-social@8081.service intranet-social@8082.service && "
        "systemctl enable --now intranet-social.service intranet-social-birthdays.timer"
    ) in result.stdout


def test_one_process_to_several_removes_the_single_unit_and_its_enable_link(
    install, box, redis_url
):
    assert install().exit_code == 0
    enabled = box.path(f"{UNITS}/multi-user.target.wants/intranet-social.service")
    enabled.parent.mkdir()
    enabled.symlink_to("../intranet-social.service")

    result = install("--processes", "2", "--limits-storage", redis_url)

    assert result.exit_code == 0, result.output
    assert units_of(box) == {"intranet-social@.service", "intranet-social.target", *BIRTHDAY_UNITS}
    assert "systemctl stop intranet-social.service &&" in result.stdout


def test_dry_run_shows_the_units_to_write_remove_and_stop_and_changes_nothing(
    install, box, redis_url
):
    assert install().exit_code == 0
    before = box.snapshot()

    result = install("--dry-run", "--processes", "2", "--limits-storage", redis_url)

    assert result.exit_code == 0, result.output
    assert box.snapshot() == before
    for line in (
        f"new        {box.path(UNITS)}/intranet-social@.service (0644)",
        f"new        {box.path(UNITS)}/intranet-social.target (0644)",
        f"updated    {box.site} (0644)",
        f"updated    {box.config} (0640)",
        f"removed    {box.path(UNITS)}/intranet-social.service",
        "retired    intranet-social.service",
    ):
        assert f"  {line}" in result.stdout, line


def test_several_processes_without_redis_are_refused_and_nothing_changes(install, box):
    assert install().exit_code == 0
    before = box.snapshot()

    result = install("--processes", "2")

    assert_user_error(
        result,
        "--processes: 2 app processes would each keep their own sign-in limits",
        "--limits-storage redis://HOST:6379",
    )
    assert box.snapshot() == before


def test_first_install_of_several_processes_without_redis_writes_nothing(install, box):
    assert_user_error(install("--processes", "3"), "--processes:", "Redis")
    assert not any(box.root.iterdir())


def test_redis_that_does_not_answer_is_refused_before_anything_is_written(install, box):
    uri = f"redis://127.0.0.1:{free_port()}/0"

    result = install("--processes", "2", "--limits-storage", uri)

    assert_user_error(result, f"--limits-storage: cannot reach Redis at {uri}: ")
    assert not any(box.root.iterdir())
