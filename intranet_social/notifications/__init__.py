"""Notifications: friend requests and accepts, likes, comments, wall posts, mentions,
birthdays; an unread badge; optional e-mail through an internal relay."""
