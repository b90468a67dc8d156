"""``scripts/bench``: the real server, signed in through the form, and one JSON line last."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import STRONG_PASSWORD
from tests.scripts.conftest import TINY, Seeded, assert_one_error_line, run_script, scalar

REQUIRED = (
    "posts", "baseline_rps", "feed_rps", "feed_p50_ms", "feed_p99_ms", "feed_ratio", "errors",
    "rss_mb", "space_p50_ms", "space_to_feed_p50",
)  # fmt: skip
SCENARIOS = (
    "baseline", "feed", "feed_page10", "space", "profile", "api_feed", "search", "messages_poll",
)  # fmt: skip
QUICK = ("--duration", "0.3", "--warmup", "0", "--concurrency", "3", "--threads", "2")


@pytest.fixture
def site(seeded: Seeded, tmp_path: Path) -> Seeded:
    """A copy of the seeded database: signing in and making tokens write to it."""
    copy = tmp_path / "company.db"
    shutil.copyfile(seeded.path, copy)
    return Seeded(copy, seeded.result)


@pytest.mark.slow
def test_bench_measures_every_scenario_and_ends_with_one_json_line(site):
    tokens_before = scalar(site.path, "SELECT count(*) FROM api_tokens")

    result = run_script(
        "bench", "--database", site.url, "--password", STRONG_PASSWORD, "--people", "2", *QUICK
    )

    *table, last = result.stdout.splitlines()
    figures = json.loads(last)
    assert set(REQUIRED) <= set(figures)
    assert figures["posts"] == TINY["posts"]
    assert figures["errors"] == sum(figures[f"{name}_errors"] for name in SCENARIOS)
    assert result.returncode == (1 if figures["errors"] else 0), result.stderr
    assert figures["baseline_errors"] == 0 and figures["baseline_rps"] > 0
    if figures["feed_rps"]:
        assert figures["feed_ratio"] == pytest.approx(
            figures["feed_rps"] / figures["baseline_rps"], abs=0.001
        )
    assert 20 < figures["rss_mb"] < 2000
    assert figures["baseline_cpu_ms"] > 0 and "feed_cpu_ratio" in figures
    assert table[0].split()[:3] == ["scenario", "path", "req/s"]
    assert [line.split()[0] for line in table[1:]] == list(SCENARIOS)
    assert figures["people"] == 2
    assert "Signed in as 2 people" in result.stderr
    # the seed's benchmark readers, each on the page of the space of theirs with most posts
    assert (figures["friends_each"], figures["spaces_each"]) == (str(TINY["friends"]), "20")
    if figures["space_p50_ms"] and figures["feed_p50_ms"]:
        assert figures["space_to_feed_p50"] == pytest.approx(
            figures["space_p50_ms"] / figures["feed_p50_ms"], abs=0.01
        )
    space_path = table[SCENARIOS.index("space") + 1].split()[1]
    busiest = scalar(
        site.path,
        "SELECT s.slug FROM space_members m JOIN spaces s ON s.id = m.space_id"
        " LEFT JOIN posts p ON p.space_id = s.id WHERE m.user_id = 2"
        " GROUP BY s.id ORDER BY count(p.id) DESC, s.id LIMIT 1",
    )
    assert space_path == f"/s/{busiest}"
    # each person made a token on the account page and signed in once
    assert scalar(site.path, "SELECT count(*) FROM api_tokens") == tokens_before + 2
    assert scalar(site.path, "SELECT count(DISTINCT user_id) FROM user_sessions") == 2


@pytest.mark.slow
def test_bench_runs_only_the_chosen_scenarios(site):
    result = run_script(
        "bench", "--database", site.url, "--password", STRONG_PASSWORD, *QUICK,
        "--scenario", "baseline", "--username", "site.admin",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.splitlines()[-1])
    assert figures["baseline_errors"] == 0
    assert figures["feed_rps"] is None and "feed_errors" not in figures
    assert figures["people"] == 1 and "Signed in as 1 person: site.admin." in result.stderr


@pytest.mark.slow
def test_bench_stops_with_one_line_when_the_password_is_wrong(site):
    result = run_script("bench", "--database", site.url, "--password", "not-the-password", *QUICK)

    assert_one_error_line(result, "signing in as", "failed (HTTP 422)", "scripts/seed")
    assert result.stdout == ""


def test_bench_needs_exactly_one_of_config_and_database(tmp_path):
    neither = run_script("bench", "--password", STRONG_PASSWORD)
    empty = run_script("bench", "--database", f"sqlite:///{tmp_path / 'empty.db'}",
                       "--password", STRONG_PASSWORD)  # fmt: skip

    assert_one_error_line(neither, "--config PATH or --database URL")
    assert_one_error_line(empty, "cannot read the database")
