"""Uploaded photos and videos: checked, re-encoded, stored under server-made names, served."""
