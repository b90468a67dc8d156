"""The document's part for the feed, walls, posts, likes and comments."""

from __future__ import annotations

from typing import Any

from intranet_social.api.spec import (
    PAGE_PARAMETERS,
    Area,
    Schema,
    answer,
    list_of,
    obj,
    operation,
    path_parameter,
    ref,
)
from intranet_social.core.resource import schemas_of
from intranet_social.posts.resources import (
    AUDIENCES,
    Acknowledgement,
    AcknowledgementList,
    AcknowledgementState,
    Comment,
    Like,
    Media,
    Post,
)

HIDDEN = (
    " A post the caller may not see (friends-only, and the caller is a friend of neither its "
    "author nor the wall's owner) answers 404, as do its likes and comments."
)


BODY_TEXT: Schema = {"type": "string", "maxLength": 5000}
MUST_READ: Schema = {
    "type": ["boolean", "null"],
    "description": "A must-read announcement: first in the feed of everyone it is for until "
    "they acknowledge it, and they are notified. Admins anywhere, a space's owners in their "
    "space; anyone else gets 403 and nothing is written.",
}
COMMENT_TEXT: Schema = {"type": "string", "minLength": 1, "maxLength": 2000}

SCHEMAS: dict[str, Schema] = {
    **schemas_of(
        Media, Comment, Post, Like, AcknowledgementState, Acknowledgement, AcknowledgementList
    ),
    "PostList": list_of("Post"),
    "CommentList": list_of("Comment"),
    "NewPost": obj(
        {
            "body": {
                **BODY_TEXT,
                "description": "Up to 5,000 characters; needed unless files are attached.",
            },
            "audience": {"type": "string", "enum": AUDIENCES, "default": "friends"},
            "wall": {
                "type": ["string", "null"],
                "description": "Post on this friend's wall (a username); the caller's own "
                "wall when absent.",
            },
            "space": {
                "type": ["string", "null"],
                "description": "Post in this space (its slug), one the caller belongs to; "
                "the audience is then space.",
            },
            "must_read": MUST_READ,
        },
        required=("body",),
        closed=True,
    ),
    "NewPostWithFiles": obj(
        {
            "body": BODY_TEXT,
            "audience": {"type": "string", "enum": AUDIENCES, "default": "friends"},
            "wall": {"type": "string"},
            "space": {"type": "string"},
            "must_read": {
                "type": "string",
                "enum": ["true", "false", "1", "0", "on", ""],
                "description": "true to make it a must-read announcement (as in JSON).",
            },
            "files": {
                "type": "array",
                "items": {"type": "string", "format": "binary"},
                "description": "Up to ten photos and one video (MP4, WebM or QuickTime), "
                "told apart by their bytes.",
            },
        },
        required=(),
        closed=True,
    ),
    "PostChanges": obj(
        {
            "body": BODY_TEXT,
            "audience": {"type": "string", "enum": AUDIENCES},
            "must_read": {
                **MUST_READ,
                "description": "Make it a must-read announcement, or not: admins for any "
                "post they see, a space's owners for the space's posts (others 403). Sent "
                "alone, it needs no authorship.",
            },
        },
        required=(),
        closed=True,
        description="What to change; a real change of the text or the audience marks the "
        "post edited.",
    ),
    "CommentText": obj({"body": COMMENT_TEXT}, closed=True),
}

POST_ID = path_parameter("post_id", {"type": "integer", "minimum": 1}, "The post's id.")
COMMENT_ID = path_parameter("comment_id", {"type": "integer", "minimum": 1}, "The comment's id.")
USERNAME = path_parameter("username", {"type": "string"}, "Whose wall.")


def _post_answer(description: str) -> tuple[int, Schema]:
    return 200, answer(description, ref("Post"))


def _new_post_operation() -> Schema:
    op = operation(
        "create_post",
        "Write a post on the caller's wall or a friend's",
        tag="posts",
        body=ref("NewPost"),
        errors=(404,),
        ok=(201, answer("The new post.", ref("Post"))),
        description="JSON for text only; multipart/form-data with the field files for "
        "photos and a video. 403 when the wall belongs to someone who is not a friend; "
        "404 when there is no such person.",
    )
    op["requestBody"]["content"]["multipart/form-data"] = {"schema": ref("NewPostWithFiles")}
    return op


def _like_operations(kind: str, parameter: Schema) -> dict[str, Any]:
    return {
        "post": operation(
            f"like_{kind}",
            f"Like a {kind} (again is harmless)",
            tag="posts",
            parameters=[parameter],
            errors=(404,),
            ok=(200, answer("Liked.", ref("Like"))),
            description=HIDDEN,
        ),
        "delete": operation(
            f"unlike_{kind}",
            f"Take back a like of a {kind} (again is harmless)",
            tag="posts",
            parameters=[parameter],
            errors=(404,),
            ok=(200, answer("Not liked.", ref("Like"))),
            description=HIDDEN,
        ),
    }


