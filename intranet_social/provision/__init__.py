"""Provisioning a box: the configuration file, the first admin account and, later, the system."""
