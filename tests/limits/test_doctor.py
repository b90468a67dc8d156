"""``doctor`` says whether the Redis that keeps the rate limits answers."""

from __future__ import annotations

import json

from click.testing import CliRunner

from intranet_social.cli import main
from tests.conftest import write_config
from tests.limits.conftest import free_port, site_name
from tests.redis_server import answering_redis


def rate_limits_verdict(config) -> tuple[str, str, int]:
    result = CliRunner().invoke(main, ["doctor", "--json", "--config", str(config)])
    [check] = [c for c in json.loads(result.stdout)["checks"] if c["name"] == "rate limits"]
    return check["result"], check["detail"], result.exit_code


def test_doctor_passes_a_redis_that_answers_and_names_the_sites_keys(tmp_path):
    redis_url = answering_redis()
    name = site_name()
    config = write_config(tmp_path, site={"hostnames": [name]}, limits={"storage_uri": redis_url})

    result, detail, _exit_code = rate_limits_verdict(config)

    assert result == "pass"
    assert detail == f"shared through Redis at {redis_url}, under keys intranet-social:{name}:*"


def test_doctor_fails_a_redis_that_does_not_answer_and_hides_its_password(tmp_path):
    uri = f"redis://:hunter2-redis-pass@127.0.0.1:{free_port()}/0"
    config = write_config(tmp_path, limits={"storage_uri": uri})

    result, detail, exit_code = rate_limits_verdict(config)

    assert result == "fail" and exit_code == 1
    assert (
        "cannot reach Redis at redis://" in detail
        and "each app process keeps its own limits" in detail
    )
    assert "hunter2-redis-pass" not in detail and ":***@127.0.0.1" in detail


def test_doctor_passes_memory_limits_for_one_process(tmp_path):
    config = write_config(tmp_path, limits={"storage_uri": "memory://"})

    result, detail, _exit_code = rate_limits_verdict(config)

    assert (result, detail) == ("pass", "kept in the app process's memory (for one app process)")
