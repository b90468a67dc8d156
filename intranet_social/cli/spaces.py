"""``intranet-social space``: spaces and their members, through the same service as the
pages and the API (the command line may act in any space)."""

from __future__ import annotations

from typing import Any

import click

from intranet_social.cli.runtime import CliError, config_option, echo_json, open_site
from intranet_social.friends.service import active_user
from intranet_social.spaces import departments, service
from intranet_social.spaces.service import Member, SpaceView

SLUG = click.argument("slug")
ROLE_CHOICE = click.Choice(service.ROLES)


def _space_json(view: SpaceView) -> dict[str, Any]:
    return {
        "slug": view.slug,
        "name": view.name,
        "visibility": view.visibility,
        "description": view.description,
        "member_count": view.member_count,
        "department": view.department,
    }


def _member_json(member: Member) -> dict[str, Any]:
    return {
        "username": member.username,
        "name": member.name,
        "role": member.role,
        "joined_at": member.joined_at.isoformat(),
    }


@click.group("space")
def space_group() -> None:
    """Spaces: team, department and interest groups."""


@space_group.command("create")
@config_option
@click.argument("name")
@click.option("--slug", default=None, help="Its address; made from the name when absent.")
@click.option(
    "--visibility",
    type=click.Choice(service.VISIBILITIES),
    default="open",
    show_default=True,
    help="open: anyone reads and joins; closed: joining needs approval; secret: members only.",
)
@click.option("--description", default="", help="What the space is for.")
@click.option(
    "--owner", default=None, help="Its first owner's username (default: the first admin)."
)
@click.option(
    "--department",
    default=None,
    help="Make it a department space: everyone of this department is a member.",
)
def create(
    name: str,
    slug: str | None,
    visibility: str,
    description: str,
    owner: str | None,
    department: str | None,
) -> None:
    """Create a space."""
    with open_site():
        first_owner = active_user(owner) if owner else None
        space = service.create_space(
            None,
            name,
            slug=slug,
            visibility=visibility,
            description=description,
            owner=first_owner,
        )
        made = f"Created {space.name} at /s/{space.slug} ({space.visibility})."
        if department is not None:
            joined = departments.link_department(None, space, department)
            if space.department:
                made += f" It follows the {space.department} department: {joined} joined."
    click.echo(made)


@space_group.command("list")
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(as_json: bool) -> None:
    """List every space, secret ones included."""
    with open_site():
        views = service.directory(None)
    if as_json:
        echo_json([_space_json(view) for view in views])
        return
    if not views:
        click.echo("No spaces yet.")
    for view in views:
        click.echo(f"{view.slug}\t{view.visibility}\t{view.member_count} members\t{view.name}")


@space_group.command("show")
@config_option
@SLUG
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show(slug: str, as_json: bool) -> None:
    """Show a space and its members."""
    with open_site():
        view = service.get_space(None, slug)
        members = service.members(None, slug)
    if as_json:
        echo_json({**_space_json(view), "members": [_member_json(m) for m in members]})
        return
    click.echo(f"{view.name} (/s/{view.slug}), {view.visibility}, {view.member_count} members")
    if view.department:
        click.echo(f"Follows the {view.department} department.")
    if view.description:
        click.echo(view.description)
    for member in members:
        click.echo(f"  {member.username}\t{member.role}")


@space_group.command("delete")
@config_option
@SLUG
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete(slug: str, yes: bool) -> None:
    """Delete a space and all its posts."""
    with open_site():
        view = service.get_space(None, slug)
        if not yes:
            question = f"Delete {view.name} and all its posts for good?"
            try:
                confirmed = click.confirm(question, default=False)
            except click.Abort:
                confirmed = False
            if not confirmed:
                raise CliError(f"{view.slug} was not deleted; pass --yes to skip the question")
        service.delete_space(None, slug)
    click.echo(f"Deleted {view.slug}.")


@space_group.command("add-member")
@config_option
@SLUG
@click.argument("username")
@click.option("--role", type=ROLE_CHOICE, default=None, help="Its role (default: member).")
def add_member(slug: str, username: str, role: str | None) -> None:
    """Add someone to a space (or change the role of someone in it)."""
    with open_site():
        member = service.add_member(None, slug, username, role)
    click.echo(f"{member.username} is a {member.role} of {slug}.")


@space_group.command("remove-member")
@config_option
@SLUG
@click.argument("username")
def remove_member(slug: str, username: str) -> None:
    """Take someone out of a space (never its last owner)."""
    with open_site():
        service.remove_member(None, slug, username)
    click.echo(f"{username} is no longer in {slug}.")


@space_group.command("set-role")
@config_option
@SLUG
@click.argument("username")
@click.argument("role", type=ROLE_CHOICE)
def set_role(slug: str, username: str, role: str) -> None:
    """Give a member the role owner, moderator or member."""
    with open_site():
        member = service.set_role(None, slug, username, role)
    click.echo(f"{member.username} is a {member.role} of {slug}.")
