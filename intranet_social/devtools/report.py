"""The benchmark's output: a table for people and one JSON line for scripts."""

from __future__ import annotations

from collections.abc import Mapping

from intranet_social.devtools.load import LoadResult


def summary(
    posts: int, results: dict[str, LoadResult], rss_mb: float, extra: Mapping[str, object]
) -> dict[str, object]:
    """The JSON line: the required figures first, then every scenario's own, then ``extra``."""
    baseline, feed, space = results.get("baseline"), results.get("feed"), results.get("space")
    line: dict[str, object] = {
        "posts": posts,
        "baseline_rps": _round(baseline.rps) if baseline else None,
        "feed_rps": _round(feed.rps) if feed else None,
        "feed_p50_ms": _round(feed.percentile_ms(0.5)) if feed else None,
        "feed_p99_ms": _round(feed.percentile_ms(0.99)) if feed else None,
        "feed_ratio": _ratio(feed.rps if feed else None, baseline.rps if baseline else None),
        # a space's page against the home feed's, same run: the target is at most 1
        "space_p50_ms": _round(space.percentile_ms(0.5)) if space else None,
        "space_to_feed_p50": _ratio(
            space.percentile_ms(0.5) if space else None, feed.percentile_ms(0.5) if feed else None
        ),
        "errors": sum(result.errors for result in results.values()),
        "rss_mb": round(rss_mb, 1),
    }
    for name, result in results.items():
        line[f"{name}_rps"] = _round(result.rps)
        line[f"{name}_p50_ms"] = _round(result.percentile_ms(0.5))
        line[f"{name}_p99_ms"] = _round(result.percentile_ms(0.99))
        line[f"{name}_errors"] = result.errors
        line[f"{name}_cpu_ms"] = _round(result.server_cpu_ms)
    # The same ratio from the server's CPU time per request, which other programs on a
    # shared machine disturb far less than requests per second.
    line["feed_cpu_ratio"] = _ratio(
        baseline.server_cpu_ms if baseline else None, feed.server_cpu_ms if feed else None
    )
    line.update(extra)
    return line


def table(rows: list[tuple[str, str, LoadResult]]) -> str:
    """``rows`` of (scenario, path, result) as a fixed-width table."""
    lines = [
        f"{'scenario':<14} {'path':<32} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}"
        f" {'cpu ms':>7} {'errors':>7}"
    ]
    for name, path, result in rows:
        shown = path if len(path) <= 32 else path[:31] + "…"
        lines.append(
            f"{name:<14} {shown:<32} {result.rps:>8.1f}"
            f" {_cell(result.percentile_ms(0.5)):>8} {_cell(result.percentile_ms(0.99)):>8}"
            f" {_cell(result.server_cpu_ms):>7} {result.errors:>7}"
        )
    return "\n".join(lines)


def _ratio(part: float | None, whole: float | None) -> float | None:
    return round(part / whole, 3) if part is not None and whole else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"
