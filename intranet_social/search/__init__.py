"""Search: people and posts, on one page and one API operation."""
