"""Admin console: people, invites, reports and moderation, site settings, the audit log."""
