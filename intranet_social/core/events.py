"""What happened in one feature, for the others to act on: the only way features talk sideways.

A feature announces with ``events.<name>.send(subject, **details)``; the subject is the row the
event is about. Listeners are plain module-level functions that each listening feature connects
in its ``listeners.connect()``, which the app factory calls once (``weak=False``, so nothing is
collected). Signals run synchronously, so a listener writes in the announcer's transaction:
when the request fails, what the listeners wrote is rolled back with it.

Events (subject first, then details) and who announces -> who listens:

- friend_request_sent, friend_request_withdrawn (FriendRequest): friends -> notifications
- friend_request_accepted (FriendRequest, accepted_by): friends -> notifications
- post_written (Post, text), post_edited (Post, text, previous): posts -> notifications
- comment_written (Comment, post), comment_edited (Comment, post, text, previous):
  posts -> notifications
- post_liked, comment_liked (the row, liker_id); post_unliked, comment_unliked (its id,
  liker_id): posts -> notifications
- must_read_marked (Post, marked_by), must_read_cleared (Post): posts -> notifications (the
  audience is told; taken back when it is no longer a must-read)
- must_read_acknowledged (Post, reader_id): posts -> notifications (the reader's notice of
  it is read)
- birthdays_noted (new notice ids): birthdays -> notifications
- anniversaries_noted (new work anniversary notice ids): birthdays -> notifications
- user_deleting (User): accounts -> media, posts (they forget the account's files)
- space_deleting (Space): spaces -> posts (it deletes the space's posts and their files),
  notifications (they forget what they said about the space)
- space_join_requested (JoinRequest): spaces -> notifications (the owners and moderators)
- space_join_answered (JoinRequest, approved, answered_by): spaces -> notifications (the
  requester, when let in; the request's notices go)
- space_join_withdrawn (JoinRequest): spaces -> notifications (the request's notices go)
- space_member_added (SpaceMember, added_by): spaces -> notifications (the person added by
  someone else; not announced when someone joins by themselves)
- space_member_left (SpaceMember): spaces -> notifications (what the space told them goes)
- department_changed (User, old): accounts -> spaces (department spaces follow the person)
- media_in_use (keys=...): media asks, posts, messaging and spaces answer with the keys they
  use
"""

from __future__ import annotations

from collections.abc import Iterable

from blinker import Namespace

_events = Namespace()

friend_request_sent = _events.signal("friend-request-sent")
friend_request_withdrawn = _events.signal("friend-request-withdrawn")
friend_request_accepted = _events.signal("friend-request-accepted")

post_written = _events.signal("post-written")
post_edited = _events.signal("post-edited")
comment_written = _events.signal("comment-written")
comment_edited = _events.signal("comment-edited")
post_liked = _events.signal("post-liked")
post_unliked = _events.signal("post-unliked")
comment_liked = _events.signal("comment-liked")
comment_unliked = _events.signal("comment-unliked")
#: a post became a must-read announcement (written so, or marked later), or stopped being one
must_read_marked = _events.signal("must-read-marked")
must_read_cleared = _events.signal("must-read-cleared")
must_read_acknowledged = _events.signal("must-read-acknowledged")

birthdays_noted = _events.signal("birthdays-noted")
anniversaries_noted = _events.signal("anniversaries-noted")

#: before the account's row goes: listeners forget the files that hang on it
user_deleting = _events.signal("user-deleting")

#: before a space's row goes: posts deletes the space's posts and forgets their files
space_deleting = _events.signal("space-deleting")

space_join_requested = _events.signal("space-join-requested")
space_join_answered = _events.signal("space-join-answered")
space_join_withdrawn = _events.signal("space-join-withdrawn")
space_member_added = _events.signal("space-member-added")
#: after a member left or was taken out (the row is deleted but still names them)
space_member_left = _events.signal("space-member-left")

#: a person's department was set (``old`` is the one before, ``None`` for a new account), or
#: their account became active again: spaces linked to a department follow its people
department_changed = _events.signal("department-changed")

#: a question rather than news: each listener answers which of ``keys`` its rows still use,
#: so media clean-up never deletes a file a feature it does not know about points to
media_in_use = _events.signal("media-in-use")


def answers(results: Iterable[tuple[object, Iterable[str] | None]]) -> set[str]:
    """The union of the sets that the listeners of a question signal returned."""
    found: set[str] = set()
    for _receiver, answer in results:
        if answer:
            found.update(answer)
    return found
