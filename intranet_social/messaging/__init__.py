"""Messaging: one-to-one and group conversations that update while the page is open."""
