"""Site settings that admins change at run time, read by every feature that obeys them."""
