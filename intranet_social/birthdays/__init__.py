"""Birthdays: who celebrates today and soon, greetings, and what friends are to be told."""
