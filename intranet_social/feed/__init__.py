"""The news feed: the first page people see after signing in."""
