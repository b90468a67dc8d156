"""Friends: requests, friendships, mutual friends and suggestions."""
