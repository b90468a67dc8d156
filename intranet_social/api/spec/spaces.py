"""The document's part for spaces: ``/spaces``, their members, joining and leaving, and a
space's posts."""

from __future__ import annotations

from intranet_social.api.spec import (
    PAGE_PARAMETERS,
    Area,
    Schema,
    answer,
    list_of,
    obj,
    operation,
    path_parameter,
    query,
    ref,
)
from intranet_social.api.spec.people import PHOTO_BODY
from intranet_social.core.resource import schemas_of
from intranet_social.spaces.resources import (
    ROLES,
    VISIBILITIES,
    Joined,
    JoinRequest,
    Space,
    SpaceMember,
)

SLUG = path_parameter(
    "slug",
    {"type": "string", "minLength": 1},
    "The space's address. A secret space answers 404 to anyone not in it.",
)
USERNAME = path_parameter("username", {"type": "string", "minLength": 1}, "The member.")
NAME: Schema = {"type": "string", "minLength": 1, "maxLength": 100}
DESCRIPTION: Schema = {"type": "string", "maxLength": 2000}
VISIBILITY: Schema = {"type": "string", "enum": VISIBILITIES}
TAG = "spaces"
MANAGERS = "Owners and moderators only (only owners give the roles owner and moderator)."

SCHEMAS: dict[str, Schema] = {
    **schemas_of(Space, SpaceMember, JoinRequest, Joined),
    "SpaceList": list_of("Space"),
    "SpaceMemberList": list_of("SpaceMember"),
    "JoinRequestList": list_of("JoinRequest"),
    "NewSpace": obj(
        {
            "name": NAME,
            "slug": {
                "type": "string",
                "pattern": "^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$",
                "maxLength": 64,
                "description": "Made from the name when absent.",
            },
            "visibility": {**VISIBILITY, "default": "open"},
            "description": DESCRIPTION,
        },
        required=("name",),
        closed=True,
    ),
    "SpaceChanges": obj(
        {
            "name": NAME,
            "visibility": VISIBILITY,
            "description": DESCRIPTION,
            "department": {
                "type": ["string", "null"],
                "maxLength": 100,
                "description": "Admins only (an admin-scope token): everyone of this "
                "department becomes a member and it follows the department; empty or null "
                "unlinks it (its members stay).",
            },
        },
        required=(),
        closed=True,
        description="What to change (owners only; the department, admins only).",
    ),
    "NewSpaceMember": obj(
        {
            "username": {"type": "string", "minLength": 1},
            "role": {
                "type": "string",
                "enum": ROLES,
                "default": "member",
                "description": "For someone already in, their new role.",
            },
        },
        required=("username",),
        closed=True,
    ),
}


def _picture_operations(kind: str, space: Schema) -> dict[str, Schema]:
    put = operation(
        f"set_space_{kind}",
        f"Upload a new {kind} for a space (owners and moderators)",
        tag=TAG,
        parameters=[SLUG],
        errors=(404, 413, 422),
        description="Send the picture as multipart/form-data in the field `file`. It is "
        "re-encoded (metadata removed, orientation applied) and cropped to the sizes pages "
        "use; a file that is not a picture, too large or of too many pixels answers 422 "
        "naming `file` and changes nothing. The old picture's files are deleted.",
        ok=(200, space),
    )
    put["requestBody"] = PHOTO_BODY
    return {
        "put": put,
        "delete": operation(
            f"remove_space_{kind}",
            f"Remove a space's {kind} (owners and moderators)",
            tag=TAG,
            parameters=[SLUG],
            errors=(404,),
            ok=(200, space),
        ),
    }


