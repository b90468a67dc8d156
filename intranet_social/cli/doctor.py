"""``intranet-social doctor``: is this site set up right and safe to run?"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from intranet_social.cli.runtime import CliError, config_option, config_path, echo_json
from intranet_social.ops.checks import Check, Outcome
from intranet_social.ops.doctor import run_doctor

HEADER = ("CHECK", "RESULT", "DETAILS")


def _echo_table(checks: list[Check]) -> None:
    width = max(len(HEADER[0]), *(len(check.name) for check in checks))
    click.echo(f"{HEADER[0]:<{width}}  {HEADER[1]:<6}  {HEADER[2]}")
    for check in checks:
        click.echo(f"{check.name:<{width}}  {check.outcome.value:<6}  {check.detail}")


def _summary(counts: Counter[Outcome]) -> str:
    return (
        f"{counts[Outcome.PASSED]} passed, {counts[Outcome.FAILED]} failed, "
        f"{counts[Outcome.WARNING]} warnings, {counts[Outcome.SKIPPED]} skipped"
    )


@click.command()
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option(
    "--certificate",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A PEM certificate to check instead of the one the installer made (--tls CERT:KEY).",
)
def doctor(as_json: bool, certificate: Path | None) -> None:
    """Check the configuration, database, media folder, DNS names, TLS and accounts.

    Exits with status 1 when any check fails; warnings and skipped checks do not.
    """
    checks = run_doctor(config_path(), certificate)
    counts = Counter(check.outcome for check in checks)
    failed = [check.name for check in checks if check.outcome is Outcome.FAILED]
    if as_json:
        echo_json(
            {
                "ok": not failed,
                "checks": [check.as_dict() for check in checks],
                "summary": {outcome.value: counts[outcome] for outcome in Outcome},
            }
        )
    else:
        _echo_table(checks)
        click.echo(_summary(counts))
    if failed:
        raise CliError(
            f"{len(failed)} check{'s' if len(failed) > 1 else ''} failed: {', '.join(failed)}"
        )
