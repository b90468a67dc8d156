"""Mechanisms shared by every feature: model base, errors, security headers, time."""
