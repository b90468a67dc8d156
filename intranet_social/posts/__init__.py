"""Posts on walls, their photos and videos, likes and comments; the news feed reads them."""
