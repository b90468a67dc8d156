"""What a system install tells the person running it: the plan, the records, the next steps."""

from __future__ import annotations

import shlex
from collections.abc import Iterator

from intranet_social.provision.processes import BIRTHDAYS_TIMER
from intranet_social.provision.system import NGINX_SITE, SystemPlan


def _mode(mode: int) -> str:
    return f"{mode:04o}"


def plan_lines(plan: SystemPlan, *, dry_run: bool) -> Iterator[str]:
    """One line per command, folder and file that the install runs or writes."""
    verb = "would run" if dry_run else "run"
    for command in plan.commands:
        yield f"  {verb:<10} {shlex.join(command)}"
    for folder in plan.changed_folders:
        owner = ":".join(part for part in folder.owner if part) if plan.can_chown else ""
        details = _mode(folder.mode) + (f", owner {owner}" if owner else "")
        yield f"  {'folder':<10} {folder.path} ({details})"
    for planned in plan.files:
        details = _mode(planned.mode)
        if planned.group and plan.can_chown:
            details += f", group {planned.group}"
        yield f"  {planned.status:<10} {planned.path} ({details})"
    for path in plan.removals:
        yield f"  {'removed':<10} {path}"
    for unit in plan.retired_units:
        yield f"  {'retired':<10} {unit} (no longer run: stop it)"


def database_line(plan: SystemPlan) -> str:
    target = plan.database_file or "the PostgreSQL database"
    admin = plan.options.admin
    if plan.database_file is not None and not plan.database_file.exists():
        return (
            f"  would create the database {target} at the newest schema "
            f"and the admin account {admin} with a one-time password"
        )
    action = (
        f"give the admin {admin} a new one-time password"
        if plan.options.reset_admin
        else "create an admin account if there is none"
    )
    return f"  would bring the database {target} to the newest schema and {action}"


def dns_lines(plan: SystemPlan) -> Iterator[str]:
    folder = next(iter(plan.dns_files.values())).parent
    yield f"DNS records for your DNS server (also in {folder}):"
    for name, path in plan.dns_files.items():
        yield ""
        yield f"--- {name} ---"
        yield from path.read_text(encoding="utf-8").rstrip("\n").splitlines()


def _config_flag(plan: SystemPlan) -> str:
    return f" --config {shlex.quote(str(plan.options.on_disk(plan.options.config)))}"


def next_steps(plan: SystemPlan, admin: str, one_time_password: bool) -> Iterator[str]:
    canonical = plan.names[0]
    options = plan.options
    tls = options.tls.mode != "none"
    site_url = f"https://{canonical}/" if tls else f"http://{canonical}/"
    steps = [
        "Add the DNS records above to your organisation's DNS (or, to try it first, the "
        "hosts-file line to one computer's hosts file).",
    ]
    if plan.certificate is not None:
        steps.append(
            f"Have every computer trust the site's certificate authority: its certificate is "
            f"at {site_url}ca.crt (also over plain HTTP, before it is trusted) and in "
            f"{plan.config.ca_cert_path}; check its SHA-256 fingerprint "
            f"{plan.certificate.ca_fingerprint} before trusting it."
        )
    start = _start_commands(plan)
    if options.root is None:
        steps.append(f"Start the site: {start}.")
        steps.append("Load the nginx site: nginx -t && systemctl reload nginx")
    else:
        steps.append(
            f"Copy the tree under {options.root} to the server; there, start the site with "
            f"{start}, and load the nginx site {NGINX_SITE} with "
            "nginx -t && systemctl reload nginx."
        )
    if one_time_password:
        steps.append(
            f"Sign in at {site_url} as {admin} with the one-time password above "
            "and choose a new password."
        )
    steps.append(f"Check the whole box with: intranet-social doctor{_config_flag(plan)}")
    yield "Next steps:"
    for number, step in enumerate(steps, start=1):
        yield f"  {number}. {step}"


def _start_commands(plan: SystemPlan) -> str:
    """The systemctl commands that run the planned processes and the birthday notices'
    timer, and stop the retired ones."""
    unit = plan.layout.units[0]
    commands = ["systemctl daemon-reload"]
    if plan.retired_units:
        commands.append(f"systemctl stop {' '.join(plan.retired_units)}")
    commands.append(f"systemctl enable --now {unit} {BIRTHDAYS_TIMER}")
    several = plan.layout.several
    processes = f"it runs {len(plan.layout.ports)} app processes; " if several else ""
    return f"{' && '.join(commands)} ({processes}after a change: systemctl restart {unit})"


def notes(plan: SystemPlan) -> Iterator[str]:
    for note in plan.notes:
        yield f"Note: {note}"