def area() -> Area:
    post_page = answer("A page of posts.", ref("PostList"))
    return Area(
        paths={
            "/feed": {
                "get": operation(
                    "get_feed",
                    "The caller's news feed",
                    tag="posts",
                    parameters=PAGE_PARAMETERS,
                    errors=(422,),
                    ok=(200, post_page),
                    description="The caller's posts, their friends' posts, posts on their "
                    "wall and in their spaces, newest first. The first page starts with the "
                    "must-read announcements the caller has yet to acknowledge (must_read "
                    "true, asked_to_acknowledge true, acknowledged false; the newest five), "
                    "then pinned announcements; none of them shows again in the stream.",
                )
            },
            "/users/{username}/posts": {
                "get": operation(
                    "list_user_posts",
                    "The posts on someone's wall that the caller may see",
                    tag="posts",
                    parameters=[USERNAME, *PAGE_PARAMETERS],
                    errors=(404, 422),
                    ok=(200, post_page),
                )
            },
            "/posts": {"post": _new_post_operation()},
            "/posts/{post_id}": {
                "get": operation(
                    "get_post",
                    "One post",
                    tag="posts",
                    parameters=[POST_ID],
                    errors=(404,),
                    ok=_post_answer("The post."),
                    description=HIDDEN,
                ),
                "patch": operation(
                    "edit_post",
                    "Edit the caller's own post",
                    tag="posts",
                    parameters=[POST_ID],
                    body=ref("PostChanges"),
                    errors=(404,),
                    ok=_post_answer("The post as it is now."),
                    description="Only the author changes the text and the audience; anyone "
                    "else who can see it gets 403. must_read: see PostChanges.",
                ),
                "delete": operation(
                    "delete_post",
                    "Delete a post with its likes, comments and files",
                    tag="posts",
                    parameters=[POST_ID],
                    errors=(404,),
                    ok=(204, answer("Deleted.")),
                    description="Its author, the wall's owner, or an admin.",
                ),
            },
            "/posts/{post_id}/pin": {
                "post": operation(
                    "pin_post",
                    "Pin a post as a company announcement (admins)",
                    tag="posts",
                    parameters=[POST_ID],
                    errors=(404,),
                    ok=_post_answer("The pinned post."),
                ),
                "delete": operation(
                    "unpin_post",
                    "Unpin an announcement (admins)",
                    tag="posts",
                    parameters=[POST_ID],
                    errors=(404,),
                    ok=_post_answer("The post, no longer pinned."),
                ),
            },
            "/posts/{post_id}/acknowledge": {
                "post": operation(
                    "acknowledge_post",
                    "Acknowledge a must-read announcement (again is harmless)",
                    tag="posts",
                    parameters=[POST_ID],
                    errors=(404, 409),
                    ok=(200, answer("Acknowledged.", ref("AcknowledgementState"))),
                    description="Anyone who can see the post; 409 when it is not a "
                    "must-read." + HIDDEN,
                )
            },
            "/posts/{post_id}/acknowledgements": {
                "get": operation(
                    "list_acknowledgements",
                    "Who of a must-read's audience acknowledged it",
                    tag="posts",
                    parameters=[POST_ID, *PAGE_PARAMETERS],
                    errors=(404, 422),
                    ok=(
                        200,
                        answer("The counts and a page of people.", ref("AcknowledgementList")),
                    ),
                    description="Its author, its space's owners and admins; anyone else who "
                    "can see the post gets 403. The audience: everyone the post is visible "
                    "to (for a post in a space, even an open one, the space's members), "
                    "active, its author excepted." + HIDDEN,
                )
            },
            "/posts/{post_id}/like": _like_operations("post", POST_ID),
            "/posts/{post_id}/comments": {
                "get": operation(
                    "list_comments",
                    "A post's comments, oldest first",
                    tag="posts",
                    parameters=[POST_ID, *PAGE_PARAMETERS],
                    errors=(404, 422),
                    ok=(200, answer("A page of comments.", ref("CommentList"))),
                    description=HIDDEN,
                ),
                "post": operation(
                    "create_comment",
                    "Comment on a post",
                    tag="posts",
                    parameters=[POST_ID],
                    body=ref("CommentText"),
                    errors=(404,),
                    ok=(201, answer("The new comment.", ref("Comment"))),
                    description=HIDDEN,
                ),
            },
            "/comments/{comment_id}": {
                "patch": operation(
                    "edit_comment",
                    "Edit the caller's own comment",
                    tag="posts",
                    parameters=[COMMENT_ID],
                    body=ref("CommentText"),
                    errors=(404,),
                    ok=(200, answer("The comment as it is now.", ref("Comment"))),
                ),
                "delete": operation(
                    "delete_comment",
                    "Delete a comment",
                    tag="posts",
                    parameters=[COMMENT_ID],
                    errors=(404,),
                    ok=(204, answer("Deleted.")),
                    description="Its author, the post's author, the wall's owner, or an admin.",
                ),
            },
            "/comments/{comment_id}/like": _like_operations("comment", COMMENT_ID),
        },
        schemas=SCHEMAS,
    )
