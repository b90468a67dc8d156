"""Accounts: log in and out, registration, one-time passwords, sessions, invites, API tokens."""
