"""Profiles: the people behind the accounts, their photos and the card shown on their page."""
