"""The audit log: append-only record of admin actions and security events."""