def area() -> Area:
    space = answer("The space.", ref("Space"))
    return Area(
        paths={
            "/spaces": {
                "get": operation(
                    "list_spaces",
                    "The spaces the caller belongs to, then the open and closed ones",
                    tag=TAG,
                    parameters=[
                        query(
                            "q", {"type": "string"}, "Words in the name, address or description."
                        ),
                        *PAGE_PARAMETERS,
                    ],
                    ok=(200, answer("A page of such spaces, by name.", ref("SpaceList"))),
                    errors=(422,),
                ),
                "post": operation(
                    "create_space",
                    "Create a space; the caller is its first owner",
                    tag=TAG,
                    body=ref("NewSpace"),
                    errors=(409,),
                    ok=(201, answer("The new space.", ref("Space"))),
                    description="403 when the site setting space_creation is admins and the "
                    "caller is not an admin; 409 when the address is taken.",
                ),
            },
            "/spaces/{slug}": {
                "get": operation(
                    "get_space",
                    "One space",
                    tag=TAG,
                    parameters=[SLUG],
                    errors=(404,),
                    ok=(200, space),
                ),
                "patch": operation(
                    "update_space",
                    "Change a space's name, description or visibility (owners)",
                    tag=TAG,
                    parameters=[SLUG],
                    body=ref("SpaceChanges"),
                    errors=(404,),
                    ok=(200, space),
                ),
                "delete": operation(
                    "delete_space",
                    "Delete a space with its posts (owners)",
                    tag=TAG,
                    parameters=[SLUG],
                    errors=(404,),
                    ok=(204, answer("Deleted.")),
                ),
            },
            "/spaces/{slug}/members": {
                "get": operation(
                    "list_members",
                    "The members of a space, owners first",
                    tag=TAG,
                    parameters=[SLUG, *PAGE_PARAMETERS],
                    errors=(404, 422),
                    ok=(
                        200,
                        answer(
                            "A page of members: owners, moderators, then members, each by "
                            "username.",
                            ref("SpaceMemberList"),
                        ),
                    ),
                ),
                "post": operation(
                    "add_member",
                    "Add someone to a space, or change a member's role",
                    tag=TAG,
                    parameters=[SLUG],
                    body=ref("NewSpaceMember"),
                    errors=(404, 409),
                    ok=(201, answer("The member.", ref("SpaceMember"))),
                    description=f"{MANAGERS} 409 for someone already in with that role, or "
                    "for demoting the last owner.",
                ),
            },
            "/spaces/{slug}/members/{username}": {
                "delete": operation(
                    "remove_member",
                    "Take someone out of a space",
                    tag=TAG,
                    parameters=[SLUG, USERNAME],
                    errors=(404, 409),
                    ok=(204, answer("Removed.")),
                    description="Owners; moderators for plain members. 409 for the last "
                    "owner: a space always keeps one.",
                ),
            },
            "/spaces/{slug}/requests": {
                "get": operation(
                    "list_join_requests",
                    "Who asks to join a closed space (owners and moderators)",
                    tag=TAG,
                    parameters=[SLUG],
                    errors=(404,),
                    ok=(200, answer("Every request.", ref("JoinRequestList"))),
                ),
            },
            "/spaces/{slug}/join": {
                "post": operation(
                    "join_space",
                    "Join an open space, or ask to join a closed one",
                    tag=TAG,
                    parameters=[SLUG],
                    errors=(404, 409),
                    ok=(200, answer("What happened.", ref("Joined"))),
                    description="403 for a secret space: its members add people.",
                ),
            },
            "/spaces/{slug}/leave": {
                "post": operation(
                    "leave_space",
                    "Leave a space, or withdraw a request to join",
                    tag=TAG,
                    parameters=[SLUG],
                    errors=(404, 409),
                    ok=(200, space),
                    description="409 for its last owner, and for someone not in it.",
                ),
            },
            "/spaces/{slug}/mute": {
                "post": operation(
                    "mute_space",
                    "Mute a space: its new posts no longer notify the caller",
                    tag=TAG,
                    parameters=[SLUG],
                    errors=(404, 409),
                    ok=(200, space),
                    description="Members only: 409 for someone not in it. Requests, "
                    "invitations and answers still notify.",
                ),
            },
            "/spaces/{slug}/unmute": {
                "post": operation(
                    "unmute_space",
                    "Unmute a space: its new posts notify the caller again",
                    tag=TAG,
                    parameters=[SLUG],
                    errors=(404, 409),
                    ok=(200, space),
                    description="Members only: 409 for someone not in it.",
                ),
            },
            "/spaces/{slug}/avatar": _picture_operations("avatar", space),
            "/spaces/{slug}/cover": _picture_operations("cover", space),
            "/spaces/{slug}/posts": {
                "get": operation(
                    "list_space_posts",
                    "A space's posts, newest first",
                    tag=TAG,
                    parameters=[SLUG, *PAGE_PARAMETERS],
                    errors=(404, 422),
                    ok=(200, answer("A page of posts.", ref("PostList"))),
                    description="403 for a closed space the caller is not in.",
                ),
            },
        },
        schemas=SCHEMAS,
    )
