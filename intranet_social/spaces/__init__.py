"""Spaces: team, department and interest groups, each with its own feed."""
